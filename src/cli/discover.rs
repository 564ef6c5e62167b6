//! Which files `check` reads: explicit files, standard input, and Dockerfiles found by walking
//! directories.

use std::path::{Path, PathBuf};

/// Directories never descended into.
pub const SKIPPED_DIRS: &[&str] = &[".git", "node_modules", "target"];

/// One thing to check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    File(PathBuf),
    Stdin,
}

/// True when a file name looks like a Dockerfile: `Dockerfile`, `Dockerfile.*`,
/// `*.Dockerfile`, `Containerfile*` (each also lower-case), but not `*.dockerignore`
/// (BuildKit's per-Dockerfile ignore files such as `Dockerfile.dockerignore`).
pub fn is_dockerfile_name(name: &str) -> bool {
    if name.ends_with(".dockerignore") {
        return false;
    }
    let dockerfile_stem = ["Dockerfile", "dockerfile"]
        .iter()
        .any(|b| match name.strip_prefix(b) {
            Some("") => true,
            Some(rest) => rest.strip_prefix('.').is_some_and(|r| !r.is_empty()),
            None => false,
        });
    dockerfile_stem
        || name.starts_with("Containerfile")
        || name.starts_with("containerfile")
        || ((name.ends_with(".Dockerfile") || name.ends_with(".dockerfile"))
            && name.len() > ".Dockerfile".len())
}

/// Walks `dir` in a deterministic (sorted by name) order and returns the Dockerfiles found,
/// plus an error message for every directory entry that could not be read. Symbolic links
/// to directories are not followed; symbolic links named like Dockerfiles are returned (and
/// fail when read if they dangle).
pub fn walk(dir: &Path) -> (Vec<PathBuf>, Vec<String>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || !e.file_type().is_dir()
                || !SKIPPED_DIRS
                    .iter()
                    .any(|s| e.file_name().to_str() == Some(*s))
        });
    for entry in walker {
        match entry {
            Ok(e) => {
                if e.file_type().is_dir() {
                    continue;
                }
                let named = e.file_name().to_str().is_some_and(is_dockerfile_name);
                if named {
                    files.push(e.into_path());
                }
            }
            Err(err) => {
                let path = err
                    .path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| dir.display().to_string());
                let why = err
                    .io_error()
                    .map(|e| e.to_string())
                    .unwrap_or_else(|| err.to_string());
                errors.push(format!("{path}: {why}"));
            }
        }
    }
    (files, errors)
}

/// Expands the command-line paths: `-` is standard input, a directory is walked, anything
/// else is a file checked whatever its name (a missing file fails when read). Duplicates
/// are dropped, keeping the first. Returns the targets and the walk errors.
pub fn targets(paths: &[String]) -> (Vec<Target>, Vec<String>) {
    let mut out: Vec<Target> = Vec::new();
    let mut errors = Vec::new();
    let push = |t: Target, out: &mut Vec<Target>| {
        if !out.contains(&t) {
            out.push(t);
        }
    };
    for p in paths {
        if p == "-" {
            push(Target::Stdin, &mut out);
            continue;
        }
        let path = PathBuf::from(p);
        if path.is_dir() {
            let (files, errs) = walk(&path);
            for f in files {
                push(Target::File(f), &mut out);
            }
            errors.extend(errs);
        } else {
            push(Target::File(path), &mut out);
        }
    }
    (out, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockerfile_names() {
        for yes in [
            "Dockerfile",
            "dockerfile",
            "Dockerfile.dev",
            "dockerfile.prod",
            "api.Dockerfile",
            "web.dockerfile",
            "Containerfile",
            "Containerfile.build",
            "containerfile",
        ] {
            assert!(is_dockerfile_name(yes), "{yes}");
        }
        for no in [
            "Dockerfile.dockerignore",
            "api.Dockerfile.dockerignore",
            ".dockerignore",
            "Dockerfile.",
            "Dockerfiles",
            "MyDockerfile",
            ".Dockerfile",
            "docker-compose.yml",
            "README.md",
        ] {
            assert!(!is_dockerfile_name(no), "{no}");
        }
    }
}
