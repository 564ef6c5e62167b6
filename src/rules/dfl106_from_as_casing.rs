use super::buildkit::is_self_consistent_casing;
use super::{Check, Context};
use crate::diagnostic::{Edit, Fix};
use crate::syntax::Keyword;

crate::declare_rule! {
    /// The `AS` of a `FROM … AS name` is not written in the casing of its `FROM`.
    ///
    /// `FROM` in upper case wants `AS`, `from` wants `as`. A `FROM` in mixed casing is left
    /// to `consistent-instruction-casing`.
    ///
    /// ```dockerfile invalid
    /// FROM golang:1.22 as build
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM golang:1.22 AS build
    /// from alpine:3.20 as runtime
    /// ```
    ///
    /// **Fix (safe):** rewrite `as` in the casing of `FROM`.
    pub FromAsCasing {
        code: "DFL106",
        name: "from-as-casing",
        severity: Info,
        default: true,
        fix: Safe,
        equivalents: ["BuildKit:FromAsCasing"],
        scope: Outline,
    }
}

impl Check for FromAsCasing {
    fn check(&self, cx: &mut Context<'_>) {
        let file = cx.file;
        for ins in file.instructions_of(&[Keyword::From]) {
            if ins.args.len() != 3 {
                continue;
            }
            let kw = &ins.keyword_text;
            let Some(as_word) = ins.args.get(1) else {
                continue;
            };
            if !as_word.text.eq_ignore_ascii_case("as") || !is_self_consistent_casing(kw) {
                continue;
            }
            let want = if *kw == kw.to_lowercase() { "as" } else { "AS" };
            if as_word.raw == want {
                continue;
            }
            cx.report_with_fix(
                as_word.range,
                format!(
                    "'{}' and '{kw}' keywords' casing do not match: write '{want}'.",
                    as_word.raw
                ),
                Fix::safe(
                    format!("Write '{want}'"),
                    vec![Edit::replace(as_word.range, want)],
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::snapshot;

    #[test]
    fn as_follows_from() {
        insta::assert_snapshot!(snapshot(
            &super::FromAsCasing,
            "FROM alpine as a\nfrom alpine AS b\nFROM alpine As c\nFrom alpine as d\nFROM alpine AS e\nfrom alpine as f\n"
        ));
    }
}
