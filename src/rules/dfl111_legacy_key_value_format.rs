use super::{Check, Context};
use crate::diagnostic::{Edit, Fix};
use crate::syntax::{Instruction, KeyValue, Keyword, TextRange};

crate::declare_rule! {
    /// `ENV` or `LABEL` uses the legacy `key value` form instead of `key=value`.
    ///
    /// In the legacy form everything after the key is the value, so `ENV A 1 B 2` sets `A`
    /// to `1 B 2` — rarely what was meant. The form is deprecated.
    ///
    /// ```dockerfile invalid
    /// FROM alpine:3.20
    /// ENV JAVA_HOME /usr/lib/jvm/default
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM alpine:3.20
    /// ENV JAVA_HOME=/usr/lib/jvm/default
    /// LABEL org.opencontainers.image.title="my app"
    /// ```
    ///
    /// **Fix (safe):** write `key=value`; a value of several words is wrapped in double quotes
    /// (left for a human when it also contains quotes or escapes, or spans lines).
    pub LegacyKeyValueFormat {
        code: "DFL111",
        name: "legacy-key-value-format",
        severity: Warning,
        default: true,
        fix: Safe,
        equivalents: ["BuildKit:LegacyKeyValueFormat"],
        scope: Stage,
    }
}

/// True when `raw` has whitespace outside quotes and escapes (it would split into words).
fn has_unquoted_space(raw: &str, escape: char) -> bool {
    let mut quote: Option<char> = None;
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        match quote {
            Some('\'') if c == '\'' => quote = None,
            Some('\'') => {}
            Some(_) if c == escape => {
                chars.next();
            }
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == escape => {
                chars.next();
            }
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c.is_whitespace() => return true,
            None => {}
        }
    }
    false
}

fn fix(cx: &Context<'_>, ins: &Instruction, pair: &KeyValue) -> Option<Fix> {
    let vr = pair.value_range?;
    let raw = cx.text.get(vr.start..vr.end)?;
    if raw.is_empty() || raw.contains(['\n', '\r']) || pair.key_range.end > vr.start {
        return None;
    }
    let gap = TextRange::new(pair.key_range.end, vr.start);
    let name = ins.keyword.as_str();
    let title = format!("Write {name} {}=…", pair.key);
    if !has_unquoted_space(raw, cx.file.escape) {
        // The value is one word either way: `key=<value as written>` means the same.
        return Some(Fix::safe(title, vec![Edit::replace(gap, "=")]));
    }
    // Several words: legacy form keeps them as one value; quote them, unless quotes or
    // escapes inside would change meaning.
    if raw.contains(['"', '\'', cx.file.escape]) {
        return None;
    }
    Some(Fix::safe(
        title,
        vec![Edit::replace(gap, "=\""), Edit::insert(vr.end, "\"")],
    ))
}

impl Check for LegacyKeyValueFormat {
    fn check(&self, cx: &mut Context<'_>) {
        for ins in cx.instructions_of(&[Keyword::Env, Keyword::Label]) {
            for pair in ins.pairs.iter().filter(|p| p.legacy && p.value.is_some()) {
                let name = ins.keyword.as_str();
                let fix = fix(cx, ins, pair);
                let d = cx.report(
                    pair.range,
                    format!(
                        "\"{name} key=value\" should be used instead of legacy \"{name} key value\" format: write '{name} {}=…'.",
                        pair.key
                    ),
                );
                d.fixes.extend(fix);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::snapshot;

    #[test]
    fn legacy_forms() {
        insta::assert_snapshot!(snapshot(
            &super::LegacyKeyValueFormat,
            "FROM scratch\nENV testkey value\nLABEL key value with spaces\nENV Q \"quoted value\"\nENV R a\\ b\nENV S 'x' \"y z\"\nENV A=1 B=2\nLABEL k=v\nENV C \\\n  continued\n"
        ));
    }
}
