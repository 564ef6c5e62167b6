use super::shell_support::{
    is_path_or_url, report_unpinned, Call, RPM_VALUE_OPTS, ZYPPER_VALUE_OPTS,
};
use super::{Check, Context};

crate::declare_rule! {
    /// `yum`/`dnf`/`microdnf`/`zypper install` of a package without a version.
    ///
    /// Without a version (`httpd-2.4.57` for yum/dnf, `httpd=2.4.57` or `httpd>=2.4` for
    /// zypper) the image gets whatever the repository serves on the day of the build.
    /// Informational: repositories drop old versions, so exact pins need maintenance. Groups
    /// (`@development`), local `.rpm` files, URLs and packages named by a variable are not
    /// reported.
    ///
    /// One finding per install command: on the package when only one is unpinned, else on
    /// the command, naming the packages — a long package list gets one squiggle, not one per line.
    ///
    /// ```dockerfile invalid
    /// FROM rockylinux:9
    /// RUN dnf install -y httpd && dnf clean all
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM rockylinux:9
    /// RUN dnf install -y httpd-2.4.57 @development && dnf clean all
    /// ```
    ///
    /// **Fix:** add the version to the package name.
    pub RpmPinVersions {
        code: "DFL320",
        name: "rpm-pin-versions",
        severity: Info,
        default: true,
        fix: None,
        equivalents: ["DL3033", "DL3041", "DL3037"],
        scope: Stage,
    }
}

/// `name-1.2…`: a dash followed by a digit.
fn has_dash_version(t: &str) -> bool {
    t.as_bytes()
        .windows(2)
        .any(|w| w[0] == b'-' && w[1].is_ascii_digit())
}

impl Check for RpmPinVersions {
    fn check(&self, cx: &mut Context<'_>) {
        let index = cx.shell();
        for run in &index.runs {
            for cmd in &run.script.commands {
                let tool = cmd.program_name();
                let values = match tool {
                    "yum" | "dnf" | "dnf5" | "microdnf" => RPM_VALUE_OPTS,
                    "zypper" => ZYPPER_VALUE_OPTS,
                    _ => continue,
                };
                let call = Call::parse(cmd.program_args(), values, true);
                if !call.sub_is(&["install", "in"]) {
                    continue;
                }
                let zypper = tool == "zypper";
                report_unpinned(
                    cx,
                    cmd,
                    tool,
                    &call,
                    |p| {
                        let t = p.text.as_str();
                        p.is_static
                            && !(t.starts_with('@')
                                || t.ends_with(".rpm")
                                || is_path_or_url(t)
                                || t.contains(['=', '<', '>', '*'])
                                || (tool != "zypper" && has_dash_version(t))
                                || t.contains('('))
                    },
                    |t| {
                        if zypper {
                            format!("{t}=<version>")
                        } else {
                            format!("{t}-<version>")
                        }
                    },
                );
            }
        }
    }
}
