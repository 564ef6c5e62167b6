//! The typed view of a Dockerfile. Built by [`super::parse`]; read by rules and IDE features.

use super::{ImageRef, Keyword, LineIndex, TextRange, Word};
use serde::Serialize;

/// A parsed Dockerfile.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dockerfile {
    /// Parser directives at the top of the file (`# syntax=`, `# escape=`, `# check=`).
    pub directives: Vec<Directive>,
    /// The escape character (`\` unless `# escape=` says otherwise).
    pub escape: char,
    /// Every instruction, in order (ONBUILD triggers are nested in their ONBUILD).
    pub instructions: Vec<Instruction>,
    /// Every comment line, including those inside continuations.
    pub comments: Vec<Comment>,
    /// Build stages, one per FROM.
    pub stages: Vec<Stage>,
    /// Real syntax errors, as BuildKit would report them.
    pub errors: Vec<SyntaxError>,
    /// Empty lines inside a continuation (BuildKit warns: NoEmptyContinuation).
    pub empty_continuation_lines: Vec<TextRange>,
    pub lines: LineIndex,
    pub len: usize,
    /// Stage names (ASCII-lowercased) → the first stage of that name, built on first use.
    pub(crate) stage_names: StageNames,
    /// Instruction indexes by keyword, built on first use.
    pub(crate) by_keyword: KeywordIndex,
}

/// Instruction indexes per keyword, built on first use by [`Dockerfile::instructions_of`]:
/// most rules look at one or two kinds of instruction, and after each keystroke a walk over
/// the whole instruction list per rule (cold in the cache) cost more than the checks.
/// A cache, not content: it compares equal to any other and is reset when instructions change.
#[derive(Clone, Default)]
pub(crate) struct KeywordIndex(std::sync::OnceLock<Vec<Vec<u32>>>);

impl KeywordIndex {
    pub(crate) fn reset(&mut self) {
        self.0 = std::sync::OnceLock::new();
    }
}

impl PartialEq for KeywordIndex {
    fn eq(&self, _: &KeywordIndex) -> bool {
        true
    }
}

impl Eq for KeywordIndex {}

impl std::fmt::Debug for KeywordIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeywordIndex")
    }
}

/// A lazily built name → stage index map: [`Dockerfile::find_stage`] is called per stage
/// reference, and a scan per call made the stage rules quadratic in the number of stages.
/// A cache, not content: it compares equal to any other and is reset when stages change.
#[derive(Clone, Default)]
pub(crate) struct StageNames(std::sync::OnceLock<std::collections::HashMap<String, usize>>);

impl StageNames {
    pub(crate) fn reset(&mut self) {
        self.0 = std::sync::OnceLock::new();
    }
}

impl PartialEq for StageNames {
    fn eq(&self, _: &StageNames) -> bool {
        true
    }
}

impl Eq for StageNames {}

impl std::fmt::Debug for StageNames {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StageNames")
    }
}

impl Dockerfile {
    /// Instructions before the first FROM (global scope: only ARG is allowed there).
    pub fn global_instructions(&self) -> &[Instruction] {
        let end = self
            .stages
            .first()
            .map(|s| s.instructions.start)
            .unwrap_or(self.instructions.len());
        &self.instructions[..end]
    }

    /// The ARGs declared before the first FROM.
    pub fn global_args(&self) -> impl Iterator<Item = &KeyValue> {
        self.global_instructions()
            .iter()
            .filter(|i| i.keyword == Keyword::Arg)
            .flat_map(|i| i.pairs.iter())
    }

    pub fn stage_instructions(&self, stage: &Stage) -> &[Instruction] {
        &self.instructions[stage.instructions.clone()]
    }

    /// The directive with this (lower-case) name.
    pub fn directive(&self, name: &str) -> Option<&Directive> {
        self.directives.iter().find(|d| d.name == name)
    }

    /// Finds a stage by name (case-insensitive, as BuildKit does) or by index.
    pub fn find_stage(&self, reference: &str) -> Option<&Stage> {
        if let Ok(index) = reference.parse::<usize>() {
            return self.stages.get(index);
        }
        self.first_stage_named(reference)
            .and_then(|i| self.stages.get(i))
    }

    /// The index of the first stage named `name` (case-insensitive), if any.
    pub fn first_stage_named(&self, name: &str) -> Option<usize> {
        let names = self.stage_names.0.get_or_init(|| {
            let mut map = std::collections::HashMap::new();
            for s in &self.stages {
                if let Some(a) = &s.alias {
                    map.entry(a.text.as_str().to_ascii_lowercase())
                        .or_insert(s.index);
                }
            }
            map
        });
        names.get(&name.to_ascii_lowercase()).copied()
    }

    /// The instructions with one of these keywords, in document order (ONBUILD triggers are
    /// not included: they sit inside their ONBUILD).
    pub fn instructions_of(&self, keywords: &[Keyword]) -> Vec<&Instruction> {
        let index = self.by_keyword.0.get_or_init(|| {
            let mut index = vec![Vec::new(); Keyword::Unknown as usize + 1];
            for (i, ins) in self.instructions.iter().enumerate() {
                if let Some(list) = index.get_mut(ins.keyword as usize) {
                    list.push(i as u32);
                }
            }
            index
        });
        let mut found: Vec<u32> = keywords
            .iter()
            .filter_map(|k| index.get(*k as usize))
            .flatten()
            .copied()
            .collect();
        if keywords.len() > 1 {
            found.sort_unstable();
            found.dedup();
        }
        found
            .into_iter()
            .filter_map(|i| self.instructions.get(i as usize))
            .collect()
    }

    /// The instruction whose range contains `offset`.
    pub fn instruction_at(&self, offset: usize) -> Option<&Instruction> {
        let idx = self.instructions.partition_point(|i| i.range.end < offset);
        self.instructions
            .get(idx)
            .filter(|i| i.range.contains_inclusive(offset))
    }

    /// The stage containing `offset` (the last stage starting at or before it).
    pub fn stage_at(&self, offset: usize) -> Option<&Stage> {
        self.stages.iter().rev().find(|s| s.range.start <= offset)
    }
}

/// `# name=value` at the top of the file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Directive {
    /// Lower-case name.
    pub name: String,
    pub value: String,
    pub range: TextRange,
    pub name_range: TextRange,
    pub value_range: TextRange,
}

/// A `#` comment line. `text` is what follows the `#`, trimmed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Comment {
    pub text: String,
    pub range: TextRange,
    /// True when the comment sits inside an instruction's continuation lines.
    pub in_continuation: bool,
}

/// One build stage: a FROM and the instructions up to the next FROM.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stage {
    pub index: usize,
    /// Index of the FROM in [`Dockerfile::instructions`].
    pub from: usize,
    pub image: ImageRef,
    /// The `AS name` word.
    pub alias: Option<Word>,
    /// The `--platform` value.
    pub platform: Option<Flag>,
    /// Instruction indices of this stage, the FROM included.
    pub instructions: std::ops::Range<usize>,
    /// From the FROM to the end of the stage's last instruction.
    pub range: TextRange,
}

impl Stage {
    pub fn name(&self) -> Option<&str> {
        self.alias.as_ref().map(|a| a.text.as_str())
    }
    /// `name` or `#index` for messages.
    pub fn display_name(&self) -> String {
        match self.name() {
            Some(n) => format!("'{n}'"),
            None => format!("#{}", self.index),
        }
    }
}

/// `--name[=value]`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Flag {
    /// Lower-case name without the dashes.
    pub name: String,
    pub name_range: TextRange,
    pub value: Option<String>,
    pub value_range: Option<TextRange>,
    pub range: TextRange,
}

impl Flag {
    /// `key=value` items of a comma-separated value (`--mount=type=cache,target=/x`).
    pub fn key_values(&self) -> Vec<(String, Option<String>)> {
        self.value
            .as_deref()
            .unwrap_or("")
            .split(',')
            .filter(|s| !s.is_empty())
            .map(|item| match item.split_once('=') {
                Some((k, v)) => (k.trim().to_ascii_lowercase(), Some(v.trim().to_string())),
                None => (item.trim().to_ascii_lowercase(), None),
            })
            .collect()
    }
}

/// `key=value` of ENV, LABEL and ARG (ARG's value is optional).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct KeyValue {
    pub key: String,
    pub key_range: TextRange,
    pub value: Option<String>,
    /// The value as written, quotes included.
    pub raw_value: Option<String>,
    pub value_range: Option<TextRange>,
    pub range: TextRange,
    /// Written `ENV key value` (legacy form, no `=`).
    pub legacy: bool,
}

/// A heredoc attached to RUN, COPY or ADD.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Heredoc {
    /// The delimiter word, e.g. `EOF`.
    pub delimiter: String,
    /// The `<<EOF` marker in the instruction line.
    pub marker_range: TextRange,
    /// `<<-` strips leading tabs.
    pub strip_tabs: bool,
    /// A quoted delimiter disables expansion in the body.
    pub quoted: bool,
    pub body: String,
    pub body_range: TextRange,
    /// The terminating line; `None` when the file ended first.
    pub end_range: Option<TextRange>,
}

/// `$NAME` or `${NAME…}` in an instruction whose arguments BuildKit expands.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct VarRef {
    pub name: String,
    pub range: TextRange,
    pub name_range: TextRange,
    /// `:-`, `-`, `:+`, `+`, `:?`, `?`, `#`, `%`… when present.
    pub modifier: Option<String>,
}

/// The argument text of an instruction with continuation lines joined, and the map back to
/// the source.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogicalText {
    pub text: String,
    /// (logical start, source start) of each contiguous piece, sorted.
    pieces: Vec<(usize, usize)>,
}

impl LogicalText {
    pub(crate) fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.pieces.shrink_to_fit();
    }

    pub(crate) fn push(&mut self, piece: &str, source_start: usize) {
        if piece.is_empty() {
            return;
        }
        self.pieces.push((self.text.len(), source_start));
        self.text.push_str(piece);
    }

    /// Source offset of logical offset `at` (the end maps to just after the last byte).
    pub fn to_source(&self, at: usize) -> usize {
        let idx = self.pieces.partition_point(|(l, _)| *l <= at);
        if idx == 0 {
            return self.pieces.first().map(|p| p.1).unwrap_or(0);
        }
        let (l, s) = self.pieces[idx - 1];
        s + (at - l)
    }

    /// Source range of a logical range (end mapped from its last byte, so a range that
    /// ends at a piece boundary does not swallow the continuation).
    pub fn range_to_source(&self, r: TextRange) -> TextRange {
        if r.is_empty() {
            let s = self.to_source(r.start);
            return TextRange::new(s, s);
        }
        TextRange::new(self.to_source(r.start), self.to_source(r.end - 1) + 1)
    }
}

/// One instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instruction {
    pub index: usize,
    pub keyword: Keyword,
    /// As written (`run`, `Run`, `RUN`).
    pub keyword_text: String,
    pub keyword_range: TextRange,
    /// From the keyword to the end of the last line (heredoc bodies included).
    pub range: TextRange,
    /// Everything after the keyword, continuations joined.
    pub text: LogicalText,
    /// The text holds `{{`: a line of a Go/Jinja template (see `rules::stages::is_template`),
    /// decided once here rather than by every rule scanning every instruction's text.
    pub template: bool,
    pub flags: Vec<Flag>,
    /// Logical offset in `text` where the arguments start (after the flags).
    pub args_start: usize,
    /// Source range of the arguments (after flags, heredoc bodies excluded).
    pub args_range: TextRange,
    /// Arguments split into words (quote-aware), with source ranges.
    pub args: Vec<Word>,
    /// The JSON array when the arguments are in exec form.
    pub exec: Option<Vec<Word>>,
    /// `key=value` pairs for ENV, LABEL, ARG.
    pub pairs: Vec<KeyValue>,
    pub heredocs: Vec<Heredoc>,
    pub var_refs: Vec<VarRef>,
    /// Index of the stage this instruction belongs to (None before the first FROM).
    pub stage: Option<usize>,
    /// The trigger of an ONBUILD.
    pub onbuild: Option<Box<Instruction>>,
}

impl Instruction {
    /// Gives back the unused capacity of its vectors and text (the parser builds them by
    /// pushing: about a quarter of a 10,000-line model was spare capacity). Called once per
    /// parsed instruction.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.flags.shrink_to_fit();
        self.args.shrink_to_fit();
        if let Some(exec) = &mut self.exec {
            exec.shrink_to_fit();
        }
        self.pairs.shrink_to_fit();
        self.heredocs.shrink_to_fit();
        for h in &mut self.heredocs {
            h.body.shrink_to_fit();
        }
        self.var_refs.shrink_to_fit();
        if let Some(trigger) = &mut self.onbuild {
            trigger.shrink_to_fit();
        }
    }

    /// The argument text after the flags, continuations joined.
    pub fn args_text(&self) -> &str {
        self.text.text.get(self.args_start..).unwrap_or("").trim()
    }

    /// The first flag with this name.
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name == name)
    }

    pub fn flags_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Flag> + 'a {
        self.flags.iter().filter(move |f| f.name == name)
    }

    /// True for exec (JSON) form.
    pub fn is_exec_form(&self) -> bool {
        self.exec.is_some()
    }

    /// Shell form command text (RUN/CMD/ENTRYPOINT, or HEALTHCHECK CMD), if any.
    pub fn shell_text(&self) -> Option<&str> {
        if self.exec.is_some() {
            return None;
        }
        let t = self.args_text();
        if t.is_empty() {
            None
        } else {
            Some(t)
        }
    }

    /// Source ranges of the command words for COPY/ADD: (sources, destination).
    pub fn copy_sources_and_dest(&self) -> (&[Word], Option<&Word>) {
        let words: &[Word] = match &self.exec {
            Some(e) => e,
            None => &self.args,
        };
        match words.split_last() {
            Some((dest, sources)) => (sources, Some(dest)),
            None => (&[], None),
        }
    }
}

/// What kind of syntax error.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum SyntaxErrorKind {
    UnknownInstruction { suggestion: Option<String> },
    MissingArguments,
    InvalidArguments,
    InstructionBeforeFrom,
    UnterminatedHeredoc,
    UnknownFlag { suggestion: Option<String> },
    InvalidFlagValue,
    InvalidDirective,
    NoInstructions,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct SyntaxError {
    pub kind: SyntaxErrorKind,
    pub range: TextRange,
    pub message: String,
}

impl LogicalText {
    /// The same text at source offsets moved by `delta`.
    pub fn shift(&mut self, delta: isize) {
        for (_, s) in &mut self.pieces {
            *s = s.saturating_add_signed(delta);
        }
    }

    /// The part from logical offset `from` on, as its own logical text.
    pub fn slice(&self, from: usize) -> LogicalText {
        let mut out = LogicalText::default();
        let end = self.text.len();
        for (idx, &(l, s)) in self.pieces.iter().enumerate() {
            let next = self.pieces.get(idx + 1).map(|p| p.0).unwrap_or(end);
            if next <= from {
                continue;
            }
            let start = l.max(from);
            out.push(&self.text[start..next], s + (start - l));
        }
        out
    }
}
