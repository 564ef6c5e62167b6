use super::{Check, Context};
use crate::syntax::Keyword;

crate::declare_rule! {
    /// `EXPOSE` names a port outside 0–65535, a malformed range, or an unknown protocol.
    ///
    /// `EXPOSE` takes `<port>[/<protocol>]` or `<start>-<end>[/<protocol>]` with ports from 0
    /// to 65535 and protocol `tcp`, `udp` or `sctp`. Anything else is rejected when the image
    /// is built or run (`invalid containerPort`, `invalid range`). Values with variables are
    /// checked only when written literally. Host mappings (`80:8080`) and upper-case
    /// protocols are BuildKit checks of their own (ExposeInvalidFormat, ExposeProtoCasing).
    ///
    /// ```dockerfile invalid
    /// FROM nginx:1.27
    /// EXPOSE 80 443 70000 9000-8000 53/icmp
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM nginx:1.27
    /// ARG PORT=8080
    /// EXPOSE 80 443/tcp 53/udp 9000-9100 ${PORT}
    /// ```
    ///
    /// **Fix:** use a port between 0 and 65535, `start-end` with start ≤ end, and `tcp`,
    /// `udp` or `sctp`.
    pub InvalidPort {
        code: "DFL207",
        name: "invalid-port",
        severity: Error,
        default: true,
        fix: None,
        equivalents: ["DL3011"],
        scope: Stage,
    }
}

fn port(s: &str) -> Result<u32, String> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("'{s}' is not a port number"));
    }
    match s.parse::<u32>() {
        Ok(p) if p <= 65535 => Ok(p),
        _ => Err(format!("port {s} is out of range (0-65535)")),
    }
}

/// What is wrong with one EXPOSE word, if anything.
fn problem(word: &str) -> Option<String> {
    let (ports, proto) = match word.split_once('/') {
        Some((p, proto)) => (p, Some(proto)),
        None => (word, None),
    };
    if let Some(proto) = proto {
        if !matches!(proto.to_ascii_lowercase().as_str(), "tcp" | "udp" | "sctp") {
            return Some(format!(
                "unknown protocol '{proto}' (expected tcp, udp or sctp)"
            ));
        }
    }
    match ports.split_once('-') {
        Some((a, b)) => match (port(a), port(b)) {
            (Err(e), _) | (_, Err(e)) => Some(e),
            (Ok(a), Ok(b)) if a > b => Some(format!("range {a}-{b} ends before it starts")),
            _ => None,
        },
        None => port(ports).err(),
    }
}

impl Check for InvalidPort {
    fn check(&self, cx: &mut Context<'_>) {
        let found: Vec<_> = cx
            .with_triggers_of(&[Keyword::Expose])
            .into_iter()
            .flat_map(|i| i.args.iter())
            .filter(|w| !w.text.contains(['$', ':']))
            .filter_map(|w| problem(&w.text).map(|p| (w.range, w.text.clone(), p)))
            .collect();
        for (range, word, p) in found {
            cx.report(range, format!("EXPOSE {word}: {p}."));
        }
    }
}
