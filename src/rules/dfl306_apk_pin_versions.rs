use super::shell_support::{is_path_or_url, report_unpinned, Call, APK_VALUE_OPTS};
use super::{Check, Context};

crate::declare_rule! {
    /// `apk add` of a package without a pinned version.
    ///
    /// Without `package=version` (or `~version`) the image gets whatever the repository serves
    /// on the day of the build. Alpine repositories keep only the latest revision of each
    /// package per branch, so exact pins break when it moves; `package~1.2` pins loosely.
    /// Informational for that reason. Packages named by a variable and local `.apk` files are
    /// not reported (hadolint reports them).
    ///
    /// One finding per install command: on the package when only one is unpinned, else on
    /// the command, naming the packages — a long package list gets one squiggle, not one per line.
    ///
    /// ```dockerfile invalid
    /// FROM alpine:3.20
    /// RUN apk add --no-cache curl
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM alpine:3.20
    /// RUN apk add --no-cache curl~8 git=2.45.2-r0 $EXTRA /tmp/local.apk
    /// ```
    ///
    /// **Fix:** write `package=version` or `package~version`.
    pub ApkPinVersions {
        code: "DFL306",
        name: "apk-pin-versions",
        severity: Info,
        default: true,
        fix: None,
        equivalents: ["DL3018"],
        scope: Stage,
    }
}

impl Check for ApkPinVersions {
    fn check(&self, cx: &mut Context<'_>) {
        let index = cx.shell();
        for run in &index.runs {
            for cmd in &run.script.commands {
                if cmd.program_name() != "apk" {
                    continue;
                }
                let call = Call::parse(cmd.program_args(), APK_VALUE_OPTS, true);
                if !call.sub_is(&["add"]) {
                    continue;
                }
                report_unpinned(
                    cx,
                    cmd,
                    "apk",
                    &call,
                    |p| {
                        let t = p.text.as_str();
                        p.is_static
                            && !(t.contains(['=', '~', '<', '>'])
                                || t.ends_with(".apk")
                                || is_path_or_url(t))
                    },
                    |t| format!("{t}=<version>' or '{t}~<version>"),
                );
            }
        }
    }
}
