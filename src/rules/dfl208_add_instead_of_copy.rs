use super::{Check, Context};
use crate::diagnostic::{Edit, Fix};
use crate::syntax::{Instruction, Keyword};

crate::declare_rule! {
    /// `ADD` is used for local files or directories, where `COPY` does the same thing plainly.
    ///
    /// `ADD` also downloads URLs and extracts local tar archives — recognised by their
    /// content, not their name. Using it for plain files hides which of these you meant and
    /// can surprise: a file that happens to be a tarball gets unpacked. `COPY` says what it
    /// does. Not reported: URLs and Git sources, archives (`.tar`, `.tar.gz`, `.tgz`, `.xz`,
    /// …, which `ADD` extracts on purpose), `ADD` with `--checksum`, `--keep-git-dir` or
    /// `--unpack`, heredocs, and sources with variables. ONBUILD `ADD` triggers are checked.
    ///
    /// ```dockerfile invalid
    /// FROM python:3.12-slim
    /// ADD requirements.txt /app/
    /// ADD src/ /app/src/
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM python:3.12-slim
    /// ADD https://example.com/tool.tar.gz /opt/
    /// ADD rootfs.tar.xz /
    /// ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/a /a
    /// COPY requirements.txt /app/
    /// ```
    ///
    /// **Fix:** replace `ADD` with `COPY`. The fix is safe when every source is a directory or
    /// has a known non-archive extension; otherwise it is offered as unsafe (`ADD` would
    /// extract the source if it is a tar archive without a telling name).
    pub AddInsteadOfCopy {
        code: "DFL208",
        name: "add-instead-of-copy",
        severity: Warning,
        default: true,
        fix: Safe,
        equivalents: ["DL3020"],
        scope: Stage,
    }
}

const ARCHIVE_EXT: &[&str] = &[
    ".tar",
    ".tar.gz",
    ".tgz",
    ".tar.bz2",
    ".tbz2",
    ".tbz",
    ".tar.xz",
    ".txz",
    ".tar.zst",
    ".tzst",
    ".tar.lz",
    ".tar.lzma",
    ".tlz",
    ".gz",
    ".bz2",
    ".xz",
    ".zst",
    ".lzma",
];

/// Extensions of files that are certainly not tar archives.
const PLAIN_EXT: &[&str] = &[
    "txt",
    "md",
    "json",
    "yaml",
    "yml",
    "toml",
    "ini",
    "conf",
    "cfg",
    "config",
    "properties",
    "xml",
    "html",
    "htm",
    "css",
    "js",
    "mjs",
    "cjs",
    "ts",
    "py",
    "rb",
    "php",
    "pl",
    "go",
    "rs",
    "java",
    "kt",
    "c",
    "h",
    "cpp",
    "sh",
    "bash",
    "ps1",
    "bat",
    "cmd",
    "lock",
    "sum",
    "mod",
    "env",
    "pem",
    "crt",
    "key",
    "csv",
    "sql",
    "jar",
    "war",
    "zip",
    "whl",
    "so",
    "dll",
    "exe",
    "png",
    "jpg",
    "svg",
    "ico",
    "repo",
    "list",
    "service",
    "lua",
    "vim",
];

fn is_archive(src: &str) -> bool {
    let s = src.to_ascii_lowercase();
    ARCHIVE_EXT.iter().any(|e| s.ends_with(e))
}

fn is_remote(src: &str) -> bool {
    let s = src.to_ascii_lowercase();
    s.contains("://") || s.starts_with("git@")
}

/// A directory (`.`, `dir/`) or a file with a plain extension.
fn certainly_not_archive(src: &str) -> bool {
    if src == "." || src == ".." || src.ends_with('/') || src.ends_with("/.") {
        return true;
    }
    let name = src.rsplit('/').next().unwrap_or(src);
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => {
            PLAIN_EXT.iter().any(|p| p.eq_ignore_ascii_case(ext))
        }
        _ => false,
    }
}

fn candidate(ins: &Instruction) -> Option<bool> {
    if ins.keyword != Keyword::Add || !ins.heredocs.is_empty() {
        return None;
    }
    if ins
        .flags
        .iter()
        .any(|f| !matches!(f.name.as_str(), "chown" | "chmod" | "link" | "exclude"))
    {
        return None;
    }
    let (sources, dest) = ins.copy_sources_and_dest();
    dest?;
    if sources.is_empty() {
        return None;
    }
    if sources
        .iter()
        .any(|s| s.text.contains('$') || is_remote(&s.text) || is_archive(&s.text))
    {
        return None;
    }
    Some(sources.iter().all(|s| certainly_not_archive(&s.text)))
}

impl Check for AddInsteadOfCopy {
    fn check(&self, cx: &mut Context<'_>) {
        let found: Vec<_> = cx
            .with_triggers_of(&[Keyword::Add])
            .into_iter()
            .filter_map(|i| candidate(i).map(|safe| (i, safe)))
            .map(|(i, safe)| {
                let (sources, _) = i.copy_sources_and_dest();
                let names: Vec<_> = sources.iter().map(|s| s.text.clone()).collect();
                (i.keyword_range, i.keyword_text.clone(), names, safe)
            })
            .collect();
        for (range, kw, names, safe) in found {
            let copy = if kw.chars().all(|c| c.is_ascii_lowercase()) {
                "copy"
            } else {
                "COPY"
            };
            let msg = format!(
                "Use COPY instead of ADD for local files ({}): ADD is for URLs and for archives to extract.",
                names.join(", ")
            );
            let edits = vec![Edit::replace(range, copy)];
            let fix = if safe {
                Fix::safe("Replace ADD with COPY", edits)
            } else {
                Fix::unsafe_(
                    "Replace ADD with COPY (ADD would extract the source if it is a tar archive)",
                    edits,
                )
            };
            cx.report_with_fix(range, msg, fix);
        }
    }
}
