//! Corpus tests: every file in `../shared/corpus` parses without panic and without a syntax
//! error, except the files that are broken on purpose (listed in the corpus README).
//! A clone without `../shared` skips these tests and says so.

use std::path::{Path, PathBuf};

fn corpus_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipping: ../shared/corpus is not present in this clone");
        None
    }
}

fn corpus_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for sub in ["files", "large"] {
        let Ok(rd) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "Dockerfile") {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}

/// Files that are not valid Dockerfiles on purpose (corpus README, "Files that are odd on
/// purpose"), each with the reason. Any other file must produce no syntax error.
const BROKEN_ON_PURPOSE: &[(&str, &str)] = &[
    ("0028--", "caddy template: Go template placeholders"),
    ("0029--", "caddy template: Go template placeholders"),
    ("0081--", "docker-library template: jq {{ }} placeholders"),
    ("0084--", "docker-library template: jq {{ }} placeholders"),
    ("0091--", "docker-library template: jq {{ }} placeholders"),
    ("0092--", "docker-library template: jq {{ }} placeholders"),
    ("0102--", "docker-library template: jq {{ }} placeholders"),
    ("0103--", "docker-library template: jq {{ }} placeholders"),
    ("0125--", "docker-library template: jq {{ }} placeholders"),
    ("0131--", "docker-library template: jq {{ }} placeholders"),
    ("0140--", "docker-library template: jq {{ }} placeholders"),
    ("0162--", "docker-library template: jq {{ }} placeholders"),
    ("0173--", "docker-library template: jq {{ }} placeholders"),
    (
        "0315--",
        "skaffold docs sample with a literal '...' line (BuildKit: unknown instruction)",
    ),
    ("0453--", "buildkit testfiles-negative: empty file"),
    ("0454--", "buildkit testfiles-negative: ENV with no value"),
    ("0455--", "buildkit testfiles-negative: comments only"),
    (
        "0456--",
        "buildkit testfiles-negative: CMD with nested JSON and no FROM",
    ),
    (
        "0471--",
        "buildkit parser testfile: flags unknown to COPY/CMD (parser-only test)",
    ),
    (
        "0472--",
        "buildkit parser testfile: HEALTHCHECK without CMD (parser-only test)",
    ),
    (
        "0474--",
        "buildkit parser testfile: CMD without FROM (parser-only test)",
    ),
    (
        "0475--",
        "buildkit parser testfile: CMD without FROM (parser-only test)",
    ),
    (
        "0476--",
        "buildkit parser testfile: CMD without FROM (parser-only test)",
    ),
    (
        "0477--",
        "buildkit parser testfile: CMD without FROM (parser-only test)",
    ),
    (
        "0478--",
        "buildkit parser testfile: CMD without FROM (parser-only test)",
    ),
    (
        "0479--",
        "buildkit parser testfile: CMD without FROM (parser-only test)",
    ),
    (
        "0507--",
        "moby v1.0.0: the obsolete docker-version instruction",
    ),
    // The synthetic concatenations include segments of the files above, and one segment
    // that ends in a continuation, so BuildKit would join the next segment's FROM to it.
    (
        "large-5k",
        "concatenation with the buildkit flags testfile and the skaffold '...' file",
    ),
    (
        "large-20k",
        "concatenation with broken segments (health testfile, '...', trailing continuation)",
    ),
];

#[test]
fn corpus_parses_without_false_syntax_errors() {
    let Some(dir) = corpus_dir() else { return };
    let files = corpus_files(&dir);
    assert!(
        files.len() >= 585,
        "expected the whole corpus, got {}",
        files.len()
    );
    let mut unexpected = Vec::new();
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let df = dockerfile_lsp::syntax::parse(&text);
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        let broken = BROKEN_ON_PURPOSE.iter().any(|(b, _)| name.starts_with(b));
        if broken {
            assert!(
                !df.errors.is_empty(),
                "{name} is broken on purpose but parsed cleanly"
            );
        }
        if !df.errors.is_empty() && !broken {
            for e in &df.errors {
                let (l, c) = df.lines.line_col(e.range.start);
                unexpected.push(format!("{name}:{}:{}: {}", l + 1, c + 1, e.message));
            }
        }
    }
    assert!(
        unexpected.is_empty(),
        "{} unexpected syntax errors:\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
}
