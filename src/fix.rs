//! Applying every available fix to a file (`check --fix`). Pure: text in, text out.

use crate::config::Settings;
use crate::diagnostic::{apply_edits, Applicability, Edit, Fix};
use crate::lint::lint_text;

/// How many lint → fix rounds [`fix_all`] runs at most (a fix can uncover another finding).
pub const MAX_ROUNDS: usize = 10;

fn overlaps(a: &Edit, b: &Edit) -> bool {
    a.range.intersects(b.range)
        // Two insertions at one point, or an insertion at the edge of a replacement, would be
        // ordered arbitrarily: treat them as conflicting too.
        || (a.range.start == b.range.start && (a.range.is_empty() || b.range.is_empty()))
}

/// Lints `text`, applies the first applicable fix of every finding whose edits do not
/// overlap a fix already chosen, and repeats on the result until no fix applies or
/// [`MAX_ROUNDS`] is reached. Fixes marked [`Applicability::Unsafe`] are used only when
/// `include_unsafe` is true. Returns the new text and the number of fixes applied.
pub fn fix_all(text: &str, settings: &Settings, include_unsafe: bool) -> (String, usize) {
    let mut current = text.to_string();
    let mut applied = 0;
    for _ in 0..MAX_ROUNDS {
        let diagnostics = lint_text(&current, settings);
        let mut chosen: Vec<&Fix> = Vec::new();
        for d in &diagnostics {
            let fix = d.fixes.iter().find(|f| {
                (include_unsafe || f.applicability == Applicability::Safe) && !f.edits.is_empty()
            });
            let Some(fix) = fix else {
                continue;
            };
            let conflicts = chosen.iter().any(|c| {
                c.edits
                    .iter()
                    .any(|a| fix.edits.iter().any(|b| overlaps(a, b)))
            });
            let self_overlap = fix
                .edits
                .iter()
                .enumerate()
                .any(|(i, a)| fix.edits.iter().skip(i + 1).any(|b| overlaps(a, b)));
            if !conflicts && !self_overlap {
                chosen.push(fix);
            }
        }
        if chosen.is_empty() {
            break;
        }
        let edits: Vec<Edit> = chosen
            .iter()
            .flat_map(|f| f.edits.iter().cloned())
            .collect();
        let (next, _skipped) = apply_edits(&current, &edits);
        if next == current {
            break;
        }
        applied += chosen.len();
        current = next;
    }
    (current, applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_fixes_need_opting_in() {
        let text = "FROM alpine:3.20\nRUNN true\nCOPY --form=build /a /b\n";
        let (out, n) = fix_all(text, &Settings::default(), false);
        assert_eq!((out.as_str(), n), (text, 0));
        let (out, n) = fix_all(text, &Settings::default(), true);
        assert_eq!(out, "FROM alpine:3.20\nRUN true\nCOPY --from=build /a /b\n");
        assert_eq!(n, 2);
    }

    #[test]
    fn safe_fixes_apply_by_default() {
        // DFL106 from-as-casing offers a safe fix.
        let (out, n) = fix_all("FROM alpine:3.20 as build\n", &Settings::default(), false);
        assert_eq!((out.as_str(), n), ("FROM alpine:3.20 AS build\n", 1));
    }

    #[test]
    fn disabled_rules_do_not_fix() {
        let mut settings = Settings::default();
        settings.ignored.push("DFL001".into());
        let (out, n) = fix_all("FROM alpine\nRUNN true\n", &settings, true);
        assert_eq!((out.as_str(), n), ("FROM alpine\nRUNN true\n", 0));
    }

    #[test]
    fn overlapping_edits_conflict() {
        let e = |s, e| Edit::replace(crate::syntax::TextRange::new(s, e), "x");
        assert!(overlaps(&e(0, 3), &e(2, 4)));
        assert!(!overlaps(&e(0, 2), &e(2, 4)));
        assert!(overlaps(&e(2, 2), &e(2, 4)));
    }

    #[test]
    fn nothing_to_fix_is_identity() {
        let text = "FROM alpine:3.20\nRUN true\n";
        assert_eq!(
            fix_all(text, &Settings::default(), true),
            (text.to_string(), 0)
        );
    }
}
