//! The build context on disk: the directory `docker build` sends to the builder, and its
//! `.dockerignore`. Rules see it only through [`crate::rules::BuildContext`].
//!
//! Reads stay inside the context root: paths are cleaned as if rooted at `/` (so `..`
//! cannot climb out), and symbolic links are never followed out of the root.

use crate::rules::BuildContext;
use globset::{GlobBuilder, GlobMatcher};
use std::path::{Path, PathBuf};

/// Go's `path.Clean` for `/`-separated paths.
pub fn clean_path(p: &str) -> String {
    let rooted = p.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if out.last().is_some_and(|l| *l != "..") {
                    out.pop();
                } else if !rooted {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    let joined = out.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

/// A path relative to the context root, cleaned as if rooted at `/` (`../x` is `x`).
fn context_relative(p: &str) -> String {
    let c = clean_path(&format!("/{p}"));
    c.trim_start_matches('/').to_string()
}

/// One `.dockerignore` pattern.
#[derive(Debug, Clone)]
pub struct IgnorePattern {
    /// The cleaned pattern text (without `!`).
    pub text: String,
    pub exclusion: bool,
    matcher: Option<GlobMatcher>,
}

impl IgnorePattern {
    fn matches(&self, path: &str) -> bool {
        self.matcher.as_ref().is_some_and(|m| m.is_match(path))
    }
}

/// A parsed `.dockerignore` with Docker's semantics (moby/patternmatcher): each pattern is
/// cleaned like `filepath.Clean` with a leading `/` removed; `*` and `?` do not cross `/`,
/// `**` spans directories; a pattern also matches everything under a matching directory;
/// `!pattern` re-includes; the last matching pattern wins.
#[derive(Debug, Clone, Default)]
pub struct DockerIgnore {
    pub patterns: Vec<IgnorePattern>,
}

impl DockerIgnore {
    pub fn parse(text: &str) -> DockerIgnore {
        let mut patterns = Vec::new();
        for line in text.lines() {
            if line.starts_with('#') {
                continue;
            }
            let mut p = line.trim();
            if p.is_empty() {
                continue;
            }
            let exclusion = p.starts_with('!');
            if let Some(rest) = p.strip_prefix('!') {
                p = rest.trim();
                if p.is_empty() {
                    continue;
                }
            }
            let mut cleaned = clean_path(p);
            if cleaned.len() > 1 && cleaned.starts_with('/') {
                cleaned = cleaned.trim_start_matches('/').to_string();
            }
            let matcher = GlobBuilder::new(&cleaned)
                .literal_separator(true)
                .backslash_escape(true)
                .build()
                .ok()
                .map(|g| g.compile_matcher());
            patterns.push(IgnorePattern {
                text: cleaned,
                exclusion,
                matcher,
            });
        }
        DockerIgnore { patterns }
    }

    /// True when some pattern is an exception (`!…`).
    pub fn has_exclusions(&self) -> bool {
        self.patterns.iter().any(|p| p.exclusion)
    }

    /// True when a pattern excludes every entry of the root (`*`, `**`, `**/*`).
    pub fn ignores_root(&self) -> bool {
        self.patterns
            .iter()
            .any(|p| !p.exclusion && matches!(p.text.as_str(), "*" | "**" | "**/*"))
    }

    /// Docker's `MatchesOrParentMatches`: is `path` (relative, `/`-separated) excluded,
    /// itself or through one of its parent directories?
    pub fn is_ignored(&self, path: &str) -> bool {
        let path = context_relative(path);
        let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let mut matched = false;
        for pattern in &self.patterns {
            if pattern.exclusion != matched {
                continue;
            }
            let mut hit = pattern.matches(&path);
            if !hit {
                let mut parent = String::new();
                for part in parts.iter().take(parts.len().saturating_sub(1)) {
                    if !parent.is_empty() {
                        parent.push('/');
                    }
                    parent.push_str(part);
                    if pattern.matches(&parent) {
                        hit = true;
                        break;
                    }
                }
            }
            if hit {
                matched = !pattern.exclusion;
            }
        }
        matched
    }
}

/// A build context on the local file system.
#[derive(Debug, Clone)]
pub struct FsBuildContext {
    pub root: PathBuf,
    pub dockerignore_path: Option<PathBuf>,
}

/// How many entries a glob source may visit before we give up (and say it exists).
const WALK_LIMIT: usize = 200_000;

impl FsBuildContext {
    pub fn new(root: PathBuf, dockerignore_path: Option<PathBuf>) -> FsBuildContext {
        FsBuildContext {
            root,
            dockerignore_path,
        }
    }

    /// The context for a Dockerfile: `workspace_root` when given, else the Dockerfile's
    /// directory. The ignore file is `<Dockerfile name>.dockerignore` next to the Dockerfile,
    /// else `.dockerignore` at the root — only if it lies inside the root.
    pub fn discover(dockerfile: &Path, workspace_root: Option<&Path>) -> Option<FsBuildContext> {
        let dir = dockerfile.parent().filter(|d| !d.as_os_str().is_empty());
        let root = match (workspace_root, dir) {
            (Some(r), _) => r.to_path_buf(),
            (None, Some(d)) => d.to_path_buf(),
            (None, None) => PathBuf::from("."),
        };
        let root = root.canonicalize().ok()?;
        let ctx = FsBuildContext::new(root, None);
        let mut candidates = Vec::new();
        if let (Some(d), Some(name)) = (dir, dockerfile.file_name()) {
            let mut n = name.to_os_string();
            n.push(".dockerignore");
            candidates.push(d.join(n));
        }
        candidates.push(ctx.root.join(".dockerignore"));
        let found = candidates
            .into_iter()
            .find(|c| ctx.inside_root(c) && c.is_file());
        Some(FsBuildContext {
            dockerignore_path: found,
            ..ctx
        })
    }

    /// True when `p` resolves (symlinks followed) to a place inside the root.
    fn inside_root(&self, p: &Path) -> bool {
        p.canonicalize().is_ok_and(|c| c.starts_with(&self.root))
    }

    /// `true` if the (cleaned, relative) path exists inside the root without following a
    /// symlink out of it.
    fn literal_exists(&self, rel: &str) -> bool {
        if rel.is_empty() {
            return true;
        }
        let parts: Vec<&str> = rel.split('/').collect();
        let mut current = self.root.clone();
        for (i, part) in parts.iter().enumerate() {
            current.push(part);
            let Ok(meta) = std::fs::symlink_metadata(&current) else {
                return false;
            };
            let last = i + 1 == parts.len();
            // The entry itself may be a link (COPY copies it); a link we would have to go
            // through must stay inside the root.
            if !last && meta.file_type().is_symlink() && !self.inside_root(&current) {
                return false;
            }
        }
        true
    }

    fn glob_exists(&self, rel: &str) -> bool {
        let Ok(glob) = GlobBuilder::new(rel)
            .literal_separator(true)
            .backslash_escape(true)
            .build()
        else {
            return true;
        };
        let m = glob.compile_matcher();
        let depth = if rel.contains("**") {
            usize::MAX
        } else {
            rel.split('/').count()
        };
        let walker = walkdir::WalkDir::new(&self.root)
            .follow_links(false)
            .min_depth(1)
            .max_depth(depth);
        for (n, entry) in walker.into_iter().enumerate() {
            if n > WALK_LIMIT {
                return true;
            }
            let Ok(entry) = entry else { continue };
            let Ok(p) = entry.path().strip_prefix(&self.root) else {
                continue;
            };
            let s = p.to_string_lossy().replace('\\', "/");
            if m.is_match(&s) {
                return true;
            }
        }
        false
    }
}

impl BuildContext for FsBuildContext {
    fn dockerignore(&self) -> Option<String> {
        let p = self.dockerignore_path.as_ref()?;
        let full = if p.is_absolute() {
            p.clone()
        } else {
            self.root.join(p)
        };
        if !self.inside_root(&full) {
            return None;
        }
        std::fs::read_to_string(full).ok()
    }

    fn path_exists(&self, path: &str) -> bool {
        let rel = context_relative(path);
        if rel.contains(['*', '?', '[']) {
            self.glob_exists(&rel)
        } else {
            self.literal_exists(&rel)
        }
    }
}

/// A build context that remembers its answers: the server lints on every keystroke, and the
/// file-system lookups of `COPY` sources (one `stat` or directory walk each) then cost more
/// than the rest of the lint. The owner decides how long to keep it (the server: a couple of
/// seconds, so files created meanwhile are noticed on a later edit).
#[derive(Debug)]
pub struct MemoBuildContext {
    inner: FsBuildContext,
    /// Unique per instance: its answers never change (see [`BuildContext::stamp`]).
    stamp: u64,
    dockerignore: std::sync::OnceLock<Option<String>>,
    exists: std::sync::Mutex<std::collections::HashMap<String, bool>>,
}

impl MemoBuildContext {
    pub fn new(inner: FsBuildContext) -> MemoBuildContext {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        MemoBuildContext {
            inner,
            stamp: NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            dockerignore: std::sync::OnceLock::new(),
            exists: std::sync::Mutex::new(std::collections::HashMap::new()),
        }
    }
}

impl MemoBuildContext {
    /// Asks the file system again everything this memo answered. `None` when every answer
    /// (and the `.dockerignore`) is still the same, so the memo — and findings computed under
    /// its stamp — stay valid; otherwise a new memo holding the new answers.
    pub fn revalidate(&self) -> Option<MemoBuildContext> {
        let fresh = MemoBuildContext::new(self.inner.clone());
        let mut same = true;
        if let Some(old) = self.dockerignore.get() {
            same &= fresh.dockerignore() == *old;
        }
        let asked: Vec<(String, bool)> = match self.exists.lock() {
            Ok(m) => m.iter().map(|(k, v)| (k.clone(), *v)).collect(),
            Err(_) => return Some(fresh),
        };
        for (path, answer) in asked {
            same &= fresh.path_exists(&path) == answer;
        }
        (!same).then_some(fresh)
    }
}

impl BuildContext for MemoBuildContext {
    fn dockerignore(&self) -> Option<String> {
        self.dockerignore
            .get_or_init(|| self.inner.dockerignore())
            .clone()
    }

    fn path_exists(&self, path: &str) -> bool {
        let known = self.exists.lock().ok().and_then(|m| m.get(path).copied());
        if let Some(v) = known {
            return v;
        }
        let v = self.inner.path_exists(path);
        if let Ok(mut m) = self.exists.lock() {
            // A racing lookup of the same path may have answered first: keep its answer, so
            // that every answer under this stamp stays the same.
            return *m.entry(path.to_string()).or_insert(v);
        }
        v
    }

    fn stamp(&self) -> Option<u64> {
        Some(self.stamp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memo_context_answers_like_its_inner_one_and_remembers() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "x").unwrap();
        let memo = MemoBuildContext::new(FsBuildContext::new(dir.path().to_path_buf(), None));
        assert!(memo.path_exists("a.txt") && !memo.path_exists("b.txt"));
        std::fs::write(dir.path().join("b.txt"), "x").unwrap();
        assert!(
            !memo.path_exists("b.txt"),
            "answers are kept for the memo's lifetime"
        );
    }

    #[test]
    fn clean_like_go() {
        assert_eq!(clean_path("./a//b/../c/"), "a/c");
        assert_eq!(clean_path("/../x"), "/x");
        assert_eq!(clean_path("../x"), "../x");
        assert_eq!(clean_path(""), ".");
        assert_eq!(context_relative("../../etc/passwd"), "etc/passwd");
    }

    #[test]
    fn dockerignore_semantics() {
        let di = DockerIgnore::parse("# comment\n*/tmp/*\n/build\nnode_modules\n**/*.log\n");
        assert!(di.is_ignored("x/tmp/a.txt"));
        assert!(!di.is_ignored("tmp/a.txt"));
        assert!(di.is_ignored("build/out/bin"));
        assert!(di.is_ignored("./node_modules/x/y.js"));
        assert!(!di.is_ignored("src/node_modules"));
        assert!(di.is_ignored("a/b/c.log") && di.is_ignored("c.log"));
        assert!(!di.has_exclusions());
        let di = DockerIgnore::parse("**\n!Dockerfile\n!src/**\n");
        assert!(di.has_exclusions() && di.ignores_root());
        assert!(!di.is_ignored("Dockerfile") && !di.is_ignored("src/a/b"));
        assert!(di.is_ignored("README.md"));
        let di = DockerIgnore::parse("*.md\n!README.md\nREADME.md\n");
        assert!(di.is_ignored("README.md"), "last match wins");
    }

    #[test]
    fn discovery_prefers_dockerfile_named_ignore_inside_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("docker")).unwrap();
        std::fs::write(root.join("docker/api.Dockerfile"), "FROM scratch\n").unwrap();
        std::fs::write(root.join(".dockerignore"), "root-level\n").unwrap();
        // Workspace root as context: the root's .dockerignore.
        let ctx =
            FsBuildContext::discover(&root.join("docker/api.Dockerfile"), Some(root)).unwrap();
        assert_eq!(ctx.dockerignore().as_deref(), Some("root-level\n"));
        // <name>.dockerignore next to the Dockerfile wins.
        std::fs::write(root.join("docker/api.Dockerfile.dockerignore"), "named\n").unwrap();
        let ctx =
            FsBuildContext::discover(&root.join("docker/api.Dockerfile"), Some(root)).unwrap();
        assert_eq!(ctx.dockerignore().as_deref(), Some("named\n"));
        // Context = the Dockerfile's directory: the root's file is outside it and not read.
        std::fs::remove_file(root.join("docker/api.Dockerfile.dockerignore")).unwrap();
        let ctx = FsBuildContext::discover(&root.join("docker/api.Dockerfile"), None).unwrap();
        assert_eq!(ctx.dockerignore(), None);
        // A named ignore file outside a sub-directory context is not read either.
        std::fs::create_dir_all(root.join("ctx")).unwrap();
        std::fs::write(root.join("api.Dockerfile"), "FROM scratch\n").unwrap();
        std::fs::write(root.join("api.Dockerfile.dockerignore"), "outside\n").unwrap();
        let ctx = FsBuildContext::discover(&root.join("api.Dockerfile"), Some(&root.join("ctx")))
            .unwrap();
        assert_eq!(ctx.dockerignore(), None);
    }

    #[test]
    fn fs_context_stays_inside_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("src/app")).unwrap();
        std::fs::write(root.join("src/app/main.go"), "x").unwrap();
        std::fs::write(root.join("Dockerfile"), "FROM scratch\n").unwrap();
        std::fs::write(root.join("Dockerfile.dockerignore"), "*.tmp\n").unwrap();
        std::fs::write(root.join(".dockerignore"), "other\n").unwrap();
        let ctx = FsBuildContext::discover(&root.join("Dockerfile"), None).unwrap();
        assert_eq!(ctx.dockerignore().as_deref(), Some("*.tmp\n"));
        assert!(ctx.path_exists("src/app/main.go"));
        assert!(ctx.path_exists("./src"));
        assert!(ctx.path_exists("src/*/main.go"));
        assert!(ctx.path_exists("**/*.go"));
        assert!(!ctx.path_exists("src/*.go"));
        assert!(!ctx.path_exists("missing.txt"));
        assert!(
            ctx.path_exists("../src"),
            "cleaned as rooted: ../src is src"
        );
        assert!(!ctx.path_exists("../../etc/passwd"));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("/etc", root.join("etc_link")).unwrap();
            assert!(
                ctx.path_exists("etc_link"),
                "the link itself is in the context"
            );
            assert!(
                !ctx.path_exists("etc_link/passwd"),
                "never followed out of the root"
            );
        }
        let outside = FsBuildContext::new(
            ctx.root.clone(),
            Some(std::env::temp_dir().join("definitely-outside.dockerignore")),
        );
        assert_eq!(outside.dockerignore(), None);
    }
}
