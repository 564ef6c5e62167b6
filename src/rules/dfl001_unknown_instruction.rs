use super::{Check, Context};
use crate::diagnostic::{Edit, Fix};
use crate::syntax::SyntaxErrorKind;

crate::declare_rule! {
    /// An instruction keyword that Docker does not know.
    ///
    /// BuildKit stops the build with `unknown instruction`. The most common causes are a
    /// typo (`RUNN`, `COPPY`) and a shell line that lost the backslash ending the line
    /// before it, so the line is read as a new instruction.
    ///
    /// ```dockerfile invalid
    /// FROM alpine:3.20
    /// RUN apk add --no-cache curl
    ///     && curl --version
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM alpine:3.20
    /// RUN apk add --no-cache curl \
    ///     && curl --version
    /// ```
    ///
    /// **Fix:** correct the keyword (the message suggests the closest instruction), or end
    /// the previous line with the escape character.
    pub UnknownInstruction {
        code: "DFL001",
        name: "unknown-instruction",
        severity: Error,
        default: true,
        fix: Unsafe,
        equivalents: [],
    }
}

impl Check for UnknownInstruction {
    fn check(&self, cx: &mut Context<'_>) {
        let errors: Vec<_> = cx.file.errors.clone();
        for e in errors {
            if let SyntaxErrorKind::UnknownInstruction { suggestion } = &e.kind {
                let d = cx.report(e.range, e.message.clone());
                if let Some(s) = suggestion {
                    let text = s.to_string();
                    d.fixes.push(Fix::unsafe_(
                        format!("Replace with '{text}'"),
                        vec![Edit::replace(e.range, text)],
                    ));
                }
            }
        }
    }
}
