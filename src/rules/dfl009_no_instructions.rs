use super::{report_syntax_errors, Check, Context};
use crate::syntax::SyntaxErrorKind;

crate::declare_rule! {
    /// The file has no instructions at all.
    ///
    /// An empty Dockerfile, or one with only comments, fails with `file with no
    /// instructions`.
    ///
    /// ```dockerfile invalid
    /// # TODO: write the Dockerfile
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM alpine:3.20
    /// ```
    ///
    /// **Fix:** add a `FROM`.
    pub NoInstructions {
        code: "DFL009",
        name: "no-instructions",
        severity: Error,
        default: true,
        fix: None,
        equivalents: [],
    }
}

impl Check for NoInstructions {
    fn check(&self, cx: &mut Context<'_>) {
        report_syntax_errors(cx, |k| matches!(k, SyntaxErrorKind::NoInstructions));
    }
}
