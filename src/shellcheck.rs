//! ShellCheck on `RUN` bodies, through an injected runner.
//!
//! The lint rules are pure: they never start processes. A [`ShellCheckRunner`] is handed to
//! [`crate::lint::lint_with`] by the caller (the CLI, or the server off the keystroke path);
//! without one the `shellcheck` rule stays silent and the built-in shell analysis still runs.
//! [`ProcessRunner`] runs the `shellcheck` binary (`--format=json1`) and caches results by
//! content hash, so an unchanged `RUN` is never checked twice. A lone script goes to
//! ShellCheck's stdin; several (one lint's uncached RUNs) go to one process as files in a
//! private temporary directory, removed afterwards — ShellCheck's start-up is most of the cost
//! of a short script.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Mutex;

/// One ShellCheck comment, positions as `--format=json1` reports them (1-based lines and
/// columns counted in characters, a tab being one column; end column exclusive), relative to
/// the script given.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShellCheckComment {
    pub line: usize,
    pub end_line: usize,
    pub column: usize,
    pub end_column: usize,
    /// `error`, `warning`, `info`, `style`.
    pub level: String,
    pub code: u32,
    pub message: String,
}

/// Runs ShellCheck on one script.
pub trait ShellCheckRunner: Send + Sync {
    /// Checks `script` as `dialect` (`sh`, `bash`, `dash`, `ksh`). `None` when ShellCheck could
    /// not run (the rule then reports nothing).
    fn check(&self, script: &str, dialect: &str) -> Option<Vec<ShellCheckComment>>;

    /// Checks each `(script, dialect)`; the results in the same order. A runner may batch
    /// them (one process for many scripts); by default each is checked on its own.
    fn check_many(&self, scripts: &[(&str, &str)]) -> Vec<Option<Vec<ShellCheckComment>>> {
        scripts
            .iter()
            .map(|(script, dialect)| self.check(script, dialect))
            .collect()
    }
}

/// Parses ShellCheck's `--format=json1` output.
pub fn parse_json1(json: &str) -> Option<Vec<ShellCheckComment>> {
    #[derive(serde::Deserialize)]
    struct Out {
        comments: Vec<ShellCheckComment>,
    }
    serde_json::from_str::<Out>(json).ok().map(|o| o.comments)
}

/// The `shellcheck` binary, with a content-hash cache.
pub struct ProcessRunner {
    binary: PathBuf,
    cache: Mutex<HashMap<u64, Option<Vec<ShellCheckComment>>>>,
}

/// Entries kept before the cache is emptied (a crude bound on memory).
const CACHE_LIMIT: usize = 4096;

impl ProcessRunner {
    pub fn new(binary: PathBuf) -> ProcessRunner {
        ProcessRunner {
            binary,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// The first `shellcheck` on `PATH`, if any.
    pub fn from_path() -> Option<ProcessRunner> {
        let path = std::env::var_os("PATH")?;
        std::env::split_paths(&path)
            .map(|d| d.join("shellcheck"))
            .find(|p| p.is_file())
            .map(ProcessRunner::new)
    }

    fn run(&self, script: &str, dialect: &str) -> Option<Vec<ShellCheckComment>> {
        let mut child = Command::new(&self.binary)
            .args(["--format=json1", "--norc"])
            .arg(format!("--shell={dialect}"))
            .arg("-")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        if let Some(mut stdin) = child.stdin.take() {
            // A script larger than the pipe buffer is written while shellcheck reads it.
            let _ = stdin.write_all(script.as_bytes());
        }
        let out = child.wait_with_output().ok()?;
        // Exit status 1 means "found something"; anything above is a usage/IO error.
        if out.status.code().is_none_or(|c| c > 1) {
            tracing::debug!("shellcheck exited with {:?}", out.status.code());
            return None;
        }
        parse_json1(&String::from_utf8_lossy(&out.stdout))
    }
}

/// Scripts per ShellCheck process in [`ProcessRunner::check_many`] (its start-up, ~7 ms, is
/// most of the cost of a short script; a batch of 20 takes about as long as 3 single runs).
const BATCH: usize = 64;

impl ProcessRunner {
    fn key(script: &str, dialect: &str) -> u64 {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        script.hash(&mut h);
        dialect.hash(&mut h);
        h.finish()
    }

    fn cached(&self, key: u64) -> Option<Option<Vec<ShellCheckComment>>> {
        self.cache.lock().ok()?.get(&key).cloned()
    }

    fn remember(&self, key: u64, result: &Option<Vec<ShellCheckComment>>) {
        if let Ok(mut cache) = self.cache.lock() {
            if cache.len() >= CACHE_LIMIT {
                cache.clear();
            }
            cache.insert(key, result.clone());
        }
    }

    /// One process for several scripts of one dialect, written to a private temporary
    /// directory (ShellCheck reads one script from stdin, but any number of files); each
    /// comment is returned with its script. `None` when the batch could not run.
    fn run_batch(&self, scripts: &[&str], dialect: &str) -> Option<Vec<Vec<ShellCheckComment>>> {
        let dir = tempfile::tempdir().ok()?;
        let mut paths = Vec::with_capacity(scripts.len());
        for (i, script) in scripts.iter().enumerate() {
            let path = dir.path().join(format!("{i}.sh"));
            std::fs::write(&path, script).ok()?;
            paths.push(path);
        }
        let out = Command::new(&self.binary)
            .args(["--format=json1", "--norc"])
            .arg(format!("--shell={dialect}"))
            .args(&paths)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .output()
            .ok()?;
        if out.status.code().is_none_or(|c| c > 1) {
            tracing::debug!("shellcheck (batch) exited with {:?}", out.status.code());
            return None;
        }
        #[derive(serde::Deserialize)]
        struct Located {
            file: PathBuf,
            #[serde(flatten)]
            comment: ShellCheckComment,
        }
        #[derive(serde::Deserialize)]
        struct Out {
            comments: Vec<Located>,
        }
        let parsed: Out = serde_json::from_slice(&out.stdout).ok()?;
        let mut by_script = vec![Vec::new(); scripts.len()];
        for c in parsed.comments {
            let i = paths.iter().position(|p| *p == c.file)?;
            by_script.get_mut(i)?.push(c.comment);
        }
        Some(by_script)
    }
}

impl ShellCheckRunner for ProcessRunner {
    fn check(&self, script: &str, dialect: &str) -> Option<Vec<ShellCheckComment>> {
        let key = Self::key(script, dialect);
        if let Some(hit) = self.cached(key) {
            return hit;
        }
        let result = self.run(script, dialect);
        self.remember(key, &result);
        result
    }

    fn check_many(&self, scripts: &[(&str, &str)]) -> Vec<Option<Vec<ShellCheckComment>>> {
        let mut results: Vec<Option<Option<Vec<ShellCheckComment>>>> = scripts
            .iter()
            .map(|(script, dialect)| self.cached(Self::key(script, dialect)))
            .collect();
        // The scripts not in the cache, by dialect, in batches.
        let mut dialects: Vec<&str> = Vec::new();
        for ((_, dialect), r) in scripts.iter().zip(&results) {
            if r.is_none() && !dialects.contains(dialect) {
                dialects.push(dialect);
            }
        }
        for dialect in dialects {
            let todo: Vec<usize> = (0..scripts.len())
                .filter(|&i| results[i].is_none() && scripts[i].1 == dialect)
                .collect();
            for chunk in todo.chunks(BATCH) {
                let texts: Vec<&str> = chunk.iter().map(|&i| scripts[i].0).collect();
                let batch = if chunk.len() > 1 {
                    self.run_batch(&texts, dialect)
                } else {
                    None
                };
                for (k, &i) in chunk.iter().enumerate() {
                    let (script, _) = scripts[i];
                    // A batch that failed (or a single script): one process per script.
                    let result = match &batch {
                        Some(b) => b.get(k).cloned(),
                        None => self.run(script, dialect),
                    };
                    self.remember(Self::key(script, dialect), &result);
                    results[i] = Some(result);
                }
            }
        }
        results.into_iter().map(Option::flatten).collect()
    }
}

/// Byte offset in `text` of ShellCheck's json1 (1-based line, 1-based character column).
/// Clamped to the line's end. (json1 counts a tab as one column, unlike the tty format.)
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0usize;
    for _ in 1..line.max(1) {
        match text.get(start..).and_then(|t| t.find('\n')) {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line_text = text
        .get(start..)
        .map(|t| t.split('\n').next().unwrap_or(""))
        .unwrap_or("");
    line_text
        .char_indices()
        .nth(column.saturating_sub(1))
        .map(|(i, _)| start + i)
        .unwrap_or(start + line_text.len())
}

/// The process-wide runner (one cache for every file and document), when `shellcheck` is on
/// PATH (looked up once).
pub fn shared_runner() -> Option<&'static ProcessRunner> {
    static RUNNER: std::sync::OnceLock<Option<ProcessRunner>> = std::sync::OnceLock::new();
    RUNNER.get_or_init(ProcessRunner::from_path).as_ref()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json1_and_columns() {
        let json = r#"{"comments":[{"file":"-","line":2,"endLine":2,"column":6,"endColumn":10,"level":"info","code":2086,"message":"Double quote to prevent globbing and word splitting.","fix":null}]}"#;
        let c = parse_json1(json).unwrap();
        assert_eq!(c[0].code, 2086);
        assert_eq!(c[0].end_column, 10);
        assert!(parse_json1("not json").is_none());
        let t = "a\n\techo $x\n";
        // A tab is one column in json1: `echo` starts at column 2.
        assert_eq!(offset_of(t, 2, 2), 3);
        assert_eq!(&t[offset_of(t, 2, 7)..offset_of(t, 2, 9)], "$x");
        assert_eq!(&"é$x"[offset_of("é$x", 1, 2)..], "$x");
        assert_eq!(offset_of(t, 9, 1), t.len());
        assert_eq!(offset_of(t, 1, 99), 1);
    }

    #[test]
    fn real_shellcheck_when_installed() {
        let Some(runner) = ProcessRunner::from_path() else {
            eprintln!("skipping: shellcheck is not on PATH");
            return;
        };
        let found = runner.check("echo $1\n", "sh").expect("shellcheck runs");
        assert!(found.iter().any(|c| c.code == 2086), "{found:?}");
        // Cached: same answer without running again.
        assert_eq!(runner.check("echo $1\n", "sh"), Some(found));
    }

    /// A batch (one process per dialect) answers exactly what one process per script does.
    #[test]
    fn batches_equal_single_runs() {
        let Some(path) = ProcessRunner::from_path().map(|r| r.binary) else {
            eprintln!("skipping: shellcheck is not on PATH");
            return;
        };
        let scripts: Vec<(&str, &str)> = vec![
            ("echo $1\n", "sh"),
            ("cd /x\nrm -rf $D/*\n", "bash"),
            ("echo ok\n", "sh"),
            ("if [ $a == b ]; then echo; fi\n", "sh"),
            ("echo $1\n", "sh"),
            ("for f in $(ls); do echo \"$f\"; done\n", "bash"),
            ("echo \"unterminated\n", "dash"),
        ];
        let batched = ProcessRunner::new(path.clone()).check_many(&scripts);
        let single = ProcessRunner::new(path);
        let expected: Vec<_> = scripts.iter().map(|(s, d)| single.run(s, d)).collect();
        assert_eq!(batched, expected);
        assert!(batched.iter().all(Option::is_some));
        assert!(batched
            .iter()
            .any(|c| c.as_ref().is_some_and(|c| c.is_empty())));
        assert!(
            batched
                .iter()
                .filter(|c| c.as_ref().is_some_and(|c| !c.is_empty()))
                .count()
                >= 4
        );
    }
}
