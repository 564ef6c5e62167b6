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

/// Findings in one list and not the other (code, range, message head).
fn missing(
    a: &[dockerfile_lsp::diagnostic::Diagnostic],
    b: &[dockerfile_lsp::diagnostic::Diagnostic],
) -> String {
    let show = |d: &dockerfile_lsp::diagnostic::Diagnostic| {
        format!(
            "{} {:?} {}",
            d.code,
            d.range,
            d.message.chars().take(60).collect::<String>()
        )
    };
    let only_a: Vec<_> = a.iter().filter(|d| !b.contains(d)).map(show).collect();
    let only_b: Vec<_> = b.iter().filter(|d| !a.contains(d)).map(show).collect();
    format!("only incremental: {only_a:#?}\nonly full: {only_b:#?}")
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
                missing(&got, &full)
            );
            checked += 1;
        }
    }
    assert!(checked > 1000, "only {checked} edits checked");
}

/// A build context answering from a hash of the path (so both answers occur), with a stamp:
/// the incremental lint may keep the context rules' findings.
struct HashedContext;
impl dockerfile_lsp::rules::BuildContext for HashedContext {
    fn dockerignore(&self) -> Option<String> {
        Some("*.log\nsecret*\n".to_string())
    }
    fn path_exists(&self, path: &str) -> bool {
        path.bytes()
            .fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(b as u32))
            % 3
            != 0
    }
    fn stamp(&self) -> Option<u64> {
        Some(1)
    }
}

/// Edits aimed where stage-level dependencies live: `FROM` lines and stage names, `WORKDIR`,
/// `SHELL`, `USER`, `--from`, comments above instructions, line breaks.
fn structural_edit(rng: &mut Rng, text: &mut String) -> TextEdit {
    const NEEDLES: &[&str] = &[
        "FROM", " AS ", " as ", "WORKDIR", "SHELL", "USER", "--from=", "\n#", "ARG", "ENV", "COPY",
        "CMD", "EXPOSE", "\n",
    ];
    const INSERTS: &[&str] = &[
        "x",
        "\n",
        "",
        "WORKDIR /w\n",
        "FROM base AS other\n",
        "USER root\n",
        "#c\n",
        "app",
        "SHELL [\"/bin/bash\", \"-c\"]\n",
        "CMD x\n",
        "\\\n",
    ];
    let needle = NEEDLES[rng.below(NEEDLES.len())];
    let hits: Vec<usize> = text.match_indices(needle).map(|(i, _)| i).collect();
    if hits.is_empty() {
        return random_edit(rng, text);
    }
    let at = hits[rng.below(hits.len())] + rng.below(needle.len() + 1);
    let start = boundary(text, at);
    let end = boundary(text, start + [0, 0, 1, 3, 12][rng.below(5)]).max(start);
    let insert = INSERTS[rng.below(INSERTS.len())];
    text.replace_range(start..end, insert);
    TextEdit::new(start, end, start + insert.len())
}

/// Every rule on (opt-in ones too) and a build context: sequences of edits, each linted
/// incrementally from the previous incremental lint's cache, must equal full lints. This is
/// what keeps the rules' declared scopes (`rules::Scope`) honest.
#[test]
fn chained_incremental_lints_with_every_rule_equal_full_lints() {
    use dockerfile_lsp::config::Settings;
    use dockerfile_lsp::lint::{lint, lint_incremental};
    use dockerfile_lsp::rules::BuildContext;
    let Some(paths) = corpus_paths() else {
        eprintln!("skipping: ../shared/corpus is not present in this clone");
        return;
    };
    let settings = Settings::every_rule();
    let ctx = HashedContext;
    let bc: Option<&dyn BuildContext> = Some(&ctx);
    let mut rng = Rng(0x1234_5678_9abc_def1);
    let mut checked = 0;
    for p in &paths {
        let Ok(bytes) = std::fs::read(p) else {
            continue;
        };
        let mut text = String::from_utf8_lossy(&bytes).into_owned();
        let mut model = parse(&text);
        let (_, mut cache) = lint_incremental(&model, &text, &settings, bc, None);
        for _ in 0..6 {
            let edit = if rng.below(2) == 0 {
                structural_edit(&mut rng, &mut text)
            } else {
                random_edit(&mut rng, &mut text)
            };
            model = reparse(model, &text, edit);
            let (got, next) = lint_incremental(&model, &text, &settings, bc, Some((&cache, edit)));
            let full = lint(&parse(&text), &text, &settings, bc);
            assert!(
                got == full,
                "{}: edit {edit:?}: incremental lint differs\n{}",
                p.display(),
                missing(&got, &full)
            );
            cache = next;
            checked += 1;
        }
    }
    assert!(checked > 3000, "only {checked} edits checked");
}
