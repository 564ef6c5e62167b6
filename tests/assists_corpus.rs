//! Property checks of every rewrite over the corpus (`../shared/corpus/files`; skipped when
//! absent): wherever a rewrite is offered, its output parses with no syntax error, it is not
//! offered again on its own output (or is a no-op), its edits do not overlap, every
//! `COPY --from=<stage>` in the output names a stage defined before it, the output has no
//! error-severity finding the input did not have (compared as a multiset of (code, message),
//! not by position), and the rule the rewrite is the fix for (if any) fires less: DFL202 for
//! `pin-base-image`, DFL201 not at all for `non-root-user`, DFL300 for `dependency-first`,
//! DFL110 for `exec-form`.

mod support;

use dockerfile_lsp::assists::assists;
use dockerfile_lsp::config::Settings;
use dockerfile_lsp::diagnostic::apply_edits;
use dockerfile_lsp::diagnostic::{Diagnostic, Severity};
use dockerfile_lsp::lint::lint_text;
use dockerfile_lsp::syntax::{parse, Keyword, TextRange};
use std::collections::BTreeMap;
use support::{corpus_files, offered_rewrites, seed_dockerfiles, seed_files};

/// The error-severity findings as a multiset of (code, message).
fn errors(found: &[Diagnostic]) -> BTreeMap<(&'static str, String), usize> {
    let mut out = BTreeMap::new();
    for d in found.iter().filter(|d| d.severity == Severity::Error) {
        *out.entry((d.code, d.message.to_string())).or_default() += 1;
    }
    out
}

/// The rule a rewrite fixes, and whether it must disappear entirely (else fire less).
fn target_rule(id: &str) -> Option<(&'static str, bool)> {
    match id {
        "pin-base-image" => Some(("DFL202", false)),
        "non-root-user" => Some(("DFL201", true)),
        "dependency-first" => Some(("DFL300", false)),
        "exec-form" => Some(("DFL110", false)),
        _ => None,
    }
}

/// The `COPY --from=` values that do not name an earlier stage.
fn invalid_stage_refs(text: &str) -> Vec<String> {
    let file = parse(text);
    let mut bad = Vec::new();
    for ins in &file.instructions {
        let Some(from) = ins.flag("from").and_then(|f| f.value.clone()) else {
            continue;
        };
        if ins.keyword != Keyword::Copy || from.contains(['/', ':', '.', '$']) {
            continue;
        }
        let here = ins.stage.unwrap_or(0);
        let ok = match from.parse::<usize>() {
            Ok(i) => i < here,
            Err(_) => file.stages[..here]
                .iter()
                .any(|s| s.name().is_some_and(|n| n.eq_ignore_ascii_case(&from))),
        };
        if !ok {
            bad.push(from);
        }
    }
    bad.sort();
    bad
}

/// Checks every rewrite offered on `text` (see the module doc), counting offers per id.
fn check_file(
    name: &str,
    text: &str,
    offered: &mut BTreeMap<&'static str, usize>,
    failures: &mut Vec<String>,
) {
    let file = parse(text);
    if !file.errors.is_empty() {
        return;
    }
    let settings = Settings::default();
    let mut lint_before: Option<Vec<Diagnostic>> = None;
    // Cursor positions: see `support::cursors`.
    for (at, a) in offered_rewrites(&file, text) {
        *offered.entry(a.id).or_default() += 1;
        let (out, skipped) = apply_edits(text, &a.edits);
        if skipped > 0 {
            failures.push(format!("{name}: {} has overlapping edits", a.id));
            continue;
        }
        let after = parse(&out);
        if !after.errors.is_empty() {
            failures.push(format!(
                "{name}: {} output has syntax errors: {:?}",
                a.id, after.errors[0].message
            ));
            continue;
        }
        let before = invalid_stage_refs(text);
        let broken: Vec<_> = invalid_stage_refs(&out)
            .into_iter()
            .filter(|r| !before.contains(r))
            .collect();
        if !broken.is_empty() {
            failures.push(format!(
                "{name}: {}: COPY --from={broken:?} no longer names an earlier stage",
                a.id
            ));
        }
        // No new error; the targeted rule fires less.
        let before_found = lint_before.get_or_insert_with(|| lint_text(text, &settings));
        let after_found = lint_text(&out, &settings);
        let before_errors = errors(before_found);
        let new_errors: Vec<_> = errors(&after_found)
            .into_iter()
            .filter(|(k, n)| before_errors.get(k).copied().unwrap_or(0) < *n)
            .map(|(k, _)| k)
            .collect();
        if !new_errors.is_empty() {
            failures.push(format!("{name}: {} adds errors {new_errors:?}", a.id));
        }
        if let Some((code, gone)) = target_rule(a.id) {
            let count = |f: &[Diagnostic]| f.iter().filter(|d| d.code == code).count();
            let (b, n) = (count(before_found), count(&after_found));
            if (gone && n > 0) || (!gone && n >= b) {
                failures.push(format!(
                    "{name}: {} leaves {code} firing ({b} before, {n} after)",
                    a.id
                ));
            }
            // At the cursor's instruction: its finding is gone (compared by message, since
            // positions move).
            let here = file.instruction_at(at).map(|i| i.range);
            for d in before_found
                .iter()
                .filter(|d| d.code == code && here.is_some_and(|r| r.intersects(d.range)))
            {
                let with = |f: &[Diagnostic]| {
                    f.iter()
                        .filter(|x| x.code == code && x.message == d.message)
                        .count()
                };
                if with(&after_found) >= with(before_found) {
                    failures.push(format!(
                        "{name}: {} leaves {code} at the cursor: {}",
                        a.id, d.message
                    ));
                }
            }
        }
        // Not offered again, or a no-op.
        for again in assists(&after, &out, TextRange::empty(at.min(out.len())), None) {
            if again.id == a.id && again.id != "exec-form" {
                let (twice, _) = apply_edits(&out, &again.edits);
                if twice != out {
                    failures.push(format!("{name}: {} offered again with changes", a.id));
                }
            }
        }
    }
}

#[test]
fn rewrites_hold_their_properties_on_the_corpus() {
    let Some(paths) = corpus_files() else {
        eprintln!("skipping: ../shared/corpus is not present in this clone");
        return;
    };
    let mut offered: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for p in &paths {
        let text = String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned();
        let name = p.file_name().unwrap().to_string_lossy();
        check_file(&name, &text, &mut offered, &mut failures);
    }
    eprintln!("rewrites offered on the corpus: {offered:?}");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Most corpus files are official-image Dockerfiles (already multistage or not application
    // images), so some rewrites apply to few of them; each must still be exercised. No corpus
    // file builds frontend assets inside a Python/Ruby/PHP image, so `asset-stage` is covered
    // by its unit tests only (its three former corpus hits were Node apps and global tool
    // installs it now declines).
    for (id, min) in [
        ("non-root-user", 30),
        ("dev-prod-targets", 3),
        ("multistage", 1),
        ("exec-form", 5),
        ("dependency-first", 1),
        ("pin-base-image", 30),
    ] {
        let n = offered.get(id).copied().unwrap_or(0);
        assert!(
            n >= min,
            "{id} offered {n} times on the corpus, expected at least {min}: {offered:?}"
        );
    }
}

/// The same properties on the seed articles' Dockerfiles (`../shared/seeds`), which contain
/// the bugs the articles discuss (so error-severity findings exist to compare).
#[test]
fn rewrites_hold_their_properties_on_the_seeds() {
    let Some(paths) = seed_files() else {
        eprintln!("skipping: ../shared/seeds is not present in this clone");
        return;
    };
    let mut offered: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for p in &paths {
        let Ok(article) = std::fs::read_to_string(p) else {
            continue;
        };
        let stem = p.file_name().unwrap().to_string_lossy();
        for (i, text) in seed_dockerfiles(&article).iter().enumerate() {
            check_file(&format!("{stem} #{i}"), text, &mut offered, &mut failures);
        }
    }
    eprintln!("rewrites offered on the seeds: {offered:?}");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(!offered.is_empty(), "no rewrite offered on the seeds");
}
