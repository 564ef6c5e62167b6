use super::{Check, Context};

crate::declare_rule! {
    /// A stage is named `scratch` or `context`.
    ///
    /// `scratch` is the empty base image and `context` is the name of the build context in
    /// `COPY --from` / `RUN --mount=from=`; a stage with one of these names (compared
    /// case-insensitively, as BuildKit lower-cases stage names) makes references to it
    /// ambiguous.
    ///
    /// ```dockerfile invalid
    /// FROM alpine:3.20 AS scratch
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM scratch
    /// FROM alpine:3.20 AS base
    /// ```
    ///
    /// **Fix:** choose another name.
    pub ReservedStageName {
        code: "DFL116",
        name: "reserved-stage-name",
        severity: Warning,
        default: true,
        fix: None,
        equivalents: ["BuildKit:ReservedStageName"],
        scope: Outline,
    }
}

impl Check for ReservedStageName {
    fn check(&self, cx: &mut Context<'_>) {
        for stage in &cx.file.stages {
            let Some(alias) = &stage.alias else { continue };
            let lower = alias.text.to_lowercase();
            if lower == "scratch" || lower == "context" {
                cx.report(
                    alias.range,
                    format!(
                        "Stage name '{}' is reserved ('{lower}' already means something in FROM and COPY --from): choose another name.",
                        alias.text
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::snapshot;

    #[test]
    fn reserved_names() {
        insta::assert_snapshot!(snapshot(
            &super::ReservedStageName,
            "FROM alpine AS scratch\nFROM alpine AS Context\nFROM scratch\nFROM scratch AS scratchy\n"
        ));
    }
}
