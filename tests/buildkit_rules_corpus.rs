//! Runs the BuildKit build checks (DFL1xx) over ../shared/corpus: no panics, and a count of
//! findings per rule (printed with `--nocapture`) for the sanity review.

use dockerfile_lsp::config::{RuleSetting, Settings};
use dockerfile_lsp::rules::REGISTRY;
use std::collections::BTreeMap;

#[test]
fn buildkit_rules_on_corpus() {
    let dir = match std::env::var_os("BUILDKIT_CORPUS_DIR") {
        Some(d) => std::path::PathBuf::from(d),
        None => std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/files"),
    };
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
        let diags = dockerfile_lsp::lint::lint_text(&text, &settings);
        if std::env::var_os("TIME_RULES").is_some() {
            let file = dockerfile_lsp::syntax::parse(&text);
            for r in REGISTRY
                .iter()
                .filter(|r| r.meta().code.starts_with("DFL1"))
            {
                let mut one = Settings::default();
                for o in REGISTRY {
                    if o.meta().code != r.meta().code {
                        one.ignored.push(o.meta().code.to_string());
                    }
                }
                one.rules = settings.rules.clone();
                let t = std::time::Instant::now();
                let _ = dockerfile_lsp::lint::lint(&file, &text, &one, None);
                eprintln!("{} {:?}", r.meta().code, t.elapsed());
            }
            continue;
        }
        check_safe_fixes(path, &text, &diags, &settings);
        for d in diags {
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

/// Applying a rule's safe fixes must not add syntax errors and must remove the findings.
fn check_safe_fixes(
    path: &std::path::Path,
    text: &str,
    diags: &[dockerfile_lsp::diagnostic::Diagnostic],
    settings: &Settings,
) {
    use dockerfile_lsp::diagnostic::{apply_edits, Applicability};
    let codes: std::collections::BTreeSet<&str> = diags.iter().map(|d| d.code).collect();
    for code in codes {
        let edits: Vec<_> = diags
            .iter()
            .filter(|d| d.code == code)
            .flat_map(|d| d.fixes.iter())
            .filter(|f| f.applicability == Applicability::Safe)
            .flat_map(|f| f.edits.iter().cloned())
            .collect();
        if edits.is_empty() {
            continue;
        }
        let before = diags.iter().filter(|d| d.code == code).count();
        let (fixed, _) = apply_edits(text, &edits);
        let errors = |t: &str| dockerfile_lsp::syntax::parse(t).errors.len();
        assert!(
            errors(&fixed) <= errors(text),
            "{code} safe fixes add syntax errors in {}",
            path.display()
        );
        if code == "DFL111" {
            // Rewriting legacy ENV/LABEL must keep every key and value.
            let pairs = |t: &str| {
                dockerfile_lsp::syntax::parse(t)
                    .instructions
                    .iter()
                    .flat_map(|i| i.pairs.iter().map(|p| (p.key.clone(), p.value.clone())))
                    .collect::<Vec<_>>()
            };
            assert_eq!(
                pairs(text),
                pairs(&fixed),
                "DFL111 fix changed values in {}",
                path.display()
            );
        }
        let after = dockerfile_lsp::lint::lint_text(&fixed, settings)
            .iter()
            .filter(|d| d.code == code)
            .count();
        assert!(
            after < before,
            "{code} safe fixes do not remove findings in {} ({before} -> {after})",
            path.display()
        );
    }
}
