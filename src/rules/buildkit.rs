//! BuildKit semantics shared by the `DFL1xx` rules: stage ancestry, the global ARG scope and
//! BuildKit's "did you mean" search. Read-only helpers over the model; no rule lives here.

use crate::syntax::{expand, Dockerfile, Expansion, Keyword, Lookup, Stage, PLATFORM_ARGS};

/// ARGs BuildKit defines in the global scope besides [`PLATFORM_ARGS`]
/// (`defaultArgs` in dockerfile2llb).
pub const EXTRA_GLOBAL_ARGS: &[&str] = &["BUILDOSVERSION", "TARGETOSVERSION", "TARGETSTAGE"];

/// True for an ARG BuildKit predefines in the global scope.
pub fn is_builtin_global(name: &str) -> bool {
    PLATFORM_ARGS.contains(&name) || EXTRA_GLOBAL_ARGS.contains(&name)
}

/// A representative value for a builtin global ARG (used to validate expanded FROM lines).
fn builtin_value(name: &str) -> &'static str {
    match name {
        "BUILDPLATFORM" | "TARGETPLATFORM" => "linux/amd64",
        "BUILDOS" | "TARGETOS" => "linux",
        "BUILDARCH" | "TARGETARCH" => "amd64",
        "TARGETSTAGE" => "default",
        _ => "",
    }
}

/// The earlier stage a stage's `FROM` names (case-insensitive, as BuildKit), if any.
pub fn parent_stage<'a>(file: &'a Dockerfile, stage: &Stage) -> Option<&'a Stage> {
    if stage.image.has_variables {
        return None;
    }
    let name = stage.image.text.as_str();
    file.stages
        .get(..stage.index)?
        .iter()
        .rev()
        .find(|s| s.name().is_some_and(|n| n.eq_ignore_ascii_case(name)))
}

/// The stage's ancestors through `FROM <earlier stage>`, nearest first (the stage excluded).
pub fn ancestors<'a>(file: &'a Dockerfile, stage: &Stage) -> Vec<&'a Stage> {
    let mut out = Vec::new();
    let mut current = parent_stage(file, stage);
    while let Some(s) = current {
        if out.iter().any(|o: &&Stage| o.index == s.index) {
            break;
        }
        out.push(s);
        current = parent_stage(file, s);
    }
    out
}

/// True when the stage, or a stage it is built from, has a `FROM` with variables that could
/// name an earlier stage (`FROM base-$TARGETARCH`, `FROM ${BASE}`): its parent is unknown,
/// so what it inherits is unknown.
pub fn has_unknown_parent(file: &Dockerfile, stage: &Stage) -> bool {
    let mut chain = vec![stage];
    chain.extend(ancestors(file, stage));
    chain.iter().any(|s| {
        if !s.image.has_variables {
            return false;
        }
        let prefix = s.image.text.split('$').next().unwrap_or("").to_lowercase();
        file.stages.get(..s.index).unwrap_or(&[]).iter().any(|e| {
            e.name()
                .is_some_and(|n| n.to_lowercase().starts_with(&prefix))
        })
    })
}

/// The global ARG scope as BuildKit builds it with no `--build-arg`: builtins first, then each
/// global `ARG` in order, its default expanded against what came before. `None` = declared
/// without a value (unset).
#[derive(Clone, Debug, Default)]
pub struct GlobalScope {
    /// Declared global ARG names (with or without default), in order.
    pub declared: Vec<String>,
    values: Vec<(String, Option<String>)>,
}

impl GlobalScope {
    pub fn new(file: &Dockerfile) -> GlobalScope {
        let mut scope = GlobalScope::default();
        for ins in file.global_instructions() {
            if ins.keyword != Keyword::Arg {
                continue;
            }
            for p in &ins.pairs {
                let value = p.value.as_ref().map(|v| scope.expand(v).value);
                if !scope.declared.contains(&p.key) {
                    scope.declared.push(p.key.clone());
                }
                // `ARG X` without a default leaves a builtin's value in place.
                if value.is_some() || !is_builtin_global(&p.key) {
                    scope.values.retain(|(k, _)| k != &p.key);
                    scope.values.push((p.key.clone(), value));
                }
            }
        }
        scope
    }

    /// How `name` resolves in the global scope.
    pub fn lookup(&self, name: &str) -> Lookup {
        if let Some((_, v)) = self.values.iter().find(|(k, _)| k == name) {
            return Lookup::Value(v.clone());
        }
        if is_builtin_global(name) {
            return Lookup::Value(Some(builtin_value(name).to_string()));
        }
        Lookup::Undefined
    }

    /// True when `name` is declared globally or predefined by BuildKit.
    pub fn is_known(&self, name: &str) -> bool {
        self.declared.iter().any(|d| d == name) || is_builtin_global(name)
    }

    /// Every name known in the global scope (for suggestions), sorted.
    pub fn known_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.declared.clone();
        names.extend(
            PLATFORM_ARGS
                .iter()
                .chain(EXTRA_GLOBAL_ARGS)
                .map(|s| s.to_string()),
        );
        names.sort();
        names.dedup();
        names
    }

    /// Expands `text` with the defaults of the global scope.
    pub fn expand(&self, text: &str) -> Expansion {
        expand(text, &|n| self.lookup(n))
    }
}

/// BuildKit's `suggest.Search`: the option with the smallest Levenshtein distance below 3,
/// case-sensitive; nothing when `value` itself is an option.
pub fn suggest<'a>(value: &str, options: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let mut best: Option<(usize, &str)> = None;
    for opt in options {
        if opt == value {
            return None;
        }
        let d = strsim::levenshtein(value, opt);
        if d < 3 && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, opt));
        }
    }
    best.map(|(_, o)| o.to_string())
}

/// True when `s` is all lower-case or all upper-case (BuildKit's `isSelfConsistentCasing`).
pub fn is_self_consistent_casing(s: &str) -> bool {
    is_all_cased(s, false) || is_all_cased(s, true)
}

/// True when `s` equals its lowercase (`upper` false) or uppercase (`upper` true) form;
/// allocation-free for ASCII (every keyword), which runs once per instruction per lint.
pub fn is_all_cased(s: &str, upper: bool) -> bool {
    if s.is_ascii() {
        return if upper {
            !s.bytes().any(|b| b.is_ascii_lowercase())
        } else {
            !s.bytes().any(|b| b.is_ascii_uppercase())
        };
    }
    if upper {
        s == s.to_uppercase()
    } else {
        s == s.to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn global_scope_expands_in_order() {
        let df = crate::syntax::parse("ARG A=1\nARG B=${A}2\nARG C\nARG TARGETOS\nFROM x\n");
        let g = GlobalScope::new(&df);
        assert_eq!(g.lookup("B"), Lookup::Value(Some("12".into())));
        assert_eq!(g.lookup("C"), Lookup::Value(None));
        assert_eq!(g.lookup("TARGETOS"), Lookup::Value(Some("linux".into())));
        assert_eq!(g.lookup("NOPE"), Lookup::Undefined);
        assert!(g.is_known("C") && g.is_known("BUILDARCH") && !g.is_known("NOPE"));
    }

    #[test]
    fn suggest_like_buildkit() {
        assert_eq!(
            suggest("MYARCH", ["MY_OS", "MY_ARCH"]).as_deref(),
            Some("MY_ARCH")
        );
        assert_eq!(suggest("PATH", ["PATH"]), None);
        assert_eq!(suggest("ZZZZZZ", ["PATH"]), None);
    }

    #[test]
    fn ancestry_follows_earlier_stages_only() {
        let df = crate::syntax::parse("FROM alpine AS a\nFROM A AS b\nFROM b\nFROM c AS c\n");
        let chain: Vec<_> = ancestors(&df, &df.stages[2])
            .iter()
            .map(|s| s.index)
            .collect();
        assert_eq!(chain, vec![1, 0]);
        assert!(parent_stage(&df, &df.stages[3]).is_none());
        let df = crate::syntax::parse(
            "FROM alpine AS base-amd64\nFROM base-$TARGETARCH\nFROM ubuntu:$V\n",
        );
        assert!(has_unknown_parent(&df, &df.stages[1]));
        assert!(!has_unknown_parent(&df, &df.stages[2]));
    }
}
