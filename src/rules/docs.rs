//! Generates `docs/rules.md` from the rules' doc comments.

use super::{RuleMeta, REGISTRY};

/// The anchor of a rule's section in docs/rules.md.
pub fn anchor(meta: &RuleMeta) -> String {
    format!("{}-{}", meta.code.to_ascii_lowercase(), meta.name)
}

/// Strips the ` invalid`/` valid` markers from code fences so the markdown renders.
fn render_docs(docs: &str) -> String {
    let mut out = String::new();
    let mut in_fence = false;
    for line in docs.lines() {
        let line = line.strip_prefix(' ').unwrap_or(line);
        if let Some(info) = line.trim_start().strip_prefix("```") {
            if !in_fence {
                let label = if info.ends_with(" invalid") {
                    Some("Invalid:")
                } else if info.ends_with(" valid") {
                    Some("Valid:")
                } else {
                    None
                };
                if let Some(label) = label {
                    out.push_str(label);
                    out.push_str("\n\n");
                }
                if info.trim().starts_with("text") {
                    out.push_str("```text\n");
                } else {
                    out.push_str("```dockerfile\n");
                }
            } else {
                out.push_str("```\n");
            }
            in_fence = !in_fence;
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The whole of docs/rules.md.
pub fn rules_markdown() -> String {
    let mut out = String::from(
        "<!-- Generated from the rule doc comments in src/rules/ by `cargo test` \
         (UPDATE_DOCS=1 rewrites it). Do not edit by hand. -->\n\n# Rules\n\n\
         Codes: `DFL0xx` syntax errors, `DFL1xx` BuildKit build checks, `DFL2xx` \
         instruction-level best practices, `DFL3xx` shell analysis of `RUN`, `DFL4xx` \
         build-context and secret checks. Every rule can be configured or suppressed by its \
         code, its name, or its equivalent in hadolint (`DL…`) or BuildKit.\n\n\
         | Code | Name | Severity | Default | Fix | Equivalents |\n\
         |---|---|---|---|---|---|\n",
    );
    for r in REGISTRY {
        let m = r.meta();
        out.push_str(&format!(
            "| [{}](#{}) | `{}` | {} | {} | {} | {} |\n",
            m.code,
            anchor(m),
            m.name,
            m.severity.as_str(),
            if m.default_enabled { "on" } else { "opt-in" },
            m.fix.as_str(),
            m.equivalents.join(", ")
        ));
    }
    for r in REGISTRY {
        let m = r.meta();
        out.push_str(&format!(
            "\n<a id=\"{}\"></a>\n## {} `{}`\n\n",
            anchor(m),
            m.code,
            m.name
        ));
        out.push_str(&format!(
            "Severity: **{}** · {} · fix: {}{}\n\n",
            m.severity.as_str(),
            if m.default_enabled {
                "on by default"
            } else {
                "opt-in"
            },
            m.fix.as_str(),
            if m.equivalents.is_empty() {
                String::new()
            } else {
                format!(" · equivalents: {}", m.equivalents.join(", "))
            }
        ));
        out.push_str(&render_docs(m.docs));
    }
    out
}

/// Doc examples: (is_invalid, code) for every fenced ` invalid`/` valid` example.
pub fn examples(meta: &RuleMeta) -> Vec<(bool, String)> {
    let mut out = Vec::new();
    let mut current: Option<(bool, String)> = None;
    for line in meta.docs.lines() {
        let line = line.strip_prefix(' ').unwrap_or(line);
        if let Some(info) = line.trim_start().strip_prefix("```") {
            match current.take() {
                Some(ex) => out.push(ex),
                None => {
                    if info.ends_with(" invalid") {
                        current = Some((true, String::new()));
                    } else if info.ends_with(" valid") {
                        current = Some((false, String::new()));
                    } else {
                        // unmarked fence: skip its content
                        current = None;
                    }
                }
            }
            continue;
        }
        if let Some((_, code)) = current.as_mut() {
            code.push_str(line);
            code.push('\n');
        }
    }
    out
}

/// The build context a rule's examples assume: the lines of a ```` ```text build-context ````
/// block, each `path: content` (one line of content per file).
pub fn example_context(meta: &RuleMeta) -> Option<Vec<(String, String)>> {
    let mut files = Vec::new();
    let mut inside = false;
    let mut found = false;
    for line in meta.docs.lines() {
        let line = line.strip_prefix(' ').unwrap_or(line);
        if let Some(info) = line.trim_start().strip_prefix("```") {
            if inside {
                inside = false;
            } else if info.trim() == "text build-context" {
                inside = true;
                found = true;
            }
            continue;
        }
        if inside {
            if let Some((path, content)) = line.split_once(": ") {
                files.push((path.trim().to_string(), format!("{content}\n")));
            }
        }
    }
    found.then_some(files)
}
