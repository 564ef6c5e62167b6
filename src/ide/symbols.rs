//! Document symbols (stage → its instructions) and workspace symbol search over open files.

use crate::syntax::{Dockerfile, Instruction, KeyValue, Keyword, Stage, TextRange};
use std::borrow::Cow;

/// What a symbol is (the server maps these to its protocol's kinds).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SymbolKind {
    /// A build stage (`FROM …`).
    Stage,
    /// ARG / ENV and their keys.
    Variable,
    /// LABEL keys, EXPOSE, and other metadata.
    Property,
    /// Any other instruction (RUN, COPY…).
    Instruction,
}

/// A hierarchical document symbol.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentSymbol {
    /// One line, e.g. `FROM python:3.12-slim AS build`, `RUN apt-get update …`.
    pub name: String,
    pub kind: SymbolKind,
    /// The whole construct.
    pub range: TextRange,
    /// What to reveal when selected (the stage name, the variable name, the keyword).
    pub selection_range: TextRange,
    pub children: Vec<DocumentSymbol>,
}

/// Longest symbol name before it is cut with `…`.
const MAX_NAME: usize = 80;

/// `KEYWORD args` on one line, whitespace collapsed, cut at [`MAX_NAME`] characters.
pub fn one_line(ins: &Instruction) -> String {
    let mut out = String::from(match ins.keyword {
        Keyword::Unknown => ins.keyword_text.as_str(),
        k => k.as_str(),
    });
    let mut count = out.chars().count();
    let mut pending_space = true;
    let rest = ins.text.text.get(ins.keyword_text.len()..).unwrap_or("");
    for c in rest.chars() {
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if count >= MAX_NAME {
            out.push_str(" …");
            return out;
        }
        if pending_space {
            out.push(' ');
            count += 1;
            pending_space = false;
        }
        out.push(c);
        count += 1;
    }
    out
}

fn kind_of(k: Keyword) -> SymbolKind {
    match k {
        Keyword::From => SymbolKind::Stage,
        Keyword::Arg | Keyword::Env => SymbolKind::Variable,
        Keyword::Label | Keyword::Expose | Keyword::Maintainer | Keyword::Stopsignal => {
            SymbolKind::Property
        }
        _ => SymbolKind::Instruction,
    }
}

/// One entry of the outline, read from the model when asked: the server serialises the
/// outline straight from these (at 10,000 lines the outline is ~5,000 symbols, and building
/// the tree first doubled what a documentSymbol request held at once).
#[derive(Clone, Copy, Debug)]
pub enum OutlineNode<'a> {
    /// A global instruction or one of a stage.
    Instruction(&'a Instruction),
    /// One key of an ENV/ARG/LABEL with several keys (kind: the instruction's).
    Pair(&'a KeyValue, SymbolKind),
    /// A stage: its FROM and its instructions.
    Stage {
        df: &'a Dockerfile,
        stage: &'a Stage,
        from: &'a Instruction,
    },
}

impl<'a> OutlineNode<'a> {
    pub fn name(&self) -> Cow<'a, str> {
        match *self {
            OutlineNode::Instruction(ins) => Cow::Owned(one_line(ins)),
            OutlineNode::Pair(p, _) => Cow::Borrowed(p.key.as_str()),
            OutlineNode::Stage { from, .. } => Cow::Owned(one_line(from)),
        }
    }

    pub fn kind(&self) -> SymbolKind {
        match *self {
            OutlineNode::Instruction(ins) => kind_of(ins.keyword),
            OutlineNode::Pair(_, kind) => kind,
            OutlineNode::Stage { .. } => SymbolKind::Stage,
        }
    }

    /// The whole construct.
    pub fn range(&self) -> TextRange {
        match *self {
            OutlineNode::Instruction(ins) => ins.range,
            OutlineNode::Pair(p, _) => p.range,
            OutlineNode::Stage { stage, .. } => stage.range,
        }
    }

    /// What to reveal when selected: the stage name, the variable name, the keyword.
    pub fn selection_range(&self) -> TextRange {
        match *self {
            OutlineNode::Instruction(ins) => match (ins.keyword, ins.pairs.first()) {
                (Keyword::Arg | Keyword::Env, Some(p)) if ins.pairs.len() == 1 => p.key_range,
                _ => ins.keyword_range,
            },
            OutlineNode::Pair(p, _) => p.key_range,
            OutlineNode::Stage { stage, from, .. } => stage
                .alias
                .as_ref()
                .map(|a| a.range)
                .unwrap_or(from.keyword_range),
        }
    }

    /// The nested entries: a stage's instructions (its FROM excluded), the keys of an
    /// instruction with several.
    pub fn children(&self) -> OutlineChildren<'a> {
        let mut children = OutlineChildren {
            pairs: [].iter(),
            kind: SymbolKind::Variable,
            instructions: [].iter(),
            skip: None,
        };
        match *self {
            OutlineNode::Instruction(ins) if ins.pairs.len() > 1 => {
                children.pairs = ins.pairs.iter();
                children.kind = kind_of(ins.keyword);
            }
            OutlineNode::Instruction(_) | OutlineNode::Pair(..) => {}
            OutlineNode::Stage { df, stage, from } => {
                children.instructions = df.stage_instructions(stage).iter();
                children.skip = Some(from.index);
            }
        }
        children
    }

    /// The entry and everything under it as a tree.
    pub fn to_symbol(&self) -> DocumentSymbol {
        DocumentSymbol {
            name: self.name().into_owned(),
            kind: self.kind(),
            range: self.range(),
            selection_range: self.selection_range(),
            children: self.children().map(|c| c.to_symbol()).collect(),
        }
    }
}

/// The children of an [`OutlineNode`].
#[derive(Clone, Debug)]
pub struct OutlineChildren<'a> {
    pairs: std::slice::Iter<'a, KeyValue>,
    kind: SymbolKind,
    instructions: std::slice::Iter<'a, Instruction>,
    /// The stage's FROM, which the stage entry itself stands for.
    skip: Option<usize>,
}

impl<'a> Iterator for OutlineChildren<'a> {
    type Item = OutlineNode<'a>;

    fn next(&mut self) -> Option<OutlineNode<'a>> {
        if let Some(p) = self.pairs.next() {
            return Some(OutlineNode::Pair(p, self.kind));
        }
        let skip = self.skip;
        self.instructions
            .find(|i| Some(i.index) != skip)
            .map(OutlineNode::Instruction)
    }
}

/// The top level of the outline: global instructions, then one entry per stage.
pub fn outline(df: &Dockerfile) -> impl Iterator<Item = OutlineNode<'_>> + '_ {
    let globals = df
        .global_instructions()
        .iter()
        .map(OutlineNode::Instruction);
    let stages = df.stages.iter().filter_map(move |stage| {
        let from = df.instructions.get(stage.from)?;
        Some(OutlineNode::Stage { df, stage, from })
    });
    globals.chain(stages)
}

/// The outline as a tree: global instructions, then one symbol per stage with its
/// instructions.
pub fn document_symbols(df: &Dockerfile) -> Vec<DocumentSymbol> {
    outline(df).map(|n| n.to_symbol()).collect()
}

/// A workspace symbol: a stage name or an ARG/ENV name in one document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkspaceSymbol<K> {
    /// The document (whatever key the caller passed, e.g. its URI).
    pub document: K,
    pub name: String,
    pub kind: SymbolKind,
    pub range: TextRange,
    /// The stage it belongs to (`build`, `#1`), or `global`.
    pub container: Option<String>,
}

/// How well `name` matches `query` (higher is better); `None` when it does not.
/// Case-insensitive: exact, prefix, substring, then in-order subsequence ("fuzzy").
pub fn match_score(name: &str, query: &str) -> Option<u32> {
    if query.is_empty() {
        return Some(1);
    }
    let n = name.to_lowercase();
    let q = query.to_lowercase();
    if n == q {
        return Some(100);
    }
    if n.starts_with(&q) {
        return Some(80);
    }
    if n.contains(&q) {
        return Some(60);
    }
    let mut chars = n.chars();
    q.chars().all(|qc| chars.any(|nc| nc == qc)).then_some(20)
}

/// Symbols matching `query` in every document, best match first (then by name).
pub fn workspace_symbols<'a, K: Clone>(
    docs: impl IntoIterator<Item = (K, &'a Dockerfile)>,
    query: &str,
    limit: usize,
) -> Vec<WorkspaceSymbol<K>> {
    let mut found: Vec<(u32, WorkspaceSymbol<K>)> = Vec::new();
    for (key, df) in docs {
        let mut push = |name: &str, kind, range, container: Option<String>| {
            if let Some(score) = match_score(name, query) {
                found.push((
                    score,
                    WorkspaceSymbol {
                        document: key.clone(),
                        name: name.to_string(),
                        kind,
                        range,
                        container,
                    },
                ));
            }
        };
        for st in &df.stages {
            if let Some(a) = &st.alias {
                push(&a.text, SymbolKind::Stage, a.range, None);
            }
        }
        for ins in &df.instructions {
            if !matches!(ins.keyword, Keyword::Arg | Keyword::Env) {
                continue;
            }
            let container = match ins.stage.and_then(|s| df.stages.get(s)) {
                Some(st) => st
                    .name()
                    .map(str::to_string)
                    .unwrap_or(format!("#{}", st.index)),
                None => "global".to_string(),
            };
            for p in &ins.pairs {
                push(
                    &p.key,
                    SymbolKind::Variable,
                    p.key_range,
                    Some(container.clone()),
                );
            }
        }
    }
    found.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.name.cmp(&b.1.name)));
    found.truncate(limit);
    found.into_iter().map(|(_, s)| s).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    #[test]
    fn outline_is_stage_then_instructions() {
        let src = "ARG V=3.12\nFROM python:${V}-slim AS build\nRUN apt-get update && \\\n    apt-get install -y gcc\nENV A=1 B=2\nFROM scratch\nCOPY --from=build /a /a\n";
        let df = parse(src);
        let syms = document_symbols(&df);
        let names: Vec<_> = syms.iter().map(|s| (s.name.as_str(), s.kind)).collect();
        assert_eq!(
            names,
            vec![
                ("ARG V=3.12", SymbolKind::Variable),
                ("FROM python:${V}-slim AS build", SymbolKind::Stage),
                ("FROM scratch", SymbolKind::Stage),
            ]
        );
        let build = &syms[1];
        assert_eq!(
            &src[build.selection_range.start..build.selection_range.end],
            "build"
        );
        let kids: Vec<_> = build.children.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            kids,
            vec![
                "RUN apt-get update && apt-get install -y gcc",
                "ENV A=1 B=2"
            ]
        );
        assert_eq!(build.children[1].children.len(), 2);
        assert_eq!(syms[0].selection_range, TextRange::new(4, 5));
    }

    #[test]
    fn long_names_are_cut() {
        let src = format!("FROM a\nRUN {}\n", "x ".repeat(100));
        let df = parse(&src);
        let syms = document_symbols(&df);
        let run = &syms[0].children[0].name;
        assert!(run.ends_with(" …") && run.chars().count() < 90, "{run}");
    }

    #[test]
    fn workspace_search_is_fuzzy_and_ranked() {
        let a = parse(
            "ARG NODE_VERSION=20\nFROM node:${NODE_VERSION} AS builder\nENV NODE_ENV=production\n",
        );
        let b = parse("FROM alpine AS build\nARG BUILD_DATE\n");
        let docs = vec![("a", &a), ("b", &b)];
        let got: Vec<_> = workspace_symbols(docs.clone(), "build", 10)
            .into_iter()
            .map(|s| (s.document, s.name, s.container))
            .collect();
        assert_eq!(
            got,
            vec![
                ("b", "build".to_string(), None),
                ("b", "BUILD_DATE".to_string(), Some("build".to_string())),
                ("a", "builder".to_string(), None),
            ]
        );
        let fuzzy = workspace_symbols(docs, "nver", 10);
        assert_eq!(fuzzy.len(), 1);
        assert_eq!(fuzzy[0].name, "NODE_VERSION");
        assert_eq!(fuzzy[0].container.as_deref(), Some("global"));
    }
}
