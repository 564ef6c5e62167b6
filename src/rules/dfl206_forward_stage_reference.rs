use super::stages::{line_of, resolve_any, resolve_base, RefKind};
use super::{Check, Context};

crate::declare_rule! {
    /// A stage refers to a stage that is defined further down the file.
    ///
    /// `FROM <name>` only resolves stages defined **above** it: when the stage is defined
    /// below, BuildKit pulls an image called `<name>` instead, which is almost never what was
    /// meant. `COPY --from=<name>` / `RUN --mount=…,from=<name>` to a later stage does work
    /// with BuildKit (it resolves `--from` over all stages), but not with the legacy builder,
    /// and it hides the build order from readers; hadolint reports it too (DL3022).
    /// `ONBUILD` triggers are not checked (they run in another Dockerfile's build).
    ///
    /// ```dockerfile invalid
    /// FROM alpine:3.20
    /// COPY --from=build /out/app /usr/local/bin/app
    ///
    /// FROM golang:1.22 AS build
    /// RUN go build -o /out/app .
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM golang:1.22 AS build
    /// RUN go build -o /out/app .
    ///
    /// FROM alpine:3.20
    /// COPY --from=build /out/app /usr/local/bin/app
    /// ```
    ///
    /// **Fix:** move the referenced stage above the stage that uses it.
    pub ForwardStageReference {
        code: "DFL206",
        name: "forward-stage-reference",
        severity: Warning,
        default: true,
        fix: None,
        equivalents: ["DL3022"],
        scope: Outline,
        cites_lines: true,
    }
}

impl Check for ForwardStageReference {
    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.file;
        for r in cx.stage_refs().iter() {
            let target = match r.kind {
                RefKind::From => {
                    if resolve_base(df, &r.name, r.stage).is_some() {
                        continue;
                    }
                    df.stages
                        .iter()
                        .skip(r.stage + 1)
                        .find(|s| s.name().is_some_and(|n| n.eq_ignore_ascii_case(&r.name)))
                        .map(|s| s.index)
                }
                _ => resolve_any(df, &r.name).filter(|t| *t > r.stage),
            };
            let Some(t) = target else { continue };
            let Some(ts) = df.stages.get(t) else { continue };
            let line = df
                .instructions
                .get(ts.from)
                .map(|i| line_of(df, i.range.start))
                .unwrap_or(0);
            let msg = match r.kind {
                RefKind::From => format!(
                    "FROM {}: stage {} is defined below (line {line}); FROM only sees earlier stages, so BuildKit pulls an image called '{}' instead. Move that stage above this one.",
                    r.name,
                    ts.display_name(),
                    r.name
                ),
                _ => format!(
                    "{}: stage {} is defined below (line {line}). BuildKit accepts this, the legacy builder does not; move that stage above this one.",
                    r.kind.describe(&r.name),
                    ts.display_name()
                ),
            };
            cx.report(r.range, msg);
        }
    }
}
