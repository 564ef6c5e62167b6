use super::{report_syntax_errors, Check, Context};
use crate::syntax::SyntaxErrorKind;

crate::declare_rule! {
    /// An instruction other than `ARG` comes before the first `FROM`.
    ///
    /// Only `ARG` (and parser directives and comments) may precede the first `FROM`;
    /// anything else fails with `no build stage in current context`.
    ///
    /// ```dockerfile invalid
    /// ENV APP_HOME=/app
    /// FROM python:3.12-slim
    /// ```
    ///
    /// ```dockerfile valid
    /// ARG PYTHON_VERSION=3.12
    /// FROM python:${PYTHON_VERSION}-slim
    /// ENV APP_HOME=/app
    /// ```
    ///
    /// **Fix:** move the instruction below the `FROM`, or make it an `ARG`.
    pub InstructionBeforeFrom {
        code: "DFL003",
        name: "instruction-before-from",
        severity: Error,
        default: true,
        fix: None,
        equivalents: ["DL3061"],
    }
}

impl Check for InstructionBeforeFrom {
    fn check(&self, cx: &mut Context<'_>) {
        report_syntax_errors(cx, |k| matches!(k, SyntaxErrorKind::InstructionBeforeFrom));
    }
}
