use super::{Check, Context};

crate::declare_rule! {
    /// Two stages have the same name.
    ///
    /// Stage names are case-insensitive (`AS Build` and `AS build` are the same name).
    /// With a duplicate, `COPY --from=<name>`, `FROM <name>` and `--target <name>` can only
    /// reach one of the stages, so the other one is dead or, worse, the wrong one is used.
    ///
    /// ```dockerfile invalid
    /// FROM golang:1.22 AS build
    /// FROM node:20 AS build
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM golang:1.22 AS build-api
    /// FROM node:20 AS build-web
    /// ```
    ///
    /// **Fix:** rename one of the stages and update its references.
    pub DuplicateStageName {
        code: "DFL103",
        name: "duplicate-stage-name",
        severity: Error,
        default: true,
        fix: None,
        equivalents: ["BuildKit:DuplicateStageName", "DL3024"],
        scope: Outline,
        cites_lines: true,
    }
}

impl Check for DuplicateStageName {
    fn check(&self, cx: &mut Context<'_>) {
        // Name (lowercased) -> where it is first defined.
        let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for stage in &cx.file.stages {
            let Some(alias) = &stage.alias else { continue };
            let lower = alias.text.as_str().to_lowercase();
            if let Some(first) = seen.get(&lower) {
                let line = cx.file.lines.line_col(*first).0 + 1;
                cx.report(
                    alias.range,
                    format!(
                        "Duplicate stage name '{}': stage names must be unique (case-insensitive) and line {line} already uses it; rename one of the stages.",
                        alias.text
                    ),
                );
            } else {
                seen.insert(lower, alias.range.start);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::snapshot;

    #[test]
    fn duplicates_are_case_insensitive() {
        insta::assert_snapshot!(snapshot(
            &super::DuplicateStageName,
            "FROM alpine AS b\nFROM alpine AS B\nFROM alpine AS b1\nFROM alpine AS b\n"
        ));
        assert_eq!(
            snapshot(
                &super::DuplicateStageName,
                "FROM alpine AS b1\nFROM alpine AS b2\nFROM b1\n"
            ),
            ""
        );
    }
}
