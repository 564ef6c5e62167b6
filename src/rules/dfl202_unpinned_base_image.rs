use super::stages::expanded_image;
use super::{Check, Context};
use crate::syntax::{Dockerfile, ImageRef, Stage};

crate::declare_rule! {
    /// A base image has no tag, or the tag `latest`.
    ///
    /// `FROM python` means `FROM python:latest`, and `latest` moves: the next build silently
    /// gets a new major version, a different distribution or libc, and an image that worked
    /// yesterday breaks. Pin a version tag (or a digest, see DFL203) so builds are
    /// repeatable and upgrades are deliberate.
    ///
    /// Not reported: `scratch`, references to earlier stages (`FROM build`, compared
    /// case-insensitively), images pinned by digest (`@sha256:…`), and images written with
    /// variables that cannot be resolved from the global `ARG` defaults. `FROM ${IMAGE}` is
    /// checked with the value of `ARG IMAGE=…` declared before the first `FROM`.
    ///
    /// ```dockerfile invalid
    /// FROM node
    /// FROM python:latest
    /// ```
    ///
    /// ```dockerfile valid
    /// ARG NODE_VERSION=20.11
    /// FROM node:${NODE_VERSION}-bookworm-slim AS build
    /// FROM build
    /// FROM scratch
    /// FROM alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
    /// ```
    ///
    /// **Fix:** add an explicit version tag, e.g. `python:3.12-slim`. For images the catalog
    /// knows, the `pin-base-image` rewrite offers its suggested tags.
    pub UnpinnedBaseImage {
        code: "DFL202",
        name: "unpinned-base-image",
        severity: Warning,
        default: true,
        fix: None,
        equivalents: ["DL3006", "DL3007"],
        scope: Outline,
    }
}

/// The resolved external base image of a stage, or `None` for scratch, stage references and
/// unresolvable variables.
pub(crate) fn external_base(df: &Dockerfile, stage: &Stage) -> Option<ImageRef> {
    let img = expanded_image(df, stage)?;
    if img.text.is_empty() || img.is_scratch() {
        return None;
    }
    let plain = img.registry.is_none() && img.tag.is_none() && img.digest.is_none();
    if plain && df.first_stage_named(&img.text).is_some() {
        return None;
    }
    Some(img)
}

/// The resolved base image of a stage when this rule reports it: an external image (ARG
/// defaults resolved) with no digest and no tag or the tag `latest`. Shared with the
/// "pin base image" rewrite so both agree on what is unpinned.
pub(crate) fn unpinned_base(df: &Dockerfile, stage: &Stage) -> Option<ImageRef> {
    let img = external_base(df, stage)?;
    if img.digest.is_some() {
        return None;
    }
    match img.tag.as_deref() {
        None => Some(img),
        Some(t) if t.eq_ignore_ascii_case("latest") => Some(img),
        Some(_) => None,
    }
}

impl Check for UnpinnedBaseImage {
    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.file;
        for stage in &df.stages {
            let Some(img) = unpinned_base(df, stage) else {
                continue;
            };
            let shown = if img.text == stage.image.text {
                format!("'{}'", img.text)
            } else {
                format!("'{}' (= '{}')", stage.image.text, img.text)
            };
            let name = img.text.split(['@']).next().unwrap_or("");
            let repo = match img.tag_range {
                Some(_) => name.rsplit_once(':').map(|p| p.0).unwrap_or(name),
                None => name,
            };
            let msg = match img.tag.as_deref() {
                None => format!(
                    "Base image {shown} of stage {} has no tag, so it means '{repo}:latest' and changes under you. Pin a version, e.g. '{repo}:<version>'.",
                    stage.display_name()
                ),
                Some(_) => format!(
                    "Base image {shown} of stage {} uses the 'latest' tag, which changes under you. Pin a version, e.g. '{repo}:<version>'.",
                    stage.display_name()
                ),
            };
            cx.report(stage.image.range, msg);
        }
    }
}
