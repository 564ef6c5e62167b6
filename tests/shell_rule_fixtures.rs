//! Fixture tests for the RUN shell rules: `tests/fixtures/shell/<rule-name>/invalid_*` must
//! trigger the rule (the output, fixes included, is snapshotted), `valid_*` must stay silent.

use dockerfile_lsp::config::Settings;
use dockerfile_lsp::diagnostic::{apply_edits, Diagnostic};
use dockerfile_lsp::rules::REGISTRY;
use dockerfile_lsp::syntax::LineIndex;
use std::path::Path;

/// Runs only the rule named `name`.
fn run_rule(name: &str, text: &str) -> Vec<Diagnostic> {
    let settings = Settings {
        ignored: REGISTRY
            .iter()
            .map(|r| r.meta())
            .filter(|m| m.name != name)
            .map(|m| m.code.to_string())
            .collect(),
        ..Settings::default()
    };
    dockerfile_lsp::lint::lint_text(text, &settings)
}

fn render(text: &str, diags: &[Diagnostic]) -> String {
    let li = LineIndex::new(text);
    let mut out = String::new();
    for d in diags {
        let (l1, c1) = li.line_col(d.range.start);
        let (l2, c2) = li.line_col(d.range.end);
        out.push_str(&format!(
            "{}:{}-{}:{} {} [{}] {}\n",
            l1 + 1,
            c1 + 1,
            l2 + 1,
            c2 + 1,
            d.code,
            text.get(d.range.start..d.range.end).unwrap_or("?"),
            d.message
        ));
        for f in &d.fixes {
            let (fixed, _) = apply_edits(text, &f.edits);
            let changed: Vec<&str> = fixed
                .lines()
                .filter(|l| !text.lines().any(|o| o == *l))
                .collect();
            out.push_str(&format!(
                "    fix ({:?}) {}: {}\n",
                f.applicability,
                f.title,
                changed.join(" / ")
            ));
        }
    }
    out
}

#[test]
fn shell_rule_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/shell");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    dirs.sort();
    let mut failures = Vec::new();
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        assert!(
            REGISTRY.iter().any(|r| r.meta().name == name),
            "fixture folder {name} names no rule"
        );
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        files.sort();
        let mut snapshot = String::new();
        for f in files {
            let fname = f.file_name().unwrap().to_string_lossy().to_string();
            let text = std::fs::read_to_string(&f).unwrap();
            let diags = run_rule(&name, &text);
            if fname.starts_with("valid") {
                if !diags.is_empty() {
                    failures.push(format!(
                        "{name}/{fname} must be silent:\n{}",
                        render(&text, &diags)
                    ));
                }
            } else {
                if diags.is_empty() {
                    failures.push(format!("{name}/{fname} reported nothing"));
                }
                snapshot.push_str(&format!("== {fname}\n{}", render(&text, &diags)));
            }
        }
        insta::assert_snapshot!(name.clone(), snapshot);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
