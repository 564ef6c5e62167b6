use super::{Check, Context};
use crate::diagnostic::{Edit, Fix};
use crate::syntax::Keyword;

crate::declare_rule! {
    /// `COPY`/`ADD` with several sources has a destination that does not end with `/`.
    ///
    /// The Dockerfile reference requires a directory destination written with a trailing
    /// slash when there are several sources. The classic builder stops with `When using COPY
    /// with more than one source file, the destination must be a directory and end with a /`;
    /// BuildKit accepts it and treats the destination as a directory (though
    /// moby/buildkit#1853 shows cases where it overwrites instead), so the same Dockerfile
    /// builds or fails depending on the builder. `.` and `..` count as directories, as
    /// BuildKit treats them. Each heredoc counts as a source. ONBUILD triggers are checked.
    /// Destinations with variables are skipped.
    ///
    /// ```dockerfile invalid
    /// FROM node:20-slim
    /// COPY package.json package-lock.json /app
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM node:20-slim
    /// COPY package.json package-lock.json /app/
    /// COPY package.json /app
    /// COPY ["a.txt", "b.txt", "/data/"]
    /// ```
    ///
    /// **Fix:** append `/` to the destination (safe: BuildKit already treats it as a
    /// directory).
    pub CopyDestNotDirectory {
        code: "DFL209",
        name: "copy-dest-not-directory",
        severity: Warning,
        default: true,
        fix: Safe,
        equivalents: ["DL3021"],
        scope: Stage,
    }
}

impl Check for CopyDestNotDirectory {
    fn check(&self, cx: &mut Context<'_>) {
        let mut found = Vec::new();
        for ins in cx.with_triggers_of(&[Keyword::Copy, Keyword::Add]) {
            let (sources, Some(dest)) = ins.copy_sources_and_dest() else {
                continue;
            };
            if sources.len() < 2 || dest.text.contains('$') {
                continue;
            }
            let d = dest.text.as_str();
            if d.ends_with('/')
                || d.ends_with('\\')
                || d.is_empty()
                || matches!(d, "." | "..")
                || d.ends_with("/.")
            {
                continue;
            }
            // Insert before a closing quote (exec form / quoted word).
            let at = if dest.raw.ends_with('"') || dest.raw.ends_with('\'') {
                dest.range.end.saturating_sub(1)
            } else {
                dest.range.end
            };
            found.push((
                dest.range,
                ins.keyword.as_str(),
                sources.len(),
                d.to_string(),
                at,
            ));
        }
        for (range, kw, n, d, at) in found {
            let msg = format!(
                "{kw} with {n} sources needs a directory destination ending in '/': write '{d}/'."
            );
            cx.report_with_fix(
                range,
                msg,
                Fix::safe(format!("Write '{d}/'"), vec![Edit::insert(at, "/")]),
            );
        }
    }
}
