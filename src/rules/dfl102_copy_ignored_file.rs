use super::{Check, Context};
use crate::context::{clean_path, DockerIgnore};
use crate::syntax::{Instruction, Keyword, Word};

crate::declare_rule! {
    /// `COPY` or `ADD` names a source that `.dockerignore` excludes from the build context.
    ///
    /// Excluded files are never sent to the builder, so the build fails with
    /// `"/x": not found` — or, for a directory, silently copies less than expected.
    /// As in BuildKit: checked only when a build context with a `.dockerignore` is known,
    /// and skipped entirely when the `.dockerignore` has `!` exceptions (whether a file is
    /// re-included cannot be decided from the patterns alone). `.` is reported only when a
    /// pattern (`*`, `**`, `**/*`) excludes everything. Sources with variables, URLs,
    /// heredocs and `--from` sources are not checked.
    ///
    /// ```dockerfile invalid
    /// FROM scratch
    /// COPY Dockerfile /
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM scratch
    /// COPY src/ /src/
    /// ```
    ///
    /// The examples assume this build context:
    ///
    /// ```text build-context
    /// .dockerignore: Dockerfile
    /// ```
    ///
    /// **Fix:** remove the source from the instruction, or the pattern from `.dockerignore`.
    pub CopyIgnoredFile {
        code: "DFL102",
        name: "copy-ignored-file",
        severity: Warning,
        default: true,
        fix: None,
        equivalents: ["BuildKit:CopyIgnoredFile"],
        scope: Stage,
        reads_context: true,
    }
}

/// The local sources of a COPY/ADD that can be checked against the context.
pub(crate) fn local_sources(ins: &Instruction) -> Vec<&Word> {
    if !matches!(ins.keyword, Keyword::Copy | Keyword::Add) || ins.flag("from").is_some() {
        return Vec::new();
    }
    let (sources, _) = ins.copy_sources_and_dest();
    sources
        .iter()
        .filter(|w| {
            let t = w.text.as_str();
            !t.is_empty()
                && !t.starts_with("<<")
                && !t.contains('$')
                && !t.contains("://")
                && !t.starts_with("git@")
        })
        .collect()
}

impl Check for CopyIgnoredFile {
    fn check(&self, cx: &mut Context<'_>) {
        let Some(bc) = cx.build_context else { return };
        let Some(text) = bc.dockerignore() else {
            return;
        };
        let ignore = DockerIgnore::parse(&text);
        if ignore.patterns.is_empty() || ignore.has_exclusions() {
            return;
        }
        for ins in cx
            .instructions_of(&[Keyword::Copy, Keyword::Add])
            .into_iter()
            .filter(|i| i.stage.is_some())
        {
            let cmd = if ins.keyword == Keyword::Add {
                "Add"
            } else {
                "Copy"
            };
            for w in local_sources(ins) {
                let src = clean_path(&w.text);
                let root = src == "." || src == "/";
                if (root && !ignore.ignores_root()) || (!root && !ignore.is_ignored(&src)) {
                    continue;
                }
                cx.report(
                    w.range,
                    format!(
                        "Attempting to {cmd} file \"{src}\" that is excluded by .dockerignore: the builder will not see it; remove it from {} or from .dockerignore.",
                        ins.keyword.as_str()
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

    fn run(ignore: &str, dockerfile: &str) -> String {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".dockerignore"), ignore).unwrap();
        std::fs::write(dir.path().join("Dockerfile"), dockerfile).unwrap();
        let ctx = FsBuildContext::discover(&dir.path().join("Dockerfile"), None).unwrap();
        render(
            dockerfile,
            &check_with_context(&super::CopyIgnoredFile, dockerfile, &ctx),
        )
    }

    #[test]
    fn buildkit_cases() {
        insta::assert_snapshot!(run(
            "\nDockerfile\n*/tmp/*\n",
            "FROM scratch AS base\nCOPY Dockerfile .\nADD ./Dockerfile /windy\nCOPY ./x/tmp/helloworld.txt ./forever/hello.txt /\nCOPY --from=base /Dockerfile /x\nCOPY $X /\nCOPY . .\n"
        ));
        assert_eq!(
            run(
                "**\n!Dockerfile\n",
                "FROM scratch\nCOPY ./Dockerfile .\nCOPY . .\n"
            ),
            ""
        );
        assert_eq!(run(".*\n", "FROM scratch\nCOPY . .\n"), "");
        insta::assert_snapshot!(run("*\n", "FROM scratch\nCOPY . .\n"));
    }

    #[test]
    fn silent_without_context() {
        assert_eq!(
            snapshot(&super::CopyIgnoredFile, "FROM scratch\nCOPY Dockerfile /\n"),
            ""
        );
    }
}
