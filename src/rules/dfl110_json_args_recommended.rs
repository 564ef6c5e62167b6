use super::buildkit::{ancestors, has_unknown_parent};
use super::{Check, Context};
use crate::diagnostic::{Edit, Fix};
use crate::syntax::{Instruction, Keyword};

crate::declare_rule! {
    /// `CMD` or `ENTRYPOINT` is written in shell form.
    ///
    /// In shell form the command runs as a child of `/bin/sh -c`, which does not forward
    /// signals: `docker stop` waits for the timeout and then kills the process. The exec
    /// form (`["prog", "arg"]`) makes the program PID 1 so it receives `SIGTERM`. As in
    /// BuildKit, a `SHELL` instruction earlier in the stage (or in the stage it is built
    /// `FROM`) marks shell form as deliberate and silences the check.
    ///
    /// ```dockerfile invalid
    /// FROM node:20-alpine
    /// CMD node server.js
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM node:20-alpine
    /// CMD ["node", "server.js"]
    /// FROM alpine:3.20
    /// SHELL ["/bin/ash", "-eo", "pipefail", "-c"]
    /// ENTRYPOINT echo "$HOSTNAME" | tee /tmp/host
    /// ```
    ///
    /// **Fix (unsafe):** for a plain command without shell syntax, rewrite it in exec form.
    /// Unsafe because the program then runs without a shell: it becomes PID 1 and no longer
    /// gets shell variable expansion.
    pub JsonArgsRecommended {
        code: "DFL110",
        name: "json-args-recommended",
        severity: Warning,
        default: true,
        fix: Unsafe,
        equivalents: ["BuildKit:JSONArgsRecommended", "DL3025"],
        scope: Stage,
    }
}

/// `["a", "b"]` for a shell command made only of plain words, if it is one.
fn exec_form(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let first = words.first()?;
    if first.contains('=') {
        return None;
    }
    let plain = |w: &&str| {
        w.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(c, '_' | '.' | '/' | ':' | '=' | '@' | '%' | '+' | ',' | '-')
        })
    };
    if !words.iter().all(plain) {
        return None;
    }
    let items: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
    Some(format!("[{}]", items.join(", ")))
}

fn has_shell(ins: &[Instruction]) -> bool {
    ins.iter().any(|i| i.keyword == Keyword::Shell)
}

impl Check for JsonArgsRecommended {
    fn check(&self, cx: &mut Context<'_>) {
        let file = cx.file;
        for stage in cx.stages() {
            if has_unknown_parent(file, stage) {
                continue;
            }
            let mut shell = ancestors(file, stage)
                .iter()
                .any(|s| has_shell(file.stage_instructions(s)));
            for ins in file.stage_instructions(stage) {
                match ins.keyword {
                    Keyword::Shell => shell = true,
                    Keyword::Cmd | Keyword::Entrypoint if !shell => {
                        let Some(text) = ins.shell_text() else {
                            continue;
                        };
                        // Broken JSON (`['a']`) is reported by invalid-exec-form-json.
                        if text.starts_with('[') {
                            continue;
                        }
                        let name = ins.keyword.as_str();
                        let single_line = !cx
                            .text
                            .get(ins.args_range.start..ins.args_range.end)
                            .unwrap_or("\n")
                            .contains(['\n', '\r']);
                        let d = cx.report(
                            ins.args_range,
                            format!(
                                "JSON arguments recommended for {name} to prevent unintended behavior related to OS signals: write {name} [\"executable\", \"arg\", …]."
                            ),
                        );
                        if let (true, Some(json)) = (single_line, exec_form(text)) {
                            d.fixes.push(Fix::unsafe_(
                                format!("Use exec form {json}"),
                                vec![Edit::replace(ins.args_range, json.clone())],
                            ));
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::snapshot;

    #[test]
    fn shell_form_and_shell_instruction() {
        insta::assert_snapshot!(snapshot(
            &super::JsonArgsRecommended,
            "FROM scratch AS a\nCMD mycommand --port=80\nENTRYPOINT echo $HOME | cat\nFROM scratch AS b\nSHELL [\"/usr/bin/customshell\"]\nCMD mycommand\nFROM b\nENTRYPOINT mycommand\nFROM a\nCMD [\"ok\"]\nCMD ['bad']\n"
        ));
    }
}
