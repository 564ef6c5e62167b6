//! Navigation, tokens, folding, symbols, links, inlay hints and signature help over the
//! real-world corpus: no panic, consistent answers.

use dockerfile_lsp::ide::navigation::{self, SymbolIndex};
use dockerfile_lsp::ide::{folding, inlay, links, semantic_tokens, signature, symbols};
use dockerfile_lsp::syntax::parse;
use dockerfile_lsp::syntax::tree::SyntaxTree;
use std::path::Path;

#[test]
fn ide_features_on_the_corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/files");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("note: {} not found; corpus test skipped", dir.display());
        return;
    };
    let mut files = 0;
    let mut occurrences = 0;
    for p in entries.filter_map(|e| e.ok()).map(|e| e.path()) {
        let Ok(text) = std::fs::read_to_string(&p) else {
            continue;
        };
        files += 1;
        let name = p.display();
        let df = parse(&text);
        let tree = SyntaxTree::new(&text);
        let idx = SymbolIndex::build(&df, &text);
        for o in &idx.occurrences {
            occurrences += 1;
            // Every occurrence finds itself among the references of its symbol.
            let refs = navigation::references(&df, &text, o.range.start, true);
            assert!(refs.contains(&o.range), "{name}: {o:?} not in {refs:?}");
            // Rename edits never overlap.
            if let Ok(edits) = navigation::rename(&df, &text, o.range.start, "renamed_x") {
                for w in edits.windows(2) {
                    assert!(
                        w[0].range.end <= w[1].range.start,
                        "{name}: overlapping edits"
                    );
                }
            }
        }
        let toks = semantic_tokens::semantic_tokens(&df, &text, Some(&tree), None);
        for w in toks.windows(2) {
            assert!(
                w[0].range.end <= w[1].range.start,
                "{name}: overlapping tokens"
            );
        }
        for f in folding::folding_ranges(&df, &text, Some(&tree)) {
            assert!(f.start_line < f.end_line, "{name}: {f:?}");
        }
        let _ = symbols::document_symbols(&df);
        let _ = links::document_links(&df);
        let _ = inlay::inlay_hints(&df, &text, None);
        for ins in df.instructions.iter().step_by(3) {
            let _ = signature::signature_help(&df, ins.range.end);
        }
    }
    eprintln!("{files} files, {occurrences} symbol occurrences checked");
}
