//! Folding ranges: stages, multi-line instructions, heredocs, comment blocks (≥ 2 lines).
//!
//! Stages, instructions and heredocs come from the typed model (it has no gaps where the
//! tree-sitter grammar produces ERROR nodes); `queries/folds.scm` adds what the tree knows
//! (multi-line JSON arrays, heredoc blocks, comments). Results are merged: one fold per start
//! line (the longest), as editors show only one.

use crate::syntax::queries::{self, QueryKind};
use crate::syntax::tree::SyntaxTree;
use crate::syntax::{Dockerfile, TextRange};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FoldKind {
    Region,
    Comment,
}

/// A fold: 0-based first and last line, and the byte range it came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FoldingRange {
    pub start_line: usize,
    pub end_line: usize,
    pub range: TextRange,
    pub kind: FoldKind,
}

/// Folding ranges sorted by start line.
pub fn folding_ranges(df: &Dockerfile, text: &str, tree: Option<&SyntaxTree>) -> Vec<FoldingRange> {
    let mut folds = Vec::new();
    let mut add = |range: TextRange, kind: FoldKind| {
        let (start_line, _) = df.lines.line_col(range.start);
        let (end_line, _) = df.lines.line_col(range.end.max(range.start));
        if end_line > start_line {
            folds.push(FoldingRange {
                start_line,
                end_line,
                range,
                kind,
            });
        }
    };
    for st in &df.stages {
        add(st.range, FoldKind::Region);
    }
    for ins in &df.instructions {
        add(ins.range, FoldKind::Region);
        let heredocs = ins
            .heredocs
            .iter()
            .chain(ins.onbuild.iter().flat_map(|o| o.heredocs.iter()));
        for h in heredocs {
            let end = h.end_range.map(|r| r.end).unwrap_or(h.body_range.end);
            add(TextRange::new(h.marker_range.start, end), FoldKind::Region);
        }
    }
    // Comment lines: from the model, plus any the tree reports.
    let mut comment_lines: Vec<(usize, TextRange)> = df
        .comments
        .iter()
        .map(|c| (df.lines.line_col(c.range.start).0, c.range))
        .collect();
    if let Some(tree) = tree {
        for cap in queries::run(QueryKind::Folds, tree, text, None) {
            match cap.name {
                "fold" => add(cap.range, FoldKind::Region),
                "comment" => comment_lines.push((df.lines.line_col(cap.range.start).0, cap.range)),
                _ => {}
            }
        }
    }
    comment_lines.sort_by_key(|c| c.0);
    comment_lines.dedup_by_key(|c| c.0);
    let mut i = 0;
    while i < comment_lines.len() {
        let mut j = i;
        while j + 1 < comment_lines.len() && comment_lines[j + 1].0 == comment_lines[j].0 + 1 {
            j += 1;
        }
        if j > i {
            add(
                comment_lines[i].1.cover(comment_lines[j].1),
                FoldKind::Comment,
            );
        }
        i = j + 1;
    }
    // One fold per start line: the longest.
    folds.sort_by(|a, b| {
        a.start_line
            .cmp(&b.start_line)
            .then(b.end_line.cmp(&a.end_line))
    });
    folds.dedup_by_key(|f| f.start_line);
    folds
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn lines(src: &str) -> Vec<(usize, usize, FoldKind)> {
        let df = parse(src);
        let tree = SyntaxTree::new(src);
        folding_ranges(&df, src, Some(&tree))
            .into_iter()
            .map(|f| (f.start_line, f.end_line, f.kind))
            .collect()
    }

    #[test]
    fn stages_instructions_heredocs_comments() {
        let src = "# a\n# b\nFROM alpine AS one\nRUN a \\\n    && b\nRUN <<EOF\nx\nEOF\n# single\nFROM scratch\nCOPY --from=one \\\n  /a /a\n";
        assert_eq!(
            lines(src),
            vec![
                (0, 1, FoldKind::Comment),
                (2, 7, FoldKind::Region),
                (3, 4, FoldKind::Region),
                (5, 7, FoldKind::Region),
                (9, 11, FoldKind::Region),
                (10, 11, FoldKind::Region),
            ]
        );
    }

    #[test]
    fn error_regions_still_fold_from_the_model() {
        // A continuation line starting with `[` is an ERROR node in the grammar.
        let src =
            "FROM debian\nRUN set -eux; \\\n\t[ -z \"$x\" ] || exit 1; \\\n\techo ok\nRUN true\n";
        let got = lines(src);
        assert!(got.contains(&(1, 3, FoldKind::Region)), "{got:?}");
        assert!(got.contains(&(0, 4, FoldKind::Region)), "{got:?}");
    }

    #[test]
    fn multi_line_json_array_from_the_tree() {
        let src = "FROM a\nCMD [\"a\", \\\n     \"b\"]\n";
        assert!(lines(src).contains(&(1, 2, FoldKind::Region)));
    }

    #[test]
    fn works_without_a_tree() {
        let src = "FROM a\nRUN a \\\n  b\n";
        let df = parse(src);
        assert_eq!(folding_ranges(&df, src, None).len(), 2);
    }
}
