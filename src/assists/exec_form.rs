//! Shell-form `CMD`/`ENTRYPOINT` → exec form.
//!
//! `CMD gunicorn app:app` runs as `/bin/sh -c "gunicorn app:app"`: the shell is PID 1, so
//! `docker stop`'s SIGTERM never reaches the application. The exec form runs the program
//! directly. Offered only when the command is a plain word list (no `&&`, pipes, redirections,
//! variables or globs — those need the shell, and the rewrite would change meaning).

use super::Assist;
use crate::diagnostic::Edit;
use crate::syntax::{Dockerfile, Keyword, TextRange};

const SHELL_SYNTAX: &[char] = &[
    '&', '|', ';', '<', '>', '$', '`', '*', '?', '(', ')', '{', '}', '[', ']', '~', '#', '\\',
    '\'', '"', '\n',
];

pub fn assist(file: &Dockerfile, text: &str, range: TextRange) -> Vec<Assist> {
    let Some(ins) = file.instruction_at(range.start) else {
        return Vec::new();
    };
    if !matches!(ins.keyword, Keyword::Cmd | Keyword::Entrypoint) || ins.exec.is_some() {
        return Vec::new();
    }
    let cmd = ins.args_text();
    if cmd.is_empty() || cmd.contains(SHELL_SYNTAX) {
        return Vec::new();
    }
    let words: Vec<String> = cmd
        .split_whitespace()
        .map(|w| serde_json::to_string(w).unwrap_or_else(|_| format!("\"{w}\"")))
        .collect();
    let _ = text;
    vec![Assist {
        id: "exec-form",
        title: format!("Convert {} to exec form", ins.keyword.as_str()),
        edits: vec![Edit::replace(
            ins.args_range,
            format!("[{}]", words.join(", ")),
        )],
    }]
}

#[cfg(test)]
mod tests {
    use crate::assists::test_support::{apply, check_output};

    #[test]
    fn converts_plain_commands() {
        let src = "FROM python:3.12-slim\nCMD gunicorn app:app --bind 0.0.0.0:8000\n";
        let out = apply("exec-form", src, src.len() - 5).unwrap();
        insta::assert_snapshot!(out, @r#"
        FROM python:3.12-slim
        CMD ["gunicorn", "app:app", "--bind", "0.0.0.0:8000"]
        "#);
        check_output("exec-form", &out);
    }

    #[test]
    fn not_offered_when_the_shell_is_needed() {
        for cmd in [
            "CMD python manage.py migrate && gunicorn app",
            "CMD echo $HOME",
            "CMD [\"already\"]",
            "CMD run > /tmp/log",
        ] {
            let src = format!("FROM alpine:3.20\n{cmd}\n");
            assert_eq!(apply("exec-form", &src, src.len() - 2), None, "{cmd}");
        }
    }
}
