//! Findings and fixes: the data the analysis produces, free of any protocol type.

use crate::syntax::TextRange;
use serde::{Deserialize, Deserializer, Serialize};

/// How serious a finding is. Ordered from most to least severe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
    Hint,
}

impl<'de> Deserialize<'de> for Severity {
    /// Accepts our names and hadolint's (`style`, `information`).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Severity::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown severity '{s}' (expected error, warning, info or hint)"
            ))
        })
    }
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
        }
    }

    /// Parses the names used by our config, hadolint's config and the CLI.
    /// `style` and `information` are hadolint's spellings.
    pub fn parse(s: &str) -> Option<Severity> {
        match s.trim().to_ascii_lowercase().as_str() {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            "info" | "information" => Some(Severity::Info),
            "hint" | "style" => Some(Severity::Hint),
            _ => None,
        }
    }
}

/// Extra meaning an editor can render (faded, struck through).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tag {
    Unnecessary,
    Deprecated,
}

/// Whether applying a fix can change what the built image does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Cannot change the image's behaviour (casing, quoting, flags that only drop caches…).
    Safe,
    /// May change behaviour; offered, never applied by `--fix` alone.
    Unsafe,
}

/// Replace the bytes in `range` with `text`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Edit {
    pub range: TextRange,
    pub text: String,
}

impl Edit {
    pub fn replace(range: TextRange, text: impl Into<String>) -> Edit {
        Edit {
            range,
            text: text.into(),
        }
    }
    pub fn insert(at: usize, text: impl Into<String>) -> Edit {
        Edit {
            range: TextRange::new(at, at),
            text: text.into(),
        }
    }
    pub fn delete(range: TextRange) -> Edit {
        Edit {
            range,
            text: String::new(),
        }
    }
}

/// A titled set of non-overlapping edits.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<Edit>,
    pub applicability: Applicability,
}

impl Fix {
    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            title: title.into(),
            edits,
            applicability: Applicability::Safe,
        }
    }
    pub fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            title: title.into(),
            edits,
            applicability: Applicability::Unsafe,
        }
    }
}

/// One finding of one rule. Cheap to clone (the incremental lint keeps and moves findings
/// on every keystroke): the message is shared, equivalents and tags are usually static.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Diagnostic {
    pub range: TextRange,
    pub severity: Severity,
    /// Our stable code, e.g. `DFL001`.
    pub code: &'static str,
    /// The rule's kebab-case name.
    pub name: &'static str,
    pub message: std::sync::Arc<str>,
    /// The same finding's code in other tools (`DL3006`, `BuildKit:UndefinedVar`, `SC2086`).
    pub equivalents: Equivalents,
    pub tags: &'static [Tag],
    pub fixes: Vec<Fix>,
}

/// A finding's codes in other tools: the rule's own list, or one of its own (a ShellCheck
/// finding's `SC2086`). Compared, hashed and shown by content.
#[derive(Clone)]
pub enum Equivalents {
    Static(&'static [&'static str]),
    Owned(std::sync::Arc<[String]>),
}

impl Equivalents {
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        let (a, b) = match self {
            Equivalents::Static(s) => (Some(s.iter().copied()), None),
            Equivalents::Owned(v) => (None, Some(v.iter().map(String::as_str))),
        };
        a.into_iter().flatten().chain(b.into_iter().flatten())
    }

    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }
}

impl Default for Equivalents {
    fn default() -> Equivalents {
        Equivalents::Static(&[])
    }
}

impl From<Vec<String>> for Equivalents {
    fn from(v: Vec<String>) -> Equivalents {
        Equivalents::Owned(v.into())
    }
}

impl PartialEq for Equivalents {
    fn eq(&self, other: &Equivalents) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Eq for Equivalents {}

impl std::fmt::Debug for Equivalents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<const N: usize> PartialEq<[&str; N]> for Equivalents {
    fn eq(&self, other: &[&str; N]) -> bool {
        self.iter().eq(other.iter().copied())
    }
}

impl std::hash::Hash for Equivalents {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        for e in self.iter() {
            e.hash(h);
        }
    }
}

impl Serialize for Equivalents {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// Applies non-overlapping edits to `text`. Edits are sorted by position first; an edit
/// that overlaps an earlier one is skipped and reported in the returned count.
pub fn apply_edits(text: &str, edits: &[Edit]) -> (String, usize) {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len());
    let mut pos = 0usize;
    let mut skipped = 0usize;
    for e in sorted {
        if e.range.start < pos
            || e.range.end > text.len()
            || !text.is_char_boundary(e.range.start)
            || !text.is_char_boundary(e.range.end)
        {
            skipped += 1;
            continue;
        }
        out.push_str(&text[pos..e.range.start]);
        out.push_str(&e.text);
        pos = e.range.end;
    }
    out.push_str(&text[pos..]);
    (out, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apply_edits_in_order_and_skips_overlaps() {
        let edits = vec![
            Edit::replace(TextRange::new(4, 7), "XYZ"),
            Edit::insert(0, ">"),
            Edit::replace(TextRange::new(5, 6), "!"),
        ];
        let (out, skipped) = apply_edits("abc def", &edits);
        assert_eq!(out, ">abc XYZ");
        assert_eq!(skipped, 1);
    }
}
