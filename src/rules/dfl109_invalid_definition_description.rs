use super::{Check, Context};
use crate::syntax::{Instruction, Keyword};

crate::declare_rule! {
    /// The comment right above a named `FROM` or an `ARG` does not start with the stage or
    /// argument name.
    ///
    /// `docker build --call=outline` and `--call=targets` show the comment directly above
    /// `FROM … AS name` and `ARG name` as its description when it starts with the name
    /// (`# VERSION the release to build`). Any other comment there is shown as garbage.
    /// Opt-in, like BuildKit's experimental check. As BuildKit's documentation (and its
    /// message) says, an empty line or an empty `#` line between the comment and the
    /// instruction means the comment is not a description (BuildKit's parser, unlike its
    /// documentation, keeps the comment across an empty line; we follow the documentation).
    ///
    /// ```dockerfile invalid
    /// # a non-descriptive comment
    /// FROM alpine:3.20 AS base
    /// ```
    ///
    /// ```dockerfile valid
    /// # base is the shared runtime layer
    /// FROM alpine:3.20 AS base
    /// # a non-descriptive comment
    ///
    /// ARG VERSION=1
    /// ```
    ///
    /// **Fix:** start the comment with the name, or separate it by an empty line.
    pub InvalidDefinitionDescription {
        code: "DFL109",
        name: "invalid-definition-description",
        severity: Info,
        default: false,
        fix: None,
        equivalents: ["BuildKit:InvalidDefinitionDescription"],
        scope: Stage,
    }
}

fn keys(ins: &Instruction) -> Vec<String> {
    match ins.keyword {
        Keyword::Arg => ins.pairs.iter().map(|p| p.key.clone()).collect(),
        Keyword::From if ins.args.len() == 3 => ins
            .args
            .get(2)
            .map(|w| vec![w.text.as_str().to_lowercase()])
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

impl Check for InvalidDefinitionDescription {
    fn check(&self, cx: &mut Context<'_>) {
        let file = cx.file;
        // Comments are in source order: the one on the line above is found by bisection.
        let comments = &file.comments;
        for ins in file.instructions_of(&[Keyword::Arg, Keyword::From]) {
            let line = file.lines.line_col(ins.range.start).0;
            let Some(above) = line.checked_sub(1) else {
                continue;
            };
            let above_start = file.lines.line_start(above);
            let at = comments.partition_point(|c| c.range.start < above_start);
            let Some(comment) = comments
                .get(at)
                .filter(|c| c.range.start < file.lines.line_start(line) && !c.in_continuation)
            else {
                continue;
            };
            // Reported on the comment, which lies in the stage span above a FROM.
            if !cx.focused_at(comment.range.start) {
                continue;
            }
            let keys = keys(ins);
            if keys.is_empty() {
                continue;
            }
            if comment.text.is_empty() || file.directives.iter().any(|d| d.range == comment.range) {
                continue;
            }
            let first = comment.text.split(' ').next().unwrap_or("");
            if keys.iter().any(|k| k == first) {
                continue;
            }
            let (what, example) = match (ins.keyword, keys.as_slice()) {
                (Keyword::From, [k]) => ("FROM", k.clone()),
                (_, [k]) => ("ARG", k.clone()),
                _ => ("ARG", "<arg_key>".to_string()),
            };
            cx.report(
                comment.range,
                format!(
                    "Comment for {what} should follow the format: `# {example} <description>`; if it is not a description, put an empty line between it and the {what}."
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::snapshot;

    #[test]
    fn buildkit_cases() {
        insta::assert_snapshot!(snapshot(
            &super::InvalidDefinitionDescription,
            "# check=experimental=InvalidDefinitionDescription\n# bar this is the bar\nARG foo=bar\n# BasE this is the BasE image\nFROM scratch AS base\n# definitely a bad comment\nARG version=latest\n# definitely a bad comment\nARG foo=baz bar=qux baz=quux\n"
        ));
        let valid = "# foo this is the foo\nARG foo=bar\n# base this is the base image\nFROM scratch AS base\n# version this is the version number\nARG version=latest\n# baz this is the baz\nARG foo=baz bar=qux baz=quux\n#\nARG bit=bat\n# comment for something other than ARG or FROM\nCOPY Dockerfile .\n# unnamed stage\nFROM scratch\n# spaced\n\nARG x\n";
        assert_eq!(snapshot(&super::InvalidDefinitionDescription, valid), "");
    }
}
