//! Move dependency installation before the source copy (the fix for `misordered-copy`).
//!
//! `COPY . .` followed by `RUN pip install -r requirements.txt` re-runs the install on every
//! source change. The rewrite copies only the manifests the install needs (`requirements*.txt`,
//! `pyproject.toml` + lock, `package.json` + lock, `go.mod` + `go.sum`, `Cargo.toml` +
//! `Cargo.lock`, `Gemfile` + lock, `composer.json` + lock) to the same destination, runs the
//! install there, and copies the rest afterwards. Lock files are copied with a trailing `*`
//! so a project without one still builds.
//!
//! Instructions between the copy and the install move up with the install when that cannot
//! change their meaning (`ENV`, `ARG`, `LABEL`, `EXPOSE`, copies of specific files, system
//! package installs); anything else in between (`WORKDIR`, `USER`, another `RUN`…) means the
//! rewrite is not offered. Relative manifest paths are resolved against the copy's destination,
//! so the rewrite requires the install to run there.

use super::util::{self, instruction_lines, instruction_source};
use super::Assist;
use crate::diagnostic::Edit;
use crate::rules::dfl300_misordered_copy::find;
use crate::syntax::shell::ShellIndex;
use crate::syntax::{Dockerfile, Instruction, Keyword, TextRange};

fn movable(ins: &Instruction) -> bool {
    match ins.keyword {
        Keyword::Env | Keyword::Arg | Keyword::Label | Keyword::Expose => true,
        Keyword::Copy | Keyword::Add => {
            let (sources, _) = ins.copy_sources_and_dest();
            ins.flag("from").is_none()
                && sources
                    .iter()
                    .all(|s| s.text != "." && s.text != "./" && !s.text.contains('$'))
        }
        Keyword::Run => {
            !util::package_managers(ins).is_empty()
                && !ins.args_text().contains(" . ")
                && !ins.args_text().contains("pip")
        }
        _ => false,
    }
}

fn normalize_dir(d: &str) -> String {
    let t = d.trim_end_matches('/');
    if t.is_empty() {
        "/".into()
    } else {
        t.to_string()
    }
}

pub fn assist(file: &Dockerfile, text: &str, range: TextRange) -> Vec<Assist> {
    if !file.errors.is_empty() {
        return Vec::new();
    }
    let index = ShellIndex::build(file, text);
    let mut out = Vec::new();
    for m in find(file, &index) {
        let (Some(copy), Some(install)) = (
            file.instructions.get(m.copy),
            file.instructions.get(m.install),
        ) else {
            continue;
        };
        let span = TextRange::new(copy.range.start, install.range.end);
        if !span.intersects(range) && !span.contains_inclusive(range.start) {
            continue;
        }
        if copy.args_text().contains('$') {
            continue;
        }
        let between = &file.instructions[m.copy + 1..m.install];
        if !between.iter().all(movable) {
            continue;
        }
        let (_, Some(dest)) = copy.copy_sources_and_dest() else {
            continue;
        };
        let dest = dest.text.clone();
        let dest_is_cwd = dest == "." || dest == "./";
        // Relative manifests are relative to where the install runs: require that to be the
        // copy's destination.
        let workdir = file
            .instructions
            .get(..m.install)
            .unwrap_or(&[])
            .iter()
            .rev()
            .take_while(|i| i.keyword != Keyword::From)
            .find(|i| i.keyword == Keyword::Workdir)
            .map(|i| normalize_dir(i.args_text()));
        let base = if dest_is_cwd {
            None
        } else {
            Some(normalize_dir(&dest))
        };
        let pip_like = m.what.contains(" -r ");
        let mut groups: Vec<(String, Vec<String>)> = Vec::new();
        let mut ok = true;
        for (i, manifest) in m.manifests.iter().enumerate() {
            let rel = if let Some(abs) = manifest.strip_prefix('/') {
                match &base {
                    Some(b) if b != "/" && manifest.starts_with(&format!("{b}/")) => {
                        manifest[b.len() + 1..].to_string()
                    }
                    Some(b) if b == "/" => abs.to_string(),
                    _ => {
                        ok = false;
                        break;
                    }
                }
            } else {
                if !dest_is_cwd && workdir.as_deref() != base.as_deref() {
                    ok = false;
                    break;
                }
                manifest.trim_start_matches("./").to_string()
            };
            if rel.is_empty() || rel.contains("..") || rel.contains('$') {
                ok = false;
                break;
            }
            let (dir, _) = rel.rsplit_once('/').unwrap_or(("", &rel));
            let target = match (&base, dir) {
                (None, "") => "./".to_string(),
                (None, d) => format!("./{d}/"),
                (Some(b), "") => format!("{}/", b.trim_end_matches('/')),
                (Some(b), d) => format!("{}/{d}/", b.trim_end_matches('/')),
            };
            // Lock files (every manifest after the first, outside pip) may be absent.
            let src = if !pip_like && i > 0 {
                format!("{rel}*")
            } else {
                rel
            };
            match groups.iter_mut().find(|(t, _)| *t == target) {
                Some((_, srcs)) => srcs.push(src),
                None => groups.push((target, vec![src])),
            }
        }
        if !ok || groups.is_empty() {
            continue;
        }
        let mut block = String::new();
        for (target, srcs) in &groups {
            block.push_str(&format!(
                "{} {} {target}\n",
                copy.keyword_text_for_copy(),
                srcs.join(" ")
            ));
        }
        let mut edits = Vec::new();
        for ins in between.iter().chain(std::iter::once(install)) {
            block.push_str(&util::leading_comments(file, text, ins));
            block.push_str(&instruction_source(text, ins));
            let (s, e) = instruction_lines(text, ins);
            edits.push(Edit::delete(TextRange::new(s, e)));
        }
        let at = util::line_start(text, copy.range.start);
        edits.push(Edit::insert(at, block));
        edits.sort_by_key(|e| (e.range.start, e.range.end));
        out.push(Assist {
            id: "dependency-first",
            title: format!(
                "Copy {} and run '{}' before copying the source",
                m.manifests.join(", "),
                m.what
            ),
            edits,
        });
    }
    out
}

trait CopyKeyword {
    fn keyword_text_for_copy(&self) -> &'static str;
}

impl CopyKeyword for Instruction {
    /// `COPY`, in the file's casing for lower-case files.
    fn keyword_text_for_copy(&self) -> &'static str {
        if self.keyword_text.chars().all(|c| c.is_ascii_lowercase()) {
            "copy"
        } else {
            "COPY"
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::assists::test_support::{apply, check_output};

    #[test]
    fn python_requirements() {
        let src = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nENV PIP_NO_CACHE_DIR=1\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n";
        let out = apply("dependency-first", src, 40).expect("offered");
        insta::assert_snapshot!(out, @r#"
        FROM python:3.12-slim
        WORKDIR /app
        COPY requirements.txt ./
        ENV PIP_NO_CACHE_DIR=1
        RUN pip install -r requirements.txt
        COPY . .
        CMD ["python", "app.py"]
        "#);
        check_output("dependency-first", &out);
        let file = crate::syntax::parse(&out);
        let found = crate::lint::lint(&file, &out, &crate::config::Settings::default(), None);
        assert!(!found.iter().any(|d| d.code == "DFL300"), "{found:?}");
    }

    #[test]
    fn node_with_absolute_destination() {
        let src = "FROM node:20-slim\nWORKDIR /srv\nCOPY . /srv\nRUN npm ci\nRUN npm run build\n";
        let out = apply("dependency-first", src, 35).expect("offered");
        assert!(out.contains("WORKDIR /srv\nCOPY package.json package-lock.json* /srv/\nRUN npm ci\nCOPY . /srv\nRUN npm run build\n"), "{out}");
        check_output("dependency-first", &out);
    }

    #[test]
    fn not_offered_when_unsafe_to_move() {
        for src in [
            "FROM python:3.12\nCOPY . /app\nWORKDIR /app\nRUN pip install -r requirements.txt\n",
            "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN make gen\nRUN pip install -r requirements.txt\n",
            "FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n",
        ] {
            assert_eq!(apply("dependency-first", src, 40), None, "{src}");
        }
    }
}
