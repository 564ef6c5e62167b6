use super::buildkit::{ancestors, has_unknown_parent};
use super::{Check, Context};
use crate::syntax::Keyword;

crate::declare_rule! {
    /// A relative `WORKDIR` before any absolute `WORKDIR` in the stage.
    ///
    /// A relative path is resolved against the base image's working directory, which the
    /// image's maintainers can change at any time. As in BuildKit, only the first `WORKDIR`
    /// of a stage counts, and a `WORKDIR` in the stage it is built `FROM` counts as set.
    /// Paths starting with a variable are not judged (their value is unknown here).
    ///
    /// ```dockerfile invalid
    /// FROM nginx:1.27
    /// WORKDIR usr/share/nginx/html
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM nginx:1.27 AS web
    /// WORKDIR /usr/share/nginx/html
    /// WORKDIR assets
    /// FROM web
    /// WORKDIR img
    /// ```
    ///
    /// **Fix:** use an absolute path.
    pub WorkdirRelativePath {
        code: "DFL121",
        name: "workdir-relative-path",
        severity: Warning,
        default: true,
        fix: None,
        equivalents: ["BuildKit:WorkdirRelativePath", "DL3000"],
        scope: Stage,
    }
}

fn is_absolute(p: &str) -> bool {
    let b = p.as_bytes();
    p.starts_with('/')
        || p.starts_with('\\')
        || (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':')
}

impl Check for WorkdirRelativePath {
    fn check(&self, cx: &mut Context<'_>) {
        let file = cx.file;
        for stage in cx.stages() {
            if has_unknown_parent(file, stage) {
                continue;
            }
            let inherited = ancestors(file, stage).iter().any(|s| {
                file.stage_instructions(s)
                    .iter()
                    .any(|i| i.keyword == Keyword::Workdir)
            });
            if inherited {
                continue;
            }
            let first = file
                .stage_instructions(stage)
                .iter()
                .find(|i| i.keyword == Keyword::Workdir);
            let Some(ins) = first else { continue };
            let path = ins.args_text();
            let unquoted = path.trim_matches(['"', '\'']);
            if path.is_empty() || unquoted.starts_with('$') || is_absolute(unquoted) {
                continue;
            }
            cx.report(
                ins.args_range,
                format!(
                    "Relative workdir \"{path}\" can have unexpected results if the base image changes: use an absolute path (e.g. '/{}').",
                    unquoted.trim_start_matches("./")
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::snapshot;

    #[test]
    fn first_workdir_only() {
        insta::assert_snapshot!(snapshot(
            &super::WorkdirRelativePath,
            "FROM scratch\nWORKDIR app/\nWORKDIR more\nFROM scratch AS a\nWORKDIR /app\nFROM a AS b\nWORKDIR subdir/\nFROM scratch\nWORKDIR $HOME/x\nFROM scratch\nWORKDIR C:\\\\app\n"
        ));
    }
}
