use super::{Check, Context};
use crate::diagnostic::{Edit, Fix};

crate::declare_rule! {
    /// A stage name contains upper-case letters.
    ///
    /// BuildKit lower-cases stage names, so `AS BuildStage` is really `buildstage`; writing
    /// it in lower case avoids the surprise when the name is used in `--target` or
    /// `COPY --from`.
    ///
    /// ```dockerfile invalid
    /// FROM golang:1.22 AS BuildStage
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM golang:1.22 AS build-stage
    /// ```
    ///
    /// **Fix (safe):** lower-case the name (references stay valid: they are case-insensitive).
    pub StageNameCasing {
        code: "DFL118",
        name: "stage-name-casing",
        severity: Info,
        default: true,
        fix: Safe,
        equivalents: ["BuildKit:StageNameCasing"],
        scope: Outline,
    }
}

impl Check for StageNameCasing {
    fn check(&self, cx: &mut Context<'_>) {
        for stage in &cx.file.stages {
            let Some(alias) = &stage.alias else { continue };
            let lower = alias.text.to_lowercase();
            if alias.text == lower || alias.raw != alias.text {
                continue;
            }
            cx.report_with_fix(
                alias.range,
                format!(
                    "Stage name '{}' should be lowercase: write '{lower}'.",
                    alias.text
                ),
                Fix::safe(
                    format!("Rename to '{lower}'"),
                    vec![Edit::replace(alias.range, lower.clone())],
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::snapshot;

    #[test]
    fn upper_case_names() {
        insta::assert_snapshot!(snapshot(
            &super::StageNameCasing,
            "FROM alpine AS BadStageName\nFROM alpine AS good-name\nFROM alpine\n"
        ));
    }
}
