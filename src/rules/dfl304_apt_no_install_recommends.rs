use super::shell_support::{Call, APT_VALUE_OPTS};
use super::{Check, Context};
use crate::diagnostic::{Edit, Fix};

crate::declare_rule! {
    /// `apt-get install` without `--no-install-recommends`.
    ///
    /// By default apt also installs every *recommended* package, which often doubles the size
    /// of an image with things nothing uses (documentation, X11 helpers, extra locales).
    /// `--no-install-recommends` installs only the dependencies. An
    /// `-o APT::Install-Recommends=false` option counts too.
    ///
    /// ```dockerfile invalid
    /// FROM debian:12
    /// RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM debian:12
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl \
    ///  && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// **Fix:** add `--no-install-recommends` after `install` (offered as an unsafe fix: a
    /// program may rely on a recommended package, so check the image still works).
    pub AptNoInstallRecommends {
        code: "DFL304",
        name: "apt-no-install-recommends",
        severity: Info,
        default: true,
        fix: Unsafe,
        equivalents: ["DL3015"],
        scope: Stage,
    }
}

impl Check for AptNoInstallRecommends {
    fn check(&self, cx: &mut Context<'_>) {
        let index = cx.shell();
        for run in &index.runs {
            for cmd in &run.script.commands {
                if !matches!(cmd.program_name(), "apt-get" | "apt") {
                    continue;
                }
                let args = cmd.program_args();
                let call = Call::parse(args, APT_VALUE_OPTS, true);
                let Some(sub) = call.sub.filter(|_| call.sub_is(&["install"])) else {
                    continue;
                };
                // The split/misspelled forms are reported by misspelled-package-option.
                let near_miss = call
                    .options
                    .iter()
                    .any(|o| o.text.starts_with("--no-install") || o.text.contains("recommend"));
                let via_option = Call::value_of(args, &["-o", "--option"])
                    .iter()
                    .any(|v| v.text.contains("Install-Recommends"));
                if near_miss || via_option {
                    continue;
                }
                let name = cmd.program_name().to_string();
                cx.report_with_fix(
                    sub.range,
                    format!(
                        "Add --no-install-recommends to '{name} install' to avoid installing \
                         recommended packages"
                    ),
                    Fix::unsafe_(
                        "Add --no-install-recommends",
                        vec![Edit::insert(sub.range.end, " --no-install-recommends")],
                    ),
                );
            }
        }
    }
}
