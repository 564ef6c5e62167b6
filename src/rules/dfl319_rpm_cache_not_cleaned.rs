use super::shell_support::{
    has_cache_mount, removes, shipped_runs, Call, RPM_VALUE_OPTS, ZYPPER_VALUE_OPTS,
};
use super::{Check, Context};

crate::declare_rule! {
    /// `yum`/`dnf`/`microdnf`/`zypper install` without cleaning the package cache in the same
    /// `RUN`.
    ///
    /// The metadata and packages these tools download stay in `/var/cache/{yum,dnf,zypp}` and
    /// end up in the layer. Clean them in the same `RUN` (`yum clean all`, `dnf clean all`,
    /// `microdnf clean all`, `zypper clean`, or `rm -rf /var/cache/…`), or mount a cache there.
    /// Only stages that reach the image (the last stage and the stages it is built `FROM`) are
    /// checked.
    ///
    /// ```dockerfile invalid
    /// FROM rockylinux:9
    /// RUN dnf install -y httpd
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM rockylinux:9
    /// RUN dnf install -y httpd && dnf clean all
    /// RUN --mount=type=cache,target=/var/cache/dnf dnf install -y git
    /// ```
    ///
    /// **Fix:** append `&& <tool> clean all` (`zypper clean` for zypper).
    pub RpmCacheNotCleaned {
        code: "DFL319",
        name: "rpm-cache-not-cleaned",
        severity: Info,
        default: true,
        fix: None,
        equivalents: ["DL3032", "DL3040", "DL3036"],
        scope: Stage,
    }
}

const CACHES: &[&str] = &[
    "/var/cache/yum",
    "/var/cache/dnf",
    "/var/cache/libdnf5",
    "/var/cache/zypp",
];

impl Check for RpmCacheNotCleaned {
    fn check(&self, cx: &mut Context<'_>) {
        let index = cx.shell();
        let file = cx.file;
        for (run, ins) in shipped_runs(file, &index) {
            if has_cache_mount(ins, CACHES) || removes(run, CACHES) {
                continue;
            }
            let cmds = &run.script.commands;
            let cleaned = |tool: &str| {
                cmds.iter().any(|c| {
                    let n = c.program_name();
                    let same = n == tool
                        || (matches!(n, "yum" | "dnf" | "dnf5" | "microdnf")
                            && matches!(tool, "yum" | "dnf" | "dnf5" | "microdnf"));
                    same && c
                        .program_args()
                        .iter()
                        .any(|a| a.text == "clean" || a.text == "cc")
                })
            };
            for c in cmds {
                let tool = c.program_name();
                let (values, subs): (&[&str], &[&str]) = match tool {
                    "yum" | "dnf" | "dnf5" | "microdnf" => (
                        RPM_VALUE_OPTS,
                        &[
                            "install",
                            "groupinstall",
                            "localinstall",
                            "update",
                            "upgrade",
                            "reinstall",
                        ],
                    ),
                    "zypper" => (
                        ZYPPER_VALUE_OPTS,
                        &["install", "in", "update", "up", "dist-upgrade", "dup"],
                    ),
                    _ => continue,
                };
                let call = Call::parse(c.program_args(), values, true);
                if !call.sub_is(subs) || cleaned(tool) {
                    continue;
                }
                let clean = if tool == "zypper" {
                    "zypper clean".to_string()
                } else {
                    format!("{tool} clean all")
                };
                cx.report(
                    c.range,
                    format!("Run '{clean}' in the same RUN as '{tool} install' so the package cache is not kept in the layer"),
                );
                break;
            }
        }
    }
}
