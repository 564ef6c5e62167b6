//! Position <-> byte offset conversion over a [`Rope`].
//!
//! LSP positions are (line, character) where "character" counts UTF-16 code units or bytes
//! (UTF-8), as negotiated at `initialize`. Lines end at `\n`, `\r\n` or a lone `\r` — exactly
//! ropey's line breaks with the `cr_lines` feature and without `unicode_lines`.
//!
//! Out-of-range input is clamped, never rejected: a character past the end of its line means
//! the end of the line (before its terminator), a line past the last line means the end of
//! the document, and a character inside a multi-unit character (half a surrogate pair, the
//! middle of a UTF-8 sequence) means the start of that character.

use ropey::Rope;

/// The negotiated unit of [`LineCol::character`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units (the LSP default).
    #[default]
    Utf16,
}

/// A protocol-neutral LSP position (0-based).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineCol {
    pub line: u32,
    pub character: u32,
}

impl LineCol {
    pub const fn new(line: u32, character: u32) -> LineCol {
        LineCol { line, character }
    }
}

/// Byte offset of the end of `line`'s content (before its terminator).
fn line_content_end(rope: &Rope, line: usize) -> usize {
    let start = rope.try_line_to_byte(line).unwrap_or(rope.len_bytes());
    let next = rope
        .try_line_to_byte(line + 1)
        .unwrap_or(rope.len_bytes())
        .max(start);
    let mut end = next;
    // At most two terminator bytes (`\r\n`); a lone `\r` or `\n` is one.
    if end > start && rope.get_byte(end - 1) == Some(b'\n') {
        end -= 1;
    }
    if end > start && rope.get_byte(end - 1) == Some(b'\r') {
        end -= 1;
    }
    end
}

/// Floors `offset` to the start of the character containing it (and clamps it to the text).
fn floor_char_boundary(rope: &Rope, offset: usize) -> usize {
    let offset = offset.min(rope.len_bytes());
    rope.try_byte_to_char(offset)
        .ok()
        .and_then(|c| rope.try_char_to_byte(c).ok())
        .unwrap_or(0)
}

/// The byte offset of `pos`, clamped as described in the module docs.
pub fn offset_at(rope: &Rope, pos: LineCol, enc: Encoding) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_bytes();
    }
    let Ok(start) = rope.try_line_to_byte(line) else {
        return rope.len_bytes();
    };
    let end = line_content_end(rope, line);
    let col = pos.character as usize;
    match enc {
        Encoding::Utf8 => floor_char_boundary(rope, start.saturating_add(col).min(end)),
        Encoding::Utf16 => {
            let cu = |byte: usize| {
                rope.try_byte_to_char(byte)
                    .and_then(|c| rope.try_char_to_utf16_cu(c))
                    .unwrap_or(0)
            };
            let start_cu = cu(start);
            let end_cu = cu(end);
            let target = start_cu.saturating_add(col).min(end_cu);
            // `utf16_cu_to_char` floors a unit inside a surrogate pair to its character.
            rope.try_utf16_cu_to_char(target)
                .and_then(|c| rope.try_char_to_byte(c))
                .unwrap_or(end)
        }
    }
}

/// The position of byte `offset` (clamped to the text, floored to a character start, and
/// kept before the terminator of its line).
pub fn position_at(rope: &Rope, offset: usize, enc: Encoding) -> LineCol {
    let offset = floor_char_boundary(rope, offset);
    let line = rope.try_byte_to_line(offset).unwrap_or(0);
    let start = rope.try_line_to_byte(line).unwrap_or(0);
    let offset = offset.min(line_content_end(rope, line)).max(start);
    let character = match enc {
        Encoding::Utf8 => offset - start,
        Encoding::Utf16 => {
            let cu = |byte: usize| {
                rope.try_byte_to_char(byte)
                    .and_then(|c| rope.try_char_to_utf16_cu(c))
                    .unwrap_or(0)
            };
            cu(offset).saturating_sub(cu(start))
        }
    };
    LineCol {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        character: u32::try_from(character).unwrap_or(u32::MAX),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use Encoding::{Utf16, Utf8};

    fn off(text: &str, line: u32, character: u32, enc: Encoding) -> usize {
        offset_at(&Rope::from_str(text), LineCol::new(line, character), enc)
    }

    fn pos(text: &str, offset: usize, enc: Encoding) -> (u32, u32) {
        let p = position_at(&Rope::from_str(text), offset, enc);
        (p.line, p.character)
    }

    #[test]
    fn ascii() {
        let t = "FROM a\nRUN b\n";
        assert_eq!(off(t, 0, 0, Utf16), 0);
        assert_eq!(off(t, 1, 3, Utf16), 10);
        assert_eq!(off(t, 1, 3, Utf8), 10);
        assert_eq!(pos(t, 10, Utf16), (1, 3));
        // The empty line after the final newline exists.
        assert_eq!(off(t, 2, 0, Utf16), t.len());
        assert_eq!(pos(t, t.len(), Utf8), (2, 0));
    }

    #[test]
    fn two_byte_char() {
        // é is 2 bytes in UTF-8, 1 unit in UTF-16.
        let t = "ENV x=é!\n";
        assert_eq!(off(t, 0, 7, Utf16), 8);
        assert_eq!(off(t, 0, 8, Utf8), 8);
        assert_eq!(pos(t, 8, Utf16), (0, 7));
        assert_eq!(pos(t, 8, Utf8), (0, 8));
        // A UTF-8 column inside é floors to its start.
        assert_eq!(off(t, 0, 7, Utf8), 6);
        assert_eq!(pos(t, 7, Utf8), (0, 6));
    }

    #[test]
    fn surrogate_pairs() {
        for ch in ["😀", "𐐀"] {
            let t = format!("a{ch}b");
            // 4 bytes, 2 UTF-16 units.
            assert_eq!(off(&t, 0, 1, Utf16), 1);
            assert_eq!(off(&t, 0, 3, Utf16), 5, "{ch}");
            assert_eq!(off(&t, 0, 5, Utf8), 5);
            // Half a surrogate pair floors to the character's start.
            assert_eq!(off(&t, 0, 2, Utf16), 1, "{ch}");
            assert_eq!(pos(&t, 5, Utf16), (0, 3));
            assert_eq!(pos(&t, 5, Utf8), (0, 5));
            assert_eq!(pos(&t, 3, Utf16), (0, 1));
            assert_eq!(pos(&t, 6, Utf16), (0, 4));
        }
    }

    #[test]
    fn crlf() {
        let t = "FROM a\r\nRUN b\r\n";
        assert_eq!(off(t, 1, 0, Utf16), 8);
        assert_eq!(off(t, 1, 5, Utf8), 13);
        // Past the end of line 0: before the \r\n.
        assert_eq!(off(t, 0, 99, Utf16), 6);
        assert_eq!(pos(t, 8, Utf16), (1, 0));
        // Offsets on the terminator map to the end of the line's content.
        assert_eq!(pos(t, 7, Utf16), (0, 6));
        assert_eq!(pos(t, 6, Utf16), (0, 6));
        assert_eq!(off(t, 2, 0, Utf8), t.len());
    }

    #[test]
    fn lone_cr() {
        let t = "FROM a\rRUN b";
        assert_eq!(Rope::from_str(t).len_lines(), 2);
        assert_eq!(off(t, 1, 0, Utf16), 7);
        assert_eq!(off(t, 0, 50, Utf8), 6);
        assert_eq!(pos(t, 7, Utf8), (1, 0));
        assert_eq!(pos(t, 12, Utf16), (1, 5));
    }

    #[test]
    fn unicode_line_separators_are_not_breaks() {
        // LSP breaks lines only at \n, \r\n, \r: U+2028, NEL and FF stay inside the line.
        let t = "a\u{2028}b\u{85}c\u{c}d\ne";
        let r = Rope::from_str(t);
        assert_eq!(r.len_lines(), 2);
        assert_eq!(off(t, 1, 0, Utf16), t.len() - 1);
    }

    #[test]
    fn clamping() {
        let t = "ab\ncd";
        assert_eq!(off(t, 0, 10, Utf16), 2);
        assert_eq!(off(t, 0, u32::MAX, Utf8), 2);
        assert_eq!(off(t, 1, 10, Utf8), 5);
        assert_eq!(off(t, 7, 0, Utf16), 5);
        assert_eq!(off(t, u32::MAX, u32::MAX, Utf16), 5);
        assert_eq!(pos(t, 1000, Utf16), (1, 2));
    }

    #[test]
    fn empty_document() {
        for enc in [Utf8, Utf16] {
            assert_eq!(off("", 0, 0, enc), 0);
            assert_eq!(off("", 0, 5, enc), 0);
            assert_eq!(off("", 3, 5, enc), 0);
            assert_eq!(pos("", 0, enc), (0, 0));
            assert_eq!(pos("", 9, enc), (0, 0));
        }
    }

    fn text_strategy() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "a", "RUN ", " ", "é", "😀", "𐐀", "\n", "\r\n", "\r", "\\", "ß", "\t", "\u{2028}",
        ]);
        prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Every character boundary maps to a position and back to itself, in both encodings;
        /// positions are monotonic in the offset.
        #[test]
        fn round_trip(text in text_strategy()) {
            let rope = Rope::from_str(&text);
            for enc in [Utf8, Utf16] {
                let mut last = LineCol::new(0, 0);
                for (i, _) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
                    let p = position_at(&rope, i, enc);
                    prop_assert!(p >= last);
                    last = p;
                    let on_terminator = matches!(text.as_bytes().get(i), Some(b'\n'))
                        && i > 0
                        && text.as_bytes().get(i - 1) == Some(&b'\r');
                    if !on_terminator {
                        prop_assert_eq!(offset_at(&rope, p, enc), i, "{:?} {:?}", enc, p);
                    }
                }
            }
        }
    }
}
