use super::{Check, Context};
use crate::diagnostic::{Edit, Fix};

crate::declare_rule! {
    /// `wget` without a quiet or progress option.
    ///
    /// wget's default progress bar is redrawn for every chunk; in a build log (no terminal) it
    /// turns into thousands of lines. Use `-q`, `-nv`/`--no-verbose` or
    /// `--progress=dot:giga`.
    ///
    /// ```dockerfile invalid
    /// FROM debian:12
    /// RUN wget https://example.com/app.tgz
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM debian:12
    /// RUN wget --progress=dot:giga https://example.com/app.tgz && wget -qO- https://example.com/x
    /// ```
    ///
    /// **Fix:** add `--progress=dot:giga` (offered as an unsafe fix: BusyBox `wget`, the one in
    /// Alpine images, knows only `-q`).
    pub WgetProgress {
        code: "DFL324",
        name: "wget-progress",
        severity: Info,
        default: true,
        fix: Unsafe,
        equivalents: ["DL3047"],
        scope: Stage,
    }
}

impl Check for WgetProgress {
    fn check(&self, cx: &mut Context<'_>) {
        let index = cx.shell();
        for run in &index.runs {
            for c in &run.script.commands {
                if c.program_name() != "wget" {
                    continue;
                }
                let quiet = c.program_args().iter().any(|a| {
                    let t = a.text.as_str();
                    if let Some(l) = t.strip_prefix("--") {
                        l.starts_with("progress")
                            || matches!(l, "quiet" | "no-verbose" | "help" | "version")
                            || l.starts_with("output-file")
                            || l.starts_with("append-output")
                    } else if let Some(s) = t.strip_prefix('-') {
                        s == "nv" || s.contains(['q', 'o', 'a', 'h', 'V'])
                    } else {
                        false
                    }
                });
                if quiet || !c.program().0.is_static {
                    continue;
                }
                let name = c.program().0.range;
                cx.report_with_fix(
                    name,
                    "Add --progress=dot:giga (or -q/-nv) to wget: its progress bar floods the build log",
                    Fix::unsafe_(
                        "Add --progress=dot:giga",
                        vec![Edit::insert(name.end, " --progress=dot:giga")],
                    ),
                );
            }
        }
    }
}
