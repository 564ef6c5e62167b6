//! Inline test fixtures: `$0` marks the cursor, a line made only of `^` marks the columns of
//! the line above it as an expected range. Both are stripped before the text is parsed.

use crate::syntax::TextRange;

pub struct Fixture {
    pub text: String,
    pub cursor: usize,
    pub marks: Vec<TextRange>,
}

pub fn fixture(src: &str) -> Fixture {
    let mut text = String::new();
    let mut cursor = None;
    let mut marks = Vec::new();
    // (start of the previous kept line in `text`, column of `$0` in it)
    let mut prev: Option<(usize, Option<usize>)> = None;
    for line in src.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let trimmed = body.trim();
        if !trimmed.is_empty() && trimmed.chars().all(|c| c == '^') {
            let first = body.find('^').unwrap_or(0);
            let (start, cur) = prev.unwrap_or((0, None));
            let shift = |col: usize| match cur {
                Some(c) if c < col => col - 2,
                _ => col,
            };
            let mut col = first;
            let bytes = body.as_bytes();
            while col < bytes.len() {
                if bytes[col] == b'^' {
                    let s = col;
                    while col < bytes.len() && bytes[col] == b'^' {
                        col += 1;
                    }
                    marks.push(TextRange::new(start + shift(s), start + shift(col)));
                } else {
                    col += 1;
                }
            }
            continue;
        }
        let start = text.len();
        let cur = line.find("$0");
        match cur {
            Some(c) => {
                cursor = Some(start + c);
                text.push_str(&line[..c]);
                text.push_str(&line[c + 2..]);
            }
            None => text.push_str(line),
        }
        prev = Some((start, cur));
    }
    marks.sort();
    Fixture {
        text,
        cursor: cursor.unwrap_or(0),
        marks,
    }
}

#[test]
fn fixture_strips_cursor_and_marks() {
    let f = fixture("FROM a AS b$0uild\n          ^^^^^^^\nRUN x\n");
    assert_eq!(f.text, "FROM a AS build\nRUN x\n");
    assert_eq!(f.cursor, 11);
    assert_eq!(f.marks, vec![TextRange::new(10, 15)]);
}
