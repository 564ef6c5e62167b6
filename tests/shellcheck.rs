//! The `shellcheck` rule: positions mapped back through continuation lines and heredocs,
//! per-finding severities and codes, exclusions; with a fake runner (always) and the real
//! `shellcheck` binary (skipped with a note when it is not installed).

use dockerfile_lsp::config::Settings;
use dockerfile_lsp::diagnostic::Diagnostic;
use dockerfile_lsp::shellcheck::{ProcessRunner, ShellCheckComment, ShellCheckRunner};
use dockerfile_lsp::syntax::LineIndex;
use std::sync::Mutex;

fn lint(text: &str, runner: &dyn ShellCheckRunner, settings: &Settings) -> Vec<Diagnostic> {
    let file = dockerfile_lsp::syntax::parse(text);
    dockerfile_lsp::lint::lint_with(&file, text, settings, None, Some(runner))
        .into_iter()
        .filter(|d| d.name == "shellcheck")
        .collect()
}

fn render(text: &str, diags: &[Diagnostic]) -> String {
    let li = LineIndex::new(text);
    diags
        .iter()
        .map(|d| {
            let (l1, c1) = li.line_col(d.range.start);
            let (l2, c2) = li.line_col(d.range.end);
            format!(
                "{}:{}-{}:{} {:?} {:?} [{}] {}\n",
                l1 + 1,
                c1 + 1,
                l2 + 1,
                c2 + 1,
                d.severity,
                d.equivalents,
                &text[d.range.start..d.range.end],
                d.message
            )
        })
        .collect()
}

/// Reports the word `BAD` wherever it is, remembering the scripts it was given.
struct Fake(Mutex<Vec<(String, String)>>);

impl ShellCheckRunner for Fake {
    fn check(&self, script: &str, dialect: &str) -> Option<Vec<ShellCheckComment>> {
        self.0
            .lock()
            .unwrap()
            .push((script.to_string(), dialect.to_string()));
        let mut out = Vec::new();
        for (l, line) in script.lines().enumerate() {
            for (i, _) in line.match_indices("BAD") {
                out.push(ShellCheckComment {
                    line: l + 1,
                    end_line: l + 1,
                    column: i + 1,
                    end_column: i + 4,
                    level: "error".into(),
                    code: 1234,
                    message: "bad".into(),
                });
            }
        }
        Some(out)
    }
}

#[test]
fn fake_runner_positions_and_inputs() {
    let text = "FROM debian:12 AS base\nARG V=1\nENV E=2\nRUN echo a \\\n  && echo BAD \\\n  && true\nRUN <<EOF\nset -e\necho BAD\nEOF\nRUN python3 <<EOF\nBAD = 1\nEOF\nRUN [\"sh\", \"-c\", \"echo BAD\"]\nFROM base\nSHELL [\"/bin/bash\", \"-c\"]\nRUN echo BAD\nFROM mcr.microsoft.com/powershell\nSHELL [\"pwsh\", \"-c\"]\nRUN echo BAD\n";
    let fake = Fake(Mutex::new(Vec::new()));
    let diags = lint(text, &fake, &Settings::default());
    insta::assert_snapshot!("fake_runner", render(text, &diags));
    let inputs = fake.0.lock().unwrap();
    // ARG/ENV of the stage are declared; the dialect follows SHELL.
    assert!(inputs[0].0.contains("export V=1\n") && inputs[0].0.contains("export E=1\n"));
    assert_eq!(inputs[0].1, "sh");
    assert!(inputs.iter().any(|(_, d)| d == "bash"));
    // pwsh is never checked; python heredoc bodies are not scripts.
    assert!(!inputs
        .iter()
        .any(|(s, _)| s.contains("BAD = 1") && !s.contains("python3")));
    // Disabled by the setting.
    let off = Settings {
        shellcheck: false,
        ..Settings::default()
    };
    assert!(lint(text, &fake, &off).is_empty());
}

#[test]
fn real_shellcheck() {
    let Some(runner) = ProcessRunner::from_path() else {
        eprintln!("skipping: shellcheck is not on PATH (apt-get install shellcheck)");
        return;
    };
    let text = "FROM debian:12\nARG VERSION=1\nRUN echo \"$VERSION\" \\\n    && cp $SRC /tmp/ \\\n    && echo \"$UNDEFINED_X\" && source /etc/profile\nRUN <<EOF\n\tcd /tmp\n\tls `pwd`\nEOF\n";
    let diags = lint(text, &runner, &Settings::default());
    insta::assert_snapshot!("real_shellcheck", render(text, &diags));
    assert!(diags.iter().any(|d| d.equivalents == ["SC2086"]));
    assert!(!diags.iter().any(|d| d.message.contains("VERSION")));
    let ignoring = Settings {
        ignored: vec!["SC2086".into()],
        ..Settings::default()
    };
    assert!(!lint(text, &runner, &ignoring)
        .iter()
        .any(|d| d.equivalents == ["SC2086"]));
    // An inline pragma names the SC code.
    let pragma = text.replace(
        "RUN echo \"$VERSION\"",
        "# hadolint ignore=SC2086\nRUN echo \"$VERSION\"",
    );
    assert!(!lint(&pragma, &runner, &Settings::default())
        .iter()
        .any(|d| d.equivalents == ["SC2086"]));
}
