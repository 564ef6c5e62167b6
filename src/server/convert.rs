//! Conversions between the core's byte-offset data and `ls_types`. Every use of an LSP data
//! type outside the handler signatures goes through here, so a tower-lsp-server upgrade
//! touches this file, `backend.rs` and little else.

use super::position::{offset_at, position_at, Encoding, LineCol};
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

/// One core diagnostic as LSP. `data` carries the rule name and its equivalents in other tools
/// (`{"name": "...", "equivalents": ["DL3006"]}`) for clients and later code actions.
pub fn diagnostic(rope: &Rope, d: &Diagnostic, enc: Encoding) -> lsp::Diagnostic {
    lsp::Diagnostic {
        range: range(rope, d.range, enc),
        severity: Some(severity(d.severity)),
        code: Some(lsp::NumberOrString::String(d.code.to_string())),
        code_description: rule_doc_url(d.code).map(|href| lsp::CodeDescription { href }),
        source: Some(SOURCE.to_string()),
        message: d.message.clone(),
        related_information: None,
        tags: (!d.tags.is_empty()).then(|| d.tags.iter().copied().map(tag).collect()),
        data: Some(serde_json::json!({
            "name": d.name,
            "equivalents": d.equivalents,
        })),
    }
}

pub fn diagnostics(rope: &Rope, ds: &[Diagnostic], enc: Encoding) -> Vec<lsp::Diagnostic> {
    ds.iter().map(|d| diagnostic(rope, d, enc)).collect()
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
            equivalents: vec!["DL1000".into()],
            tags: vec![Tag::Unnecessary, Tag::Deprecated],
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
