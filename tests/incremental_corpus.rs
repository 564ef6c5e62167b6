//! Incremental re-parsing over the corpus (`../shared/corpus`; skipped when absent): after
//! random edits — single and several combined into one [`TextEdit`] — `reparse` of the old model
//! equals a fresh parse of the new text.

use dockerfile_lsp::syntax::incremental::{reparse, TextEdit};
use dockerfile_lsp::syntax::parse;
use std::path::{Path, PathBuf};

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const INSERTS: &[&str] = &[
    "x",
    " ",
    "\n",
    "\\",
    "\\\n",
    "`",
    "#",
    "RUN y\n",
    "FROM z AS q\n",
    "<<EOF\n",
    "EOF\n",
    "\"",
    "[",
    "]",
    "é",
    "\r\n",
    "${A",
    "}",
    "--from=",
    "",
    "\t",
];

fn boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Applies one random edit; returns it.
fn random_edit(rng: &mut Rng, text: &mut String) -> TextEdit {
    let start = boundary(text, rng.below(text.len() + 1));
    let end = boundary(text, start + [0, 0, 1, 2, 5, 40][rng.below(6)]).max(start);
    let insert = INSERTS[rng.below(INSERTS.len())];
    text.replace_range(start..end, insert);
    TextEdit::new(start, end, start + insert.len())
}

/// The corpus files (sorted) and large-1k, or `None` without `../shared`.
fn corpus_paths() -> Option<Vec<PathBuf>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let rd = std::fs::read_dir(root.join("files")).ok()?;
    let mut paths: Vec<_> = rd.flatten().map(|e| e.path()).collect();
    paths.sort();
    paths.push(root.join("large/large-1k.Dockerfile"));
    Some(paths)
}

/// The first lines where the two models' debug dumps differ.
fn first_difference(a: &impl std::fmt::Debug, b: &impl std::fmt::Debug) -> String {
    let (a, b) = (format!("{a:#?}"), format!("{b:#?}"));
    let (al, bl): (Vec<_>, Vec<_>) = (a.lines().collect(), b.lines().collect());
    let i = al
        .iter()
        .zip(&bl)
        .position(|(x, y)| x != y)
        .unwrap_or(al.len().min(bl.len()));
    let from = i.saturating_sub(12);
    format!(
        "reparse:\n{}\nfresh:\n{}",
        al[from..(i + 3).min(al.len())].join("\n"),
        bl[from..(i + 3).min(bl.len())].join("\n")
    )
}

#[test]
fn reparse_equals_fresh_parse_on_the_corpus() {
    let Some(paths) = corpus_paths() else {
        eprintln!("skipping: ../shared/corpus is not present in this clone");
        return;
    };
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut checked = 0;
    for p in &paths {
        let Ok(bytes) = std::fs::read(p) else {
            continue;
        };
        let original = String::from_utf8_lossy(&bytes).into_owned();
        // Single edits, each against the original.
        for _ in 0..8 {
            let mut text = original.clone();
            let edit = random_edit(&mut rng, &mut text);
            let got = reparse(parse(&original), &text, edit);
            let fresh = parse(&text);
            assert!(
                got == fresh,
                "{}: edit {edit:?} -> reparse differs from a fresh parse\n{}",
                p.display(),
                first_difference(&got, &fresh)
            );
            checked += 1;
        }
        // A burst of edits combined into one.
        let mut text = original.clone();
        let mut combined: Option<TextEdit> = None;
        for _ in 0..1 + rng.below(5) {
            let e = random_edit(&mut rng, &mut text);
            combined = Some(combined.map_or(e, |c| c.then(e)));
        }
        if let Some(edit) = combined {
            let got = reparse(parse(&original), &text, edit);
            let fresh = parse(&text);
            assert!(
                got == fresh,
                "{}: combined edit {edit:?} -> reparse differs from a fresh parse\n{}",
                p.display(),
                first_difference(&got, &fresh)
            );
            checked += 1;
        }
    }
    assert!(checked > 1000, "only {checked} edits checked");
}

#[test]
fn incremental_lint_equals_a_full_lint_on_the_corpus() {
    use dockerfile_lsp::config::Settings;
    use dockerfile_lsp::lint::{lint, lint_incremental};
    let Some(paths) = corpus_paths() else {
        eprintln!("skipping: ../shared/corpus is not present in this clone");
        return;
    };
    let settings = Settings::default();
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut checked = 0;
    for p in &paths {
        let Ok(bytes) = std::fs::read(p) else {
            continue;
        };
        let original = String::from_utf8_lossy(&bytes).into_owned();
        let old = parse(&original);
        let (_, cache) = lint_incremental(&old, &original, &settings, None, None);
        for _ in 0..4 {
            let mut text = original.clone();
            let mut edit = random_edit(&mut rng, &mut text);
            if rng.below(3) == 0 {
                let e = random_edit(&mut rng, &mut text);
                edit = edit.then(e);
            }
            let new = reparse(old.clone(), &text, edit);
            let (got, _) = lint_incremental(&new, &text, &settings, None, Some((&cache, edit)));
            let full = lint(&parse(&text), &text, &settings, None);
            assert!(
                got == full,
                "{}: edit {edit:?}: incremental lint differs\n{}",
                p.display(),
                first_difference(&got, &full)
            );
            checked += 1;
        }
    }
    assert!(checked > 1000, "only {checked} edits checked");
}
