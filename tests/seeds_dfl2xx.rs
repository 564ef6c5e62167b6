//! Lints the Dockerfiles embedded in the seed articles (`../shared/seeds/*.txt`, fenced as
//! ```` ```docker ```` or ```` ```dockerfile ````, possibly indented) and checks that the
//! stage-reference bugs they contain are reported with a did-you-mean and a safe fix.
//! Skips when the seeds are not there.

use dockerfile_lsp::config::Settings;
use dockerfile_lsp::diagnostic::{Applicability, Diagnostic};
use std::path::Path;

/// The ```docker / ```dockerfile blocks of `text`, dedented.
fn docker_blocks(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    let mut skip_block = false;
    for line in text.lines() {
        let t = line.trim();
        if let Some(info) = t.strip_prefix("```") {
            if skip_block {
                skip_block = false;
                continue;
            }
            match current.take() {
                Some(lines) => {
                    let indent = lines
                        .iter()
                        .filter(|l| !l.trim().is_empty())
                        .map(|l| l.len() - l.trim_start().len())
                        .min()
                        .unwrap_or(0);
                    let body: Vec<&str> = lines
                        .iter()
                        .map(|l| l.get(indent..).unwrap_or("").trim_end())
                        .collect();
                    out.push(body.join("\n") + "\n");
                }
                None => {
                    let lang = info.trim().to_ascii_lowercase();
                    if lang == "docker" || lang == "dockerfile" {
                        current = Some(Vec::new());
                    } else {
                        // Another language's block: skip to its end.
                        skip_block = true;
                    }
                }
            }
            continue;
        }
        if let Some(lines) = current.as_mut() {
            lines.push(line);
        }
    }
    out
}

#[test]
fn seed_stage_reference_bugs_are_reported() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("note: {} not found; skipping", dir.display());
        return;
    };
    let mut files: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    files.sort();
    let settings = Settings::default();
    let mut all: Vec<(String, String, Diagnostic)> = Vec::new();
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        for (i, block) in docker_blocks(&text).into_iter().enumerate() {
            for d in dockerfile_lsp::lint::lint_text(&block, &settings) {
                let li = dockerfile_lsp::syntax::LineIndex::new(&block);
                let line = li.line_col(d.range.start).0 + 1;
                eprintln!("{name} block {i} line {line}: {} {}", d.code, d.message);
                all.push((name.clone(), block.clone(), d));
            }
        }
    }
    if all.is_empty() {
        eprintln!("note: no Dockerfile blocks found in the seeds; skipping");
        return;
    }
    let caught = |bad: &str, good: &str| {
        all.iter().any(|(_, block, d)| {
            d.code == "DFL204"
                && d.message.contains(&format!("'{bad}'"))
                && d.message.contains(&format!("Did you mean stage '{good}'"))
                && d.fixes.iter().any(|f| {
                    f.applicability == Applicability::Safe
                        && f.edits.iter().any(|e| {
                            e.text == good && block.get(e.range.start..e.range.end) == Some(bad)
                        })
                })
        })
    };
    assert!(
        caught("assets", "frontend"),
        "COPY --from=assets not reported"
    );
    assert!(
        caught("builder", "build"),
        "COPY --from=builder not reported"
    );
}
