//! Helpers shared by the integration tests that read `../shared` (corpus and seeds).
//! Each test uses a part of them.
#![allow(dead_code)]

use dockerfile_lsp::assists::{assists, Assist};
use dockerfile_lsp::syntax::{Dockerfile, Keyword, TextRange};
use std::path::{Path, PathBuf};

/// The corpus files (`../shared/corpus/files`) sorted by name, or None when absent.
pub fn corpus_files() -> Option<Vec<PathBuf>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/files");
    let rd = std::fs::read_dir(&dir).ok()?;
    let mut paths: Vec<_> = rd.flatten().map(|e| e.path()).collect();
    paths.sort();
    Some(paths)
}

/// The seed articles (`../shared/seeds/*`) sorted by name, or None when absent.
pub fn seed_files() -> Option<Vec<PathBuf>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    let rd = std::fs::read_dir(&dir).ok()?;
    let mut paths: Vec<_> = rd.flatten().map(|e| e.path()).collect();
    paths.sort();
    Some(paths)
}

/// The cursor positions the rewrite tests try, in order: the start of the file, each
/// stage's FROM and end, and each CMD/ENTRYPOINT and `COPY .`/`ADD .`.
pub fn cursors(file: &Dockerfile) -> Vec<usize> {
    let mut cursors = vec![0];
    for s in &file.stages {
        cursors.push(s.range.start);
        cursors.push(s.range.end);
    }
    for ins in file.instructions.iter().filter(|i| {
        matches!(i.keyword, Keyword::Cmd | Keyword::Entrypoint)
            || (matches!(i.keyword, Keyword::Copy | Keyword::Add)
                && i.args
                    .first()
                    .is_some_and(|a| a.text == "." || a.text == "./"))
    }) {
        cursors.push(ins.range.start);
    }
    cursors
}

/// Every distinct rewrite offered at [`cursors`], in cursor order, with the cursor where it
/// was first offered.
pub fn offered_rewrites(file: &Dockerfile, text: &str) -> Vec<(usize, Assist)> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for at in cursors(file) {
        for a in assists(file, text, TextRange::empty(at), None) {
            if seen.insert((a.id, a.edits.clone())) {
                out.push((at, a));
            }
        }
    }
    out
}

/// The Dockerfiles of a seed article: its ```` ```docker ````/```` ```dockerfile ```` blocks
/// (dedented), then the unfenced ones (a `FROM` line outside any fence and the Dockerfile
/// lines after it: instructions, comments, continuation lines), as some articles were
/// stored without their fences.
pub fn seed_dockerfiles(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut unfenced = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    let mut other_fence = false;
    let mut loose: Option<Vec<&str>> = None;
    let flush = |loose: &mut Option<Vec<&str>>, unfenced: &mut Vec<String>| {
        if let Some(lines) = loose.take() {
            unfenced.push(lines.join("\n") + "\n");
        }
    };
    for line in text.lines() {
        let t = line.trim();
        if let Some(info) = t.strip_prefix("```") {
            flush(&mut loose, &mut unfenced);
            if other_fence {
                other_fence = false;
            } else if let Some(lines) = current.take() {
                let indent = lines
                    .iter()
                    .filter(|l| !l.trim().is_empty())
                    .map(|l| l.len() - l.trim_start().len())
                    .min()
                    .unwrap_or(0);
                let body: Vec<&str> = lines
                    .iter()
                    .map(|l| l.get(indent..).unwrap_or("").trim_end())
                    .collect();
                out.push(body.join("\n") + "\n");
            } else {
                let lang = info.trim().to_ascii_lowercase();
                if lang == "docker" || lang == "dockerfile" {
                    current = Some(Vec::new());
                } else {
                    other_fence = true;
                }
            }
            continue;
        }
        if let Some(lines) = current.as_mut() {
            lines.push(line);
            continue;
        }
        if other_fence {
            continue;
        }
        let continued = loose
            .as_ref()
            .and_then(|l| l.last())
            .is_some_and(|l| l.trim_end().ends_with('\\'));
        let word = t.split_whitespace().next().unwrap_or("");
        let is_instruction = !word.is_empty()
            && word.chars().all(|c| c.is_ascii_uppercase())
            && Keyword::parse(word) != Keyword::Unknown;
        match loose.as_mut() {
            Some(lines) if continued || is_instruction || t.starts_with('#') => lines.push(line),
            Some(_) => flush(&mut loose, &mut unfenced),
            None if word == "FROM" => loose = Some(vec![line]),
            None => {}
        }
    }
    flush(&mut loose, &mut unfenced);
    out.extend(unfenced);
    out
}
