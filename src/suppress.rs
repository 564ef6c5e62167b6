//! Suppression pragmas, compatible with hadolint and BuildKit:
//!
//! * `# hadolint ignore=DL3008,DL3015` / `# dockerfile-lsp ignore=<code|name>,…` on the
//!   comment lines directly above an instruction: ignored for that instruction.
//! * `# hadolint global ignore=…` / `# dockerfile-lsp global ignore=…` anywhere: whole file.
//! * `# check=skip=Rule1,Rule2` parser directive (BuildKit): whole file; `skip=all` skips
//!   every BuildKit check.
//!
//! Ids match a rule's code, name or any equivalent (DL code, BuildKit name).

use crate::diagnostic::Diagnostic;
use crate::rules::find_rule;
use crate::syntax::{Dockerfile, TextRange};

/// What is suppressed in one file.
#[derive(Debug, Default)]
pub struct Suppressions {
    global: Vec<String>,
    skip_all_buildkit: bool,
    /// (instruction range, ids)
    local: Vec<(TextRange, Vec<String>)>,
}

fn ids(list: &str) -> Vec<String> {
    list.split([',', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Parses `hadolint ignore=…` / `dockerfile-lsp global ignore=…` from a comment's text.
/// Returns (global, ids).
pub fn parse_pragma(comment: &str) -> Option<(bool, Vec<String>)> {
    let t = comment.trim();
    let rest = t
        .strip_prefix("hadolint")
        .or_else(|| t.strip_prefix("dockerfile-lsp"))?
        .trim_start();
    let (global, rest) = match rest.strip_prefix("global") {
        Some(r) => (true, r.trim_start()),
        None => (false, rest),
    };
    let list = rest
        .strip_prefix("ignore")?
        .trim_start()
        .strip_prefix('=')?;
    Some((global, ids(list)))
}

impl Suppressions {
    pub fn new(file: &Dockerfile) -> Suppressions {
        let mut s = Suppressions::default();
        if let Some(d) = file.directive("check") {
            for part in d.value.split(';') {
                if let Some(list) = part.trim().strip_prefix("skip=") {
                    for id in ids(list) {
                        if id.eq_ignore_ascii_case("all") {
                            s.skip_all_buildkit = true;
                        } else {
                            s.global.push(id);
                        }
                    }
                }
            }
        }
        for c in &file.comments {
            let Some((global, list)) = parse_pragma(&c.text) else {
                continue;
            };
            if global {
                s.global.extend(list);
                continue;
            }
            // Applies to the next instruction when only comments/blank lines are between.
            let next = file
                .instructions
                .iter()
                .find(|i| i.range.start > c.range.end);
            if let Some(ins) = next {
                let between = file.comments.iter().all(|o| {
                    o.range.start <= c.range.end
                        || o.range.start >= ins.range.start
                        || !o.in_continuation
                });
                if between {
                    s.local.push((ins.range, list));
                }
            }
        }
        s
    }

    /// Ids given in pragmas that name no rule.
    pub fn unknown_ids(&self) -> Vec<String> {
        self.global
            .iter()
            .chain(self.local.iter().flat_map(|(_, l)| l.iter()))
            .filter(|id| find_rule(id).is_none())
            .cloned()
            .collect()
    }

    pub fn is_suppressed(&self, d: &Diagnostic) -> bool {
        let Some(rule) = find_rule(d.code) else {
            return false;
        };
        let meta = rule.meta();
        if self.skip_all_buildkit && meta.buildkit_name().is_some() {
            return true;
        }
        // A finding's own equivalents count too (`# hadolint ignore=SC2086` for a shellcheck
        // finding).
        let named = |id: &String| {
            meta.is_named(id)
                || d.equivalents
                    .iter()
                    .any(|e| e.eq_ignore_ascii_case(id.trim()))
        };
        if self.global.iter().any(named) {
            return true;
        }
        self.local
            .iter()
            .any(|(r, list)| r.contains_inclusive(d.range.start) && list.iter().any(named))
    }
}
