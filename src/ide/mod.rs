//! Cursor and document features for the editor, as pure functions over the
//! [`crate::syntax::Dockerfile`] model and byte offsets. No LSP types: `src/server` converts
//! positions and items.
//!
//! * [`completion::complete`]`(file, text, offset)` → items with a byte `range` to replace,
//!   snippet flag, sort and filter text.
//! * [`hover::hover`]`(file, text, offset, diagnostics)` → markdown and the byte range it is
//!   about; [`hover::hover_on`] takes `today` explicitly (support dates) for tests.
//! * [`scope`] resolves the variables and stages visible at a position (shared by both).
//! * [`navigation`]: definition, references, rename, document highlight (stages, ARG/ENV).
//! * [`symbols`]: document outline and workspace symbol search.
//! * [`folding`], [`semantic_tokens`]: `queries/*.scm` over the tree plus the typed model.
//! * [`links`], [`inlay`], [`signature`], [`format`].
//!
//! Completion and hover work on the current instruction (found by binary search) and, where
//! needed, the current stage's instructions or the list of stages — never a scan of the
//! whole file. Whole-document features (navigation, tokens, formatting) are linear.

pub mod completion;
#[cfg(test)]
pub(crate) mod fixture;
pub mod folding;
pub mod format;
pub mod hover;
pub mod inlay;
pub mod links;
pub mod navigation;
pub mod scope;
pub mod semantic_tokens;
pub mod signature;
pub mod symbols;
#[cfg(test)]
mod test_fixture;
