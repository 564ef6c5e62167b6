//! Open documents: text (rope + a flat copy), incremental tree-sitter tree, version.
//!
//! Free of LSP types: changes arrive as [`Change`]s with [`LineCol`] ranges in the negotiated
//! [`Encoding`], so the store can be tested (and fuzzed) without a protocol round trip.

use super::position::{offset_at, Encoding, LineCol};
use crate::syntax::incremental::TextEdit;
use crate::syntax::tree::{SyntaxTree, TreeEdit};
use crate::syntax::Dockerfile;
use ropey::Rope;
use std::collections::HashMap;
use std::sync::Arc;

/// One content change of `textDocument/didChange`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// `None` replaces the whole document.
    pub range: Option<(LineCol, LineCol)>,
    pub text: String,
}

/// Where a lint starts from: see [`Document::take_parse_base`].
pub struct ParseBase {
    pub model: Arc<Dockerfile>,
    pub edit: Option<TextEdit>,
    pub lint_cache: Option<Arc<crate::lint::LintCache>>,
}

/// How far the syntax tree is behind the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TreeState {
    /// Parsed from the current text.
    Current,
    /// Told about every edit since it was parsed: an incremental re-parse brings it up to date.
    Edited,
    /// Unrelated to the text (just opened, or replaced): parse from scratch.
    Replaced,
}

/// An open document.
pub struct Document {
    /// Unique per open (a re-opened document gets a new id), so background work for a closed
    /// document never touches its successor.
    pub id: u64,
    pub version: i32,
    rope: Rope,
    /// The whole text, rebuilt once per change batch (the parser and the linter want a `&str`).
    text: Arc<String>,
    tree: SyntaxTree,
    /// Whether `tree` is behind the text: re-parsed on demand (only folding and semantic
    /// tokens need it), so typing does not pay for it.
    tree_state: TreeState,
    /// Sticky: the text has (had) a `\r` not followed by `\n`. Tree-sitter counts rows at
    /// `\n` only, so then its points differ from our rope lines and are computed by scanning.
    lone_cr: bool,
    /// Bumped (from a store-wide counter) by every change and every settings change; lint
    /// results are published only for the generation they were computed from.
    pub generation: u64,
    /// The generation whose diagnostics were last published.
    pub published_generation: Option<u64>,
    /// A lint task is running for this document (it re-lints until it catches up).
    pub lint_running: bool,
    /// The newest parsed model and the generation it was parsed from (possibly older than
    /// `generation`: then `edit_log` says how the text changed since, for an incremental
    /// re-parse).
    model: Option<(u64, Arc<Dockerfile>)>,
    /// The text edits since `model`'s generation: (the generation each produced, the batch's
    /// edits as one). Complete for every generation after `log_base`.
    edit_log: Vec<(u64, TextEdit)>,
    /// The incremental lint's state for the text of a generation (see
    /// [`crate::lint::lint_incremental`]); dropped when the settings change.
    lint_cache: Option<(u64, Arc<crate::lint::LintCache>)>,
    /// The serialised diagnostics of the last publish, taken by the lint task while it runs
    /// (see [`super::convert::WireCache`]).
    pub wire_cache: Option<super::convert::WireCache>,
    /// Lint states of generations before this one were computed under other settings.
    lint_cache_floor: u64,
    /// The generation whose text the log starts from (reset by a full replacement, or when
    /// the log grows too long).
    log_base: u64,
    /// The core findings for `generation` (kept for code actions and hover).
    diagnostics: Option<(u64, Arc<Vec<crate::diagnostic::Diagnostic>>)>,
}

impl std::fmt::Debug for Document {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Document")
            .field("id", &self.id)
            .field("version", &self.version)
            .field("len", &self.rope.len_bytes())
            .field("generation", &self.generation)
            .finish_non_exhaustive()
    }
}

fn has_lone_cr(text: &str) -> bool {
    let b = text.as_bytes();
    b.iter()
        .enumerate()
        .any(|(i, &c)| c == b'\r' && b.get(i + 1) != Some(&b'\n'))
}

/// The tree-sitter point reached from `start` after `text` (rows at `\n` only).
fn advance(start: (usize, usize), text: &str) -> (usize, usize) {
    match text.rfind('\n') {
        Some(last) => (
            start.0 + text.bytes().filter(|&b| b == b'\n').count(),
            text.len() - last - 1,
        ),
        None => (start.0, start.1 + text.len()),
    }
}

impl Document {
    pub fn new(id: u64, text: &str, version: i32, generation: u64) -> Document {
        Document {
            id,
            version,
            rope: Rope::from_str(text),
            text: Arc::new(text.to_owned()),
            tree: SyntaxTree::new(""),
            tree_state: TreeState::Replaced,
            lone_cr: has_lone_cr(text),
            generation,
            published_generation: None,
            lint_running: false,
            model: None,
            edit_log: Vec::new(),
            lint_cache: None,
            wire_cache: None,
            lint_cache_floor: generation,
            log_base: generation,
            diagnostics: None,
        }
    }

    pub fn rope(&self) -> &Rope {
        &self.rope
    }

    pub fn text(&self) -> &Arc<String> {
        &self.text
    }

    /// The syntax tree of the current text, brought up to date first (incrementally after
    /// edits).
    pub fn tree(&mut self) -> &SyntaxTree {
        match self.tree_state {
            TreeState::Current => {}
            TreeState::Edited => self.tree.reparse(&self.text),
            TreeState::Replaced => self.tree = SyntaxTree::new(&self.text),
        }
        self.tree_state = TreeState::Current;
        &self.tree
    }

    /// The cached model, if it belongs to the current generation.
    pub fn model(&self) -> Option<Arc<Dockerfile>> {
        self.model
            .as_ref()
            .filter(|(g, _)| *g == self.generation)
            .map(|(_, m)| m.clone())
    }

    /// The core findings of the current generation, if linted.
    pub fn diagnostics(&self) -> Option<Arc<Vec<crate::diagnostic::Diagnostic>>> {
        self.diagnostics
            .as_ref()
            .filter(|(g, _)| *g == self.generation)
            .map(|(_, d)| d.clone())
    }

    /// Caches the findings when they were computed for the current generation.
    pub fn store_diagnostics(
        &mut self,
        generation: u64,
        diagnostics: Arc<Vec<crate::diagnostic::Diagnostic>>,
    ) {
        if generation == self.generation {
            self.diagnostics = Some((generation, diagnostics));
        }
    }

    /// Keeps `model` (parsed from `generation`'s text) unless a newer one is kept: for
    /// requests when it is current, as the base of the next incremental re-parse otherwise.
    pub fn store_model(&mut self, generation: u64, model: Arc<Dockerfile>) {
        let newer_kept = self.model.as_ref().is_some_and(|(g, _)| *g > generation);
        if newer_kept || generation < self.log_base {
            return;
        }
        self.edit_log.retain(|(g, _)| *g > generation);
        self.model = Some((generation, model));
    }

    /// What the next lint starts from: the last model, the edits made since (one edit
    /// covering them all; `None` when the text has not changed) and the incremental lint's
    /// state for that model's text, if kept — or nothing (parse from scratch). A model for an
    /// older text is taken out of the document: it is stale for everyone else, and the
    /// re-parse can then reuse it in place.
    pub fn take_parse_base(&mut self) -> Option<ParseBase> {
        let g = self.model.as_ref()?.0;
        let edit = self
            .edit_log
            .iter()
            .filter(|(after, _)| *after > g)
            .map(|(_, e)| *e)
            .reduce(TextEdit::then);
        let lint_cache = self
            .lint_cache
            .as_ref()
            .filter(|(lg, _)| *lg == g)
            .map(|(_, c)| c.clone());
        let model = match edit {
            None => {
                // Only settings changed since: the model is this text's.
                let (_, model) = self.model.take()?;
                self.model = Some((self.generation, model.clone()));
                model
            }
            Some(_) => self.model.take()?.1,
        };
        Some(ParseBase {
            model,
            edit,
            lint_cache,
        })
    }

    /// Keeps the incremental lint's state for `generation`'s text.
    pub fn store_lint_cache(&mut self, generation: u64, cache: Arc<crate::lint::LintCache>) {
        let newest = self
            .lint_cache
            .as_ref()
            .is_none_or(|(g, _)| *g <= generation);
        if newest && generation >= self.lint_cache_floor {
            self.lint_cache = Some((generation, cache));
        }
    }

    /// Forgets the incremental lint's state and refuses states computed before now (the
    /// settings changed; call after bumping the generation).
    pub fn clear_lint_cache(&mut self) {
        self.lint_cache = None;
        self.lint_cache_floor = self.generation;
    }

    /// Tree-sitter's (row, byte column) of `offset` in the current text.
    fn ts_point(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.rope.len_bytes());
        if !self.lone_cr {
            // Without lone CRs every rope line break ends with `\n`: rows agree.
            let line = self.rope.try_byte_to_line(offset).unwrap_or(0);
            let start = self.rope.try_line_to_byte(line).unwrap_or(0);
            return (line, offset.saturating_sub(start));
        }
        let mut row = 0;
        let mut row_start = 0;
        let mut pos = 0;
        for chunk in self.rope.byte_slice(..offset).chunks() {
            for (i, b) in chunk.bytes().enumerate() {
                if b == b'\n' {
                    row += 1;
                    row_start = pos + i + 1;
                }
            }
            pos += chunk.len();
        }
        (row, offset - row_start)
    }

    fn is_lone_cr_at(&self, at: usize) -> bool {
        self.rope.get_byte(at) == Some(b'\r') && self.rope.get_byte(at + 1) != Some(b'\n')
    }

    /// Applies one ranged edit to the rope and tells the tree about it.
    fn apply_one(
        &mut self,
        start: LineCol,
        end: LineCol,
        text: &str,
        enc: Encoding,
    ) -> Option<TextEdit> {
        let a = offset_at(&self.rope, start, enc);
        let b = offset_at(&self.rope, end, enc);
        // A reversed range is treated as the empty range at its start (the client's bug,
        // not a reason to drop the edit).
        let (start_byte, old_end_byte) = (a, b.max(a));
        let start_point = self.ts_point(start_byte);
        let old_end_point = self.ts_point(old_end_byte);
        let (Ok(start_char), Ok(end_char)) = (
            self.rope.try_byte_to_char(start_byte),
            self.rope.try_byte_to_char(old_end_byte),
        ) else {
            return None;
        };
        if self.rope.try_remove(start_char..end_char).is_err()
            || self.rope.try_insert(start_char, text).is_err()
        {
            return None;
        }
        let new_end_byte = start_byte + text.len();
        if self.tree_state != TreeState::Replaced {
            self.tree_state = TreeState::Edited;
        }
        self.tree.edit(&TreeEdit {
            start_byte,
            old_end_byte,
            new_end_byte,
            start_point,
            old_end_point,
            new_end_point: advance(start_point, text),
        });
        if !self.lone_cr {
            // A new lone CR is either inserted or the CR just before the edit.
            self.lone_cr = start_byte
                .checked_sub(1)
                .is_some_and(|p| self.is_lone_cr_at(p))
                || text
                    .bytes()
                    .enumerate()
                    .any(|(i, c)| c == b'\r' && self.is_lone_cr_at(start_byte + i));
        }
        Some(TextEdit::new(start_byte, old_end_byte, new_end_byte))
    }

    /// `text` made again from the rope. When nothing else holds the previous text (the lint
    /// of the previous version is done with it, the usual case between keystrokes), its
    /// buffer is refilled in place: a fresh buffer of a large file is a fresh mapping
    /// (above the mmap threshold), ~70 page faults per keystroke at 10,000 lines. A buffer
    /// much larger than the text (after a big deletion) is given up rather than kept.
    fn rebuild_text(&mut self) {
        let len = self.rope.len_bytes();
        if let Some(text) = Arc::get_mut(&mut self.text) {
            if text.capacity() <= 2 * len + 4096 {
                text.clear();
                text.reserve(len);
                text.extend(self.rope.chunks());
                return;
            }
        }
        self.text = Arc::new(String::from(&self.rope));
    }

    /// Applies `changes` in order, then re-parses once. `generation` is the new generation.
    pub fn apply_changes(
        &mut self,
        changes: &[Change],
        version: i32,
        enc: Encoding,
        generation: u64,
    ) {
        const MAX_LOGGED_EDITS: usize = 512;
        let mut full: Option<&str> = None;
        let mut edited = false;
        let mut batch: Option<TextEdit> = None;
        for change in changes {
            match change.range {
                None => {
                    // Replaces everything: start over from this text.
                    self.rope = Rope::from_str(&change.text);
                    self.lone_cr = has_lone_cr(&change.text);
                    full = Some(&change.text);
                    edited = false;
                }
                Some((start, end)) => {
                    if let Some(e) = self.apply_one(start, end, &change.text, enc) {
                        batch = Some(batch.map_or(e, |b| b.then(e)));
                    }
                    edited = true;
                }
            }
        }
        if full.is_some() || self.edit_log.len() >= MAX_LOGGED_EDITS {
            // No edit relates the kept model to this text: the next lint parses afresh.
            self.model = None;
            self.edit_log.clear();
            self.log_base = generation;
        } else if let Some(e) = batch {
            self.edit_log.push((generation, e));
        }
        match (full, edited) {
            (Some(t), false) => self.text = Arc::new(t.to_owned()),
            _ => self.rebuild_text(),
        }
        if full.is_some() {
            // The old tree knows nothing of a full replacement (nor of edits after it).
            self.tree_state = TreeState::Replaced;
        }
        self.version = version;
        self.generation = generation;
    }
}

/// Every open document, keyed by URI string.
#[derive(Debug, Default)]
pub struct DocumentStore {
    docs: HashMap<String, Document>,
}

impl DocumentStore {
    pub fn get(&self, uri: &str) -> Option<&Document> {
        self.docs.get(uri)
    }
    pub fn get_mut(&mut self, uri: &str) -> Option<&mut Document> {
        self.docs.get_mut(uri)
    }
    /// The URIs of the open documents.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.docs.keys()
    }

    pub fn insert(&mut self, uri: String, doc: Document) {
        self.docs.insert(uri, doc);
    }
    pub fn remove(&mut self, uri: &str) -> Option<Document> {
        self.docs.remove(uri)
    }
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&String, &mut Document)> {
        self.docs.iter_mut()
    }
    pub fn len(&self) -> usize {
        self.docs.len()
    }
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::position::position_at;
    use proptest::prelude::*;
    use Encoding::{Utf16, Utf8};

    fn change(sl: u32, sc: u32, el: u32, ec: u32, text: &str) -> Change {
        Change {
            range: Some((LineCol::new(sl, sc), LineCol::new(el, ec))),
            text: text.to_string(),
        }
    }

    #[test]
    fn the_text_buffer_is_refilled_in_place_unless_someone_holds_it() {
        let mut doc = Document::new(1, "FROM alpine\nRUN true\n", 1, 1);
        doc.apply_changes(&[change(1, 4, 1, 4, "x")], 2, Utf8, 2);
        let buffer = doc.text().as_ptr();
        doc.apply_changes(&[change(1, 4, 1, 5, "")], 3, Utf8, 3);
        assert_eq!(doc.text().as_str(), "FROM alpine\nRUN true\n");
        assert_eq!(doc.text().as_ptr(), buffer, "unshared: same buffer");
        // A lint holding version 3 keeps its text while version 4 is made beside it.
        let held = doc.text().clone();
        doc.apply_changes(&[change(0, 5, 0, 11, "debian")], 4, Utf8, 4);
        assert_eq!(held.as_str(), "FROM alpine\nRUN true\n");
        assert_eq!(doc.text().as_str(), "FROM debian\nRUN true\n");
        assert_ne!(doc.text().as_ptr(), held.as_ptr());
        // A buffer far larger than the text is not kept.
        let big = format!("FROM alpine\n{}", "RUN true\n".repeat(10_000));
        let mut doc = Document::new(2, &big, 1, 1);
        doc.apply_changes(&[change(1, 0, 10_001, 0, "")], 2, Utf8, 2);
        assert_eq!(doc.text().as_str(), "FROM alpine\n");
        assert!(doc.text().capacity() < 4096 + 2 * doc.text().len() + 1);
    }

    /// Every node with its kind id, bytes and points: stricter than `to_sexp`, it also
    /// catches wrong points given to `Tree::edit`.
    fn dump(tree: &SyntaxTree) -> String {
        let Some(t) = tree.tree() else {
            return String::new();
        };
        let mut out = String::new();
        let mut cursor = t.walk();
        'outer: loop {
            let n = cursor.node();
            out.push_str(&format!(
                "{} {}..{} {:?}..{:?} err={}\n",
                n.kind_id(),
                n.start_byte(),
                n.end_byte(),
                (n.start_position().row, n.start_position().column),
                (n.end_position().row, n.end_position().column),
                n.has_error()
            ));
            if cursor.goto_first_child() || cursor.goto_next_sibling() {
                continue;
            }
            loop {
                if !cursor.goto_parent() {
                    break 'outer;
                }
                if cursor.goto_next_sibling() {
                    break;
                }
            }
        }
        out
    }

    fn naive_ts_point(text: &str, offset: usize) -> (usize, usize) {
        let before = &text.as_bytes()[..offset];
        let row = before.iter().filter(|&&b| b == b'\n').count();
        let col = match before.iter().rposition(|&b| b == b'\n') {
            Some(p) => offset - p - 1,
            None => offset,
        };
        (row, col)
    }

    #[test]
    fn tree_sitter_points_ignore_lone_cr() {
        for text in ["a\rb\nc\r\nd", "é\r\n😀\nx", "", "\r\r\n\n\r"] {
            let d = Document::new(1, text, 1, 1);
            for i in 0..=text.len() {
                if text.is_char_boundary(i) {
                    assert_eq!(d.ts_point(i), naive_ts_point(text, i), "{text:?} at {i}");
                }
            }
        }
    }

    fn assert_tree_fresh(doc: &mut Document) {
        let fresh = SyntaxTree::new(doc.text());
        assert_eq!(
            doc.tree().to_sexp(),
            fresh.to_sexp(),
            "text: {:?}",
            doc.text()
        );
        assert_eq!(dump(doc.tree()), dump(&fresh), "text: {:?}", doc.text());
    }

    #[test]
    fn multibyte_edits_in_both_encodings() {
        let mut d = Document::new(1, "FROM alpine\nRUN echo hi\n", 1, 1);
        // Insert é after "echo " (line 1, col 9).
        d.apply_changes(&[change(1, 9, 1, 9, "é")], 2, Utf16, 2);
        assert_eq!(&**d.text(), "FROM alpine\nRUN echo éhi\n");
        // In UTF-16 é is one unit: 😀 goes after it at col 10.
        d.apply_changes(&[change(1, 10, 1, 10, "😀")], 3, Utf16, 3);
        assert_eq!(&**d.text(), "FROM alpine\nRUN echo é😀hi\n");
        // In UTF-8, delete é (bytes 9..11 of the line).
        d.apply_changes(&[change(1, 9, 1, 11, "")], 4, Utf8, 4);
        assert_eq!(&**d.text(), "FROM alpine\nRUN echo 😀hi\n");
        // Delete the emoji in UTF-16 (2 units).
        d.apply_changes(&[change(1, 9, 1, 11, "")], 5, Utf16, 5);
        assert_eq!(&**d.text(), "FROM alpine\nRUN echo hi\n");
        assert_eq!(d.version, 5);
        assert_tree_fresh(&mut d);
    }

    #[test]
    fn crlf_insert_and_join_lines() {
        let mut d = Document::new(1, "FROM a\r\nRUN b\r\n", 1, 1);
        d.apply_changes(&[change(0, 6, 0, 6, "\r\nRUN 𐐀")], 2, Utf16, 2);
        assert_eq!(&**d.text(), "FROM a\r\nRUN 𐐀\r\nRUN b\r\n");
        assert_tree_fresh(&mut d);
        // Join lines 1 and 2: delete from the end of line 1 to the start of line 2.
        d.apply_changes(&[change(1, 6, 2, 0, " && ")], 3, Utf16, 3);
        assert_eq!(&**d.text(), "FROM a\r\nRUN 𐐀 && RUN b\r\n");
        assert_tree_fresh(&mut d);
        // Several changes in one notification apply in order.
        d.apply_changes(
            &[change(0, 0, 0, 4, "from"), change(1, 0, 1, 3, "run")],
            4,
            Utf8,
            4,
        );
        assert_eq!(&**d.text(), "from a\r\nrun 𐐀 && RUN b\r\n");
        assert_tree_fresh(&mut d);
    }

    #[test]
    fn lone_cr_points_follow_tree_sitter() {
        let mut d = Document::new(1, "FROM a\rRUN b\nRUN c\n", 1, 1);
        d.apply_changes(&[change(2, 4, 2, 5, "x\ry")], 2, Utf8, 2);
        assert_eq!(&**d.text(), "FROM a\rRUN b\nRUN x\ry\n");
        assert_tree_fresh(&mut d);
        // Replacing a CRLF by a CR creates a lone CR.
        let mut d = Document::new(1, "FROM a\r\nRUN b\n", 1, 1);
        assert!(!d.lone_cr);
        d.apply_changes(&[change(0, 6, 1, 0, "\r")], 4, Utf8, 4);
        assert_eq!(&**d.text(), "FROM a\rRUN b\n");
        assert!(d.lone_cr);
        d.apply_changes(&[change(1, 5, 1, 5, "\nRUN c")], 5, Utf8, 5);
        assert_tree_fresh(&mut d);
    }

    #[test]
    fn full_replacement_and_clamped_ranges() {
        let mut d = Document::new(1, "FROM a\n", 1, 1);
        d.apply_changes(
            &[Change {
                range: None,
                text: "FROM b\nRUN x\n".into(),
            }],
            2,
            Utf16,
            2,
        );
        assert_eq!(&**d.text(), "FROM b\nRUN x\n");
        assert_tree_fresh(&mut d);
        // Past the end of a line and of the document: clamped, not dropped.
        d.apply_changes(&[change(1, 99, 50, 0, "!")], 3, Utf16, 3);
        assert_eq!(&**d.text(), "FROM b\nRUN x!");
        // Reversed range: empty at its start.
        d.apply_changes(&[change(0, 4, 0, 0, " ")], 4, Utf16, 4);
        assert_eq!(&**d.text(), "FROM  b\nRUN x!");
        // Full replacement followed by an edit in the same batch.
        d.apply_changes(
            &[
                Change {
                    range: None,
                    text: "FROM c\n".into(),
                },
                change(1, 0, 1, 0, "RUN y\n"),
            ],
            5,
            Utf16,
            5,
        );
        assert_eq!(&**d.text(), "FROM c\nRUN y\n");
        assert_tree_fresh(&mut d);
        // Empty document.
        d.apply_changes(&[change(0, 0, 9, 9, "")], 6, Utf8, 6);
        assert_eq!(&**d.text(), "");
        d.apply_changes(&[change(3, 3, 3, 3, "é")], 7, Utf16, 7);
        assert_eq!(&**d.text(), "é");
        assert_tree_fresh(&mut d);
    }

    // ---- property test: the store's text equals an independent client-side model ----

    /// The client's view: a String, edited with positions resolved by a naive reference
    /// implementation of the LSP rules (independent of ropey).
    fn reference_offset(text: &str, pos: LineCol, enc: Encoding) -> usize {
        // Line starts at \n, \r\n, lone \r.
        let b = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'\n' {
                starts.push(i + 1);
            } else if b[i] == b'\r' {
                if b.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                starts.push(i + 1);
            }
            i += 1;
        }
        let Some(&start) = starts.get(pos.line as usize) else {
            return text.len();
        };
        let mut end = starts
            .get(pos.line as usize + 1)
            .copied()
            .unwrap_or(b.len());
        while end > start && matches!(b[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        let mut units = 0usize;
        for (i, ch) in text[start..end].char_indices() {
            let w = match enc {
                Utf8 => ch.len_utf8(),
                Utf16 => ch.len_utf16(),
            };
            if units + w > pos.character as usize {
                return start + i;
            }
            units += w;
        }
        end
    }

    fn reference_apply(text: &mut String, c: &Change, enc: Encoding) {
        match c.range {
            None => *text = c.text.clone(),
            Some((s, e)) => {
                let a = reference_offset(text, s, enc);
                let b = reference_offset(text, e, enc).max(a);
                text.replace_range(a..b, &c.text);
            }
        }
    }

    fn piece() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "a", "RUN ", "FROM x", " ", "é", "😀", "𐐀", "\n", "\r\n", "\r", "\\", "\\\n", "#",
            "<<EOF\n", "EOF\n", "\"", "$x", "ß", "\t",
        ])
    }

    fn edit_strategy() -> impl Strategy<Value = (u32, u32, u32, u32, String, bool)> {
        (
            0u32..12,
            0u32..14,
            0u32..3,
            0u32..14,
            prop::collection::vec(piece(), 0..4).prop_map(|v| v.concat()),
            prop::bool::weighted(0.02),
        )
    }

    fn run_edits(
        initial: &str,
        edits: &[(u32, u32, u32, u32, String, bool)],
        enc: Encoding,
    ) -> Result<(), TestCaseError> {
        let mut doc = Document::new(1, initial, 0, 0);
        let mut client = initial.to_string();
        for (n, (sl, sc, dl, ec, text, full)) in edits.iter().enumerate() {
            let c = if *full {
                Change {
                    range: None,
                    text: text.clone(),
                }
            } else {
                // Mostly forward ranges (start + line delta), sometimes past the end.
                change(*sl, *sc, sl + dl, *ec, text)
            };
            reference_apply(&mut client, &c, enc);
            doc.apply_changes(std::slice::from_ref(&c), n as i32 + 1, enc, n as u64 + 1);
            prop_assert_eq!(&**doc.text(), client.as_str());
            prop_assert_eq!(String::from(doc.rope()), client.clone());
            if n % 3 == 2 {
                // What the lint task does: re-parse from the kept model and the edit log.
                let g = doc.generation;
                let model = match doc.take_parse_base() {
                    Some(ParseBase {
                        model, edit: None, ..
                    }) => model,
                    Some(ParseBase {
                        model,
                        edit: Some(e),
                        ..
                    }) => Arc::new(crate::syntax::incremental::reparse(
                        (*model).clone(),
                        doc.text(),
                        e,
                    )),
                    None => Arc::new(crate::syntax::parse(doc.text())),
                };
                prop_assert!(*model == crate::syntax::parse(doc.text()), "edit {}", n);
                doc.store_model(g, model);
            }
            if n % 7 == 6 {
                // A tree-using request in the middle of the edits.
                let fresh = SyntaxTree::new(doc.text());
                prop_assert_eq!(doc.tree().to_sexp(), fresh.to_sexp());
            }
        }
        let fresh = SyntaxTree::new(doc.text());
        prop_assert_eq!(doc.tree().to_sexp(), fresh.to_sexp());
        prop_assert_eq!(dump(doc.tree()), dump(&fresh), "text: {:?}", doc.text());
        // Every position the server reports maps back onto the client's text, and the
        // points given to tree-sitter count rows at `\n` only, as tree-sitter does.
        for (i, _) in client.char_indices() {
            let p = position_at(doc.rope(), i, enc);
            let back = reference_offset(&client, p, enc);
            prop_assert!(back <= i);
            prop_assert_eq!(doc.ts_point(i), naive_ts_point(&client, i));
        }
        Ok(())
    }

    fn initial_strategy() -> impl Strategy<Value = String> {
        prop::collection::vec(piece(), 0..30).prop_map(|v| v.concat())
    }

    proptest! {
        // 2 encodings x 256 cases x ~22 edits ≈ 11,000 edits, each checked against the client.
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn store_matches_client_utf16(
            initial in initial_strategy(),
            edits in prop::collection::vec(edit_strategy(), 15..30),
        ) {
            run_edits(&initial, &edits, Utf16)?;
        }

        #[test]
        fn store_matches_client_utf8(
            initial in initial_strategy(),
            edits in prop::collection::vec(edit_strategy(), 15..30),
        ) {
            run_edits(&initial, &edits, Utf8)?;
        }
    }
}
