//! Before/after snapshots of every rewrite (`refactor.rewrite` assist), as unified diffs:
//!
//! * per rewrite id, on the first 30 corpus files (`../shared/corpus/files`, sorted by name,
//!   files with syntax errors skipped) where it is offered, at the same cursors as
//!   `tests/assists_corpus.rs`, taking the first instance offered in a file;
//! * per seed article (`../shared/seeds/*`), on each of its Dockerfiles (fenced or not),
//!   the first instance of every rewrite offered.
//!
//! Snapshots hold only the diffs (a few lines of context), never whole files. Skipped, with a
//! note, when `../shared` is missing.
//!
//! The corpus is mostly official-image Dockerfiles, so some rewrites apply to fewer than 30
//! files: `exec-form` (12), `multistage` (5), `dev-prod-targets` (4), `dependency-first` (1)
//! and `asset-stage` (none: no corpus file builds frontend assets inside a Python/Ruby/PHP
//! image). `non-root-user` (439) and `pin-base-image` (65) show their first 30. The header of
//! each snapshot says how many files it was offered on.

mod support;

use dockerfile_lsp::diagnostic::apply_edits;
use dockerfile_lsp::syntax::{parse, LineIndex};
use similar::TextDiff;
use std::collections::BTreeMap;
use support::{corpus_files, offered_rewrites, seed_dockerfiles, seed_files};

const IDS: &[&str] = &[
    "asset-stage",
    "dependency-first",
    "dev-prod-targets",
    "exec-form",
    "multistage",
    "non-root-user",
    "pin-base-image",
];

const PER_REWRITE: usize = 30;

/// `=== name line N: title` and the unified diff of the rewrite.
fn section(name: &str, text: &str, at: usize, title: &str, out: &str) -> String {
    let line = LineIndex::new(text).line_col(at).0 + 1;
    let diff = TextDiff::from_lines(text, out)
        .unified_diff()
        .context_radius(3)
        .header("before", "after")
        .to_string();
    format!("=== {name} (cursor on line {line}): {title}\n{diff}\n")
}

#[test]
fn rewrite_diffs_on_the_corpus() {
    let Some(paths) = corpus_files() else {
        eprintln!("note: ../shared/corpus is not present in this clone; skipping");
        return;
    };
    let mut diffs: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut files_offered: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &paths {
        let text = String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned();
        let file = parse(&text);
        if !file.errors.is_empty() {
            continue;
        }
        let name = p.file_name().unwrap().to_string_lossy();
        let mut done = Vec::new();
        for (at, a) in offered_rewrites(&file, &text) {
            if done.contains(&a.id) {
                continue;
            }
            done.push(a.id);
            *files_offered.entry(a.id).or_default() += 1;
            let list = diffs.entry(a.id).or_default();
            if list.len() < PER_REWRITE {
                let (out, skipped) = apply_edits(&text, &a.edits);
                assert_eq!(skipped, 0, "{name}: {} has overlapping edits", a.id);
                list.push(section(&name, &text, at, &a.title, &out));
            }
        }
    }
    eprintln!("corpus files each rewrite is offered on: {files_offered:?}");
    for id in IDS {
        let list = diffs.remove(id).unwrap_or_default();
        let n = files_offered.get(id).copied().unwrap_or(0);
        let head = format!(
            "# {id}: offered on {n} corpus files; the first {} shown\n\n",
            list.len()
        );
        insta::assert_snapshot!(format!("corpus_{id}"), head + &list.concat());
    }
    assert!(diffs.is_empty(), "rewrites without a snapshot: {diffs:?}");
}

#[test]
fn rewrite_diffs_on_the_seeds() {
    let Some(paths) = seed_files() else {
        eprintln!("note: ../shared/seeds is not present in this clone; skipping");
        return;
    };
    for p in &paths {
        let Ok(article) = std::fs::read_to_string(p) else {
            continue;
        };
        let stem = p.file_stem().unwrap().to_string_lossy().to_string();
        let mut snap = String::new();
        for (i, text) in seed_dockerfiles(&article).iter().enumerate() {
            let file = parse(text);
            let mut done = Vec::new();
            for (at, a) in offered_rewrites(&file, text) {
                if done.contains(&a.id) {
                    continue;
                }
                done.push(a.id);
                let (out, skipped) = apply_edits(text, &a.edits);
                assert_eq!(skipped, 0, "{stem} #{i}: {} has overlapping edits", a.id);
                snap.push_str(&section(
                    &format!("Dockerfile #{i} [{}]", a.id),
                    text,
                    at,
                    &a.title,
                    &out,
                ));
            }
        }
        if snap.is_empty() {
            snap = "(no Dockerfile, or no rewrite offered)\n".into();
        }
        insta::assert_snapshot!(format!("seed_{stem}"), snap);
    }
}
