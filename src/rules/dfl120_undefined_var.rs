use super::buildkit::{ancestors, has_unknown_parent, is_builtin_global, suggest};
use super::{Check, Context};
use crate::syntax::{Instruction, Keyword, TextRange, VarRef, PREDEFINED_ARGS};
use std::collections::BTreeSet;

crate::declare_rule! {
    /// A variable is used in a stage where it is not defined.
    ///
    /// BuildKit expands `$VAR` itself in `ADD`, `COPY`, `ENV`, `ARG`, `LABEL`, `EXPOSE`,
    /// `STOPSIGNAL`, `USER`, `VOLUME`, `WORKDIR` and in `RUN --mount` options. A stage sees
    /// only its own `ARG`s and `ENV`s declared *before* the use, those of the stage it is
    /// built `FROM`, and its base image's environment. The classic traps:
    /// a global `ARG` (before the first `FROM`) is not visible in a stage until the stage
    /// says `ARG NAME` again; platform ARGs such as `TARGETARCH` need `ARG TARGETARCH` in
    /// the stage; `ENV A=1 B=$A` reads the *old* `A`. Undefined variables expand to an empty
    /// string, so `COPY $DIR/ .` silently copies the whole context.
    ///
    /// We cannot see the base image's environment, so for a stage built on an image
    /// (not `scratch`) a variable is reported only when it is declared elsewhere in the
    /// file (the scoping mistakes above), is a platform ARG, or is a likely typo of a known
    /// name (`$PAHT` → `$PATH`); BuildKit, which pulls the image, reports the rest too.
    /// A stage built `FROM` a name with variables that may be an earlier stage
    /// (`FROM base-$TARGETARCH`) is skipped: what it inherits is unknown.
    /// `${VAR:-default}` and `${VAR:+alt}` handle the unset case explicitly and are not
    /// reported (BuildKit reports them).
    ///
    /// ```dockerfile invalid
    /// ARG VERSION=1.2.3
    /// FROM alpine:3.20
    /// RUN --mount=type=cache,target=/cache/$VERSION true
    /// COPY dist-$VERSION/ /app/
    /// ```
    ///
    /// ```dockerfile valid
    /// ARG VERSION=1.2.3
    /// FROM alpine:3.20 AS base
    /// ARG VERSION
    /// ENV APP_HOME=/app
    /// FROM base
    /// COPY dist-$VERSION/ $APP_HOME/
    /// COPY ${EXTRA:-README.md} $APP_HOME/
    /// ```
    ///
    /// **Fix:** declare the variable in the stage (`ARG NAME`, `ENV NAME=…`) before its use,
    /// or fix the typo.
    pub UndefinedVar {
        code: "DFL120",
        name: "undefined-var",
        severity: Warning,
        default: true,
        fix: None,
        equivalents: ["BuildKit:UndefinedVar"],
        scope: Stage,
        cites_lines: true,
    }
}

/// ARGs BuildKit never puts in the environment (`nonEnvArgs`).
const NON_ENV_ARGS: &[&str] = &["BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"];

fn declared_keys(ins: &Instruction) -> impl Iterator<Item = &str> {
    let declares = matches!(ins.keyword, Keyword::Arg | Keyword::Env);
    ins.pairs
        .iter()
        .filter(move |_| declares)
        .map(|p| p.key.as_str())
}

/// The variable references BuildKit expands in `ins`.
fn checked_refs(ins: &Instruction) -> Vec<&VarRef> {
    if ins.keyword == Keyword::From || ins.keyword == Keyword::Onbuild {
        return Vec::new();
    }
    // Of the flags, BuildKit expands only these (COPY --from is resolved elsewhere).
    let skip: Vec<TextRange> = ins
        .flags
        .iter()
        .filter(|f| !matches!(f.name.as_str(), "chown" | "chmod" | "checksum" | "mount"))
        .map(|f| f.range)
        .collect();
    let guarded = |r: &VarRef| matches!(r.modifier.as_deref(), Some(":-" | "-" | ":+" | "+"));
    // `${A:+$A:}` and `${A:-$B}`: the unset case is handled, nested references included.
    let guards: Vec<TextRange> = ins
        .var_refs
        .iter()
        .filter(|r| guarded(r))
        .map(|r| r.range)
        .collect();
    ins.var_refs
        .iter()
        .filter(|r| !skip.iter().any(|s| s.contains(r.range.start)))
        .filter(|r| !guards.iter().any(|g| g.contains(r.range.start)))
        .collect()
}

impl Check for UndefinedVar {
    fn check(&self, cx: &mut Context<'_>) {
        let file = cx.file;
        let globals: BTreeSet<&str> = file.global_args().map(|p| p.key.as_str()).collect();
        for stage in cx.stages() {
            if has_unknown_parent(file, stage) {
                continue;
            }
            let chain = ancestors(file, stage);
            let root = chain.last().copied().unwrap_or(stage);
            let external = !root.image.is_scratch();
            let mut defined: BTreeSet<&str> = BTreeSet::new();
            for s in &chain {
                for ins in file.stage_instructions(s) {
                    defined.extend(declared_keys(ins));
                }
            }
            let stage_ins = file.stage_instructions(stage);
            for (pos, ins) in stage_ins.iter().enumerate() {
                let refs = checked_refs(ins);
                let mut pending: Vec<(&str, usize)> = Vec::new();
                if ins.keyword == Keyword::Arg {
                    // Each ARG pair sees the pairs before it.
                    pending = ins
                        .pairs
                        .iter()
                        .map(|p| (p.key.as_str(), p.range.end))
                        .collect();
                }
                for r in refs {
                    for (k, end) in &pending {
                        if *end <= r.range.start {
                            defined.insert(k);
                        }
                    }
                    let name = r.name.as_str();
                    // BuildKit gives every image a default PATH.
                    if defined.contains(name)
                        || name == "PATH"
                        || PREDEFINED_ARGS.contains(&name)
                        || NON_ENV_ARGS.contains(&name)
                    {
                        continue;
                    }
                    let mut candidates: Vec<&str> = defined.iter().copied().collect();
                    candidates.push("PATH");
                    candidates.sort_unstable();
                    let hint = suggest(name, candidates.iter().copied());
                    // On an image, a name the same instruction declares may come from the
                    // image (`ENV LD_LIBRARY_PATH=$LD_LIBRARY_PATH:/x`): only scratch is sure.
                    let from = if external { pos + 1 } else { pos };
                    let later = stage_ins
                        .get(from..)
                        .unwrap_or(&[])
                        .iter()
                        .find(|i| declared_keys(i).any(|k| k == name));
                    // Evidence of a scoping mistake. An ENV elsewhere proves nothing on an
                    // image (the image may set it too); an ARG never comes from an image.
                    let elsewhere = globals.contains(name)
                        || later.is_some()
                        || file.instructions.iter().any(|i| {
                            i.stage.is_some()
                                && i.index != ins.index
                                && (!external || i.keyword == Keyword::Arg)
                                && declared_keys(i).any(|k| k == name)
                        });
                    let platform = is_builtin_global(name);
                    // On an image only a near-certain typo counts (`$PAHT`, not `$GOPATH`).
                    let typo = hint
                        .as_deref()
                        .is_some_and(|h| strsim::damerau_levenshtein(name, h) <= 1);
                    if external && !typo && !elsewhere && !platform {
                        continue;
                    }
                    let stage_name = stage.display_name();
                    let why = if let Some(h) = &hint {
                        format!(" (did you mean ${h}?): fix the name, or declare it before use")
                    } else if let Some(l) = later {
                        let line = file.lines.line_col(l.range.start).0 + 1;
                        if l.index == ins.index {
                            format!(": {} reads the value from before this instruction; split it into two instructions", ins.keyword.as_str())
                        } else {
                            format!(": it is declared later in stage {stage_name} (line {line}); move the declaration above this use")
                        }
                    } else if globals.contains(name) {
                        format!(": the global ARG {name} is not visible inside stage {stage_name}; add 'ARG {name}' after the stage's FROM")
                    } else if platform {
                        format!(": {name} is predefined only in the global scope; add 'ARG {name}' to stage {stage_name}")
                    } else {
                        format!(": declare it with ARG or ENV in stage {stage_name} before use")
                    };
                    cx.report(
                        r.range,
                        format!("Usage of undefined variable '${name}'{why}."),
                    );
                }
                for (k, _) in pending {
                    defined.insert(k);
                }
                defined.extend(declared_keys(ins));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::snapshot;

    #[test]
    fn buildkit_cases_on_scratch() {
        insta::assert_snapshot!(snapshot(
            &super::UndefinedVar,
            "FROM scratch\nCOPY $foo .\nARG foo=bar\nRUN echo $foo\nARG DIR_BINARIES=binaries/ DIR_ASSETS=assets/\nCOPY $DIR_ASSET .\nENV A=1 B=$A\nENV C=$A\nARG D=1 E=$D\nCOPY ${NOPE:?required} ${OPT:-x} .\n"
        ));
    }

    #[test]
    fn scoping_on_images() {
        insta::assert_snapshot!(snapshot(
            &super::UndefinedVar,
            "ARG VERSION=1\nFROM alpine AS a\nCOPY dist-$VERSION .\nENV PATH=$PAHT:/x\nCOPY $TARGETARCH/ /\nRUN --mount=type=cache,target=/c/$CACHE_ID true\nENV CACHE_ID=x\nCOPY $JAVA_HOME/x /x\nENV JAVA_HOME=/j PATH=$JAVA_HOME/bin:$PATH\nWORKDIR $GOPATH/src\nFROM alpine AS other\nENV ONLY_HERE=1\nFROM a\nCOPY $ONLY_HERE /\n"
        ));
    }

    #[test]
    fn defined_look_alikes_are_silent() {
        let f = "ARG VERSION=1\nFROM alpine AS base\nARG VERSION\nARG TARGETARCH\nENV APP=/app\nFROM base AS b\nCOPY $VERSION/$TARGETARCH $APP/\nCOPY --from=$VERSION --exclude=$NOPE /x /y\nCOPY ${MISSING:-x} ${MISSING:+y} /\nRUN echo $UNDECLARED\nCMD echo $UNDECLARED\nENV P=$PATH:/x\nCOPY \\$ESCAPED '$SINGLE' /\nLABEL x=$HTTP_PROXY\nENV LD=/x LD_LIBRARY_PATH=${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}$LD\nENV LIBS=\"$LIBS:/x\" ProgramFiles=C: PS=\"$ProgramFiles/ps\"\nFROM base-$TARGETARCH\nCOPY $ANYTHING /\nFROM scratch\nENV PATH=$PATH:/bin\n";
        assert_eq!(snapshot(&super::UndefinedVar, f), "");
    }
}
