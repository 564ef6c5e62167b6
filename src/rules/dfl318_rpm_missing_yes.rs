use super::shell_support::{Call, RPM_VALUE_OPTS, ZYPPER_VALUE_OPTS};
use super::{Check, Context};
use crate::diagnostic::{Edit, Fix};

crate::declare_rule! {
    /// `yum`/`dnf install` without `-y`, or `zypper install` without `-n`/`-y`.
    ///
    /// A build has no terminal to answer the confirmation prompt: yum and dnf abort
    /// ("Operation aborted"), zypper too. Use `-y`/`--assumeyes` for yum and dnf, and
    /// `zypper --non-interactive install` (or `install -y`) for zypper. `microdnf` does not
    /// prompt and is not checked.
    ///
    /// ```dockerfile invalid
    /// FROM rockylinux:9
    /// RUN dnf install httpd && dnf clean all
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM rockylinux:9
    /// RUN dnf install -y httpd && dnf clean all
    /// ```
    ///
    /// **Fix (safe):** add `-y` after the subcommand.
    pub RpmMissingYes {
        code: "DFL318",
        name: "rpm-missing-yes",
        severity: Warning,
        default: true,
        fix: Safe,
        equivalents: ["DL3030", "DL3038", "DL3034"],
        scope: Stage,
    }
}

const NEEDS_YES: &[&str] = &[
    "install",
    "groupinstall",
    "localinstall",
    "reinstall",
    "update",
    "upgrade",
    "remove",
    "erase",
    "autoremove",
    "downgrade",
    "distro-sync",
    "group",
    "module",
    "builddep",
    "swap",
];

const ZYPPER_NEEDS_YES: &[&str] = &[
    "install",
    "in",
    "remove",
    "rm",
    "update",
    "up",
    "dist-upgrade",
    "dup",
    "patch",
    "source-install",
    "si",
];

impl Check for RpmMissingYes {
    fn check(&self, cx: &mut Context<'_>) {
        let index = cx.shell();
        for run in &index.runs {
            for cmd in &run.script.commands {
                let tool = cmd.program_name();
                let (call, subs, long, short): (Call, &[&str], &[&str], &[char]) = match tool {
                    "yum" | "dnf" | "dnf5" => (
                        Call::parse(cmd.program_args(), RPM_VALUE_OPTS, true),
                        NEEDS_YES,
                        &["assumeyes", "yes"],
                        &['y'],
                    ),
                    "zypper" => (
                        Call::parse(cmd.program_args(), ZYPPER_VALUE_OPTS, true),
                        ZYPPER_NEEDS_YES,
                        &["non-interactive", "no-confirm", "yes"],
                        &['n', 'y'],
                    ),
                    _ => continue,
                };
                let Some(sub) = call.sub.filter(|_| call.sub_is(subs)) else {
                    continue;
                };
                if call.has(long, short) || cmd.pipeline_position.is_some_and(|(p, _)| p > 0) {
                    continue;
                }
                let s = sub.text.clone();
                cx.report_with_fix(
                    sub.range,
                    format!("Add -y to '{tool} {s}': the build cannot answer its prompt"),
                    Fix::safe("Add -y", vec![Edit::insert(sub.range.end, " -y")]),
                );
            }
        }
    }
}
