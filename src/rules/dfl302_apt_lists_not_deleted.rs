use super::shell_support::{has_cache_mount, removes, shipped_runs, Call, APT_VALUE_OPTS};
use super::{Check, Context};

crate::declare_rule! {
    /// `apt-get update` without deleting `/var/lib/apt/lists` in the same `RUN`.
    ///
    /// The package lists downloaded by `apt-get update` (tens of MB) stay in the layer unless
    /// the same `RUN` removes them; a later `RUN rm` cannot shrink an earlier layer. Only stages
    /// that reach the image are checked (the last stage and the stages it is built `FROM`;
    /// builder stages do not ship their layers), and a `RUN` that mounts a
    /// cache on `/var/lib/apt` (`--mount=type=cache,target=/var/lib/apt`) is fine: the lists are
    /// not in the layer.
    ///
    /// ```dockerfile invalid
    /// FROM debian:12
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM debian:12
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl \
    ///  && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// **Fix:** end the `RUN` with `&& rm -rf /var/lib/apt/lists/*`, or use cache mounts.
    pub AptListsNotDeleted {
        code: "DFL302",
        name: "apt-lists-not-deleted",
        severity: Info,
        default: true,
        fix: None,
        equivalents: ["DL3009"],
        scope: Stage,
    }
}

impl Check for AptListsNotDeleted {
    fn check(&self, cx: &mut Context<'_>) {
        let index = cx.shell();
        let file = cx.file;
        for (run, ins) in shipped_runs(file, &index) {
            let dist_clean = run.script.commands.iter().any(|c| {
                matches!(c.program_name(), "apt-get" | "apt")
                    && Call::parse(c.program_args(), APT_VALUE_OPTS, true).sub_is(&["dist-clean"])
            });
            if dist_clean
                || has_cache_mount(ins, &["/var/lib/apt/lists"])
                || removes(run, &["/var/lib/apt/lists"])
            {
                continue;
            }
            let update = run.script.commands.iter().find(|c| {
                matches!(c.program_name(), "apt-get" | "apt")
                    && Call::parse(c.program_args(), APT_VALUE_OPTS, true).sub_is(&["update"])
            });
            if let Some(c) = update {
                cx.report(
                    c.range,
                    "Delete the apt lists in the same RUN as 'apt-get update' \
                     ('&& rm -rf /var/lib/apt/lists/*') or mount a cache on /var/lib/apt",
                );
            }
        }
    }
}
