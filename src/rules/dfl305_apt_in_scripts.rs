use super::{Check, Context};
use crate::diagnostic::{Edit, Fix};

crate::declare_rule! {
    /// `apt` in a `RUN`: use `apt-get` (or `apt-cache`).
    ///
    /// `apt` is the interactive front end; its command-line interface is not stable and it
    /// warns `WARNING: apt does not have a stable CLI interface. Use with caution in scripts.`
    /// `apt-get` is the scripting interface and takes the same `install`/`update`/`remove`.
    ///
    /// ```dockerfile invalid
    /// FROM ubuntu:24.04
    /// RUN apt update && apt install -y --no-install-recommends curl
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM ubuntu:24.04
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl
    /// ```
    ///
    /// **Fix:** replace `apt` with `apt-get` (offered for `install`, `update`, `upgrade`,
    /// `remove`, `purge`, `autoremove`; unsafe because the two differ in details).
    pub AptInScripts {
        code: "DFL305",
        name: "apt-in-scripts",
        severity: Warning,
        default: true,
        fix: Unsafe,
        equivalents: ["DL3027"],
        scope: Stage,
    }
}

impl Check for AptInScripts {
    fn check(&self, cx: &mut Context<'_>) {
        let index = cx.shell();
        for run in &index.runs {
            for cmd in &run.script.commands {
                if cmd.program_name() != "apt" {
                    continue;
                }
                let word = cmd.program().0;
                let sub = cmd
                    .program_args()
                    .iter()
                    .find(|a| !a.text.starts_with('-'))
                    .map(|a| a.text.as_str())
                    .unwrap_or("");
                let msg = match sub {
                    "search" | "show" | "policy" | "depends" | "rdepends" | "showsrc" => format!(
                        "Use 'apt-cache {sub}' instead of 'apt {sub}': apt has no stable CLI for scripts"
                    ),
                    "list" => "Use 'dpkg-query -l' or 'apt-cache policy' instead of 'apt list': apt has no stable CLI for scripts".to_string(),
                    _ => format!(
                        "Use 'apt-get {sub}' instead of 'apt {sub}': apt has no stable CLI for scripts"
                    ),
                };
                if matches!(
                    sub,
                    "install" | "update" | "upgrade" | "remove" | "purge" | "autoremove"
                ) && word.text == "apt"
                {
                    cx.report_with_fix(
                        word.range,
                        msg,
                        Fix::unsafe_("Use apt-get", vec![Edit::replace(word.range, "apt-get")]),
                    );
                } else {
                    cx.report(word.range, msg);
                }
            }
        }
    }
}
