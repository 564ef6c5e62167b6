//! Context-aware completion: instructions valid at the cursor, parser directives, flags and
//! their values (`--mount` types and keys), earlier stages, variables in scope, base images
//! and their tags. Pure: byte offsets in, items out.
//!
//! Cost: a binary search for the instruction, then work proportional to the current
//! instruction (and, for variables, the current stage), never a walk over the whole file.

use super::scope::{earlier_stages, variables_at, Origin};
use crate::knowledge::directives::{directive_doc, BUILDKIT_CHECKS, DIRECTIVES};
use crate::knowledge::flags::{
    find_flag, flag_values, is_repeatable, key_label, mount_key, mount_keys_for, ValueDoc,
    MOUNT_TYPES,
};
use crate::knowledge::images::{find_image_by_name, IMAGES};
use crate::knowledge::instructions::{instruction_doc, instruction_markdown};
use crate::syntax::{
    flag_spec, split_words, Dockerfile, Instruction, Keyword, TextRange, INSTRUCTIONS,
};

/// What an item completes, so the server can pick an icon.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CompletionKind {
    Keyword,
    Directive,
    Flag,
    Value,
    Variable,
    Stage,
    Image,
    Tag,
}

/// One completion proposal. `range` is the byte range the insert text replaces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompletionItem {
    pub label: String,
    pub kind: CompletionKind,
    pub detail: Option<String>,
    /// Markdown.
    pub documentation: Option<String>,
    pub insert_text: String,
    /// `insert_text` uses `${1:placeholder}` snippet syntax.
    pub snippet: bool,
    pub range: TextRange,
    pub sort_text: String,
    pub filter_text: Option<String>,
}

impl CompletionItem {
    fn new(label: impl Into<String>, kind: CompletionKind, range: TextRange, order: usize) -> Self {
        let label = label.into();
        CompletionItem {
            insert_text: label.clone(),
            label,
            kind,
            detail: None,
            documentation: None,
            snippet: false,
            range,
            sort_text: format!("{order:04}"),
            filter_text: None,
        }
    }
    fn detail(mut self, d: impl Into<String>) -> Self {
        let d = d.into();
        if !d.is_empty() {
            self.detail = Some(d);
        }
        self
    }
    fn doc(mut self, d: impl Into<String>) -> Self {
        let d = d.into();
        if !d.is_empty() {
            self.documentation = Some(d);
        }
        self
    }
    fn insert(mut self, t: impl Into<String>) -> Self {
        self.insert_text = t.into();
        self
    }
    fn snippet(mut self, t: impl Into<String>) -> Self {
        self.insert_text = t.into();
        self.snippet = true;
        self
    }
    fn filter(mut self, t: impl Into<String>) -> Self {
        self.filter_text = Some(t.into());
        self
    }
}

fn is_line_break(c: u8) -> bool {
    c == b'\n' || c == b'\r'
}

/// Moves back from `offset` while `keep` holds, staying on the line.
fn scan_back(text: &str, floor: usize, offset: usize, keep: impl Fn(u8) -> bool) -> usize {
    let b = text.as_bytes();
    let mut i = offset;
    while i > floor && b.get(i - 1).is_some_and(|&c| !is_line_break(c) && keep(c)) {
        i -= 1;
    }
    // Never split a UTF-8 sequence.
    while i < offset && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Moves forward from `offset` while `keep` holds, staying on the line.
fn scan_fwd(text: &str, offset: usize, keep: impl Fn(u8) -> bool) -> usize {
    let b = text.as_bytes();
    let mut i = offset;
    while b.get(i).is_some_and(|&c| !is_line_break(c) && keep(c)) {
        i += 1;
    }
    while i > offset && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Keeps a start computed from the logical (continuation-joined) text on the cursor's line
/// and on a character boundary.
fn on_line(text: &str, line_start: usize, start: usize) -> usize {
    let mut s = start.max(line_start);
    while s < text.len() && !text.is_char_boundary(s) {
        s += 1;
    }
    s
}

fn is_name_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

fn not_space(c: u8) -> bool {
    !c.is_ascii_whitespace()
}

/// Completion at byte `offset` of `text` (parsed as `file`).
pub fn complete(file: &Dockerfile, text: &str, offset: usize) -> Vec<CompletionItem> {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line_start = scan_back(text, 0, offset, |_| true);
    let prefix = text.get(line_start..offset).unwrap_or("");
    let trimmed = prefix.trim_start();
    let line = file.lines.line_col(offset).0;
    let top_region = line <= file.directives.len()
        && file
            .instructions
            .first()
            .is_none_or(|i| i.range.start >= line_start);

    let owner = owning_instruction(file, text, offset, line_start);
    if let Some(ins) = owner {
        let in_heredoc = |i: &Instruction| {
            i.heredocs.iter().any(|h| {
                h.body_range.contains(offset)
                    || h.end_range.is_some_and(|r| r.contains_inclusive(offset))
                    || (h.end_range.is_none() && offset >= h.body_range.start)
            })
        };
        if in_heredoc(ins) || ins.onbuild.as_deref().is_some_and(in_heredoc) {
            return Vec::new();
        }
    }
    if trimmed.starts_with('#') {
        if top_region && owner.is_none() {
            return directive_completions(file, text, line_start, offset);
        }
        return Vec::new();
    }
    let mut out = match owner {
        Some(ins) if ins.keyword_range.start < line_start || offset > ins.keyword_range.end => {
            argument_completions(file, text, ins, offset, line_start)
        }
        _ => {
            if trimmed.contains(char::is_whitespace) {
                return Vec::new();
            }
            let start = offset - trimmed.len();
            let end = scan_fwd(text, offset, |c| c.is_ascii_alphabetic());
            let in_stage = file.stages.first().is_some_and(|s| s.range.start < start);
            let style = KeywordStyle::at(file, text, start, end, trimmed);
            let mut items = keyword_items(TextRange::new(start, end), in_stage, false, style);
            if top_region && trimmed.is_empty() {
                items.extend(directive_line_items(file, TextRange::new(start, end)));
            }
            items
        }
    };
    out.sort_by(|a, b| a.sort_text.cmp(&b.sort_text).then(a.label.cmp(&b.label)));
    out
}

/// The instruction the cursor is in, continuation lines included (also when the cursor
/// sits on a new line after a trailing escape character).
fn owning_instruction<'f>(
    file: &'f Dockerfile,
    text: &str,
    offset: usize,
    line_start: usize,
) -> Option<&'f Instruction> {
    let idx = file
        .instructions
        .partition_point(|i| i.keyword_range.start <= offset);
    let ins = file.instructions.get(idx.checked_sub(1)?)?;
    if offset <= ins.range.end {
        return Some(ins);
    }
    if !ins.heredocs.is_empty() {
        return None;
    }
    let body = text.get(ins.range.start..ins.range.end)?;
    let last_line = body
        .rfind(['\n', '\r'])
        .and_then(|i| body.get(i + 1..))
        .unwrap_or(body)
        .trim_end();
    if !last_line.ends_with(file.escape) {
        return None;
    }
    let between = text.get(ins.range.end..line_start)?;
    let only_blank_or_comments = between.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#')
    });
    only_blank_or_comments.then_some(ins)
}

/// How to write a keyword item.
#[derive(Clone, Copy)]
struct KeywordStyle {
    /// Follow the file's lower-case style (`from`, `run`).
    lower: bool,
    /// Arguments already follow the word: insert the bare keyword, not a snippet.
    bare: bool,
}

impl KeywordStyle {
    fn at(file: &Dockerfile, text: &str, start: usize, end: usize, typed: &str) -> KeywordStyle {
        // The casing of the previous instruction (BuildKit's ConsistentInstructionCasing),
        // else the casing the user started typing.
        let idx = file
            .instructions
            .partition_point(|i| i.keyword_range.start < start);
        let lower = match idx.checked_sub(1).and_then(|i| file.instructions.get(i)) {
            Some(prev) if prev.keyword != Keyword::Unknown => {
                prev.keyword_text.chars().all(|c| c.is_ascii_lowercase())
            }
            _ => !typed.is_empty() && typed.chars().all(|c| c.is_ascii_lowercase()),
        };
        let rest_end = scan_fwd(text, end, |_| true);
        let bare = text
            .get(end..rest_end)
            .is_some_and(|r| !r.trim().is_empty());
        KeywordStyle { lower, bare }
    }
}

fn keyword_items(
    range: TextRange,
    in_stage: bool,
    onbuild: bool,
    style: KeywordStyle,
) -> Vec<CompletionItem> {
    let lower = style.lower;
    let mut out = Vec::new();
    for (i, (name, kw)) in INSTRUCTIONS.iter().enumerate() {
        if !in_stage && !matches!(kw, Keyword::Arg | Keyword::From) {
            continue;
        }
        if onbuild && matches!(kw, Keyword::From | Keyword::Maintainer | Keyword::Onbuild) {
            continue;
        }
        let Some(doc) = instruction_doc(*kw) else {
            continue;
        };
        let order = if *kw == Keyword::Maintainer {
            900
        } else {
            100 + i
        };
        let snippet = if lower {
            doc.snippet.replacen(name, &name.to_ascii_lowercase(), 1)
        } else {
            doc.snippet.to_string()
        };
        let label = if lower {
            name.to_ascii_lowercase()
        } else {
            name.to_string()
        };
        let detail = if *kw == Keyword::Maintainer {
            format!("deprecated — {}", doc.summary)
        } else {
            doc.summary.to_string()
        };
        let item = CompletionItem::new(label.clone(), CompletionKind::Keyword, range, order)
            .detail(detail)
            .doc(instruction_markdown(*kw).unwrap_or_default());
        out.push(if style.bare {
            item.insert(label)
        } else {
            item.snippet(snippet)
        });
    }
    out
}

/// Whole `# name=value` lines, offered on an empty line at the top of the file.
fn directive_line_items(file: &Dockerfile, range: TextRange) -> Vec<CompletionItem> {
    DIRECTIVES
        .iter()
        .enumerate()
        .filter(|(_, d)| file.directive(d.name).is_none())
        .map(|(i, d)| {
            CompletionItem::new(
                format!("# {}=", d.name),
                CompletionKind::Directive,
                range,
                50 + i,
            )
            .detail(d.summary)
            .doc(crate::knowledge::directives::directive_markdown(d.name).unwrap_or_default())
            .snippet(format!("# {}", d.snippet))
            .filter(format!("# {}", d.name))
        })
        .collect()
}

fn directive_completions(
    file: &Dockerfile,
    text: &str,
    line_start: usize,
    offset: usize,
) -> Vec<CompletionItem> {
    let prefix = text.get(line_start..offset).unwrap_or("");
    let Some(hash) = prefix.find('#') else {
        return Vec::new();
    };
    let after_hash = &prefix[hash + 1..];
    let name_start = line_start + hash + 1 + (after_hash.len() - after_hash.trim_start().len());
    let typed = text.get(name_start..offset).unwrap_or("");
    let mut out = Vec::new();
    match typed.split_once('=') {
        None => {
            if !typed.chars().all(|c| c.is_ascii_alphanumeric()) {
                return out;
            }
            let end = scan_fwd(text, offset, |c| c.is_ascii_alphanumeric());
            let range = TextRange::new(name_start, end);
            for (i, d) in DIRECTIVES.iter().enumerate() {
                let present_elsewhere = file
                    .directive(d.name)
                    .is_some_and(|p| p.range.start != line_start);
                if present_elsewhere {
                    continue;
                }
                out.push(
                    CompletionItem::new(d.name, CompletionKind::Directive, range, i)
                        .detail(d.summary)
                        .doc(
                            crate::knowledge::directives::directive_markdown(d.name)
                                .unwrap_or_default(),
                        )
                        .snippet(d.snippet),
                );
            }
        }
        Some((name, value)) => {
            let name = name.trim().to_ascii_lowercase();
            let Some(doc) = directive_doc(&name) else {
                return out;
            };
            let value_start = offset - value.len() + (value.len() - value.trim_start().len());
            if name == "check" {
                let part_start = scan_back(text, value_start, offset, |c| c != b';');
                let part = text.get(part_start..offset).unwrap_or("").trim_start();
                if let Some(list) = part.strip_prefix("skip=") {
                    let item_start = scan_back(text, offset - list.len(), offset, |c| c != b',');
                    let end = scan_fwd(text, offset, |c| c != b',' && c != b';' && not_space(c));
                    let used: Vec<&str> = list.split(',').map(str::trim).collect();
                    let range = TextRange::new(item_start, end);
                    for (i, c) in BUILDKIT_CHECKS
                        .iter()
                        .chain(std::iter::once(&"all"))
                        .enumerate()
                    {
                        if used[..used.len().saturating_sub(1)].contains(c) {
                            continue;
                        }
                        out.push(
                            CompletionItem::new(*c, CompletionKind::Value, range, i)
                                .detail("BuildKit build check"),
                        );
                    }
                    return out;
                }
                let start = offset - part.len();
                let end = scan_fwd(text, offset, |c| c != b';' && not_space(c));
                for (i, v) in doc.values.iter().enumerate() {
                    out.push(
                        CompletionItem::new(
                            v.value,
                            CompletionKind::Value,
                            TextRange::new(start, end),
                            i,
                        )
                        .detail(v.doc),
                    );
                }
                return out;
            }
            let end = scan_fwd(text, offset, not_space);
            for (i, v) in doc.values.iter().enumerate() {
                out.push(
                    CompletionItem::new(
                        v.value,
                        CompletionKind::Value,
                        TextRange::new(value_start, end),
                        i,
                    )
                    .detail(v.doc),
                );
            }
        }
    }
    out
}

/// The instruction text from after the keyword to the cursor, continuation lines joined and
/// comment/blank lines inside the continuation dropped (as BuildKit reads it).
fn logical_prefix(text: &str, from: usize, offset: usize, escape: char) -> String {
    let src = text.get(from..offset).unwrap_or("");
    let mut out = String::new();
    let mut lines = src.split_inclusive(['\n', '\r']).peekable();
    let mut first = true;
    while let Some(raw) = lines.next() {
        let last = lines.peek().is_none();
        let content = raw.trim_end_matches(['\n', '\r']);
        if !first && (content.trim().is_empty() || content.trim_start().starts_with('#')) && !last {
            first = false;
            continue;
        }
        first = false;
        if last && !raw.ends_with(['\n', '\r']) {
            out.push_str(content);
        } else {
            let t = content.trim_end();
            out.push_str(t.strip_suffix(escape).unwrap_or(t));
        }
    }
    out
}

fn argument_completions(
    file: &Dockerfile,
    text: &str,
    ins: &Instruction,
    offset: usize,
    line_start: usize,
) -> Vec<CompletionItem> {
    // Variables first: `$NA|` / `${NA|`.
    let name_start = scan_back(text, line_start, offset, is_name_byte);
    let before = text.get(line_start..name_start).unwrap_or("");
    let braced = before.ends_with("${");
    if braced || (before.ends_with('$') && !before.ends_with("$$")) {
        return variable_items(file, text, ins, offset, name_start, braced);
    }

    // Past the flags, only a few instructions have anything to offer; returning here keeps
    // a keystroke inside a long RUN from re-reading the whole instruction.
    let has_argument_items = matches!(
        ins.keyword,
        Keyword::From | Keyword::Healthcheck | Keyword::Stopsignal | Keyword::Onbuild
    );
    if !has_argument_items && offset > ins.args_range.start {
        return Vec::new();
    }
    let prefix = logical_prefix(text, ins.keyword_range.end, offset, file.escape);
    let words = split_words(&prefix, file.escape);
    let ends_in_space = prefix.ends_with(|c: char| c.is_whitespace()) || prefix.is_empty();
    let (done, current): (&[crate::syntax::Word], &str) = match words.split_last() {
        Some((last, rest)) if !ends_in_space && last.range.end == prefix.len() => {
            (rest, last.raw.as_str())
        }
        _ => (&words[..], ""),
    };
    let mut kw = ins.keyword;
    let mut done = done;
    let stage = ins.stage;
    if kw == Keyword::Onbuild {
        match done.split_first() {
            None => {
                let start = scan_back(text, line_start, offset, not_space);
                let end = scan_fwd(text, offset, |c| c.is_ascii_alphabetic());
                let style = KeywordStyle::at(file, text, start, end, current);
                return keyword_items(TextRange::new(start, end), true, true, style);
            }
            Some((trigger, rest)) => {
                kw = Keyword::parse(&trigger.text);
                done = rest;
            }
        }
    }
    let flags_done = done.iter().all(|w| w.raw.starts_with("--"));
    if flags_done && current.starts_with("--") {
        return flag_items(file, text, kw, done, current, offset, line_start, stage);
    }
    let args: Vec<&crate::syntax::Word> =
        done.iter().filter(|w| !w.raw.starts_with("--")).collect();
    let tok_start = scan_back(text, line_start, offset, not_space);
    let tok_end = scan_fwd(text, offset, not_space);
    let range = TextRange::new(tok_start, tok_end);
    match kw {
        Keyword::From => match args.len() {
            0 => from_image_items(file, text, current, offset, range, stage),
            1 if "as".starts_with(&current.to_ascii_lowercase()) => {
                let label = if current.chars().any(|c| c.is_ascii_lowercase()) {
                    "as"
                } else {
                    "AS"
                };
                vec![
                    CompletionItem::new(label, CompletionKind::Keyword, range, 0)
                        .detail("Name this stage")
                        .snippet(format!("{label} ${{1:name}}")),
                ]
            }
            _ => Vec::new(),
        },
        Keyword::Healthcheck if args.is_empty() => vec![
            CompletionItem::new("CMD", CompletionKind::Keyword, range, 0)
                .detail("Run this command to check health")
                .snippet("CMD ${1:command}"),
            CompletionItem::new("NONE", CompletionKind::Keyword, range, 1)
                .detail("Disable a health check inherited from the base image"),
        ],
        Keyword::Stopsignal if args.is_empty() => [
            "SIGTERM", "SIGQUIT", "SIGINT", "SIGKILL", "SIGHUP", "SIGUSR1", "SIGWINCH",
        ]
        .iter()
        .enumerate()
        .map(|(i, s)| CompletionItem::new(*s, CompletionKind::Value, range, i))
        .collect(),
        _ => Vec::new(),
    }
}

fn variable_items(
    file: &Dockerfile,
    text: &str,
    ins: &Instruction,
    offset: usize,
    name_start: usize,
    braced: bool,
) -> Vec<CompletionItem> {
    let name_end = scan_fwd(text, offset, is_name_byte);
    let needs_brace = braced && text.as_bytes().get(name_end) != Some(&b'}');
    let range = TextRange::new(name_start, name_end);
    variables_at(file, ins, offset)
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            let order = match v.origin {
                Origin::Predefined => 800 + i,
                Origin::Platform => 500 + i,
                _ => i,
            };
            let insert = if needs_brace {
                format!("{}}}", v.name)
            } else {
                v.name.clone()
            };
            CompletionItem::new(v.name.clone(), CompletionKind::Variable, range, order)
                .detail(v.value_text())
                .doc(format!("Defined by {}.", v.origin_text(file)))
                .insert(insert)
        })
        .collect()
}

fn stage_items(
    file: &Dockerfile,
    stage: Option<usize>,
    range: TextRange,
    base: usize,
) -> Vec<CompletionItem> {
    let earlier = earlier_stages(file, stage);
    let mut out = Vec::new();
    for s in earlier {
        let line = file.lines.line_col(s.range.start).0 + 1;
        let doc = format!(
            "Stage {} defined on line {line}: `FROM {}`",
            s.display_name(),
            s.image.text
        );
        if let Some(name) = s.name() {
            out.push(
                CompletionItem::new(name, CompletionKind::Stage, range, base + s.index)
                    .detail(format!("stage FROM {}", s.image.text))
                    .doc(doc.clone()),
            );
        }
        out.push(
            CompletionItem::new(
                s.index.to_string(),
                CompletionKind::Stage,
                range,
                base + 100 + s.index,
            )
            .detail(match s.name() {
                Some(n) => format!("stage #{} '{n}' FROM {}", s.index, s.image.text),
                None => format!("stage #{} FROM {}", s.index, s.image.text),
            })
            .doc(doc),
        );
    }
    out
}

fn from_image_items(
    file: &Dockerfile,
    text: &str,
    current: &str,
    offset: usize,
    range: TextRange,
    stage: Option<usize>,
) -> Vec<CompletionItem> {
    // After `name:` → tags of that image.
    let last_slash = current.rfind('/').map(|i| i + 1).unwrap_or(0);
    if let Some(colon) = current[last_slash..].find(':') {
        let name = &current[..last_slash + colon];
        let Some(image) = find_image_by_name(name) else {
            return Vec::new();
        };
        let tag_start = scan_back(text, range.start, offset, |c| c != b':');
        let tag_end = scan_fwd(text, offset, |c| not_space(c) && c != b'@');
        let r = TextRange::new(tag_start, tag_end);
        return image
            .tags
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let facts = crate::knowledge::images::facts(&crate::syntax::ImageRef::parse(
                    &format!("{}:{t}", image.name),
                    0,
                ));
                let mut detail = Vec::new();
                if let Some(rel) = facts.release {
                    detail.push(rel.name.to_string());
                } else if let Some(f) = facts.family {
                    detail.push(f.as_str().to_string());
                }
                if let Some(l) = facts.libc {
                    detail.push(l.as_str().to_string());
                }
                if let Some((_, mb)) = facts.size {
                    detail.push(format!("≈ {mb} MB"));
                }
                CompletionItem::new(*t, CompletionKind::Tag, r, i).detail(detail.join(", "))
            })
            .collect();
    }
    let mut out = stage_items(file, stage, range, 0);
    for (i, image) in IMAGES.iter().enumerate() {
        let mut item = CompletionItem::new(image.name, CompletionKind::Image, range, 300 + i)
            .detail(
                image
                    .description
                    .split(". ")
                    .next()
                    .unwrap_or(image.description),
            )
            .doc(format!(
                "{}\n\n[{}]({})",
                image.description, image.url, image.url
            ));
        if image.deprecated {
            item.sort_text = format!("{:04}", 700 + i);
            item.detail = Some(format!(
                "deprecated — {}",
                image.note.unwrap_or(image.description)
            ));
        }
        out.push(item);
    }
    out.push(
        CompletionItem::new("scratch", CompletionKind::Image, range, 299)
            .detail("The empty image: for static binaries"),
    );
    out
}

#[allow(clippy::too_many_arguments)]
fn flag_items(
    file: &Dockerfile,
    text: &str,
    kw: Keyword,
    done: &[crate::syntax::Word],
    current: &str,
    offset: usize,
    line_start: usize,
    stage: Option<usize>,
) -> Vec<CompletionItem> {
    let tok_start = scan_back(text, line_start, offset, not_space);
    let body = &current[2..];
    let Some((name, value)) = body.split_once('=') else {
        // Flag names.
        let end = scan_fwd(text, offset, |c| not_space(c) && c != b'=');
        let has_eq = text.as_bytes().get(end) == Some(&b'=');
        let range = TextRange::new(tok_start, end);
        let used: Vec<String> = done
            .iter()
            .filter_map(|w| w.text.strip_prefix("--"))
            .map(|w| w.split('=').next().unwrap_or("").to_ascii_lowercase())
            .collect();
        return flag_spec(kw)
            .iter()
            .enumerate()
            .filter(|(_, f)| is_repeatable(kw, f.name) || !used.iter().any(|u| u == f.name))
            .map(|(i, f)| {
                let label = format!("--{}", f.name);
                let insert = if f.boolean || has_eq {
                    label.clone()
                } else {
                    format!("{label}=")
                };
                CompletionItem::new(label, CompletionKind::Flag, range, i)
                    .detail(if f.boolean {
                        "flag"
                    } else {
                        "flag with a value"
                    })
                    .doc(
                        crate::knowledge::flags::flag_markdown(kw, f.name, None)
                            .unwrap_or_default(),
                    )
                    .insert(insert)
            })
            .collect();
    };
    let name = name.to_ascii_lowercase();
    let Some(spec) = find_flag(kw, &name) else {
        return Vec::new();
    };
    let value_start = on_line(text, line_start, offset - value.len());
    if kw == Keyword::Run && spec.name == "mount" {
        return mount_items(file, text, value, line_start, offset, stage);
    }
    let end = scan_fwd(text, offset, not_space);
    let range = TextRange::new(value_start, end);
    if spec.name == "from" {
        return stage_items(file, stage, range, 0);
    }
    values_to_items(flag_values(kw, spec.name), range)
}

fn values_to_items(values: &[ValueDoc], range: TextRange) -> Vec<CompletionItem> {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| CompletionItem::new(v.value, CompletionKind::Value, range, i).detail(v.doc))
        .collect()
}

/// `--mount=type=cache,shar|`.
fn mount_items(
    file: &Dockerfile,
    text: &str,
    value: &str,
    line_start: usize,
    offset: usize,
    stage: Option<usize>,
) -> Vec<CompletionItem> {
    let parts: Vec<&str> = value.split(',').collect();
    let (current, previous) = parts
        .split_last()
        .map(|(c, p)| (*c, p))
        .unwrap_or(("", &[]));
    let part_start = on_line(text, line_start, offset - current.len());
    let mut ty = String::new();
    let mut used = Vec::new();
    for p in previous {
        let (k, v) = p.split_once('=').unwrap_or((p, ""));
        let k = k.trim().to_ascii_lowercase();
        if k == "type" {
            ty = v.trim().to_ascii_lowercase();
        }
        if let Some(key) = mount_key(&k) {
            used.push(key.name);
        }
    }
    if let Some((key, v)) = current.split_once('=') {
        let vstart = on_line(text, line_start, offset - v.len());
        let end = scan_fwd(text, offset, |c| not_space(c) && c != b',');
        let range = TextRange::new(vstart, end);
        let key = key.trim().to_ascii_lowercase();
        if key == "from" {
            return stage_items(file, stage, range, 0);
        }
        if key == "type" {
            return values_to_items(MOUNT_TYPES, range);
        }
        return mount_key(&key)
            .map(|k| values_to_items(k.values, range))
            .unwrap_or_default();
    }
    let end = scan_fwd(text, offset, |c| not_space(c) && c != b',' && c != b'=');
    let has_eq = text.as_bytes().get(end) == Some(&b'=');
    let range = TextRange::new(part_start, end);
    mount_keys_for(&ty)
        .enumerate()
        .filter(|(_, k)| !used.contains(&k.name))
        .map(|(i, k)| {
            let insert = if k.boolean || has_eq {
                k.name.to_string()
            } else {
                format!("{}=", k.name)
            };
            let order = if k.name == "type" { 0 } else { 10 + i };
            CompletionItem::new(k.name, CompletionKind::Value, range, order)
                .detail(if ty.is_empty() {
                    "mount option (type=bind unless set)".to_string()
                } else {
                    format!("type={ty} option")
                })
                .doc(format!("{}: {}", key_label(k), k.doc))
                .insert(insert)
        })
        .collect()
}

#[cfg(test)]
mod tests;
