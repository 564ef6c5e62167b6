use super::{Check, Context};
use crate::syntax::Keyword;

crate::declare_rule! {
    /// A `LABEL` key does not follow Docker's key format.
    ///
    /// Docker recommends label keys of lower-case letters, digits, `.` and `-`, starting and
    /// ending with a letter or digit, without `..` or `--`, namespaced by reverse DNS
    /// (`org.opencontainers.image.source`); the `com.docker.*`, `io.docker.*` and
    /// `org.dockerproject.*` namespaces are reserved for Docker. Tools that query labels
    /// (`docker ps --filter label=…`, registries, scanners) expect this form. Keys with
    /// variables are skipped; ONBUILD `LABEL` triggers are checked.
    ///
    /// ```dockerfile invalid
    /// FROM alpine:3.20
    /// LABEL Maintainer="ops@example.com" com.docker.extension=1 build_date=2024
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM alpine:3.20
    /// LABEL maintainer="ops@example.com" org.opencontainers.image.source="https://example.com/repo"
    /// ```
    ///
    /// **Fix:** use lower-case, dot-separated keys in your own namespace.
    pub InvalidLabelKey {
        code: "DFL214",
        name: "invalid-label-key",
        severity: Info,
        default: true,
        fix: None,
        equivalents: ["DL3048"],
        scope: Stage,
    }
}

/// Why `key` is not a good label key, if it is not.
fn problem(key: &str) -> Option<&'static str> {
    let lower = key.to_ascii_lowercase();
    if ["com.docker.", "io.docker.", "org.dockerproject."]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        return Some(
            "uses a namespace reserved for Docker (com.docker.*, io.docker.*, org.dockerproject.*)",
        );
    }
    if key
        .chars()
        .any(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-'))
    {
        return Some("should contain only lower-case letters, digits, '.' and '-'");
    }
    let edge = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if !edge(key.chars().next()) || !edge(key.chars().last()) {
        return Some("should start and end with a lower-case letter or digit");
    }
    if key.contains("..") || key.contains("--") {
        return Some("should not contain '..' or '--'");
    }
    None
}

impl Check for InvalidLabelKey {
    fn check(&self, cx: &mut Context<'_>) {
        let found: Vec<_> = cx
            .with_triggers_of(&[Keyword::Label])
            .into_iter()
            .flat_map(|i| i.pairs.iter())
            .filter(|p| !p.key.is_empty() && !p.key.contains('$'))
            .filter_map(|p| problem(&p.key).map(|why| (p.key_range, p.key.clone(), why)))
            .collect();
        for (range, key, why) in found {
            cx.report(range, format!("Label key '{key}' {why}."));
        }
    }
}
