use super::shell_support::{Call, APT_VALUE_OPTS};
use super::{Check, Context};
use crate::diagnostic::{Edit, Fix};

crate::declare_rule! {
    /// `apt-get install` (or `upgrade`, `remove`…) without `-y`.
    ///
    /// A build has no terminal: without `-y`/`--yes`/`--assume-yes` (or `-qq`, which implies
    /// it) apt-get asks for confirmation, reads end-of-file and aborts the build whenever it
    /// needs to install more than was asked.
    ///
    /// ```dockerfile invalid
    /// FROM debian:12
    /// RUN apt-get update && apt-get install --no-install-recommends curl
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM debian:12
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl
    /// RUN apt-get -qq install --no-install-recommends git
    /// ```
    ///
    /// **Fix (safe):** add `-y` after the subcommand.
    pub AptMissingYes {
        code: "DFL303",
        name: "apt-missing-yes",
        severity: Warning,
        default: true,
        fix: Safe,
        equivalents: ["DL3014"],
        scope: Stage,
    }
}

const NEEDS_YES: &[&str] = &[
    "install",
    "upgrade",
    "dist-upgrade",
    "full-upgrade",
    "remove",
    "purge",
    "autoremove",
    "build-dep",
];

impl Check for AptMissingYes {
    fn check(&self, cx: &mut Context<'_>) {
        let index = cx.shell();
        for run in &index.runs {
            for cmd in &run.script.commands {
                if cmd.program_name() != "apt-get" {
                    continue;
                }
                let call = Call::parse(cmd.program_args(), APT_VALUE_OPTS, true);
                let Some(sub) = call.sub.filter(|_| call.sub_is(NEEDS_YES)) else {
                    continue;
                };
                let quiet2 = call
                    .options
                    .iter()
                    .any(|o| o.text == "-qq" || o.text == "-q=2" || o.text == "--quiet=2");
                let assume_yes =
                    call.options.iter().any(|o| {
                        o.text.contains("Assume-Yes=true") || o.text.contains("Assume-Yes=1")
                    }) || Call::value_of(cmd.program_args(), &["-o", "--option"])
                        .iter()
                        .any(|v| v.text.contains("Assume-Yes"));
                if quiet2
                    || assume_yes
                    || call.has(&["yes", "assume-yes", "force-yes"], &['y'])
                    || cmd.in_pipeline && cmd.pipeline_position.is_some_and(|(p, _)| p > 0)
                {
                    continue;
                }
                let text = sub.text.clone();
                cx.report_with_fix(
                    sub.range,
                    format!("Add -y to 'apt-get {text}': the build cannot answer its prompt"),
                    Fix::safe("Add -y", vec![Edit::insert(sub.range.end, " -y")]),
                );
            }
        }
    }
}
