use super::{Check, Context};

crate::declare_rule! {
    /// `ln -s … /bin/sh` to change the shell `RUN` uses.
    ///
    /// Replacing `/bin/sh` changes the shell for every program in the image that runs
    /// `/bin/sh` (package scripts, `system()` calls), not only for the Dockerfile. The `SHELL`
    /// instruction changes the shell of the following `RUN`s only.
    ///
    /// ```dockerfile invalid
    /// FROM debian:12
    /// RUN ln -sf /bin/bash /bin/sh
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM debian:12
    /// SHELL ["/bin/bash", "-c"]
    /// RUN ln -s /usr/bin/python3 /usr/local/bin/python
    /// ```
    ///
    /// **Fix:** use `SHELL ["/bin/bash", "-c"]`.
    pub LnBinSh {
        code: "DFL325",
        name: "ln-bin-sh",
        severity: Warning,
        default: true,
        fix: None,
        equivalents: ["DL4005"],
        scope: Stage,
    }
}

impl Check for LnBinSh {
    fn check(&self, cx: &mut Context<'_>) {
        let index = cx.shell();
        for run in &index.runs {
            for c in &run.script.commands {
                if c.program_name() != "ln" {
                    continue;
                }
                let args = c.program_args();
                let symbolic = args.iter().any(|a| {
                    a.text == "--symbolic"
                        || (a.text.starts_with('-')
                            && !a.text.starts_with("--")
                            && a.text.contains('s'))
                });
                let target = args.iter().rfind(|a| !a.text.starts_with('-'));
                if let Some(t) = target.filter(|t| symbolic && t.text == "/bin/sh") {
                    cx.report(
                        t.range,
                        "Use the SHELL instruction instead of replacing /bin/sh with a symlink",
                    );
                }
            }
        }
    }
}
