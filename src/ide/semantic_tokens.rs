//! Semantic tokens: `queries/highlights.scm` over the tree-sitter tree for strings, comments,
//! numbers, labels…, overlaid with tokens from the typed model for instruction keywords,
//! flags, stage names, images, heredocs and variables, so regions the grammar turns into
//! ERROR nodes still highlight. Tokens never span lines and never overlap.

use crate::ide::navigation::{Role, SymbolId, SymbolIndex};
use crate::syntax::queries::{self, QueryKind};
use crate::syntax::tree::SyntaxTree;
use crate::syntax::{Dockerfile, Instruction, Keyword, TextRange, PLATFORM_ARGS, PREDEFINED_ARGS};

/// Token types, in legend order (standard LSP names).
pub const TOKEN_TYPES: &[&str] = &[
    "keyword",
    "comment",
    "string",
    "number",
    "operator",
    "variable",
    "parameter",
    "property",
    "class",
    "type",
    "label",
    "macro",
];

/// Token modifiers, in legend order (bit `1 << index`).
pub const TOKEN_MODIFIERS: &[&str] = &["declaration", "readonly", "defaultLibrary"];

/// One token: a byte range on a single line, a type index and a modifier bit set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SemanticToken {
    pub range: TextRange,
    pub token_type: u32,
    pub modifiers: u32,
}

fn type_index(name: &str) -> Option<u32> {
    TOKEN_TYPES
        .iter()
        .position(|t| *t == name)
        .map(|i| i as u32)
}

fn modifier_bit(name: &str) -> Option<u32> {
    TOKEN_MODIFIERS
        .iter()
        .position(|t| *t == name)
        .map(|i| 1u32 << i)
}

/// Parses a capture name `type[.modifier…]` against the legend.
pub fn parse_capture_name(name: &str) -> Option<(u32, u32)> {
    let mut parts = name.split('.');
    let ty = type_index(parts.next()?)?;
    let mut mods = 0;
    for m in parts {
        mods |= modifier_bit(m)?;
    }
    Some((ty, mods))
}

struct Painter {
    lo: usize,
    /// Token id (index + 1 into `tokens`) per byte of the window; 0 = none.
    ids: Vec<u32>,
    tokens: Vec<(u32, u32)>,
}

impl Painter {
    fn paint(&mut self, range: TextRange, ty: &str, mods: &[&str]) {
        let Some(t) = type_index(ty) else {
            return;
        };
        let m = mods
            .iter()
            .filter_map(|m| modifier_bit(m))
            .fold(0, |a, b| a | b);
        self.paint_raw(range, t, m);
    }

    fn paint_raw(&mut self, range: TextRange, ty: u32, mods: u32) {
        let hi = self.lo + self.ids.len();
        let s = range.start.max(self.lo);
        let e = range.end.min(hi);
        if s >= e {
            return;
        }
        self.tokens.push((ty, mods));
        let id = self.tokens.len() as u32;
        for slot in &mut self.ids[s - self.lo..e - self.lo] {
            *slot = id;
        }
    }
}

/// Semantic tokens of the document (or of `range` only), sorted.
pub fn semantic_tokens(
    df: &Dockerfile,
    text: &str,
    tree: Option<&SyntaxTree>,
    range: Option<TextRange>,
) -> Vec<SemanticToken> {
    let window = range
        .map(|r| TextRange::new(r.start.min(text.len()), r.end.min(text.len())))
        .unwrap_or(TextRange::new(0, text.len()));
    let mut p = Painter {
        lo: window.start,
        ids: vec![0; window.len()],
        tokens: Vec::new(),
    };
    if let Some(tree) = tree {
        for cap in queries::run(QueryKind::Highlights, tree, text, range) {
            if let Some((t, m)) = parse_capture_name(cap.name) {
                p.paint_raw(cap.range, t, m);
            }
        }
    }
    for c in &df.comments {
        p.paint(c.range, "comment", &[]);
    }
    for d in &df.directives {
        p.paint(d.name_range, "macro", &[]);
        p.paint(d.value_range, "string", &[]);
    }
    for ins in df
        .instructions
        .iter()
        .filter(|i| i.range.intersects(window))
    {
        paint_instruction(&mut p, ins);
        if let Some(inner) = &ins.onbuild {
            paint_instruction(&mut p, inner);
        }
    }
    for st in &df.stages {
        if !st.image.is_scratch() && !st.image.has_variables {
            p.paint(st.image.path_range, "type", &[]);
        }
        if let (Some(from), Some(_)) = (df.instructions.get(st.from), &st.alias) {
            if let Some(as_word) = from.args.get(1) {
                p.paint(as_word.range, "keyword", &[]);
            }
        }
    }
    let index = SymbolIndex::build(df, text);
    for o in &index.occurrences {
        let decl: &[&str] = if o.role == Role::Definition {
            &["declaration"]
        } else {
            &[]
        };
        match o.symbol {
            SymbolId::Stage(_) => p.paint(o.range, "class", decl),
            SymbolId::Var(_) => p.paint(o.range, "variable", decl),
        }
    }
    emit(&p, text)
}

fn paint_instruction(p: &mut Painter, ins: &Instruction) {
    // Quoted strings (the grammar leaves RUN text opaque) and exec-form strings.
    let args = ins.text.text.get(ins.args_start..).unwrap_or("");
    for (s, e) in quoted_spans(args) {
        let r = TextRange::new(ins.args_start + s, ins.args_start + e);
        p.paint(ins.text.range_to_source(r), "string", &[]);
    }
    for w in ins.exec.iter().flatten() {
        p.paint(w.range, "string", &[]);
    }
    for h in &ins.heredocs {
        p.paint(h.marker_range, "label", &[]);
        p.paint(h.body_range, "string", &[]);
        if let Some(r) = h.end_range {
            p.paint(r, "label", &[]);
        }
    }
    for pair in &ins.pairs {
        if ins.keyword == Keyword::Label {
            p.paint(pair.key_range, "property", &[]);
        }
    }
    for v in &ins.var_refs {
        let mods: &[&str] = if PLATFORM_ARGS.contains(&v.name.as_str())
            || PREDEFINED_ARGS.contains(&v.name.as_str())
        {
            &["defaultLibrary"]
        } else {
            &[]
        };
        p.paint(
            TextRange::new(v.range.start, v.name_range.end),
            "variable",
            mods,
        );
        if v.range.end > v.name_range.end && v.modifier.is_none() {
            p.paint(
                TextRange::new(v.name_range.end, v.range.end),
                "variable",
                mods,
            );
        }
    }
    p.paint(ins.keyword_range, "keyword", &[]);
    for f in &ins.flags {
        p.paint(
            TextRange::new(f.range.start, f.name_range.end.max(f.range.start)),
            "parameter",
            &[],
        );
    }
}

/// `'…'` and `"…"` spans of shell-like text (a backslash escapes the next character
/// outside single quotes); an unterminated quote runs to the end.
fn quoted_spans(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            q @ (b'\'' | b'"') => {
                let start = i;
                i += 1;
                while i < b.len() && b[i] != q {
                    if q == b'"' && b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i = (i + 1).min(b.len());
                out.push((start, i));
            }
            _ => i += 1,
        }
    }
    out
}

/// Run-length encodes the painted window into single-line tokens.
fn emit(p: &Painter, text: &str) -> Vec<SemanticToken> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < p.ids.len() {
        let id = p.ids[i];
        let at = p.lo + i;
        if id == 0 || matches!(bytes.get(at), Some(b'\n' | b'\r')) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < p.ids.len()
            && p.ids[j] == id
            && !matches!(bytes.get(p.lo + j), Some(b'\n' | b'\r'))
        {
            j += 1;
        }
        if let Some(&(t, m)) = p.tokens.get(id as usize - 1) {
            out.push(SemanticToken {
                range: TextRange::new(at, p.lo + j),
                token_type: t,
                modifiers: m,
            });
        }
        i = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn tokens(src: &str) -> Vec<(String, &'static str, u32)> {
        let df = parse(src);
        let tree = SyntaxTree::new(src);
        semantic_tokens(&df, src, Some(&tree), None)
            .into_iter()
            .map(|t| {
                (
                    src[t.range.start..t.range.end].to_string(),
                    TOKEN_TYPES[t.token_type as usize],
                    t.modifiers,
                )
            })
            .collect()
    }

    fn has(toks: &[(String, &'static str, u32)], text: &str, ty: &str) -> bool {
        toks.iter().any(|(t, k, _)| t == text && *k == ty)
    }

    #[test]
    fn every_capture_name_is_in_the_legend() {
        for (file, src) in queries::ALL {
            let names = match queries::check_query(src) {
                Ok(n) => n,
                Err(e) => panic!("{file} does not compile against the grammar: {e}"),
            };
            for n in names {
                // folds.scm uses its own capture names (fold, comment).
                if *file == "folds.scm" {
                    assert!(matches!(n.as_str(), "fold" | "comment"), "{file}: @{n}");
                } else {
                    assert!(
                        parse_capture_name(&n).is_some(),
                        "{file}: @{n} is not in the legend"
                    );
                }
            }
        }
    }

    #[test]
    fn model_and_query_tokens() {
        let src = "# syntax=docker/dockerfile:1\nARG V=3.12\nFROM python:${V}-slim AS build\nCOPY --from=build /a /b\nRUN echo \"/b c\"\nLABEL maintainer=me\n";
        let t = tokens(src);
        assert!(has(&t, "syntax", "macro"), "{t:?}");
        assert!(has(&t, "FROM", "keyword"));
        assert!(has(&t, "AS", "keyword"));
        assert!(has(&t, "python", "type"));
        assert!(has(&t, "--from", "parameter"));
        assert!(has(&t, "\"/b c\"", "string"), "{t:?}");
        assert!(has(&t, "maintainer", "property"));
        // stage name: declaration at AS, reference at --from
        assert!(t.contains(&("build".into(), "class", 1)));
        assert!(t.contains(&("build".into(), "class", 0)));
        // the global ARG: declaration and its use in FROM
        assert!(t.contains(&("V".into(), "variable", 1)));
        assert!(t
            .iter()
            .any(|(s, k, _)| s.starts_with("${") && *k == "variable"));
    }

    #[test]
    fn error_regions_still_highlight_keywords_and_variables() {
        let src = "FROM debian\nENV X=1\nRUN set -eux; \\\n\t[ -z \"$X\" ] || exit 1\nRUN true\n";
        let t = tokens(src);
        let kws = t
            .iter()
            .filter(|(s, k, _)| s == "RUN" && *k == "keyword")
            .count();
        assert_eq!(kws, 2, "{t:?}");
        assert!(has(&t, "X", "variable"));
    }

    #[test]
    fn tokens_are_single_line_sorted_and_disjoint() {
        let src = "FROM a\nRUN <<EOF\nline one\nline two\nEOF\n# c\n";
        let df = parse(src);
        let tree = SyntaxTree::new(src);
        let toks = semantic_tokens(&df, src, Some(&tree), None);
        for w in toks.windows(2) {
            assert!(w[0].range.end <= w[1].range.start);
        }
        for t in &toks {
            assert!(!src[t.range.start..t.range.end].contains('\n'));
        }
        assert!(toks
            .iter()
            .any(|t| &src[t.range.start..t.range.end] == "line two"));
        let ranged = semantic_tokens(&df, src, Some(&tree), Some(TextRange::new(0, 6)));
        assert_eq!(ranged.len(), 2);
    }
}
