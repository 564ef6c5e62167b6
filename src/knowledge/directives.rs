//! Parser directives (`# syntax=`, `# escape=`, `# check=`): documentation and values.
//! BuildKit check names as of dockerfile frontend 1.x, last checked 2026-11-23.

use super::flags::ValueDoc;

/// A parser directive.
#[derive(Clone, Copy, Debug)]
pub struct DirectiveDoc {
    pub name: &'static str,
    pub summary: &'static str,
    pub doc: &'static str,
    /// Snippet inserted after `# ` (name and value).
    pub snippet: &'static str,
    pub values: &'static [ValueDoc],
}

const fn v(value: &'static str, doc: &'static str) -> ValueDoc {
    ValueDoc { value, doc }
}

pub static DIRECTIVES: &[DirectiveDoc] = &[
    DirectiveDoc {
        name: "syntax",
        summary: "Selects the Dockerfile frontend (the parser BuildKit uses for this file).",
        doc: "`# syntax=docker/dockerfile:1` always uses the latest stable 1.x frontend, so newer \
features (heredocs, `COPY --parents`, `RUN --mount` options, build checks) work even with an \
older Docker engine. Pin a minor version (`docker/dockerfile:1.10`) for fully reproducible \
builds; `:1-labs` enables experimental features. Must be on the first lines of the file.",
        snippet: "syntax=${1:docker/dockerfile:1}",
        values: &[
            v(
                "docker/dockerfile:1",
                "the latest stable 1.x frontend (recommended)",
            ),
            v(
                "docker/dockerfile:1-labs",
                "stable plus experimental (labs) features",
            ),
            v("docker/dockerfile:1.10", "a pinned minor version"),
        ],
    },
    DirectiveDoc {
        name: "escape",
        summary: "Sets the escape (line continuation) character: `\\` (default) or `` ` ``.",
        doc: "A backtick is convenient on Windows, where `\\` is the path separator: \
`# escape=`` ` ``. Must appear before any instruction, comment or empty line.",
        snippet: "escape=${1:`}",
        values: &[
            v("\\", "backslash (the default)"),
            v("`", "backtick (common in Windows Dockerfiles)"),
        ],
    },
    DirectiveDoc {
        name: "check",
        summary: "Configures BuildKit's build checks for this file.",
        doc: "`skip=<Rule1>,<Rule2>` turns the named checks off (`skip=all` turns all of them \
off); `error=true` makes the build fail when a check reports something. Options are separated \
by `;`: `# check=skip=JSONArgsRecommended;error=true`.",
        snippet: "check=${1:skip=${2:JSONArgsRecommended}}",
        values: &[
            v("skip=", "comma-separated check names to skip, or `all`"),
            v("error=true", "fail the build on any check violation"),
        ],
    },
];

/// BuildKit's build check names (for `# check=skip=`).
pub use crate::suppress::BUILDKIT_CHECKS;

/// The directive named `name` (case-insensitive).
pub fn directive_doc(name: &str) -> Option<&'static DirectiveDoc> {
    DIRECTIVES
        .iter()
        .find(|d| d.name.eq_ignore_ascii_case(name))
}

/// Markdown for hover.
pub fn directive_markdown(name: &str) -> Option<String> {
    let d = directive_doc(name)?;
    let mut out = format!(
        "**`# {}=`** parser directive — {}\n\n{}\n",
        d.name, d.summary, d.doc
    );
    if !d.values.is_empty() {
        out.push_str("\nValues:\n");
        for v in d.values {
            out.push_str(&format!("- `{}`: {}\n", v.value, v.doc));
        }
    }
    Some(out)
}
