//! Incremental re-parsing: after an edit, only the instructions the edit can affect are parsed
//! again; the model's other instructions are kept and moved by the edit's length change.
//!
//! BuildKit's parser is line-oriented and its only state between instructions is the escape
//! character (fixed by the directives at the top). So the parse of everything from an
//! instruction start on depends only on the text from there. [`reparse`] therefore starts
//! parsing at the instruction before the edit (an edit at the start of a line can join it with
//! that instruction's continuation) and stops at the first instruction start past the edit
//! that was also an instruction start before it: from there on, the old instructions are the
//! new ones, shifted. Edits that touch the directives or anything before the first FROM (where
//! stage structure and "instruction before FROM" errors start) fall back to a full parse, as
//! do degenerate files without a stage.
//!
//! Invariant, checked by property tests over the corpus: `reparse(parse(old), new, edit) ==
//! parse(new)`.

use super::model::*;
use super::parse::{parse, parse_window, relink};
use super::TextRange;

/// A change of the text, in byte offsets: `[start, old_end)` of the old text became
/// `[start, new_end)` of the new one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextEdit {
    pub start: usize,
    pub old_end: usize,
    pub new_end: usize,
}

impl TextEdit {
    pub fn new(start: usize, old_end: usize, new_end: usize) -> TextEdit {
        TextEdit {
            start,
            old_end: old_end.max(start),
            new_end: new_end.max(start),
        }
    }

    fn delta(&self) -> isize {
        self.new_end as isize - self.old_end as isize
    }

    /// The single edit equal to `self` followed by `next` (whose offsets are in the text
    /// `self` produced): it covers both changed regions.
    pub fn then(self, next: TextEdit) -> TextEdit {
        // The end, in the intermediate text, of everything either edit touched; mapped back
        // through `self` and forward through `next` (both edits end at or before it).
        let end = self.new_end.max(next.old_end);
        TextEdit::new(
            self.start.min(next.start),
            moved(end, -self.delta()),
            moved(end, next.delta()),
        )
    }
}

/// Moving an item by the length change of an edit before it.
pub(crate) trait Shift {
    fn shift(&mut self, delta: isize);
}

fn moved(at: usize, delta: isize) -> usize {
    at.saturating_add_signed(delta)
}

impl Shift for TextRange {
    fn shift(&mut self, delta: isize) {
        self.start = moved(self.start, delta);
        self.end = moved(self.end, delta);
    }
}

impl<T: Shift> Shift for Option<T> {
    fn shift(&mut self, delta: isize) {
        if let Some(t) = self {
            t.shift(delta);
        }
    }
}

impl<T: Shift> Shift for Vec<T> {
    fn shift(&mut self, delta: isize) {
        for t in self {
            t.shift(delta);
        }
    }
}

impl Shift for super::Word {
    fn shift(&mut self, delta: isize) {
        self.range.shift(delta);
    }
}

impl Shift for Flag {
    fn shift(&mut self, delta: isize) {
        self.name_range.shift(delta);
        self.value_range.shift(delta);
        self.range.shift(delta);
    }
}

impl Shift for KeyValue {
    fn shift(&mut self, delta: isize) {
        self.key_range.shift(delta);
        self.value_range.shift(delta);
        self.range.shift(delta);
    }
}

impl Shift for Heredoc {
    fn shift(&mut self, delta: isize) {
        self.marker_range.shift(delta);
        self.body_range.shift(delta);
        self.end_range.shift(delta);
    }
}

impl Shift for VarRef {
    fn shift(&mut self, delta: isize) {
        self.range.shift(delta);
        self.name_range.shift(delta);
    }
}

impl Shift for Comment {
    fn shift(&mut self, delta: isize) {
        self.range.shift(delta);
    }
}

impl Shift for SyntaxError {
    fn shift(&mut self, delta: isize) {
        self.range.shift(delta);
    }
}

impl Shift for Instruction {
    fn shift(&mut self, delta: isize) {
        // Every field holding a source offset; `args_start` is an offset into `text.text`.
        let Instruction {
            index: _,
            keyword: _,
            keyword_text: _,
            keyword_range,
            range,
            text,
            template: _,
            flags,
            args_start: _,
            args_range,
            args,
            exec,
            pairs,
            heredocs,
            var_refs,
            stage: _,
            onbuild,
        } = self;
        keyword_range.shift(delta);
        range.shift(delta);
        text.shift(delta);
        flags.shift(delta);
        args_range.shift(delta);
        args.shift(delta);
        exec.shift(delta);
        pairs.shift(delta);
        heredocs.shift(delta);
        var_refs.shift(delta);
        if let Some(inner) = onbuild {
            inner.shift(delta);
        }
    }
}

impl Shift for crate::diagnostic::Fix {
    fn shift(&mut self, delta: isize) {
        for e in &mut self.edits {
            e.range.shift(delta);
        }
    }
}

impl Shift for crate::diagnostic::Diagnostic {
    fn shift(&mut self, delta: isize) {
        self.range.shift(delta);
        self.fixes.shift(delta);
    }
}

/// The model of `text`, which is the text `old` was parsed from with `edit` applied. Equal to
/// `parse(text)`; parses only around the edit when it can.
pub fn reparse(old: Dockerfile, text: &str, edit: TextEdit) -> Dockerfile {
    let delta = edit.delta();
    let consistent = old.len as isize + delta == text.len() as isize
        && edit.new_end <= text.len()
        && edit.old_end <= old.len;
    let Some(first_from) = old.stages.first().map(|s| s.from) else {
        return parse(text);
    };
    if !consistent {
        return parse(text);
    }
    // The first instruction that ends at or after the edit start; start one before it.
    let k = old
        .instructions
        .partition_point(|i| i.range.end < edit.start);
    let s = k.saturating_sub(1);
    if k == 0 || s <= first_from {
        return parse(text);
    }
    let Some(from) = old.instructions.get(s).map(|i| i.range.start) else {
        return parse(text);
    };
    let mut old = old;
    let lines = std::mem::take(&mut old.lines).edited(text, edit.start, edit.old_end, edit.new_end);
    let window = parse_window(text, lines, old.escape, from, |at| {
        if at < edit.new_end {
            return false;
        }
        // Where an instruction on this line would start (past the indentation).
        let indent = text.get(at..).map_or(0, |rest| {
            rest.len() - rest.trim_start_matches([' ', '\t', '\u{b}', '\u{c}']).len()
        });
        let was = (at as isize + indent as isize - delta) as usize;
        let j = old.instructions.partition_point(|i| i.range.start < was);
        old.instructions
            .get(j)
            .is_some_and(|i| i.range.start == was)
    });
    // Old offsets from which the old items are reused (shifted).
    let resume = window
        .stopped_at
        .map(|at| (at as isize - delta) as usize)
        .unwrap_or(usize::MAX);

    let j = old.instructions.partition_point(|i| i.range.start < resume);
    // The stage of the instruction before the window is re-linked from its FROM on; the
    // instructions before that FROM keep their index and stage.
    let Some(relink_at) = old
        .instructions
        .get(s - 1)
        .and_then(|i| i.stage)
        .and_then(|st| old.stages.get(st))
        .map(|st| st.from)
    else {
        return parse(text);
    };
    let tail_at = s + window.instructions.len();
    // In place: one move of the tail (none when as many instructions come as go).
    old.instructions.splice(s..j, window.instructions);

    splice(
        &mut old.comments,
        from,
        resume,
        window.comments,
        delta,
        |c| c.range.start,
    );
    splice(&mut old.errors, from, resume, window.errors, delta, |e| {
        e.range.start
    });
    splice(
        &mut old.empty_continuation_lines,
        from,
        resume,
        window.empty_continuation_lines,
        delta,
        |r| r.start,
    );
    old.errors.sort_by_key(|e| e.range);
    old.lines = window.lines;
    old.len = text.len();
    // One pass over the instructions after the window: shift them, renumber and re-link.
    relink(&mut old, relink_at, |index, ins| {
        if index >= tail_at {
            ins.shift(delta);
        }
    });
    old
}

/// Replaces the items at old offsets `[from, resume)` with `new`, shifting those after.
fn splice<T: Shift>(
    items: &mut Vec<T>,
    from: usize,
    resume: usize,
    new: Vec<T>,
    delta: isize,
    start: impl Fn(&T) -> usize,
) {
    let keep = items.partition_point(|x| start(x) < from);
    let tail_at = items.partition_point(|x| start(x) < resume).max(keep);
    let mut tail = items.split_off(tail_at);
    items.truncate(keep);
    tail.shift(delta);
    items.extend(new);
    items.extend(tail);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(old_text: &str, start: usize, end: usize, insert: &str) {
        let mut new_text = old_text.to_string();
        new_text.replace_range(start..end, insert);
        let edit = TextEdit::new(start, end, start + insert.len());
        let got = reparse(parse(old_text), &new_text, edit);
        assert_eq!(got, parse(&new_text), "edit {start}..{end} -> {insert:?}");
    }

    const FILE: &str = "# syntax=docker/dockerfile:1\nARG V=1\nFROM debian AS a\nRUN apt-get update \\\n  && apt-get install -y curl\n# note\nCOPY . /app\n\nFROM a AS b\nRUN <<EOF\necho hi\nEOF\nCMD [\"x\"]\n";

    #[test]
    fn edits_everywhere_match_a_fresh_parse() {
        let cases = [
            "x", "\n", "\\", "\\\n", "RUN y\n", "FROM z\n", "<<EOF\n", "EOF\n", "#", "é", "\r\n",
            "",
        ];
        for start in 0..=FILE.len() {
            if !FILE.is_char_boundary(start) {
                continue;
            }
            for len in [0, 1, 2, 7] {
                let end = (start + len).min(FILE.len());
                if !FILE.is_char_boundary(end) {
                    continue;
                }
                for ins in cases {
                    check(FILE, start, end, ins);
                }
            }
        }
    }

    #[test]
    fn combined_edits_cover_both() {
        let a = TextEdit::new(10, 12, 15); // +3
        let b = TextEdit::new(20, 21, 20); // -1, after a
        assert_eq!(a.then(b), TextEdit::new(10, 18, 20));
        let c = TextEdit::new(2, 3, 2); // -1, before a
        assert_eq!(a.then(c), TextEdit::new(2, 12, 14));
    }

    #[test]
    fn an_instruction_of_only_an_escape_character_is_placed_where_it_is() {
        check("FROM a\nRUN b\n\\", 13, 14, "");
        check("FROM a\nRUN b\n\\", 13, 13, "x");
    }
}
