use super::{Check, Context};

crate::declare_rule! {
    /// `useradd` with a large UID and without `-l`/`--no-log-init`.
    ///
    /// `useradd` reserves a record for the UID in `/var/log/lastlog` and `/var/log/faillog`;
    /// these are sparse files, but image layers store them expanded, so a UID such as 100000
    /// adds tens of megabytes (a UID near 2^31, hundreds of gigabytes, and the build runs out of
    /// disk). `-l` skips the log records.
    ///
    /// ```dockerfile invalid
    /// FROM debian:12
    /// RUN useradd -u 1000000 app
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM debian:12
    /// RUN useradd -l -u 1000000 app && useradd -u 1001 other
    /// ```
    ///
    /// **Fix:** add `-l` (`--no-log-init`).
    pub UseraddHighUid {
        code: "DFL323",
        name: "useradd-high-uid",
        severity: Warning,
        default: true,
        fix: None,
        equivalents: ["DL3046"],
        scope: Stage,
    }
}

impl Check for UseraddHighUid {
    fn check(&self, cx: &mut Context<'_>) {
        let index = cx.shell();
        for run in &index.runs {
            for c in &run.script.commands {
                if c.program_name() != "useradd" {
                    continue;
                }
                let args = c.program_args();
                let no_log_init = args.iter().any(|a| {
                    a.text == "--no-log-init"
                        || (a.text.starts_with('-')
                            && !a.text.starts_with("--")
                            && a.text.contains('l'))
                });
                if no_log_init {
                    continue;
                }
                let mut i = 0;
                while let Some(a) = args.get(i) {
                    let uid = if a.text == "-u" || a.text == "--uid" {
                        i += 1;
                        args.get(i)
                    } else {
                        None
                    };
                    if let Some(u) = uid {
                        let value = u.text.strip_prefix("--uid=").unwrap_or(&u.text);
                        if let Ok(n) = value.parse::<u64>() {
                            if n > 65535 {
                                cx.report(
                                    u.range,
                                    format!("useradd with UID {n} without -l bloats /var/log/lastlog and faillog in the layer: add -l"),
                                );
                            }
                        }
                    }
                    i += 1;
                }
            }
        }
    }
}
