use super::{Check, Context};
use crate::diagnostic::{Edit, Fix};
use crate::syntax::SyntaxErrorKind;

crate::declare_rule! {
    /// A flag the instruction does not accept.
    ///
    /// Checked against BuildKit's current flags: `FROM --platform`; `RUN --mount`,
    /// `--network`, `--security`, `--device`; `COPY --from --chown --chmod --link --parents
    /// --exclude`; `ADD --chown --chmod --link --checksum --keep-git-dir --exclude --unpack`;
    /// `HEALTHCHECK --interval --timeout --start-period --start-interval --retries`. Other
    /// instructions take no flags. BuildKit fails with `unknown flag`.
    ///
    /// ```dockerfile invalid
    /// FROM alpine:3.20 AS build
    /// FROM alpine:3.20
    /// COPY --form=build /out /out
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM alpine:3.20 AS build
    /// FROM alpine:3.20
    /// COPY --from=build /out /out
    /// ```
    ///
    /// **Fix:** use the suggested flag name.
    pub UnknownFlag {
        code: "DFL005",
        name: "unknown-flag",
        severity: Error,
        default: true,
        fix: Unsafe,
        equivalents: [],
    }
}

impl Check for UnknownFlag {
    fn check(&self, cx: &mut Context<'_>) {
        let errors: Vec<_> = cx.file.errors.clone();
        for e in errors {
            if let SyntaxErrorKind::UnknownFlag { suggestion } = &e.kind {
                let d = cx.report(e.range, e.message.clone());
                if let Some(s) = suggestion {
                    let text = format!("--{s}");
                    d.fixes.push(Fix::unsafe_(
                        format!("Replace with '{text}'"),
                        vec![Edit::replace(e.range, text)],
                    ));
                }
            }
        }
    }
}
