use super::buildkit::{is_all_cased, is_self_consistent_casing};
use super::{Check, Context};
use crate::diagnostic::{Edit, Fix};
use crate::syntax::{Instruction, Keyword};

crate::declare_rule! {
    /// An instruction keyword is not written in the casing most instructions of the file use.
    ///
    /// BuildKit counts the instructions of all stages (the global `ARG`s before the first
    /// `FROM` are not counted) written all lower-case or all upper-case; the majority wins
    /// (a tie counts as upper-case). Every instruction that is not in the majority casing,
    /// including mixed casing such as `Run`, is reported. Mixed casing makes a file harder to
    /// scan and usually comes from copy-pasting between sources.
    ///
    /// ```dockerfile invalid
    /// FROM alpine:3.20
    /// run apk add --no-cache curl
    /// COPY app /app
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM alpine:3.20
    /// RUN apk add --no-cache curl
    /// COPY app /app
    /// ```
    ///
    /// **Fix (safe):** rewrite the keyword in the majority casing.
    pub ConsistentInstructionCasing {
        code: "DFL101",
        name: "consistent-instruction-casing",
        severity: Info,
        default: true,
        fix: Safe,
        equivalents: ["BuildKit:ConsistentInstructionCasing"],
        scope: Stage,
    }
}

/// How an instruction votes for the file's keyword casing: `Some(true)` all lowercase,
/// `Some(false)` all uppercase, `None` no vote (mixed case, unknown keyword, before FROM).
pub(crate) fn vote(i: &Instruction) -> Option<bool> {
    let k = &i.keyword_text;
    (i.stage.is_some() && i.keyword != Keyword::Unknown && is_self_consistent_casing(k))
        .then(|| is_all_cased(k, false))
}

impl Check for ConsistentInstructionCasing {
    fn check(&self, cx: &mut Context<'_>) {
        let (lower, upper) = cx.casing_votes.unwrap_or_else(|| {
            cx.file
                .instructions
                .iter()
                .fold((0, 0), |(l, u), i| match vote(i) {
                    Some(true) => (l + 1, u),
                    Some(false) => (l, u + 1),
                    None => (l, u),
                })
        });
        let majority_lower = lower > upper;
        let casing = if majority_lower {
            "lowercase"
        } else {
            "uppercase"
        };
        let instructions: Vec<&Instruction> = cx
            .stages()
            .into_iter()
            .flat_map(|s| cx.file.stage_instructions(s))
            .filter(|i| i.keyword != Keyword::Unknown)
            .collect();
        for i in instructions {
            let k = &i.keyword_text;
            if is_all_cased(k, !majority_lower) {
                continue;
            }
            let want = if majority_lower {
                k.to_lowercase()
            } else {
                k.to_uppercase()
            };
            cx.report_with_fix(
                i.keyword_range,
                format!(
                    "Instruction '{k}' should match the casing of the majority of instructions ({casing}): write '{want}'."
                ),
                Fix::safe(
                    format!("Write '{want}'"),
                    vec![Edit::replace(i.keyword_range, want.clone())],
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::snapshot;

    #[test]
    fn majority_and_mixed_casing() {
        insta::assert_snapshot!(snapshot(
            &super::ConsistentInstructionCasing,
            "arg V=1\nFROM alpine AS a\nRUN true\nrun true\nCopy a b\nFROM a\nCMD [\"x\"]\n"
        ));
        insta::assert_snapshot!(snapshot(
            &super::ConsistentInstructionCasing,
            "from alpine\nrun true\ncopy a b\nRUN true\n"
        ));
    }

    #[test]
    fn consistent_files_are_silent() {
        let f = "ARG V\nFROM alpine\nRUN true\nONBUILD run true\n";
        assert_eq!(snapshot(&super::ConsistentInstructionCasing, f), "");
        let f = "from alpine\nrun true\n";
        assert_eq!(snapshot(&super::ConsistentInstructionCasing, f), "");
    }
}
