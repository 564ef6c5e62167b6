//! Fixture tests for the DFL2xx rules: `tests/fixtures/dfl2xx/<code>/invalid_*.Dockerfile`
//! must trigger the rule (the output is an insta snapshot), `valid_*.Dockerfile` must not.
//! An optional `settings.json` in the folder holds LSP-style settings for that rule.

use dockerfile_lsp::config::{settings_from_json, RuleSetting};
use dockerfile_lsp::diagnostic::Diagnostic;
use dockerfile_lsp::syntax::LineIndex;
use std::path::Path;

fn render(text: &str, diags: &[Diagnostic]) -> String {
    let li = LineIndex::new(text);
    let pos = |o: usize| {
        let (l, c) = li.line_col(o);
        format!("{}:{}", l + 1, c + 1)
    };
    let mut out = String::new();
    for d in diags {
        out.push_str(&format!(
            "{}-{} {} {:?} {}\n",
            pos(d.range.start),
            pos(d.range.end),
            d.code,
            d.severity,
            d.message
        ));
        for f in &d.fixes {
            out.push_str(&format!("  fix ({:?}): {}\n", f.applicability, f.title));
            for e in &f.edits {
                out.push_str(&format!(
                    "    {}-{} => {:?}\n",
                    pos(e.range.start),
                    pos(e.range.end),
                    e.text
                ));
            }
        }
    }
    out
}

#[test]
fn dfl2xx_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dfl2xx");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty());
    for dir in dirs {
        let code = dir
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_ascii_uppercase();
        let code = &code[..6];
        let json = std::fs::read_to_string(dir.join("settings.json"))
            .map(|t| serde_json::from_str(&t).unwrap())
            .unwrap_or(serde_json::Value::Null);
        let (mut settings, warnings) = settings_from_json(&json);
        assert!(warnings.is_empty(), "{warnings:?}");
        // Enable the rule under the id the settings already use for it, if any.
        let key = settings
            .rules
            .keys()
            .find(|k| dockerfile_lsp::rules::find_rule(k).is_some_and(|r| r.meta().code == code))
            .cloned()
            .unwrap_or_else(|| code.to_string());
        settings
            .rules
            .entry(key)
            .or_insert_with(RuleSetting::default)
            .enabled = Some(true);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "Dockerfile"))
            .collect();
        files.sort();
        let mut seen_invalid = false;
        for file in files {
            let stem = file.file_stem().unwrap().to_string_lossy().to_string();
            let text = std::fs::read_to_string(&file).unwrap();
            let diags: Vec<_> = dockerfile_lsp::lint::lint_text(&text, &settings)
                .into_iter()
                .filter(|d| d.code == code)
                .collect();
            if stem.starts_with("invalid") {
                seen_invalid = true;
                assert!(!diags.is_empty(), "{code} {stem}: nothing reported");
                insta::assert_snapshot!(format!("{code}__{stem}"), render(&text, &diags));
            } else {
                assert!(
                    diags.is_empty(),
                    "{code} {stem}: reported on a valid fixture:\n{}",
                    render(&text, &diags)
                );
            }
        }
        assert!(seen_invalid, "{code}: no invalid fixture");
    }
}
