use super::{report_syntax_errors, Check, Context};
use crate::syntax::SyntaxErrorKind;

crate::declare_rule! {
    /// An instruction is missing a required argument.
    ///
    /// `COPY` and `ADD` need a source and a destination, `FROM` an image, `ENV` a value,
    /// `WORKDIR` a path, and so on. BuildKit rejects the Dockerfile before building.
    ///
    /// ```dockerfile invalid
    /// FROM alpine:3.20
    /// COPY app.py
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM alpine:3.20
    /// COPY app.py /app/
    /// ```
    ///
    /// **Fix:** add the missing argument.
    pub MissingArguments {
        code: "DFL002",
        name: "missing-arguments",
        severity: Error,
        default: true,
        fix: None,
        equivalents: [],
    }
}

impl Check for MissingArguments {
    fn check(&self, cx: &mut Context<'_>) {
        report_syntax_errors(cx, |k| matches!(k, SyntaxErrorKind::MissingArguments));
    }
}
