use super::dfl313_misspelled_package_option::is_split_option;
use super::shell_support::{is_path_or_url, report_unpinned, Call, APT_VALUE_OPTS};
use super::{Check, Context};

crate::declare_rule! {
    /// `apt-get install` of a package without a pinned version.
    ///
    /// Without `package=version` the image gets whatever version the mirror serves on the day
    /// of the build, so two builds of the same Dockerfile can differ. Pinning trades that for
    /// maintenance: Debian and Ubuntu mirrors drop superseded versions, and a pinned build then
    /// fails — which is why this rule is informational.
    ///
    /// Unlike hadolint, local packages (`./app.deb`, `/tmp/x.deb`) and packages named by a
    /// variable (`$PKGS`, `${DEPS}`) are not reported: their version is not written here.
    ///
    /// One finding per install command: on the package when only one is unpinned, else on
    /// the command, naming the packages — a long package list gets one squiggle, not one per line.
    ///
    /// ```dockerfile invalid
    /// FROM debian:12
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl \
    ///  && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM debian:12
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 ./local.deb $EXTRA \
    ///  && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// **Fix:** write `package=version` (`apt-cache policy package` shows the candidate).
    pub AptPinVersions {
        code: "DFL301",
        name: "apt-pin-versions",
        severity: Info,
        default: true,
        fix: None,
        equivalents: ["DL3008"],
        scope: Stage,
    }
}

impl Check for AptPinVersions {
    fn check(&self, cx: &mut Context<'_>) {
        let index = cx.shell();
        for run in &index.runs {
            for cmd in &run.script.commands {
                if !matches!(cmd.program_name(), "apt-get" | "apt") {
                    continue;
                }
                let call = Call::parse(cmd.program_args(), APT_VALUE_OPTS, true);
                if !call.sub_is(&["install"]) {
                    continue;
                }
                // `--no-install recommends`: the tail is reported by misspelled-package-option.
                let args = cmd.program_args();
                let split_tails: std::collections::HashSet<usize> = args
                    .windows(2)
                    .filter(|w| is_split_option(cmd.program_name(), &w[0].text, &w[1].text))
                    .map(|w| w[1].range.start)
                    .collect();
                report_unpinned(
                    cx,
                    cmd,
                    cmd.program_name(),
                    &call,
                    |p| {
                        let t = p.text.as_str();
                        !(split_tails.contains(&p.range.start)
                            || !p.is_static
                            || t.contains('=')
                            || t.ends_with(".deb")
                            || is_path_or_url(t))
                    },
                    |t| format!("{t}=<version>"),
                );
            }
        }
    }
}
