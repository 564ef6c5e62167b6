use super::{report_syntax_errors, Check, Context};
use crate::syntax::SyntaxErrorKind;

crate::declare_rule! {
    /// A parser directive is repeated or has an invalid value.
    ///
    /// Each of `# syntax=`, `# escape=` and `# check=` may appear once, at the very top of
    /// the file; `escape` must be a backslash or a backtick.
    ///
    /// ```dockerfile invalid
    /// # escape=^
    /// FROM alpine:3.20
    /// ```
    ///
    /// ```dockerfile valid
    /// # escape=`
    /// FROM mcr.microsoft.com/windows/servercore:ltsc2022
    /// ```
    ///
    /// **Fix:** remove the duplicate or use a valid value.
    pub InvalidDirective {
        code: "DFL007",
        name: "invalid-directive",
        severity: Error,
        default: true,
        fix: None,
        equivalents: [],
    }
}

impl Check for InvalidDirective {
    fn check(&self, cx: &mut Context<'_>) {
        report_syntax_errors(cx, |k| matches!(k, SyntaxErrorKind::InvalidDirective));
    }
}
