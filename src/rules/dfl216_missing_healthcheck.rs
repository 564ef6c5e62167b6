use super::stages::stage_chain;
use super::{Check, Context};
use crate::syntax::Keyword;

crate::declare_rule! {
    /// The final image defines no `HEALTHCHECK` (opt-in).
    ///
    /// Without a health check, orchestrators that read it (Docker, Swarm, Compose
    /// `depends_on: condition: service_healthy`) only know whether the process is alive, not
    /// whether it serves. The last stage and the stages it is built `FROM` are searched;
    /// `HEALTHCHECK NONE` counts as a deliberate choice. Opt-in: Kubernetes ignores
    /// `HEALTHCHECK` (it uses probes), and the base image may define one.
    ///
    /// ```dockerfile invalid
    /// FROM nginx:1.27
    /// COPY site/ /usr/share/nginx/html/
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM nginx:1.27
    /// COPY site/ /usr/share/nginx/html/
    /// HEALTHCHECK --interval=30s CMD curl -fsS http://localhost/ || exit 1
    /// ```
    ///
    /// **Fix:** add `HEALTHCHECK CMD <command that fails when the service is unhealthy>`.
    pub MissingHealthcheck {
        code: "DFL216",
        name: "missing-healthcheck",
        severity: Info,
        default: false,
        fix: None,
        equivalents: ["DL3057"],
    }
}

impl Check for MissingHealthcheck {
    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.file;
        let Some(last) = df.stages.last() else { return };
        let has = stage_chain(df, last.index)
            .iter()
            .filter_map(|s| df.stages.get(*s))
            .flat_map(|s| df.stage_instructions(s))
            .any(|i| i.keyword == Keyword::Healthcheck);
        if has {
            return;
        }
        let Some(from) = df.instructions.get(last.from) else {
            return;
        };
        let range = from.keyword_range.cover(from.args_range);
        let msg = format!(
            "The final stage {} defines no HEALTHCHECK; add one so the container's health can be monitored (or HEALTHCHECK NONE to say there is none).",
            last.display_name()
        );
        cx.report(range, msg);
    }
}
