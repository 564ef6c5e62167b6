//! Arbitrary bytes → a text and up to three edits of it; after each, the incremental
//! re-parse must equal a fresh parse and the incremental lint a full lint (what the server
//! relies on per keystroke). Run: `RUSTC_BOOTSTRAP=1 cargo fuzz run edit`.
#![no_main]

use dockerfile_lsp::config::Settings;
use dockerfile_lsp::lint::{lint, lint_incremental};
use dockerfile_lsp::syntax::incremental::{reparse, TextEdit};
use dockerfile_lsp::syntax::parse;
use libfuzzer_sys::fuzz_target;

/// Pieces the edits insert: the characters that change a Dockerfile's structure.
const PIECES: &[&str] = &[
    "", "x", " ", "\n", "\r\n", "\\", "\\\n", "`", "#", "FROM a AS b\n", "RUN c\n", "<<EOF\n",
    "EOF\n", "\"", "${A}", "--from=b ", "é", "# escape=`\n", "SHELL [\"bash\"]\n",
];

fn boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 9 {
        return;
    }
    let (ops, rest) = data.split_at(9);
    let mut text = String::from_utf8_lossy(rest).into_owned();
    let settings = Settings::default();
    let mut model = parse(&text);
    let (_, mut cache) = lint_incremental(&model, &text, &settings, None, None);
    for op in ops.chunks(3) {
        let start = boundary(&text, usize::from(op[0]) * text.len() / 255);
        let end = boundary(&text, start + usize::from(op[1] % 16)).max(start);
        let piece = PIECES[usize::from(op[2]) % PIECES.len()];
        text.replace_range(start..end, piece);
        let edit = TextEdit::new(start, end, start + piece.len());
        model = reparse(model, &text, edit);
        assert!(model == parse(&text), "re-parse differs after {edit:?}");
        let (found, next) = lint_incremental(&model, &text, &settings, None, Some((&cache, edit)));
        assert!(
            found == lint(&parse(&text), &text, &settings, None),
            "incremental lint differs after {edit:?}"
        );
        cache = next;
    }
});
