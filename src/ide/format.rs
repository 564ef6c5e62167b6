//! Document, range and on-type formatting.
//!
//! What the formatter changes, and only that:
//! * instruction keywords upper-case (`run` → `RUN`, ONBUILD triggers too), no indentation
//!   before the keyword, one space after it;
//! * the base indentation of continuation lines (default four spaces). Relative indentation
//!   is kept (nested `if … fi` stays nested): the indentation all continuation lines share is
//!   replaced. With [`FormatOptions::keep_aligned`] an instruction whose continuation lines
//!   are all indented alike is left as written;
//! * JSON (exec form) arrays written on one line: `[ "a" ,"b" ]` → `["a", "b"]`;
//! * trailing spaces and tabs.
//!
//! It never touches heredoc bodies and their terminators, comment text, or the inside of a
//! quoted string: a continuation line whose line break sits inside quotes, or that is glued
//! to the previous line without whitespace (`foo\` + `bar` is `foobar`), keeps its
//! indentation, since changing it would change the value.
//!
//! Edits are minimal: one edit per run of changed lines.

use crate::diagnostic::Edit;
use crate::syntax::{Dockerfile, Instruction, Keyword, TextRange};

/// Formatting options.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormatOptions {
    /// Width of one continuation indent (spaces), unless `use_tabs`.
    pub indent_width: usize,
    pub use_tabs: bool,
    /// Keep a continuation block that is already consistently indented.
    pub keep_aligned: bool,
}

impl Default for FormatOptions {
    fn default() -> Self {
        FormatOptions {
            indent_width: 4,
            use_tabs: false,
            keep_aligned: false,
        }
    }
}

impl FormatOptions {
    fn indent(&self) -> String {
        if self.use_tabs {
            "\t".to_string()
        } else {
            " ".repeat(self.indent_width)
        }
    }
}

/// Formats the whole document.
pub fn format_document(df: &Dockerfile, text: &str, options: &FormatOptions) -> Vec<Edit> {
    let fine = fine_edits(df, text, options);
    line_edits(df, text, fine)
}

/// Formats the lines touched by `range`.
pub fn format_range(
    df: &Dockerfile,
    text: &str,
    range: TextRange,
    options: &FormatOptions,
) -> Vec<Edit> {
    let (first, _) = df.lines.line_col(range.start);
    let (mut last, col) = df.lines.line_col(range.end);
    if col == 0 && last > first {
        last -= 1;
    }
    let lo = df.lines.line_start(first);
    let hi = df.lines.line_range(text, last).end;
    let fine = fine_edits(df, text, options)
        .into_iter()
        .filter(|e| e.range.start >= lo && e.range.end <= hi)
        .collect();
    line_edits(df, text, fine)
}

/// Applies edits (sorted, non-overlapping) to `text`.
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in edits {
        if e.range.start < at {
            continue;
        }
        out.push_str(text.get(at..e.range.start).unwrap_or(""));
        out.push_str(&e.text);
        at = e.range.end;
    }
    out.push_str(text.get(at..).unwrap_or(""));
    out
}

/// On-type formatting after a newline typed at `offset` (the start of the new line): when
/// the previous line continues an instruction, indent the new line.
pub fn format_on_type(
    df: &Dockerfile,
    text: &str,
    offset: usize,
    options: &FormatOptions,
) -> Vec<Edit> {
    let (line, _) = df.lines.line_col(offset);
    if line == 0 {
        return Vec::new();
    }
    let prev = df.lines.line_range(text, line - 1);
    let Some(prev_text) = text.get(prev.start..prev.end) else {
        return Vec::new();
    };
    if continuation_at(prev_text, df.escape).is_none() || in_heredoc(df, prev.start) {
        return Vec::new();
    }
    let cur = df.lines.line_range(text, line);
    let Some(cur_text) = text.get(cur.start..cur.end) else {
        return Vec::new();
    };
    // The previous line starts the instruction: one indent; otherwise follow its indentation.
    let prev_ws = leading_ws(prev_text);
    let starts_instruction = df
        .instruction_at(prev.start + prev_ws.len())
        .is_some_and(|i| i.range.start == prev.start + prev_ws.len());
    let want = if starts_instruction || prev_ws.is_empty() {
        options.indent()
    } else {
        prev_ws.to_string()
    };
    let have = leading_ws(cur_text);
    if have == want {
        return Vec::new();
    }
    vec![Edit::replace(
        TextRange::new(cur.start, cur.start + have.len()),
        want,
    )]
}

fn in_heredoc(df: &Dockerfile, offset: usize) -> bool {
    df.instruction_at(offset).is_some_and(|i| {
        heredocs(i).any(|h| {
            h.body_range.contains(offset) || h.end_range.is_some_and(|r| r.contains(offset))
        })
    })
}

fn heredocs(ins: &Instruction) -> impl Iterator<Item = &crate::syntax::Heredoc> {
    ins.heredocs
        .iter()
        .chain(ins.onbuild.iter().flat_map(|o| o.heredocs.iter()))
}

fn leading_ws(s: &str) -> &str {
    &s[..s.len() - s.trim_start_matches([' ', '\t']).len()]
}

fn continuation_at(line: &str, escape: char) -> Option<usize> {
    let trimmed = line.trim_end_matches([' ', '\t']);
    trimmed
        .ends_with(escape)
        .then(|| trimmed.len() - escape.len_utf8())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Quote {
    None,
    Single,
    Double,
}

/// Quote state after `s`, starting in `q` (shell-like: single quotes are literal, the escape
/// character escapes the next character elsewhere).
fn scan_quotes(s: &str, escape: char, mut q: Quote) -> Quote {
    let mut it = s.chars();
    while let Some(c) = it.next() {
        match q {
            Quote::Single => {
                if c == '\'' {
                    q = Quote::None;
                }
            }
            Quote::Double => {
                if c == escape {
                    it.next();
                } else if c == '"' {
                    q = Quote::None;
                }
            }
            Quote::None => {
                if c == escape {
                    it.next();
                } else if c == '\'' {
                    q = Quote::Single;
                } else if c == '"' {
                    q = Quote::Double;
                }
            }
        }
    }
    q
}

/// Small edits, each inside one line, sorted.
fn fine_edits(df: &Dockerfile, text: &str, options: &FormatOptions) -> Vec<Edit> {
    let mut out = Vec::new();
    let nlines = df.lines.line_count();
    // Lines no one may touch (heredoc bodies and terminators), and lines whose trailing
    // whitespace may be inside an unterminated quote.
    let mut protected = vec![false; nlines];
    let mut keep_trailing = vec![false; nlines];
    for ins in &df.instructions {
        for h in heredocs(ins) {
            let mut ranges = vec![h.body_range];
            ranges.extend(h.end_range);
            for r in ranges.into_iter().filter(|r| !r.is_empty()) {
                let (a, _) = df.lines.line_col(r.start);
                let (b, _) = df.lines.line_col(r.end.saturating_sub(1).max(r.start));
                for p in protected.iter_mut().take(b + 1).skip(a) {
                    *p = true;
                }
            }
        }
        instruction_edits(
            df,
            text,
            ins,
            options,
            &protected,
            &mut keep_trailing,
            &mut out,
        );
    }
    for line in 0..nlines {
        if protected[line] || keep_trailing[line] {
            continue;
        }
        let r = df.lines.line_range(text, line);
        let Some(s) = text.get(r.start..r.end) else {
            continue;
        };
        let t = s.trim_end_matches([' ', '\t']);
        if t.len() < s.len() {
            out.push(Edit::delete(TextRange::new(r.start + t.len(), r.end)));
        }
    }
    out.sort_by_key(|e| (e.range.start, e.range.end));
    // Drop any overlap (cannot happen by construction; a guard against corrupt output).
    let mut last_end = 0;
    out.retain(|e| {
        let ok = e.range.start >= last_end;
        if ok {
            last_end = e.range.end.max(e.range.start);
        }
        ok
    });
    out
}

fn keyword_edits(text: &str, ins: &Instruction, out: &mut Vec<Edit>) {
    if ins.keyword == Keyword::Unknown {
        return;
    }
    let upper = ins.keyword.as_str();
    if ins.keyword_text != upper {
        out.push(Edit::replace(ins.keyword_range, upper));
    }
    // One space between the keyword and what follows on the same line.
    let after = ins.keyword_range.end;
    let rest = text.get(after..).unwrap_or("");
    let gap = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let next = rest[gap..].chars().next();
    if gap > 0 && gap_needs_fix(&rest[..gap]) && !matches!(next, None | Some('\n' | '\r')) {
        out.push(Edit::replace(TextRange::new(after, after + gap), " "));
    }
}

fn gap_needs_fix(gap: &str) -> bool {
    gap != " "
}

#[allow(clippy::too_many_arguments)]
fn instruction_edits(
    df: &Dockerfile,
    text: &str,
    ins: &Instruction,
    options: &FormatOptions,
    protected: &[bool],
    keep_trailing: &mut [bool],
    out: &mut Vec<Edit>,
) {
    let kw = ins.keyword_range;
    let (first, _) = df.lines.line_col(kw.start);
    // Nothing but indentation before the keyword.
    let lstart = df.lines.line_start(first);
    if kw.start > lstart
        && text
            .get(lstart..kw.start)
            .is_some_and(|s| s.trim().is_empty())
    {
        out.push(Edit::delete(TextRange::new(lstart, kw.start)));
    }
    keyword_edits(text, ins, out);
    if let Some(inner) = &ins.onbuild {
        keyword_edits(text, inner, out);
    }
    json_edits(text, ins, out);
    if let Some(inner) = &ins.onbuild {
        json_edits(text, inner, out);
    }

    // Their arguments are taken verbatim, whitespace included: continuation layout is meaning.
    let verbatim = matches!(ins.keyword, Keyword::Maintainer | Keyword::Unknown)
        || ins.pairs.iter().any(|p| p.legacy);
    if verbatim {
        return;
    }
    // Walk the instruction's own lines (not heredoc bodies), tracking quotes across joins.
    let mut quote = Quote::None;
    let mut prev_ends_ws = false;
    let mut line = first;
    // (line, its leading whitespace length)
    let mut candidates: Vec<(usize, usize)> = Vec::new();
    let mut all_reindentable = true;
    loop {
        if line >= protected.len() || protected[line] {
            break;
        }
        let r = df.lines.line_range(text, line);
        let Some(s) = text.get(r.start..r.end) else {
            break;
        };
        let trimmed = s.trim_start_matches([' ', '\t']);
        if line != first {
            if trimmed.is_empty() || trimmed.starts_with('#') {
                line += 1;
                continue;
            }
            let ws = s.len() - trimmed.len();
            if quote == Quote::None && (ws > 0 || prev_ends_ws) {
                candidates.push((line, ws));
            } else {
                all_reindentable = false;
            }
        }
        let cont = continuation_at(s, df.escape);
        let body = &s[..cont.unwrap_or(s.len())];
        quote = scan_quotes(
            if line == first {
                s.get(kw.start - r.start..).unwrap_or("")
            } else {
                body
            },
            df.escape,
            quote,
        );
        if cont.is_none() {
            if quote != Quote::None {
                keep_trailing[line] = true;
            }
            break;
        }
        if !body.is_empty() {
            prev_ends_ws = body.ends_with([' ', '\t']);
        }
        line += 1;
        if r.end >= ins.range.end {
            break;
        }
    }
    if candidates.is_empty() {
        return;
    }
    let indents: Vec<&str> = candidates
        .iter()
        .map(|&(l, ws)| {
            let st = df.lines.line_start(l);
            text.get(st..st + ws).unwrap_or("")
        })
        .collect();
    if options.keep_aligned
        && all_reindentable
        && indents.iter().all(|i| *i == indents[0])
        && !indents[0].is_empty()
    {
        return;
    }
    // The indentation all lines share (the shortest one, if it prefixes all the others) is
    // replaced; the rest of each line's indentation (nesting) is kept.
    let shortest = indents
        .iter()
        .min_by_key(|i| i.len())
        .copied()
        .unwrap_or("");
    let want = options.indent();
    if indents.iter().all(|i| i.starts_with(shortest)) {
        if shortest == want {
            return;
        }
        for &(l, _) in &candidates {
            let st = df.lines.line_start(l);
            out.push(Edit::replace(
                TextRange::new(st, st + shortest.len()),
                want.clone(),
            ));
        }
        return;
    }
    // Mixed tabs and spaces: keep the nesting by visual width, in spaces.
    let width = |s: &str| -> usize {
        s.chars()
            .map(|c| {
                if c == '\t' {
                    options.indent_width.max(1)
                } else {
                    1
                }
            })
            .sum()
    };
    let min = indents.iter().map(|i| width(i)).min().unwrap_or(0);
    for (&(l, ws), indent) in candidates.iter().zip(&indents) {
        let st = df.lines.line_start(l);
        let new = format!("{want}{}", " ".repeat(width(indent) - min));
        if new != *indent {
            out.push(Edit::replace(TextRange::new(st, st + ws), new));
        }
    }
}

/// `[ "a" ,"b" ]` → `["a", "b"]` when the array sits on one line.
fn json_edits(text: &str, ins: &Instruction, out: &mut Vec<Edit>) {
    let Some(words) = &ins.exec else {
        return;
    };
    let (Some(first), Some(last)) = (words.first(), words.last()) else {
        return;
    };
    let Some(open) = text.get(..first.range.start).and_then(|s| s.rfind('[')) else {
        return;
    };
    let Some(close) = text
        .get(last.range.end..)
        .and_then(|s| s.find(']'))
        .map(|c| c + last.range.end)
    else {
        return;
    };
    let Some(src) = text.get(open..close + 1) else {
        return;
    };
    if src.contains(['\n', '\r']) || open < ins.keyword_range.end {
        return;
    }
    // Everything between the strings must be whitespace and commas.
    let mut at = open + 1;
    for w in words {
        if !text
            .get(at..w.range.start)
            .is_some_and(|s| s.chars().all(|c| c == ' ' || c == '\t' || c == ','))
        {
            return;
        }
        at = w.range.end;
    }
    if !text
        .get(at..close)
        .is_some_and(|s| s.chars().all(|c| c == ' ' || c == '\t'))
    {
        return;
    }
    let mut new = String::from("[");
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            new.push_str(", ");
        }
        new.push_str(text.get(w.range.start..w.range.end).unwrap_or(&w.raw));
    }
    new.push(']');
    if new != src {
        out.push(Edit::replace(TextRange::new(open, close + 1), new));
    }
}

/// Groups fine edits by line: one edit per run of consecutive changed lines.
fn line_edits(df: &Dockerfile, text: &str, fine: Vec<Edit>) -> Vec<Edit> {
    let mut out: Vec<Edit> = Vec::new();
    let mut i = 0;
    // (first line, last line, new text)
    let mut run: Option<(usize, usize, String)> = None;
    while i < fine.len() {
        let (line, _) = df.lines.line_col(fine[i].range.start);
        let lr = df.lines.line_range(text, line);
        let mut j = i;
        let mut new = String::new();
        let mut at = lr.start;
        while j < fine.len() && fine[j].range.start <= lr.end && fine[j].range.end <= lr.end {
            new.push_str(text.get(at..fine[j].range.start).unwrap_or(""));
            new.push_str(&fine[j].text);
            at = fine[j].range.end;
            j += 1;
        }
        if j == i {
            // An edit crossing a line end: cannot happen; skip it rather than corrupt text.
            i += 1;
            continue;
        }
        new.push_str(text.get(at..lr.end).unwrap_or(""));
        i = j;
        let unchanged = text.get(lr.start..lr.end) == Some(new.as_str());
        match &mut run {
            Some((_, last, buf)) if *last + 1 == line && !unchanged => {
                let prev_end = df.lines.line_range(text, *last).end;
                buf.push_str(text.get(prev_end..lr.start).unwrap_or("\n"));
                buf.push_str(&new);
                *last = line;
            }
            _ => {
                if let Some(r) = run.take() {
                    out.push(finish_run(df, text, r));
                }
                if !unchanged {
                    run = Some((line, line, new));
                }
            }
        }
    }
    if let Some(r) = run.take() {
        out.push(finish_run(df, text, r));
    }
    out
}

fn finish_run(df: &Dockerfile, text: &str, (first, last, new): (usize, usize, String)) -> Edit {
    let start = df.lines.line_start(first);
    let end = df.lines.line_range(text, last).end;
    Edit::replace(TextRange::new(start, end), new)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn fmt_with(src: &str, o: &FormatOptions) -> String {
        let df = parse(src);
        apply_edits(src, &format_document(&df, src, o))
    }

    fn fmt(src: &str) -> String {
        let out = fmt_with(src, &FormatOptions::default());
        assert_eq!(
            fmt_with(&out, &FormatOptions::default()),
            out,
            "not idempotent"
        );
        out
    }

    #[test]
    fn keywords_spacing_and_trailing_whitespace() {
        assert_eq!(
            fmt("from alpine   AS  base  \n  run    echo  hi\t\nonbuild   run  ls\n"),
            "FROM alpine   AS  base\nRUN echo  hi\nONBUILD RUN ls\n"
        );
    }

    #[test]
    fn continuation_base_indent_keeps_nesting() {
        assert_eq!(
            fmt("RUN set -eux; \\\n\tif true; then \\\n\t\techo a; \\\n\tfi\n"),
            "RUN set -eux; \\\n    if true; then \\\n    \techo a; \\\n    fi\n"
        );
        assert_eq!(fmt("RUN a && \\\nb\n"), "RUN a && \\\n    b\n");
    }

    #[test]
    fn never_changes_quoted_or_glued_continuations() {
        let src = "RUN echo \"a \\\n  b\" && \\\n  c\nRUN foo\\\nbar\n";
        assert_eq!(
            fmt(src),
            "RUN echo \"a \\\n  b\" && \\\n    c\nRUN foo\\\nbar\n"
        );
    }

    #[test]
    fn keep_aligned_option() {
        let src = "RUN a \\\n      && b \\\n      && c\n";
        let keep = FormatOptions {
            keep_aligned: true,
            ..FormatOptions::default()
        };
        assert_eq!(fmt_with(src, &keep), src);
        assert_eq!(fmt(src), "RUN a \\\n    && b \\\n    && c\n");
    }

    #[test]
    fn json_arrays() {
        assert_eq!(
            fmt("CMD [ \"a\" ,\"b\",\"c d\" ]\nHEALTHCHECK CMD [\"x\",\"y\"]\n"),
            "CMD [\"a\", \"b\", \"c d\"]\nHEALTHCHECK CMD [\"x\", \"y\"]\n"
        );
    }

    #[test]
    fn heredocs_and_comments_untouched() {
        let src = "run <<EOF  \n  echo hi   \n\tEOF\nEOF\n  # comment  text\n";
        assert_eq!(
            fmt(src),
            "RUN <<EOF\n  echo hi   \n\tEOF\nEOF\n  # comment  text\n"
        );
    }

    #[test]
    fn minimal_edits_one_per_run_of_lines() {
        let src = "FROM a\nrun x \nRUN y\nrun z\ncmd w\n";
        let df = parse(src);
        let edits = format_document(&df, src, &FormatOptions::default());
        assert_eq!(edits.len(), 2);
        assert_eq!(edits[0].range, TextRange::new(7, 13));
        assert_eq!(edits[1].text, "RUN z\nCMD w");
        assert!(
            format_document(&parse("FROM a\n"), "FROM a\n", &FormatOptions::default()).is_empty()
        );
    }

    #[test]
    fn range_formatting_only_touches_the_range() {
        let src = "run a\nrun b\nrun c\n";
        let df = parse(src);
        let edits = format_range(&df, src, TextRange::new(6, 9), &FormatOptions::default());
        assert_eq!(apply_edits(src, &edits), "run a\nRUN b\nrun c\n");
    }

    #[test]
    fn on_type_indents_continuations() {
        let src = "FROM a\nRUN a \\\n\n";
        let df = parse(src);
        let e = format_on_type(&df, src, 15, &FormatOptions::default());
        assert_eq!(apply_edits(src, &e), "FROM a\nRUN a \\\n    \n");
        let src = "RUN a \\\n  && b \\\n\n";
        let df = parse(src);
        let e = format_on_type(&df, src, 17, &FormatOptions::default());
        assert_eq!(apply_edits(src, &e), "RUN a \\\n  && b \\\n  \n");
        let src = "RUN a\n\n";
        assert!(format_on_type(&parse(src), src, 6, &FormatOptions::default()).is_empty());
    }

    #[test]
    fn backtick_escape() {
        assert_eq!(
            fmt("# escape=`\nrun a `\n\tb\n"),
            "# escape=`\nRUN a `\n    b\n"
        );
    }
}
