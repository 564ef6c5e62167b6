use super::shell_support::instruction;
use super::{Check, Context};
use crate::diagnostic::Severity;
use crate::syntax::{Keyword, TextRange};

crate::declare_rule! {
    /// ShellCheck findings in `RUN` scripts.
    ///
    /// When `shellcheck` is installed (Debian/Ubuntu: `apt-get install shellcheck`) and the
    /// `shellcheck` setting is on, every `RUN` body in a POSIX shell (shell form, `RUN <<EOF`
    /// scripts, `["sh", "-c", …]`) is checked as the stage's `SHELL` (`sh` unless a `SHELL`
    /// names bash, dash or ksh), and the findings are shown at their place in the Dockerfile,
    /// continuation lines included. Each finding carries its `SCxxxx` code and ShellCheck's
    /// severity (`style` becomes a hint); `ignore: [SC2086]` in the settings drops one code
    /// everywhere, `# hadolint ignore=SC2086` above a `RUN` drops it there.
    ///
    /// Variables declared by `ARG`/`ENV` before the `RUN` (and the proxy variables Docker
    /// predefines) are declared to ShellCheck, so SC2154 only flags real typos. As in hadolint,
    /// SC1090/SC1091 (sourced files cannot be followed from a Dockerfile) and SC2187 (ash) are
    /// left out, and so are SC3040 (`set -o pipefail` in `sh`: `pipe-without-pipefail` covers
    /// pipefail) and SC1017 (carriage returns of a CRLF Dockerfile). Not run for `pwsh`/`cmd` shells. ShellCheck runs outside the rules (an
    /// injected runner with a cache per script), so linting stays fast while typing.
    ///
    /// ```dockerfile invalid
    /// FROM debian:12
    /// RUN echo $1
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM debian:12
    /// ARG VERSION=1.0
    /// RUN echo "$VERSION"
    /// ```
    ///
    /// **Fix:** follow the linked ShellCheck advice (https://www.shellcheck.net/wiki/SC2086).
    pub ShellCheck {
        code: "DFL330",
        name: "shellcheck",
        severity: Warning,
        default: true,
        fix: None,
        equivalents: [],
        scope: Stage,
    }
}

/// Codes never reported (see the docs).
const EXCLUDED: &[u32] = &[1017, 1090, 1091, 2187, 3040];

/// Variables Docker defines in every build.
const PREDEFINED: &[&str] = &[
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "FTP_PROXY",
    "ftp_proxy",
    "NO_PROXY",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
];

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !s.starts_with(|c: char| c.is_ascii_digit())
}

impl Check for ShellCheck {
    fn check(&self, cx: &mut Context<'_>) {
        let Some(runner) = cx.shellcheck else { return };
        if !cx.settings.shellcheck {
            return;
        }
        let index = cx.shell();
        let file = cx.file;
        let ignored: Vec<String> = cx
            .settings
            .ignored
            .iter()
            .map(|s| s.trim().to_ascii_uppercase())
            .collect();
        let mut jobs = Vec::new();
        for run in &index.runs {
            if !run.shell.is_posix() {
                continue;
            }
            let Some(ins) = instruction(file, run) else {
                continue;
            };
            // Declare the variables the build defines, as hadolint does.
            let mut names: Vec<String> = PREDEFINED.iter().map(|s| s.to_string()).collect();
            names.extend(file.global_args().map(|kv| kv.key.clone()));
            if let Some(stage) = ins.stage.and_then(|s| file.stages.get(s)) {
                for i in file.stage_instructions(stage) {
                    if i.index >= ins.index {
                        break;
                    }
                    if matches!(i.keyword, Keyword::Arg | Keyword::Env) {
                        names.extend(i.pairs.iter().map(|p| p.key.clone()));
                    }
                }
            }
            names.retain(|n| is_name(n));
            names.sort();
            names.dedup();
            let preamble: String = names.iter().map(|n| format!("export {n}=1\n")).collect();
            let preamble_lines = names.len();
            for lt in &run.sources {
                let script = format!("{preamble}{}\n", lt.text);
                jobs.push((script, run.shell.dialect(), lt, preamble_lines));
            }
        }
        // One batch: the runner checks many scripts per process.
        let scripts: Vec<(&str, &str)> = jobs
            .iter()
            .map(|(script, dialect, _, _)| (script.as_str(), *dialect))
            .collect();
        let results = runner.check_many(&scripts);
        for ((_, _, lt, preamble_lines), comments) in jobs.iter().zip(results) {
            let preamble_lines = *preamble_lines;
            {
                let Some(comments) = comments else {
                    continue;
                };
                for c in comments {
                    let code = format!("SC{}", c.code);
                    if EXCLUDED.contains(&c.code)
                        || c.line <= preamble_lines
                        || ignored.contains(&code)
                    {
                        continue;
                    }
                    let text = lt.text.as_str();
                    let start =
                        crate::shellcheck::offset_of(text, c.line - preamble_lines, c.column);
                    let end = crate::shellcheck::offset_of(
                        text,
                        c.end_line.saturating_sub(preamble_lines).max(1),
                        c.end_column,
                    );
                    let range = lt.range_to_source(TextRange::new(start, end.max(start)));
                    let severity = match c.level.as_str() {
                        "error" => Severity::Error,
                        "warning" => Severity::Warning,
                        "info" => Severity::Info,
                        _ => Severity::Hint,
                    };
                    let d = cx.report(range, format!("{code}: {}", c.message));
                    d.severity = severity;
                    d.equivalents = vec![code].into();
                }
            }
        }
    }
}
