//! Shell analysis of RUN bodies (tree-sitter-bash). Filled in by the rules work.
