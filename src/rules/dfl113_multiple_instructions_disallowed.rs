use super::{Check, Context};
use crate::syntax::Keyword;

crate::declare_rule! {
    /// A stage has more than one `CMD`, `ENTRYPOINT` or `HEALTHCHECK`.
    ///
    /// Only the last one of each takes effect; the earlier ones are dead code that
    /// misleads readers. Each stage is checked on its own (a stage built `FROM` another may
    /// override its parent's `CMD`).
    ///
    /// ```dockerfile invalid
    /// FROM node:20-alpine
    /// CMD ["node", "server.js"]
    /// CMD ["node", "worker.js"]
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM node:20-alpine AS base
    /// CMD ["node", "server.js"]
    /// FROM base
    /// CMD ["node", "worker.js"]
    /// ```
    ///
    /// **Fix:** delete the instructions that are overridden.
    pub MultipleInstructionsDisallowed {
        code: "DFL113",
        name: "multiple-instructions-disallowed",
        severity: Warning,
        default: true,
        fix: None,
        equivalents: ["BuildKit:MultipleInstructionsDisallowed", "DL4003", "DL4004", "DL3012"],
        tags: [Unnecessary],
        scope: Stage,
        cites_lines: true,
    }
}

impl Check for MultipleInstructionsDisallowed {
    fn check(&self, cx: &mut Context<'_>) {
        let file = cx.file;
        for stage in cx.stages() {
            let ins = file.stage_instructions(stage);
            for kw in [Keyword::Cmd, Keyword::Entrypoint, Keyword::Healthcheck] {
                let of_kind: Vec<_> = ins.iter().filter(|i| i.keyword == kw).collect();
                let Some((last, earlier)) = of_kind.split_last() else {
                    continue;
                };
                let line = file.lines.line_col(last.range.start).0 + 1;
                for i in earlier {
                    cx.report(
                        i.keyword_range,
                        format!(
                            "Multiple {} instructions in stage {}: only the last one (line {line}) is used; remove this one.",
                            kw.as_str(),
                            stage.display_name()
                        ),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::snapshot;

    #[test]
    fn per_stage() {
        insta::assert_snapshot!(snapshot(
            &super::MultipleInstructionsDisallowed,
            "FROM scratch AS a\nENTRYPOINT [\"/a\"]\nCMD [\"/a\"]\nHEALTHCHECK CMD [\"/a\"]\nCOPY <<EOF /a.txt\nhi\nEOF\nENTRYPOINT [\"/b\"]\nCMD [\"/b\"]\nHEALTHCHECK NONE\nFROM a AS b\nCMD [\"/c\"]\nONBUILD CMD [\"/d\"]\n"
        ));
    }
}
