use super::*;
use crate::ide::fixture::{cursor, fixture};
use crate::syntax::parse;

const TODAY: Date = Date::new(2026, 11, 23);

fn hover_md(src: &str) -> Option<Hover> {
    let (text, offset) = cursor(src);
    let file = parse(&text);
    hover_on(&file, &text, offset, &[], TODAY)
}

fn md(src: &str) -> String {
    hover_md(src).map(|h| h.markdown).unwrap_or_default()
}

#[test]
fn base_image_with_flavor_distro_and_eol() {
    let m = md("FROM python:3.12-sl$0im-bookworm\n");
    assert!(m.contains("CPython"), "{m}");
    assert!(m.contains("`slim`"), "{m}");
    assert!(
        m.contains("Debian 12 (bookworm)") && m.contains("supported until 2028-06-30"),
        "{m}"
    );
    assert!(
        m.contains("glibc") && m.contains("≈ 45 MB") && m.contains("Default user: root"),
        "{m}"
    );
    assert!(m.contains("hub.docker.com/_/python"), "{m}");
    assert!(!m.contains("Smaller variant"), "already slim: {m}");
    let m = md("FROM pyth$0on:3.12\n");
    assert!(m.contains("Smaller variant: `python:3.12-slim`"), "{m}");
    let m = md("FROM python:3.10$0-slim\n");
    assert!(
        m.contains("Python 3.10: **end of life** since 2026-10-31"),
        "{m}"
    );
    let m = md("FROM node:22$0-alpine\n");
    assert!(m.contains("Node.js 22: supported until 2027-04-30"), "{m}");
    let m = md("FROM ubuntu:26.0$04\n");
    assert!(
        m.contains("Ubuntu 26.04 LTS") && m.contains("supported until"),
        "{m}"
    );

    let m = md("FROM $0python:3.9-slim-buster\n");
    assert!(
        m.contains("**end of life**") && m.contains("2024-06-30"),
        "{m}"
    );
    let m = md("FROM node:22-alp$0ine\n");
    assert!(m.contains("musl") && m.contains("`alpine`"), "{m}");
    let m = md("FROM gcr.io/distroless/static-debian12:non$0root\n");
    assert!(
        m.contains("Shell: none") && m.contains("non-root") && m.contains("none (static"),
        "{m}"
    );
    let m = md("FROM ubuntu:20.0$04\n");
    assert!(
        m.contains("end of life") && m.contains("standard support"),
        "{m}"
    );
    let m = md("FROM open$0jdk:21\n");
    assert!(m.contains("Deprecated") || m.contains("deprecated"), "{m}");
    let m = md("FROM scr$0atch\n");
    assert!(m.contains("empty image"), "{m}");
}

#[test]
fn range_is_the_image_reference() {
    let f = fixture("FROM python:3$0.12 AS app\n     ^^^^^^^^^^^\n");
    let file = parse(&f.text);
    let h = hover_on(&file, &f.text, f.offset, &[], TODAY).unwrap();
    assert_eq!(h.range, f.marks[0]);
}

#[test]
fn unknown_image_reads_the_reference() {
    let m = md("FROM ghcr.io/acme/ap$0p:1.2@sha256:abc\n");
    assert!(m.contains("not in the offline catalog"), "{m}");
    assert!(
        m.contains("`ghcr.io`")
            && m.contains("`acme/app`")
            && m.contains("`1.2`")
            && m.contains("sha256:abc"),
        "{m}"
    );
    let m = md("FROM example.com/x/y$0\n");
    assert!(m.contains("latest (implicit)"), "{m}");
}

#[test]
fn image_with_variables_is_resolved() {
    let m = md("ARG V=3.12\nFROM pyth$0on:${V}-alpine\n");
    assert!(
        m.contains("resolves to `python:3.12-alpine`") && m.contains("musl"),
        "{m}"
    );
}

#[test]
fn instructions_and_flags() {
    let m = md("FROM x\nCO$0PY a b\n");
    assert!(m.starts_with("**COPY**") && m.contains("--from"), "{m}");
    let m = md("FROM x\nRUN --mou$0nt=type=cache,target=/root/.cache true\n");
    assert!(
        m.contains("`--mount`") && m.contains("Keys of `type=cache`") && m.contains("`sharing`"),
        "{m}"
    );
    let m = md("FROM x\nRUN --mount=type=cache,target=/x,shar$0ing=locked true\n");
    assert!(
        m.contains("`sharing`") && m.contains("Concurrent writers wait"),
        "{m}"
    );
    let m = md("FROM x\nRUN --network=no$0ne true\n");
    assert!(m.contains("`none`"), "{m}");
    let m = md("FROM x\nCOPY --li$0nk a b\n");
    assert!(m.contains("independent layer"), "{m}");
    let m = md("FROM x\nONBUILD RU$0N make\n");
    assert!(m.starts_with("**RUN**"), "{m}");
    let m = md("FROM x\nHEALTHCHECK --inter$0val=5s CMD true\n");
    assert!(m.contains("Time between checks"), "{m}");
}

#[test]
fn variables_resolved_with_origin() {
    let m = md("ARG BASE=python\nFROM x\nARG BASE\nENV APP=/srv\nWORKDIR $AP$0P\n");
    assert!(
        m.contains("`$APP`") && m.contains("`/srv`") && m.contains("line 4"),
        "{m}"
    );
    let m = md("ARG BASE=python\nFROM x\nARG BASE\nRUN echo ${BA$0SE}\n");
    assert!(
        m.contains("`python`") && m.contains("global default"),
        "{m}"
    );
    let m = md("ARG TAG=1\nFROM x\nRUN echo $TA$0G\n");
    assert!(
        m.contains("not defined") && m.contains("add `ARG TAG`"),
        "{m}"
    );
    let m = md("ARG TAG=1\nFROM img:$TA$0G\n");
    assert!(
        m.contains("= `1`") && m.contains("global `ARG` on line 1"),
        "{m}"
    );
    let m = md("FROM --platform=$BUILD$0PLATFORM x\n");
    assert!(m.contains("set by BuildKit"), "{m}");
    let m = md("FROM x\nARG VER$0SION=1.0\n");
    assert!(m.contains("`ARG VERSION`") && m.contains("`1.0`"), "{m}");
}

#[test]
fn stages() {
    let m = md("FROM golang:1.25 AS build\nFROM scratch\nCOPY --from=bui$0ld /app /app\n");
    assert!(
        m.contains("Stage `build`") && m.contains("line 1") && m.contains("FROM golang:1.25"),
        "{m}"
    );
    let m = md("FROM golang:1.25 AS bu$0ild\n");
    assert!(
        m.contains("Stage `build`") && m.contains("Go toolchain"),
        "{m}"
    );
    let m = md("FROM alpine AS base\nFROM ba$0se\n");
    assert!(m.contains("Stage `base`"), "{m}");
    let m = md("FROM alpine AS a\nFROM alpine\nRUN --mount=type=bind,fr$0om=a,target=/x true\n");
    assert!(m.contains("Stage `a`"), "{m}");
    let m = md("FROM alpine AS a\nCOPY --from=0$0 / /\n");
    assert!(
        !m.contains("Stage #0"),
        "a stage cannot copy from itself: {m}"
    );
}

#[test]
fn directives() {
    let m = md("# syn$0tax=docker/dockerfile:1\nFROM x\n");
    assert!(m.contains("`# syntax=`") && m.contains("frontend"), "{m}");
    let m = md("# check=skip=Undef$0inedVar\nFROM x\n");
    assert!(
        m.contains("build checks") && m.contains("skip=UndefinedVar"),
        "{m}"
    );
}

#[test]
fn diagnostics_show_rule_docs() {
    let (text, offset) = cursor("EN$0V A=1\nFROM x\n");
    let file = parse(&text);
    let diags = crate::lint::lint_text(&text, &crate::config::Settings::default());
    assert!(!diags.is_empty());
    let h = hover_on(&file, &text, offset, &diags, TODAY).unwrap();
    assert!(h.markdown.contains("**ENV**"), "{}", h.markdown);
    assert!(
        h.markdown.contains("DFL003") && h.markdown.contains("Only `ARG`"),
        "{}",
        h.markdown
    );
}

#[test]
fn nothing_in_heredoc_bodies_or_plain_arguments() {
    assert!(hover_md("FROM x\nRUN <<EOF\necho $HO$0ME\nEOF\n").is_none());
    assert!(hover_md("FROM x\nRUN echo hel$0lo\n").is_none());
    assert!(hover_md("FROM x\n# just a comm$0ent\n").is_none());
}

#[test]
fn robust_on_odd_positions() {
    for src in [
        "",
        "FROM",
        "FROM x AS\n",
        "FROM ${",
        "\u{e9}\u{1F600}",
        "ARG\nFROM --platform= x",
    ] {
        let file = parse(src);
        for off in 0..=src.len() + 2 {
            let _ = hover_on(&file, src, off, &[], TODAY);
        }
    }
}

#[test]
fn shell_variables_in_run() {
    let m = md("FROM x\nENV PORT=8080\nRUN echo ${PO$0RT}\n");
    assert!(m.contains("`$PORT`") && m.contains("`8080`"), "{m}");
    let m = md("FROM x\nRUN echo $HO$0ME\n");
    assert!(
        m.contains("not defined") && m.contains("base image's environment"),
        "{m}"
    );
    let m = md("FROM x\nARG A=1\nCMD echo $$0A\n");
    assert!(m.contains("`$A`"), "{m}");
}
