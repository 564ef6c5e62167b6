//! Inlay hints: the value a variable in a FROM line resolves to (`FROM python:${V}` shows
//! `= 3.12` after `${V}`), from the global ARG defaults declared before it.

use crate::syntax::{Dockerfile, Keyword, TextRange};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlayHint {
    /// Where the hint is shown (just after the variable use).
    pub offset: usize,
    pub label: String,
}

/// Longest value shown before it is cut with `…`.
const MAX_VALUE: usize = 40;

/// Hints within `range` (all when `None`).
pub fn inlay_hints(df: &Dockerfile, text: &str, range: Option<TextRange>) -> Vec<InlayHint> {
    let mut out = Vec::new();
    for ins in df
        .instructions
        .iter()
        .filter(|i| i.keyword == Keyword::From)
    {
        if range.is_some_and(|r| !r.intersects(ins.range) && !r.contains_inclusive(ins.range.start))
        {
            continue;
        }
        for v in &ins.var_refs {
            let Some(src) = text.get(v.range.start..v.range.end) else {
                continue;
            };
            let e = df.expand_global(src, ins.range.start);
            if !e.unresolved.is_empty() || !e.build_time.is_empty() {
                continue;
            }
            let mut value: String = e.value.chars().take(MAX_VALUE).collect();
            if e.value.chars().count() > MAX_VALUE {
                value.push('…');
            }
            let label = if value.is_empty() {
                "= \"\"".to_string()
            } else {
                format!("= {value}")
            };
            out.push(InlayHint {
                offset: v.range.end,
                label,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::test_fixture::fixture;
    use crate::syntax::parse;

    #[test]
    fn from_variables_show_their_values() {
        let f = fixture("ARG V=3.12\nARG D=slim\nARG U\nFROM python:${V}$0-${D:-x} AS a\nFROM x:$U\nFROM --platform=$BUILDPLATFORM y:${NOPE}\nARG LATER=1\n");
        let df = parse(&f.text);
        let hints: Vec<_> = inlay_hints(&df, &f.text, None)
            .into_iter()
            .map(|h| (h.offset, h.label))
            .collect();
        assert_eq!(
            hints,
            vec![
                (f.cursor, "= 3.12".to_string()),
                (f.cursor + 8, "= slim".to_string())
            ]
        );
    }

    #[test]
    fn range_filter() {
        let src = "ARG V=1\nFROM a:$V\nFROM b:$V\n";
        let df = parse(src);
        assert_eq!(inlay_hints(&df, src, Some(TextRange::new(18, 27))).len(), 1);
    }
}
