//! Helpers for rule tests.

use crate::config::Settings;
use crate::diagnostic::Diagnostic;
use crate::rules::{Context, Rule};

/// Runs one rule (enabled regardless of its default) on `text`.
pub fn check(rule: &dyn Rule, text: &str) -> Vec<Diagnostic> {
    let file = crate::syntax::parse(text);
    // Rules that need a configured list (DFL210) run their examples with this one.
    let settings = Settings {
        trusted_registries: vec!["docker.io".to_string()],
        ..Settings::default()
    };
    let mut cx = Context::new(&file, text, &settings, None);
    cx.run(rule);
    cx.finish()
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
