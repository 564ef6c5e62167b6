//! Variable expansion as BuildKit does it for FROM, COPY, ENV… (`$X`, `${X}`, `${X:-d}`,
//! `${X-d}`, `${X:+a}`, `${X+a}`, `${X:?msg}`), with a caller-supplied lookup.

use super::{Dockerfile, Keyword};

/// Result of expanding a string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expansion {
    pub value: String,
    /// Variables that had no value and no default (expanded to the empty string).
    pub unresolved: Vec<String>,
    /// Variables whose value is only known at build time (e.g. `TARGETARCH`).
    pub build_time: Vec<String>,
}

/// How a variable resolves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// Declared with this value (`None` = declared without a default, i.e. empty unless passed).
    Value(Option<String>),
    /// Set by the builder at build time (platform ARGs).
    BuildTime,
    /// Not declared.
    Undefined,
}

/// BuildKit's automatic platform ARGs (available in the global scope).
pub const PLATFORM_ARGS: &[&str] = &[
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
];

/// Other ARGs BuildKit predefines (proxy settings and build metadata).
pub const PREDEFINED_ARGS: &[&str] = &[
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "FTP_PROXY",
    "ftp_proxy",
    "NO_PROXY",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
    "BUILDKIT_CACHE_MOUNT_NS",
    "BUILDKIT_CONTEXT_KEEP_GIT_DIR",
    "BUILDKIT_INLINE_CACHE",
    "BUILDKIT_MULTI_PLATFORM",
    "BUILDKIT_SANDBOX_HOSTNAME",
    "BUILDKIT_SYNTAX",
    "SOURCE_DATE_EPOCH",
];

/// The offset of the `}` closing a `${` whose name ends at `from` (nested braces counted),
/// or the end of `b` when it is unclosed.
pub(crate) fn closing_brace(b: &[u8], from: usize) -> usize {
    let mut depth = 1;
    let mut k = from;
    while k < b.len() {
        match b[k] {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return k;
                }
            }
            _ => {}
        }
        k += 1;
    }
    b.len()
}

/// Expands `text` with `lookup`.
pub fn expand(text: &str, lookup: &dyn Fn(&str) -> Lookup) -> Expansion {
    let mut out = Expansion {
        value: String::new(),
        unresolved: Vec::new(),
        build_time: Vec::new(),
    };
    expand_into(text, lookup, &mut out);
    out
}

fn expand_into(text: &str, lookup: &dyn Fn(&str) -> Lookup, out: &mut Expansion) {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 1 < b.len() && b[i + 1] == b'$' {
            out.value.push('$');
            i += 2;
            continue;
        }
        if b[i] != b'$' {
            let ch = text[i..].chars().next().unwrap_or(' ');
            out.value.push(ch);
            i += ch.len_utf8();
            continue;
        }
        let braced = b.get(i + 1) == Some(&b'{');
        let ns = if braced { i + 2 } else { i + 1 };
        let mut j = ns;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
            j += 1;
        }
        if j == ns {
            out.value.push('$');
            i += 1;
            continue;
        }
        let name = &text[ns..j];
        let (op, word, end) = if braced {
            let k = closing_brace(b, j);
            let inner = &text[j..k];
            // The operator: `:` plus one character, or one character (never half of one).
            let mut chars = inner.char_indices();
            let first = chars.next().map(|(_, c)| c);
            let op_len = match (first, chars.next()) {
                (Some(':'), Some((i, c))) => i + c.len_utf8(),
                (Some(c), _) => c.len_utf8(),
                (None, _) => 0,
            };
            let (op, word) = inner.split_at(op_len.min(inner.len()));
            (op, word, (k + 1).min(b.len()))
        } else {
            ("", "", j)
        };
        let found = lookup(name);
        let value: Option<String> = match &found {
            Lookup::Value(v) => v.clone(),
            Lookup::BuildTime => {
                out.build_time.push(name.to_string());
                Some(format!("${{{name}}}"))
            }
            Lookup::Undefined => None,
        };
        let is_set = value.is_some();
        let non_empty = value.as_deref().is_some_and(|v| !v.is_empty());
        match op {
            ":-" | "-" => {
                let use_default = if op == ":-" { !non_empty } else { !is_set };
                if use_default {
                    expand_into(word, lookup, out);
                } else {
                    out.value.push_str(value.as_deref().unwrap_or(""));
                }
            }
            ":+" | "+" => {
                let use_alt = if op == ":+" { non_empty } else { is_set };
                if use_alt {
                    expand_into(word, lookup, out);
                }
            }
            _ => match value {
                Some(v) => out.value.push_str(&v),
                None => out.unresolved.push(name.to_string()),
            },
        }
        i = end;
    }
}

impl Dockerfile {
    /// Expands `text` in the global scope (before the first FROM): global ARG defaults as
    /// declared up to `before` (a byte offset), then BuildKit's platform ARGs.
    pub fn expand_global(&self, text: &str, before: usize) -> Expansion {
        self.expand_global_depth(text, before, 0)
    }

    fn expand_global_depth(&self, text: &str, before: usize, depth: usize) -> Expansion {
        let lookup = |name: &str| -> Lookup {
            let mut found = None;
            for ins in self.global_instructions() {
                if ins.keyword != Keyword::Arg || ins.range.start >= before {
                    continue;
                }
                for p in &ins.pairs {
                    if p.key == name {
                        found = Some((p.value.clone(), ins.range.start));
                    }
                }
            }
            match found {
                // An ARG default is itself expanded with the ARGs declared before it.
                Some((Some(v), at)) if v.contains('$') && depth < 8 => {
                    let e = self.expand_global_depth(&v, at, depth + 1);
                    if e.unresolved.is_empty() {
                        Lookup::Value(Some(e.value))
                    } else {
                        Lookup::Value(None)
                    }
                }
                Some((v, _)) => Lookup::Value(v),
                None if PLATFORM_ARGS.contains(&name) => Lookup::BuildTime,
                None => Lookup::Undefined,
            }
        };
        expand(text, &lookup)
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn expands_defaults_and_globals() {
        let df = super::super::parse(
            "ARG TAG=3.12\nARG EMPTY\nFROM python:${TAG}-slim\nFROM x:${EMPTY:-1}${NOPE}\n",
        );
        let e = df.expand_global("python:${TAG}-slim", usize::MAX);
        assert_eq!(e.value, "python:3.12-slim");
        let e = df.expand_global("x:${EMPTY:-1}$NOPE", usize::MAX);
        assert_eq!(e.value, "x:1");
        assert_eq!(e.unresolved, vec!["NOPE"]);
        let df2 = super::super::parse("ARG REG=ghcr.io\nARG IMAGE=$REG/app:1\nFROM $IMAGE\n");
        assert_eq!(
            df2.expand_global("$IMAGE", usize::MAX).value,
            "ghcr.io/app:1"
        );
        // Found by fuzzing: a multi-byte character right after the name.
        assert_eq!(df.expand_global("x:${TAG€y}", usize::MAX).value, "x:3.12");
        assert_eq!(df.expand_global("x:${TAG:é}", usize::MAX).value, "x:3.12");
        let e = df.expand_global("golang:1.22-$TARGETOS", usize::MAX);
        assert_eq!(e.build_time, vec!["TARGETOS"]);
    }
}
