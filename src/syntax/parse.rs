//! Text → [`Dockerfile`], following BuildKit's line-oriented parser
//! (moby/buildkit `frontend/dockerfile/parser`): directives, escape character, continuation
//! lines (comments and blank lines inside them are skipped), heredocs, flags, exec form.
//!
//! The parser never fails: whatever it cannot make sense of becomes a [`SyntaxError`] and
//! parsing goes on with the next line.

use super::instruction::{flag_spec, Keyword, INSTRUCTIONS};
use super::lex::{split_words, Word};
use super::model::*;
use super::{ImageRef, LineIndex, TextRange};

/// Parses a whole document.
pub fn parse(text: &str) -> Dockerfile {
    Parser::new(text).run()
}

struct Parser<'a> {
    text: &'a str,
    /// Lines of `text` (`df.lines` has their starts).
    line_count: usize,
    escape: char,
    df: Dockerfile,
}

const KNOWN_DIRECTIVES: &[&str] = &["syntax", "escape", "check"];

fn is_blank(s: &str) -> bool {
    s.chars()
        .all(|c| c == ' ' || c == '\t' || c == '\u{b}' || c == '\u{c}')
}

fn trim_start_ws(s: &str) -> &str {
    s.trim_start_matches([' ', '\t', '\u{b}', '\u{c}'])
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Self {
        Parser::with_index(text, LineIndex::new(text))
    }

    fn with_index(text: &'a str, index: LineIndex) -> Self {
        Parser {
            text,
            line_count: index.line_count(),
            escape: '\\',
            df: Dockerfile {
                escape: '\\',
                lines: index,
                len: text.len(),
                ..Dockerfile::default()
            },
        }
    }

    /// Line `i`'s content range, without its terminator.
    fn range(&self, i: usize) -> TextRange {
        self.df.lines.line_range(self.text, i)
    }

    fn line(&self, i: usize) -> &'a str {
        let r = self.range(i);
        self.text.get(r.start..r.end).unwrap_or("")
    }

    fn error(&mut self, kind: SyntaxErrorKind, range: TextRange, message: String) {
        self.df.errors.push(SyntaxError {
            kind,
            range,
            message,
        });
    }

    /// Parses the parser directives; returns the first line after them.
    fn directives(&mut self) -> usize {
        let mut i = 0;
        while i < self.line_count {
            let line = self.line(i);
            let start = self.range(i).start;
            let Some(d) = parse_directive(line, start) else {
                break;
            };
            if !KNOWN_DIRECTIVES.contains(&d.name.as_str()) {
                break;
            }
            if self.df.directives.iter().any(|e| e.name == d.name) {
                let msg = format!("Only one '{}' parser directive can be used.", d.name);
                self.error(SyntaxErrorKind::InvalidDirective, d.range, msg);
            } else if d.name == "escape" {
                match d.value.as_str() {
                    "\\" => self.escape = '\\',
                    "`" => self.escape = '`',
                    other => {
                        let msg = format!(
                            "Invalid escape character '{other}': it must be a backslash (\\) or a backtick (`)."
                        );
                        self.error(SyntaxErrorKind::InvalidDirective, d.value_range, msg);
                    }
                }
            }
            self.df.comments.push(Comment {
                text: line.trim_start().trim_start_matches('#').trim().to_string(),
                range: self.range(i),
                in_continuation: false,
            });
            self.df.directives.push(d);
            i += 1;
        }
        self.df.escape = self.escape;
        i
    }

    /// Where a trailing escape character starts, if the line continues.
    /// BuildKit: `([^\\])\\[ \t]*$|^\\[ \t]*$` — the escape character at the end of the line, not itself
    /// escaped (so a Windows path ending in `C:\\` does not continue the line).
    fn continuation_at(&self, line: &str) -> Option<usize> {
        let trimmed = line.trim_end_matches([' ', '\t']);
        let body = trimmed.strip_suffix(self.escape)?;
        match body.chars().next_back() {
            // `^\[ \t]*$`: a line that is only the escape character continues too.
            None => Some(0),
            Some(c) if c != self.escape => Some(body.len()),
            Some(_) => None,
        }
    }

    fn run(mut self) -> Dockerfile {
        let mut i = self.directives();
        while i < self.line_count {
            i = self.item(i);
        }
        self.finish()
    }

    /// Parses the top-level item starting at line `i` — a blank line, a comment, or an
    /// instruction with its continuation lines and heredocs — and returns the next line.
    fn item(&mut self, mut i: usize) -> usize {
        {
            let line = self.line(i);
            let lstart = self.range(i).start;
            let content = trim_start_ws(line);
            if content.is_empty() {
                return i + 1;
            }
            let cstart = lstart + (line.len() - content.len());
            if let Some(comment) = content.strip_prefix('#') {
                self.df.comments.push(Comment {
                    text: comment.trim().to_string(),
                    range: TextRange::new(cstart, self.range(i).end),
                    in_continuation: false,
                });
                return i + 1;
            }
            // An instruction starts here; gather its continuation lines.
            let mut logical = LogicalText::default();
            let mut end = self.range(i).end;
            let mut cont = self.continuation_at(content);
            logical.push(&content[..cont.unwrap_or(content.len())], cstart);
            i += 1;
            while cont.is_some() && i < self.line_count {
                let l = self.line(i);
                let r = self.range(i);
                let t = trim_start_ws(l);
                if let Some(comment) = t.strip_prefix('#') {
                    self.df.comments.push(Comment {
                        text: comment.trim().to_string(),
                        range: TextRange::new(r.start + (l.len() - t.len()), r.end),
                        in_continuation: true,
                    });
                    i += 1;
                    continue;
                }
                if is_blank(l) {
                    // The empty "line" after a final newline is not a line of the file.
                    if r.start == self.text.len() {
                        i += 1;
                        continue;
                    }
                    self.df.empty_continuation_lines.push(r);
                    i += 1;
                    continue;
                }
                cont = self.continuation_at(l);
                logical.push(&l[..cont.unwrap_or(l.len())], r.start);
                end = r.end;
                i += 1;
            }
            let heredoc_specs = self.find_heredocs(&logical);
            let mut heredocs = Vec::new();
            for spec in heredoc_specs {
                let (heredoc, next) = self.read_heredoc(spec, i);
                i = next;
                if let Some(er) = heredoc.end_range {
                    end = er.end;
                } else {
                    end = self.text.len();
                    let msg = format!(
                        "Unterminated heredoc: no line '{}' closes the heredoc started here.",
                        heredoc.delimiter
                    );
                    self.error(
                        SyntaxErrorKind::UnterminatedHeredoc,
                        heredoc.marker_range,
                        msg,
                    );
                }
                heredocs.push(heredoc);
            }
            let range = TextRange::new(cstart, end.max(cstart));
            let ins = self.instruction(logical, range, heredocs, false);
            self.push_instruction(ins);
        }
        i
    }

    /// Heredoc markers in an instruction line (RUN/COPY/ADD only, not in exec form).
    fn find_heredocs(&self, logical: &LogicalText) -> Vec<(String, bool, bool, TextRange)> {
        let t = logical.text.as_str();
        let kw_end = t.find(char::is_whitespace).unwrap_or(t.len());
        if !Keyword::parse(&t[..kw_end]).allows_heredoc() {
            return Vec::new();
        }
        let rest = trim_start_ws(&t[kw_end..]);
        let mut out = Vec::new();
        for w in split_words(rest, self.escape) {
            if w.raw.starts_with('[') && out.is_empty() && w.range.start == 0 {
                // exec form: no heredocs
                break;
            }
            let raw = w.raw.as_str();
            // Find `<<` in the raw word (it may follow a redirection such as `cat<<EOF`).
            let Some(pos) = raw.find("<<") else {
                continue;
            };
            let after = &raw[pos + 2..];
            if after.starts_with('<') {
                continue; // here-string
            }
            let (strip_tabs, after) = match after.strip_prefix('-') {
                Some(a) => (true, a),
                None => (false, after),
            };
            let (quoted, name) = unquote_delimiter(after);
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
            {
                continue;
            }
            let lstart = kw_end + (t.len() - kw_end - rest.len()) + w.range.start + pos;
            let lend = kw_end + (t.len() - kw_end - rest.len()) + w.range.end;
            let marker = logical.range_to_source(TextRange::new(lstart, lend));
            out.push((name.to_string(), strip_tabs, quoted, marker));
        }
        out
    }

    fn read_heredoc(
        &mut self,
        (delimiter, strip_tabs, quoted, marker_range): (String, bool, bool, TextRange),
        mut i: usize,
    ) -> (Heredoc, usize) {
        let body_start = self.df.lines.line_start(i);
        let mut body = String::new();
        let mut end_range = None;
        let mut body_end = body_start;
        while i < self.line_count {
            let l = self.line(i);
            let r = self.range(i);
            let cmp = if strip_tabs {
                l.trim_start_matches('\t')
            } else {
                l
            };
            if cmp == delimiter {
                end_range = Some(r);
                body_end = r.start;
                i += 1;
                break;
            }
            body.push_str(cmp);
            body.push('\n');
            body_end = self.df.lines.line_start(i + 1);
            i += 1;
        }
        (
            Heredoc {
                delimiter,
                marker_range,
                strip_tabs,
                quoted,
                body,
                body_range: TextRange::new(body_start, body_end.max(body_start)),
                end_range,
            },
            i,
        )
    }

    /// Builds an instruction from its logical line (`KEYWORD args…`).
    fn instruction(
        &mut self,
        logical: LogicalText,
        range: TextRange,
        heredocs: Vec<Heredoc>,
        nested: bool,
    ) -> Instruction {
        let t = logical.text.clone();
        let kw_len = t.find(char::is_whitespace).unwrap_or(t.len());
        let keyword_text = t[..kw_len].to_string();
        let keyword = Keyword::parse(&keyword_text);
        // An instruction of only an escape character has no text: its keyword sits at its start.
        let keyword_range = if t.is_empty() {
            TextRange::empty(range.start)
        } else {
            logical.range_to_source(TextRange::new(0, kw_len))
        };
        let mut ins = Instruction {
            index: 0,
            keyword,
            keyword_text: keyword_text.clone(),
            keyword_range,
            range,
            template: t.contains("{{"),
            text: logical,
            flags: Vec::new(),
            args_start: kw_len,
            args_range: TextRange::empty(keyword_range.end),
            args: Vec::new(),
            exec: None,
            pairs: Vec::new(),
            heredocs,
            var_refs: Vec::new(),
            stage: None,
            onbuild: None,
        };
        if keyword == Keyword::Unknown {
            let suggestion = suggest(&keyword_text, INSTRUCTIONS.iter().map(|(n, _)| *n));
            let msg = match &suggestion {
                Some(s) => format!("Unknown instruction '{keyword_text}'. Did you mean '{s}'?"),
                None => format!(
                    "Unknown instruction '{keyword_text}'. If this line belongs to the previous instruction, end that line with '{}'.",
                    self.escape
                ),
            };
            self.error(
                SyntaxErrorKind::UnknownInstruction { suggestion },
                keyword_range,
                msg,
            );
            return ins;
        }
        if keyword == Keyword::Onbuild {
            self.onbuild(&mut ins, nested);
            return ins;
        }
        self.flags(&mut ins);
        self.arguments(&mut ins);
        ins
    }

    fn onbuild(&mut self, ins: &mut Instruction, nested: bool) {
        let t = ins.text.text.clone();
        let rest_start =
            ins.args_start + (t.len() - ins.args_start - trim_start_ws(&t[ins.args_start..]).len());
        ins.args_start = rest_start;
        ins.args_range = ins.text.range_to_source(TextRange::new(
            rest_start,
            t.trim_end().len().max(rest_start),
        ));
        if rest_start >= t.trim_end().len() {
            self.error(
                SyntaxErrorKind::MissingArguments,
                ins.keyword_range,
                "ONBUILD requires an instruction to run in the images built from this one.".into(),
            );
            return;
        }
        if nested {
            self.error(
                SyntaxErrorKind::InvalidArguments,
                ins.keyword_range,
                "Chaining ONBUILD via 'ONBUILD ONBUILD' isn't allowed.".into(),
            );
            return;
        }
        let sub = ins.text.slice(rest_start);
        let heredocs = std::mem::take(&mut ins.heredocs);
        let inner_range = TextRange::new(sub.to_source(0), ins.range.end);
        let inner = self.instruction(sub, inner_range, heredocs, true);
        if matches!(
            inner.keyword,
            Keyword::From | Keyword::Maintainer | Keyword::Onbuild
        ) && !nested
        {
            let msg = match inner.keyword {
                Keyword::Onbuild => {
                    "Chaining ONBUILD via 'ONBUILD ONBUILD' isn't allowed.".to_string()
                }
                k => format!("{} isn't allowed as an ONBUILD trigger.", k.as_str()),
            };
            self.error(SyntaxErrorKind::InvalidArguments, inner.keyword_range, msg);
        }
        ins.onbuild = Some(Box::new(inner));
    }

    fn flags(&mut self, ins: &mut Instruction) {
        let t = ins.text.text.clone();
        let mut pos = ins.args_start;
        let spec = flag_spec(ins.keyword);
        loop {
            let rest = &t[pos..];
            let trimmed = trim_start_ws(rest);
            let wstart = pos + (rest.len() - trimmed.len());
            if !trimmed.starts_with("--") {
                pos = wstart;
                break;
            }
            let words = split_words(trimmed, self.escape);
            let Some(w) = words.into_iter().next() else {
                pos = wstart;
                break;
            };
            let wend = wstart + w.range.end;
            pos = wend;
            if w.text == "--" {
                break;
            }
            let body = &w.text[2..];
            let (name, value) = match body.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (body.to_string(), None),
            };
            let name_l = name.to_ascii_lowercase();
            let range = ins.text.range_to_source(TextRange::new(wstart, wend));
            let name_range = ins
                .text
                .range_to_source(TextRange::new(wstart, (wstart + 2 + name.len()).min(wend)));
            let value_range = value.as_ref().map(|_| {
                let vs = w.raw.find('=').map(|p| wstart + p + 1).unwrap_or(wend);
                ins.text.range_to_source(TextRange::new(vs.min(wend), wend))
            });
            match spec.iter().find(|s| s.name == name_l) {
                None => {
                    let suggestion = suggest(&name_l, spec.iter().map(|s| s.name));
                    let msg = match (&suggestion, spec.is_empty()) {
                        (_, true) => format!(
                            "Unknown flag '--{name}': {} takes no flags.",
                            ins.keyword.as_str()
                        ),
                        (Some(s), _) => format!(
                            "Unknown flag '--{name}' for {}. Did you mean '--{s}'?",
                            ins.keyword.as_str()
                        ),
                        (None, _) => format!(
                            "Unknown flag '--{name}' for {}. Valid flags: {}.",
                            ins.keyword.as_str(),
                            spec.iter()
                                .map(|s| format!("--{}", s.name))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    };
                    self.error(SyntaxErrorKind::UnknownFlag { suggestion }, name_range, msg);
                }
                Some(s) if s.boolean => {
                    if let Some(v) = &value {
                        if !matches!(v.to_ascii_lowercase().as_str(), "true" | "false")
                            && !v.contains('$')
                        {
                            let msg = format!(
                                "The flag '--{name}' expects 'true' or 'false', not '{v}'."
                            );
                            self.error(
                                SyntaxErrorKind::InvalidFlagValue,
                                value_range.unwrap_or(range),
                                msg,
                            );
                        }
                    }
                }
                Some(_) => {
                    if value.as_deref().is_none_or(str::is_empty) {
                        let msg = format!("The flag '--{name}' needs a value: '--{name}=<value>'.");
                        self.error(SyntaxErrorKind::InvalidFlagValue, range, msg);
                    }
                }
            }
            ins.flags.push(Flag {
                name: name_l,
                name_range,
                value,
                value_range,
                range,
            });
        }
        ins.args_start = pos.min(t.len());
    }

    fn arguments(&mut self, ins: &mut Instruction) {
        let t = ins.text.text.clone();
        let args_text = &t[ins.args_start..];
        let args_trimmed = args_text.trim_end();
        let args_end = ins.args_start + args_trimmed.len();
        ins.args_range = ins
            .text
            .range_to_source(TextRange::new(ins.args_start, args_end.max(ins.args_start)));
        let map_word = |w: Word, base: usize, text: &LogicalText| Word {
            range: text.range_to_source(TextRange::new(base + w.range.start, base + w.range.end)),
            ..w
        };
        // BuildKit splits most instructions' arguments on whitespace only (quotes are
        // handled later by expansion, per word); ENV/LABEL/ARG use quote-aware words.
        let split = if matches!(ins.keyword, Keyword::Env | Keyword::Label | Keyword::Arg) {
            split_words(args_trimmed, self.escape)
        } else {
            split_fields(args_trimmed, self.escape)
        };
        let words: Vec<Word> = split
            .into_iter()
            .map(|w| map_word(w, ins.args_start, &ins.text))
            .collect();
        ins.args = words;
        let kw = ins.keyword;
        let name = kw.as_str();
        // Exec (JSON) form.
        if matches!(
            kw,
            Keyword::Run
                | Keyword::Cmd
                | Keyword::Entrypoint
                | Keyword::Shell
                | Keyword::Copy
                | Keyword::Add
                | Keyword::Volume
        ) && args_trimmed.starts_with('[')
        {
            if let Some(items) = parse_json_array(args_trimmed) {
                ins.exec = Some(
                    items
                        .into_iter()
                        .map(|w| map_word(w, ins.args_start, &ins.text))
                        .collect(),
                );
            }
        }
        let has_heredoc = !ins.heredocs.is_empty();
        let nargs = ins.exec.as_ref().map(Vec::len).unwrap_or(ins.args.len());
        let missing = |p: &mut Self, what: String| {
            p.error(SyntaxErrorKind::MissingArguments, ins.keyword_range, what);
        };
        match kw {
            Keyword::From => match ins.args.len() {
                0 => missing(
                    self,
                    "FROM requires an image: 'FROM <image>[:tag] [AS <name>]'.".into(),
                ),
                1 => {}
                3 if ins.args[1].text.eq_ignore_ascii_case("as") => {}
                _ => self.error(
                    SyntaxErrorKind::InvalidArguments,
                    ins.args_range,
                    "FROM requires either one or three arguments: 'FROM <image> [AS <name>]'."
                        .into(),
                ),
            },
            Keyword::Copy | Keyword::Add => {
                if nargs == 0 && !has_heredoc {
                    missing(self, format!("{name} requires a source and a destination."));
                } else if nargs < 2 && !has_heredoc {
                    self.error(
                        SyntaxErrorKind::MissingArguments,
                        ins.args_range,
                        format!("{name} requires at least two arguments, but only one was provided: the destination is missing."),
                    );
                }
            }
            Keyword::Run if nargs == 0 && !has_heredoc && ins.exec.is_none() => {
                missing(self, "RUN requires a command.".into());
            }
            Keyword::Shell if ins.exec.as_ref().is_none_or(Vec::is_empty) => {
                self.error(
                    SyntaxErrorKind::InvalidArguments,
                    if nargs == 0 { ins.keyword_range } else { ins.args_range },
                    "SHELL requires the arguments to be a JSON array, e.g. SHELL [\"/bin/bash\", \"-c\"].".into(),
                );
            }
            Keyword::Env | Keyword::Label | Keyword::Arg => self.pairs(ins),
            Keyword::Healthcheck => self.healthcheck(ins),
            Keyword::Workdir
            | Keyword::User
            | Keyword::Stopsignal
            | Keyword::Maintainer
            | Keyword::Expose
            | Keyword::Volume
                if nargs == 0 =>
            {
                let what = match kw {
                    Keyword::Workdir => "a path",
                    Keyword::User => "a user name or UID",
                    Keyword::Stopsignal => "a signal",
                    Keyword::Maintainer => "a name",
                    Keyword::Expose => "at least one port",
                    _ => "at least one path",
                };
                missing(self, format!("{name} requires {what}."));
            }
            _ => {}
        }
        if kw.expands_variables() {
            let mut refs = Vec::new();
            scan_var_refs(
                args_trimmed,
                self.escape,
                0,
                &mut |name, r, nr, modifier| refs.push((name, r, nr, modifier)),
            );
            for (name, r, nr, modifier) in refs {
                let base = ins.args_start;
                ins.var_refs.push(VarRef {
                    name,
                    range: ins
                        .text
                        .range_to_source(TextRange::new(base + r.start, base + r.end)),
                    name_range: ins
                        .text
                        .range_to_source(TextRange::new(base + nr.start, base + nr.end)),
                    modifier,
                });
            }
        }
        // Flag values are expanded by BuildKit too (`--from=$X`, `--chown=$U`, `--platform=$P`).
        for flag in &ins.flags {
            let (Some(v), Some(vr)) = (&flag.value, flag.value_range) else {
                continue;
            };
            // Scan the value as written (quotes kept) so ranges land on the source; a value
            // broken by a line continuation is scanned unquoted from its start instead.
            let raw = self
                .text
                .get(vr.start..vr.end)
                .filter(|r| !r.contains(['\n', '\r']));
            let v = raw.unwrap_or(v);
            scan_var_refs(v, self.escape, 0, &mut |name, r, nr, modifier| {
                ins.var_refs.push(VarRef {
                    name,
                    range: TextRange::new(vr.start + r.start, vr.start + r.end),
                    name_range: TextRange::new(vr.start + nr.start, vr.start + nr.end),
                    modifier,
                })
            });
        }
        ins.var_refs.sort_by_key(|v| v.range);
    }

    fn healthcheck(&mut self, ins: &mut Instruction) {
        let Some(first) = ins.args.first() else {
            self.error(
                SyntaxErrorKind::MissingArguments,
                ins.keyword_range,
                "HEALTHCHECK requires 'NONE' or 'CMD <command>'.".into(),
            );
            return;
        };
        if first.text.eq_ignore_ascii_case("none") {
            if ins.args.len() > 1 || !ins.flags.is_empty() {
                self.error(
                    SyntaxErrorKind::InvalidArguments,
                    ins.args_range,
                    "HEALTHCHECK NONE takes no other arguments or flags.".into(),
                );
            }
        } else if first.text.eq_ignore_ascii_case("cmd") {
            // The command after CMD may be in exec form.
            let t = ins.text.text.clone();
            let after = ins.args_start
                + t[ins.args_start..]
                    .find(|c: char| c.is_whitespace())
                    .unwrap_or(t.len() - ins.args_start);
            let rest = t[after.min(t.len())..].trim();
            if rest.is_empty() {
                self.error(
                    SyntaxErrorKind::MissingArguments,
                    first.range,
                    "HEALTHCHECK CMD requires a command.".into(),
                );
            } else if rest.starts_with('[') {
                let base = after + (t[after..].len() - trim_start_ws(&t[after..]).len());
                if let Some(items) = parse_json_array(rest) {
                    ins.exec = Some(
                        items
                            .into_iter()
                            .map(|w| Word {
                                range: ins.text.range_to_source(TextRange::new(
                                    base + w.range.start,
                                    base + w.range.end,
                                )),
                                ..w
                            })
                            .collect(),
                    );
                }
            }
        } else {
            let msg = format!(
                "HEALTHCHECK expects 'NONE' or 'CMD <command>', not '{}'.",
                first.text
            );
            self.error(SyntaxErrorKind::InvalidArguments, first.range, msg);
        }
    }

    fn pairs(&mut self, ins: &mut Instruction) {
        let kw = ins.keyword;
        let name = kw.as_str();
        if ins.args.is_empty() {
            self.error(
                SyntaxErrorKind::MissingArguments,
                ins.keyword_range,
                match kw {
                    Keyword::Arg => "ARG requires a name: 'ARG <name>[=<default>]'.".into(),
                    _ => format!("{name} requires at least one '<key>=<value>' pair."),
                },
            );
            return;
        }
        let first_has_eq = ins.args[0].raw.contains('=');
        if kw != Keyword::Arg && !first_has_eq {
            // Legacy `ENV key value` / `LABEL key value`.
            let key = ins.args[0].clone();
            if ins.args.len() < 2 {
                let msg = format!(
                    "{name} '{}' has no value: write '{name} {}=<value>'.",
                    key.text, key.text
                );
                self.error(SyntaxErrorKind::MissingArguments, key.range, msg);
                ins.pairs.push(KeyValue {
                    key: key.text.to_string(),
                    key_range: key.range,
                    value: None,
                    raw_value: None,
                    value_range: None,
                    range: key.range,
                    legacy: true,
                });
                return;
            }
            let value_range = TextRange::new(
                ins.args[1].range.start,
                ins.args
                    .last()
                    .map(|w| w.range.end)
                    .unwrap_or(key.range.end),
            );
            let raw = self
                .text
                .get(value_range.start..value_range.end)
                .unwrap_or("");
            let value = ins.args[1..]
                .iter()
                .map(|w| w.text.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            ins.pairs.push(KeyValue {
                key: key.text.to_string(),
                key_range: key.range,
                value: Some(value),
                raw_value: Some(raw.to_string()),
                value_range: Some(value_range),
                range: key.range.cover(value_range),
                legacy: true,
            });
            return;
        }
        for w in ins.args.clone() {
            match w.raw.find('=') {
                Some(eq) => {
                    let key_raw = &w.raw[..eq];
                    let key = split_words(key_raw, self.escape)
                        .into_iter()
                        .map(|k| k.text)
                        .collect::<String>();
                    let raw_value = w.raw[eq + 1..].to_string();
                    let value = split_words(&raw_value, self.escape)
                        .into_iter()
                        .map(|k| k.text)
                        .collect::<Vec<_>>()
                        .join(" ");
                    if key.is_empty() {
                        let msg = format!("{name} names can not be blank.");
                        self.error(SyntaxErrorKind::InvalidArguments, w.range, msg);
                    }
                    let key_range =
                        TextRange::new(w.range.start, (w.range.start + eq).min(w.range.end));
                    ins.pairs.push(KeyValue {
                        key,
                        key_range,
                        value: Some(value),
                        raw_value: Some(raw_value),
                        value_range: Some(TextRange::new(
                            (w.range.start + eq + 1).min(w.range.end),
                            w.range.end,
                        )),
                        range: w.range,
                        legacy: false,
                    });
                }
                None if kw == Keyword::Arg => ins.pairs.push(KeyValue {
                    key: w.text.to_string(),
                    key_range: w.range,
                    value: None,
                    raw_value: None,
                    value_range: None,
                    range: w.range,
                    legacy: false,
                }),
                None => {
                    let msg = format!(
                        "Syntax error: can't find '=' in '{}'. {name} arguments must be of the form <key>=<value>.",
                        w.text
                    );
                    self.error(SyntaxErrorKind::InvalidArguments, w.range, msg);
                }
            }
        }
    }

    fn push_instruction(&mut self, mut ins: Instruction) {
        ins.shrink_to_fit();
        ins.index = self.df.instructions.len();
        if let Some(err) = link(&mut self.df.stages, &mut ins) {
            self.df.errors.push(err);
        }
        self.df.instructions.push(ins);
    }

    fn finish(mut self) -> Dockerfile {
        if self.df.instructions.is_empty() {
            let range = TextRange::new(0, self.text.len().min(self.range(0).end));
            self.error(
                SyntaxErrorKind::NoInstructions,
                range,
                "The Dockerfile has no instructions: add at least a FROM.".into(),
            );
        } else if self.df.stages.is_empty()
            && self
                .df
                .instructions
                .iter()
                .all(|i| i.keyword == Keyword::Arg)
        {
            let r = self.df.instructions[0].keyword_range;
            self.error(
                SyntaxErrorKind::MissingArguments,
                r,
                "The Dockerfile has no FROM instruction: a build needs at least one stage.".into(),
            );
        }
        self.df.errors.sort_by_key(|e| e.range);
        // Pushed one by one: give back the spare capacity of the big vectors.
        self.df.instructions.shrink_to_fit();
        self.df.comments.shrink_to_fit();
        self.df.stages.shrink_to_fit();
        self.df
    }
}

/// Puts `ins` (whose `index` is set) into the stage structure: a FROM starts a stage, any
/// other instruction joins the last one. Returns the error for an instruction before the first
/// FROM.
fn link(stages: &mut Vec<Stage>, ins: &mut Instruction) -> Option<SyntaxError> {
    if ins.keyword == Keyword::From {
        let index = stages.len();
        if let Some(prev) = stages.last_mut() {
            prev.instructions.end = ins.index;
        }
        let image = match ins.args.first() {
            Some(w) => ImageRef::parse(&w.text, w.range.start),
            None => ImageRef::parse("", ins.keyword_range.end),
        };
        let alias = if ins.args.len() == 3 && ins.args[1].text.eq_ignore_ascii_case("as") {
            Some(ins.args[2].clone())
        } else {
            None
        };
        stages.push(Stage {
            index,
            from: ins.index,
            image,
            alias,
            platform: ins.flag("platform").cloned(),
            instructions: ins.index..ins.index + 1,
            range: ins.range,
        });
        ins.stage = Some(index);
    } else if let Some(stage) = stages.last_mut() {
        ins.stage = Some(stage.index);
        stage.instructions.end = ins.index + 1;
        stage.range.end = ins.range.end;
    } else if ins.keyword != Keyword::Arg && ins.keyword != Keyword::Unknown {
        let message = format!(
            "{} before the first FROM: only ARG may come before FROM (no build stage in current context).",
            ins.keyword.as_str()
        );
        return Some(SyntaxError {
            kind: SyntaxErrorKind::InstructionBeforeFrom,
            range: ins.keyword_range,
            message,
        });
    }
    None
}

/// Renumbers the instructions from `first` (a FROM) on and rebuilds the stages from there
/// (after a splice), calling `prepare` on each of those instructions first. The caller
/// guarantees that the instructions before `first` are unchanged and that a FROM comes first
/// among the non-ARG instructions, so no instruction-before-FROM error can arise.
pub(super) fn relink(
    df: &mut Dockerfile,
    first: usize,
    mut prepare: impl FnMut(usize, &mut Instruction),
) {
    let keep = df.stages.partition_point(|s| s.from < first);
    df.stages.truncate(keep);
    df.stage_names.reset();
    df.by_keyword.reset();
    for (index, ins) in df.instructions.iter_mut().enumerate().skip(first) {
        prepare(index, ins);
        ins.index = index;
        ins.stage = None;
        let _ = link(&mut df.stages, ins);
    }
}

/// What a partial parse produced: the items of the parsed lines, and the offset of the line
/// where it stopped (`None` at the end of the text).
pub(super) struct Window {
    pub instructions: Vec<Instruction>,
    pub comments: Vec<Comment>,
    pub errors: Vec<SyntaxError>,
    pub empty_continuation_lines: Vec<TextRange>,
    pub stopped_at: Option<usize>,
    /// The line index it was given back.
    pub lines: LineIndex,
}

/// Parses `text` from the line starting at byte `from` (a point where BuildKit's parser is
/// between instructions), with escape character `escape`, until the start of a line for
/// which `stop(offset)` holds (asked only between top-level items, never for the first).
/// Errors that depend on what precedes `from` (instruction before FROM) are left out: the
/// caller only starts windows after the first FROM.
pub(super) fn parse_window(
    text: &str,
    lines: LineIndex,
    escape: char,
    from: usize,
    mut stop: impl FnMut(usize) -> bool,
) -> Window {
    let mut p = Parser::with_index(text, lines);
    p.escape = escape;
    p.df.escape = escape;
    // The line holding `from` (an instruction starts after its line's indentation).
    let mut i = p.df.lines.line_col(from).0;
    let first = i;
    let mut stopped_at = None;
    while i < p.line_count {
        let at = p.range(i).start;
        if i > first && stop(at) {
            stopped_at = Some(at);
            break;
        }
        i = p.item(i);
    }
    let df = p.df;
    Window {
        instructions: df.instructions,
        comments: df.comments,
        errors: df
            .errors
            .into_iter()
            .filter(|e| e.kind != SyntaxErrorKind::InstructionBeforeFrom)
            .collect(),
        empty_continuation_lines: df.empty_continuation_lines,
        stopped_at,
        lines: df.lines,
    }
}

/// Whitespace-separated fields; each field's `text` has its quotes removed.
fn split_fields(text: &str, escape: char) -> Vec<Word> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                let raw = &text[s..i];
                out.push(Word {
                    text: split_words(raw, escape)
                        .into_iter()
                        .map(|w| w.text)
                        .collect::<Vec<_>>()
                        .join(" ")
                        .into(),
                    raw: raw.into(),
                    range: TextRange::new(s, i),
                });
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    out
}

fn unquote_delimiter(s: &str) -> (bool, &str) {
    for q in ['"', '\''] {
        if let Some(inner) = s.strip_prefix(q) {
            return (true, inner.strip_suffix(q).unwrap_or(inner));
        }
    }
    (false, s)
}

/// `# name=value` (BuildKit: `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`).
fn parse_directive(line: &str, offset: usize) -> Option<Directive> {
    let rest = line.strip_prefix('#')?;
    let after_hash = rest.trim_start();
    let name_off = 1 + (rest.len() - after_hash.len());
    let name_len = after_hash
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(after_hash.len());
    let name = &after_hash[..name_len];
    if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let after_name = after_hash[name_len..].trim_start();
    let after_eq = after_name.strip_prefix('=')?;
    let value = after_eq.trim();
    if value.is_empty() {
        return None;
    }
    let value_off = line.len() - after_eq.len() + (after_eq.len() - after_eq.trim_start().len());
    Some(Directive {
        name: name.to_ascii_lowercase(),
        value: value.to_string(),
        range: TextRange::new(offset, offset + line.len()),
        name_range: TextRange::new(offset + name_off, offset + name_off + name_len),
        value_range: TextRange::new(offset + value_off, offset + value_off + value.len()),
    })
}

/// Parses a JSON array of strings, returning each string with its range in `text`.
/// `None` when `text` is not exactly such an array (BuildKit then uses shell form).
pub(crate) fn parse_json_array(text: &str) -> Option<Vec<Word>> {
    let values: Vec<String> = serde_json::from_str(text).ok()?;
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(values.len());
    let mut i = 0;
    let mut values = values.into_iter();
    while i < bytes.len() {
        if bytes[i] == b'"' {
            let start = i;
            i += 1;
            while i < bytes.len() && bytes[i] != b'"' {
                if bytes[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            let end = (i + 1).min(bytes.len());
            out.push(Word {
                text: values.next()?.into(),
                raw: text.get(start..end)?.into(),
                range: TextRange::new(start, end),
            });
        }
        i += 1;
    }
    Some(out)
}

/// Calls `f(name, ref_range, name_range, modifier)` for each `$NAME` / `${NAME…}` outside
/// single quotes. Nested references in `${a:-$b}` are reported too.
pub(crate) fn scan_var_refs(
    text: &str,
    escape: char,
    base: usize,
    f: &mut dyn FnMut(String, TextRange, TextRange, Option<String>),
) {
    let bytes = text.as_bytes();
    let esc = escape as u32 as u8;
    let mut i = 0;
    let mut in_single = false;
    let mut in_double = false;
    while i < bytes.len() {
        let c = bytes[i];
        if c == esc && escape.is_ascii() && !in_single {
            i += 2;
            continue;
        }
        match c {
            b'\'' if !in_double => in_single = !in_single,
            b'"' if !in_single => in_double = !in_double,
            b'$' if !in_single => {
                if bytes.get(i + 1) == Some(&b'{') {
                    let name_start = i + 2;
                    let mut j = name_start;
                    while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_')
                    {
                        j += 1;
                    }
                    let close = super::expand::closing_brace(bytes, j);
                    if j > name_start {
                        let modifier_text = &text[j..close];
                        let modifier = if modifier_text.is_empty() {
                            None
                        } else {
                            let op_len = modifier_text
                                .find(|c: char| {
                                    !matches!(c, ':' | '-' | '+' | '?' | '#' | '%' | '/')
                                })
                                .unwrap_or(modifier_text.len());
                            // No operator: the first character (whole, never half of one).
                            let op_len = if op_len == 0 {
                                modifier_text.chars().next().map_or(0, char::len_utf8)
                            } else {
                                op_len
                            };
                            modifier_text.get(..op_len).map(str::to_string)
                        };
                        f(
                            text[name_start..j].to_string(),
                            TextRange::new(base + i, base + (close + 1).min(bytes.len())),
                            TextRange::new(base + name_start, base + j),
                            modifier,
                        );
                        if j < close {
                            scan_var_refs(&text[j..close], escape, base + j, f);
                        }
                    }
                    i = close + 1;
                    continue;
                }
                let name_start = i + 1;
                let mut j = name_start;
                while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_') {
                    j += 1;
                }
                if j > name_start && !bytes[name_start].is_ascii_digit() {
                    f(
                        text[name_start..j].to_string(),
                        TextRange::new(base + i, base + j),
                        TextRange::new(base + name_start, base + j),
                        None,
                    );
                }
                i = j.max(i + 1);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
}

/// The closest candidate to `word` by edit distance, if close enough to be a typo.
pub fn suggest<'s>(word: &str, candidates: impl Iterator<Item = &'s str>) -> Option<String> {
    let w = word.to_ascii_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(&w, &c.to_ascii_lowercase());
        if best.is_none_or(|(b, _)| score > b) {
            best = Some((score, c));
        }
    }
    let (score, c) = best?;
    let dist = strsim::damerau_levenshtein(&w, &c.to_ascii_lowercase());
    if (score >= 0.85 || dist <= 2) && dist <= (c.len() / 2).max(1) {
        Some(c.to_string())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by `cargo fuzz run analyze`: `${NAME` followed by a multi-byte character sliced
    /// a character in half.
    #[test]
    fn multibyte_after_a_braced_variable_name() {
        for src in [
            "FROM alpine\nENV A=${B€x}\n",
            "FROM alpine\nCOPY ${é} /x\n",
            "FROM a\nLABEL x=${A😀:-b}\n",
        ] {
            let df = parse(src);
            assert_eq!(df.instructions.len(), 2);
        }
    }

    #[test]
    fn variables_in_quoted_flag_values_point_at_the_source() {
        let text = "FROM a\nARG V=b\nCOPY --from=\"${V}\" --chown=$U /x /y\n";
        let df = parse(text);
        let spelled: Vec<&str> = df.instructions[2]
            .var_refs
            .iter()
            .map(|v| &text[v.range.start..v.range.end])
            .collect();
        assert_eq!(spelled, ["${V}", "$U"]);
    }

    #[test]
    fn escaped_escape_does_not_continue() {
        let df = parse("FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCOPY a.dll C:\\\\Windows\\\\System32\\\\\nENV X=1\n");
        assert_eq!(df.instructions.len(), 3, "{:?}", df.errors);
        let df = parse("FROM alpine\nRUN echo a \\\n  b\n");
        assert_eq!(df.instructions.len(), 2);
        assert_eq!(df.instructions[1].args_text(), "echo a   b");
    }
}
