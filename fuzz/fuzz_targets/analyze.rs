//! Arbitrary bytes → parse, lint, apply every fix, run every cursor feature at a few offsets.
//! Nothing may panic. Run: `RUSTC_BOOTSTRAP=1 cargo fuzz run analyze` (see fuzz/README.md).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    dockerfile_lsp_fuzz_support::analyze(&text);
});

mod dockerfile_lsp_fuzz_support {
    use dockerfile_lsp::config::Settings;
    use dockerfile_lsp::diagnostic::apply_edits;

    pub fn analyze(text: &str) {
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
        let mut tree = dockerfile_lsp::syntax::tree::SyntaxTree::new(text);
        tree.reparse(text);
    }
}
