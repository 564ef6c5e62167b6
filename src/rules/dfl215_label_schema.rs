use super::stages::stage_chain;
use super::{Check, Context};
use crate::syntax::{Keyword, TextRange};

crate::declare_rule! {
    /// Labels do not match the configured label schema (opt-in).
    ///
    /// Checks `LABEL` values against a schema: hadolint's `label-schema` /
    /// `strict-labels` (DL3049–DL3056, DL3058) as one rule. Options:
    ///
    /// ```json
    /// {"schema": {"org.opencontainers.image.source": "url", "maintainer": "email"},
    ///  "strict": false}
    /// ```
    ///
    /// Every key in `schema` is required in the final image (the last stage and the stages it
    /// is built `FROM`), must not be empty, and its value must have the given format:
    /// `text` (anything non-empty), `url` (`scheme://…`), `rfc3339` (`2024-05-01T12:00:00Z`),
    /// `semver` (`1.2.3`, `1.2.3-rc.1`), `hash` (a 7–64 digit hex Git commit), `spdx` (an
    /// SPDX license expression such as `MIT OR Apache-2.0`), or `email`. With
    /// `"strict": true`, labels of the final image that are not in the schema are reported.
    ///
    /// Without a schema, the formats the OCI image spec defines are checked whenever those
    /// labels are present: `org.opencontainers.image.created` (RFC 3339),
    /// `org.opencontainers.image.url`/`source`/`documentation` (URL) and
    /// `org.opencontainers.image.licenses` (SPDX). Values with variables are not checked.
    /// `ONBUILD LABEL` triggers are not checked: they label the images built from this one.
    ///
    /// ```dockerfile invalid
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.created="last tuesday" \
    ///       org.opencontainers.image.licenses="MIT/Apache" \
    ///       org.opencontainers.image.source="github.com/acme/app"
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM alpine:3.20
    /// ARG CREATED
    /// LABEL org.opencontainers.image.created="2024-05-01T12:00:00Z" \
    ///       org.opencontainers.image.licenses="MIT OR Apache-2.0" \
    ///       org.opencontainers.image.source="https://github.com/acme/app" \
    ///       org.opencontainers.image.version="$CREATED"
    /// ```
    ///
    /// **Fix:** add the missing labels and write values in the required format.
    pub LabelSchema {
        code: "DFL215",
        name: "label-schema",
        severity: Warning,
        default: false,
        fix: None,
        equivalents: ["DL3049", "DL3050", "DL3051", "DL3052", "DL3053", "DL3054", "DL3055", "DL3056", "DL3058"],
    }
}

const OCI_DEFAULTS: &[(&str, &str)] = &[
    ("org.opencontainers.image.created", "rfc3339"),
    ("org.opencontainers.image.url", "url"),
    ("org.opencontainers.image.source", "url"),
    ("org.opencontainers.image.documentation", "url"),
    ("org.opencontainers.image.licenses", "spdx"),
];

fn is_url(v: &str) -> bool {
    let Some((scheme, rest)) = v.split_once("://") else {
        return false;
    };
    let mut sc = scheme.chars();
    sc.next().is_some_and(|c| c.is_ascii_alphabetic())
        && sc.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !rest.is_empty()
        && !rest.starts_with('/')
        && !v.chars().any(char::is_whitespace)
}

fn digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

/// RFC 3339 date-time: `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`.
fn is_rfc3339(v: &str) -> bool {
    let Some((date, time)) = v.split_once(['T', 't', ' ']) else {
        return false;
    };
    let d: Vec<_> = date.split('-').collect();
    if d.len() != 3 || !digits(d[0], 4) || !digits(d[1], 2) || !digits(d[2], 2) {
        return false;
    }
    let (month, day) = (
        d[1].parse::<u32>().unwrap_or(0),
        d[2].parse::<u32>().unwrap_or(0),
    );
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return false;
    }
    let (clock, zone) = if let Some(c) = time.strip_suffix(['Z', 'z']) {
        (c, None)
    } else if let Some(i) = time.rfind(['+', '-']) {
        match (time.get(..i), time.get(i + 1..)) {
            (Some(c), Some(z)) => (c, Some(z)),
            _ => return false,
        }
    } else {
        return false;
    };
    if let Some(z) = zone {
        let zz: Vec<_> = z.split(':').collect();
        if zz.len() != 2 || !digits(zz[0], 2) || !digits(zz[1], 2) {
            return false;
        }
    }
    let (hms, frac) = match clock.split_once('.') {
        Some((h, f)) => (h, Some(f)),
        None => (clock, None),
    };
    if frac.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    let t: Vec<_> = hms.split(':').collect();
    t.len() == 3
        && t.iter().all(|p| digits(p, 2))
        && t[0].parse::<u32>().unwrap_or(99) < 24
        && t[1].parse::<u32>().unwrap_or(99) < 60
        && t[2].parse::<u32>().unwrap_or(99) < 61
}

fn is_email(v: &str) -> bool {
    let Some((local, domain)) = v.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !v
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, '<' | '>' | ','))
}

/// Checks `value` against `kind`; `Err(what it should be)`.
fn check_format(kind: &str, value: &str) -> Result<(), String> {
    let ok = match kind {
        "url" => is_url(value),
        "rfc3339" => is_rfc3339(value),
        "semver" => semver::Version::parse(value).is_ok(),
        "hash" => (7..=64).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_hexdigit()),
        "spdx" => spdx::Expression::parse(value).is_ok(),
        "email" => is_email(value),
        _ => true,
    };
    if ok {
        return Ok(());
    }
    Err(match kind {
        "url" => "a URL (scheme://host/…)",
        "rfc3339" => "an RFC 3339 time such as 2024-05-01T12:00:00Z",
        "semver" => "a semantic version such as 1.2.3",
        "hash" => "a Git commit hash (hex)",
        "spdx" => "an SPDX license expression such as MIT OR Apache-2.0",
        _ => "an email address",
    }
    .to_string())
}

impl Check for LabelSchema {
    fn check(&self, cx: &mut Context<'_>) {
        let opts = cx.options();
        let schema: Vec<(String, String)> = opts
            .and_then(|o| o.get("schema"))
            .and_then(|s| s.as_object())
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("text").to_ascii_lowercase()))
                    .collect()
            })
            .unwrap_or_default();
        let strict = opts
            .and_then(|o| o.get("strict"))
            .and_then(|s| s.as_bool())
            .unwrap_or(false);
        let kind_of = |key: &str| -> Option<String> {
            schema
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
                .or_else(|| {
                    OCI_DEFAULTS
                        .iter()
                        .find(|(k, _)| *k == key)
                        .map(|(_, v)| v.to_string())
                })
        };
        let df = cx.file;
        let mut found: Vec<(TextRange, String)> = Vec::new();
        // Formats, on every LABEL.
        for ins in df
            .instructions
            .iter()
            .filter(|i| i.keyword == Keyword::Label)
        {
            for p in &ins.pairs {
                let Some(kind) = kind_of(&p.key) else {
                    continue;
                };
                let value = p.value.clone().unwrap_or_default();
                if value.contains('$') {
                    continue;
                }
                let range = p.value_range.unwrap_or(p.range);
                if value.trim().is_empty() {
                    found.push((range, format!("Label '{}' is empty.", p.key)));
                } else if let Err(want) = check_format(&kind, value.trim()) {
                    found.push((
                        range,
                        format!("Label '{}' is '{value}', which is not {want}.", p.key),
                    ));
                }
            }
        }
        // Presence, on the final image.
        if let Some(last) = df.stages.last() {
            let chain = stage_chain(df, last.index);
            let labels: Vec<_> = chain
                .iter()
                .filter_map(|s| df.stages.get(*s))
                .flat_map(|s| df.stage_instructions(s))
                .filter(|i| i.keyword == Keyword::Label)
                .flat_map(|i| i.pairs.iter())
                .collect();
            let from = df
                .instructions
                .get(last.from)
                .map(|i| i.keyword_range.cover(i.args_range))
                .unwrap_or_default();
            let missing: Vec<_> = schema
                .iter()
                .filter(|(k, _)| !labels.iter().any(|p| &p.key == k))
                .map(|(k, _)| k.clone())
                .collect();
            if !missing.is_empty() {
                found.push((
                    from,
                    format!(
                        "The final image lacks required label{} {}. Add them with LABEL.",
                        if missing.len() == 1 { "" } else { "s" },
                        missing
                            .iter()
                            .map(|m| format!("'{m}'"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
            if strict {
                for p in &labels {
                    if !schema.iter().any(|(k, _)| k == &p.key) {
                        found.push((
                            p.key_range,
                            format!(
                                "Label '{}' is not in the label schema (strict labels).",
                                p.key
                            ),
                        ));
                    }
                }
            }
        }
        found.sort_by_key(|f| f.0);
        for (range, msg) in found {
            cx.report(range, msg);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert!(is_rfc3339("2024-05-01T12:00:00Z"));
        assert!(is_rfc3339("2024-05-01T12:00:00.123+02:00"));
        assert!(!is_rfc3339("2024-05-01"));
        assert!(!is_rfc3339("2024-13-01T12:00:00Z"));
        assert!(is_url("https://github.com/acme/app"));
        assert!(!is_url("github.com/acme/app"));
        assert!(is_email("ops@example.com"));
        assert!(!is_email("Ops <ops@example.com>"));
        assert!(check_format("semver", "1.2.3-rc.1").is_ok());
        assert!(check_format("semver", "v1.2").is_err());
        assert!(check_format("hash", "0123abc").is_ok());
        assert!(check_format("hash", "main").is_err());
        assert!(check_format("spdx", "MIT OR Apache-2.0").is_ok());
        assert!(check_format("spdx", "MIT/Apache").is_err());
    }
}
