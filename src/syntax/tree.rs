//! The tree-sitter Dockerfile grammar.
