use super::{Check, Context};

crate::declare_rule! {
    /// A pipeline in `RUN` without `pipefail`: a failing command before the last `|` is ignored.
    ///
    /// A pipeline's status is the status of its *last* command, so
    /// `RUN curl -fsSL https://example.com/install.sh | sh` succeeds when the download fails
    /// (`sh` happily runs an empty script) and the build goes on without what it installed.
    /// `set -o pipefail` makes the pipeline fail when any of its commands fails.
    ///
    /// Not reported: when the stage's `SHELL` has `-o pipefail`, when the script runs
    /// `set -o pipefail` (or `set -euo pipefail`…) before the pipe, when the shell is not a
    /// POSIX shell (`SHELL ["pwsh", …]`), for pipes inside `$(…)` (pipefail does not change the
    /// status of the command that uses the substitution), in `if`/`while` conditions and on
    /// the left of `||` (the script handles the failure there), and when every command before the
    /// last `|` cannot fail (`echo`, `printf`, `yes`, `true`) — with `pipefail`, `yes | cmd` would
    /// even fail the build, as `yes` is killed by SIGPIPE.
    ///
    /// ```dockerfile invalid
    /// FROM debian:12
    /// RUN wget -qO- https://example.com/install.sh | bash
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM debian:12
    /// SHELL ["/bin/bash", "-o", "pipefail", "-c"]
    /// RUN wget -qO- https://example.com/install.sh | bash
    /// ```
    ///
    /// **Fix:** add `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before the `RUN` (Debian's
    /// `/bin/sh` is dash, which has no `pipefail` before 0.5.12), or start the script with
    /// `set -o pipefail &&` when the shell is bash or busybox ash.
    pub PipeWithoutPipefail {
        code: "DFL310",
        name: "pipe-without-pipefail",
        severity: Warning,
        default: true,
        fix: None,
        equivalents: ["DL4006"],
        scope: Stage,
    }
}

const CANNOT_FAIL: &[&str] = &["echo", "printf", "yes", "true", ":"];

impl Check for PipeWithoutPipefail {
    fn check(&self, cx: &mut Context<'_>) {
        let index = cx.shell();
        for run in &index.runs {
            if !run.shell.is_posix() || run.shell.pipefail() {
                continue;
            }
            for p in &run.script.pipelines {
                if p.in_substitution
                    || p.in_condition
                    || p.guarded
                    || run.script.pipefail_at.is_some_and(|at| at <= p.range.start)
                {
                    continue;
                }
                // The commands of this pipeline that come before the last `|`.
                // Commands are sorted by start: look only at those inside the pipeline.
                let cmds = &run.script.commands;
                let from = cmds.partition_point(|c| c.range.start < p.range.start);
                let mut upstream = cmds
                    .get(from..)
                    .unwrap_or(&[])
                    .iter()
                    .take_while(|c| c.range.start < p.range.end)
                    .filter(|c| {
                        c.range.end <= p.range.end
                            && !c.in_substitution
                            && c.pipeline_position.is_some_and(|(i, n)| i + 1 < n)
                    });
                let mut first = None;
                let all_harmless = upstream.all(|c| {
                    first.get_or_insert(c.program_name().to_string());
                    CANNOT_FAIL.contains(&c.program_name())
                });
                let Some(what) = first.filter(|_| !all_harmless) else {
                    continue;
                };
                cx.report(
                    p.range,
                    format!(
                        "This pipeline ignores a failure of '{what}': set -o pipefail first \
                         (SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"] or 'set -o pipefail &&')"
                    ),
                );
            }
        }
    }
}
