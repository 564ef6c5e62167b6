use super::shell_support::{has_cache_mount, removes, shipped_runs, Call, APK_VALUE_OPTS};
use super::{Check, Context};
use crate::diagnostic::{Edit, Fix};

crate::declare_rule! {
    /// `apk add` without `--no-cache`.
    ///
    /// Without `--no-cache`, apk keeps the package index (and with a cache directory, the
    /// packages) in `/var/cache/apk`, in the layer. `apk add --no-cache` fetches a fresh index
    /// and keeps nothing, which also makes a separate `apk update` unnecessary. A `RUN` that
    /// mounts a cache on `/var/cache/apk` or `/etc/apk/cache`, or removes `/var/cache/apk/*`
    /// itself, is fine, and so is `apk add --no-network` (it downloads nothing).
    /// Builder stages are not checked: only the last stage and the stages it is built `FROM`
    /// reach the image (hadolint checks every stage).
    ///
    /// ```dockerfile invalid
    /// FROM alpine:3.20
    /// RUN apk add curl~8
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM alpine:3.20
    /// RUN apk add --no-cache curl~8
    /// RUN --mount=type=cache,target=/var/cache/apk apk add git~2
    /// ```
    ///
    /// **Fix (safe):** add `--no-cache` after `add`.
    pub ApkNoCache {
        code: "DFL307",
        name: "apk-no-cache",
        severity: Info,
        default: true,
        fix: Safe,
        equivalents: ["DL3019"],
        scope: Stage,
    }
}

impl Check for ApkNoCache {
    fn check(&self, cx: &mut Context<'_>) {
        let index = cx.shell();
        let file = cx.file;
        for (run, ins) in shipped_runs(file, &index) {
            if has_cache_mount(ins, &["/var/cache/apk", "/etc/apk/cache"])
                || removes(run, &["/var/cache/apk"])
            {
                continue;
            }
            for cmd in &run.script.commands {
                if cmd.program_name() != "apk" {
                    continue;
                }
                let call = Call::parse(cmd.program_args(), APK_VALUE_OPTS, true);
                let Some(sub) = call.sub.filter(|_| call.sub_is(&["add"])) else {
                    continue;
                };
                if call.has(&["no-cache", "no-network"], &[]) {
                    continue;
                }
                cx.report_with_fix(
                    sub.range,
                    "Use 'apk add --no-cache' so the package index is not kept in the layer",
                    Fix::safe(
                        "Add --no-cache",
                        vec![Edit::insert(sub.range.end, " --no-cache")],
                    ),
                );
            }
        }
    }
}
