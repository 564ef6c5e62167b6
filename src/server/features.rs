//! Request features: conversions from the core's results (byte offsets, plain types) to LSP.
//! Each function runs inside [`super::backend::Backend::query`] on a document snapshot.

use super::backend::Snapshot;
use super::convert;
use crate::diagnostic::{Applicability, Diagnostic as CoreDiagnostic, Edit};
use crate::ide::completion::{CompletionItem as CoreItem, CompletionKind};
use crate::syntax::TextRange;
use tower_lsp_server::ls_types as lsp;

/// The code action kind of our fix-all.
pub const FIX_ALL_KIND: &str = "source.fixAll.dockerfile-lsp";

fn text_edits(snap: &Snapshot, edits: &[Edit]) -> Vec<lsp::TextEdit> {
    edits
        .iter()
        .map(|e| lsp::TextEdit {
            range: snap.range(e.range),
            new_text: e.text.clone(),
        })
        .collect()
}

/// A versioned workspace edit for the snapshot's document.
fn workspace_edit(snap: &Snapshot, edits: &[Edit]) -> lsp::WorkspaceEdit {
    let doc = lsp::TextDocumentEdit {
        text_document: lsp::OptionalVersionedTextDocumentIdentifier {
            uri: snap.uri.clone(),
            version: Some(snap.version),
        },
        edits: text_edits(snap, edits)
            .into_iter()
            .map(lsp::OneOf::Left)
            .collect(),
    };
    lsp::WorkspaceEdit {
        document_changes: Some(lsp::DocumentChanges::Edits(vec![doc])),
        ..Default::default()
    }
}

pub fn completion(snap: &Snapshot, offset: usize) -> Option<lsp::CompletionResponse> {
    let items = crate::ide::completion::complete(&snap.model, &snap.text, offset);
    if items.is_empty() {
        return None;
    }
    let items = items
        .into_iter()
        .map(|i| completion_item(snap, i))
        .collect();
    Some(lsp::CompletionResponse::List(lsp::CompletionList {
        is_incomplete: false,
        items,
    }))
}

fn completion_item(snap: &Snapshot, i: CoreItem) -> lsp::CompletionItem {
    let kind = match i.kind {
        CompletionKind::Keyword => lsp::CompletionItemKind::KEYWORD,
        CompletionKind::Directive => lsp::CompletionItemKind::PROPERTY,
        CompletionKind::Flag => lsp::CompletionItemKind::FIELD,
        CompletionKind::Value => lsp::CompletionItemKind::VALUE,
        CompletionKind::Variable => lsp::CompletionItemKind::VARIABLE,
        CompletionKind::Stage => lsp::CompletionItemKind::CLASS,
        CompletionKind::Image => lsp::CompletionItemKind::MODULE,
        CompletionKind::Tag => lsp::CompletionItemKind::CONSTANT,
    };
    lsp::CompletionItem {
        label: i.label,
        kind: Some(kind),
        detail: i.detail,
        documentation: i.documentation.map(|d| {
            lsp::Documentation::MarkupContent(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: d,
            })
        }),
        sort_text: Some(i.sort_text),
        filter_text: i.filter_text,
        insert_text_format: Some(if i.snippet {
            lsp::InsertTextFormat::SNIPPET
        } else {
            lsp::InsertTextFormat::PLAIN_TEXT
        }),
        text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit {
            range: snap.range(i.range),
            new_text: i.insert_text,
        })),
        ..Default::default()
    }
}

pub fn hover(snap: &Snapshot, offset: usize) -> Option<lsp::Hover> {
    let diags = snap.core_diagnostics();
    let h = crate::ide::hover::hover(&snap.model, &snap.text, offset, &diags)?;
    Some(convert::hover(&snap.rope, h, snap.encoding))
}

/// The comment that suppresses `d` where it is, in the syntax the user already uses.
fn ignore_comment(d: &CoreDiagnostic) -> String {
    let meta = crate::rules::find_rule(d.code).map(|r| r.meta());
    match (
        meta.and_then(|m| m.hadolint_code()),
        meta.and_then(|m| m.buildkit_name()),
    ) {
        (Some(dl), _) => format!("# hadolint ignore={dl}"),
        (None, Some(bk)) => format!("# check=skip={bk}"),
        (None, None) => format!("# dockerfile-lsp ignore={}", d.name),
    }
}

fn line_start(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .and_then(|t| t.rfind('\n'))
        .map(|i| i + 1)
        .unwrap_or(0)
}

fn ignore_action(
    snap: &Snapshot,
    d: &CoreDiagnostic,
    lsp_diag: lsp::Diagnostic,
) -> Option<lsp::CodeAction> {
    // Above the instruction the finding is in (pragmas apply to the next instruction).
    let ins = snap.model.instruction_at(d.range.start)?;
    let at = line_start(&snap.text, ins.range.start);
    let indent: String = snap.text[at..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let comment = ignore_comment(d);
    Some(lsp::CodeAction {
        title: format!("Ignore {} ({}) for this instruction", d.code, d.name),
        kind: Some(lsp::CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![lsp_diag]),
        edit: Some(workspace_edit(
            snap,
            &[Edit::insert(at, format!("{indent}{comment}\n"))],
        )),
        is_preferred: Some(false),
        ..Default::default()
    })
}

fn wants(only: &Option<Vec<lsp::CodeActionKind>>, kind: &str) -> bool {
    match only {
        None => true,
        Some(kinds) => kinds.iter().any(|k| {
            let k = k.as_str();
            kind == k || kind.starts_with(&format!("{k}."))
        }),
    }
}

pub fn code_actions(
    snap: &Snapshot,
    range: TextRange,
    only: Option<Vec<lsp::CodeActionKind>>,
) -> Option<lsp::CodeActionResponse> {
    let mut out: lsp::CodeActionResponse = Vec::new();
    let diags = snap.core_diagnostics();
    if wants(&only, "quickfix") {
        // Findings on the lines of the request (a cursor anywhere on the line qualifies).
        let lines = TextRange::new(
            line_start(&snap.text, range.start),
            snap.text
                .get(range.end..)
                .and_then(|t| t.find('\n'))
                .map(|i| range.end + i)
                .unwrap_or(snap.text.len()),
        );
        for d in diags
            .iter()
            .filter(|d| d.range.intersects(lines) || lines.contains_inclusive(d.range.start))
        {
            let lsp_diag = convert::diagnostic(&snap.rope, d, snap.encoding);
            for fix in &d.fixes {
                let safe = fix.applicability == Applicability::Safe;
                out.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                    title: if safe {
                        fix.title.clone()
                    } else {
                        format!("{} (may change behaviour)", fix.title)
                    },
                    kind: Some(lsp::CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![lsp_diag.clone()]),
                    edit: Some(workspace_edit(snap, &fix.edits)),
                    is_preferred: Some(safe),
                    ..Default::default()
                }));
            }
            if let Some(a) = ignore_action(snap, d, lsp_diag) {
                out.push(lsp::CodeActionOrCommand::CodeAction(a));
            }
        }
    }
    if wants(&only, "refactor.rewrite") {
        let ctx = snap.build_context();
        let ctx = ctx.as_deref().map(|c| c as &dyn crate::rules::BuildContext);
        for a in crate::assists::assists(&snap.model, &snap.text, range, ctx) {
            out.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title: a.title,
                kind: Some(lsp::CodeActionKind::REFACTOR_REWRITE),
                edit: Some(workspace_edit(snap, &a.edits)),
                is_preferred: Some(false),
                ..Default::default()
            }));
        }
    }
    // Fix-all only when asked for explicitly (on save / "Fix all"), not in the light-bulb list.
    if only.as_ref().is_some_and(|kinds| {
        kinds
            .iter()
            .any(|k| FIX_ALL_KIND.starts_with(k.as_str()) && k.as_str().starts_with("source"))
    }) {
        let (fixed, applied) = crate::fix::fix_all(&snap.text, &snap.settings, false);
        if applied > 0 && fixed != *snap.text {
            let whole = TextRange::new(0, snap.text.len());
            let edits = minimal_edit(&snap.text, &fixed, whole);
            out.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title: format!("Fix all safe problems ({applied})"),
                kind: Some(lsp::CodeActionKind::new(FIX_ALL_KIND)),
                edit: Some(workspace_edit(snap, &edits)),
                ..Default::default()
            }));
        }
    }
    Some(out)
}

/// One edit covering only the changed middle of `old` → `new` (common prefix and suffix kept),
/// so untouched lines are not rewritten.
fn minimal_edit(old: &str, new: &str, whole: TextRange) -> Vec<Edit> {
    let prefix = old
        .char_indices()
        .zip(new.chars())
        .find(|((_, a), b)| a != b)
        .map(|((i, _), _)| i)
        .unwrap_or(old.len().min(new.len()));
    let max_suffix = (old.len() - prefix).min(new.len() - prefix);
    let mut suffix = 0;
    let (ob, nb) = (old.as_bytes(), new.as_bytes());
    while suffix < max_suffix && ob[ob.len() - 1 - suffix] == nb[nb.len() - 1 - suffix] {
        suffix += 1;
    }
    // Keep the cut on char boundaries.
    while suffix > 0
        && (!old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix))
    {
        suffix -= 1;
    }
    let _ = whole;
    vec![Edit::replace(
        TextRange::new(prefix, old.len() - suffix),
        new[prefix..new.len() - suffix].to_string(),
    )]
}

fn location(snap: &Snapshot, r: TextRange) -> lsp::Location {
    lsp::Location {
        uri: snap.uri.clone(),
        range: snap.range(r),
    }
}

pub fn definition(snap: &Snapshot, offset: usize) -> Option<lsp::GotoDefinitionResponse> {
    let t = crate::ide::navigation::definition(&snap.model, &snap.text, offset)?;
    Some(lsp::GotoDefinitionResponse::Link(vec![lsp::LocationLink {
        origin_selection_range: Some(snap.range(t.origin)),
        target_uri: snap.uri.clone(),
        target_range: snap.range(t.target),
        target_selection_range: snap.range(t.target),
    }]))
}

pub fn references(snap: &Snapshot, offset: usize, decl: bool) -> Option<Vec<lsp::Location>> {
    let refs = crate::ide::navigation::references(&snap.model, &snap.text, offset, decl);
    (!refs.is_empty()).then(|| refs.into_iter().map(|r| location(snap, r)).collect())
}

pub fn highlight(snap: &Snapshot, offset: usize) -> Option<Vec<lsp::DocumentHighlight>> {
    use crate::ide::navigation::HighlightKind;
    let hs = crate::ide::navigation::document_highlight(&snap.model, &snap.text, offset);
    (!hs.is_empty()).then(|| {
        hs.into_iter()
            .map(|h| lsp::DocumentHighlight {
                range: snap.range(h.range),
                kind: Some(match h.kind {
                    HighlightKind::Write => lsp::DocumentHighlightKind::WRITE,
                    HighlightKind::Read => lsp::DocumentHighlightKind::READ,
                }),
            })
            .collect()
    })
}

pub fn prepare_rename(snap: &Snapshot, offset: usize) -> Option<lsp::PrepareRenameResponse> {
    let p = crate::ide::navigation::prepare_rename(&snap.model, &snap.text, offset)?;
    Some(lsp::PrepareRenameResponse::RangeWithPlaceholder {
        range: snap.range(p.range),
        placeholder: p.name,
    })
}

/// The rename as a versioned edit, or a message saying why it cannot be done.
pub fn rename(
    snap: &Snapshot,
    offset: usize,
    new_name: &str,
) -> Result<lsp::WorkspaceEdit, String> {
    crate::ide::navigation::rename(&snap.model, &snap.text, offset, new_name)
        .map(|edits| workspace_edit(snap, &edits))
        .map_err(|e| e.to_string())
}

fn symbol_kind(k: crate::ide::symbols::SymbolKind) -> lsp::SymbolKind {
    use crate::ide::symbols::SymbolKind;
    match k {
        SymbolKind::Stage => lsp::SymbolKind::CLASS,
        SymbolKind::Variable => lsp::SymbolKind::VARIABLE,
        SymbolKind::Property => lsp::SymbolKind::PROPERTY,
        SymbolKind::Instruction => lsp::SymbolKind::FUNCTION,
    }
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must still be set
fn document_symbol(snap: &Snapshot, s: crate::ide::symbols::DocumentSymbol) -> lsp::DocumentSymbol {
    lsp::DocumentSymbol {
        name: if s.name.is_empty() {
            "?".to_string()
        } else {
            s.name
        },
        detail: None,
        kind: symbol_kind(s.kind),
        tags: None,
        deprecated: None,
        range: snap.range(s.range),
        selection_range: snap.range(s.selection_range),
        // Leaves have no `children` at all (an empty list per leaf was a tenth of the
        // response at 10,000 lines).
        children: (!s.children.is_empty()).then(|| {
            s.children
                .into_iter()
                .map(|c| document_symbol(snap, c))
                .collect()
        }),
    }
}

pub fn document_symbols(snap: &Snapshot) -> Option<lsp::DocumentSymbolResponse> {
    let syms = crate::ide::symbols::document_symbols(&snap.model);
    Some(lsp::DocumentSymbolResponse::Nested(
        syms.into_iter().map(|s| document_symbol(snap, s)).collect(),
    ))
}

/// The outline (`DocumentSymbolResponse::Nested`) serialised straight from the model: the
/// same JSON as [`document_symbols`]'s result, without its tree of symbols alive beside the
/// frame (tests/lsp_direct.rs holds the two byte-equal).
pub struct OutlineJson<'a>(pub &'a Snapshot);

impl serde::Serialize for OutlineJson<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let snap = self.0;
        s.collect_seq(
            crate::ide::symbols::outline(&snap.model).map(|node| SymbolJson { snap, node }),
        )
    }
}

/// One symbol of [`OutlineJson`], with the members `lsp::DocumentSymbol` writes, in its order.
struct SymbolJson<'a> {
    snap: &'a Snapshot,
    node: crate::ide::symbols::OutlineNode<'a>,
}

impl serde::Serialize for SymbolJson<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let node = &self.node;
        let name = node.name();
        let children = node.children();
        let nested = children.clone().next().is_some();
        let mut st = s.serialize_struct("DocumentSymbol", if nested { 5 } else { 4 })?;
        st.serialize_field("name", if name.is_empty() { "?" } else { &name })?;
        st.serialize_field("kind", &symbol_kind(node.kind()))?;
        st.serialize_field("range", &self.snap.range(node.range()))?;
        st.serialize_field("selectionRange", &self.snap.range(node.selection_range()))?;
        if nested {
            st.serialize_field(
                "children",
                &ChildrenJson {
                    snap: self.snap,
                    children,
                },
            )?;
        }
        st.end()
    }
}

struct ChildrenJson<'a> {
    snap: &'a Snapshot,
    children: crate::ide::symbols::OutlineChildren<'a>,
}

impl serde::Serialize for ChildrenJson<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let snap = self.snap;
        s.collect_seq(self.children.clone().map(|node| SymbolJson { snap, node }))
    }
}

pub fn workspace_symbols(snaps: &[Snapshot], query: &str) -> lsp::WorkspaceSymbolResponse {
    let found = crate::ide::symbols::workspace_symbols(
        snaps.iter().enumerate().map(|(i, s)| (i, s.model.as_ref())),
        query,
        256,
    );
    let items = found
        .into_iter()
        .filter_map(|w| {
            let snap = snaps.get(w.document)?;
            Some(lsp::WorkspaceSymbol {
                name: w.name,
                kind: symbol_kind(w.kind),
                tags: None,
                container_name: w.container,
                location: lsp::OneOf::Left(location(snap, w.range)),
                data: None,
            })
        })
        .collect();
    lsp::WorkspaceSymbolResponse::Nested(items)
}

pub fn folding(snap: &Snapshot) -> Option<Vec<lsp::FoldingRange>> {
    use crate::ide::folding::FoldKind;
    let folds = crate::ide::folding::folding_ranges(&snap.model, &snap.text, snap.tree.as_ref());
    Some(
        folds
            .into_iter()
            .map(|f| lsp::FoldingRange {
                start_line: f.start_line as u32,
                end_line: f.end_line as u32,
                kind: Some(match f.kind {
                    FoldKind::Comment => lsp::FoldingRangeKind::Comment,
                    FoldKind::Region => lsp::FoldingRangeKind::Region,
                }),
                ..Default::default()
            })
            .collect(),
    )
}

pub fn semantic_legend() -> lsp::SemanticTokensLegend {
    use crate::ide::semantic_tokens::{TOKEN_MODIFIERS, TOKEN_TYPES};
    lsp::SemanticTokensLegend {
        token_types: TOKEN_TYPES
            .iter()
            .map(|t| lsp::SemanticTokenType::new(t))
            .collect(),
        token_modifiers: TOKEN_MODIFIERS
            .iter()
            .map(|m| lsp::SemanticTokenModifier::new(m))
            .collect(),
    }
}

/// Tokens in LSP's relative encoding (line/start deltas, lengths in the negotiated unit).
pub fn semantic_tokens(snap: &Snapshot, range: Option<TextRange>) -> Option<lsp::SemanticTokens> {
    let tokens = crate::ide::semantic_tokens::semantic_tokens(
        &snap.model,
        &snap.text,
        snap.tree.as_ref(),
        range,
    );
    let mut data = Vec::with_capacity(tokens.len());
    let (mut prev_line, mut prev_start) = (0u32, 0u32);
    for t in tokens {
        let r = snap.range(t.range);
        if r.start.line != r.end.line || r.end.character <= r.start.character {
            continue;
        }
        let delta_line = r.start.line - prev_line;
        let delta_start = if delta_line == 0 {
            r.start.character - prev_start
        } else {
            r.start.character
        };
        data.push(lsp::SemanticToken {
            delta_line,
            delta_start,
            length: r.end.character - r.start.character,
            token_type: t.token_type,
            token_modifiers_bitset: t.modifiers,
        });
        prev_line = r.start.line;
        prev_start = r.start.character;
    }
    Some(lsp::SemanticTokens {
        result_id: None,
        data,
    })
}

pub fn links(snap: &Snapshot) -> Option<Vec<lsp::DocumentLink>> {
    let links = crate::ide::links::document_links(&snap.model);
    Some(
        links
            .into_iter()
            .map(|l| lsp::DocumentLink {
                range: snap.range(l.range),
                target: std::str::FromStr::from_str(&l.target).ok(),
                tooltip: Some(l.target),
                data: None,
            })
            .collect(),
    )
}

pub fn inlay_hints(snap: &Snapshot, range: TextRange) -> Option<Vec<lsp::InlayHint>> {
    let hints = crate::ide::inlay::inlay_hints(&snap.model, &snap.text, Some(range));
    Some(
        hints
            .into_iter()
            .map(|h| lsp::InlayHint {
                position: snap.range(TextRange::empty(h.offset)).start,
                label: lsp::InlayHintLabel::String(h.label),
                kind: None,
                text_edits: None,
                tooltip: None,
                padding_left: Some(true),
                padding_right: None,
                data: None,
            })
            .collect(),
    )
}

pub fn signature_help(snap: &Snapshot, offset: usize) -> Option<lsp::SignatureHelp> {
    let h = crate::ide::signature::signature_help(&snap.model, offset)?;
    Some(lsp::SignatureHelp {
        signatures: h
            .signatures
            .into_iter()
            .map(|s| lsp::SignatureInformation {
                parameters: Some(
                    s.parameters
                        .iter()
                        .map(|(a, b)| lsp::ParameterInformation {
                            label: lsp::ParameterLabel::LabelOffsets([
                                s.label[..*a].chars().map(char::len_utf16).sum::<usize>() as u32,
                                s.label[..*b].chars().map(char::len_utf16).sum::<usize>() as u32,
                            ]),
                            documentation: None,
                        })
                        .collect(),
                ),
                documentation: Some(lsp::Documentation::MarkupContent(lsp::MarkupContent {
                    kind: lsp::MarkupKind::Markdown,
                    value: s.documentation,
                })),
                label: s.label,
                active_parameter: None,
            })
            .collect(),
        active_signature: Some(h.active_signature as u32),
        active_parameter: h.active_parameter.map(|p| p as u32),
    })
}

fn format_options(o: &lsp::FormattingOptions) -> crate::ide::format::FormatOptions {
    crate::ide::format::FormatOptions {
        indent_width: (o.tab_size as usize).clamp(1, 16),
        use_tabs: !o.insert_spaces,
        keep_aligned: matches!(
            o.properties.get("keepAligned"),
            Some(lsp::FormattingProperty::Bool(true))
        ),
    }
}

pub fn format(
    snap: &Snapshot,
    range: Option<TextRange>,
    options: &lsp::FormattingOptions,
) -> Option<Vec<lsp::TextEdit>> {
    let o = format_options(options);
    let edits = match range {
        None => crate::ide::format::format_document(&snap.model, &snap.text, &o),
        Some(r) => crate::ide::format::format_range(&snap.model, &snap.text, r, &o),
    };
    Some(text_edits(snap, &edits))
}

pub fn format_on_type(
    snap: &Snapshot,
    offset: usize,
    options: &lsp::FormattingOptions,
) -> Option<Vec<lsp::TextEdit>> {
    let edits = crate::ide::format::format_on_type(
        &snap.model,
        &snap.text,
        offset,
        &format_options(options),
    );
    Some(text_edits(snap, &edits))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_edit_keeps_common_prefix_and_suffix() {
        let e = minimal_edit(
            "FROM a as b\nRUN x\n",
            "FROM a AS b\nRUN x\n",
            TextRange::new(0, 18),
        );
        assert_eq!(e, vec![Edit::replace(TextRange::new(7, 9), "AS")]);
        let e = minimal_edit("é x", "é y", TextRange::new(0, 4));
        assert_eq!(e, vec![Edit::replace(TextRange::new(3, 4), "y")]);
    }
}
