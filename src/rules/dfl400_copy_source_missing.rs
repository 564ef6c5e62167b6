use super::dfl102_copy_ignored_file::local_sources;
use super::{Check, Context};
use crate::context::clean_path;
use crate::syntax::Keyword;

crate::declare_rule! {
    /// A `COPY`/`ADD` source matches nothing in the build context.
    ///
    /// The build would fail with `failed to compute cache key: "/x": not found` — after
    /// every earlier layer has been built. Checked only when the build context is known
    /// (the Dockerfile's directory, or the workspace root), for local sources without
    /// variables; `--from` sources, URLs, Git sources and heredocs are skipped. Globs such
    /// as `*.json` must match at least one entry. A source excluded by `.dockerignore` is
    /// `copy-ignored-file`'s finding, not this rule's.
    ///
    /// ```dockerfile invalid
    /// FROM node:20-alpine
    /// COPY package-lock.jsn ./
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM node:20-alpine
    /// COPY package*.json ./
    /// ```
    ///
    /// The examples assume this build context:
    ///
    /// ```text build-context
    /// package.json: {}
    /// package-lock.json: {}
    /// ```
    ///
    /// **Fix:** correct the path, or build with the right context directory.
    pub CopySourceMissing {
        code: "DFL400",
        name: "copy-source-missing",
        severity: Warning,
        default: true,
        fix: None,
        equivalents: [],
        scope: Stage,
        reads_context: true,
    }
}

impl Check for CopySourceMissing {
    fn check(&self, cx: &mut Context<'_>) {
        let Some(bc) = cx.build_context else { return };
        for ins in cx
            .instructions_of(&[Keyword::Copy, Keyword::Add])
            .into_iter()
            .filter(|i| i.stage.is_some())
        {
            for w in local_sources(ins) {
                if bc.path_exists(&w.text) {
                    continue;
                }
                cx.report(
                    w.range,
                    format!(
                        "{} source '{}' matches nothing in the build context: the build will fail with \"not found\"; fix the path or the context directory.",
                        ins.keyword.as_str(),
                        clean_path(&w.text)
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::context::FsBuildContext;
    use crate::rules::test_support::{check_with_context, render, snapshot};

    #[test]
    fn missing_sources_in_temp_context() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("src/app")).unwrap();
        std::fs::write(root.join("src/app/main.go"), "x").unwrap();
        std::fs::write(root.join("package.json"), "{}").unwrap();
        std::fs::write(root.join("package-lock.json"), "{}").unwrap();
        let dockerfile = "FROM node:20 AS build\nCOPY package*.json ./\nCOPY package-lock.jsn ./\nCOPY src/ /src/\nCOPY ./src/app/main.go missing.txt /x/\nCOPY *.yaml /cfg/\nCOPY --from=build /nope /y\nADD https://example.org/a.tgz /a\nCOPY $DIR /z\nCOPY <<EOF /w\nhi\nEOF\nCOPY [\"src\", \"nope dir\", \"/q/\"]\nCOPY . .\n";
        std::fs::write(root.join("Dockerfile"), dockerfile).unwrap();
        let ctx = FsBuildContext::discover(&root.join("Dockerfile"), None).unwrap();
        insta::assert_snapshot!(render(
            dockerfile,
            &check_with_context(&super::CopySourceMissing, dockerfile, &ctx)
        ));
        assert_eq!(snapshot(&super::CopySourceMissing, dockerfile), "");
    }
}
