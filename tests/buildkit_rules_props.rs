//! The BuildKit checks never panic on arbitrary input and their fixes never overlap.

use dockerfile_lsp::config::{RuleSetting, Settings};
use dockerfile_lsp::diagnostic::apply_edits;
use dockerfile_lsp::rules::REGISTRY;
use proptest::prelude::*;

fn settings() -> Settings {
    let mut s = Settings::default();
    for r in REGISTRY {
        let code = r.meta().code;
        if code.starts_with("DFL1") {
            s.rules.insert(
                code.to_string(),
                RuleSetting {
                    enabled: Some(true),
                    ..RuleSetting::default()
                },
            );
        } else {
            s.ignored.push(code.to_string());
        }
    }
    s
}

fn line() -> impl Strategy<Value = String> {
    let kw = prop::sample::select(vec![
        "FROM",
        "from",
        "From",
        "ARG",
        "ENV",
        "env",
        "LABEL",
        "COPY",
        "ADD",
        "RUN",
        "CMD",
        "ENTRYPOINT",
        "EXPOSE",
        "WORKDIR",
        "MAINTAINER",
        "HEALTHCHECK",
        "SHELL",
        "ONBUILD",
        "#",
        "",
    ]);
    let word = prop::sample::select(vec![
        "alpine",
        "AS",
        "as",
        "b",
        "B",
        "scratch",
        "--platform=linux/amd64",
        "--platform=$TARGETPLATFORM",
        "$X",
        "${Y:-z}",
        "${",
        "x=1",
        "k v",
        "\"q",
        "'s'",
        "80/TCP",
        "1:2",
        "[\"a\"]",
        "\\",
        "`",
        "é",
        "𐐀",
        "TOKEN_KEY=1",
        "dir/",
        "/abs",
        "<<EOF",
        "EOF",
        "\t",
        "--from=b",
        "CMD",
    ]);
    (kw, prop::collection::vec(word, 0..5)).prop_map(|(k, ws)| format!("{k} {}", ws.join(" ")))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn no_panic_and_fixes_apply(lines in prop::collection::vec(line(), 0..12), crlf in any::<bool>()) {
        let text = lines.join(if crlf { "\r\n" } else { "\n" });
        let s = settings();
        for d in dockerfile_lsp::lint::lint_text(&text, &s) {
            prop_assert!(d.range.start <= d.range.end && d.range.end <= text.len());
            for f in &d.fixes {
                let (_, skipped) = apply_edits(&text, &f.edits);
                prop_assert_eq!(skipped, 0, "fix {} of {} overlaps", f.title, d.code);
            }
        }
    }
}
