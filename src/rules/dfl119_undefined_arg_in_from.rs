use super::buildkit::{suggest, GlobalScope};
use super::{Check, Context};
use crate::syntax::Keyword;

crate::declare_rule! {
    /// A `FROM` uses a variable that no global `ARG` declares.
    ///
    /// `FROM` (its image and its `--platform`) can only use the `ARG`s declared before the
    /// first `FROM` and BuildKit's predefined platform ARGs (`BUILDPLATFORM`,
    /// `TARGETARCH`, …). Anything else expands to an empty string — and `--build-arg`
    /// cannot set it, even when a default is written (`${TAG:-3.20}`). A close match is
    /// suggested.
    ///
    /// ```dockerfile invalid
    /// FROM --platform=$BULIDPLATFORM golang:1.22 AS build
    /// ```
    ///
    /// ```dockerfile valid
    /// ARG GO_VERSION=1.22
    /// ARG DEBUG
    /// FROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS build
    /// FROM scratch${DEBUG}
    /// ```
    ///
    /// **Fix:** declare it with `ARG <name>` before the first `FROM`, or fix the typo.
    pub UndefinedArgInFrom {
        code: "DFL119",
        name: "undefined-arg-in-from",
        severity: Warning,
        default: true,
        fix: None,
        equivalents: ["BuildKit:UndefinedArgInFrom"],
        scope: Outline,
    }
}

impl Check for UndefinedArgInFrom {
    fn check(&self, cx: &mut Context<'_>) {
        let file = cx.file;
        let scope = GlobalScope::new(file);
        // Only needed for a suggestion, i.e. rarely.
        let mut names: Option<Vec<String>> = None;
        for ins in file.instructions_of(&[Keyword::From]) {
            for r in &ins.var_refs {
                if scope.is_known(&r.name) {
                    continue;
                }
                let names = names.get_or_insert_with(|| scope.known_names());
                let hint = match suggest(&r.name, names.iter().map(String::as_str)) {
                    Some(s) => format!(" (did you mean {s}?)"),
                    None => String::new(),
                };
                cx.report(
                    r.range,
                    format!(
                        "FROM argument '{}' is not declared{hint}: declare it with 'ARG {}' before the first FROM.",
                        r.name, r.name
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::snapshot;

    #[test]
    fn buildkit_cases() {
        insta::assert_snapshot!(snapshot(
            &super::UndefinedArgInFrom,
            "ARG MY_OS=linux\nARG MY_ARCH=amd64\nARG tag=latest\nFROM --platform=$BULIDPLATFORM scratch\nFROM --platform=linux/${MYARCH} busybox\nFROM busybox:${tag}${version} AS b\nFROM alpine:${ALPINE:-3.20}\nFROM b\nARG STAGE_ARG=1\nFROM alpine:$STAGE_ARG\n"
        ));
        let valid = "ARG base=scratch\nARG DEBUG\nARG BUILDPLATFORM=linux/amd64\nFROM --platform=$BUILDPLATFORM $base\nFROM scratch${DEBUG}\nFROM scra${DEBUG:-tch}\nFROM --platform=$TARGETPLATFORM alpine:${TARGETOS}\n";
        assert_eq!(snapshot(&super::UndefinedArgInFrom, valid), "");
    }
}
