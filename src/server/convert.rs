//! Conversions between the core's byte-offset data and `ls_types`. Every use of an LSP data
//! type outside the handler signatures goes through here, so a tower-lsp-server upgrade
//! touches this file, `backend.rs` and little else.

use super::position::{offset_at, position_at, position_in_text, Encoding, LineCol};
use crate::diagnostic::{Diagnostic, Severity, Tag};
use crate::syntax::TextRange;
use ropey::Rope;
use std::str::FromStr;
use tower_lsp_server::ls_types as lsp;

/// `source` of every diagnostic we publish.
pub const SOURCE: &str = "dockerfile-lsp";

/// Where the rule documentation lives; `#<anchor>` is appended.
pub const RULES_DOC_URL: &str =
    "https://github.com/dockerfile-lsp/dockerfile-lsp/blob/main/docs/rules.md";

pub fn line_col(p: lsp::Position) -> LineCol {
    LineCol::new(p.line, p.character)
}

pub fn lsp_position(p: LineCol) -> lsp::Position {
    lsp::Position::new(p.line, p.character)
}

/// Byte offset of an LSP position (clamped; see [`super::position`]).
pub fn offset(rope: &Rope, p: lsp::Position, enc: Encoding) -> usize {
    offset_at(rope, line_col(p), enc)
}

/// LSP range of a byte range.
pub fn range(rope: &Rope, r: TextRange, enc: Encoding) -> lsp::Range {
    lsp::Range::new(
        lsp_position(position_at(rope, r.start, enc)),
        lsp_position(position_at(rope, r.end.max(r.start), enc)),
    )
}

/// LSP range of a byte range, computed on the flat text with the model's line index: the same
/// answer as [`range`] without walking the rope (features convert thousands of ranges).
pub fn range_in_text(
    text: &str,
    lines: &crate::syntax::LineIndex,
    r: TextRange,
    enc: Encoding,
) -> lsp::Range {
    lsp::Range::new(
        lsp_position(position_in_text(text, lines, r.start, enc)),
        lsp_position(position_in_text(text, lines, r.end.max(r.start), enc)),
    )
}

/// Byte range of an LSP range (clamped; a reversed range becomes empty at its start).
pub fn text_range(rope: &Rope, r: lsp::Range, enc: Encoding) -> TextRange {
    let start = offset(rope, r.start, enc);
    let end = offset(rope, r.end, enc).max(start);
    TextRange::new(start, end)
}

/// The encoding to use given the client's `general.positionEncodings`: UTF-8 when offered,
/// else UTF-16 (the protocol default, which every client must support).
pub fn negotiate_encoding(caps: &lsp::ClientCapabilities) -> Encoding {
    let offers_utf8 = caps
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref())
        .is_some_and(|encs| encs.contains(&lsp::PositionEncodingKind::UTF8));
    if offers_utf8 {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    }
}

pub fn encoding_kind(enc: Encoding) -> lsp::PositionEncodingKind {
    match enc {
        Encoding::Utf8 => lsp::PositionEncodingKind::UTF8,
        Encoding::Utf16 => lsp::PositionEncodingKind::UTF16,
    }
}

fn severity(s: Severity) -> lsp::DiagnosticSeverity {
    match s {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
        Severity::Hint => lsp::DiagnosticSeverity::HINT,
    }
}

fn tag(t: Tag) -> lsp::DiagnosticTag {
    match t {
        Tag::Unnecessary => lsp::DiagnosticTag::UNNECESSARY,
        Tag::Deprecated => lsp::DiagnosticTag::DEPRECATED,
    }
}

/// The documentation link of a rule code (`None` for a code no rule has).
pub fn rule_doc_url(code: &str) -> Option<lsp::Uri> {
    let rule = crate::rules::find_rule(code)?;
    let anchor = crate::rules::docs::anchor(rule.meta());
    lsp::Uri::from_str(&format!("{RULES_DOC_URL}#{anchor}")).ok()
}

/// [`rule_doc_url`] as text, made once per code per process (it was made for every
/// diagnostic not in the wire cache, several times per keystroke).
fn rule_doc_href(code: &'static str) -> Option<std::sync::Arc<str>> {
    type Hrefs =
        std::sync::Mutex<std::collections::HashMap<&'static str, Option<std::sync::Arc<str>>>>;
    static HREFS: std::sync::OnceLock<Hrefs> = std::sync::OnceLock::new();
    let hrefs = HREFS.get_or_init(Default::default);
    let mut hrefs = hrefs
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    hrefs
        .entry(code)
        .or_insert_with(|| rule_doc_url(code).map(|u| std::sync::Arc::from(u.as_str())))
        .clone()
}

/// One core diagnostic as LSP. `data` carries the rule name and its equivalents in other tools
/// (`{"name": "...", "equivalents": ["DL3006"]}`) for clients and later code actions.
pub fn diagnostic(rope: &Rope, d: &Diagnostic, enc: Encoding) -> lsp::Diagnostic {
    let href = rule_doc_url(d.code);
    diagnostic_with_href(rope, d, enc, href)
}

fn diagnostic_with_href(
    rope: &Rope,
    d: &Diagnostic,
    enc: Encoding,
    href: Option<lsp::Uri>,
) -> lsp::Diagnostic {
    lsp::Diagnostic {
        range: range(rope, d.range, enc),
        severity: Some(severity(d.severity)),
        code: Some(lsp::NumberOrString::String(d.code.to_string())),
        code_description: href.map(|href| lsp::CodeDescription { href }),
        source: Some(SOURCE.to_string()),
        message: d.message.to_string(),
        related_information: None,
        tags: (!d.tags.is_empty()).then(|| d.tags.iter().copied().map(tag).collect()),
        data: Some(serde_json::json!({
            "name": d.name,
            "equivalents": d.equivalents,
        })),
    }
}

/// Every diagnostic of one version as LSP, positions computed on the flat text with the
/// model's line index (much cheaper than rope walks for long lists).
pub fn diagnostics_in_text(
    text: &str,
    lines: &crate::syntax::LineIndex,
    ds: &[Diagnostic],
    enc: Encoding,
) -> Vec<lsp::Diagnostic> {
    let mut hrefs: std::collections::HashMap<&'static str, Option<lsp::Uri>> =
        std::collections::HashMap::new();
    ds.iter()
        .map(|d| {
            let href = hrefs
                .entry(d.code)
                .or_insert_with(|| rule_doc_url(d.code))
                .clone();
            let pos = |o: usize| lsp_position(position_in_text(text, lines, o, enc));
            let mut out = diagnostic_with_href(&Rope::new(), d, enc, href);
            out.range = lsp::Range::new(pos(d.range.start), pos(d.range.end.max(d.range.start)));
            out
        })
        .collect()
}

/// Every diagnostic as LSP (the documentation link is computed once per code).
pub fn diagnostics(rope: &Rope, ds: &[Diagnostic], enc: Encoding) -> Vec<lsp::Diagnostic> {
    let mut hrefs: std::collections::HashMap<&'static str, Option<lsp::Uri>> =
        std::collections::HashMap::new();
    ds.iter()
        .map(|d| {
            let href = hrefs
                .entry(d.code)
                .or_insert_with(|| rule_doc_url(d.code))
                .clone();
            diagnostic_with_href(rope, d, enc, href)
        })
        .collect()
}

/// `textDocument/publishDiagnostics` parameters in the protocol's JSON shape, serialised
/// straight from the core diagnostics: the same JSON as `lsp::PublishDiagnosticsParams` of
/// [`diagnostics_in_text`] (a test holds the two equal), without building `lsp::Diagnostic`s
/// first — at 10,000 lines that is ~540 message and URL copies and `data` maps per keystroke.
pub struct PublishDiagnostics<'a> {
    pub uri: &'a lsp::Uri,
    pub version: Option<i32>,
    pub text: &'a str,
    pub lines: &'a crate::syntax::LineIndex,
    pub diagnostics: &'a [Diagnostic],
    pub encoding: Encoding,
}

impl serde::Serialize for PublishDiagnostics<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut hrefs: std::collections::HashMap<&'static str, Option<String>> =
            std::collections::HashMap::new();
        for d in self.diagnostics {
            hrefs
                .entry(d.code)
                .or_insert_with(|| rule_doc_url(d.code).map(|u| u.as_str().to_string()));
        }
        let items = self.diagnostics.iter().map(|d| {
            let pos =
                |o: usize| lsp_position(position_in_text(self.text, self.lines, o, self.encoding));
            WireDiagnostic {
                d,
                range: lsp::Range::new(pos(d.range.start), pos(d.range.end.max(d.range.start))),
                href: hrefs.get(d.code).and_then(|h| h.as_deref()),
            }
        });
        let mut st = s.serialize_struct("PublishDiagnosticsParams", 3)?;
        st.serialize_field("uri", self.uri.as_str())?;
        st.serialize_field("diagnostics", &Items(std::cell::Cell::new(Some(items))))?;
        if let Some(v) = self.version {
            st.serialize_field("version", &v)?;
        }
        st.end()
    }
}

/// The serialised JSON of each diagnostic of the last publish, keyed by what it is made of:
/// most findings are kept from one keystroke to the next (the incremental lint moves them,
/// sharing their message), so [`PublishDiagnostics::frame`] copies their bytes instead of
/// serialising ~540 diagnostics again on every keystroke of a 10,000-line file.
#[derive(Default)]
pub struct WireCache {
    encoding: Option<Encoding>,
    items: std::collections::HashMap<WireKey, Box<[u8]>>,
}

/// Everything a diagnostic's JSON depends on: the message (by identity — the key holds it,
/// so the address cannot be reused), the code (name, tags, link and equivalents come with the
/// rule, or with the message for ShellCheck findings), the severity and the LSP range.
struct WireKey {
    message: std::sync::Arc<str>,
    code: &'static str,
    severity: Severity,
    range: [u32; 4],
}

impl PartialEq for WireKey {
    fn eq(&self, o: &WireKey) -> bool {
        std::sync::Arc::ptr_eq(&self.message, &o.message)
            && self.code == o.code
            && self.severity == o.severity
            && self.range == o.range
    }
}

impl Eq for WireKey {}

impl std::hash::Hash for WireKey {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        (self.message.as_ptr() as usize).hash(h);
        self.range.hash(h);
    }
}

impl PublishDiagnostics<'_> {
    /// The framed `textDocument/publishDiagnostics` notification: the same bytes as
    /// [`crate::server::transport::notification`] of `self` (a test holds them equal), with
    /// the diagnostics unchanged since the last call copied from `cache`.
    pub fn frame(&self, cache: &mut WireCache) -> Vec<u8> {
        use std::io::Write;
        if cache.encoding != Some(self.encoding) {
            cache.items.clear();
            cache.encoding = Some(self.encoding);
        }
        // Two passes: each diagnostic's bytes (cached or serialised) first, then one buffer
        // of the exact frame size, header first. Framing a finished body copied it whole
        // into a second buffer (a 10,000-line file's publish is ~250 KB: a fresh mapping,
        // its page faults and the copy, on every keystroke).
        let mut items: Vec<(WireKey, Box<[u8]>)> = Vec::with_capacity(self.diagnostics.len());
        for d in self.diagnostics {
            let pos =
                |o: usize| lsp_position(position_in_text(self.text, self.lines, o, self.encoding));
            let range = lsp::Range::new(pos(d.range.start), pos(d.range.end.max(d.range.start)));
            let key = WireKey {
                message: d.message.clone(),
                code: d.code,
                severity: d.severity,
                range: [
                    range.start.line,
                    range.start.character,
                    range.end.line,
                    range.end.character,
                ],
            };
            let bytes = match cache.items.remove(&key) {
                Some(b) => b,
                None => {
                    let href = rule_doc_href(d.code);
                    let wire = WireDiagnostic {
                        d,
                        range,
                        href: href.as_deref(),
                    };
                    match serde_json::to_vec(&wire) {
                        Ok(v) => v.into_boxed_slice(),
                        Err(_) => return Vec::new(),
                    }
                }
            };
            items.push((key, bytes));
        }
        let mut head: Vec<u8> =
            b"{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/publishDiagnostics\",\"params\":{\"uri\":"
                .to_vec();
        if serde_json::to_writer(&mut head, self.uri.as_str()).is_err() {
            return Vec::new();
        }
        head.extend_from_slice(b",\"diagnostics\":[");
        let mut tail: Vec<u8> = b"]".to_vec();
        if let Some(v) = self.version {
            let _ = write!(tail, ",\"version\":{v}");
        }
        tail.extend_from_slice(b"}}");
        let commas = items.len().saturating_sub(1);
        let len =
            head.len() + items.iter().map(|(_, b)| b.len()).sum::<usize>() + commas + tail.len();
        let header = format!("Content-Length: {len}\r\n\r\n");
        let mut out = Vec::with_capacity(header.len() + len);
        out.extend_from_slice(header.as_bytes());
        out.extend_from_slice(&head);
        for (i, (_, bytes)) in items.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(bytes);
        }
        out.extend_from_slice(&tail);
        cache.items = items.into_iter().collect();
        out
    }
}

/// Serialises an iterator as a sequence, once.
struct Items<I>(std::cell::Cell<Option<I>>);

impl<I: Iterator<Item = T>, T: serde::Serialize> serde::Serialize for Items<I> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0.take() {
            Some(items) => s.collect_seq(items),
            None => s.collect_seq(std::iter::empty::<T>()),
        }
    }
}

/// One diagnostic in the shape of [`diagnostic`]'s `lsp::Diagnostic`.
struct WireDiagnostic<'a> {
    d: &'a Diagnostic,
    range: lsp::Range,
    href: Option<&'a str>,
}

impl serde::Serialize for WireDiagnostic<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        struct Href<'a>(&'a str);
        impl serde::Serialize for Href<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut st = s.serialize_struct("CodeDescription", 1)?;
                st.serialize_field("href", self.0)?;
                st.end()
            }
        }
        struct Data<'a>(&'a Diagnostic);
        impl serde::Serialize for Data<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut st = s.serialize_struct("Data", 2)?;
                st.serialize_field(
                    "equivalents",
                    &Items(std::cell::Cell::new(Some(self.0.equivalents.iter()))),
                )?;
                st.serialize_field("name", self.0.name)?;
                st.end()
            }
        }
        let d = self.d;
        let mut st = s.serialize_struct("Diagnostic", 8)?;
        st.serialize_field("range", &self.range)?;
        st.serialize_field("severity", &severity(d.severity))?;
        st.serialize_field("code", d.code)?;
        if let Some(href) = self.href {
            st.serialize_field("codeDescription", &Href(href))?;
        }
        st.serialize_field("source", SOURCE)?;
        st.serialize_field("message", &d.message)?;
        if !d.tags.is_empty() {
            st.serialize_field(
                "tags",
                &Items(std::cell::Cell::new(Some(d.tags.iter().copied().map(tag)))),
            )?;
        }
        st.serialize_field("data", &Data(d))?;
        st.end()
    }
}

/// A core hover as LSP markdown.
pub fn hover(rope: &Rope, h: crate::ide::hover::Hover, enc: Encoding) -> lsp::Hover {
    lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: h.markdown,
        }),
        range: Some(range(rope, h.range, enc)),
    }
}

/// The settings object inside a configuration payload: the value under `dockerfile-lsp` when
/// there is one, else the payload itself. `None` for null (nothing sent).
pub fn settings_section(value: &serde_json::Value) -> Option<&serde_json::Value> {
    match value {
        serde_json::Value::Null => None,
        serde_json::Value::Object(map) => match map.get(SOURCE) {
            Some(inner) => Some(inner),
            None => Some(value),
        },
        other => Some(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;

    #[test]
    fn diagnostic_fields() {
        let text = "FROM alpine\nRUNN é x\n";
        let rope = Rope::from_str(text);
        let d = Diagnostic {
            range: TextRange::new(12, 16),
            severity: Severity::Error,
            code: "DFL001",
            name: "unknown-instruction",
            message: "m".into(),
            equivalents: vec!["DL1000".to_string()].into(),
            tags: &[Tag::Unnecessary, Tag::Deprecated],
            fixes: vec![],
        };
        let l = diagnostic(&rope, &d, Encoding::Utf16);
        assert_eq!(
            l.range,
            lsp::Range::new(lsp::Position::new(1, 0), lsp::Position::new(1, 4))
        );
        assert_eq!(l.severity, Some(lsp::DiagnosticSeverity::ERROR));
        assert_eq!(l.code, Some(lsp::NumberOrString::String("DFL001".into())));
        assert_eq!(l.source.as_deref(), Some("dockerfile-lsp"));
        let href = l.code_description.map(|c| c.href.as_str().to_string());
        assert_eq!(
            href.as_deref(),
            Some(
                "https://github.com/dockerfile-lsp/dockerfile-lsp/blob/main/docs/rules.md\
                 #dfl001-unknown-instruction"
            )
        );
        assert_eq!(
            l.tags,
            Some(vec![
                lsp::DiagnosticTag::UNNECESSARY,
                lsp::DiagnosticTag::DEPRECATED
            ])
        );
        assert_eq!(
            l.data,
            Some(serde_json::json!({"name": "unknown-instruction", "equivalents": ["DL1000"]}))
        );
        // A range ending after é: UTF-16 column 6, UTF-8 column 7.
        let d2 = Diagnostic {
            range: TextRange::new(17, 19),
            ..d
        };
        assert_eq!(
            diagnostic(&rope, &d2, Encoding::Utf16).range.end.character,
            6
        );
        assert_eq!(
            diagnostic(&rope, &d2, Encoding::Utf8).range.end.character,
            7
        );
        assert!(rule_doc_url("NOPE").is_none());
        let all = diagnostics(&rope, &[d2.clone(), d2.clone()], Encoding::Utf8);
        assert_eq!(all, vec![diagnostic(&rope, &d2, Encoding::Utf8); 2]);
        let lines = crate::syntax::LineIndex::new(text);
        for enc in [Encoding::Utf8, Encoding::Utf16] {
            assert_eq!(
                diagnostics_in_text(text, &lines, std::slice::from_ref(&d2), enc),
                vec![diagnostic(&rope, &d2, enc)]
            );
        }
    }

    /// The direct serialisation reads back as exactly what the `ls_types` path produces.
    #[test]
    fn wire_diagnostics_equal_the_ls_types_ones() {
        let text = "FROM alpine\nRUNN é x\nrun  😀 \\\n  apt-get install git\n";
        let lines = crate::syntax::LineIndex::new(text);
        let mut found = crate::lint::lint_text(text, &crate::config::Settings::default());
        found.push(Diagnostic {
            range: TextRange::new(17, 19),
            severity: Severity::Hint,
            code: "NOPE",
            name: "no-such-rule",
            message: "a \"quoted\" message\n".into(),
            equivalents: Default::default(),
            tags: &[Tag::Unnecessary, Tag::Deprecated],
            fixes: vec![],
        });
        assert!(found.len() > 3);
        let uri = lsp::Uri::from_str("file:///tmp/a%20b/Dockerfile").unwrap();
        for enc in [Encoding::Utf8, Encoding::Utf16] {
            for version in [None, Some(7)] {
                let wire = serde_json::to_vec(&PublishDiagnostics {
                    uri: &uri,
                    version,
                    text,
                    lines: &lines,
                    diagnostics: &found,
                    encoding: enc,
                })
                .unwrap();
                let expected = lsp::PublishDiagnosticsParams {
                    uri: uri.clone(),
                    diagnostics: diagnostics_in_text(text, &lines, &found, enc),
                    version,
                };
                let got: lsp::PublishDiagnosticsParams = serde_json::from_slice(&wire).unwrap();
                assert_eq!(got, expected);
                let got: serde_json::Value = serde_json::from_slice(&wire).unwrap();
                assert_eq!(got, serde_json::to_value(&expected).unwrap());
            }
        }
    }

    /// The cached frame is byte for byte the serde one, on a first publish, on one reusing
    /// every diagnostic, after an edit that moves some of them, and across encodings.
    #[test]
    fn cached_publish_frames_equal_serialised_ones() {
        let uri = lsp::Uri::from_str("file:///tmp/a%20b/Dockerfile").unwrap();
        let settings = crate::config::Settings::default();
        let mut cache = WireCache::default();
        // The edit adds a line in the first stage: the last stage's findings are kept and
        // moved a line down, sharing their messages.
        let old = "FROM alpine AS a\nRUNN é x\n\nFROM alpine AS b\nRUN echo\n\nFROM alpine\nrun  😀 \\\n  apt-get install git\nRUN apt-get install curl\n";
        let at = old.find("x\n").unwrap();
        let mut new = old.to_string();
        new.insert(at, '\n');
        let new = new.as_str();
        let (m0, c0) =
            crate::lint::lint_incremental(&crate::syntax::parse(old), old, &settings, None, None);
        let edit = crate::syntax::incremental::TextEdit::new(at, at, at + 1);
        let model = crate::syntax::incremental::reparse(crate::syntax::parse(old), new, edit);
        let (m1, _) =
            crate::lint::lint_incremental(&model, new, &settings, None, Some((&c0, edit)));
        assert!(m1.iter().any(|d| m0
            .iter()
            .any(|o| std::sync::Arc::ptr_eq(&o.message, &d.message) && o.range != d.range)));
        for enc in [Encoding::Utf16, Encoding::Utf8, Encoding::Utf16] {
            for (text, found) in [(old, &m0), (old, &m0), (new, &m1), (new, &m1)] {
                let lines = crate::syntax::LineIndex::new(text);
                for version in [Some(3), None] {
                    let p = PublishDiagnostics {
                        uri: &uri,
                        version,
                        text,
                        lines: &lines,
                        diagnostics: found,
                        encoding: enc,
                    };
                    let expected = crate::server::transport::notification(
                        "textDocument/publishDiagnostics",
                        &p,
                    );
                    assert_eq!(Some(p.frame(&mut cache)), expected);
                }
            }
        }
        assert!(!cache.items.is_empty());
    }

    #[test]
    fn ranges_in_text_equal_rope_ranges() {
        let text = "FROM a\r\nRUN é 😀 x\n\n\tb \\\r\n c\rd";
        let rope = Rope::from_str(text);
        let lines = crate::syntax::LineIndex::new(text);
        for enc in [Encoding::Utf8, Encoding::Utf16] {
            for start in 0..=text.len() + 2 {
                for end in [start, start + 1, start + 5, 0, text.len() + 3] {
                    let r = TextRange::new(start, end);
                    assert_eq!(
                        range_in_text(text, &lines, r, enc),
                        range(&rope, r, enc),
                        "{r:?} {enc:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn encoding_negotiation() {
        let mut caps = lsp::ClientCapabilities::default();
        assert_eq!(negotiate_encoding(&caps), Encoding::Utf16);
        caps.general = Some(lsp::GeneralClientCapabilities {
            position_encodings: Some(vec![
                lsp::PositionEncodingKind::UTF16,
                lsp::PositionEncodingKind::UTF8,
            ]),
            ..Default::default()
        });
        assert_eq!(negotiate_encoding(&caps), Encoding::Utf8);
        caps.general = Some(lsp::GeneralClientCapabilities {
            position_encodings: Some(vec![lsp::PositionEncodingKind::UTF32]),
            ..Default::default()
        });
        assert_eq!(negotiate_encoding(&caps), Encoding::Utf16);
    }

    #[test]
    fn settings_sections() {
        let v = serde_json::json!({"dockerfile-lsp": {"ignore": ["DFL001"]}});
        assert_eq!(
            settings_section(&v),
            Some(&serde_json::json!({"ignore": ["DFL001"]}))
        );
        let v = serde_json::json!({"ignore": ["DFL001"]});
        assert_eq!(settings_section(&v), Some(&v));
        assert_eq!(settings_section(&serde_json::Value::Null), None);
    }
}
