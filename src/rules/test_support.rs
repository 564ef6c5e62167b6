//! Helpers for rule tests.

use crate::config::Settings;
use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Rule};

/// Runs one rule (enabled regardless of its default) on `text`, with [`FakeShellCheck`].
pub fn check(rule: &dyn Rule, text: &str) -> Vec<Diagnostic> {
    let file = crate::syntax::parse(text);
    // Rules that need a configured list (DFL210) run their examples with this one.
    let settings = Settings {
        trusted_registries: vec!["docker.io".to_string()],
        ..Settings::default()
    };
    let mut cx = Context::new(&file, text, &settings, None);
    cx.shellcheck = Some(&FakeShellCheck);
    cx.run(rule);
    cx.finish()
}

/// A stand-in for ShellCheck in tests: reports SC2086 for every `$` that follows a space
/// (an unquoted expansion in the simple cases the doc examples use).
pub struct FakeShellCheck;

impl crate::shellcheck::ShellCheckRunner for FakeShellCheck {
    fn check(
        &self,
        script: &str,
        _dialect: &str,
    ) -> Option<Vec<crate::shellcheck::ShellCheckComment>> {
        let mut out = Vec::new();
        for (l, line) in script.lines().enumerate() {
            for (i, _) in line.match_indices(" $") {
                let name_len = line[i + 2..]
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(line.len() - i - 2);
                out.push(crate::shellcheck::ShellCheckComment {
                    line: l + 1,
                    end_line: l + 1,
                    column: i + 2,
                    end_column: i + 3 + name_len,
                    level: "info".into(),
                    code: 2086,
                    message: "Double quote to prevent globbing and word splitting.".into(),
                });
            }
        }
        Some(out)
    }
}

/// Renders diagnostics as `line:col-line:col code message` lines (1-based) for snapshots.
pub fn render(text: &str, diags: &[Diagnostic]) -> String {
    let li = crate::syntax::LineIndex::new(text);
    let mut out = String::new();
    for d in diags {
        let (l1, c1) = li.line_col(d.range.start);
        let (l2, c2) = li.line_col(d.range.end);
        out.push_str(&format!(
            "{}:{}-{}:{} {} {}\n",
            l1 + 1,
            c1 + 1,
            l2 + 1,
            c2 + 1,
            d.code,
            d.message
        ));
    }
    out
}

/// Runs one rule with a build context.
pub fn check_with_context(
    rule: &dyn Rule,
    text: &str,
    build_context: &dyn crate::rules::BuildContext,
) -> Vec<Diagnostic> {
    let file = crate::syntax::parse(text);
    let settings = Settings::default();
    let mut cx = Context::new(&file, text, &settings, Some(build_context));
    cx.run(rule);
    cx.finish()
}

/// Renders diagnostics like [`render`], each followed by its fixes as
/// `  fix (safe|unsafe) <title>: <changed lines>` for snapshots.
pub fn render_with_fixes(text: &str, diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        out.push_str(&render(text, std::slice::from_ref(d)));
        for fix in &d.fixes {
            let (fixed, skipped) = crate::diagnostic::apply_edits(text, &fix.edits);
            assert_eq!(skipped, 0, "overlapping edits in fix '{}'", fix.title);
            let old: Vec<&str> = text.lines().collect();
            let changed: Vec<&str> = fixed.lines().filter(|l| !old.contains(l)).collect();
            out.push_str(&format!(
                "  fix ({}) {}: {}\n",
                match fix.applicability {
                    crate::diagnostic::Applicability::Safe => "safe",
                    crate::diagnostic::Applicability::Unsafe => "unsafe",
                },
                fix.title,
                changed.join(" | ")
            ));
        }
    }
    out
}

/// Runs `rule` on `text` and renders the result with fixes.
pub fn snapshot(rule: &dyn Rule, text: &str) -> String {
    render_with_fixes(text, &check(rule, text))
}
