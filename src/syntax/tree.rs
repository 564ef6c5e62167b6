//! The tree-sitter Dockerfile grammar (tree-sitter-containerfile): incremental parsing for the
//! server and the queries in `queries/`. The typed model does not depend on this tree (see
//! the module docs of [`super`]); the tree drives structure features (folding, semantic
//! tokens) whose queries are written against the grammar.

use tree_sitter::{InputEdit, Language, Parser, Point, Tree};

/// The Dockerfile grammar.
pub fn language() -> Language {
    tree_sitter_containerfile::LANGUAGE.into()
}

/// A tree-sitter parse of one document, kept up to date with incremental edits.
pub struct SyntaxTree {
    parser: Parser,
    tree: Option<Tree>,
}

impl std::fmt::Debug for SyntaxTree {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyntaxTree")
            .field("has_tree", &self.tree.is_some())
            .finish()
    }
}

/// A byte edit with the row/column points tree-sitter needs (columns in bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TreeEdit {
    pub start_byte: usize,
    pub old_end_byte: usize,
    pub new_end_byte: usize,
    pub start_point: (usize, usize),
    pub old_end_point: (usize, usize),
    pub new_end_point: (usize, usize),
}

impl SyntaxTree {
    /// Parses `text` from scratch.
    pub fn new(text: &str) -> SyntaxTree {
        let mut parser = Parser::new();
        // The grammar is linked at build time with a compatible ABI; failure is impossible in
        // practice, and then we simply have no tree (structure features degrade, nothing else).
        let tree = match parser.set_language(&language()) {
            Ok(()) => parser.parse(text, None),
            Err(_) => None,
        };
        SyntaxTree { parser, tree }
    }

    /// Tells the old tree about an edit (call once per edit, before [`Self::reparse`]).
    pub fn edit(&mut self, e: &TreeEdit) {
        if let Some(tree) = self.tree.as_mut() {
            tree.edit(&InputEdit {
                start_byte: e.start_byte,
                old_end_byte: e.old_end_byte,
                new_end_byte: e.new_end_byte,
                start_position: Point::new(e.start_point.0, e.start_point.1),
                old_end_position: Point::new(e.old_end_point.0, e.old_end_point.1),
                new_end_position: Point::new(e.new_end_point.0, e.new_end_point.1),
            });
        }
    }

    /// Re-parses `text` reusing the edited old tree.
    pub fn reparse(&mut self, text: &str) {
        self.tree = self.parser.parse(text, self.tree.as_ref());
    }

    pub fn tree(&self) -> Option<&Tree> {
        self.tree.as_ref()
    }

    /// S-expression of the tree (for tests comparing incremental and fresh parses).
    pub fn to_sexp(&self) -> String {
        self.tree
            .as_ref()
            .map(|t| t.root_node().to_sexp())
            .unwrap_or_default()
    }
}

impl SyntaxTree {
    /// A copy sharing the current tree (cheap: tree-sitter trees are reference-counted), with
    /// its own parser, for read-only use off the document store's lock.
    pub fn snapshot(&self) -> SyntaxTree {
        let mut parser = Parser::new();
        let ok = parser.set_language(&language()).is_ok();
        SyntaxTree {
            parser,
            tree: if ok { self.tree.clone() } else { None },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incremental_equals_fresh() {
        let old = "FROM alpine\nRUN echo hi\n";
        let new = "FROM alpine:3.20\nRUN echo hi\n";
        let mut t = SyntaxTree::new(old);
        t.edit(&TreeEdit {
            start_byte: 11,
            old_end_byte: 11,
            new_end_byte: 16,
            start_point: (0, 11),
            old_end_point: (0, 11),
            new_end_point: (0, 16),
        });
        t.reparse(new);
        assert_eq!(t.to_sexp(), SyntaxTree::new(new).to_sexp());
    }
}
