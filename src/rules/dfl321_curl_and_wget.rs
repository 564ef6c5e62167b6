use super::shell_support::line_of;
use super::{Check, Context};

crate::declare_rule! {
    /// A stage uses both `curl` and `wget`.
    ///
    /// Both download files; installing and using both in one image costs space and two sets of
    /// flags to get right (`curl -fsSL`, `wget -q`). Pick one. Reported once per stage, on the
    /// first use of the tool that appears second.
    ///
    /// ```dockerfile invalid
    /// FROM debian:12
    /// RUN curl -fsSL https://example.com/a.tgz -o /tmp/a.tgz
    /// RUN wget -q https://example.com/b.tgz -O /tmp/b.tgz
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM debian:12
    /// RUN curl -fsSL https://example.com/a.tgz -o /tmp/a.tgz
    /// RUN curl -fsSL https://example.com/b.tgz -o /tmp/b.tgz
    /// ```
    ///
    /// **Fix:** use one of them for every download.
    pub CurlAndWget {
        code: "DFL321",
        name: "curl-and-wget",
        severity: Info,
        default: true,
        fix: None,
        equivalents: ["DL4001"],
        scope: Stage,
        cites_lines: true,
    }
}

impl Check for CurlAndWget {
    fn check(&self, cx: &mut Context<'_>) {
        let index = cx.shell();
        let file = cx.file;
        for stage in 0..file.stages.len() {
            let mut first: Option<(&str, usize)> = None;
            'runs: for run in index.runs.iter().filter(|r| r.stage == Some(stage)) {
                for c in &run.script.commands {
                    let n = c.program_name();
                    if n != "curl" && n != "wget" {
                        continue;
                    }
                    match first {
                        None => {
                            first = Some((if n == "curl" { "curl" } else { "wget" }, c.range.start))
                        }
                        Some((f, at)) if f != n => {
                            let range = c.program().0.range;
                            cx.report(
                                range,
                                format!(
                                    "This stage uses both {f} (line {}) and {n}: use one of them",
                                    line_of(file, at)
                                ),
                            );
                            break 'runs;
                        }
                        _ => {}
                    }
                }
            }
        }
    }
}
