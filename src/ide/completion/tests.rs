use super::*;
use crate::ide::fixture::cursor;
use crate::syntax::parse;

fn complete_at(src: &str) -> (String, Vec<CompletionItem>) {
    let (text, offset) = cursor(src);
    let file = parse(&text);
    let items = complete(&file, &text, offset);
    (text, items)
}

fn labels(src: &str) -> Vec<String> {
    complete_at(src).1.into_iter().map(|i| i.label).collect()
}

/// Applies the item named `label` and returns the new text.
fn apply(src: &str, label: &str) -> String {
    let (text, items) = complete_at(src);
    let item = items.iter().find(|i| i.label == label).unwrap_or_else(|| {
        panic!(
            "no item {label} in {:?}",
            items.iter().map(|i| &i.label).collect::<Vec<_>>()
        )
    });
    let mut out = text.clone();
    out.replace_range(item.range.start..item.range.end, &item.insert_text);
    out
}

fn has(v: &[String], s: &str) -> bool {
    v.iter().any(|l| l == s)
}

#[test]
fn copy_from_offers_only_earlier_stages() {
    let src = "FROM golang:1.25 AS build\nFROM alpine AS tools\nFROM scratch AS final\nCOPY --from=$0 /a /b\nFROM busybox AS later\n";
    let l = labels(src);
    assert!(has(&l, "build") && has(&l, "tools"), "{l:?}");
    assert!(has(&l, "0") && has(&l, "1"), "{l:?}");
    assert!(
        !has(&l, "final") && !has(&l, "2"),
        "current stage offered: {l:?}"
    );
    assert!(
        !has(&l, "later") && !has(&l, "3"),
        "later stage offered: {l:?}"
    );
    let (_, items) = complete_at(src);
    let build = items.iter().find(|i| i.label == "build").unwrap();
    assert_eq!(build.kind, CompletionKind::Stage);
    assert!(build.detail.as_deref().unwrap().contains("golang:1.25"));
    assert_eq!(
        apply("FROM a AS build\nFROM b\nCOPY --from=bu$0 /a /b\n", "build"),
        "FROM a AS build\nFROM b\nCOPY --from=build /a /b\n"
    );
}

#[test]
fn mount_from_offers_earlier_stages() {
    let l = labels(
        "FROM node:22 AS deps\nFROM node:22-slim AS app\nRUN --mount=type=cache,from=$0 true\n",
    );
    assert!(has(&l, "deps") && !has(&l, "app"), "{l:?}");
    let l = labels("FROM a AS one\nFROM b AS two\nRUN --mount=type=bind,from=one,source=/x,target=/y --mount=from=$0\n");
    assert!(has(&l, "one") && !has(&l, "two"), "{l:?}");
}

#[test]
fn from_image_offers_earlier_stages_and_catalog() {
    let src = "FROM rust:1 AS builder\nFROM $0\n";
    let l = labels(src);
    assert!(
        has(&l, "builder") && has(&l, "python") && has(&l, "gcr.io/distroless/cc"),
        "{l:?}"
    );
    assert_eq!(l[0], "builder", "stages first: {l:?}");
    let l = labels("FROM $0 AS me\nFROM rust AS later\n");
    assert!(!has(&l, "me") && !has(&l, "later"), "{l:?}");
    assert_eq!(apply("FROM pyt$0\n", "python"), "FROM python\n");
}

#[test]
fn from_tags_of_the_image() {
    let (text, items) = complete_at("FROM python:3.1$0 AS app\n");
    assert!(items.iter().all(|i| i.kind == CompletionKind::Tag));
    assert!(items.iter().any(|i| i.label == "3.12-slim-bookworm"));
    let item = items
        .iter()
        .find(|i| i.label == "3.12-slim-bookworm")
        .unwrap();
    assert!(
        item.detail.as_deref().unwrap().contains("Debian 12"),
        "{:?}",
        item.detail
    );
    assert_eq!(&text[item.range.start..item.range.end], "3.1");
    assert_eq!(
        apply("FROM python:3.1$0 AS app\n", "3.12-slim"),
        "FROM python:3.12-slim AS app\n"
    );
    let l = labels("FROM gcr.io/distroless/static:$0\n");
    assert!(has(&l, "nonroot"), "{l:?}");
    assert!(labels("FROM example.com/unknown:$0\n").is_empty());
    // AS after the image
    assert_eq!(labels("FROM python:3.12 $0\n"), vec!["AS"]);
}

#[test]
fn instructions_valid_at_the_cursor() {
    let l = labels("$0");
    assert!(has(&l, "FROM") && has(&l, "ARG"), "{l:?}");
    assert!(
        !has(&l, "RUN") && !has(&l, "COPY"),
        "before FROM only ARG/FROM: {l:?}"
    );
    assert!(
        has(&l, "# syntax="),
        "directives on an empty first line: {l:?}"
    );
    let l = labels("ARG V=1\n$0\nFROM x\n");
    assert_eq!(l, vec!["ARG", "FROM"]);
    let l = labels("FROM x\nR$0\n");
    assert!(
        has(&l, "RUN") && has(&l, "COPY") && has(&l, "MAINTAINER"),
        "{l:?}"
    );
    assert!(!has(&l, "# syntax="));
    assert_eq!(
        l.last().map(String::as_str),
        Some("MAINTAINER"),
        "deprecated last"
    );
    let (_, items) = complete_at("co$0\n");
    let copy = items.iter().find(|i| i.label == "from").unwrap();
    assert!(copy.snippet && copy.insert_text.starts_with("from "));
    // Arguments already there: the bare keyword, not a snippet.
    assert_eq!(apply("FROM x\nRU$0N a\n", "RUN"), "FROM x\nRUN a\n");
    assert_eq!(apply("FROM x\nRU$0\n", "RUN"), "FROM x\nRUN ${1:command}\n");
    // The file's casing wins over what is typed.
    let l = labels("from x\nrun a\nR$0\n");
    assert!(has(&l, "copy") && !has(&l, "COPY"), "{l:?}");
    let l = labels("FROM x\nc$0\n");
    assert!(has(&l, "COPY"), "{l:?}");
}

#[test]
fn no_instruction_completion_inside_arguments() {
    assert!(labels("FROM x\nRUN apt-get in$0\n").is_empty());
    assert!(labels("FROM x\nRUN apt-get update \\\n    && ap$0\n").is_empty());
    assert!(
        labels("FROM x\nENV A=$0\n").is_empty()
            || labels("FROM x\nENV A=$0\n").iter().all(|l| l != "RUN")
    );
    assert!(labels("FROM x\nCOPY a $0\n").is_empty());
}

#[test]
fn nothing_in_comments_or_heredoc_bodies() {
    assert!(labels("FROM x\n# a comment $0\n").is_empty());
    assert!(labels("FROM x\nRUN <<EOF\n  apt-get $0\nEOF\n").is_empty());
    assert!(labels("FROM x\nRUN <<EOF\necho $$0\nEOF\n").is_empty());
    assert!(labels("FROM x\nRUN <<EOF\nunterminated $0").is_empty());
    assert!(labels("FROM x\nRUN a \\\n  # inside $0\n  b\n").is_empty());
}

#[test]
fn directives_on_the_top_lines_only() {
    let l = labels("# sy$0\nFROM x\n");
    assert_eq!(l, vec!["syntax", "escape", "check"]);
    let l = labels("# syntax=docker/dockerfile:1\n# $0\nFROM x\n");
    assert!(!has(&l, "syntax") && has(&l, "check"), "{l:?}");
    let l = labels("# syntax=$0\nFROM x\n");
    assert!(has(&l, "docker/dockerfile:1"), "{l:?}");
    assert_eq!(
        apply("# syntax=doc$0\nFROM x\n", "docker/dockerfile:1"),
        "# syntax=docker/dockerfile:1\nFROM x\n"
    );
    let l = labels("# escape=$0\n");
    assert_eq!(l, vec!["\\", "`"]);
    let l = labels("# check=$0\nFROM x\n");
    assert_eq!(l, vec!["skip=", "error=true"]);
    let l = labels("# check=skip=JSONArgsRecommended,$0\nFROM x\n");
    assert!(
        has(&l, "UndefinedVar") && has(&l, "all") && !has(&l, "JSONArgsRecommended"),
        "{l:?}"
    );
    let l = labels("# check=error=true;skip=Und$0\nFROM x\n");
    assert!(has(&l, "UndefinedVar"), "{l:?}");
    // Not after an instruction, nor after a plain comment ended the directives.
    assert!(labels("FROM x\n# sy$0\n").is_empty());
    assert!(labels("# hello\n\n# sy$0\nFROM x\n").is_empty());
}

#[test]
fn flags_of_the_instruction() {
    let l = labels("FROM x\nCOPY --$0\n");
    for f in [
        "--from",
        "--chown",
        "--chmod",
        "--link",
        "--parents",
        "--exclude",
    ] {
        assert!(has(&l, f), "{f} missing: {l:?}");
    }
    assert!(!has(&l, "--mount"));
    let l = labels("FROM x\nCOPY --link --$0 a b\n");
    assert!(
        !has(&l, "--link") && has(&l, "--chown"),
        "used flag offered again: {l:?}"
    );
    let l = labels("FROM x\nCOPY --exclude=*.md --$0 a b\n");
    assert!(has(&l, "--exclude"), "repeatable flag: {l:?}");
    let l = labels("FROM x\nADD --$0\n");
    for f in ["--checksum", "--keep-git-dir", "--unpack", "--link"] {
        assert!(has(&l, f), "{f} missing: {l:?}");
    }
    let l = labels("FROM x\nHEALTHCHECK --$0\n");
    assert!(has(&l, "--interval") && has(&l, "--start-interval") && has(&l, "--retries"));
    assert_eq!(
        apply("FROM x\nRUN --mo$0\n", "--mount"),
        "FROM x\nRUN --mount=\n"
    );
    assert_eq!(
        apply("FROM x\nCOPY --li$0 a b\n", "--link"),
        "FROM x\nCOPY --link a b\n"
    );
    // Flags only before the arguments.
    assert!(labels("FROM x\nRUN echo --$0\n").is_empty());
    assert!(labels("FROM x\nWORKDIR --$0\n").is_empty());
}

#[test]
fn flag_values() {
    assert_eq!(
        labels("FROM x\nRUN --network=$0\n"),
        vec!["default", "none", "host"]
    );
    assert_eq!(
        labels("FROM x\nRUN --security=$0\n"),
        vec!["sandbox", "insecure"]
    );
    let l = labels("FROM --platform=$0 x\n");
    assert!(has(&l, "$BUILDPLATFORM") && has(&l, "linux/arm64"), "{l:?}");
    assert_eq!(
        labels("FROM x\nCOPY --link=$0 a b\n"),
        vec!["true", "false"]
    );
    assert!(has(&labels("FROM x\nCOPY --chmod=$0 a b\n"), "0755"));
    assert!(has(
        &labels("FROM x\nHEALTHCHECK --interval=$0 CMD true\n"),
        "30s"
    ));
    assert_eq!(
        apply("FROM x\nRUN --network=no$0 true\n", "none"),
        "FROM x\nRUN --network=none true\n"
    );
}

#[test]
fn mount_types_keys_and_values() {
    assert_eq!(
        labels("FROM x\nRUN --mount=type=$0\n"),
        vec!["bind", "cache", "secret", "ssh", "tmpfs"]
    );
    let l = labels("FROM x\nRUN --mount=type=cache,$0\n");
    for k in [
        "target", "id", "sharing", "from", "source", "mode", "uid", "gid", "readonly",
    ] {
        assert!(has(&l, k), "{k} missing: {l:?}");
    }
    assert!(
        !has(&l, "type") && !has(&l, "size") && !has(&l, "env"),
        "{l:?}"
    );
    let l = labels("FROM x\nRUN --mount=type=secret,id=npm,$0\n");
    assert!(
        has(&l, "env") && has(&l, "required") && !has(&l, "id"),
        "{l:?}"
    );
    let l = labels("FROM x\nRUN --mount=type=tmpfs,$0\n");
    assert!(has(&l, "size") && !has(&l, "sharing"), "{l:?}");
    let l = labels("FROM x\nRUN --mount=$0\n");
    assert_eq!(l[0], "type", "{l:?}");
    assert_eq!(
        labels("FROM x\nRUN --mount=type=cache,target=/root/.cache,sharing=$0\n"),
        vec!["shared", "private", "locked"]
    );
    assert_eq!(
        apply("FROM x\nRUN --mount=type=cache,sh$0 true\n", "sharing"),
        "FROM x\nRUN --mount=type=cache,sharing= true\n"
    );
    assert_eq!(
        apply(
            "FROM x\nRUN --mount=type=cache,target=/x,sharing=lo$0 true\n",
            "locked"
        ),
        "FROM x\nRUN --mount=type=cache,target=/x,sharing=locked true\n"
    );
    // Across a continuation line (BuildKit keeps the continuation line's indentation, so
    // a mount value continued on the next line must start at column 0).
    let l = labels("FROM x\nRUN --mount=type=cache,target=/var/cache/apt,\\\nsha$0\n");
    assert!(has(&l, "sharing"), "{l:?}");
    let l = labels("FROM x\nRUN --mount=type=cache,target=/x \\\n  --mount=type=$0\n");
    assert!(has(&l, "secret"), "{l:?}");
}

#[test]
fn variables_in_scope() {
    let src = "ARG GLOBAL=1\nARG REDECLARED=g\nFROM x\nARG REDECLARED\nARG LOCAL=2\nENV HOME_DIR=/app\nRUN echo $$0\nARG LATER=3\n";
    let (_, items) = complete_at(src);
    let l: Vec<_> = items.iter().map(|i| i.label.clone()).collect();
    assert!(
        has(&l, "LOCAL") && has(&l, "HOME_DIR") && has(&l, "REDECLARED"),
        "{l:?}"
    );
    assert!(
        !has(&l, "GLOBAL"),
        "global ARG not redeclared in the stage: {l:?}"
    );
    assert!(!has(&l, "LATER"), "defined after the cursor: {l:?}");
    assert!(
        !has(&l, "TARGETPLATFORM"),
        "platform ARGs need ARG in a stage: {l:?}"
    );
    assert!(has(&l, "HTTP_PROXY"), "predefined proxy ARGs in RUN: {l:?}");
    let re = items.iter().find(|i| i.label == "REDECLARED").unwrap();
    assert_eq!(re.detail.as_deref(), Some("= g"));
    let local = items.iter().find(|i| i.label == "LOCAL").unwrap();
    assert!(local.documentation.as_deref().unwrap().contains("line 5"));
    assert_eq!(l[0], "REDECLARED", "declared ones before predefined: {l:?}");

    // FROM lines see the global ARGs and the platform ARGs.
    let l = labels("ARG TAG=3.12\nFROM python:${$0}\n");
    assert!(has(&l, "TAG") && has(&l, "TARGETPLATFORM"), "{l:?}");
    assert_eq!(
        apply("ARG TAG=3.12\nFROM python:${T$0\n", "TAG"),
        "ARG TAG=3.12\nFROM python:${TAG}\n"
    );
    assert_eq!(
        apply("ARG TAG=3.12\nFROM python:${T$0}\n", "TAG"),
        "ARG TAG=3.12\nFROM python:${TAG}\n"
    );
    let l = labels("ARG A=1\nFROM x\nARG TARGETARCH\nCOPY --chown=$$0 a b\n");
    assert!(
        has(&l, "TARGETARCH") && !has(&l, "A") && !has(&l, "HTTP_PROXY"),
        "{l:?}"
    );
    // ENV of a parent stage is inherited.
    let l = labels("FROM x AS base\nENV APP=/srv\nFROM base\nWORKDIR $$0\n");
    assert!(has(&l, "APP"), "{l:?}");
    let l = labels("FROM x AS base\nENV APP=/srv\nFROM alpine\nWORKDIR $$0\n");
    assert!(!has(&l, "APP"), "{l:?}");
}

#[test]
fn onbuild_triggers_and_other_arguments() {
    let l = labels("FROM x\nONBUILD $0\n");
    assert!(
        has(&l, "RUN") && !has(&l, "FROM") && !has(&l, "ONBUILD"),
        "{l:?}"
    );
    let l = labels("FROM x\nONBUILD COPY --$0\n");
    assert!(has(&l, "--from"), "{l:?}");
    assert_eq!(labels("FROM x\nHEALTHCHECK $0\n"), vec!["CMD", "NONE"]);
    assert!(has(&labels("FROM x\nSTOPSIGNAL $0\n"), "SIGTERM"));
}

#[test]
fn robust_on_odd_positions() {
    for src in [
        "",
        "F",
        "FROM",
        "FROM x\n",
        "\u{e9}\u{1F600}",
        "FROM x\nRUN \u{1F600}",
    ] {
        let file = parse(src);
        for off in 0..=src.len() + 2 {
            let _ = complete(&file, src, off);
        }
    }
}
