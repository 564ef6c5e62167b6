use super::{report_syntax_errors, Check, Context};
use crate::syntax::SyntaxErrorKind;

crate::declare_rule! {
    /// A flag is missing its value, or a boolean flag has a value other than true/false.
    ///
    /// ```dockerfile invalid
    /// FROM alpine:3.20
    /// COPY --chown app.sh /usr/local/bin/
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM alpine:3.20
    /// COPY --chown=app:app app.sh /usr/local/bin/
    /// ```
    ///
    /// **Fix:** write the flag as `--name=value`.
    pub InvalidFlagValue {
        code: "DFL006",
        name: "invalid-flag-value",
        severity: Error,
        default: true,
        fix: None,
        equivalents: [],
    }
}

impl Check for InvalidFlagValue {
    fn check(&self, cx: &mut Context<'_>) {
        report_syntax_errors(cx, |k| matches!(k, SyntaxErrorKind::InvalidFlagValue));
    }
}
