//! Go to definition, find references, rename and document highlight for build-stage names
//! and ARG/ENV variables.
//!
//! One pass over the model ([`SymbolIndex::build`]) resolves every occurrence of a stage name
//! (`FROM … AS x`, `FROM x`, `COPY --from=x`, `RUN --mount=from=x`; case-insensitive, as
//! BuildKit compares them) and of a variable to the declaration it refers to, following
//! BuildKit's scoping:
//!
//! * global ARGs (before the first FROM) are visible in FROM lines and to later global ARGs;
//! * inside a stage a global ARG is visible only after `ARG NAME` redeclares it; that
//!   redeclaration is a *reference* to the global ARG (renaming one renames both);
//! * ARG/ENV of a stage are visible to the stage's later instructions and to stages built
//!   `FROM` it;
//! * an instruction's own declarations are visible only to later instructions
//!   (`ENV A=1 B=$A` reads the previous `A`, as BuildKit does).
//!
//! Uses come from [`crate::syntax::Instruction::var_refs`] (what BuildKit expands) and, for
//! the shell, from RUN's shell-form text and heredoc bodies (the shell expands those, but they
//! read the same ARG/ENV). Single-quoted text is skipped. CMD/ENTRYPOINT/HEALTHCHECK run
//! later, in the container, where only ENV exists: their uses resolve to ENV only.
//!
//! Building the index is linear in the file; every request builds it once.

use std::collections::HashMap;

use crate::diagnostic::Edit;
use crate::syntax::{Dockerfile, Instruction, Keyword, TextRange};

/// What an occurrence refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SymbolId {
    /// A build stage, by index.
    Stage(usize),
    /// A variable declaration, index into [`SymbolIndex::vars`].
    Var(usize),
}

/// How a name occurs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The declaration (`AS name`, `ARG NAME`, `ENV NAME=…`).
    Definition,
    /// A use of the name.
    Reference,
    /// `COPY --from=0`: refers to a stage by its index; never renamed.
    IndexReference,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Occurrence {
    pub range: TextRange,
    pub symbol: SymbolId,
    pub role: Role,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VarKind {
    Arg,
    Env,
}

/// A variable declaration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VarDef {
    pub name: String,
    /// The key's range in the ARG/ENV instruction.
    pub range: TextRange,
    pub kind: VarKind,
    /// Declared before the first FROM.
    pub global: bool,
    /// The default value as declared.
    pub value: Option<String>,
}

/// Every resolved stage-name and variable occurrence of one document, sorted by position.
#[derive(Clone, Debug, Default)]
pub struct SymbolIndex {
    pub occurrences: Vec<Occurrence>,
    pub vars: Vec<VarDef>,
    /// Range of each stage's `AS name` word (None for unnamed stages).
    pub stage_defs: Vec<Option<TextRange>>,
    /// When set, only variables with this name were resolved.
    only: Option<String>,
    /// The stage each stage is built `FROM`, if any.
    parents: Vec<Option<usize>>,
}

#[derive(Clone, Copy)]
struct Binding {
    def: usize,
    env: bool,
}

/// Which bindings a use may resolve to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Visible {
    All,
    EnvOnly,
}

impl SymbolIndex {
    pub fn build(df: &Dockerfile, text: &str) -> SymbolIndex {
        SymbolIndex::build_filtered(df, text, None)
    }

    /// Like [`Self::build`], but only variables named `only` are tracked (stages always are):
    /// a request about one name skips the bookkeeping of all others.
    pub fn build_filtered(df: &Dockerfile, text: &str, only: Option<&str>) -> SymbolIndex {
        let mut idx = SymbolIndex {
            only: only.map(str::to_string),
            parents: vec![None; df.stages.len()],
            occurrences: Vec::new(),
            vars: Vec::new(),
            stage_defs: df
                .stages
                .iter()
                .map(|s| s.alias.as_ref().map(|a| a.range))
                .collect(),
        };
        idx.stages(df, text);
        idx.variables(df, text);
        idx.occurrences
            .sort_by_key(|o| (o.range.start, o.range.end));
        idx.occurrences.dedup();
        idx
    }

    fn push(&mut self, range: TextRange, symbol: SymbolId, role: Role) {
        self.occurrences.push(Occurrence {
            range,
            symbol,
            role,
        });
    }

    fn stages(&mut self, df: &Dockerfile, text: &str) {
        let mut by_name: HashMap<String, usize> = HashMap::new();
        for st in &df.stages {
            if let Some(a) = &st.alias {
                by_name
                    .entry(a.text.as_str().to_ascii_lowercase())
                    .or_insert(st.index);
                self.push(a.range, SymbolId::Stage(st.index), Role::Definition);
            }
        }
        let lookup = |name: &str, before: Option<usize>| -> Option<(usize, Role)> {
            if name.contains('$') || name.is_empty() {
                return None;
            }
            if let Ok(i) = name.parse::<usize>() {
                return (i < df.stages.len()).then_some((i, Role::IndexReference));
            }
            let i = *by_name.get(&name.to_ascii_lowercase())?;
            match before {
                Some(b) if i >= b => None,
                _ => Some((i, Role::Reference)),
            }
        };
        for st in &df.stages {
            let img = &st.image;
            // `FROM 0` is an image name, not a stage index.
            if img.text.parse::<usize>().is_err() {
                if let Some((i, role)) = lookup(&img.text, Some(st.index)) {
                    self.push(img.range, SymbolId::Stage(i), role);
                    if let Some(slot) = self.parents.get_mut(st.index) {
                        *slot = Some(i);
                    }
                }
            }
        }
        for ins in &df.instructions {
            for flag in &ins.flags {
                let (Some(value), Some(vr)) = (&flag.value, flag.value_range) else {
                    continue;
                };
                match (ins.keyword, flag.name.as_str()) {
                    (Keyword::Copy | Keyword::Add, "from") => {
                        if text.get(vr.start..vr.end) != Some(value.as_str()) {
                            continue;
                        }
                        if let Some((i, role)) = lookup(value, None) {
                            self.push(vr, SymbolId::Stage(i), role);
                        }
                    }
                    (Keyword::Run, "mount") => {
                        let Some(src) = text.get(vr.start..vr.end) else {
                            continue;
                        };
                        let mut at = vr.start;
                        for item in src.split(',') {
                            if let Some((k, v)) = item.split_once('=') {
                                if k.trim().eq_ignore_ascii_case("from") && v == v.trim() {
                                    let s = at + k.len() + 1;
                                    if let Some((i, role)) = lookup(v, None) {
                                        self.push(
                                            TextRange::new(s, s + v.len()),
                                            SymbolId::Stage(i),
                                            role,
                                        );
                                    }
                                }
                            }
                            at += item.len() + 1;
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    fn wanted(&self, name: &str) -> bool {
        self.only.as_deref().is_none_or(|o| o == name)
    }

    fn new_var(&mut self, name: &str, range: TextRange, kind: VarKind, global: bool) -> usize {
        self.vars.push(VarDef {
            name: name.to_string(),
            range,
            kind,
            global,
            value: None,
        });
        let id = self.vars.len() - 1;
        self.push(range, SymbolId::Var(id), Role::Definition);
        id
    }

    fn resolve(
        &mut self,
        scope: &HashMap<String, Binding>,
        name: &str,
        range: TextRange,
        visible: Visible,
    ) {
        if !self.wanted(name) {
            return;
        }
        if let Some(b) = scope.get(name) {
            if visible == Visible::All || b.env {
                self.push(range, SymbolId::Var(b.def), Role::Reference);
            }
        }
    }

    fn variables(&mut self, df: &Dockerfile, text: &str) {
        let only = self.only.clone();
        let mut global: HashMap<String, Binding> = HashMap::new();
        // The scope at the end of each stage so far (the current stage is the last).
        let mut stage_scopes: Vec<HashMap<String, Binding>> = Vec::new();
        let parents = std::mem::take(&mut self.parents);
        for ins in &df.instructions {
            let Some(stage) = ins.stage else {
                // Global scope: ARGs (anything else here is an error reported elsewhere).
                for r in &ins.var_refs {
                    if let Some(nr) = located(text, &r.name, r.name_range) {
                        self.resolve(&global, &r.name, nr, Visible::All);
                    }
                }
                if ins.keyword == Keyword::Arg {
                    for p in ins.pairs.iter().filter(|p| {
                        is_valid_var_name(&p.key) && only.as_deref().is_none_or(|o| o == p.key)
                    }) {
                        let id = self.new_var(&p.key, p.key_range, VarKind::Arg, true);
                        if let Some(d) = self.vars.get_mut(id) {
                            d.value = p.value.clone();
                        }
                        global.insert(
                            p.key.clone(),
                            Binding {
                                def: id,
                                env: false,
                            },
                        );
                    }
                }
                continue;
            };
            if ins.keyword == Keyword::From {
                for r in &ins.var_refs {
                    if let Some(nr) = located(text, &r.name, r.name_range) {
                        self.resolve(&global, &r.name, nr, Visible::All);
                    }
                }
                let inherited = parents
                    .get(stage)
                    .copied()
                    .flatten()
                    .and_then(|p| stage_scopes.get(p))
                    .cloned()
                    .unwrap_or_default();
                while stage_scopes.len() < stage {
                    stage_scopes.push(HashMap::new());
                }
                stage_scopes.push(inherited);
                continue;
            }
            let Some(mut scope) = stage_scopes.pop() else {
                continue;
            };
            for r in &ins.var_refs {
                if let Some(nr) = located(text, &r.name, r.name_range) {
                    self.resolve(&scope, &r.name, nr, Visible::All);
                }
            }
            match ins.keyword {
                Keyword::Arg => {
                    for p in ins.pairs.iter().filter(|p| {
                        is_valid_var_name(&p.key) && only.as_deref().is_none_or(|o| o == p.key)
                    }) {
                        let redeclared = global.get(&p.key).copied().filter(|_| p.value.is_none());
                        match redeclared {
                            Some(g) => {
                                self.push(p.key_range, SymbolId::Var(g.def), Role::Reference);
                                scope.insert(p.key.clone(), g);
                            }
                            None => {
                                let id = self.new_var(&p.key, p.key_range, VarKind::Arg, false);
                                if let Some(d) = self.vars.get_mut(id) {
                                    d.value = p.value.clone();
                                }
                                scope.insert(
                                    p.key.clone(),
                                    Binding {
                                        def: id,
                                        env: false,
                                    },
                                );
                            }
                        }
                    }
                }
                Keyword::Env => {
                    for p in ins.pairs.iter().filter(|p| {
                        is_valid_var_name(&p.key) && only.as_deref().is_none_or(|o| o == p.key)
                    }) {
                        let id = self.new_var(&p.key, p.key_range, VarKind::Env, false);
                        if let Some(d) = self.vars.get_mut(id) {
                            d.value = p.value.clone();
                        }
                        scope.insert(p.key.clone(), Binding { def: id, env: true });
                    }
                }
                Keyword::Run => self.shell_uses(ins, text, &scope, Visible::All),
                Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck => {
                    self.shell_uses(ins, text, &scope, Visible::EnvOnly)
                }
                Keyword::Copy | Keyword::Add => {
                    for h in ins.heredocs.iter().filter(|h| !h.quoted) {
                        self.scan_source(text, h.body_range, &scope, Visible::All);
                    }
                }
                _ => {}
            }
            stage_scopes.push(scope);
        }
    }

    /// Uses in shell-form text and heredoc bodies (expanded by the shell, not BuildKit).
    fn shell_uses(
        &mut self,
        ins: &Instruction,
        text: &str,
        scope: &HashMap<String, Binding>,
        visible: Visible,
    ) {
        if ins.exec.is_none() {
            let base = ins.args_start;
            let logical = ins.text.text.get(base..).unwrap_or("");
            let mut found = Vec::new();
            crate::syntax::scan_var_refs(logical, '\\', base, &mut |name, _, nr, _| {
                found.push((name, nr))
            });
            for (name, nr) in found {
                let r = ins.text.range_to_source(nr);
                self.resolve(scope, &name, r, visible);
            }
        }
        // A RUN heredoc is a script: the shell expands it even when the delimiter is quoted.
        for h in &ins.heredocs {
            self.scan_source(text, h.body_range, scope, visible);
        }
    }

    fn scan_source(
        &mut self,
        text: &str,
        range: TextRange,
        scope: &HashMap<String, Binding>,
        visible: Visible,
    ) {
        let Some(body) = text.get(range.start..range.end) else {
            return;
        };
        let mut found = Vec::new();
        crate::syntax::scan_var_refs(body, '\\', range.start, &mut |name, _, nr, _| {
            found.push((name, nr))
        });
        for (name, nr) in found {
            self.resolve(scope, &name, nr, visible);
        }
    }

    /// The occurrence at `offset` (a cursor just after a name counts).
    pub fn at(&self, offset: usize) -> Option<&Occurrence> {
        let i = self.occurrences.partition_point(|o| o.range.end < offset);
        let cands = self
            .occurrences
            .get(i..(i + 2).min(self.occurrences.len()))?;
        cands
            .iter()
            .find(|o| o.range.contains(offset))
            .or_else(|| cands.iter().find(|o| o.range.contains_inclusive(offset)))
    }

    /// Every occurrence of `symbol`, in document order.
    pub fn occurrences_of(&self, symbol: SymbolId) -> impl Iterator<Item = &Occurrence> {
        self.occurrences.iter().filter(move |o| o.symbol == symbol)
    }

    /// The declaration range of `symbol`.
    pub fn definition_range(&self, symbol: SymbolId) -> Option<TextRange> {
        match symbol {
            SymbolId::Stage(i) => self.stage_defs.get(i).copied().flatten(),
            SymbolId::Var(i) => self.vars.get(i).map(|v| v.range),
        }
    }
}

/// `range` when the text there is `name`; otherwise the nearest spelling of `name` within a
/// few bytes (a quoted flag value such as `--from="${V}"` can shift the model's range by
/// the quote); `None` when it cannot be found.
fn located(text: &str, name: &str, range: TextRange) -> Option<TextRange> {
    if text.get(range.start..range.end) == Some(name) {
        return Some(range);
    }
    let lo = range.start.saturating_sub(2);
    let hi = (range.end + 2).min(text.len());
    let window = text
        .get(lo..hi)
        .or_else(|| text.get(range.start..range.end))?;
    let at = window.find(name)?;
    let s = lo + at;
    Some(TextRange::new(s, s + name.len()))
}

/// A definition target: the range under the cursor and the declaration it resolves to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NavTarget {
    pub origin: TextRange,
    pub target: TextRange,
}

/// The identifier (`[A-Za-z0-9_]+`) touching `offset`.
fn ident_at(text: &str, offset: usize) -> &str {
    let b = text.as_bytes();
    let is_ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut s = offset.min(b.len());
    while s > 0 && is_ident(b[s - 1]) {
        s -= 1;
    }
    let mut e = offset.min(b.len());
    while e < b.len() && is_ident(b[e]) {
        e += 1;
    }
    text.get(s..e).unwrap_or("")
}

/// The index a request at `offset` needs: stages, and variables named like the word there.
fn index_for(df: &Dockerfile, text: &str, offset: usize) -> SymbolIndex {
    SymbolIndex::build_filtered(df, text, Some(ident_at(text, offset)))
}

/// Go to definition.
pub fn definition(df: &Dockerfile, text: &str, offset: usize) -> Option<NavTarget> {
    let idx = index_for(df, text, offset);
    let occ = idx.at(offset)?;
    let target = match occ.symbol {
        // An unnamed stage referenced by index: go to its FROM.
        SymbolId::Stage(i) => idx.definition_range(occ.symbol).or_else(|| {
            let st = df.stages.get(i)?;
            df.instructions.get(st.from).map(|f| f.keyword_range)
        })?,
        SymbolId::Var(_) => idx.definition_range(occ.symbol)?,
    };
    Some(NavTarget {
        origin: occ.range,
        target,
    })
}

/// Find references (sorted by position).
pub fn references(
    df: &Dockerfile,
    text: &str,
    offset: usize,
    include_declaration: bool,
) -> Vec<TextRange> {
    let idx = index_for(df, text, offset);
    let Some(occ) = idx.at(offset) else {
        return Vec::new();
    };
    idx.occurrences_of(occ.symbol)
        .filter(|o| include_declaration || o.role != Role::Definition)
        .map(|o| o.range)
        .collect()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HighlightKind {
    /// The declaration.
    Write,
    /// A use.
    Read,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Highlight {
    pub range: TextRange,
    pub kind: HighlightKind,
}

/// Document highlight: every occurrence of the symbol under the cursor.
pub fn document_highlight(df: &Dockerfile, text: &str, offset: usize) -> Vec<Highlight> {
    let idx = index_for(df, text, offset);
    let Some(occ) = idx.at(offset) else {
        return Vec::new();
    };
    idx.occurrences_of(occ.symbol)
        .map(|o| Highlight {
            range: o.range,
            kind: if o.role == Role::Definition {
                HighlightKind::Write
            } else {
                HighlightKind::Read
            },
        })
        .collect()
}

/// What prepare-rename answers: the range to rename and the name as written there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrepareRename {
    pub range: TextRange,
    pub name: String,
}

/// Why a rename was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RenameError {
    /// Nothing renameable under the cursor.
    NoSymbol,
    /// The new name is not a valid stage name / variable name.
    InvalidName(String),
    /// Another stage already has that name.
    Conflict(String),
}

impl std::fmt::Display for RenameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RenameError::NoSymbol => f.write_str(
                "Nothing to rename here: place the cursor on a stage name or an ARG/ENV variable.",
            ),
            RenameError::InvalidName(m) | RenameError::Conflict(m) => f.write_str(m),
        }
    }
}

/// Prepare rename: `None` when the cursor is not on a renameable name.
pub fn prepare_rename(df: &Dockerfile, text: &str, offset: usize) -> Option<PrepareRename> {
    let idx = index_for(df, text, offset);
    let occ = idx.at(offset)?;
    if occ.role == Role::IndexReference {
        return None;
    }
    Some(PrepareRename {
        range: occ.range,
        name: text.get(occ.range.start..occ.range.end)?.to_string(),
    })
}

/// True for a valid stage name (`[a-z][a-z0-9-_.]*`).
pub fn is_valid_stage_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
}

/// True for a valid variable name (`[A-Za-z_][A-Za-z0-9_]*`).
pub fn is_valid_var_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Rename the symbol under the cursor: one edit per occurrence (index references such as
/// `--from=0` are left alone).
pub fn rename(
    df: &Dockerfile,
    text: &str,
    offset: usize,
    new_name: &str,
) -> Result<Vec<Edit>, RenameError> {
    let idx = index_for(df, text, offset);
    let occ = idx.at(offset).ok_or(RenameError::NoSymbol)?;
    if occ.role == Role::IndexReference {
        return Err(RenameError::NoSymbol);
    }
    match occ.symbol {
        SymbolId::Stage(i) => {
            if !is_valid_stage_name(new_name) {
                return Err(RenameError::InvalidName(format!(
                    "'{new_name}' is not a valid stage name: use a lower-case letter followed by lower-case letters, digits, '-', '_' or '.'."
                )));
            }
            if let Some(other) = df.stages.iter().find(|s| {
                s.index != i && s.name().is_some_and(|n| n.eq_ignore_ascii_case(new_name))
            }) {
                return Err(RenameError::Conflict(format!(
                    "Stage {} is already named '{new_name}': choose another name.",
                    other.index
                )));
            }
        }
        SymbolId::Var(_) => {
            if !is_valid_var_name(new_name) {
                return Err(RenameError::InvalidName(format!(
                    "'{new_name}' is not a valid variable name: use a letter or '_' followed by letters, digits or '_'."
                )));
            }
        }
    }
    Ok(idx
        .occurrences_of(occ.symbol)
        .filter(|o| o.role != Role::IndexReference)
        .map(|o| Edit::replace(o.range, new_name))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::test_fixture::fixture;
    use crate::syntax::parse;

    /// All occurrences of the symbol at the cursor must equal the marks.
    fn check_refs(src: &str) {
        let f = fixture(src);
        let df = parse(&f.text);
        let got = references(&df, &f.text, f.cursor, true);
        assert_eq!(got, f.marks, "text:\n{}", f.text);
        let hl: Vec<_> = document_highlight(&df, &f.text, f.cursor)
            .into_iter()
            .map(|h| h.range)
            .collect();
        assert_eq!(hl, f.marks);
    }

    fn def(src: &str) -> Option<TextRange> {
        let f = fixture(src);
        let df = parse(&f.text);
        let d = definition(&df, &f.text, f.cursor).map(|t| t.target);
        assert_eq!(d, f.marks.first().copied(), "text:\n{}", f.text);
        d
    }

    #[test]
    fn stage_name_from_copy_from_and_mount() {
        check_refs(
            "FROM golang:1.22 AS bu$0ild\n                    ^^^^^^^\nRUN go build\nFROM build AS test\n     ^^^^^\nFROM alpine\nCOPY --from=BUILD /out /out\n            ^^^^^\nRUN --mount=type=cache,from=build,target=/x true\n                            ^^^^^\n",
        );
    }

    #[test]
    fn stage_reference_goes_to_alias() {
        assert!(
            def("FROM a AS base\n          ^^^^\nFROM alpine\nCOPY --from=ba$0se /a /a\n")
                .is_some()
        );
        // by index: goes to the FROM of the unnamed stage
        assert!(def("FROM a\n^^^^\nFROM b\nCOPY --from=0$0 /a /a\n").is_some());
    }

    #[test]
    fn from_only_refers_to_earlier_stages() {
        // `FROM later` before `AS later` is an image, not the stage.
        assert_eq!(def("FROM lat$0er\nFROM alpine AS later\n"), None);
    }

    #[test]
    fn global_arg_used_in_from() {
        check_refs(
            "ARG VER$0SION=3.12\n    ^^^^^^^^^\nFROM python:${VERSION}-slim\n              ^^^^^^^\nRUN echo $VERSION\n",
        );
        assert!(def("ARG V=1\n    ^\nFROM python:$V$0\n").is_some());
    }

    #[test]
    fn redeclared_global_arg_in_stage() {
        check_refs(
            "ARG V=1\n    ^\nFROM x:$V\n        ^\nARG V\n    ^\nRUN echo \"$V$0\" '$V'\n           ^\nFROM y\nRUN echo $V\n",
        );
    }

    #[test]
    fn stage_arg_with_default_shadows_global() {
        check_refs("ARG V=1\nFROM x:$V\nARG V$0=2\n    ^\nRUN echo ${V}\n           ^\n");
    }

    #[test]
    fn env_visible_in_child_stage_and_heredoc() {
        check_refs(
            "FROM alpine AS base\nENV AP$0P=/app\n    ^^^^^\nWORKDIR $APP\n         ^^^\nFROM base\nRUN <<EOF\ncd ${APP}\n     ^^^\nEOF\nCMD echo $APP\n          ^^^\nFROM alpine\nRUN echo $APP\n",
        );
    }

    #[test]
    fn arg_not_visible_at_runtime() {
        check_refs("FROM a\nARG X$0=1\n    ^\nRUN echo $X\n          ^\nCMD echo $X\n");
    }

    #[test]
    fn env_value_reads_previous_binding() {
        check_refs("FROM a\nENV P$0=/a\n    ^\nENV P=$P:/b\n       ^\n");
        check_refs("FROM a\nENV P=/a\nENV P$0=$P:/b Q=$P\n    ^\n");
    }

    #[test]
    fn run_continuations_map_to_source() {
        check_refs("FROM a\nARG N$0=1\n    ^\nRUN echo a \\\n  && echo $N\n           ^\n");
    }

    #[test]
    fn rename_stage_and_var() {
        let f = fixture(
            "FROM a AS bu$0ild\nFROM build\nCOPY --from=build /a /a\nCOPY --from=0 /a /b\n",
        );
        let df = parse(&f.text);
        let p = prepare_rename(&df, &f.text, f.cursor);
        assert_eq!(
            p,
            Some(PrepareRename {
                range: TextRange::new(10, 15),
                name: "build".into()
            })
        );
        let edits = rename(&df, &f.text, f.cursor, "compile").unwrap_or_default();
        let mut out = f.text.clone();
        for e in edits.iter().rev() {
            out.replace_range(e.range.start..e.range.end, &e.text);
        }
        assert_eq!(
            out,
            "FROM a AS compile\nFROM compile\nCOPY --from=compile /a /a\nCOPY --from=0 /a /b\n"
        );
        assert!(matches!(
            rename(&df, &f.text, f.cursor, "Bad Name"),
            Err(RenameError::InvalidName(_))
        ));

        let f = fixture("ARG V=1\nFROM x:$V\nARG V\nRUN echo ${V$0:-2}\n");
        let df = parse(&f.text);
        let edits = rename(&df, &f.text, f.cursor, "VERSION").unwrap_or_default();
        let mut out = f.text.clone();
        for e in edits.iter().rev() {
            out.replace_range(e.range.start..e.range.end, &e.text);
        }
        assert_eq!(
            out,
            "ARG VERSION=1\nFROM x:$VERSION\nARG VERSION\nRUN echo ${VERSION:-2}\n"
        );
        assert!(rename(&df, &f.text, f.cursor, "1X").is_err());
    }

    #[test]
    fn rename_refuses_index_and_conflicts() {
        let f = fixture("FROM a AS one\nFROM b AS t$0wo\nFROM c\nCOPY --from=0 /a /a\n");
        let df = parse(&f.text);
        assert!(matches!(
            rename(&df, &f.text, f.cursor, "one"),
            Err(RenameError::Conflict(_))
        ));
        let f = fixture("FROM a\nFROM c\nCOPY --from=0$0 /a /a\n");
        let df = parse(&f.text);
        assert_eq!(prepare_rename(&df, &f.text, f.cursor), None);
    }

    #[test]
    fn quoted_flag_value() {
        check_refs("FROM b\nARG V$0=x\n    ^^^\nCOPY --from=\"${V}\" /a /a\n               ^\n");
    }

    #[test]
    fn nothing_on_plain_text() {
        let f = fixture("FROM alpine\nRUN ec$0ho $HOME\n");
        let df = parse(&f.text);
        assert!(references(&df, &f.text, f.cursor, true).is_empty());
        assert_eq!(definition(&df, &f.text, f.cursor), None);
    }
}
