use super::{report_syntax_errors, Check, Context};
use crate::syntax::SyntaxErrorKind;

crate::declare_rule! {
    /// An instruction's arguments have the wrong shape.
    ///
    /// `FROM` takes `<image> [AS <name>]`; `SHELL` needs a JSON array; `ENV` and `LABEL`
    /// pairs need `=`; `HEALTHCHECK` takes `NONE` or `CMD …`; `ONBUILD` cannot trigger
    /// `ONBUILD`, `FROM` or `MAINTAINER`. BuildKit rejects these before building.
    ///
    /// ```dockerfile invalid
    /// FROM alpine:3.20
    /// SHELL /bin/bash -c
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM alpine:3.20
    /// SHELL ["/bin/ash", "-eo", "pipefail", "-c"]
    /// ```
    ///
    /// **Fix:** follow the syntax the message gives.
    pub InvalidArguments {
        code: "DFL008",
        name: "invalid-arguments",
        severity: Error,
        default: true,
        fix: None,
        equivalents: ["DL3043"],
    }
}

impl Check for InvalidArguments {
    fn check(&self, cx: &mut Context<'_>) {
        report_syntax_errors(cx, |k| matches!(k, SyntaxErrorKind::InvalidArguments));
    }
}
