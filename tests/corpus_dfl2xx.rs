//! Runs the DFL2xx rules (opt-in ones included) over `../shared/corpus/files`: no panic, and
//! per-rule counts on stderr (`--nocapture`). `DFL2XX_SAMPLES=<n>` also prints the first n
//! findings of each rule. Skips when the corpus is not there.

use dockerfile_lsp::config::{RuleSetting, Settings};
use dockerfile_lsp::rules::REGISTRY;
use std::collections::BTreeMap;
use std::path::Path;

#[test]
fn dfl2xx_rules_over_corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/files");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("note: {} not found; skipping", dir.display());
        return;
    };
    let mut files: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    files.sort();
    let mut settings = Settings::default();
    for r in REGISTRY {
        let m = r.meta();
        settings.rules.insert(
            m.code.to_string(),
            RuleSetting {
                enabled: Some(m.code.starts_with("DFL2")),
                ..RuleSetting::default()
            },
        );
    }
    settings.trusted_registries = vec!["docker.io".into(), "mcr.microsoft.com".into()];
    let samples: usize = std::env::var("DFL2XX_SAMPLES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut shown: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &files {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        let diags = dockerfile_lsp::lint::lint_text(&text, &settings);
        let li = dockerfile_lsp::syntax::LineIndex::new(&text);
        let mut seen_in_file = std::collections::BTreeSet::new();
        for d in diags {
            let c = counts.entry(d.code).or_default();
            c.0 += 1;
            if seen_in_file.insert(d.code) {
                c.1 += 1;
            }
            let n = shown.entry(d.code).or_default();
            if *n < samples {
                *n += 1;
                let (l, _) = li.line_col(d.range.start);
                let line = text.lines().nth(l).unwrap_or("").trim();
                eprintln!(
                    "{} {}:{}: {}\n    | {line}",
                    d.code,
                    f.file_name().unwrap().to_string_lossy(),
                    l + 1,
                    d.message
                );
            }
        }
    }
    eprintln!("{} files", files.len());
    for (code, (n, nf)) in &counts {
        eprintln!("{code}: {n} findings in {nf} files");
    }
}
