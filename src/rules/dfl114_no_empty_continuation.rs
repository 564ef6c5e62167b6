use super::{Check, Context};
use crate::diagnostic::{Edit, Fix};
use crate::syntax::TextRange;

crate::declare_rule! {
    /// An empty line inside an instruction continued with `\`.
    ///
    /// BuildKit skips it today and warns that empty continuation lines will become errors
    /// in a future release. It usually means a trailing `\` was left on the line above, so
    /// the next instruction may have been swallowed by this one.
    ///
    /// ```dockerfile invalid
    /// FROM alpine:3.20
    /// RUN apk add --no-cache \
    ///
    ///     curl
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM alpine:3.20
    /// RUN apk add --no-cache \
    ///     # a comment line is fine
    ///     curl
    /// ```
    ///
    /// **Fix (safe):** delete the empty line.
    pub NoEmptyContinuation {
        code: "DFL114",
        name: "no-empty-continuation",
        severity: Warning,
        default: true,
        fix: Safe,
        equivalents: ["BuildKit:NoEmptyContinuation"],
        scope: Stage,
    }
}

impl Check for NoEmptyContinuation {
    fn check(&self, cx: &mut Context<'_>) {
        let file = cx.file;
        for r in &file.empty_continuation_lines {
            // The "line" after a final newline is not a line (BuildKit's scanner never sees it).
            if (r.is_empty() && r.start >= cx.text.len()) || !cx.focused_at(r.start) {
                continue;
            }
            let line = file.lines.line_col(r.start).0;
            let next = file.lines.line_start(line + 1).max(r.end);
            cx.report_with_fix(
                *r,
                "Empty continuation line: BuildKit will reject it in a future release; delete it (or end the line above without the escape character).",
                Fix::safe(
                    "Delete the empty line",
                    vec![Edit::delete(TextRange::new(r.start, next))],
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::snapshot;

    #[test]
    fn empty_lines() {
        insta::assert_snapshot!(snapshot(
            &super::NoEmptyContinuation,
            "FROM scratch\nCOPY a \\\n\n  \nb\nCOPY a \\\n# c\nb\n"
        ));
        let at_eof = "FROM scratch\nENV a=b \\\n";
        assert_eq!(snapshot(&super::NoEmptyContinuation, at_eof), "");
    }
}
