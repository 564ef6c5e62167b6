use super::shell_support::{has_cache_mount, shipped_runs, Call};
use super::{Check, Context};

crate::declare_rule! {
    /// `yarn install` (Yarn 1) without `yarn cache clean` in the same `RUN`.
    ///
    /// Yarn 1 keeps a copy of every downloaded package in its global cache
    /// (`/usr/local/share/.cache/yarn`), which stays in the layer. Clean it in the same `RUN`,
    /// or mount a cache there. Yarn 2+ projects (`--immutable`) keep their cache in the project
    /// and are not reported.
    /// Builder stages are not checked: only the last stage and the stages it is built `FROM`
    /// reach the image (hadolint checks every stage).
    ///
    /// ```dockerfile invalid
    /// FROM node:22-alpine
    /// COPY package.json yarn.lock ./
    /// RUN yarn install --frozen-lockfile
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM node:22-alpine
    /// COPY package.json yarn.lock ./
    /// RUN yarn install --frozen-lockfile && yarn cache clean
    /// ```
    ///
    /// **Fix:** append `&& yarn cache clean`.
    pub YarnCacheClean {
        code: "DFL315",
        name: "yarn-cache-clean",
        severity: Info,
        default: true,
        fix: None,
        equivalents: ["DL3060"],
        scope: Stage,
    }
}

impl Check for YarnCacheClean {
    fn check(&self, cx: &mut Context<'_>) {
        let index = cx.shell();
        let file = cx.file;
        for (run, ins) in shipped_runs(file, &index) {
            if has_cache_mount(
                ins,
                &[
                    "/usr/local/share/.cache/yarn",
                    "/root/.cache/yarn",
                    "/root/.yarn",
                ],
            ) {
                continue;
            }
            let cmds = &run.script.commands;
            let cleans = cmds.iter().any(|c| {
                c.is("yarn") && {
                    let call = Call::parse(c.program_args(), &[], true);
                    call.sub_is(&["cache"])
                        && call.operands.first().is_some_and(|o| o.text == "clean")
                }
            });
            if cleans {
                continue;
            }
            for c in cmds {
                if !c.is("yarn") || c.in_function {
                    continue;
                }
                let call = Call::parse(c.program_args(), &[], true);
                if !(call.sub.is_none() || call.sub_is(&["install", "add", "global"]))
                    || call.has(
                        &["immutable", "immutable-cache", "version", "help"],
                        &['v', 'h'],
                    )
                {
                    continue;
                }
                let what = call.sub.map(|s| s.text.as_str()).unwrap_or("install");
                cx.report(
                    c.range,
                    format!("Run 'yarn cache clean' in the same RUN as 'yarn {what}' so yarn's cache is not kept in the layer"),
                );
            }
        }
    }
}
