//! Suppression pragmas, compatible with hadolint and BuildKit:
//!
//! * `# hadolint ignore=DL3008,DL3015` / `# dockerfile-lsp ignore=<code|name>,…` in the block
//!   of comment lines directly above an instruction (no blank line between; several pragma
//!   lines and ordinary comments may be stacked): ignored for that instruction only.
//! * `# check=skip=Rule1,Rule2` in that same block: the same, BuildKit's spelling.
//! * `# hadolint global ignore=…` / `# dockerfile-lsp global ignore=…` anywhere: whole file.
//! * `# check=skip=Rule1,Rule2` parser directive (BuildKit, first lines of the file): whole
//!   file; `skip=all` skips every rule that has a BuildKit equivalent.
//!
//! Ids match a rule's code, name or any equivalent (DL code, BuildKit name), case-insensitive.
//! Ids that name nothing are reported by rule DFL010 (`unknown-rule-id`).

use crate::diagnostic::Diagnostic;
use crate::rules::find_rule;
use crate::syntax::{Dockerfile, TextRange};
use std::collections::BTreeMap;

/// Which kind of pragma a comment holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PragmaKind {
    /// `hadolint ignore=` / `dockerfile-lsp ignore=`: the next instruction.
    Ignore,
    /// `hadolint global ignore=` / `dockerfile-lsp global ignore=`: the whole file.
    GlobalIgnore,
    /// `check=skip=`: the whole file as a parser directive, else the next instruction.
    CheckSkip,
}

/// A parsed pragma comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pragma {
    pub kind: PragmaKind,
    /// `hadolint`, `dockerfile-lsp` or `check`.
    pub tool: &'static str,
    /// Each id with its byte range in the text given to [`parse_pragma_line`].
    pub ids: Vec<(String, TextRange)>,
}

/// BuildKit's build check names (`docker build --check`), so that `check=skip=` and config
/// files may name checks dockerfile-lsp does not implement without a warning.
pub const BUILDKIT_CHECKS: &[&str] = &[
    "ConsistentInstructionCasing",
    "CopyIgnoredFile",
    "DuplicateStageName",
    "ExposeInvalidFormat",
    "ExposeProtoCasing",
    "FromAsCasing",
    "FromPlatformFlagConstDisallowed",
    "InvalidBaseImagePlatform",
    "InvalidDefaultArgInFrom",
    "InvalidDefinitionDescription",
    "JSONArgsRecommended",
    "LegacyKeyValueFormat",
    "MaintainerDeprecated",
    "MultipleInstructionsDisallowed",
    "NoEmptyContinuation",
    "RedundantTargetPlatform",
    "ReservedStageName",
    "SecretsUsedInArgOrEnv",
    "StageNameCasing",
    "UndefinedArgInFrom",
    "UndefinedVar",
    "WorkdirRelativePath",
];

/// True for ids of other tools that dockerfile-lsp may not implement: hadolint (`DL3008`),
/// ShellCheck (`SC2086`) and BuildKit check names (with or without `BuildKit:`).
pub fn is_foreign_rule_id(id: &str) -> bool {
    let id = id.trim();
    let numbered = |prefix: &str| {
        id.get(..2).is_some_and(|p| p.eq_ignore_ascii_case(prefix))
            && id.len() == 6
            && id.bytes().skip(2).all(|b| b.is_ascii_digit())
    };
    let bk = id.strip_prefix("BuildKit:").unwrap_or(id);
    numbered("DL") || numbered("SC") || BUILDKIT_CHECKS.iter().any(|c| c.eq_ignore_ascii_case(bk))
}

/// True when `id` names one of our rules or a known rule of hadolint, ShellCheck or BuildKit.
pub fn is_known_rule_id(id: &str) -> bool {
    find_rule(id).is_some() || is_foreign_rule_id(id)
}

/// Splits a comma-separated id list starting at `from` in `text`. Spaces around commas are
/// allowed; the list ends at the first space that is not next to a comma, so
/// `ignore=DL3008 pinned elsewhere` yields only `DL3008`.
fn id_list(text: &str, from: usize) -> Vec<(String, TextRange)> {
    let mut out = Vec::new();
    let rest = text.get(from..).unwrap_or("");
    let mut pos = 0;
    let bytes = rest.as_bytes();
    loop {
        while bytes.get(pos).is_some_and(|b| *b == b' ' || *b == b'\t') {
            pos += 1;
        }
        let start = pos;
        while bytes
            .get(pos)
            .is_some_and(|b| !matches!(b, b' ' | b'\t' | b',' | b';'))
        {
            pos += 1;
        }
        if pos > start {
            if let Some(id) = rest.get(start..pos) {
                out.push((id.to_string(), TextRange::new(from + start, from + pos)));
            }
        }
        let mut look = pos;
        while bytes.get(look).is_some_and(|b| *b == b' ' || *b == b'\t') {
            look += 1;
        }
        if bytes.get(look) == Some(&b',') {
            pos = look + 1;
        } else {
            break;
        }
    }
    out
}

fn skip_ws(text: &str, pos: usize) -> usize {
    let rest = text.get(pos..).unwrap_or("");
    pos + (rest.len() - rest.trim_start().len())
}

/// Strips `word` at `pos` (ASCII case-insensitive), returning the position after it.
fn keyword(text: &str, pos: usize, word: &str) -> Option<usize> {
    let got = text.get(pos..pos + word.len())?;
    got.eq_ignore_ascii_case(word).then_some(pos + word.len())
}

/// Parses a pragma from a comment, with or without its leading `#`. Returns `None` for an
/// ordinary comment.
pub fn parse_pragma_line(text: &str) -> Option<Pragma> {
    let mut pos = skip_ws(text, 0);
    if text.get(pos..).is_some_and(|t| t.starts_with('#')) {
        pos = skip_ws(text, pos + 1);
    }
    // `check=skip=A,B;error=true`
    if let Some(after) = keyword(text, pos, "check") {
        let eq = skip_ws(text, after);
        if text.get(eq..).is_some_and(|t| t.starts_with('=')) {
            let mut ids = Vec::new();
            let mut part_start = eq + 1;
            let value = text.get(part_start..).unwrap_or("");
            for part in value.split(';') {
                let p = skip_ws(text, part_start);
                if let Some(after_skip) = keyword(text, p, "skip") {
                    let e = skip_ws(text, after_skip);
                    if text.get(e..).is_some_and(|t| t.starts_with('=')) {
                        ids.extend(id_list(text, e + 1));
                    }
                }
                part_start += part.len() + 1;
            }
            return Some(Pragma {
                kind: PragmaKind::CheckSkip,
                tool: "check",
                ids,
            });
        }
        return None;
    }
    let (tool, after_tool) = if let Some(p) = keyword(text, pos, "hadolint") {
        ("hadolint", p)
    } else if let Some(p) = keyword(text, pos, "dockerfile-lsp") {
        ("dockerfile-lsp", p)
    } else {
        return None;
    };
    // The tool name must be a whole word.
    if !text
        .get(after_tool..)
        .is_some_and(|t| t.starts_with([' ', '\t']))
    {
        return None;
    }
    let mut p = skip_ws(text, after_tool);
    let mut kind = PragmaKind::Ignore;
    if let Some(after) = keyword(text, p, "global") {
        if text
            .get(after..)
            .is_some_and(|t| t.starts_with([' ', '\t']))
        {
            kind = PragmaKind::GlobalIgnore;
            p = skip_ws(text, after);
        }
    }
    let after_ignore = keyword(text, p, "ignore")?;
    let eq = skip_ws(text, after_ignore);
    if !text.get(eq..).is_some_and(|t| t.starts_with('=')) {
        return None;
    }
    Some(Pragma {
        kind,
        tool,
        ids: id_list(text, eq + 1),
    })
}

/// Parses `hadolint ignore=…` / `dockerfile-lsp global ignore=…` from a comment's text.
/// Returns (global, ids). `check=skip=` comments are not included (see [`parse_pragma_line`]).
pub fn parse_pragma(comment: &str) -> Option<(bool, Vec<String>)> {
    let p = parse_pragma_line(comment)?;
    let global = match p.kind {
        PragmaKind::Ignore => false,
        PragmaKind::GlobalIgnore => true,
        PragmaKind::CheckSkip => return None,
    };
    Some((global, p.ids.into_iter().map(|(id, _)| id).collect()))
}

/// Ids suppressed in one scope.
#[derive(Debug, Default)]
struct Scope {
    ids: Vec<String>,
    all_buildkit: bool,
}

impl Scope {
    fn is_empty(&self) -> bool {
        self.ids.is_empty() && !self.all_buildkit
    }

    fn add(&mut self, pragma: Pragma) {
        for (id, _) in pragma.ids {
            if pragma.kind == PragmaKind::CheckSkip && id.eq_ignore_ascii_case("all") {
                self.all_buildkit = true;
            } else {
                self.ids.push(id);
            }
        }
    }

    /// `equivalents` are the finding's own (`SC2086` for a shellcheck finding), which count
    /// as well as the rule's (`# hadolint ignore=SC2086`).
    fn suppresses(
        &self,
        meta: &crate::rules::RuleMeta,
        equivalents: &crate::diagnostic::Equivalents,
    ) -> bool {
        (self.all_buildkit && meta.buildkit_name().is_some())
            || self.ids.iter().any(|id| {
                meta.is_named(id)
                    || equivalents
                        .iter()
                        .any(|e| e.eq_ignore_ascii_case(id.trim()))
            })
    }
}

/// What is suppressed in one file.
#[derive(Debug, Default)]
pub struct Suppressions {
    global: Scope,
    /// (instruction range, what is suppressed in it)
    local: Vec<(TextRange, Scope)>,
}

impl Suppressions {
    pub fn new(file: &Dockerfile) -> Suppressions {
        let mut s = Suppressions::default();
        if let Some(d) = file.directive("check") {
            if let Some(p) = parse_pragma_line(&format!("check={}", d.value)) {
                s.global.add(p);
            }
        }
        // Pragmas first: without one for the next instruction (the usual case) there is no
        // local scope, and the comment lines need not be indexed.
        let mut any_local = false;
        for c in file.comments.iter().filter(|c| !c.in_continuation) {
            let Some(p) = parse_pragma_line(&c.text) else {
                continue;
            };
            if p.kind == PragmaKind::GlobalIgnore {
                s.global.add(p);
            } else if !file.directives.iter().any(|d| d.range == c.range) {
                any_local = true;
            }
        }
        // Comment lines outside instructions, by line number (pragmas for the next
        // instruction with their text, other comments empty).
        let mut by_line: BTreeMap<usize, &str> = BTreeMap::new();
        for c in file
            .comments
            .iter()
            .filter(|c| any_local && !c.in_continuation)
        {
            let local = parse_pragma_line(&c.text).is_some_and(|p| {
                p.kind != PragmaKind::GlobalIgnore
                    && !file.directives.iter().any(|d| d.range == c.range)
            });
            by_line.insert(
                file.lines.line_col(c.range.start).0,
                if local { &c.text } else { "" },
            );
        }
        // Without a pragma comment for the next instruction (the usual case) no instruction
        // has a local scope: skip looking above each of them.
        let instructions = if any_local {
            &file.instructions[..]
        } else {
            &[]
        };
        for ins in instructions {
            let mut scope = Scope::default();
            let mut line = file.lines.line_col(ins.range.start).0;
            while line > 0 {
                line -= 1;
                let Some(text) = by_line.get(&line) else {
                    break;
                };
                if let Some(p) = parse_pragma_line(text) {
                    scope.add(p);
                }
            }
            if !scope.ids.is_empty() || scope.all_buildkit {
                s.local.push((ins.range, scope));
            }
        }
        s
    }

    pub fn is_suppressed(&self, d: &Diagnostic) -> bool {
        if self.local.is_empty() && self.global.is_empty() {
            return false;
        }
        let Some(rule) = find_rule(d.code) else {
            return false;
        };
        let meta = rule.meta();
        if self.global.suppresses(meta, &d.equivalents) {
            return true;
        }
        self.local.iter().any(|(r, scope)| {
            r.contains_inclusive(d.range.start) && scope.suppresses(meta, &d.equivalents)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Settings;

    /// The codes reported, among the rules these tests use (other rules may fire too).
    fn codes(text: &str) -> Vec<&'static str> {
        crate::lint::lint_text(text, &Settings::default())
            .into_iter()
            .map(|d| d.code)
            .filter(|c| matches!(*c, "DFL001" | "DFL005" | "DFL106"))
            .collect()
    }

    fn ids(p: &Pragma) -> Vec<&str> {
        p.ids.iter().map(|(id, _)| id.as_str()).collect()
    }

    #[test]
    fn parses_every_pragma_form() {
        let p = parse_pragma_line("# hadolint ignore=DL3008,DL3015").unwrap();
        assert_eq!(p.kind, PragmaKind::Ignore);
        assert_eq!(p.tool, "hadolint");
        assert_eq!(ids(&p), ["DL3008", "DL3015"]);
        let p = parse_pragma_line("#dockerfile-lsp ignore = unknown-flag , DFL001").unwrap();
        assert_eq!(ids(&p), ["unknown-flag", "DFL001"]);
        let p = parse_pragma_line("hadolint global ignore=DL3059").unwrap();
        assert_eq!(p.kind, PragmaKind::GlobalIgnore);
        assert_eq!(ids(&p), ["DL3059"]);
        let p = parse_pragma_line("# check=skip=JSONArgsRecommended,all;error=true").unwrap();
        assert_eq!(p.kind, PragmaKind::CheckSkip);
        assert_eq!(ids(&p), ["JSONArgsRecommended", "all"]);
        let p = parse_pragma_line("# check=error=true;skip=UndefinedVar").unwrap();
        assert_eq!(ids(&p), ["UndefinedVar"]);
        // Text after the list is a remark, not ids.
        let p = parse_pragma_line("# hadolint ignore=DL3008 pinned by the base image").unwrap();
        assert_eq!(ids(&p), ["DL3008"]);
        assert!(parse_pragma_line("# install the hadolint binary").is_none());
        assert!(parse_pragma_line("# hadolintignore=DL3008").is_none());
        assert!(parse_pragma_line("# checksum=abc").is_none());
    }

    #[test]
    fn id_ranges_point_into_the_text() {
        let t = "# hadolint ignore=DL3008, DFL001";
        let p = parse_pragma_line(t).unwrap();
        for (id, r) in &p.ids {
            assert_eq!(&t[r.start..r.end], id);
        }
    }

    #[test]
    fn legacy_parse_pragma() {
        assert_eq!(
            parse_pragma("hadolint global ignore=A,B"),
            Some((true, vec!["A".into(), "B".into()]))
        );
        assert_eq!(parse_pragma("check=skip=A"), None);
    }

    const BAD: &str = "FROM alpine\nRUNN true\n";

    #[test]
    fn unsuppressed_finding_is_reported() {
        assert_eq!(codes(BAD), ["DFL001"]);
    }

    #[test]
    fn ignore_above_the_instruction() {
        for pragma in [
            "# hadolint ignore=DFL001",
            "# dockerfile-lsp ignore=unknown-instruction",
            "# dockerfile-lsp ignore=dfl001",
            "# check=skip=DFL001",
        ] {
            let t = format!("FROM alpine\n{pragma}\nRUNN true\n");
            assert!(codes(&t).is_empty(), "{pragma}");
        }
    }

    #[test]
    fn stacked_pragmas_and_comments_apply() {
        let t = "FROM alpine\n# hadolint ignore=DL3008\n# dockerfile-lsp ignore=DFL001\n# why: legacy\nRUNN --bogus true\n";
        assert!(codes(t).is_empty());
    }

    #[test]
    fn pragma_applies_to_the_next_instruction_only() {
        let t = "FROM alpine\n# dockerfile-lsp ignore=DFL001\nRUNN true\nRUNN false\n";
        assert_eq!(codes(t), ["DFL001"]);
        // A blank line breaks "directly above".
        let t = "FROM alpine\n# dockerfile-lsp ignore=DFL001\n\nRUNN true\n";
        assert_eq!(codes(t), ["DFL001"]);
        // Another rule's id does not suppress.
        let t = "FROM alpine\n# dockerfile-lsp ignore=DFL005\nRUNN true\n";
        assert_eq!(codes(t), ["DFL001"]);
    }

    #[test]
    fn global_ignore_anywhere() {
        let t = "FROM alpine\nRUNN true\nRUNN false\n# hadolint global ignore=DFL001\n";
        assert!(codes(t).is_empty());
        let t = "# dockerfile-lsp global ignore=unknown-instruction\nFROM alpine\nRUNN true\n";
        assert!(codes(t).is_empty());
    }

    #[test]
    fn check_skip_directive_is_global() {
        let t = "# check=skip=DFL001\nFROM alpine\nRUN true\nRUNN true\n";
        assert!(codes(t).is_empty());
    }

    #[test]
    fn check_skip_all_only_skips_buildkit_checks() {
        // DFL001 has no BuildKit equivalent: `skip=all` leaves it.
        let t = "FROM alpine:3.20 as build\nRUNN true\n";
        assert_eq!(codes(t), ["DFL106", "DFL001"]);
        let t = "# check=skip=all\nFROM alpine:3.20 as build\nRUNN true\n";
        assert_eq!(codes(t), ["DFL001"]);
        let t = "# check=skip=FromAsCasing\nFROM alpine:3.20 as build\nRUNN true\n";
        assert_eq!(codes(t), ["DFL001"]);
        let bk = crate::rules::RuleMeta {
            code: "DFL999",
            name: "test-rule",
            severity: crate::diagnostic::Severity::Warning,
            default_enabled: true,
            fix: crate::rules::FixKind::None,
            equivalents: &["BuildKit:UndefinedVar"],
            tags: &[],
            docs: "",
            scope: crate::rules::Scope::File,
            cites_lines: false,
            reads_context: false,
        };
        let mut scope = Scope::default();
        scope.add(parse_pragma_line("check=skip=all").unwrap());
        assert!(scope.suppresses(&bk, &Default::default()));
        let other = crate::rules::RuleMeta {
            equivalents: &["DL3000"],
            ..bk
        };
        assert!(!scope.suppresses(&other, &Default::default()));
        assert!(!Scope::default().suppresses(&other, &vec!["SC2086".to_string()].into()));
        let mut sc = Scope::default();
        sc.add(parse_pragma_line("hadolint ignore=sc2086").unwrap());
        assert!(sc.suppresses(&other, &vec!["SC2086".to_string()].into()));
    }

    #[test]
    fn pragma_inside_a_continuation_is_not_a_pragma_for_the_next_instruction() {
        let t = "FROM alpine\nRUN true \\\n# dockerfile-lsp ignore=DFL001\n  && false\nRUNN true\n";
        assert_eq!(codes(t), ["DFL001"]);
    }

    #[test]
    fn foreign_ids_are_known() {
        assert!(is_known_rule_id("DL3008"));
        assert!(is_known_rule_id("sc2086"));
        assert!(is_known_rule_id("JSONArgsRecommended"));
        assert!(is_known_rule_id("BuildKit:UndefinedVar"));
        assert!(is_known_rule_id("unknown-instruction"));
        assert!(!is_known_rule_id("DL30080"));
        assert!(!is_known_rule_id("no-such-rule"));
    }
}
