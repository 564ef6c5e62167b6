use super::{Check, Context};
use crate::syntax::Keyword;

crate::declare_rule! {
    /// An `ENV` uses a variable that the same `ENV` instruction sets.
    ///
    /// BuildKit expands all values of one `ENV` with the environment from **before** the
    /// instruction: in `ENV A=1 B=$A`, `B` gets the previous value of `A` (often empty), not
    /// `1`. ONBUILD `ENV` triggers are checked.
    ///
    /// ```dockerfile invalid
    /// FROM alpine:3.20
    /// ENV APP_HOME=/app APP_BIN=$APP_HOME/bin
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM alpine:3.20
    /// ENV APP_HOME=/app
    /// ENV APP_BIN=$APP_HOME/bin PATH=/usr/local/bin:$PATH
    /// ```
    ///
    /// **Fix:** set the variable in an earlier `ENV` instruction.
    pub EnvSameStatementReference {
        code: "DFL212",
        name: "env-same-statement-reference",
        severity: Warning,
        default: true,
        fix: None,
        equivalents: ["DL3044"],
        scope: Stage,
    }
}

impl Check for EnvSameStatementReference {
    fn check(&self, cx: &mut Context<'_>) {
        let mut found = Vec::new();
        for ins in cx.with_triggers_of(&[Keyword::Env]) {
            if ins.pairs.len() < 2 {
                continue;
            }
            for (j, pair) in ins.pairs.iter().enumerate() {
                let Some(vr) = pair.value_range else { continue };
                for r in &ins.var_refs {
                    if r.range.start < vr.start || r.range.end > vr.end {
                        continue;
                    }
                    if let Some(def) = ins.pairs[..j].iter().find(|p| p.key == r.name) {
                        found.push((
                            r.range,
                            r.name.clone(),
                            def.value.clone().unwrap_or_default(),
                            pair.key.clone(),
                        ));
                    }
                }
            }
        }
        for (range, name, val, key) in found {
            cx.report(
                range,
                format!(
                    "'{key}' uses ${name}, which this same ENV sets to '{val}': it expands to the value from before this ENV instead. Set {name} in an earlier ENV."
                ),
            );
        }
    }
}
