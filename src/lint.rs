//! The lint entry point: run the enabled rules, apply configuration and suppressions, sort.
//!
//! [`lint_incremental`] is the server's path: after an edit it re-runs the rules of
//! [`Scope::Stage`] (the RUN rules — the bulk of the work — and most instruction rules) only
//! on the stages the edit may have changed and keeps their earlier findings elsewhere, keeps
//! the findings of [`Scope::Outline`] rules while the outline is unchanged, and runs the
//! [`Scope::File`] rules on the whole file.

use crate::config::Settings;
use crate::diagnostic::Diagnostic;
use crate::rules::{stage_span_at, BuildContext, Context, Scope, REGISTRY};
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
            if let Some(rule) = configured_levels
                .then(|| crate::rules::rule_by_code(d.code))
                .flatten()
            {
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

/// What findings of [`Scope::Stage`] and [`Scope::Outline`] rules may depend on outside the
/// stages an edit touched: the escape character and the global instructions, and per stage
/// its `FROM` and `SHELL` lines and stage references (`COPY --from`, `RUN --mount`) as
/// written, the names its ARG and ENV instructions declare (undefined-var takes evidence from
/// other stages), and its instructions' keyword casing votes (consistent-instruction-casing
/// follows the file's majority). Kept per stage, so that after an edit only the stages it
/// touched are fingerprinted again ([`Outline::update`]): a clean stage's text is the same.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Outline {
    globals: u64,
    stages: Vec<StageOutline>,
    /// Where each stage's `FROM` starts: an edit can change the stages far from itself (a
    /// heredoc opened by the edit swallows a `FROM` and releases another), and then no stage's
    /// findings can be kept.
    starts: Vec<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct StageOutline {
    /// SipHash of the stage's part of the outline.
    hash: u64,
    /// Keyword casing votes (see `dfl101`): all lowercase, all uppercase.
    lower: u32,
    upper: u32,
}

impl Outline {
    fn of(file: &Dockerfile, text: &str) -> Outline {
        Outline {
            globals: Outline::globals(file, text),
            stages: file
                .stages
                .iter()
                .map(|s| Outline::stage(file, text, s))
                .collect(),
            starts: file.stages.iter().map(|s| s.range.start).collect(),
        }
    }

    fn globals(file: &Dockerfile, text: &str) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        file.escape.hash(&mut h);
        for i in file.global_instructions() {
            text.get(i.range.start..i.range.end).hash(&mut h);
        }
        h.finish()
    }

    fn stage(file: &Dockerfile, text: &str, stage: &crate::syntax::Stage) -> StageOutline {
        use std::hash::{Hash, Hasher};
        let slice = |r: crate::syntax::TextRange| text.get(r.start..r.end).unwrap_or("");
        let mut h = std::collections::hash_map::DefaultHasher::new();
        let (mut lower, mut upper) = (0, 0);
        for i in file.stage_instructions(stage) {
            match crate::rules::dfl101_consistent_instruction_casing::vote(i) {
                Some(true) => lower += 1,
                Some(false) => upper += 1,
                None => {}
            }
            match i.keyword {
                Keyword::From | Keyword::Shell => slice(i.range).hash(&mut h),
                Keyword::Copy | Keyword::Add | Keyword::Run => {
                    for f in &i.flags {
                        if f.name == "from" || f.name == "mount" {
                            i.template.hash(&mut h);
                            slice(f.range).hash(&mut h);
                        }
                    }
                }
                Keyword::Arg | Keyword::Env => {
                    i.keyword.hash(&mut h);
                    for p in &i.pairs {
                        p.key.hash(&mut h);
                    }
                }
                _ => {}
            }
        }
        StageOutline {
            hash: h.finish(),
            lower,
            upper,
        }
    }

    /// The outline of `file`, which is `old`'s file after `edit`: only the stages whose span
    /// meets the edit are fingerprinted again. `None` when the stages themselves changed: the
    /// stage count, the edit reaching before the first `FROM`, or a `FROM` outside the edit
    /// not where the edit moved it (see `starts`). Equal to [`Outline::of`] otherwise.
    fn update(old: &Outline, file: &Dockerfile, text: &str, edit: TextEdit) -> Option<Outline> {
        let first_from = file.stages.first().map(|s| s.range.start);
        if old.stages.len() != file.stages.len() || first_from.is_none_or(|f| edit.start < f) {
            return None;
        }
        let moved_as_the_edit = |(&old, new): (&usize, &crate::syntax::Stage)| {
            if old < edit.start {
                old == new.range.start
            } else {
                old >= edit.old_end && old - edit.old_end + edit.new_end == new.range.start
            }
        };
        // `starts` has one entry per stage, and the counts are equal (above).
        if !old.starts.iter().zip(&file.stages).all(moved_as_the_edit) {
            return None;
        }
        let mut stages = old.stages.clone();
        let span_end = |i: usize| file.stages.get(i + 1).map_or(usize::MAX, |s| s.range.start);
        for s in &file.stages {
            if s.range.start <= edit.new_end && span_end(s.index) >= edit.start {
                if let Some(slot) = stages.get_mut(s.index) {
                    *slot = Outline::stage(file, text, s);
                }
            }
        }
        Some(Outline {
            globals: old.globals,
            stages,
            starts: file.stages.iter().map(|s| s.range.start).collect(),
        })
    }

    /// The keyword casing votes of the whole file (lowercase, uppercase).
    fn votes(&self) -> (usize, usize) {
        self.stages.iter().fold((0, 0), |(l, u), s| {
            (l + s.lower as usize, u + s.upper as usize)
        })
    }

    /// True when nothing the outline covers changed (the casing votes only through their
    /// majority).
    fn same_as(&self, other: &Outline) -> bool {
        let majority = |o: &Outline| {
            let (l, u) = o.votes();
            l > u
        };
        self.globals == other.globals
            && self.stages.len() == other.stages.len()
            && self
                .stages
                .iter()
                .zip(&other.stages)
                .all(|(a, b)| a.hash == b.hash)
            && majority(self) == majority(other)
    }
}

/// For each stage, the earlier stages it may be built `FROM` (by name as written, any stage of
/// that name, and by the name its global ARGs expand to): a rule of [`Scope::Stage`] may read
/// them, so an edit in one makes its descendants dirty too. Fixed by the outline.
fn stage_parents(file: &Dockerfile) -> Vec<Vec<usize>> {
    let mut by_name: std::collections::HashMap<String, Vec<usize>> = Default::default();
    let mut out = Vec::with_capacity(file.stages.len());
    for s in &file.stages {
        let mut parents = by_name
            .get(&s.image.text.to_ascii_lowercase())
            .cloned()
            .unwrap_or_default();
        if let Some(p) = crate::rules::stages::parent_stage(file, s) {
            if !parents.contains(&p) {
                parents.push(p);
            }
        }
        out.push(parents);
        if let Some(name) = s.name() {
            by_name
                .entry(name.to_ascii_lowercase())
                .or_default()
                .push(s.index);
        }
    }
    out
}

/// What [`lint_incremental`] keeps between runs: the findings of the [`Scope::Stage`] and
/// [`Scope::Outline`] rules (before suppressions and configured levels), each stage rule's
/// finding with the stage span it lies in, and what they were computed under.
#[derive(Clone, Debug)]
pub struct LintCache {
    outline: Outline,
    /// The build context's stamp (`Some(None)`: linted without one); `None`: not reusable.
    context: Option<Option<u64>>,
    line_count: usize,
    parents: Vec<Vec<usize>>,
    staged: Vec<(Option<usize>, Diagnostic)>,
    outlined: Vec<Diagnostic>,
}

/// Where `at` moves with `edit`, or `None` when it lies inside the replaced text (an offset
/// at either end of it stays put before the edit and moves after it).
fn moved_offset(at: usize, edit: TextEdit) -> Option<usize> {
    if at <= edit.start {
        Some(at)
    } else if at >= edit.old_end {
        Some(at.saturating_add_signed(edit.new_end as isize - edit.old_end as isize))
    } else {
        None
    }
}

/// True when the finding (its range or a fix's edit) reaches into the text `edit` replaced or
/// touches it at either end: it cannot simply be moved.
fn touches(d: &Diagnostic, edit: TextEdit) -> bool {
    let hits = |r: crate::syntax::TextRange| r.start <= edit.old_end && r.end >= edit.start;
    hits(d.range) || d.fixes.iter().flat_map(|f| &f.edits).any(|e| hits(e.range))
}

/// The finding moved with `edit` (callers check [`touches`] first).
fn moved(d: &Diagnostic, edit: TextEdit) -> Diagnostic {
    let mut d = d.clone();
    let delta = edit.new_end as isize - edit.old_end as isize;
    if d.range.start >= edit.old_end {
        d.shift(delta);
        return d;
    }
    let mv = |r: &mut crate::syntax::TextRange| {
        if let (Some(s), Some(e)) = (moved_offset(r.start, edit), moved_offset(r.end, edit)) {
            *r = crate::syntax::TextRange::new(s, e);
        }
    };
    mv(&mut d.range);
    for f in &mut d.fixes {
        for e in &mut f.edits {
            mv(&mut e.range);
        }
    }
    d
}

/// Runs `rules` with `focus` and returns their findings with the stage span each lies in,
/// keeping only those in a focused span (all of them without a focus).
fn run_staged(
    rules: &[&'static dyn crate::rules::Rule],
    base: Context<'_>,
    focus: Option<Vec<bool>>,
) -> Vec<(Option<usize>, Diagnostic)> {
    let file = base.file;
    let mut cx = base;
    cx.focus = focus.clone();
    for rule in rules {
        cx.run(*rule);
    }
    cx.finish()
        .into_iter()
        .map(|d| (stage_span_at(file, d.range.start), d))
        .filter(|(span, _)| match &focus {
            None => true,
            Some(f) => span.is_some_and(|s| f.get(s).copied().unwrap_or(false)),
        })
        .collect()
}

/// [`lint`] for a file that is `previous`'s file after `edit` (in the same settings): equal to
/// `lint`, cheaper when the outline is unchanged. Rules of [`Scope::Stage`] re-run only on the
/// stages the edit may have changed ([`dirty_stages`]), rules of [`Scope::Outline`] not at all
/// (their findings move with the edit), rules of [`Scope::File`] on everything. Returns the
/// findings and the cache for the next call.
pub fn lint_incremental(
    file: &Dockerfile,
    text: &str,
    settings: &Settings,
    build_context: Option<&dyn BuildContext>,
    previous: Option<(&LintCache, TextEdit)>,
) -> (Vec<Diagnostic>, LintCache) {
    let updated =
        previous.and_then(|(cache, edit)| Outline::update(&cache.outline, file, text, edit));
    // The stages changed (or there is no previous lint): nothing is kept.
    let restaged = updated.is_none();
    let outline = updated.unwrap_or_else(|| Outline::of(file, text));
    // Tests run debug builds: every incremental outline they cause is checked.
    debug_assert!(
        outline == Outline::of(file, text),
        "incremental outline differs after {:?}",
        previous.map(|p| p.1)
    );
    let votes = outline.votes();
    let context = match build_context {
        None => Some(None),
        Some(b) => b.stamp().map(Some),
    };
    let line_count = file.lines.line_count();
    let enabled = |scope: Scope| -> Vec<&'static dyn crate::rules::Rule> {
        REGISTRY
            .iter()
            .copied()
            .filter(|r| r.meta().scope == scope && settings.is_enabled(r.meta()))
            .collect()
    };
    let new_cx = || {
        let mut cx = Context::new(file, text, settings, build_context);
        cx.casing_votes = Some(votes);
        cx
    };

    let mut cx = new_cx();
    for rule in enabled(Scope::File) {
        cx.run(rule);
    }
    let mut found = cx.finish();

    let first_from = file.stages.first().map(|s| s.range.start);
    let reuse = previous.filter(|(cache, edit)| {
        !restaged
            && context.is_some()
            && cache.context.is_some()
            && cache.outline.same_as(&outline)
            && cache.parents.len() == file.stages.len()
            && first_from.is_some_and(|f| edit.start >= f)
    });
    let stage_rules = enabled(Scope::Stage);
    let outline_rules = enabled(Scope::Outline);
    let (staged, outlined, parents) = match reuse {
        None => {
            let staged = run_staged(&stage_rules, new_cx(), None);
            let mut cx = new_cx();
            for rule in &outline_rules {
                cx.run(*rule);
            }
            (staged, cx.finish(), stage_parents(file))
        }
        Some((cache, edit)) => {
            // Another build context (the server renews its memo every few seconds): the
            // rules reading it run on every stage, the others reuse what they can.
            let renewed = cache.context != context;
            let renewed_rule = |code: &str| {
                renewed && crate::rules::rule_by_code(code).is_some_and(|r| r.meta().reads_context)
            };
            let lines_moved = cache.line_count != line_count
                || text
                    .get(edit.start..edit.new_end)
                    .is_some_and(|t| t.contains(['\n', '\r']));
            let cites = |d: &Diagnostic| {
                crate::rules::rule_by_code(d.code).is_some_and(|r| r.meta().cites_lines)
            };
            let mut dirty = dirty_stages(file, edit);
            for (span, d) in &cache.staged {
                if let Some(s) = *span {
                    if !dirty[s] && touches(d, edit) {
                        dirty[s] = true;
                    }
                }
            }
            for (i, parents) in cache.parents.iter().enumerate() {
                if !dirty[i]
                    && parents
                        .iter()
                        .any(|p| dirty.get(*p).copied().unwrap_or(false))
                {
                    dirty[i] = true;
                }
            }
            // Clean stages after the edit, where line numbers in messages moved.
            let tail: Vec<bool> = file
                .stages
                .iter()
                .map(|s| lines_moved && !dirty[s.index] && s.range.start >= edit.new_end)
                .collect();
            let mut staged: Vec<(Option<usize>, Diagnostic)> = cache
                .staged
                .iter()
                .filter(|(span, d)| {
                    !renewed_rule(d.code)
                        && match *span {
                            None => true,
                            Some(s) => !(dirty[s] || (tail[s] && cites(d))),
                        }
                })
                .map(|(span, d)| (*span, moved(d, edit)))
                .collect();
            let (everywhere, focused): (Vec<_>, Vec<_>) = stage_rules
                .iter()
                .copied()
                .partition(|r| renewed && r.meta().reads_context);
            staged.extend(run_staged(&focused, new_cx(), Some(dirty)));
            staged.extend(run_staged(&everywhere, new_cx(), None));
            if tail.contains(&true) {
                let citing: Vec<_> = focused
                    .iter()
                    .copied()
                    .filter(|r| r.meta().cites_lines)
                    .collect();
                staged.extend(run_staged(&citing, new_cx(), Some(tail)));
            }
            staged.sort_by_key(|(_, d)| (d.range.start, d.range.end, d.code));

            // Outline rules: kept, unless a finding is in the way of the edit or cites lines
            // that moved.
            let mut rerun: Vec<&str> = cache
                .outlined
                .iter()
                .filter(|d| touches(d, edit))
                .map(|d| d.code)
                .collect();
            if lines_moved {
                rerun.extend(
                    outline_rules
                        .iter()
                        .filter(|r| r.meta().cites_lines)
                        .map(|r| r.meta().code),
                );
            }
            let mut outlined: Vec<Diagnostic> = cache
                .outlined
                .iter()
                .filter(|d| !rerun.contains(&d.code))
                .map(|d| moved(d, edit))
                .collect();
            let mut cx = new_cx();
            for rule in outline_rules
                .iter()
                .filter(|r| rerun.contains(&r.meta().code))
            {
                cx.run(*rule);
            }
            outlined.extend(cx.finish());
            (staged, outlined, cache.parents.clone())
        }
    };
    found.extend(staged.iter().map(|(_, d)| d.clone()));
    found.extend(outlined.iter().cloned());
    let cache = LintCache {
        outline,
        context,
        line_count,
        parents,
        staged,
        outlined,
    };
    (finish(file, settings, found), cache)
}

/// The stages an edit may have changed — those overlapping it, and the ones right before and
/// after (an edit at a line start can join the previous stage's last instruction; a comment
/// right above a `FROM` lies in the previous stage's span) — by stage index.
fn dirty_stages(file: &Dockerfile, edit: TextEdit) -> Vec<bool> {
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
    for slot in focus.iter_mut().take(last + 2).skip(first) {
        *slot = true;
    }
    focus
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

    /// Stages built FROM earlier ones, far apart (so "the stages next to the edit" do not
    /// cover them): what a descendant inherits (WORKDIR, SHELL, ARG/ENV) comes from the text
    /// of its ancestors. `$ONLY3` in `other1` is declared only in `other3`: evidence
    /// undefined-var (a file-scope rule) takes from another stage.
    const CHAIN: &str = "ARG BASE=debian:12\nFROM ${BASE} AS base\nWORKDIR /app\nSHELL [\"/bin/bash\", \"-c\"]\nENV A=1\n\nFROM alpine:3 AS other1\nRUN echo 1\nWORKDIR /$ONLY3\n\nFROM alpine:3 AS other2\nRUN echo 2\n\nFROM base AS child\nCOPY a b\nCMD run $A\n\nFROM alpine:3 AS other3\nCOPY --from=child /x /y\nARG ONLY3\n\nFROM child\nWORKDIR rel\nCOPY c d\nCMD go\nUSER app\n";

    /// Lints every edit position of `fixture` (a few inserts and deletions each) incrementally
    /// and in full, with every rule on.
    fn check_every_edit(fixture: &str) {
        let settings = Settings::every_rule();
        let old = parse(fixture);
        let (_, cache) = lint_incremental(&old, fixture, &settings, None, None);
        let mut checked = 0;
        for start in (0..=fixture.len()).filter(|i| fixture.is_char_boundary(*i)) {
            for (len, insert) in [(0, "x"), (1, ""), (0, "\n"), (4, ""), (0, "WORKDIR /w\n")] {
                let end = (start + len).min(fixture.len());
                if !fixture.is_char_boundary(end) {
                    continue;
                }
                let mut text = fixture.to_string();
                text.replace_range(start..end, insert);
                let edit = TextEdit::new(start, end, start + insert.len());
                let new = reparse(old.clone(), &text, edit);
                let (got, _) = lint_incremental(&new, &text, &settings, None, Some((&cache, edit)));
                let full = lint(&parse(&text), &text, &settings, None);
                assert_eq!(got, full, "edit {edit:?} -> {text:?}");
                checked += 1;
            }
        }
        assert!(checked > fixture.len());
    }

    #[test]
    fn edits_in_an_ancestor_stage_relint_its_descendants() {
        check_every_edit(CHAIN);
    }

    /// Found by the `edit` fuzz target: a heredoc opened by the edit swallows the next `FROM`
    /// and the `RUN` that held another heredoc, whose body then holds a `FROM` no longer. The
    /// stage count stays, the stages do not: nothing may be kept.
    #[test]
    fn an_edit_that_swallows_one_from_and_releases_another_relints_everything() {
        let fixture = "FROM alpine:3 AS one\nRUN echo hi\nFROM alpine:3 AS two\nRUN cat <<END\nEOF\nFROM debian:12 AS three\nUSER root\nEND\n";
        let settings = Settings::every_rule();
        let old = parse(fixture);
        assert_eq!(old.stages.len(), 2);
        let (_, cache) = lint_incremental(&old, fixture, &settings, None, None);
        let at = fixture.find("echo hi").unwrap() + "echo hi".len();
        let mut text = fixture.to_string();
        text.insert_str(at, " <<EOF");
        let edit = TextEdit::new(at, at, at + " <<EOF".len());
        let new = reparse(old, &text, edit);
        assert_eq!(
            new.stages.len(),
            2,
            "still two stages, but not the same two"
        );
        assert_eq!(new.stages[1].name(), Some("three"));
        let (got, _) = lint_incremental(&new, &text, &settings, None, Some((&cache, edit)));
        assert_eq!(got, lint(&parse(&text), &text, &settings, None));
        check_every_edit(fixture);
    }

    /// As many lowercase as uppercase keywords: an edit in one stage flips the majority that
    /// consistent-instruction-casing reports against in every stage.
    #[test]
    fn edits_that_flip_the_casing_majority_relint_every_stage() {
        check_every_edit(
            "FROM alpine:3 AS a\nrun echo a\n\nfrom alpine:3 AS b\nRUN echo b\n\nFROM alpine:3\nrun echo c\ncopy x /y\nCOPY z /w\n",
        );
    }

    /// A build context where exactly the paths in `present` exist.
    struct Ctx {
        present: &'static [&'static str],
        stamp: u64,
    }
    impl BuildContext for Ctx {
        fn dockerignore(&self) -> Option<String> {
            None
        }
        fn path_exists(&self, path: &str) -> bool {
            self.present.contains(&path)
        }
        fn stamp(&self) -> Option<u64> {
            Some(self.stamp)
        }
    }

    #[test]
    fn a_renewed_build_context_is_asked_again_everywhere() {
        let settings = Settings::default();
        let text = "FROM debian:12 AS a\nCOPY app.py /app/\n\nFROM debian:12\nRUN echo 1\n";
        let before = Ctx {
            present: &[],
            stamp: 1,
        };
        let after = Ctx {
            present: &["app.py"],
            stamp: 2,
        };
        let old = parse(text);
        let (found, cache) = lint_incremental(&old, text, &settings, Some(&before), None);
        assert!(found.iter().any(|d| d.code == "DFL400"));
        // An edit in the other stage, under a renewed context: the COPY is checked again.
        let at = text.find("echo 1").unwrap_or(0) + 5;
        let mut new_text = text.to_string();
        new_text.insert(at, '2');
        let edit = TextEdit::new(at, at, at + 1);
        let new = reparse(old.clone(), &new_text, edit);
        let (got, _) = lint_incremental(
            &new,
            &new_text,
            &settings,
            Some(&after),
            Some((&cache, edit)),
        );
        assert_eq!(
            got,
            lint(&parse(&new_text), &new_text, &settings, Some(&after))
        );
        assert!(!got.iter().any(|d| d.code == "DFL400"));
        // The same context: its answers are kept.
        let (got, _) = lint_incremental(
            &new,
            &new_text,
            &settings,
            Some(&before),
            Some((&cache, edit)),
        );
        assert!(got.iter().any(|d| d.code == "DFL400"));
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
