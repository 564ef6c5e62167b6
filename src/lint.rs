//! The lint entry point: run the enabled rules, apply configuration and suppressions, sort.

use crate::config::Settings;
use crate::diagnostic::Diagnostic;
use crate::rules::{BuildContext, Context, REGISTRY};
use crate::suppress::Suppressions;
use crate::syntax::Dockerfile;

/// Lints a parsed file. Deterministic: sorted by position, then code.
pub fn lint(
    file: &Dockerfile,
    text: &str,
    settings: &Settings,
    build_context: Option<&dyn BuildContext>,
) -> Vec<Diagnostic> {
    lint_with(file, text, settings, build_context, None)
}

/// [`lint`] with a ShellCheck runner for the `shellcheck` rule (the CLI and the server pass
/// [`crate::shellcheck::ProcessRunner`] when `shellcheck` is on PATH and enabled).
pub fn lint_with(
    file: &Dockerfile,
    text: &str,
    settings: &Settings,
    build_context: Option<&dyn BuildContext>,
    shellcheck: Option<&dyn crate::shellcheck::ShellCheckRunner>,
) -> Vec<Diagnostic> {
    let mut cx = Context::new(file, text, settings, build_context);
    cx.shellcheck = shellcheck;
    for rule in REGISTRY {
        if settings.is_enabled(rule.meta()) {
            cx.run(*rule);
        }
    }
    let suppressions = Suppressions::new(file);
    let configured_levels = !settings.rules.is_empty();
    let mut out: Vec<Diagnostic> = cx
        .finish()
        .into_iter()
        .filter(|d| !suppressions.is_suppressed(d))
        .map(|mut d| {
            if let Some(rule) = crate::rules::rule_by_code(d.code).filter(|_| configured_levels) {
                // Only a configured level overrides: some rules (shellcheck) report each
                // finding with its own severity.
                let configured = settings.severity(rule.meta());
                if configured != rule.meta().severity {
                    d.severity = configured;
                }
            }
            d
        })
        .collect();
    out.sort_by(|a, b| {
        (a.range.start, a.range.end, a.code).cmp(&(b.range.start, b.range.end, b.code))
    });
    out.dedup();
    out
}

/// Parses and lints `text`.
pub fn lint_text(text: &str, settings: &Settings) -> Vec<Diagnostic> {
    let file = crate::syntax::parse(text);
    lint(&file, text, settings, None)
}
