use super::{Check, Context, REGISTRY};
use crate::diagnostic::{Edit, Fix};
use crate::suppress::{is_known_rule_id, parse_pragma_line, PragmaKind, BUILDKIT_CHECKS};

crate::declare_rule! {
    /// A suppression pragma names a rule that does not exist.
    ///
    /// `# hadolint ignore=…`, `# dockerfile-lsp ignore=…`, their `global` forms and
    /// `# check=skip=…` take rule ids: a dockerfile-lsp code (`DFL001`) or name
    /// (`unknown-instruction`), a hadolint code (`DL3008`), a ShellCheck code (`SC2086`) or a
    /// BuildKit check name (`JSONArgsRecommended`). A misspelled id suppresses nothing, so
    /// the finding it was meant to silence comes back, or was never silenced at all. Ids of
    /// hadolint, ShellCheck and BuildKit rules that dockerfile-lsp does not implement are
    /// accepted silently, so pragmas written for those tools keep working.
    ///
    /// ```dockerfile invalid
    /// FROM alpine:3.20
    /// # hadolint ignore=DL3018,unknown-instrction
    /// RUN apk add curl
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM alpine:3.20
    /// # hadolint ignore=DL3018,unknown-instruction
    /// RUN apk add curl
    /// ```
    ///
    /// **Fix:** correct the id (the message suggests the closest known one) or remove it.
    pub UnknownRuleId {
        code: "DFL010",
        name: "unknown-rule-id",
        severity: Warning,
        default: true,
        fix: Unsafe,
        equivalents: [],
    }
}

/// The known id closest to `id`, when it is close enough to be a likely typo.
fn closest(id: &str) -> Option<&'static str> {
    let lower = id.to_ascii_lowercase();
    let candidates = REGISTRY
        .iter()
        .flat_map(|r| [r.meta().code, r.meta().name])
        .chain(BUILDKIT_CHECKS.iter().copied());
    candidates
        .map(|c| (strsim::levenshtein(&lower, &c.to_ascii_lowercase()), c))
        .filter(|(d, _)| *d <= (lower.chars().count() / 3).max(2))
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

impl Check for UnknownRuleId {
    fn check(&self, cx: &mut Context<'_>) {
        for c in &cx.file.comments {
            if c.in_continuation {
                continue;
            }
            let raw = cx.slice(c.range);
            let Some(pragma) = parse_pragma_line(raw) else {
                continue;
            };
            let what = match (pragma.tool, pragma.kind) {
                (_, PragmaKind::CheckSkip) => "check=skip".to_string(),
                (tool, PragmaKind::GlobalIgnore) => format!("{tool} global ignore"),
                (tool, PragmaKind::Ignore) => format!("{tool} ignore"),
            };
            for (id, r) in pragma.ids {
                if is_known_rule_id(&id)
                    || (pragma.kind == PragmaKind::CheckSkip && id.eq_ignore_ascii_case("all"))
                {
                    continue;
                }
                let range =
                    crate::syntax::TextRange::new(c.range.start + r.start, c.range.start + r.end);
                match closest(&id) {
                    Some(s) => {
                        let d = cx.report(
                            range,
                            format!(
                                "'{id}' in this `{what}` pragma names no rule, so it suppresses nothing: did you mean '{s}'?"
                            ),
                        );
                        d.fixes.push(Fix::unsafe_(
                            format!("Replace with '{s}'"),
                            vec![Edit::replace(range, s)],
                        ));
                    }
                    None => {
                        cx.report(
                            range,
                            format!(
                                "'{id}' in this `{what}` pragma names no rule of dockerfile-lsp, hadolint, ShellCheck or BuildKit, so it suppresses nothing: correct or remove it."
                            ),
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::UnknownRuleId;
    use crate::rules::test_support::{check, render};

    fn run(text: &str) -> String {
        render(text, &check(&UnknownRuleId, text))
    }

    #[test]
    fn every_pragma_form_is_checked() {
        let text = "# check=skip=JSONArgsRecomended,all\n\
                    FROM alpine:3.20\n\
                    # hadolint global ignore=DL3059,nonsense-rule\n\
                    # dockerfile-lsp ignore=unknown-flg\n\
                    # check=skip=DFL00l\n\
                    RUN true\n";
        insta::assert_snapshot!(run(text), @r"
            1:14-1:32 DFL010 'JSONArgsRecomended' in this `check=skip` pragma names no rule, so it suppresses nothing: did you mean 'JSONArgsRecommended'?
            3:33-3:46 DFL010 'nonsense-rule' in this `hadolint global ignore` pragma names no rule of dockerfile-lsp, hadolint, ShellCheck or BuildKit, so it suppresses nothing: correct or remove it.
            4:25-4:36 DFL010 'unknown-flg' in this `dockerfile-lsp ignore` pragma names no rule, so it suppresses nothing: did you mean 'unknown-flag'?
            5:14-5:20 DFL010 'DFL00l' in this `check=skip` pragma names no rule, so it suppresses nothing: did you mean 'DFL001'?
        ");
    }

    #[test]
    fn known_ids_and_ordinary_comments_are_silent() {
        let text = "# check=skip=all;error=true\n\
                    FROM alpine:3.20\n\
                    # hadolint ignore=DL3018,SC2086,UndefinedVar,BuildKit:FromAsCasing\n\
                    # dockerfile-lsp ignore=DFL001,unknown-instruction\n\
                    # install curl, hadolint ignore=nothing here\n\
                    RUN apk add curl\n";
        assert_eq!(run(text), "");
    }

    #[test]
    fn pragma_inside_a_continuation_is_not_checked() {
        let text = "FROM alpine:3.20\nRUN true \\\n# hadolint ignore=bogus\n  && false\n";
        assert_eq!(run(text), "");
    }
}
