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
    /// **Fix (safe):** write `key=value`, quoting the value in double quotes when it contains
    /// spaces. Values with quotes or escapes are left for a human.
    pub LegacyKeyValueFormat {
        code: "DFL111",
        name: "legacy-key-value-format",
        severity: Warning,
        default: true,
        fix: Safe,
        equivalents: ["BuildKit:LegacyKeyValueFormat"],
    }
}

fn fix(cx: &Context<'_>, ins: &Instruction, pair: &KeyValue) -> Option<Fix> {
    let vr = pair.value_range?;
    let raw = cx.text.get(vr.start..vr.end)?;
    if raw.is_empty()
        || raw.contains(['"', '\'', '\n', '\r', cx.file.escape])
        || pair.key_range.end > vr.start
    {
        return None;
    }
    let gap = TextRange::new(pair.key_range.end, vr.start);
    let name = ins.keyword.as_str();
    let title = format!("Write {name} {}=…", pair.key);
    if raw.contains(char::is_whitespace) {
        Some(Fix::safe(
            title,
            vec![Edit::replace(gap, "=\""), Edit::insert(vr.end, "\"")],
        ))
    } else {
        Some(Fix::safe(title, vec![Edit::replace(gap, "=")]))
    }
}

impl Check for LegacyKeyValueFormat {
    fn check(&self, cx: &mut Context<'_>) {
        let file = cx.file;
        for ins in &file.instructions {
            if !matches!(ins.keyword, Keyword::Env | Keyword::Label) {
                continue;
            }
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
            "FROM scratch\nENV testkey value\nLABEL key value with spaces\nENV Q \"quoted value\"\nENV A=1 B=2\nLABEL k=v\nENV C \\\n  continued\n"
        ));
    }
}
