use super::stages::is_template;
use super::{Check, Context};
use crate::syntax::{Instruction, Keyword};

crate::declare_rule! {
    /// Two `RUN` instructions in a row that could be one.
    ///
    /// Each `RUN` makes a layer; short commands in consecutive `RUN`s are usually better
    /// merged with `&&`, so files removed by the second are not kept by the first and the
    /// image has fewer layers. Following hadolint: only `RUN`s that directly follow each
    /// other (comments in between do not matter, any other instruction does), with the same
    /// flags (`--mount`, `--network`…), and each with at most two commands — longer `RUN`s
    /// were most likely split deliberately (for caching). Heredoc `RUN`s are skipped.
    /// `ONBUILD RUN` triggers are not checked.
    ///
    /// ```dockerfile invalid
    /// FROM debian:bookworm-slim
    /// RUN apt-get update
    /// RUN apt-get install -y --no-install-recommends curl
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM debian:bookworm-slim
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl
    /// WORKDIR /app
    /// RUN --mount=type=cache,target=/root/.cache pip install -r requirements.txt
    /// RUN python -m compileall .
    /// ```
    ///
    /// **Fix:** join the commands with `&&` in one `RUN`.
    pub ConsecutiveRun {
        code: "DFL217",
        name: "consecutive-run",
        severity: Info,
        default: true,
        fix: None,
        equivalents: ["DL3059"],
        scope: Stage,
        cites_lines: true,
    }
}

/// RUNs with more simple commands than this are not worth merging.
const MAX_COMMANDS: usize = 2;

/// Number of simple commands in a shell string (split at `&&`, `||`, `;`, `|`, `&` and
/// newlines outside quotes), counted up to one more than [`MAX_COMMANDS`]. An approximation
/// of a shell parse, enough for the threshold.
fn count_commands(script: &str) -> usize {
    let mut count = 0;
    let mut current_has_word = false;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in script.chars() {
        if escaped {
            escaped = false;
            current_has_word = true;
            continue;
        }
        if let Some(q) = quote {
            if c == q {
                quote = None;
            } else if c == '\\' && q == '"' {
                escaped = true;
            }
            continue;
        }
        match c {
            '\\' => escaped = true,
            '\'' | '"' => {
                quote = Some(c);
                current_has_word = true;
            }
            '&' | '|' | ';' | '\n' => {
                if current_has_word {
                    count += 1;
                    if count > MAX_COMMANDS {
                        // Enough to rule the RUN out: no need to read a long script to its end.
                        return count;
                    }
                }
                current_has_word = false;
            }
            c if c.is_whitespace() => {}
            _ => current_has_word = true,
        }
    }
    if current_has_word {
        count += 1;
    }
    count
}

fn commands(ins: &Instruction) -> Option<usize> {
    if !ins.heredocs.is_empty() {
        return None;
    }
    if ins.exec.is_some() {
        return Some(1);
    }
    Some(count_commands(ins.args_text()))
}

fn same_flags(a: &Instruction, b: &Instruction) -> bool {
    let key = |i: &Instruction| {
        let mut v: Vec<_> = i
            .flags
            .iter()
            .map(|f| (f.name.clone(), f.value.clone()))
            .collect();
        v.sort();
        v
    };
    key(a) == key(b)
}

impl Check for ConsecutiveRun {
    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.file;
        let mut found = Vec::new();
        for stage in cx.stages() {
            let ins = df.stage_instructions(stage);
            for pair in ins.windows(2) {
                let (a, b) = (&pair[0], &pair[1]);
                if a.keyword != Keyword::Run
                    || b.keyword != Keyword::Run
                    || !same_flags(a, b)
                    || is_template(a)
                    || is_template(b)
                {
                    continue;
                }
                let (Some(ca), Some(cb)) = (commands(a), commands(b)) else {
                    continue;
                };
                if ca > MAX_COMMANDS || cb > MAX_COMMANDS {
                    continue;
                }
                found.push((
                    b.keyword_range.cover(b.args_range),
                    super::stages::line_of(df, a.range.start),
                ));
            }
        }
        for (range, line) in found {
            cx.report(
                range,
                format!("This RUN directly follows the RUN on line {line}; merge them with '&&' into one RUN to save a layer."),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_commands() {
        assert_eq!(super::count_commands("a && b || c; d | e"), 3); // counting stops past the threshold
        assert_eq!(super::count_commands("a && b"), 2);
        assert_eq!(super::count_commands("echo 'a && b' \"c;d\""), 1);
        assert_eq!(super::count_commands("set -e; "), 1);
    }
}
