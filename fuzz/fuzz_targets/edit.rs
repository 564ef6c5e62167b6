//! Arbitrary bytes → a text and up to three edits of it; after each, the incremental
//! re-parse must equal a fresh parse and the incremental lint a full lint (what the server
//! relies on per keystroke), with every rule on (opt-in ones too) and a build context whose
//! answers depend on the path, so every rule's declared scope is exercised.
//! Run: `RUSTC_BOOTSTRAP=1 cargo fuzz run edit`.
#![no_main]

use dockerfile_lsp::config::Settings;
use dockerfile_lsp::rules::BuildContext;
use dockerfile_lsp::lint::{lint, lint_incremental};
use dockerfile_lsp::syntax::incremental::{reparse, TextEdit};
use dockerfile_lsp::syntax::parse;
use libfuzzer_sys::fuzz_target;

/// Pieces the edits insert: the characters that change a Dockerfile's structure.
const PIECES: &[&str] = &[
    "", "x", " ", "\n", "\r\n", "\\", "\\\n", "`", "#", "FROM a AS b\n", "RUN c\n", "<<EOF\n",
    "EOF\n", "\"", "${A}", "--from=b ", "é", "# escape=`\n", "SHELL [\"bash\"]\n",
    "WORKDIR /w\n", "USER root\n", "ARG V\n", "ENV E=1\n", "COPY a b\n", "CMD x\n", "run",
];

/// Answers from a hash of the path; one stamp: answers never change.
struct HashedContext;
impl BuildContext for HashedContext {
    fn dockerignore(&self) -> Option<String> {
        Some("*.log\nsecret*\n".to_string())
    }
    fn path_exists(&self, path: &str) -> bool {
        path.bytes().fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b))) % 3 != 0
    }
    fn stamp(&self) -> Option<u64> {
        Some(1)
    }
}

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
    let settings = Settings::every_rule();
    let bc: Option<&dyn BuildContext> = Some(&HashedContext);
    let mut model = parse(&text);
    let (_, mut cache) = lint_incremental(&model, &text, &settings, bc, None);
    for op in ops.chunks(3) {
        let start = boundary(&text, usize::from(op[0]) * text.len() / 255);
        let end = boundary(&text, start + usize::from(op[1] % 16)).max(start);
        let piece = PIECES[usize::from(op[2]) % PIECES.len()];
        text.replace_range(start..end, piece);
        let edit = TextEdit::new(start, end, start + piece.len());
        model = reparse(model, &text, edit);
        assert!(model == parse(&text), "re-parse differs after {edit:?}");
        let (found, next) = lint_incremental(&model, &text, &settings, bc, Some((&cache, edit)));
        assert!(
            found == lint(&parse(&text), &text, &settings, bc),
            "incremental lint differs after {edit:?}"
        );
        cache = next;
    }
});
