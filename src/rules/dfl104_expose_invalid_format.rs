use super::{Check, Context};
use crate::diagnostic::{Edit, Fix};
use crate::syntax::{Keyword, Word};

crate::declare_rule! {
    /// `EXPOSE` names an IP address or a host port (`EXPOSE 8080:80`, `EXPOSE 127.0.0.1:80:80`).
    ///
    /// `EXPOSE` only documents the ports the container listens on; publishing to a host
    /// port happens at run time (`docker run -p`). BuildKit drops the host part and warns
    /// that this will become an error in a future release.
    ///
    /// ```dockerfile invalid
    /// FROM nginx:1.27
    /// EXPOSE 8080:80
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM nginx:1.27
    /// EXPOSE 80 443/tcp 8000-8010/udp
    /// ```
    ///
    /// **Fix (safe):** keep only the container port (the image metadata stays the same);
    /// publish host ports with `docker run -p`.
    pub ExposeInvalidFormat {
        code: "DFL104",
        name: "expose-invalid-format",
        severity: Warning,
        default: true,
        fix: Safe,
        equivalents: ["BuildKit:ExposeInvalidFormat"],
        scope: Stage,
    }
}

/// BuildKit's `splitParts`: (ip, host port, container port[/proto]).
pub(crate) fn split_port(raw: &str) -> (String, String, String) {
    let parts: Vec<&str> = raw.split(':').collect();
    match parts.as_slice() {
        [c] => (String::new(), String::new(), c.to_string()),
        [h, c] => (String::new(), h.to_string(), c.to_string()),
        [ip, h, c] => (ip.to_string(), h.to_string(), c.to_string()),
        [ip @ .., h, c] => (ip.join(":"), h.to_string(), c.to_string()),
        [] => (String::new(), String::new(), String::new()),
    }
}

/// The words of every EXPOSE written without variables (those are checked after expansion by
/// BuildKit, not here).
pub(crate) fn literal_expose_ports<'a>(cx: &Context<'a>) -> impl Iterator<Item = &'a Word> {
    cx.instructions_of(&[Keyword::Expose])
        .into_iter()
        .flat_map(|i| i.args.iter())
        .filter(|w| !w.text.contains('$'))
}

impl Check for ExposeInvalidFormat {
    fn check(&self, cx: &mut Context<'_>) {
        for word in literal_expose_ports(cx) {
            let (ip, host, container) = split_port(&word.text);
            if ip.is_empty() && host.is_empty() {
                continue;
            }
            let d = cx.report(
                    word.range,
                    format!(
                        "EXPOSE should not define an IP address or host-port mapping, found '{}': expose '{container}' and publish the host port with 'docker run -p'.",
                        word.text
                    ),
                );
            if word.raw == word.text && !container.is_empty() {
                d.fixes.push(Fix::safe(
                    format!("Expose only '{container}'"),
                    vec![Edit::replace(word.range, container)],
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::snapshot;

    #[test]
    fn host_parts() {
        insta::assert_snapshot!(snapshot(
            &super::ExposeInvalidFormat,
            "FROM scratch\nEXPOSE 127.0.0.1:80:80 [::1]:8080:8080 5000:5000 8000 9000/udp ${PORT}\n"
        ));
    }
}
