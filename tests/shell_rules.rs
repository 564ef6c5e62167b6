//! The RUN shell rules (DFL3xx, DFL45x) on real input: the seed articles in
//! `../shared/seeds` (their ```docker blocks), the corpus in `../shared/corpus`, and a large
//! RUN for speed. Tests that need `../shared` skip with a note when it is missing.

use dockerfile_lsp::config::Settings;
use dockerfile_lsp::diagnostic::Diagnostic;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn shared(sub: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(sub);
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipping: ../shared/{sub} is not present in this clone");
        None
    }
}

fn is_shell_rule(code: &str) -> bool {
    let n: u32 = code.get(3..).and_then(|n| n.parse().ok()).unwrap_or(0);
    (300..400).contains(&n) || (450..500).contains(&n)
}

fn lint_shell(text: &str) -> Vec<Diagnostic> {
    dockerfile_lsp::lint::lint_text(text, &Settings::default())
        .into_iter()
        .filter(|d| is_shell_rule(d.code))
        .collect()
}

/// With `SHELLCHECK=1` (and `shellcheck` on PATH) the corpus run includes the shellcheck rule.
fn corpus_runner() -> Option<dockerfile_lsp::shellcheck::ProcessRunner> {
    std::env::var_os("SHELLCHECK")?;
    dockerfile_lsp::shellcheck::ProcessRunner::from_path()
}

/// ```docker fenced blocks (indented fences dedented).
fn docker_blocks(article: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for line in article.lines() {
        let indent = line.len() - line.trim_start().len();
        let t = line.trim_start();
        match current.as_mut() {
            None => {
                if let Some(info) = t.strip_prefix("```") {
                    if info.trim().eq_ignore_ascii_case("docker")
                        || info.trim().eq_ignore_ascii_case("dockerfile")
                    {
                        current = Some((indent, String::new()));
                    }
                }
            }
            Some((ind, body)) => {
                if t.starts_with("```") {
                    out.push(std::mem::take(body));
                    current = None;
                } else {
                    body.push_str(line.get(*ind..).unwrap_or(line.trim_start()));
                    body.push('\n');
                }
            }
        }
    }
    out
}

#[test]
fn seeds_misspelled_option_and_misordered_copy() {
    let Some(dir) = shared("seeds") else { return };
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let mut misspelled_expected = 0;
    let mut misspelled_found = 0;
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for f in files {
        let article = std::fs::read_to_string(&f).unwrap();
        for (i, block) in docker_blocks(&article).iter().enumerate() {
            let diags = lint_shell(block);
            for d in &diags {
                *counts.entry(d.code).or_default() += 1;
                let (l, _) = dockerfile_lsp::syntax::LineIndex::new(block).line_col(d.range.start);
                eprintln!(
                    "{} block {i} line {}: {} {}",
                    f.file_name().unwrap().to_string_lossy(),
                    l + 1,
                    d.code,
                    d.message
                );
            }
            if block.contains("--no-install recommends") {
                misspelled_expected += 1;
                if diags.iter().any(|d| {
                    d.name == "misspelled-package-option"
                        && d.message.contains("--no-install-recommends")
                }) {
                    misspelled_found += 1;
                }
            }
            // A whole-context COPY followed by a manifest-only install must be caught.
            let file = dockerfile_lsp::syntax::parse(block);
            let mut saw_whole_copy = false;
            let mut expect = false;
            for ins in &file.instructions {
                let a = ins.args_text();
                if matches!(
                    ins.keyword_text.to_ascii_uppercase().as_str(),
                    "COPY" | "ADD"
                ) && ins.flag("from").is_none()
                    && (a.starts_with(". ") || a.starts_with("./ "))
                {
                    saw_whole_copy = true;
                }
                if saw_whole_copy
                    && ins.keyword_text.eq_ignore_ascii_case("RUN")
                    && [
                        "npm ci",
                        "npm install",
                        "-r requirements",
                        "go mod download",
                        "bundle install",
                        "yarn install",
                        "poetry install",
                        "composer install",
                    ]
                    .iter()
                    .any(|s| a.contains(s))
                {
                    expect = true;
                }
            }
            if expect {
                assert!(
                    diags.iter().any(|d| d.name == "misordered-copy"),
                    "misordered COPY not caught in {} block {i}:\n{block}",
                    f.display()
                );
            }
        }
    }
    eprintln!("seed findings per rule: {counts:?}");
    assert!(
        misspelled_expected > 0,
        "the seeds no longer contain the split option"
    );
    assert_eq!(misspelled_found, misspelled_expected);
}

#[test]
fn corpus_counts() {
    let Some(dir) = shared("corpus/files") else {
        return;
    };
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let show = std::env::var("SHOW_RULE").ok();
    let runner = corpus_runner();
    for f in &files {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        let diags: Vec<Diagnostic> = match &runner {
            Some(r) => {
                let file = dockerfile_lsp::syntax::parse(&text);
                dockerfile_lsp::lint::lint_with(&file, &text, &Settings::default(), None, Some(r))
                    .into_iter()
                    .filter(|d| is_shell_rule(d.code))
                    .collect()
            }
            None => lint_shell(&text),
        };
        let mut seen = std::collections::BTreeSet::new();
        for d in &diags {
            let e = counts.entry(d.name).or_default();
            e.0 += 1;
            if seen.insert(d.name) {
                e.1 += 1;
            }
            if show.as_deref() == Some(d.name) || show.as_deref() == Some(d.code) {
                let (l, _) = dockerfile_lsp::syntax::LineIndex::new(&text).line_col(d.range.start);
                let line = text.lines().nth(l).unwrap_or("");
                eprintln!(
                    "{}:{}: {}\n    | {}",
                    f.file_name().unwrap().to_string_lossy(),
                    l + 1,
                    d.message,
                    line.trim()
                );
            }
        }
    }
    eprintln!("{} files; findings (total, files) per rule:", files.len());
    for (name, (n, nf)) in &counts {
        eprintln!("  {name:32} {n:6} {nf:5}");
    }
}

/// A 3,000-line RUN: one long install with package lists, pipes and substitutions, as large
/// generated Dockerfiles have (≈ 100 KB).
fn large_run() -> String {
    let mut text = String::from("FROM debian:12\nRUN set -eux \\\n");
    for i in 0..3000 {
        let line = match i % 10 {
            0 => format!("  && apt-get install -y --no-install-recommends pkg{i}=1.0 \\\n"),
            5 => format!(
                "  && curl -fsSL https://example.com/{i}.sh | sh -s -- --v $(uname -m) \\\n"
            ),
            _ => format!("      lib{i}-dev \\\n"),
        };
        text.push_str(&line);
    }
    text.push_str("  && true\n");
    text
}

#[test]
fn large_run_is_fast() {
    let text = large_run();
    // Best of ten (the machine is shared); parse + every rule, the shell index included.
    let mut elapsed = std::time::Duration::MAX;
    let mut findings = 0;
    for _ in 0..10 {
        let start = std::time::Instant::now();
        findings = lint_shell(&text).len();
        elapsed = elapsed.min(start.elapsed());
    }
    eprintln!(
        "3,000-line RUN ({} KB): {findings} findings in {elapsed:?}",
        text.len() / 1024
    );
    // Unoptimised builds (tree-sitter's C code at -O0) only guard against quadratic blowups.
    let budget = if cfg!(debug_assertions) { 10_000 } else { 30 };
    assert!(
        elapsed.as_millis() <= budget,
        "3,000-line RUN took {elapsed:?} (budget {budget} ms)"
    );
}
