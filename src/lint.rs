//! The lint entry point: run the enabled rules, apply configuration and suppressions, sort.
//!
//! [`lint_incremental`] is the server's path: after an edit it re-runs the RUN rules (the
//! bulk of the work: one pass per rule over every analysed shell command) only on the stages
//! the edit touched, and keeps their earlier findings elsewhere. Everything else runs on the
//! whole file each time.

use crate::config::Settings;
use crate::diagnostic::Diagnostic;
use crate::rules::{BuildContext, Context, RuleMeta, REGISTRY};
use crate::suppress::Suppressions;
use crate::syntax::incremental::{Shift, TextEdit};
use crate::syntax::{Dockerfile, Keyword};

/// Lints a parsed file. Deterministic: sorted by position, then code.
pub fn lint(
    file: &Dockerfile,
    text: &str,
    settings: &Settings,
    build_context: Option<&dyn BuildContext>,
) -> Vec<Diagnostic> {
    lint_with(file, text, settings, build_context, None)
}

/// [`lint`] with a ShellCheck runner for the `shellcheck` rule (the CLI and the server pass
/// [`crate::shellcheck::ProcessRunner`] when `shellcheck` is on PATH and enabled).
pub fn lint_with(
    file: &Dockerfile,
    text: &str,
    settings: &Settings,
    build_context: Option<&dyn BuildContext>,
    shellcheck: Option<&dyn crate::shellcheck::ShellCheckRunner>,
) -> Vec<Diagnostic> {
    let mut cx = Context::new(file, text, settings, build_context);
    cx.shellcheck = shellcheck;
    for rule in REGISTRY {
        if settings.is_enabled(rule.meta()) {
            cx.run(*rule);
        }
    }
    finish(file, settings, cx.finish())
}

/// Suppressions, configured severities, order.
fn finish(file: &Dockerfile, settings: &Settings, found: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let suppressions = Suppressions::new(file);
    let configured_levels = !settings.rules.is_empty();
    let mut out: Vec<Diagnostic> = found
        .into_iter()
        .filter(|d| !suppressions.is_suppressed(d))
        .map(|mut d| {
            if let Some(rule) = crate::rules::rule_by_code(d.code).filter(|_| configured_levels) {
                // Only a configured level overrides: some rules (shellcheck) report each
                // finding with its own severity.
                let configured = settings.severity(rule.meta());
                if configured != rule.meta().severity {
                    d.severity = configured;
                }
            }
            d
        })
        .collect();
    out.sort_by(|a, b| {
        (a.range.start, a.range.end, a.code).cmp(&(b.range.start, b.range.end, b.code))
    });
    out.dedup();
    out
}

/// Parses and lints `text`.
pub fn lint_text(text: &str, settings: &Settings) -> Vec<Diagnostic> {
    let file = crate::syntax::parse(text);
    lint(&file, text, settings, None)
}

/// The rules that analyse RUN scripts through [`Context::shell`] (DFL3xx, DFL450). Each of
/// their findings lies in the stage of the instruction it is about and depends only on that
/// stage's text, the SHELL the stage inherits, whether the stage ships in the final image,
/// and the global ARGs — what [`Outline`] captures for the other stages.
fn is_run_rule(meta: &RuleMeta) -> bool {
    meta.code.starts_with("DFL3") || meta.code == "DFL450"
}

/// What the RUN rules' findings in one stage may depend on outside that stage: the escape
/// character, the global instructions, and every stage's name, base image and FROM/SHELL
/// instructions (which decide inherited shells and which stages ship) — as a 64-bit SipHash
/// fingerprint, computed without allocating (it runs per keystroke over every stage).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Outline(u64);

impl Outline {
    fn of(file: &Dockerfile) -> Outline {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        file.escape.hash(&mut h);
        for i in file.global_instructions() {
            i.text.text.hash(&mut h);
        }
        for s in &file.stages {
            0xff_u8.hash(&mut h);
            if let Some(name) = s.name() {
                for b in name.bytes() {
                    b.to_ascii_lowercase().hash(&mut h);
                }
            }
            s.image.text.hash(&mut h);
            for i in file.stage_instructions(s) {
                if matches!(i.keyword, Keyword::Shell | Keyword::From) {
                    i.text.text.hash(&mut h);
                }
            }
        }
        Outline(h.finish())
    }
}

/// What [`lint_incremental`] keeps between runs: the RUN rules' findings (before
/// suppressions and configured levels) and the outline they were computed under.
#[derive(Clone, Debug)]
pub struct LintCache {
    run_findings: Vec<Diagnostic>,
    outline: Outline,
    line_count: usize,
}

/// RUN rules whose messages cite line numbers of the stage: when an edit adds or removes
/// lines, their findings after it are recomputed, not moved.
const CITE_LINES: &[&str] = &["DFL300", "DFL321", "DFL326"];

/// [`lint`] for a file that is `previous`'s file after `edit` (in the same settings and build
/// context): equal to `lint`, cheaper when the edit stays inside a few stages and leaves the
/// outline alone. Returns the findings and the cache for the next call.
pub fn lint_incremental(
    file: &Dockerfile,
    text: &str,
    settings: &Settings,
    build_context: Option<&dyn BuildContext>,
    previous: Option<(&LintCache, TextEdit)>,
) -> (Vec<Diagnostic>, LintCache) {
    let outline = Outline::of(file);
    let reuse = previous.filter(|(cache, _)| cache.outline == outline);
    let line_count = file.lines.line_count();
    let mut after = None;
    let (focus, kept) = match reuse {
        Some((cache, edit)) => {
            let (focus, from, to) = dirty_stages(file, edit);
            let lines_moved = cache.line_count != line_count;
            if lines_moved {
                // The stages after the dirty ones, for the rules that cite line numbers.
                let mut tail = vec![false; focus.len()];
                if let Some(last) = focus.iter().rposition(|f| *f) {
                    for slot in tail.iter_mut().skip(last + 1) {
                        *slot = true;
                    }
                }
                after = Some(tail);
            }
            // Findings before the dirty stages stay; those after them move with the edit.
            let delta = edit.new_end as isize - edit.old_end as isize;
            let old_to = to.saturating_add_signed(-delta);
            let mut kept = Vec::new();
            for d in &cache.run_findings {
                if d.range.start < from {
                    kept.push(d.clone());
                } else if d.range.start >= old_to
                    && to != usize::MAX
                    && !(lines_moved && CITE_LINES.contains(&d.code))
                {
                    let mut d = d.clone();
                    d.shift(delta);
                    kept.push(d);
                }
            }
            (Some(focus), kept)
        }
        None => (None, Vec::new()),
    };

    let mut cx = Context::new(file, text, settings, build_context);
    for rule in REGISTRY {
        if settings.is_enabled(rule.meta()) && !is_run_rule(rule.meta()) {
            cx.run(*rule);
        }
    }
    let mut found = cx.finish();

    let mut cx = Context::new(file, text, settings, build_context);
    cx.focus = focus;
    for rule in REGISTRY {
        if settings.is_enabled(rule.meta()) && is_run_rule(rule.meta()) {
            cx.run(*rule);
        }
    }
    let mut run_findings = kept;
    run_findings.extend(cx.finish());
    if let Some(tail) = after {
        let mut cx = Context::new(file, text, settings, build_context);
        cx.focus = Some(tail);
        for rule in REGISTRY {
            let meta = rule.meta();
            if settings.is_enabled(meta) && CITE_LINES.contains(&meta.code) {
                cx.run(*rule);
            }
        }
        run_findings.extend(cx.finish());
    }
    run_findings.sort_by_key(|d| (d.range.start, d.range.end, d.code));

    found.extend(run_findings.iter().cloned());
    let cache = LintCache {
        run_findings,
        outline,
        line_count,
    };
    (finish(file, settings, found), cache)
}

/// The stages an edit may have changed — those overlapping it, and the one before (an edit at
/// a line start can join that stage's last instruction) — by stage index, with the source
/// range they span: from the first one's FROM to the next clean stage's FROM (`usize::MAX`
/// when they run to the end).
fn dirty_stages(file: &Dockerfile, edit: TextEdit) -> (Vec<bool>, usize, usize) {
    let n = file.stages.len();
    let mut focus = vec![false; n];
    // A stage spans from its FROM to the next stage's FROM.
    let span_end = |i: usize| file.stages.get(i + 1).map_or(usize::MAX, |s| s.range.start);
    let first = file
        .stages
        .iter()
        .position(|s| span_end(s.index) >= edit.start)
        .unwrap_or(n.saturating_sub(1));
    let first = first.saturating_sub(1);
    let mut last = first;
    for i in first..n {
        if file
            .stages
            .get(i)
            .is_some_and(|s| s.range.start > edit.new_end)
        {
            break;
        }
        last = i;
    }
    for slot in focus.iter_mut().take(last + 1).skip(first) {
        *slot = true;
    }
    let from = file.stages.get(first).map_or(0, |s| s.range.start);
    (focus, from.min(edit.start), span_end(last))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::incremental::reparse;
    use crate::syntax::parse;

    /// Lints `old`, applies the edit, and checks the incremental lint against a full one.
    fn check(old_text: &str, start: usize, end: usize, insert: &str) -> Vec<Diagnostic> {
        let settings = Settings::default();
        let old = parse(old_text);
        let (_, cache) = lint_incremental(&old, old_text, &settings, None, None);
        let mut text = old_text.to_string();
        text.replace_range(start..end, insert);
        let edit = TextEdit::new(start, end, start + insert.len());
        let new = reparse(old, &text, edit);
        let (got, _) = lint_incremental(&new, &text, &settings, None, Some((&cache, edit)));
        assert_eq!(got, lint(&parse(&text), &text, &settings, None));
        got
    }

    const TWO_STAGES: &str = "FROM debian:12 AS a\nRUN apt-get install -y --no-install-recommends git\n\nFROM debian:12\nRUN curl -fsSL https://x/a -o /a\nRUN wget -q https://x/b\n";

    #[test]
    fn line_numbers_in_later_stages_follow_added_lines() {
        let at = TWO_STAGES.find("\n\n").unwrap_or(0);
        let found = check(TWO_STAGES, at, at, "\n\n");
        assert!(found
            .iter()
            .any(|d| d.code == "DFL321" && d.message.contains("line 7")));
        check(TWO_STAGES, at, at + 1, "");
    }

    #[test]
    fn edits_in_one_stage_keep_the_others_findings() {
        let at = TWO_STAGES.find("git").unwrap_or(0);
        let found = check(TWO_STAGES, at, at + 3, "curl");
        assert!(found.iter().any(|d| d.code == "DFL301"));
        assert!(found.iter().any(|d| d.code == "DFL321"));
        // Renaming a stage changes the outline: everything is recomputed.
        let at = TWO_STAGES.find("AS a").unwrap_or(0);
        check(TWO_STAGES, at + 3, at + 4, "b");
    }
}
