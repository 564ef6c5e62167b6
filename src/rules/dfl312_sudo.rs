use super::{Check, Context};

crate::declare_rule! {
    /// `sudo` in a `RUN`.
    ///
    /// `RUN` already runs as the current `USER`; `sudo` adds an unpredictable TTY and signal
    /// behaviour, needs a sudoers setup, and its presence in an image lets a compromised
    /// process become root. Switch users with `USER` instead (and `gosu`/`su-exec` in an
    /// entrypoint when a process must drop privileges at run time).
    ///
    /// ```dockerfile invalid
    /// FROM debian:12
    /// USER app
    /// RUN sudo apt-get update
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM debian:12
    /// RUN apt-get update && rm -rf /var/lib/apt/lists/*
    /// USER app
    /// ```
    ///
    /// **Fix:** run the command before `USER app`, or add `USER root` … `USER app` around it.
    pub Sudo {
        code: "DFL312",
        name: "sudo",
        severity: Warning,
        default: true,
        fix: None,
        equivalents: ["DL3004"],
        scope: Stage,
    }
}

impl Check for Sudo {
    fn check(&self, cx: &mut Context<'_>) {
        let index = cx.shell();
        for run in &index.runs {
            for cmd in &run.script.commands {
                if cmd.base_name() != "sudo" {
                    continue;
                }
                let what = cmd.program_name();
                let msg = if what == "sudo" {
                    "Do not use sudo in RUN; switch users with USER".to_string()
                } else {
                    format!("Do not use sudo to run '{what}'; switch users with USER instead")
                };
                cx.report(cmd.name.range, msg);
            }
        }
    }
}
