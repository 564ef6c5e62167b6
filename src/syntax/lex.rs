//! Word splitting with Dockerfile quoting rules (BuildKit's shell lexer, minus expansion).

use super::TextRange;
use compact_str::CompactString;
use serde::Serialize;

/// One whitespace-separated word of an instruction's arguments.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Word {
    /// The value with quotes removed and escapes applied (variables not expanded).
    pub text: CompactString,
    /// Exactly as written (continuations removed).
    pub raw: CompactString,
    /// Source range (or logical range before the instruction maps it).
    pub range: TextRange,
}

/// Splits `text` into words. Single quotes are literal; inside double quotes the escape
/// character escapes `"`, `$` and itself; elsewhere it escapes any character.
/// Ranges are byte ranges into `text`.
pub fn split_words(text: &str, escape: char) -> Vec<Word> {
    let mut words = Vec::new();
    let mut chars = text.char_indices().peekable();
    loop {
        while let Some(&(_, c)) = chars.peek() {
            if c.is_whitespace() {
                chars.next();
            } else {
                break;
            }
        }
        let Some(&(start, _)) = chars.peek() else {
            break;
        };
        let mut value = CompactString::default();
        let mut end = start;
        let mut quote: Option<char> = None;
        while let Some(&(i, c)) = chars.peek() {
            if quote.is_none() && c.is_whitespace() {
                break;
            }
            chars.next();
            end = i + c.len_utf8();
            match quote {
                Some('\'') => {
                    if c == '\'' {
                        quote = None;
                    } else {
                        value.push(c);
                    }
                }
                Some(_) => {
                    if c == '"' {
                        quote = None;
                    } else if c == escape {
                        match chars.peek() {
                            Some(&(j, n)) if n == '"' || n == '$' || n == escape => {
                                chars.next();
                                end = j + n.len_utf8();
                                value.push(n);
                            }
                            _ => value.push(c),
                        }
                    } else {
                        value.push(c);
                    }
                }
                None => {
                    if c == '\'' || c == '"' {
                        quote = Some(c);
                    } else if c == escape {
                        if let Some(&(j, n)) = chars.peek() {
                            chars.next();
                            end = j + n.len_utf8();
                            value.push(n);
                        } else {
                            value.push(c);
                        }
                    } else {
                        value.push(c);
                    }
                }
            }
        }
        words.push(Word {
            text: value,
            raw: CompactString::from(&text[start..end]),
            range: TextRange::new(start, end),
        });
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        split_words(s, '\\')
            .into_iter()
            .map(|w| w.text.into())
            .collect()
    }

    #[test]
    fn quotes_and_escapes() {
        assert_eq!(
            texts(r#"a "b c" 'd e' f\ g"#),
            vec!["a", "b c", "d e", "f g"]
        );
        assert_eq!(texts(r#""a\"b" 'x\y'"#), vec!["a\"b", "x\\y"]);
        assert_eq!(texts("  "), Vec::<String>::new());
        let w = split_words("ab  \"c d\"", '\\');
        assert_eq!(w[1].range, TextRange::new(4, 9));
        assert_eq!(w[1].raw, "\"c d\"");
    }

    #[test]
    fn backtick_escape() {
        assert_eq!(
            split_words(r"C:\foo `a", '`')
                .into_iter()
                .map(|w| w.text)
                .collect::<Vec<_>>(),
            vec![r"C:\foo", "a"]
        );
    }
}
