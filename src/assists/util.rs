//! Small helpers shared by the rewrites.

use crate::syntax::{Dockerfile, Instruction, Keyword, Stage};

/// Start of the line containing `offset`.
pub fn line_start(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .and_then(|t| t.rfind('\n'))
        .map(|i| i + 1)
        .unwrap_or(0)
}

/// End of the line containing `offset`, after its newline (or the text end).
pub fn line_end_after_newline(text: &str, offset: usize) -> usize {
    text.get(offset..)
        .and_then(|t| t.find('\n'))
        .map(|i| offset + i + 1)
        .unwrap_or(text.len())
}

/// The full lines of an instruction (its first line start to after its last newline).
pub fn instruction_lines(text: &str, ins: &Instruction) -> (usize, usize) {
    (
        line_start(text, ins.range.start),
        line_end_after_newline(text, ins.range.end.saturating_sub(1).max(ins.range.start)),
    )
}

/// The source text of an instruction's full lines, ending with a newline.
pub fn instruction_source(text: &str, ins: &Instruction) -> String {
    let (s, e) = instruction_lines(text, ins);
    let mut t = text.get(s..e).unwrap_or("").to_string();
    if !t.ends_with('\n') {
        t.push('\n');
    }
    t
}

/// The final stage, i.e. the one `docker build` without `--target` produces.
pub fn final_stage(file: &Dockerfile) -> Option<&Stage> {
    file.stages.last()
}

/// Instructions of a stage after its FROM.
pub fn body<'a>(file: &'a Dockerfile, stage: &Stage) -> &'a [Instruction] {
    file.stage_instructions(stage).get(1..).unwrap_or(&[])
}

/// The effective user of a stage at its end: the last USER's value, if any.
pub fn last_user<'a>(file: &'a Dockerfile, stage: &Stage) -> Option<&'a Instruction> {
    body(file, stage)
        .iter()
        .rev()
        .find(|i| i.keyword == Keyword::User)
}

/// True when a USER value means root.
pub fn is_root_user(value: &str) -> bool {
    let user = value.split(':').next().unwrap_or("").trim();
    user == "root" || user == "0"
}

/// The shell words of a RUN (shell form), lower-cased command detection helpers.
pub fn run_words(ins: &Instruction) -> Vec<String> {
    let mut words: Vec<String> = match &ins.exec {
        Some(e) => e.iter().map(|w| w.text.to_string()).collect(),
        None => ins
            .args_text()
            .split(|c: char| c.is_whitespace() || c == ';' || c == '&' || c == '|')
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect(),
    };
    for h in &ins.heredocs {
        words.extend(h.body.split_whitespace().map(str::to_string));
    }
    words
}

/// True when the words contain `a` immediately followed by `b`.
pub fn has_pair(words: &[String], a: &str, b: &str) -> bool {
    words.windows(2).any(|w| w[0] == a && w[1] == b)
}

/// The package managers a RUN uses.
pub fn package_managers(ins: &Instruction) -> Vec<&'static str> {
    let words = run_words(ins);
    let mut out = Vec::new();
    for pm in ["apt-get", "apt", "apk", "dnf", "yum", "microdnf", "zypper"] {
        if words
            .iter()
            .any(|w| w == pm || w.ends_with(&format!("/{pm}")))
        {
            out.push(pm);
        }
    }
    out
}

/// The WORKDIR in effect at the end of the stage's body, if set in the stage.
pub fn workdir(file: &Dockerfile, stage: &Stage) -> Option<String> {
    body(file, stage)
        .iter()
        .rev()
        .find(|i| i.keyword == Keyword::Workdir)
        .map(|i| i.args_text().to_string())
}

/// `["a", "b"]` with JSON string escaping.
pub fn json_array(words: &[String]) -> String {
    let items: Vec<String> = words
        .iter()
        .map(|w| serde_json::to_string(w).unwrap_or_else(|_| format!("\"{w}\"")))
        .collect();
    format!("[{}]", items.join(", "))
}

/// The comment lines directly above an instruction (after the previous instruction), as
/// source text, so rewrites that move instructions keep their comments.
pub fn leading_comments(file: &Dockerfile, text: &str, ins: &Instruction) -> String {
    let prev_end = ins
        .index
        .checked_sub(1)
        .and_then(|i| file.instructions.get(i))
        .map(|p| p.range.end)
        .unwrap_or(0);
    let mut out = String::new();
    for c in file.comments.iter().filter(|c| {
        !c.in_continuation && c.range.start >= prev_end && c.range.end <= ins.range.start
    }) {
        out.push_str(text.get(c.range.start..c.range.end).unwrap_or(""));
        out.push('\n');
    }
    out
}

/// Sorts edits and merges insertions at the same offset into one (in order), so a client gets
/// non-overlapping edits.
pub fn merge_insertions(mut edits: Vec<crate::diagnostic::Edit>) -> Vec<crate::diagnostic::Edit> {
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let mut merged: Vec<crate::diagnostic::Edit> = Vec::new();
    for e in edits {
        match merged.last_mut() {
            Some(last) if last.range == e.range && e.range.is_empty() => {
                last.text.push_str(&e.text)
            }
            _ => merged.push(e),
        }
    }
    merged
}
