//! The tree-sitter queries in `queries/`, compiled once against the linked grammar, and a
//! runner that returns plain (range, capture name) results, so IDE features never see node
//! names.

use std::sync::OnceLock;

use tree_sitter::{Query, QueryCursor, StreamingIterator};

use super::tree::{language, SyntaxTree};
use super::TextRange;

/// `queries/folds.scm`.
pub const FOLDS: &str = include_str!("../../queries/folds.scm");
/// `queries/highlights.scm`.
pub const HIGHLIGHTS: &str = include_str!("../../queries/highlights.scm");

/// Every query file: (file name, source).
pub const ALL: &[(&str, &str)] = &[("folds.scm", FOLDS), ("highlights.scm", HIGHLIGHTS)];

/// Which query to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryKind {
    Folds,
    Highlights,
}

/// One capture: the node's byte range and the capture name (`fold`, `string`, …).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QueryCapture {
    pub range: TextRange,
    pub name: &'static str,
}

fn compiled(kind: QueryKind) -> Option<&'static Query> {
    static FOLDS_Q: OnceLock<Option<Query>> = OnceLock::new();
    static HIGHLIGHTS_Q: OnceLock<Option<Query>> = OnceLock::new();
    let (cell, src) = match kind {
        QueryKind::Folds => (&FOLDS_Q, FOLDS),
        QueryKind::Highlights => (&HIGHLIGHTS_Q, HIGHLIGHTS),
    };
    cell.get_or_init(|| Query::new(&language(), src).ok())
        .as_ref()
}

/// Compiles `source` against the grammar: its capture names, or the error message.
pub fn check_query(source: &str) -> Result<Vec<String>, String> {
    Query::new(&language(), source)
        .map(|q| q.capture_names().iter().map(|s| s.to_string()).collect())
        .map_err(|e| e.to_string())
}

/// Runs a query over the tree (optionally only over `range`), captures in document order.
/// An empty result when there is no tree or the query does not compile.
pub fn run(
    kind: QueryKind,
    tree: &SyntaxTree,
    text: &str,
    range: Option<TextRange>,
) -> Vec<QueryCapture> {
    let (Some(query), Some(tree)) = (compiled(kind), tree.tree()) else {
        return Vec::new();
    };
    let names: &'static [&'static str] = query.capture_names();
    let mut cursor = QueryCursor::new();
    if let Some(r) = range {
        cursor.set_byte_range(r.start..r.end);
    }
    let mut out = Vec::new();
    let mut captures = cursor.captures(query, tree.root_node(), text.as_bytes());
    while let Some((m, idx)) = captures.next() {
        let Some(c) = m.captures().get(*idx) else {
            continue;
        };
        let Some(name) = names.get(c.index as usize) else {
            continue;
        };
        let r = c.node.byte_range();
        // Some nodes (comments) include their line terminator; captures end at the line end.
        let mut end = r.end.min(text.len());
        while end > r.start && matches!(text.as_bytes().get(end - 1), Some(b'\n' | b'\r')) {
            end -= 1;
        }
        out.push(QueryCapture {
            range: TextRange::new(r.start, end),
            name,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_query_compiles() {
        for (name, src) in ALL {
            assert!(check_query(src).is_ok(), "{name}: {:?}", check_query(src));
        }
    }

    #[test]
    fn runs_highlights() {
        let text = "# hi\nFROM alpine:3.20\nRUN echo \"x\"\n";
        let t = SyntaxTree::new(text);
        let caps = run(QueryKind::Highlights, &t, text, None);
        assert!(caps
            .iter()
            .any(|c| c.name == "comment" && c.range == TextRange::new(0, 4)));
        assert!(caps
            .iter()
            .any(|c| c.name == "number" && c.range == TextRange::new(16, 21)));
    }
}
