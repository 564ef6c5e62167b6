use super::{Check, Context};

crate::declare_rule! {
    /// A command that makes no sense in a `RUN`: `ssh`, `vim`, `shutdown`, `service`, `ps`,
    /// `free`, `top`, `kill`, `mount`, `ifconfig`.
    ///
    /// Each `RUN` is a fresh container that stops when the command ends: services started
    /// there are gone in the next step, interactive tools wait for input that never comes,
    /// and inspection tools (`ps`, `top`, `free`, `ifconfig`) print the state of the build
    /// container, not of the image. Installing these tools is fine; running them is not.
    ///
    /// ```dockerfile invalid
    /// FROM debian:12
    /// RUN service nginx start
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM debian:12
    /// CMD ["nginx", "-g", "daemon off;"]
    /// ```
    ///
    /// **Fix:** start services in `CMD`/`ENTRYPOINT`, edit files with `sed` or `COPY`.
    pub UnsuitableCommand {
        code: "DFL322",
        name: "unsuitable-command",
        severity: Info,
        default: true,
        fix: None,
        equivalents: ["DL3001"],
        scope: Stage,
    }
}

const UNSUITABLE: &[&str] = &[
    "free", "ifconfig", "kill", "mount", "ps", "service", "shutdown", "ssh", "top", "vim",
];

impl Check for UnsuitableCommand {
    fn check(&self, cx: &mut Context<'_>) {
        let index = cx.shell();
        for run in &index.runs {
            for c in &run.script.commands {
                let n = c.program_name();
                if !UNSUITABLE.contains(&n) || c.in_function || c.in_condition {
                    continue;
                }
                cx.report(
                    c.program().0.range,
                    format!("'{n}' has no lasting effect in a RUN (each RUN is a fresh container that stops when it ends)"),
                );
            }
        }
    }
}
