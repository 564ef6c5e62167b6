//! Shell analysis of `RUN` bodies with tree-sitter-bash.
//!
//! A `RUN` body is parsed once into a flat, typed list of [`Command`]s (every simple command,
//! wherever it sits: `&&`/`||`/`;` lists, pipelines, subshells, `if`/`for`/`while`/`case`
//! bodies, functions, command substitutions) plus the [`Pipeline`]s and whether the script turns
//! `pipefail` on. Rules read this list; the node kinds of the bash grammar stay in this file.
//!
//! Three sources are handled:
//! * shell form: the logical text (continuations joined), with the instruction's heredocs
//!   appended as the shell sees them; ranges map back to the source through [`LogicalText`];
//! * heredoc scripts: `RUN <<EOF` (no command) or `RUN bash <<EOF` bodies are scripts and are
//!   parsed as such; `RUN python3 <<EOF` or `RUN cat <<EOF > f` bodies are data and skipped;
//! * exec form: `RUN ["apt-get", "install", "x"]` is one command with its argv;
//!   `RUN ["sh", "-c", "script"]` parses the script when the JSON string has no escapes.
//!
//! [`ShellIndex::build`] analyses every `RUN` of a file once; rules share it through
//! `rules::Context::shell`. Nothing here panics on any input, and the walk is iterative
//! (no recursion on the tree), linear in the size of the script.

use super::{Dockerfile, Instruction, Keyword, LogicalText, TextRange};
use compact_str::CompactString;
use tree_sitter::{Node, Parser};

/// One word of a command (its name or an argument).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShellWord {
    /// Quotes removed and backslash escapes applied for static parts; dynamic parts
    /// (`$VAR`, `$(…)`) are kept as written.
    pub text: CompactString,
    /// Exactly as written in the script.
    pub raw: CompactString,
    /// Source range in the Dockerfile.
    pub range: TextRange,
    /// False when the word contains an expansion or substitution.
    pub is_static: bool,
}

/// One simple command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    /// The command word as written (`sudo`, `/usr/bin/apt-get`).
    pub name: ShellWord,
    pub args: Vec<ShellWord>,
    /// `NAME=value` words before the command (`DEBIAN_FRONTEND=noninteractive apt-get …`).
    pub assignments: Vec<ShellWord>,
    /// The whole command (assignments, name, arguments, redirections).
    pub range: TextRange,
    /// For wrappers (`sudo`, `env`, `xargs`, `nice`, `timeout`, `gosu`…): index in `args` of the
    /// wrapped command's name.
    pub wrapped: Option<usize>,
    pub in_pipeline: bool,
    /// Position in the pipeline (0-based) and the pipeline's length.
    pub pipeline_position: Option<(usize, usize)>,
    /// Under `!`.
    pub negated: bool,
    /// Inside `( … )`.
    pub in_subshell: bool,
    /// Inside `$( … )`, backticks or `<( … )`.
    pub in_substitution: bool,
    /// In the condition of `if`/`while`/`until`.
    pub in_condition: bool,
    /// Inside a function body (only runs if called).
    pub in_function: bool,
    /// Inside a `for`/`while`/`until` body.
    pub in_loop: bool,
    /// The right-hand side of `||` (a fallback).
    pub after_or: bool,
}

impl Command {
    /// The base name of the command word (`/usr/bin/apt-get` → `apt-get`).
    pub fn base_name(&self) -> &str {
        base_name(&self.name.text)
    }

    /// The command that actually runs: through `sudo`, `env`, `xargs`… wrappers (repeatedly).
    /// Returns the program word and its arguments.
    pub fn program(&self) -> (&ShellWord, &[ShellWord]) {
        match self.wrapped {
            Some(i) => match (self.args.get(i), self.args.get(i + 1..)) {
                (Some(name), Some(rest)) => (name, rest),
                _ => (&self.name, &self.args),
            },
            None => (&self.name, &self.args),
        }
    }

    /// The base name of [`Command::program`].
    pub fn program_name(&self) -> &str {
        base_name(&self.program().0.text)
    }

    /// The arguments of [`Command::program`].
    pub fn program_args(&self) -> &[ShellWord] {
        self.program().1
    }

    /// True when the command runs `name` directly or through a wrapper.
    pub fn is(&self, name: &str) -> bool {
        self.program_name() == name
    }

    /// True when the command always runs as part of the build (not in a function, a
    /// condition or an `||` fallback).
    pub fn runs_unconditionally(&self) -> bool {
        !self.in_function && !self.in_condition && !self.after_or
    }
}

/// A pipeline `a | b`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pipeline {
    pub range: TextRange,
    /// Inside `$( … )`: its status only matters where the substitution's status does.
    pub in_substitution: bool,
    pub in_condition: bool,
    pub in_function: bool,
    /// On the left of `||` (directly or within a list): a failure is handled there.
    pub guarded: bool,
}

/// The analysis of one script (a `RUN` body, all its parts).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Script {
    /// Every simple command, in source order.
    pub commands: Vec<Command>,
    pub pipelines: Vec<Pipeline>,
    /// Source offset of the first top-level `set -o pipefail` (or `set -euo pipefail`…).
    pub pipefail_at: Option<usize>,
    /// The grammar found errors (the analysis is best effort there).
    pub has_errors: bool,
}

/// Where the script came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScriptForm {
    Shell,
    Exec,
}

/// The shell a stage's `RUN` uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunShell {
    /// A POSIX-like shell (`/bin/sh -c`, `bash -o pipefail -c`…).
    Posix {
        /// Base name of the program (`sh`, `bash`).
        name: String,
        /// The `SHELL` instruction turns `pipefail` on.
        pipefail: bool,
    },
    /// `pwsh`, `powershell`, `cmd` (or a Windows escape directive): not analysed.
    Other(String),
}

impl RunShell {
    pub fn is_posix(&self) -> bool {
        matches!(self, RunShell::Posix { .. })
    }
    pub fn pipefail(&self) -> bool {
        matches!(self, RunShell::Posix { pipefail: true, .. })
    }
    /// `sh` or `bash` (for ShellCheck's `--shell`).
    pub fn dialect(&self) -> &str {
        match self {
            RunShell::Posix { name, .. } => match name.as_str() {
                "bash" => "bash",
                "ksh" | "mksh" => "ksh",
                "dash" => "dash",
                _ => "sh",
            },
            RunShell::Other(n) => n,
        }
    }
}

/// One analysed `RUN`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunScript {
    /// Index of the instruction in [`Dockerfile::instructions`].
    pub instruction: usize,
    pub stage: Option<usize>,
    pub shell: RunShell,
    pub form: ScriptForm,
    pub script: Script,
    /// Shell scripts the `RUN` executes, for external checkers: (logical text, map to source).
    pub sources: Vec<LogicalText>,
}

/// Every `RUN` of a file, analysed once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShellIndex {
    pub runs: Vec<RunScript>,
    /// The runs this build analysed (found neither in the run cache nor earlier in the
    /// file): moved into the cache when the index is dropped, so the analyses exist once
    /// while the index is in use (a copy for the cache made at build time was ~1 MB of a
    /// 10,000-line file's lint peak).
    fresh: Fresh,
}

/// (cache key, index in `runs`, source start) of each run to cache on drop. A clone of an
/// index leaves them to the original; compares equal to anything (not part of the value).
#[derive(Debug, Default)]
struct Fresh(Vec<(u64, usize, isize)>);

impl Clone for Fresh {
    fn clone(&self) -> Self {
        Fresh::default()
    }
}

impl PartialEq for Fresh {
    fn eq(&self, _: &Fresh) -> bool {
        true
    }
}

impl Eq for Fresh {}

impl Drop for ShellIndex {
    fn drop(&mut self) {
        let fresh = std::mem::take(&mut self.fresh.0);
        if fresh.is_empty() {
            return;
        }
        let Ok(mut cache) = run_cache().lock() else {
            return;
        };
        for (key, i, start) in fresh {
            let Some(run) = self.runs.get_mut(i) else {
                continue;
            };
            let mut rel: Analysis = (
                run.form,
                std::mem::take(&mut run.script),
                std::mem::take(&mut run.sources),
            );
            shift_analysis(&mut rel, -start);
            if cache.len() >= RUN_CACHE_LIMIT {
                cache.clear();
            }
            cache.insert(key, std::sync::Arc::new(rel));
        }
    }
}

impl ShellIndex {
    pub fn build(file: &Dockerfile, text: &str) -> ShellIndex {
        ShellIndex::build_focused(file, text, None)
    }

    /// [`Self::build`] analysing only the RUNs of the stages `focus` marks (by stage index);
    /// the others are left out. SHELL inheritance still follows every stage.
    pub fn build_focused(file: &Dockerfile, text: &str, focus: Option<&[bool]>) -> ShellIndex {
        let mut parser = LazyParser::default();
        let mut runs: Vec<RunScript> = Vec::new();
        let mut fresh = Vec::new();
        // Runs analysed by this build, by cache key: (index in `runs`, source start).
        let mut made: std::collections::HashMap<u64, (usize, isize)> = Default::default();
        let default_shell = if file.escape == '`' {
            RunShell::Other("cmd".into())
        } else {
            RunShell::Posix {
                name: "sh".into(),
                pipefail: false,
            }
        };
        let shell_from = |ins: Option<&Instruction>| match ins.and_then(|i| i.exec.as_ref()) {
            Some(argv) => {
                let words: Vec<&str> = argv.iter().map(|w| w.text.as_str()).collect();
                shell_of(&words)
            }
            None => default_shell.clone(),
        };
        // The SHELL in effect where each stage starts: a stage built FROM an earlier stage
        // (the last one of that name above it) inherits the SHELL that stage ends with.
        let n = file.stages.len();
        let mut last_shell: Vec<Option<&Instruction>> = vec![None; n];
        for ins in file.instructions_of(&[Keyword::Shell]) {
            if let (Some(st), Some(_)) = (ins.stage, &ins.exec) {
                if let Some(slot) = last_shell.get_mut(st) {
                    *slot = Some(ins);
                }
            }
        }
        let mut starts: Vec<Option<&Instruction>> = Vec::with_capacity(n);
        let mut ends: Vec<Option<&Instruction>> = Vec::with_capacity(n);
        let mut by_name: std::collections::HashMap<String, usize> = Default::default();
        for stage in &file.stages {
            let start = by_name
                .get(&stage.image.text.to_ascii_lowercase())
                .and_then(|p| ends.get(*p).copied())
                .flatten();
            starts.push(start);
            ends.push(last_shell.get(stage.index).copied().flatten().or(start));
            if let Some(name) = stage.name() {
                by_name.insert(name.to_ascii_lowercase(), stage.index);
            }
        }
        for stage in &file.stages {
            if focus.is_some_and(|f| !f.get(stage.index).copied().unwrap_or(false)) {
                continue;
            }
            let mut shell = shell_from(starts.get(stage.index).copied().flatten());
            for ins in file.stage_instructions(stage) {
                match ins.keyword {
                    Keyword::Shell if ins.exec.is_some() => shell = shell_from(Some(ins)),
                    Keyword::Run => {
                        let unanalysed = || (ScriptForm::Shell, Script::default(), Vec::new());
                        let (form, script, sources) = if !shell.is_posix() || !parser.available() {
                            unanalysed()
                        } else {
                            match run_key(ins, text) {
                                None => match parser.get() {
                                    Some(parser) => analyse_run(parser, ins, text),
                                    None => unanalysed(),
                                },
                                Some(key) => {
                                    let start = ins.range.start as isize;
                                    let earlier = made.get(&key).and_then(|&(i, s)| {
                                        let r: &RunScript = runs.get(i)?;
                                        Some(((r.form, r.script.clone(), r.sources.clone()), s))
                                    });
                                    let cached = || {
                                        let hit = run_cache().lock().ok()?.get(&key).cloned()?;
                                        Some(((*hit).clone(), 0))
                                    };
                                    match earlier.or_else(cached) {
                                        Some((mut a, from)) => {
                                            shift_analysis(&mut a, start - from);
                                            a
                                        }
                                        None => match parser.get() {
                                            Some(parser) => {
                                                made.insert(key, (runs.len(), start));
                                                fresh.push((key, runs.len(), start));
                                                analyse_run(parser, ins, text)
                                            }
                                            None => unanalysed(),
                                        },
                                    }
                                }
                            }
                        };
                        runs.push(RunScript {
                            instruction: ins.index,
                            stage: ins.stage,
                            shell: shell.clone(),
                            form,
                            script,
                            sources,
                        });
                    }
                    _ => {}
                }
            }
        }
        ShellIndex {
            runs,
            fresh: Fresh(fresh),
        }
    }

    /// The analysis of the `RUN` at instruction index `index`.
    pub fn run(&self, index: usize) -> Option<&RunScript> {
        self.runs
            .binary_search_by_key(&index, |r| r.instruction)
            .ok()
            .and_then(|i| self.runs.get(i))
    }
}

/// The base name of a path (`/usr/bin/apt-get` → `apt-get`).
pub fn base_name(s: &str) -> &str {
    s.rsplit('/').next().unwrap_or(s)
}

/// The shell described by a `SHELL` argv.
pub fn shell_of(argv: &[&str]) -> RunShell {
    let Some(first) = argv.first() else {
        return RunShell::Posix {
            name: "sh".into(),
            pipefail: false,
        };
    };
    let name = base_name(&first.replace('\\', "/"))
        .trim_end_matches(".exe")
        .to_ascii_lowercase();
    match name.as_str() {
        "sh" | "bash" | "dash" | "ash" | "zsh" | "ksh" | "mksh" | "busybox" => RunShell::Posix {
            pipefail: enables_pipefail(argv.get(1..).unwrap_or(&[])),
            name,
        },
        _ => RunShell::Other(name),
    }
}

/// True when `set`-style options turn pipefail on: `-o pipefail`, `-euo pipefail`,
/// `-o errexit -o pipefail`, `-opipefail`.
pub fn enables_pipefail<S: AsRef<str>>(args: &[S]) -> bool {
    let mut on = false;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        let a = a.as_ref();
        let (sign, cluster) = match (a.strip_prefix('-'), a.strip_prefix('+')) {
            (Some(c), _) => (true, c),
            (_, Some(c)) => (false, c),
            _ => {
                i += 1;
                continue;
            }
        };
        if cluster == "-" || cluster.starts_with('-') {
            i += 1;
            continue;
        }
        if let Some(pos) = cluster.find('o') {
            let attached = &cluster[pos + 1..];
            let name = if attached.is_empty() {
                i += 1;
                args.get(i).map(|s| s.as_ref()).unwrap_or("")
            } else {
                attached
            };
            if name == "pipefail" {
                on = sign;
            }
        }
        i += 1;
    }
    on
}

const SHELLS: &[&str] = &["sh", "bash", "dash", "ash", "zsh", "ksh", "mksh"];

/// True unless the script starts with a `#!` line naming something other than a shell
/// (`#!/usr/bin/env python3`).
fn shebang_is_shell(body: &str) -> bool {
    let Some(line) = body.lines().next().and_then(|l| l.strip_prefix("#!")) else {
        return true;
    };
    let mut words = line.split_whitespace();
    let mut prog = words.next().map(base_name).unwrap_or("");
    if prog == "env" {
        prog = words
            .find(|w| !w.starts_with('-'))
            .map(base_name)
            .unwrap_or("");
    }
    SHELLS.contains(&prog)
}

/// Analyses of RUN instructions, keyed by a hash of the instruction's source text (heredoc
/// bodies included) with ranges relative to its start. An edit re-parses only the RUNs it
/// touched: the others are found here and shifted to their new position. Filled when a
/// [`ShellIndex`] is dropped (its fresh analyses move here). Process-wide and bounded
/// (emptied when it grows past [`RUN_CACHE_LIMIT`] entries).
type Analysis = (ScriptForm, Script, Vec<LogicalText>);

const RUN_CACHE_LIMIT: usize = 8_192;

fn run_cache() -> &'static std::sync::Mutex<std::collections::HashMap<u64, std::sync::Arc<Analysis>>>
{
    static CACHE: std::sync::OnceLock<
        std::sync::Mutex<std::collections::HashMap<u64, std::sync::Arc<Analysis>>>,
    > = std::sync::OnceLock::new();
    CACHE.get_or_init(Default::default)
}

fn shift_range(r: &mut TextRange, delta: isize) {
    r.start = r.start.saturating_add_signed(delta);
    r.end = r.end.saturating_add_signed(delta);
}

fn shift_analysis(a: &mut Analysis, delta: isize) {
    let (_, script, sources) = a;
    for c in &mut script.commands {
        shift_range(&mut c.range, delta);
        shift_range(&mut c.name.range, delta);
        for w in c.args.iter_mut().chain(c.assignments.iter_mut()) {
            shift_range(&mut w.range, delta);
        }
    }
    for p in &mut script.pipelines {
        shift_range(&mut p.range, delta);
    }
    if let Some(at) = script.pipefail_at.as_mut() {
        *at = at.saturating_add_signed(delta);
    }
    for s in sources.iter_mut() {
        s.shift(delta);
    }
}

/// The run cache's key of a RUN: a hash of its source text (heredoc bodies included).
fn run_key(ins: &Instruction, text: &str) -> Option<u64> {
    use std::hash::{Hash, Hasher};
    let src = text.get(ins.range.start..ins.range.end)?;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    src.hash(&mut h);
    Some(h.finish())
}

/// The bash parser of one [`ShellIndex::build_focused`], made on first use: after an edit
/// most RUNs come from the cache, and making (and dropping) a parser was a good part of a
/// rebuild that analyses nothing.
#[derive(Default)]
struct LazyParser(Option<Option<Parser>>);

impl LazyParser {
    /// The parser; `None` when the grammar cannot be loaded (a tree-sitter ABI mismatch).
    fn get(&mut self) -> Option<&mut Parser> {
        self.0
            .get_or_insert_with(|| {
                let mut parser = Parser::new();
                let lang: tree_sitter::Language = tree_sitter_bash::LANGUAGE.into();
                parser.set_language(&lang).is_ok().then_some(parser)
            })
            .as_mut()
    }

    /// False only once making the parser has failed; nothing is made to find out.
    fn available(&self) -> bool {
        !matches!(self.0, Some(None))
    }
}

fn analyse_run(
    parser: &mut Parser,
    ins: &Instruction,
    text: &str,
) -> (ScriptForm, Script, Vec<LogicalText>) {
    if let Some(argv) = &ins.exec {
        return analyse_exec(parser, argv);
    }
    let mut script = Script::default();
    let mut sources = Vec::new();
    // The instruction line with its heredocs appended, as the shell sees it.
    let mut line = ins.text.slice(ins.args_start);
    if let (Some(first), Some(last)) = (ins.heredocs.first(), ins.heredocs.last()) {
        let end = last.end_range.map(|r| r.end).unwrap_or(last.body_range.end);
        line.push("\n", ins.args_range.end);
        if let Some(rest) = text.get(first.body_range.start..end) {
            line.push(rest, first.body_range.start);
        }
    }
    // `RUN <<EOF` (markers only): the bodies are the script, the line runs nothing itself.
    let markers_only = !ins.heredocs.is_empty()
        && ins
            .args
            .iter()
            .all(|w| w.raw.starts_with("<<") || w.raw.starts_with("0<<"));
    if !markers_only {
        parse_into(parser, &line, &mut script);
    }
    let line_commands = script.commands.len();
    // Heredocs that are shell scripts: no command before the marker, or a shell.
    for h in &ins.heredocs {
        let owner = script.commands[..line_commands]
            .iter()
            .rfind(|c| c.range.start <= h.marker_range.start && !c.in_substitution);
        let is_shell = match owner {
            Some(c) => SHELLS.contains(&c.program_name()),
            // BuildKit runs a `RUN <<EOF` body that starts with `#!` with that interpreter.
            None => shebang_is_shell(&h.body),
        };
        if !is_shell {
            continue;
        }
        let Some(body) = text.get(h.body_range.start..h.body_range.end) else {
            continue;
        };
        let mut lt = LogicalText::default();
        lt.push(body, h.body_range.start);
        parse_into(parser, &lt, &mut script);
        sources.push(lt);
    }
    if line_commands > 0 {
        sources.insert(0, line);
    }
    script.commands.sort_by_key(|c| c.range.start);
    (ScriptForm::Shell, script, sources)
}

/// `RUN ["prog", "arg"…]`.
fn analyse_exec(
    parser: &mut Parser,
    argv: &[super::Word],
) -> (ScriptForm, Script, Vec<LogicalText>) {
    let mut script = Script::default();
    let mut sources = Vec::new();
    let name = argv.first().map(|w| base_name(&w.text)).unwrap_or("");
    if SHELLS.contains(&name) {
        // ["sh", "-c", "script"]: parse the script when it maps 1:1 onto the source.
        let c_pos = argv.iter().position(|w| w.text == "-c" || w.text == "-ec");
        if let Some(script_word) = c_pos.and_then(|p| argv.get(p + 1)) {
            let raw = &script_word.raw;
            if raw.len() == script_word.text.len() + 2 && !raw.contains('\\') {
                let mut lt = LogicalText::default();
                lt.push(&script_word.text, script_word.range.start + 1);
                parse_into(parser, &lt, &mut script);
                sources.push(lt);
            }
        }
    }
    let words: Vec<ShellWord> = argv
        .iter()
        .map(|w| ShellWord {
            text: w.text.clone(),
            raw: w.raw.clone(),
            range: w.range,
            is_static: true,
        })
        .collect();
    if let Some((first, rest)) = words.split_first() {
        let range = first
            .range
            .cover(rest.last().map(|w| w.range).unwrap_or(first.range));
        let mut cmd = Command {
            name: first.clone(),
            args: rest.to_vec(),
            assignments: Vec::new(),
            range,
            wrapped: None,
            in_pipeline: false,
            pipeline_position: None,
            negated: false,
            in_subshell: false,
            in_substitution: false,
            in_condition: false,
            in_function: false,
            in_loop: false,
            after_or: false,
        };
        cmd.wrapped = find_wrapped(&cmd.name.text, &cmd.args);
        script.commands.insert(0, cmd);
    }
    script.commands.sort_by_key(|c| c.range.start);
    (ScriptForm::Exec, script, sources)
}

#[derive(Clone, Copy, Default)]
struct Flags {
    pipeline: Option<(usize, usize)>,
    negated: bool,
    subshell: bool,
    substitution: bool,
    condition: bool,
    function: bool,
    in_loop: bool,
    after_or: bool,
    guarded: bool,
}

/// Parses `lt.text` and appends its commands to `script`.
fn parse_into(parser: &mut Parser, lt: &LogicalText, script: &mut Script) {
    if lt.text.trim().is_empty() {
        return;
    }
    // What the parser (and the word texts) see, byte for byte as long as the source, so every
    // offset stays valid:
    // * tree-sitter-bash 0.25's lexer crashes (SIGSEGV) on some code points above U+41E20
    //   (found by the proptest below; `{` followed by U+E0001 is enough). Those planes hold no
    //   assigned characters but tags and private use: they become `xxxx`.
    // * `\r` (CRLF heredoc bodies) becomes a space, so `curl\r` reads `curl`.
    let needs_cleaning = lt
        .text
        .chars()
        .any(|c| c == '\r' || u32::from(c) >= 0x40000);
    let cleaned;
    let src = if needs_cleaning {
        cleaned = lt
            .text
            .chars()
            .map(|c| match c {
                '\r' => " ".to_string(),
                c if u32::from(c) >= 0x40000 => "xxxx".to_string(),
                c => c.to_string(),
            })
            .collect::<String>();
        cleaned.as_str()
    } else {
        lt.text.as_str()
    };
    let Some(tree) = parser.parse(src, None) else {
        script.has_errors = true;
        return;
    };
    let root = tree.root_node();
    if root.has_error() {
        script.has_errors = true;
    }
    let map = |n: Node| lt.range_to_source(TextRange::new(n.start_byte(), n.end_byte()));
    let mut stack: Vec<(Node, Flags)> = vec![(root, Flags::default())];
    while let Some((node, flags)) = stack.pop() {
        let kind = node.kind();
        match kind {
            "heredoc_body" | "comment" => continue,
            "command" => {
                if let Some(cmd) = make_command(node, src, flags, &map) {
                    if cmd.base_name() == "set"
                        && script.pipefail_at.is_none()
                        && !flags.subshell
                        && !flags.substitution
                        && !flags.function
                        && enables_pipefail(
                            &cmd.args.iter().map(|a| a.text.as_str()).collect::<Vec<_>>(),
                        )
                    {
                        script.pipefail_at = Some(cmd.range.start);
                    }
                    script.commands.push(cmd);
                }
            }
            "pipeline" => {
                script.pipelines.push(Pipeline {
                    range: map(node),
                    in_substitution: flags.substitution,
                    in_condition: flags.condition,
                    in_function: flags.function,
                    guarded: flags.guarded,
                });
            }
            _ => {}
        }
        // Children, pushed in reverse so they pop in source order.
        let mut children: Vec<(Node, Flags)> = Vec::new();
        let mut cursor = node.walk();
        let mut after_or = flags.after_or;
        // `left || right`: the left side's failure is handled.
        let or_list = kind == "list" && {
            let mut c = node.walk();
            let has_or = node.children(&mut c).any(|ch| ch.kind() == "||");
            has_or
        };
        if cursor.goto_first_child() {
            let named_count = node.named_child_count();
            let mut named_index = 0usize;
            loop {
                let child = cursor.node();
                let field = cursor.field_name();
                if !child.is_named() {
                    if kind == "list" && child.kind() == "||" {
                        after_or = true;
                    }
                } else {
                    let mut f = flags;
                    match kind {
                        "pipeline" => f.pipeline = Some((named_index, named_count)),
                        "subshell" => f.subshell = true,
                        "command_substitution" | "process_substitution" => {
                            f.substitution = true;
                            f.pipeline = None;
                            f.condition = false;
                            f.after_or = false;
                            f.negated = false;
                            f.guarded = false;
                        }
                        "negated_command" => f.negated = true,
                        "function_definition" => f.function = true,
                        "if_statement" | "while_statement" | "elif_clause"
                            if field == Some("condition") =>
                        {
                            f.condition = true
                        }
                        "list" => {
                            f.after_or = after_or;
                            if or_list && !after_or {
                                f.guarded = true;
                            }
                        }
                        _ => {}
                    }
                    if matches!(
                        kind,
                        "for_statement" | "c_style_for_statement" | "while_statement"
                    ) && field == Some("body")
                    {
                        f.in_loop = true;
                    }
                    children.push((child, f));
                    named_index += 1;
                }
                if !cursor.goto_next_sibling() {
                    break;
                }
            }
        }
        // Commands: their own words are consumed by make_command; still descend to find
        // substitutions inside them.
        stack.extend(children.into_iter().rev());
    }
}

fn make_command<'t>(
    node: Node<'t>,
    src: &str,
    flags: Flags,
    map: &dyn Fn(Node<'t>) -> TextRange,
) -> Option<Command> {
    let mut name = None;
    let mut args = Vec::new();
    let mut assignments = Vec::new();
    let mut cursor = node.walk();
    if cursor.goto_first_child() {
        loop {
            let child = cursor.node();
            match cursor.field_name() {
                Some("name") => name = Some(word(child, src, map)),
                Some("argument") => args.push(word(child, src, map)),
                Some("redirect") => {}
                _ => {
                    if child.kind() == "variable_assignment" && name.is_none() {
                        assignments.push(word(child, src, map));
                    }
                }
            }
            if !cursor.goto_next_sibling() {
                break;
            }
        }
    }
    let name = name?;
    let wrapped = find_wrapped(&name.text, &args);
    Some(Command {
        name,
        args,
        assignments,
        range: map(node),
        wrapped,
        in_pipeline: flags.pipeline.is_some(),
        pipeline_position: flags.pipeline,
        negated: flags.negated,
        in_subshell: flags.subshell,
        in_substitution: flags.substitution,
        in_condition: flags.condition,
        in_function: flags.function,
        in_loop: flags.in_loop,
        after_or: flags.after_or,
    })
}

/// A word node: its static value when it has no expansion.
fn word<'t>(node: Node<'t>, src: &str, map: &dyn Fn(Node<'t>) -> TextRange) -> ShellWord {
    let raw = src.get(node.start_byte()..node.end_byte()).unwrap_or("");
    let mut text = String::new();
    let is_static = word_text(node, src, &mut text);
    ShellWord {
        text: text.into(),
        raw: raw.into(),
        range: map(node),
        is_static,
    }
}

/// Appends the value of `node` to `out`; returns false when it is not static. Iterative.
fn word_text(node: Node, src: &str, out: &mut String) -> bool {
    let mut is_static = true;
    let mut stack = vec![(node, false)];
    while let Some((n, in_dq)) = stack.pop() {
        let raw = src.get(n.start_byte()..n.end_byte()).unwrap_or("");
        match n.kind() {
            "word" | "number" | "command_name" if n.named_child_count() == 0 => {
                unescape(raw, in_dq, out)
            }
            "string_content" => unescape(raw, true, out),
            "raw_string" => out.push_str(
                raw.strip_prefix('\'')
                    .and_then(|r| r.strip_suffix('\''))
                    .unwrap_or(raw),
            ),
            "ansi_c_string" => out.push_str(
                raw.strip_prefix("$'")
                    .and_then(|r| r.strip_suffix('\''))
                    .unwrap_or(raw),
            ),
            "string" | "concatenation" | "command_name" | "variable_assignment" => {
                let dq = n.kind() == "string" || in_dq;
                let mut cursor = n.walk();
                let mut kids = Vec::new();
                let mut last_end = n.start_byte();
                if cursor.goto_first_child() {
                    loop {
                        let c = cursor.node();
                        if c.is_named() {
                            kids.push((c, dq));
                        } else if n.kind() != "string" {
                            // `=` of an assignment and other literal tokens.
                            let t = src.get(c.start_byte()..c.end_byte()).unwrap_or("");
                            if t != "\"" {
                                kids.push((c, dq));
                            }
                        }
                        last_end = c.end_byte();
                        if !cursor.goto_next_sibling() {
                            break;
                        }
                    }
                }
                let _ = last_end;
                if kids.is_empty() && n.kind() != "string" {
                    unescape(raw, in_dq, out);
                }
                stack.extend(kids.into_iter().rev());
            }
            _ if !n.is_named() => out.push_str(raw),
            "variable_name" => out.push_str(raw),
            _ => {
                is_static = false;
                out.push_str(raw);
            }
        }
    }
    is_static
}

/// Removes backslash escapes (inside double quotes only before `$`, `` ` ``, `"`, `\`).
fn unescape(raw: &str, in_dq: bool, out: &mut String) {
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.peek() {
                Some(&n) if !in_dq || matches!(n, '$' | '`' | '"' | '\\') => {
                    out.push(n);
                    chars.next();
                }
                _ => out.push(c),
            }
        } else {
            out.push(c);
        }
    }
}

/// Wrapper commands and their options that take a value.
fn wrapper_value_options(name: &str) -> Option<&'static [&'static str]> {
    Some(match name {
        "sudo" => &["-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "-T"],
        "env" => &["-u", "-C", "-S", "--unset", "--chdir", "--split-string"],
        "xargs" => &["-I", "-n", "-P", "-L", "-d", "-E", "-s", "-a"],
        "nice" => &["-n", "--adjustment"],
        "timeout" => &["-s", "-k", "--signal", "--kill-after"],
        "exec" => &["-a"],
        "doas" => &["-u", "-C"],
        "nohup" | "time" | "command" => &[],
        "gosu" | "su-exec" | "chronic" | "stdbuf" => &[],
        _ => return None,
    })
}

/// Index in `args` of the command a wrapper runs.
fn find_wrapped(name: &str, args: &[ShellWord]) -> Option<usize> {
    let mut current = base_name(name).to_string();
    let mut start = 0usize;
    let mut found = None;
    // Wrappers can nest (`sudo env X=1 apt-get`); bounded by the number of args.
    for _ in 0..8 {
        let Some(value_opts) = wrapper_value_options(&current) else {
            break;
        };
        let mut i = start;
        // gosu/su-exec take a user first; timeout takes a duration.
        let mut positional_to_skip = match current.as_str() {
            "gosu" | "su-exec" | "timeout" => 1,
            _ => 0,
        };
        let mut next = None;
        while let Some(a) = args.get(i) {
            let t = a.text.as_str();
            if t == "--" {
                i += 1;
                continue;
            }
            if t.starts_with('-') && t.len() > 1 {
                // `command -v x` looks x up, it does not run it.
                if current == "command" && (t.contains('v') || t.contains('V')) {
                    break;
                }
                if value_opts.contains(&t) {
                    i += 1;
                }
                i += 1;
                continue;
            }
            if current == "env" && t.contains('=') {
                i += 1;
                continue;
            }
            if positional_to_skip > 0 {
                positional_to_skip -= 1;
                i += 1;
                continue;
            }
            next = Some(i);
            break;
        }
        let Some(n) = next else { break };
        found = Some(n);
        current = args
            .get(n)
            .map(|a| base_name(&a.text).to_string())
            .unwrap_or_default();
        start = n + 1;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> RunScript {
        let df = crate::syntax::parse(text);
        let idx = ShellIndex::build(&df, text);
        idx.runs.last().cloned().expect("a RUN")
    }

    fn names(r: &RunScript) -> Vec<String> {
        r.script
            .commands
            .iter()
            .map(|c| c.program_name().to_string())
            .collect()
    }

    #[test]
    fn lists_pipes_subshells_and_substitutions() {
        let t = "FROM a\nRUN apt-get update && (cd /x; make) | tee log || echo $(uname -a) >/dev/null\n";
        let r = run(t);
        assert_eq!(names(&r), ["apt-get", "cd", "make", "tee", "echo", "uname"]);
        let c = &r.script.commands;
        assert!(!c[0].in_pipeline);
        assert!(c[1].in_subshell && c[1].in_pipeline);
        assert_eq!(c[3].pipeline_position, Some((1, 2)));
        assert!(c[4].after_or);
        assert!(c[5].in_substitution && !c[5].in_pipeline);
        assert_eq!(&t[c[5].range.start..c[5].range.end], "uname -a");
        assert_eq!(r.script.pipelines.len(), 1);
        assert_eq!(r.script.pipefail_at, None);
    }

    #[test]
    fn continuation_ranges_map_to_source() {
        let t = "FROM a\nRUN apt-get update \\\n    && apt-get install -y \\\n       curl\n";
        let r = run(t);
        let c = &r.script.commands[1];
        assert_eq!(c.args[2].text, "curl");
        assert_eq!(&t[c.args[2].range.start..c.args[2].range.end], "curl");
        assert_eq!(&t[c.args[1].range.start..c.args[1].range.end], "-y");
    }

    #[test]
    fn words_quotes_and_static() {
        let t = "FROM a\nRUN pip install \"flask==2.0\" 'a b' x\\ y $PKG \"${V}x\" --a=b\n";
        let r = run(t);
        let a = &r.script.commands[0].args;
        assert_eq!(a[1].text, "flask==2.0");
        assert!(a[1].is_static);
        assert_eq!(a[2].text, "a b");
        assert_eq!(a[3].text, "x y");
        assert!(!a[4].is_static);
        assert!(!a[5].is_static);
        assert_eq!(a[5].text, "${V}x");
        assert_eq!(a[6].text, "--a=b");
    }

    #[test]
    fn assignments_and_wrappers() {
        let t = "FROM a\nRUN DEBIAN_FRONTEND=noninteractive sudo -u root env A=1 apt-get install -y x\n";
        let r = run(t);
        let c = &r.script.commands[0];
        assert_eq!(c.assignments.len(), 1);
        assert_eq!(c.assignments[0].text, "DEBIAN_FRONTEND=noninteractive");
        assert_eq!(c.base_name(), "sudo");
        assert_eq!(c.program_name(), "apt-get");
        assert_eq!(c.program_args()[0].text, "install");
        let r = run("FROM a\nRUN find . | xargs -n1 rm -f\n");
        assert_eq!(r.script.commands[1].program_name(), "rm");
        let r = run("FROM a\nRUN command -v ps && command ps aux && exec -a x nginx\n");
        let names: Vec<_> = r.script.commands.iter().map(|c| c.program_name()).collect();
        assert_eq!(names, ["command", "ps", "nginx"]);
    }

    #[test]
    fn control_flow() {
        let r = run("FROM a\nRUN if [ -f x ]; then apt-get install y; fi; for i in 1 2; do echo $i; done; while false; do :; done\n");
        let c = &r.script.commands;
        let apt = c.iter().find(|c| c.is("apt-get")).unwrap();
        assert!(!apt.in_condition);
        let echo = c.iter().find(|c| c.is("echo")).unwrap();
        assert!(echo.in_loop);
        let f = c.iter().find(|c| c.is("false")).unwrap();
        assert!(f.in_condition);
    }

    #[test]
    fn pipefail_detection() {
        assert!(run("FROM a\nRUN set -euo pipefail; curl x | sh\n")
            .script
            .pipefail_at
            .is_some());
        assert!(run("FROM a\nRUN set -o errexit -o pipefail && a | b\n")
            .script
            .pipefail_at
            .is_some());
        assert!(run("FROM a\nRUN (set -o pipefail); a | b\n")
            .script
            .pipefail_at
            .is_none());
        let r = run("FROM a\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN a | b\n");
        assert!(r.shell.pipefail());
        let r = run("FROM a\nSHELL [\"pwsh\", \"-c\"]\nRUN a | b\n");
        assert!(!r.shell.is_posix());
        assert!(r.script.commands.is_empty());
        // Inherited through FROM <stage>.
        let r = run(
            "FROM a AS b\nSHELL [\"bash\", \"-eo\", \"pipefail\", \"-c\"]\nFROM b\nRUN a | b\n",
        );
        assert!(r.shell.pipefail());
    }

    #[test]
    fn heredoc_scripts() {
        let t = "FROM a\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n";
        let r = run(t);
        assert_eq!(names(&r), ["apt-get", "apt-get"]);
        let c = &r.script.commands[1];
        assert_eq!(&t[c.args[2].range.start..c.args[2].range.end], "curl");
        let r = run("FROM a\nRUN python3 <<EOF\nimport os\nos.system('apt-get install x')\nEOF\n");
        assert_eq!(names(&r), ["python3"]);
        let r = run("FROM a\nRUN <<EOF\n#!/usr/bin/env python3\nprint('apk add x')\nEOF\n");
        assert!(names(&r).is_empty());
        let r = run("FROM a\nRUN <<EOF\n#!/bin/bash\napk add x\nEOF\n");
        assert_eq!(names(&r), ["apk"]);
        let r = run("FROM a\nRUN bash -e <<EOF\napk add x\nEOF\n");
        assert_eq!(names(&r), ["bash", "apk"]);
        let r = run("FROM a\nRUN cat <<EOF > /etc/x && apk add y\nrm -rf /\nEOF\n");
        assert_eq!(names(&r), ["cat", "apk"]);
    }

    #[test]
    fn crlf_heredoc_words() {
        let t = "FROM a\r\nRUN <<EOF\r\napt-get install -y curl\r\nEOF\r\n";
        let r = run(t);
        let c = &r.script.commands[0];
        assert_eq!(c.args[2].text, "curl");
        assert_eq!(&t[c.args[2].range.start..c.args[2].range.end], "curl");
    }

    #[test]
    fn exec_form() {
        let t = "FROM a\nRUN [\"apt-get\", \"install\", \"-y\", \"curl\"]\n";
        let r = run(t);
        assert_eq!(r.form, ScriptForm::Exec);
        assert_eq!(names(&r), ["apt-get"]);
        let c = &r.script.commands[0];
        assert_eq!(&t[c.args[2].range.start..c.args[2].range.end], "\"curl\"");
        let t = "FROM a\nRUN [\"sh\", \"-c\", \"apk add x | tee y\"]\n";
        let r = run(t);
        assert_eq!(names(&r), ["sh", "apk", "tee"]);
        let c = &r.script.commands[1];
        assert_eq!(&t[c.args[0].range.start..c.args[0].range.end], "add");
    }

    #[test]
    fn broken_scripts_do_not_panic() {
        for s in [
            "FROM a\nRUN {\u{e0001}\n",
            "FROM a\nRUN ([\u{f0000} {\u{10fffd}} echo \"{\u{e2e22}\"\n",
            "FROM a\nRUN (((\n",
            "FROM a\nRUN echo \"unterminated\n",
            "FROM a\nRUN if then fi done esac\n",
            "FROM a\nRUN $(\n",
            "FROM a\nRUN <<EOF\n",
            "FROM a\nRUN [\"sh\", \"-c\"\n",
            "FROM a\nRUN a && \\\n",
        ] {
            let _ = run(s);
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,200}") {
            let t = format!("FROM a\nRUN {s}\n");
            let df = crate::syntax::parse(&t);
            let idx = ShellIndex::build(&df, &t);
            for r in &idx.runs {
                for c in &r.script.commands {
                    proptest::prop_assert!(c.range.end <= t.len());
                    for a in &c.args {
                        proptest::prop_assert!(a.range.end <= t.len());
                    }
                }
            }
        }

        #[test]
        fn never_panics_shellish(s in "[a-z |&;()$`'\"\\\\<>{}\n=-]{0,120}") {
            let t = format!("FROM a\nRUN {s}\n");
            let df = crate::syntax::parse(&t);
            let _ = ShellIndex::build(&df, &t);
        }
    }
}

#[cfg(test)]
mod cache_tests {
    use super::*;

    /// A RUN repeated in one file is analysed once and shifted for the others; every copy
    /// equals its own analysis from scratch.
    #[test]
    fn repeated_runs_in_one_file_are_shared_and_shifted() {
        let run = "RUN apt-get install -y curl-unique-7f3a | tee /x && echo \"$(id -u)\"\n";
        let text = format!("FROM alpine\n{run}ENV A=1\n{run}# c\n{run}");
        let file = crate::syntax::parse(&text);
        let index = ShellIndex::build(&file, &text);
        assert_eq!(index.runs.len(), 3);
        assert_eq!(
            index.fresh.0.len(),
            1,
            "one fresh analysis for three copies"
        );
        let mut parser = Parser::new();
        let lang: tree_sitter::Language = tree_sitter_bash::LANGUAGE.into();
        parser.set_language(&lang).unwrap();
        for r in &index.runs {
            let ins = &file.instructions[r.instruction];
            let (form, script, sources) = analyse_run(&mut parser, ins, &text);
            assert_eq!((r.form, &r.script, &r.sources), (form, &script, &sources));
        }
    }

    #[test]
    fn cached_analysis_is_shifted_to_the_new_position() {
        let a = "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl | tee /l \\\n    && echo \"$X\"\nRUN <<EOF\nset -o pipefail\nls | wc -l\nEOF\n";
        let b = format!("# a comment that moves everything\n{a}");
        let fa = crate::syntax::parse(a);
        let fb = crate::syntax::parse(&b);
        let ia = ShellIndex::build(&fa, a);
        let runs_a = ia.runs.clone();
        drop(ia); // its analyses move into the cache
        for ins in fa.instructions.iter().filter(|i| i.keyword == Keyword::Run) {
            let key = run_key(ins, a).unwrap();
            assert!(run_cache().lock().unwrap().contains_key(&key));
        }
        let ib = ShellIndex::build(&fb, &b); // served from the cache
        assert!(ib.fresh.0.is_empty());
        let delta = b.len() - a.len();
        assert_eq!(runs_a.len(), ib.runs.len());
        for (ra, rb) in runs_a.iter().zip(&ib.runs) {
            let mut shifted = (ra.form, ra.script.clone(), ra.sources.clone());
            shift_analysis(&mut shifted, delta as isize);
            assert_eq!(shifted.1, rb.script);
            assert_eq!(shifted.2, rb.sources);
            for c in &rb.script.commands {
                assert_eq!(&b[c.name.range.start..c.name.range.end], c.name.raw);
            }
        }
    }
}
