//! Editor features over the typed model, on byte offsets (the server converts positions).

pub mod folding;
pub mod format;
pub mod inlay;
pub mod links;
pub mod navigation;
pub mod semantic_tokens;
pub mod signature;
pub mod symbols;
#[cfg(test)]
mod test_fixture;
