use super::dfl104_expose_invalid_format::{literal_expose_ports, split_port};
use super::{Check, Context};
use crate::diagnostic::{Edit, Fix};
use crate::syntax::TextRange;

crate::declare_rule! {
    /// The protocol of an `EXPOSE` port is not lower-case (`80/TCP`).
    ///
    /// Docker lower-cases it anyway; writing `tcp`, `udp` or `sctp` keeps the Dockerfile
    /// matching the image metadata.
    ///
    /// ```dockerfile invalid
    /// FROM nginx:1.27
    /// EXPOSE 80/TCP
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM nginx:1.27
    /// EXPOSE 80/tcp 53/udp
    /// ```
    ///
    /// **Fix (safe):** lower-case the protocol.
    pub ExposeProtoCasing {
        code: "DFL105",
        name: "expose-proto-casing",
        severity: Info,
        default: true,
        fix: Safe,
        equivalents: ["BuildKit:ExposeProtoCasing"],
        scope: Stage,
    }
}

impl Check for ExposeProtoCasing {
    fn check(&self, cx: &mut Context<'_>) {
        for word in literal_expose_ports(cx) {
            let (_, _, container) = split_port(&word.text);
            let Some((_, proto)) = container.split_once('/') else {
                continue;
            };
            let lower = proto.to_lowercase();
            if proto == lower || !matches!(lower.as_str(), "tcp" | "udp" | "sctp") {
                continue;
            }
            let d = cx.report(
                word.range,
                format!(
                    "Protocol '{proto}' in EXPOSE '{}' should be lowercase: write '{lower}'.",
                    word.text
                ),
            );
            if word.raw == word.text {
                let end = word.range.end;
                let range = TextRange::new(end - proto.len(), end);
                d.fixes.push(Fix::safe(
                    format!("Write '{lower}'"),
                    vec![Edit::replace(range, lower)],
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::snapshot;

    #[test]
    fn upper_case_protocols() {
        insta::assert_snapshot!(snapshot(
            &super::ExposeProtoCasing,
            "FROM scratch\nEXPOSE 80/TcP 8080/TCP 8080/udp 53 1:2/UDP 9/bogus\n"
        ));
    }
}
