use super::stages::{parent_stage, resolve_any, RefKind};
use super::{Check, Context};

crate::declare_rule! {
    /// A stage copies or mounts from itself, or from a stage that depends on it.
    ///
    /// `COPY --from=<name>` and `RUN --mount=…,from=<name>` make the current stage depend on
    /// the named stage. A stage cannot depend on itself, directly or through other stages:
    /// BuildKit stops with `circular dependency detected on stage: <name>`.
    /// `ONBUILD` triggers are not checked (they run in another Dockerfile's build).
    ///
    /// ```dockerfile invalid
    /// FROM node:20 AS web
    /// COPY --from=web /app/dist /srv
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM node:20 AS build
    /// RUN npm ci && npm run build
    ///
    /// FROM nginx:1.27 AS web
    /// COPY --from=build /app/dist /usr/share/nginx/html
    /// ```
    ///
    /// **Fix:** copy from the stage that produces the files; to use files of the current
    /// stage, refer to them by path.
    pub CircularStageDependency {
        code: "DFL205",
        name: "circular-stage-dependency",
        severity: Error,
        default: true,
        fix: None,
        equivalents: ["DL3023"],
    }
}

impl Check for CircularStageDependency {
    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.file;
        let refs = cx.stage_refs();
        let n = df.stages.len();
        // deps[s]: stages s depends on (its FROM base and every --from / mount source).
        let mut deps: Vec<Vec<usize>> = vec![Vec::new(); n];
        for s in &df.stages {
            if let Some(p) = parent_stage(df, s) {
                deps[s.index].push(p);
            }
        }
        let resolved: Vec<Option<usize>> = refs
            .iter()
            .map(|r| match r.kind {
                RefKind::From => None,
                _ => resolve_any(df, &r.name),
            })
            .collect();
        for (r, t) in refs.iter().zip(&resolved) {
            if let Some(t) = t {
                if let Some(d) = deps.get_mut(r.stage) {
                    d.push(*t);
                }
            }
        }
        let reaches = |from: usize, to: usize| -> bool {
            let mut seen = vec![false; n];
            let mut stack = vec![from];
            while let Some(s) = stack.pop() {
                if s == to {
                    return true;
                }
                if std::mem::replace(&mut seen[s], true) {
                    continue;
                }
                stack.extend(deps[s].iter().copied());
            }
            false
        };
        for (r, t) in refs.iter().zip(&resolved) {
            let Some(t) = *t else { continue };
            let here = df.stages[r.stage].display_name();
            if t == r.stage {
                let msg = format!(
                    "{} refers to stage {here}, the stage it is in: a stage cannot copy from itself (BuildKit: circular dependency). Refer to the files by path, or copy from the stage that produces them.",
                    r.kind.describe(&r.name)
                );
                cx.report(r.range, msg);
            } else if reaches(t, r.stage) {
                let msg = format!(
                    "{} makes stage {here} depend on stage {}, which itself depends on {here}: BuildKit fails with a circular dependency.",
                    r.kind.describe(&r.name),
                    df.stages[t].display_name()
                );
                cx.report(r.range, msg);
            }
        }
    }
}
