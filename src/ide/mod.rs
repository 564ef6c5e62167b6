//! Cursor features for the editor, as pure functions over the [`crate::syntax::Dockerfile`]
//! model and byte offsets. No LSP types: `src/server` converts.

pub mod completion;
#[cfg(test)]
pub(crate) mod fixture;
pub mod hover;
pub mod scope;
