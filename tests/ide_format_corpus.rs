//! Formatting over the real-world corpus: idempotent, meaning-preserving, no new errors.

use dockerfile_lsp::ide::format::{apply_edits, format_document, FormatOptions};
use dockerfile_lsp::syntax::tree::SyntaxTree;
use dockerfile_lsp::syntax::{parse, Dockerfile, Instruction};
use std::path::Path;

/// What an instruction means, independent of layout.
fn project(ins: &Instruction) -> String {
    let words =
        |ws: &[dockerfile_lsp::syntax::Word]| ws.iter().map(|w| w.text.clone()).collect::<Vec<_>>();
    format!(
        "{:?} flags={:?} args={:?} exec={:?} pairs={:?} heredocs={:?} onbuild={:?}",
        ins.keyword,
        ins.flags
            .iter()
            .map(|f| (f.name.clone(), f.value.clone()))
            .collect::<Vec<_>>(),
        // In exec form the JSON array is the meaning; its shell-split words are not.
        ins.exec.is_none().then(|| words(&ins.args)),
        ins.exec.as_deref().map(words),
        ins.pairs
            .iter()
            .map(|p| (p.key.clone(), p.value.clone()))
            .collect::<Vec<_>>(),
        ins.heredocs
            .iter()
            .map(|h| (h.delimiter.clone(), h.body.clone()))
            .collect::<Vec<_>>(),
        ins.onbuild.as_deref().map(project),
    )
}

fn projection(df: &Dockerfile) -> Vec<String> {
    df.instructions.iter().map(project).collect()
}

fn tree_has_error(text: &str) -> bool {
    SyntaxTree::new(text)
        .tree()
        .is_some_and(|t| t.root_node().has_error())
}

fn check(name: &str, text: &str, options: &FormatOptions) {
    let df = parse(text);
    let once = apply_edits(text, &format_document(&df, text, options));
    let df1 = parse(&once);
    let twice = apply_edits(&once, &format_document(&df1, &once, options));
    if once != twice {
        let diff = once
            .lines()
            .zip(twice.lines())
            .enumerate()
            .find(|(_, (a, b))| a != b);
        panic!(
            "{name}: formatting is not idempotent; first difference (line, once, twice): {diff:?}"
        );
    }
    assert_eq!(
        projection(&df),
        projection(&df1),
        "{name}: formatting changed the meaning"
    );
    assert!(
        df1.errors.len() <= df.errors.len(),
        "{name}: formatting added syntax errors: {:?}",
        df1.errors
    );
    assert!(
        tree_has_error(text) || !tree_has_error(&once),
        "{name}: formatting made the tree-sitter parse fail"
    );
}

#[test]
fn formatting_the_corpus_is_idempotent_and_meaning_preserving() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/files");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("note: {} not found; corpus test skipped", dir.display());
        return;
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    paths.sort();
    let keep = FormatOptions {
        keep_aligned: true,
        ..FormatOptions::default()
    };
    let mut changed = 0;
    for p in &paths {
        let Ok(text) = std::fs::read_to_string(p) else {
            continue;
        };
        let name = p.display().to_string();
        check(&name, &text, &FormatOptions::default());
        check(&name, &text, &keep);
        let df = parse(&text);
        if !format_document(&df, &text, &FormatOptions::default()).is_empty() {
            changed += 1;
        }
    }
    eprintln!("{} files, {changed} reformatted", paths.len());
    assert!(paths.len() < 10 || changed > 0);
}
