use super::{report_syntax_errors, Check, Context};
use crate::syntax::SyntaxErrorKind;

crate::declare_rule! {
    /// A heredoc (`<<EOF`) is never closed.
    ///
    /// Everything up to the end of the file becomes part of the heredoc, so the instructions
    /// after it silently disappear from the build.
    ///
    /// ```dockerfile invalid
    /// FROM alpine:3.20
    /// RUN <<EOF
    /// apk add --no-cache curl
    /// EOF-
    /// CMD ["sh"]
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM alpine:3.20
    /// RUN <<EOF
    /// apk add --no-cache curl
    /// EOF
    /// CMD ["sh"]
    /// ```
    ///
    /// **Fix:** add a line consisting of exactly the delimiter (with `<<-`, leading tabs are
    /// allowed).
    pub UnterminatedHeredoc {
        code: "DFL004",
        name: "unterminated-heredoc",
        severity: Error,
        default: true,
        fix: None,
        equivalents: [],
    }
}

impl Check for UnterminatedHeredoc {
    fn check(&self, cx: &mut Context<'_>) {
        report_syntax_errors(cx, |k| matches!(k, SyntaxErrorKind::UnterminatedHeredoc));
    }
}
