use super::{Check, Context};
use crate::diagnostic::{Edit, Fix};
use crate::syntax::{Keyword, TextRange};

crate::declare_rule! {
    /// `MAINTAINER` is deprecated.
    ///
    /// It sets the image's legacy `Author` field; the OCI label
    /// `org.opencontainers.image.authors` is the supported way to name the author.
    ///
    /// ```dockerfile invalid
    /// FROM alpine:3.20
    /// MAINTAINER Jane Doe <jane@example.org>
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.authors="Jane Doe <jane@example.org>"
    /// ```
    ///
    /// **Fix (safe):** replace it with `LABEL org.opencontainers.image.authors="…"`.
    pub MaintainerDeprecated {
        code: "DFL112",
        name: "maintainer-deprecated",
        severity: Warning,
        default: true,
        fix: Safe,
        equivalents: ["BuildKit:MaintainerDeprecated", "DL4000"],
        tags: [Deprecated],
        scope: Stage,
    }
}

impl Check for MaintainerDeprecated {
    fn check(&self, cx: &mut Context<'_>) {
        let file = cx.file;
        for ins in cx.instructions_of(&[Keyword::Maintainer]) {
            let value = ins.args_text();
            let d = cx.report(
                ins.keyword_range.cover(ins.args_range),
                "MAINTAINER is deprecated: use LABEL org.opencontainers.image.authors=\"…\" instead.",
            );
            if value.is_empty() {
                continue;
            }
            let escaped = if file.escape == '\\' {
                value
                    .replace('\\', "\\\\")
                    .replace('"', "\\\"")
                    .replace('$', "\\$")
            } else if value.contains(['"', '$', file.escape]) {
                continue;
            } else {
                value.to_string()
            };
            let label = if ins.keyword_text == ins.keyword_text.to_lowercase() {
                "label"
            } else {
                "LABEL"
            };
            let range = TextRange::new(ins.keyword_range.start, ins.args_range.end);
            d.fixes.push(Fix::safe(
                "Replace with LABEL org.opencontainers.image.authors",
                vec![Edit::replace(
                    range,
                    format!("{label} org.opencontainers.image.authors=\"{escaped}\""),
                )],
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::snapshot;

    #[test]
    fn maintainer_to_label() {
        insta::assert_snapshot!(snapshot(
            &super::MaintainerDeprecated,
            "FROM scratch\nMAINTAINER me@example.org\nmaintainer Jane \"JD\" Doe\n"
        ));
        assert_eq!(
            snapshot(
                &super::MaintainerDeprecated,
                "FROM scratch\nLABEL org.opencontainers.image.authors=\"me@example.org\"\n"
            ),
            ""
        );
    }
}
