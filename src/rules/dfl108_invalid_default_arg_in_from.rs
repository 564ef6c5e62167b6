use super::buildkit::GlobalScope;
use super::{Check, Context};
use regex::Regex;
use std::sync::LazyLock;

crate::declare_rule! {
    /// With the global `ARG` defaults alone, a `FROM` expands to an empty or invalid image name.
    ///
    /// BuildKit expands every `FROM` as if no `--build-arg` were given: `ARG VERSION` without
    /// a default makes `FROM python:$VERSION` become `python:`, which only works when every
    /// build passes `--build-arg VERSION=…`. Builtin platform ARGs get a representative value
    /// (`linux`, `amd64`).
    ///
    /// ```dockerfile invalid
    /// ARG VERSION
    /// FROM python:$VERSION
    /// ```
    ///
    /// ```dockerfile valid
    /// ARG VERSION=3.12
    /// FROM python:$VERSION
    /// ARG VARIANT
    /// FROM busybox:stable${VARIANT}
    /// ```
    ///
    /// **Fix:** give the `ARG` a default that makes a valid image reference.
    pub InvalidDefaultArgInFrom {
        code: "DFL108",
        name: "invalid-default-arg-in-from",
        severity: Warning,
        default: true,
        fix: None,
        equivalents: ["BuildKit:InvalidDefaultArgInFrom"],
        scope: Outline,
    }
}

static REFERENCE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    // docker/distribution reference grammar (name[:tag][@digest]).
    let comp = r"[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
    let dcomp = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    let domain = format!(r"(?:{dcomp}(?:\.{dcomp})*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?");
    // Go's `\w` is ASCII; the regex crate's is Unicode (and compiling 128 repetitions of the
    // Unicode class took ~30 ms, paid by the first lint of every session).
    let tag = r"[0-9A-Za-z_][0-9A-Za-z_.-]{0,127}";
    let digest = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    Regex::new(&format!(
        r"^(?:{domain}/)?{comp}(?:/{comp})*(?::{tag})?(?:@{digest})?$"
    ))
    .ok()
});

/// True when `s` parses as a normalized image reference (ParseNormalizedNamed).
pub(crate) fn is_valid_reference(s: &str) -> bool {
    if s.is_empty() || s.len() > 512 {
        return false;
    }
    if s.len() == 64
        && s.chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
    {
        return false;
    }
    let Some(re) = REFERENCE.as_ref() else {
        return true;
    };
    re.is_match(s)
}

impl Check for InvalidDefaultArgInFrom {
    fn check(&self, cx: &mut Context<'_>) {
        let scope = GlobalScope::new(cx.file);
        // Generated and templated files repeat one `FROM ${BASE}` in every stage: the global
        // scope is the same for all of them, so each distinct text is checked once.
        let mut valid: std::collections::HashMap<&str, bool> = std::collections::HashMap::new();
        for stage in &cx.file.stages {
            let image = &stage.image;
            if !image.has_variables || valid.get(image.text.as_str()) == Some(&true) {
                continue;
            }
            let expanded = scope.expand(&image.text).value;
            let ok = is_valid_reference(&expanded);
            valid.insert(&image.text, ok);
            if ok {
                continue;
            }
            let shown = if expanded.is_empty() {
                "an empty name".to_string()
            } else {
                format!("'{expanded}'")
            };
            cx.report(
                image.range,
                format!(
                    "Default value for ARG {} results in empty or invalid base image name ({shown}): give the global ARG a default that makes a valid image reference.",
                    image.text
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::snapshot;

    #[test]
    fn buildkit_cases() {
        insta::assert_snapshot!(snapshot(
            &super::InvalidDefaultArgInFrom,
            "ARG VERSION\nARG IMAGE\nARG SFX=\"box:\"\nFROM busybox:$VERSION\nFROM $IMAGE\nFROM busy${SFX}\n"
        ));
        let valid = "ARG VERSION=\"latest\"\nARG V\nARG E=\"\"\nARG REG=ghcr.io\nFROM busybox:${VERSION}\nFROM busybox:stable${V}\nFROM busybox:stable${E}\nFROM golang:1.22-$TARGETOS\nFROM $REG/org/app:1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\nFROM scra${V:-tch}\n";
        assert_eq!(snapshot(&super::InvalidDefaultArgInFrom, valid), "");
    }

    #[test]
    fn references() {
        for ok in [
            "alpine",
            "localhost:5000/a/b:1",
            "Registry.IO/x",
            "a__b",
            "x:Tag_1.0",
        ] {
            assert!(super::is_valid_reference(ok), "{ok}");
        }
        for bad in ["", "busybox:", "Alpine", "a:b:c", "x/", ":tag", "x:tëst"] {
            assert!(!super::is_valid_reference(bad), "{bad}");
        }
    }
}
