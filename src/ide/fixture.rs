//! Inline cursor fixtures for IDE tests: a Dockerfile with a `$0` cursor, optionally with
//! `^^^` marks on their own lines under the text they mark. Both are removed before parsing.

use crate::syntax::TextRange;

/// A fixture with its markers removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixture {
    pub text: String,
    pub offset: usize,
    /// Ranges marked with `^` in lines made only of spaces and carets (they mark the line above).
    pub marks: Vec<TextRange>,
}

/// Removes the `$0` cursor; returns the text and the cursor's byte offset.
pub fn cursor(with_cursor: &str) -> (String, usize) {
    let f = fixture(with_cursor);
    (f.text, f.offset)
}

/// Parses a fixture with a `$0` cursor and optional `^^^` mark lines.
pub fn fixture(src: &str) -> Fixture {
    let offset_in_src = src.find("$0").expect("fixture has no $0 cursor");
    assert!(
        src[offset_in_src + 2..].find("$0").is_none(),
        "fixture has more than one $0"
    );
    let src = src.replacen("$0", "", 1);
    let mut text = String::new();
    let mut marks = Vec::new();
    let mut prev_line_start = 0;
    let mut offset = offset_in_src;
    let mut consumed = 0;
    for line in src.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let is_mark = content.contains('^') && content.chars().all(|c| c == ' ' || c == '^');
        if is_mark {
            let mut col = 0;
            let bytes = content.as_bytes();
            while col < bytes.len() {
                if bytes[col] == b'^' {
                    let start = col;
                    while col < bytes.len() && bytes[col] == b'^' {
                        col += 1;
                    }
                    marks.push(TextRange::new(
                        prev_line_start + start,
                        prev_line_start + col,
                    ));
                } else {
                    col += 1;
                }
            }
            if consumed < offset_in_src {
                offset -= line.len().min(offset_in_src - consumed);
            }
        } else {
            prev_line_start = text.len();
            text.push_str(line);
        }
        consumed += line.len();
    }
    Fixture {
        text,
        offset,
        marks,
    }
}

#[test]
fn removes_cursor_and_marks() {
    let f = fixture("FROM a\n     ^\nRUN $0x\n    ^^\n");
    assert_eq!(f.text, "FROM a\nRUN x\n");
    assert_eq!(f.offset, 11);
    assert_eq!(f.marks, vec![TextRange::new(5, 6), TextRange::new(11, 13)]);
    assert_eq!(cursor("FROM $0"), ("FROM ".to_string(), 5));
}
