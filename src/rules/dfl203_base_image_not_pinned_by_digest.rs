use super::dfl202_unpinned_base_image::external_base;
use super::{Check, Context};

crate::declare_rule! {
    /// A base image is not pinned by digest (opt-in).
    ///
    /// A tag such as `python:3.12-slim` is re-pushed with every patch release, so two builds
    /// of the same Dockerfile can use different base images. Pinning the digest
    /// (`python:3.12-slim@sha256:…`) makes the build reproducible and protects against a
    /// tampered tag; the tag stays as documentation. The cost is that security updates of
    /// the base arrive only when the digest is bumped (Renovate/Dependabot can do that), which
    /// is why this rule is opt-in.
    ///
    /// Skipped like DFL202: `scratch`, references to stages, unresolvable variables.
    ///
    /// ```dockerfile invalid
    /// FROM python:3.12-slim
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM python:3.12-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef AS base
    /// FROM base
    /// ```
    ///
    /// **Fix:** append `@sha256:<digest>` (`docker buildx imagetools inspect <image>` shows it).
    pub BaseImageNotPinnedByDigest {
        code: "DFL203",
        name: "base-image-not-pinned-by-digest",
        severity: Info,
        default: false,
        fix: None,
        equivalents: [],
        scope: Outline,
    }
}

impl Check for BaseImageNotPinnedByDigest {
    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.file;
        for stage in &df.stages {
            let Some(img) = external_base(df, stage) else {
                continue;
            };
            if img.digest.is_some() {
                continue;
            }
            let msg = format!(
                "Base image '{}' of stage {} is not pinned by digest; append '@sha256:<digest>' to make the build reproducible.",
                img.text,
                stage.display_name()
            );
            cx.report(stage.image.range, msg);
        }
    }
}
