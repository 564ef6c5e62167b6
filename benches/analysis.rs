//! Criterion benchmarks of the analysis core: full parse, lint, incremental tree-sitter
//! re-parse, completion and hover, over the corpus and the large files in `../shared/corpus` (skipped when absent).
//!
//! `cargo bench --bench analysis`

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use dockerfile_lsp::config::Settings;
use dockerfile_lsp::syntax::tree::{SyntaxTree, TreeEdit};
use std::hint::black_box;
use std::path::{Path, PathBuf};

fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    p.is_dir().then_some(p)
}

fn corpus_texts(dir: &Path) -> Vec<String> {
    let mut files: Vec<_> = std::fs::read_dir(dir.join("files"))
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .collect()
}

/// A RUN instruction of `lines` continuation lines, like the long RUNs hadolint is slow on.
pub fn long_run(lines: usize) -> String {
    let mut s = String::from("FROM debian:bookworm-slim\nRUN set -eux; \\\n");
    for i in 0..lines {
        s.push_str(&format!(
            "    apt-get update && apt-get install -y --no-install-recommends pkg{i}=1.{i} | tee /tmp/log{i}; \\\n"
        ));
    }
    s.push_str("    true\n");
    s
}

fn bench(c: &mut Criterion) {
    let settings = Settings::default();
    let Some(dir) = shared() else {
        eprintln!("skipping corpus benchmarks: ../shared/corpus is not present");
        return;
    };
    let corpus = corpus_texts(&dir);
    let total: usize = corpus.iter().map(String::len).sum();
    let mut g = c.benchmark_group("corpus");
    g.throughput(Throughput::Bytes(total as u64));
    g.bench_function("parse", |b| {
        b.iter(|| {
            for t in &corpus {
                black_box(dockerfile_lsp::syntax::parse(t));
            }
        })
    });
    g.bench_function("parse+lint", |b| {
        b.iter(|| {
            for t in &corpus {
                black_box(dockerfile_lsp::lint::lint_text(t, &settings));
            }
        })
    });
    g.finish();

    let mut g = c.benchmark_group("large");
    for name in ["large-1k", "large-5k", "large-20k"] {
        let Ok(text) = std::fs::read_to_string(dir.join(format!("large/{name}.Dockerfile"))) else {
            continue;
        };
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::new("parse+lint", name), &text, |b, t| {
            b.iter(|| black_box(dockerfile_lsp::lint::lint_text(t, &settings)))
        });
        // One-character edit in the middle, then an incremental tree-sitter re-parse.
        let mid = text.len() / 2;
        let mid = (0..=mid)
            .rev()
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(0);
        let mut edited = text.clone();
        edited.insert(mid, 'x');
        let li = dockerfile_lsp::syntax::LineIndex::new(&text);
        let (row, col) = li.line_col(mid);
        let edit = TreeEdit {
            start_byte: mid,
            old_end_byte: mid,
            new_end_byte: mid + 1,
            start_point: (row, col),
            old_end_point: (row, col),
            new_end_point: (row, col + 1),
        };
        g.bench_with_input(
            BenchmarkId::new("tree-sitter-incremental", name),
            &edited,
            |b, e| {
                b.iter_batched(
                    || SyntaxTree::new(&text),
                    |mut tree| {
                        tree.edit(&edit);
                        tree.reparse(e);
                        black_box(tree)
                    },
                    criterion::BatchSize::LargeInput,
                )
            },
        );
    }
    g.finish();

    // Cursor features on the largest file: completion after `COPY --from=` and in an empty
    // line's position, hover on a FROM image.
    if let Ok(text) = std::fs::read_to_string(dir.join("large/large-20k.Dockerfile")) {
        let file = dockerfile_lsp::syntax::parse(&text);
        let diags = dockerfile_lsp::lint::lint(&file, &text, &settings, None);
        let from = text.rfind("\nFROM ").map(|i| i + 7).unwrap_or(0);
        let copy_from = text.rfind("--from=").map(|i| i + 7).unwrap_or(0);
        let mut g = c.benchmark_group("cursor-20k");
        g.bench_function("completion COPY --from=", |b| {
            b.iter(|| {
                black_box(dockerfile_lsp::ide::completion::complete(
                    &file, &text, copy_from,
                ))
            })
        });
        g.bench_function("completion at a FROM image", |b| {
            b.iter(|| {
                black_box(dockerfile_lsp::ide::completion::complete(
                    &file, &text, from,
                ))
            })
        });
        g.bench_function("hover FROM image", |b| {
            b.iter(|| {
                black_box(dockerfile_lsp::ide::hover::hover(
                    &file, &text, from, &diags,
                ))
            })
        });
        g.finish();
    }

    let run = long_run(3000);
    let mut g = c.benchmark_group("long-run");
    g.sample_size(20);
    g.bench_function("3000-line RUN parse+lint", |b| {
        b.iter(|| black_box(dockerfile_lsp::lint::lint_text(&run, &settings)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
