//! Runs the BuildKit build checks (DFL1xx) over ../shared/corpus: no panics, and a count of
//! findings per rule (printed with `--nocapture`) for the sanity review.

use dockerfile_lsp::config::{RuleSetting, Settings};
use dockerfile_lsp::rules::REGISTRY;
use std::collections::BTreeMap;

#[test]
fn buildkit_rules_on_corpus() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/files");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("note: {} is missing; skipping", dir.display());
        return;
    };
    let mut settings = Settings::default();
    for r in REGISTRY {
        let code = r.meta().code;
        if code.starts_with("DFL1") {
            settings.rules.insert(
                code.to_string(),
                RuleSetting {
                    enabled: Some(true),
                    ..RuleSetting::default()
                },
            );
        } else {
            settings.ignored.push(code.to_string());
        }
    }
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let show = std::env::var("SHOW_RULE").ok();
    for path in &paths {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        for d in dockerfile_lsp::lint::lint_text(&text, &settings) {
            *counts.entry(d.code).or_default() += 1;
            if show.as_deref() == Some(d.code) {
                let line = text[..d.range.start.min(text.len())].matches('\n').count() + 1;
                let name = path.file_name().unwrap_or_default().to_string_lossy();
                eprintln!("{name}:{line}: {}", d.message);
            }
        }
    }
    eprintln!("{} files", paths.len());
    for (code, n) in &counts {
        eprintln!("{code} {n}");
    }
}
