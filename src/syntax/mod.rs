//! The syntax layer: everything that knows how a Dockerfile is spelled.
//!
//! * [`parse`] turns text into the typed [`Dockerfile`] model, following BuildKit's
//!   line-oriented parser (escape directive, continuations, comments inside continuations,
//!   heredocs), so every instruction BuildKit sees is in the model and no syntax error is
//!   reported that BuildKit would not report.
//! * [`tree`] owns the tree-sitter Dockerfile grammar: incremental parsing for the server and the
//!   node names the queries in `queries/` use. Grammar node names appear in this folder only.
//! * [`shell`] parses the shell inside `RUN` with tree-sitter-bash into a flat command list.
//!
//! Every item carries a byte [`TextRange`] into the original text.

mod expand;
mod image;
pub mod incremental;
mod instruction;
mod lex;
mod model;
mod parse;
pub mod queries;
pub mod shell;
pub mod tree;

pub use expand::{expand, Expansion, Lookup, PLATFORM_ARGS, PREDEFINED_ARGS};
pub use image::ImageRef;
pub use instruction::{flag_spec, instruction_names, FlagSpec, Keyword, INSTRUCTIONS};
pub use lex::{split_words, Word};
pub use model::*;
pub(crate) use parse::scan_var_refs;
pub use parse::{parse, suggest};

use serde::Serialize;

/// A half-open byte range `[start, end)` into the document text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct TextRange {
    pub start: usize,
    pub end: usize,
}

impl TextRange {
    pub const fn new(start: usize, end: usize) -> TextRange {
        TextRange { start, end }
    }
    pub const fn empty(at: usize) -> TextRange {
        TextRange { start: at, end: at }
    }
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
    /// True when `offset` lies inside the range or at its end.
    pub fn contains_inclusive(&self, offset: usize) -> bool {
        self.start <= offset && offset <= self.end
    }
    pub fn contains(&self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }
    pub fn cover(self, other: TextRange) -> TextRange {
        TextRange::new(self.start.min(other.start), self.end.max(other.end))
    }
    pub fn intersects(&self, other: TextRange) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// Byte offsets of line starts; converts byte offsets to 0-based (line, byte column).
/// Lines end at `\n`, `\r\n` or a lone `\r`, as in LSP.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineIndex {
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i + 1),
                b'\r' => {
                    if bytes.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                    starts.push(i + 1);
                }
                _ => {}
            }
            i += 1;
        }
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 0-based line and byte column of `offset` (clamped to the text).
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.len);
        let line = match self.starts.binary_search(&offset) {
            Ok(l) => l,
            Err(l) => l.saturating_sub(1),
        };
        (line, offset - self.starts[line])
    }

    /// Byte offset where `line` starts (clamped: past the end gives the text length).
    pub fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(self.len)
    }

    /// The index of `text`, which is this index's text with `[start, old_end)` replaced by
    /// `[start, new_end)`: line starts before the edit are kept, those after it moved, and
    /// only the edited stretch is scanned. Equal to `LineIndex::new(text)`.
    pub fn edited(mut self, text: &str, start: usize, old_end: usize, new_end: usize) -> Self {
        let delta = new_end as isize - old_end as isize;
        // A line start `s` depends on the bytes at `s - 1` and `s`.
        let keep = self.starts.partition_point(|&s| s < start);
        let tail_from = self.starts.partition_point(|&s| s <= old_end);
        let tail: Vec<usize> = self.starts[tail_from..]
            .iter()
            .map(|s| s.saturating_add_signed(delta))
            .collect();
        self.starts.truncate(keep.max(1));
        let bytes = text.as_bytes();
        for at in start.max(1)..=new_end.min(bytes.len()) {
            let starts_line = match bytes.get(at - 1) {
                Some(b'\n') => true,
                Some(b'\r') => bytes.get(at) != Some(&b'\n'),
                _ => false,
            };
            if starts_line {
                self.starts.push(at);
            }
        }
        self.starts.extend(tail);
        self.len = text.len();
        self
    }

    /// Byte range of `line` without its terminator.
    pub fn line_range(&self, text: &str, line: usize) -> TextRange {
        let start = self.line_start(line);
        let mut end = self.line_start(line + 1);
        let bytes = text.as_bytes();
        while end > start && matches!(bytes.get(end - 1), Some(b'\n' | b'\r')) {
            end -= 1;
        }
        TextRange::new(start, end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_handles_all_terminators() {
        let t = "a\nb\r\nc\rd";
        let li = LineIndex::new(t);
        assert_eq!(li.line_count(), 4);
        assert_eq!(li.line_col(0), (0, 0));
        assert_eq!(li.line_col(2), (1, 0));
        assert_eq!(li.line_col(5), (2, 0));
        assert_eq!(li.line_col(7), (3, 0));
        assert_eq!(li.line_col(100), (3, 1));
        assert_eq!(li.line_range(t, 1), TextRange::new(2, 3));
    }
}
