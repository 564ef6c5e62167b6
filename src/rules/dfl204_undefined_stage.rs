use super::stages::{looks_like_image, resolve_any, used_stages, RefKind};
use super::{Check, Context};
use crate::diagnostic::{Edit, Fix};

crate::declare_rule! {
    /// A `COPY --from`, `RUN --mount=…,from=` or `FROM` names a build stage that does not exist.
    ///
    /// BuildKit resolves `--from=<name>` against the stage names (case-insensitively) and
    /// stage indexes; a name that matches no stage is pulled as an image from Docker Hub, so a
    /// misspelt stage name fails the build with `pull access denied` or
    /// `repository does not exist`. The same goes for `FROM <name>`.
    ///
    /// Because `--from` may legitimately name an image (`COPY --from=nginx:1.27 …`) or a named
    /// build context (`docker buildx build --build-context assets=./static`), this rule only
    /// reports names that look like stage names (no registry, path, tag or digest, not a
    /// well-known official image) **and** either are close to a defined stage name
    /// (`builder` for `build`) or, for `--from`, when exactly one named stage is defined but
    /// never used by anything — the stage the author most likely meant. Stage indexes
    /// (`--from=3`) are reported when there is no such stage. hadolint (DL3022) reports every
    /// unknown name, including images and build contexts.
    /// `ONBUILD COPY --from=…` triggers are not checked: they resolve against the stages of
    /// the Dockerfile that builds `FROM` this image.
    ///
    /// ```dockerfile invalid
    /// FROM golang:1.22 AS build
    /// RUN go build -o /out/app .
    ///
    /// FROM gcr.io/distroless/static-debian12
    /// COPY --from=builder /out/app /app
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM golang:1.22 AS build
    /// RUN go build -o /out/app .
    ///
    /// FROM gcr.io/distroless/static-debian12
    /// COPY --from=build /out/app /app
    /// COPY --from=nginx:1.27 /etc/nginx/mime.types /etc/
    /// ```
    ///
    /// **Fix:** replace the name with the suggested stage (a safe fix: as written the build
    /// cannot succeed unless a build context of that name is passed).
    pub UndefinedStage {
        code: "DFL204",
        name: "undefined-stage",
        severity: Error,
        default: true,
        fix: Safe,
        equivalents: ["DL3022"],
        scope: Outline,
    }
}

impl Check for UndefinedStage {
    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.file;
        let refs = cx.stage_refs();
        let used = used_stages(df, &refs);
        for r in refs.iter() {
            let name = r.name.as_str();
            if name.is_empty() || name.contains('$') {
                continue;
            }
            if r.kind != RefKind::From {
                if let Ok(index) = name.parse::<usize>() {
                    if index >= df.stages.len() {
                        let msg = format!(
                            "{}: there is no stage #{index} (this file has {} stage{}, numbered from 0).",
                            r.kind.describe(name),
                            df.stages.len(),
                            if df.stages.len() == 1 { "" } else { "s" }
                        );
                        cx.report(r.range, msg);
                    }
                    continue;
                }
            }
            if looks_like_image(name) || name.eq_ignore_ascii_case("scratch") {
                continue;
            }
            let known = match r.kind {
                RefKind::From => df.first_stage_named(name).is_some(),
                _ => resolve_any(df, name).is_some(),
            };
            if known {
                continue;
            }
            // Candidates: named stages other than the one the reference is in.
            let candidates: Vec<&str> = df
                .stages
                .iter()
                .filter(|s| s.index != r.stage)
                .filter(|s| r.kind != RefKind::From || s.index < r.stage)
                .filter_map(|s| s.name())
                .collect();
            // `set` for `license-set`: a stage whose name has the reference as a `-`/`_`
            // separated part, when only one does; otherwise the closest by edit distance.
            let by_part: Vec<&str> = candidates
                .iter()
                .copied()
                .filter(|c| {
                    c.split(['-', '_'])
                        .filter(|p| !p.is_empty())
                        .any(|p| p.eq_ignore_ascii_case(name))
                })
                .collect();
            let close = match by_part.as_slice() {
                [only] => Some(only.to_string()),
                _ => crate::syntax::suggest(name, candidates.iter().copied()),
            };
            let (suggestion, why) = match close {
                Some(s) => (s, String::new()),
                None if r.kind == RefKind::From => continue,
                None => {
                    let unused: Vec<_> = df
                        .stages
                        .iter()
                        .filter(|s| s.index != r.stage && !used[s.index] && s.name().is_some())
                        .collect();
                    match unused.as_slice() {
                        [only] => (
                            only.name().unwrap_or_default().to_string(),
                            " (defined but never used)".to_string(),
                        ),
                        _ => continue,
                    }
                }
            };
            let what = match r.kind {
                RefKind::From => "BuildKit will try to pull it as an image",
                _ => "BuildKit will try to pull it as an image unless a build context of that name is passed",
            };
            let msg = format!(
                "{}: no stage is named '{name}', so {what}. Did you mean stage '{suggestion}'{why}?",
                r.kind.describe(name)
            );
            let fix = r.name_range.map(|nr| {
                Fix::safe(
                    format!("Use stage '{suggestion}'"),
                    vec![Edit::replace(nr, suggestion.clone())],
                )
            });
            let d = cx.report(r.range, msg);
            if let Some(f) = fix {
                d.fixes.push(f);
            }
        }
    }
}
