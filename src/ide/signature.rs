//! Signature help: the syntax forms of the instruction under the cursor, the form in use and
//! the parameter the cursor is on (a flag, or the n-th argument).

use crate::syntax::{Dockerfile, Instruction, Keyword, TextRange};

/// How argument words map to positional parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Positional {
    /// Word n → positional parameter n (the last one takes the rest).
    Sequence,
    /// The last word is the destination, all others are sources (COPY, ADD).
    SourcesDest,
}

struct Form {
    params: &'static [&'static str],
    doc: &'static str,
    positional: Positional,
}

const fn form(params: &'static [&'static str], doc: &'static str) -> Form {
    Form {
        params,
        doc,
        positional: Positional::Sequence,
    }
}

const RUN_FLAGS: [&str; 3] = [
    "[--mount=<type=…,target=…>]",
    "[--network=<default|none|host>]",
    "[--security=<sandbox|insecure>]",
];
const COPY_FLAGS: [&str; 6] = [
    "[--from=<stage|image|context>]",
    "[--chown=<user>[:<group>]]",
    "[--chmod=<perms>]",
    "[--link]",
    "[--parents]",
    "[--exclude=<path>]",
];
const ADD_FLAGS: [&str; 6] = [
    "[--chown=<user>[:<group>]]",
    "[--chmod=<perms>]",
    "[--link]",
    "[--checksum=<hash>]",
    "[--keep-git-dir]",
    "[--exclude=<path>]",
];

fn forms(k: Keyword) -> Vec<Form> {
    match k {
        Keyword::From => vec![form(
            &[
                "[--platform=<platform>]",
                "<image>[:<tag>|@<digest>]",
                "[AS <name>]",
            ],
            "Starts a build stage from a base image (or an earlier stage).",
        )],
        Keyword::Run => vec![
            form(
                &[RUN_FLAGS[0], RUN_FLAGS[1], RUN_FLAGS[2], "<command>"],
                "Shell form: runs the command with the default shell (`/bin/sh -c`).",
            ),
            form(
                &[
                    RUN_FLAGS[0],
                    RUN_FLAGS[1],
                    RUN_FLAGS[2],
                    "[\"executable\", \"param1\", …]",
                ],
                "Exec form: runs the executable directly, without a shell.",
            ),
            form(
                &[RUN_FLAGS[0], RUN_FLAGS[1], RUN_FLAGS[2], "<<EOF … EOF"],
                "Heredoc form: runs the lines up to the delimiter as a script.",
            ),
        ],
        Keyword::Cmd => vec![
            form(
                &["[\"executable\", \"param1\", …]"],
                "Exec form (preferred): the default command of the container.",
            ),
            form(
                &["[\"param1\", \"param2\", …]"],
                "Default parameters for ENTRYPOINT.",
            ),
            form(&["<command>"], "Shell form: runs with `/bin/sh -c`."),
        ],
        Keyword::Entrypoint => vec![
            form(
                &["[\"executable\", \"param1\", …]"],
                "Exec form (preferred): signals reach the process; CMD adds arguments.",
            ),
            form(
                &["<command>"],
                "Shell form: runs with `/bin/sh -c`; ignores CMD and signals go to the shell.",
            ),
        ],
        Keyword::Copy => vec![
            Form {
                params: &[
                    COPY_FLAGS[0],
                    COPY_FLAGS[1],
                    COPY_FLAGS[2],
                    COPY_FLAGS[3],
                    COPY_FLAGS[4],
                    COPY_FLAGS[5],
                    "<src>…",
                    "<dest>",
                ],
                doc: "Copies files from the build context, a stage or an image.",
                positional: Positional::SourcesDest,
            },
            form(
                &[
                    COPY_FLAGS[0],
                    COPY_FLAGS[1],
                    COPY_FLAGS[2],
                    COPY_FLAGS[3],
                    COPY_FLAGS[4],
                    COPY_FLAGS[5],
                    "[\"<src>\", …, \"<dest>\"]",
                ],
                "JSON form, for paths containing whitespace.",
            ),
        ],
        Keyword::Add => vec![
            Form {
                params: &[
                    ADD_FLAGS[0],
                    ADD_FLAGS[1],
                    ADD_FLAGS[2],
                    ADD_FLAGS[3],
                    ADD_FLAGS[4],
                    ADD_FLAGS[5],
                    "<src>…",
                    "<dest>",
                ],
                doc: "Adds files, URLs or git repositories; extracts local tar archives.",
                positional: Positional::SourcesDest,
            },
            form(
                &[
                    ADD_FLAGS[0],
                    ADD_FLAGS[1],
                    ADD_FLAGS[2],
                    ADD_FLAGS[3],
                    ADD_FLAGS[4],
                    ADD_FLAGS[5],
                    "[\"<src>\", …, \"<dest>\"]",
                ],
                "JSON form, for paths containing whitespace.",
            ),
        ],
        Keyword::Env => vec![form(
            &["<key>=<value>", "[<key>=<value>…]"],
            "Sets environment variables for later instructions and the container.",
        )],
        Keyword::Arg => vec![form(
            &["<name>[=<default>]", "[<name>[=<default>]…]"],
            "Declares a build argument (`--build-arg`), visible until the end of the stage.",
        )],
        Keyword::Label => vec![form(
            &["<key>=<value>", "[<key>=<value>…]"],
            "Adds metadata to the image.",
        )],
        Keyword::Expose => vec![form(
            &["<port>[/<tcp|udp>]", "[<port>[/<protocol>]…]"],
            "Documents the ports the container listens on.",
        )],
        Keyword::Volume => vec![
            form(&["[\"<path>\", …]"], "Creates mount points (JSON form)."),
            form(&["<path>", "[<path>…]"], "Creates mount points."),
        ],
        Keyword::User => vec![form(
            &["<user|UID>[:<group|GID>]"],
            "Sets the user (and group) for later instructions and the container.",
        )],
        Keyword::Workdir => vec![form(
            &["<path>"],
            "Sets the working directory (created if missing).",
        )],
        Keyword::Onbuild => vec![form(
            &["<INSTRUCTION>"],
            "Adds a trigger run when the image is used as a base.",
        )],
        Keyword::Stopsignal => vec![form(
            &["<signal>"],
            "Sets the signal that stops the container.",
        )],
        Keyword::Healthcheck => vec![
            form(
                &[
                    "[--interval=<duration>]",
                    "[--timeout=<duration>]",
                    "[--start-period=<duration>]",
                    "[--start-interval=<duration>]",
                    "[--retries=<n>]",
                    "CMD",
                    "<command>",
                ],
                "Checks container health by running a command.",
            ),
            form(
                &["NONE"],
                "Disables any health check inherited from the base image.",
            ),
        ],
        Keyword::Shell => vec![form(
            &["[\"executable\", \"parameters\"]"],
            "Sets the shell used by shell-form instructions.",
        )],
        Keyword::Maintainer => vec![form(
            &["<name>"],
            "Deprecated: use `LABEL org.opencontainers.image.authors=…`.",
        )],
        Keyword::Unknown => Vec::new(),
    }
}

/// One syntax form. Parameter ranges are byte offsets into `label`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    pub label: String,
    pub documentation: String,
    pub parameters: Vec<(usize, usize)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureHelp {
    pub signatures: Vec<Signature>,
    pub active_signature: usize,
    /// `None` when the cursor is on the keyword.
    pub active_parameter: Option<usize>,
}

fn render(k: Keyword, f: &Form) -> Signature {
    let mut label = k.as_str().to_string();
    let mut parameters = Vec::new();
    for p in f.params {
        label.push(' ');
        let s = label.len();
        label.push_str(p);
        parameters.push((s, label.len()));
    }
    Signature {
        label,
        documentation: f.doc.to_string(),
        parameters,
    }
}

/// Signature help at `offset`, if it is inside an instruction (not in a heredoc body).
pub fn signature_help(df: &Dockerfile, offset: usize) -> Option<SignatureHelp> {
    let outer = df.instruction_at(offset)?;
    let ins = match &outer.onbuild {
        Some(inner) if offset > inner.keyword_range.start => inner.as_ref(),
        _ => outer,
    };
    if ins
        .heredocs
        .iter()
        .any(|h| offset >= h.body_range.start && h.end_range.is_none_or(|r| offset <= r.end))
    {
        return None;
    }
    let all = forms(ins.keyword);
    if all.is_empty() {
        return None;
    }
    let active_signature = active_form(ins);
    let form = all.get(active_signature)?;
    let active_parameter = if offset <= ins.keyword_range.end {
        None
    } else {
        Some(active_param(ins, form, offset))
    };
    Some(SignatureHelp {
        signatures: all.iter().map(|f| render(ins.keyword, f)).collect(),
        active_signature,
        active_parameter,
    })
}

fn active_form(ins: &Instruction) -> usize {
    let exec = ins.exec.is_some() || ins.args_text().starts_with('[');
    match ins.keyword {
        Keyword::Run if !ins.heredocs.is_empty() => 2,
        Keyword::Run if exec => 1,
        Keyword::Cmd | Keyword::Entrypoint | Keyword::Volume if !exec && !ins.args.is_empty() => {
            match ins.keyword {
                Keyword::Cmd => 2,
                _ => 1,
            }
        }
        Keyword::Copy | Keyword::Add if exec => 1,
        Keyword::Healthcheck
            if ins
                .args
                .first()
                .is_some_and(|w| w.text.eq_ignore_ascii_case("none")) =>
        {
            1
        }
        _ => 0,
    }
}

fn active_param(ins: &Instruction, form: &Form, offset: usize) -> usize {
    let is_flag = |p: &&str| p.starts_with("[--");
    if let Some(f) = ins
        .flags
        .iter()
        .find(|f| f.range.contains_inclusive(offset))
    {
        let prefix = format!("[--{}", f.name);
        return form
            .params
            .iter()
            .position(|p| p.starts_with(&prefix) && p[prefix.len()..].starts_with(['=', ']']))
            .or_else(|| form.params.iter().position(is_flag))
            .unwrap_or(0);
    }
    let positional: Vec<usize> = (0..form.params.len())
        .filter(|&i| !is_flag(&form.params[i]))
        .collect();
    let Some(&last) = positional.last() else {
        return 0;
    };
    // Words of the arguments (after the flags); HEALTHCHECK's `CMD` is a word too.
    let words: Vec<TextRange> = match &ins.exec {
        Some(_) if ins.keyword != Keyword::Healthcheck => {
            return positional.first().copied().unwrap_or(0)
        }
        _ => ins.args.iter().map(|w| w.range).collect(),
    };
    let k = words
        .iter()
        .position(|r| offset <= r.end)
        .unwrap_or(words.len());
    let total = words.len().max(k + 1);
    let slot = match form.positional {
        Positional::Sequence => k,
        Positional::SourcesDest => {
            if k + 1 == total && total >= 2 {
                positional.len().saturating_sub(1)
            } else {
                0
            }
        }
    };
    positional.get(slot).copied().unwrap_or(last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::test_fixture::fixture;
    use crate::syntax::parse;

    /// (active signature label, active parameter text)
    fn help(src: &str) -> Option<(String, Option<String>)> {
        let f = fixture(src);
        let df = parse(&f.text);
        let h = signature_help(&df, f.cursor)?;
        let sig = h.signatures.get(h.active_signature)?;
        let param = h
            .active_parameter
            .and_then(|p| sig.parameters.get(p))
            .map(|&(s, e)| sig.label[s..e].to_string());
        Some((sig.label.clone(), param))
    }

    fn param(src: &str) -> Option<String> {
        help(src).and_then(|h| h.1)
    }

    #[test]
    fn from_parameters() {
        assert_eq!(
            param("FROM pyth$0on AS x").as_deref(),
            Some("<image>[:<tag>|@<digest>]")
        );
        assert_eq!(param("FROM python AS x$0").as_deref(), Some("[AS <name>]"));
        assert_eq!(
            param("FROM --platform=linux/am$0d64 python").as_deref(),
            Some("[--platform=<platform>]")
        );
        assert_eq!(param("FR$0OM python"), None);
    }

    #[test]
    fn copy_sources_and_dest() {
        assert_eq!(param("FROM a\nCOPY a$0 b c").as_deref(), Some("<src>…"));
        assert_eq!(param("FROM a\nCOPY a b c$0").as_deref(), Some("<dest>"));
        assert_eq!(param("FROM a\nCOPY a $0").as_deref(), Some("<dest>"));
        assert_eq!(
            param("FROM a\nCOPY --chown=1:$01 a b").as_deref(),
            Some("[--chown=<user>[:<group>]]")
        );
        assert_eq!(
            param("FROM a\nCOPY --link$0 a b").as_deref(),
            Some("[--link]")
        );
    }

    #[test]
    fn forms_follow_the_arguments() {
        let (label, p) = help("FROM a\nRUN [\"ls\", $0\"-l\"]").unwrap_or_default();
        assert!(
            label.starts_with("RUN") && label.ends_with("[\"executable\", \"param1\", …]"),
            "{label}"
        );
        assert_eq!(p.as_deref(), Some("[\"executable\", \"param1\", …]"));
        let (label, _) = help("FROM a\nCMD echo $0hi").unwrap_or_default();
        assert_eq!(label, "CMD <command>");
        let (label, _) = help("FROM a\nHEALTHCHECK NO$0NE").unwrap_or_default();
        assert_eq!(label, "HEALTHCHECK NONE");
        assert_eq!(
            param("FROM a\nRUN --mount=type=cache$0,target=/x make").as_deref(),
            Some("[--mount=<type=…,target=…>]")
        );
        assert_eq!(
            param("FROM a\nONBUILD RUN --network=none$0 x").as_deref(),
            Some("[--network=<default|none|host>]")
        );
    }

    #[test]
    fn nothing_in_heredoc_bodies() {
        assert_eq!(help("FROM a\nRUN <<EOF\necho $0hi\nEOF\n"), None);
        assert!(help("FROM a\nRUN <<E$0OF\necho hi\nEOF\n").is_some());
    }
}
