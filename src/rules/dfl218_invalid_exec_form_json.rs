use super::{Check, Context};
use crate::diagnostic::{Edit, Fix};
use crate::syntax::{Instruction, Keyword, TextRange};

crate::declare_rule! {
    /// An exec-form (JSON array) `CMD`, `ENTRYPOINT`, `RUN` or `HEALTHCHECK CMD` is not valid
    /// JSON, so Docker runs it as a shell string.
    ///
    /// The exec form must be a JSON array of **double-quoted** strings. `CMD ['python',
    /// 'app.py']` (single quotes) or a trailing comma make it plain text:
    /// Docker then runs `/bin/sh -c "['python', 'app.py']"`, which fails at run time with
    /// `[python,: not found` — the build itself succeeds. ONBUILD triggers are checked.
    ///
    /// ```dockerfile invalid
    /// FROM python:3.12-slim
    /// CMD ['python', 'app.py']
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM python:3.12-slim
    /// CMD ["python", "app.py"]
    /// RUN [ -f /etc/os-release ] && echo ok
    /// ```
    ///
    /// **Fix:** write the array with double quotes (safe fix when replacing the single
    /// quotes yields a valid JSON array).
    pub InvalidExecFormJson {
        code: "DFL218",
        name: "invalid-exec-form-json",
        severity: Error,
        default: true,
        fix: Safe,
        equivalents: [],
        scope: Stage,
    }
}

/// The logical text and source range of the would-be JSON array.
fn array_text(ins: &Instruction) -> Option<(String, TextRange, String)> {
    let kw = ins.keyword;
    // CMD/ENTRYPOINT take no flags: with one, the model's argument split is not BuildKit's.
    if matches!(kw, Keyword::Cmd | Keyword::Entrypoint) && !ins.flags.is_empty() {
        return None;
    }
    if ins.exec.is_some() {
        return None;
    }
    let (text, range) = match kw {
        Keyword::Cmd | Keyword::Entrypoint | Keyword::Run => {
            let t = ins.args_text();
            // Most RUNs are long shell scripts: look before copying.
            if !t.starts_with('[') || !t.ends_with(']') {
                return None;
            }
            (t.to_string(), ins.args_range)
        }
        Keyword::Healthcheck => {
            let first = ins.args.first()?;
            if !first.text.eq_ignore_ascii_case("cmd") {
                return None;
            }
            let t = ins.args_text();
            let rest = t.get(first.raw.len()..)?.trim_start();
            let start = ins.args.get(1)?.range.start;
            (rest.to_string(), TextRange::new(start, ins.args_range.end))
        }
        _ => return None,
    };
    if ins.exec.is_some() || !text.starts_with('[') || !text.ends_with(']') {
        return None;
    }
    // `RUN [ "$A" = 1 ]` is a shell test, not an attempted array.
    if !looks_like_array(&text) {
        return None;
    }
    let name = if kw == Keyword::Healthcheck {
        "HEALTHCHECK CMD".to_string()
    } else {
        kw.as_str().to_string()
    };
    Some((text, range, name))
}

/// True when `text` is `[` quoted items separated by commas `]` (single or double quotes,
/// a trailing comma allowed): what an exec form written with the wrong quotes looks like.
fn looks_like_array(text: &str) -> bool {
    let mut chars = text.chars().peekable();
    if chars.next() != Some('[') {
        return false;
    }
    let mut items = 0;
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        match chars.next() {
            Some(']') => return items > 0 && chars.all(char::is_whitespace),
            Some(q @ ('\'' | '"')) => {
                let mut closed = false;
                while let Some(c) = chars.next() {
                    if c == '\\' {
                        chars.next();
                    } else if c == q {
                        closed = true;
                        break;
                    }
                }
                if !closed {
                    return false;
                }
                items += 1;
            }
            _ => return false,
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        match chars.peek() {
            Some(',') => {
                chars.next();
            }
            Some(']') => {}
            _ => return false,
        }
    }
}

impl Check for InvalidExecFormJson {
    fn check(&self, cx: &mut Context<'_>) {
        let mut found = Vec::new();
        for ins in cx.with_triggers_of(&[
            Keyword::Cmd,
            Keyword::Entrypoint,
            Keyword::Run,
            Keyword::Healthcheck,
        ]) {
            let Some((text, range, name)) = array_text(ins) else {
                continue;
            };
            let source = cx.slice(range);
            let fixed = (!text.contains('"') && text.contains('\''))
                .then(|| text.replace('\'', "\""))
                .filter(|t| serde_json::from_str::<Vec<String>>(t).is_ok())
                .map(|_| source.replace('\'', "\""));
            found.push((range, name, text, fixed));
        }
        for (range, name, text, fixed) in found {
            let (why, todo) = if fixed.is_some() {
                (
                    "uses single quotes, which JSON does not allow",
                    "Write the exec form with double quotes.",
                )
            } else {
                (
                    "is not a valid JSON array of strings",
                    "Write double-quoted strings separated by commas, without a trailing comma.",
                )
            };
            let msg = format!(
                "{name} {text} {why}, so Docker runs it as a shell command ('/bin/sh -c \"{text}\"'), which fails. {todo}"
            );
            match fixed {
                Some(f) => cx.report_with_fix(
                    range,
                    msg,
                    Fix::safe("Use double quotes", vec![Edit::replace(range, f)]),
                ),
                None => {
                    cx.report(range, msg);
                }
            }
        }
    }
}
