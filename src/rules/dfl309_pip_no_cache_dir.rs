use super::shell_support::{
    env_or_prefix, has_cache_mount, pip_args, shipped_runs, Call, PIP_VALUE_OPTS,
};
use super::{Check, Context};
use crate::diagnostic::{Edit, Fix};

crate::declare_rule! {
    /// `pip install` without `--no-cache-dir`.
    ///
    /// pip keeps every downloaded wheel in `~/.cache/pip`, which ends up in the layer (often
    /// larger than the installed packages). Not reported when the stage sets
    /// `ENV PIP_NO_CACHE_DIR=…` (or the command is prefixed with it), when the `RUN` mounts a
    /// cache on `/root/.cache` or `/root/.cache/pip`, or when `--cache-dir` is given.
    /// Builder stages are not checked: only the last stage and the stages it is built `FROM`
    /// reach the image (hadolint checks every stage).
    ///
    /// ```dockerfile invalid
    /// FROM python:3.12-slim
    /// RUN pip install flask==3.0.3
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM python:3.12-slim
    /// RUN pip install --no-cache-dir flask==3.0.3
    /// RUN --mount=type=cache,target=/root/.cache/pip pip install gunicorn==22.0.0
    /// ```
    ///
    /// **Fix (safe):** add `--no-cache-dir` after `install`.
    pub PipNoCacheDir {
        code: "DFL309",
        name: "pip-no-cache-dir",
        severity: Info,
        default: true,
        fix: Safe,
        equivalents: ["DL3042"],
        scope: Stage,
    }
}

impl Check for PipNoCacheDir {
    fn check(&self, cx: &mut Context<'_>) {
        let index = cx.shell();
        let file = cx.file;
        for (run, ins) in shipped_runs(file, &index) {
            if has_cache_mount(ins, &["/root/.cache/pip"]) {
                continue;
            }
            for cmd in &run.script.commands {
                let Some(args) = pip_args(cmd) else { continue };
                let call = Call::parse(args, PIP_VALUE_OPTS, true);
                let Some(sub) = call.sub.filter(|_| call.sub_is(&["install"])) else {
                    continue;
                };
                if call.has(&["no-cache-dir", "cache-dir"], &[])
                    || env_or_prefix(file, ins, cmd, "PIP_NO_CACHE_DIR")
                {
                    continue;
                }
                cx.report_with_fix(
                    sub.range,
                    "Use 'pip install --no-cache-dir' so pip's download cache is not kept in the layer",
                    Fix::safe(
                        "Add --no-cache-dir",
                        vec![Edit::insert(sub.range.end, " --no-cache-dir")],
                    ),
                );
            }
        }
    }
}
