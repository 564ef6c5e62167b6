use super::dfl202_unpinned_base_image::external_base;
use super::{Check, Context};

crate::declare_rule! {
    /// A base image comes from a registry that is not in `trustedRegistries`.
    ///
    /// Organisations often allow base images only from registries they control or vet.
    /// Configure the list with `trustedRegistries` (LSP settings, `dockerfile-lsp.toml`, or
    /// hadolint's `.hadolint.yaml`); the rule is silent while the list is empty. Entries match
    /// the registry host exactly (`docker.io` also matches images written without a registry
    /// and `index.docker.io`), or by suffix with a leading `*.` (`*.gcr.io`). Stage
    /// references, `scratch` and images with unresolvable variables are skipped.
    ///
    /// ```dockerfile invalid
    /// FROM quay.io/prometheus/busybox:latest
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM docker.io/library/alpine:3.20 AS base
    /// FROM base
    /// ```
    ///
    /// (The examples assume `trustedRegistries: ["docker.io"]`; doc examples run with that
    /// setting.)
    ///
    /// **Fix:** use an image mirrored to a trusted registry, or add the registry to the list.
    pub UntrustedRegistry {
        code: "DFL210",
        name: "untrusted-registry",
        severity: Error,
        default: true,
        fix: None,
        equivalents: ["DL3026"],
        scope: Outline,
    }
}

fn normalize(host: &str) -> String {
    let h = host.trim().to_ascii_lowercase();
    match h.as_str() {
        "index.docker.io"
        | "registry-1.docker.io"
        | "registry.hub.docker.com"
        | "hub.docker.com" => "docker.io".to_string(),
        _ => h,
    }
}

/// True when `host` is allowed by one of `trusted`.
pub(crate) fn is_trusted(host: &str, trusted: &[String]) -> bool {
    let host = normalize(host);
    trusted.iter().any(|t| {
        let t = normalize(t);
        match t.strip_prefix("*.") {
            Some(suffix) => host.ends_with(&format!(".{suffix}")),
            None => t == host,
        }
    })
}

impl Check for UntrustedRegistry {
    fn check(&self, cx: &mut Context<'_>) {
        let trusted = &cx.settings.trusted_registries;
        if trusted.is_empty() {
            return;
        }
        let df = cx.file;
        for stage in &df.stages {
            let Some(img) = external_base(df, stage) else {
                continue;
            };
            let host = img.registry_host().to_string();
            if is_trusted(&host, trusted) {
                continue;
            }
            let msg = format!(
                "Base image '{}' comes from registry '{host}', which is not a trusted registry ({}).",
                img.text,
                trusted.join(", ")
            );
            cx.report(stage.image.range, msg);
        }
    }
}
