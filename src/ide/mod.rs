//! Cursor features for the editor, as pure functions over the [`crate::syntax::Dockerfile`]
//! model and byte offsets. No LSP types: `src/server` converts positions and items.
//!
//! * [`completion::complete`]`(file, text, offset)` → items with a byte `range` to replace,
//!   snippet flag, sort and filter text.
//! * [`hover::hover`]`(file, text, offset, diagnostics)` → markdown and the byte range it is
//!   about; [`hover::hover_on`] takes `today` explicitly (support dates) for tests.
//! * [`scope`] resolves the variables and stages visible at a position (shared by both).
//!
//! Both work on the current instruction (found by binary search) and, where needed, the
//! current stage's instructions or the list of stages — never a scan of the whole file.

pub mod completion;
#[cfg(test)]
pub(crate) mod fixture;
pub mod hover;
pub mod scope;
