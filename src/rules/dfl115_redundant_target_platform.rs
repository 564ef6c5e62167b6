use super::{Check, Context};
use crate::diagnostic::{Edit, Fix};
use crate::syntax::TextRange;

crate::declare_rule! {
    /// `FROM --platform=$TARGETPLATFORM` repeats the default.
    ///
    /// Every stage is built for the target platform unless told otherwise, so the flag adds
    /// nothing (and suggests to readers that something special happens).
    ///
    /// ```dockerfile invalid
    /// FROM --platform=$TARGETPLATFORM alpine:3.20
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM alpine:3.20
    /// FROM --platform=$BUILDPLATFORM golang:1.22 AS build
    /// ```
    ///
    /// **Fix (safe):** remove the flag.
    pub RedundantTargetPlatform {
        code: "DFL115",
        name: "redundant-target-platform",
        severity: Info,
        default: true,
        fix: Safe,
        equivalents: ["BuildKit:RedundantTargetPlatform"],
        tags: [Unnecessary],
        scope: Outline,
    }
}

impl Check for RedundantTargetPlatform {
    fn check(&self, cx: &mut Context<'_>) {
        for stage in &cx.file.stages {
            let Some(flag) = &stage.platform else {
                continue;
            };
            let Some(value) = flag.value.as_deref() else {
                continue;
            };
            if value != "$TARGETPLATFORM" && value != "${TARGETPLATFORM}" {
                continue;
            }
            let bytes = cx.text.as_bytes();
            let mut end = flag.range.end;
            while matches!(bytes.get(end), Some(b' ' | b'\t')) {
                end += 1;
            }
            cx.report_with_fix(
                flag.range,
                format!(
                    "Setting platform to predefined {value} in FROM is redundant as this is the default behavior: remove '--platform={value}'."
                ),
                Fix::safe(
                    "Remove the --platform flag",
                    vec![Edit::delete(TextRange::new(flag.range.start, end))],
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::snapshot;

    #[test]
    fn target_platform() {
        insta::assert_snapshot!(snapshot(
            &super::RedundantTargetPlatform,
            "FROM --platform=$TARGETPLATFORM scratch\nFROM --platform=${TARGETPLATFORM}  scratch AS b\nFROM --platform=$BUILDPLATFORM scratch\nFROM --platform=${TARGETPLATFORM:-linux/amd64} scratch\n"
        ));
    }
}
