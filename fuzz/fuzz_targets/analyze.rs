//! Arbitrary bytes → parse, lint, apply every fix, every rewrite, and every cursor feature
//! (completion, hover, navigation, signature help, formatting) at a few offsets.
//! Nothing may panic. Run: `RUSTC_BOOTSTRAP=1 cargo fuzz run analyze` (see fuzz/README.md).
#![no_main]

use dockerfile_lsp::config::Settings;
use dockerfile_lsp::diagnostic::apply_edits;
use dockerfile_lsp::syntax::TextRange;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    let settings = Settings::default();
    let file = dockerfile_lsp::syntax::parse(text);
    let diags = dockerfile_lsp::lint::lint(&file, text, &settings, None);
    for d in &diags {
        assert!(d.range.start <= d.range.end && d.range.end <= text.len());
        for fix in &d.fixes {
            let (fixed, _) = apply_edits(text, &fix.edits);
            let _ = dockerfile_lsp::lint::lint_text(&fixed, &settings);
        }
    }
    let tree = dockerfile_lsp::syntax::tree::SyntaxTree::new(text);
    let mut offsets: Vec<usize> = vec![0, text.len() / 3, text.len() / 2, text.len()];
    offsets.retain(|o| text.is_char_boundary(*o));
    for at in offsets {
        let r = TextRange::empty(at);
        for a in dockerfile_lsp::assists::assists(&file, text, r, None) {
            let (out, _) = apply_edits(text, &a.edits);
            let _ = dockerfile_lsp::syntax::parse(&out);
        }
        let _ = dockerfile_lsp::ide::completion::complete(&file, text, at);
        let _ = dockerfile_lsp::ide::hover::hover(&file, text, at, &diags);
        let _ = dockerfile_lsp::ide::navigation::definition(&file, text, at);
        let _ = dockerfile_lsp::ide::navigation::references(&file, text, at, true);
        let _ = dockerfile_lsp::ide::navigation::rename(&file, text, at, "renamed");
        let _ = dockerfile_lsp::ide::signature::signature_help(&file, at);
        let _ = dockerfile_lsp::ide::format::format_on_type(&file, text, at, &Default::default());
    }
    let _ = dockerfile_lsp::ide::symbols::document_symbols(&file);
    let _ = dockerfile_lsp::ide::folding::folding_ranges(&file, text, Some(&tree));
    let _ = dockerfile_lsp::ide::semantic_tokens::semantic_tokens(&file, text, Some(&tree), None);
    let _ = dockerfile_lsp::ide::links::document_links(&file);
    let _ = dockerfile_lsp::ide::inlay::inlay_hints(&file, text, None);
    let _ = dockerfile_lsp::ide::format::format_document(&file, text, &Default::default());
});
