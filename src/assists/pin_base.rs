//! Pin the base image to a tag (the rewrite for `unpinned-base-image`, DFL202).
//!
//! `FROM python` means `python:latest`, which moves under you. On a `FROM` the rule reports
//! (no tag or `latest`, no digest, `ARG` defaults resolved the way the rule resolves them),
//! one rewrite is offered per tag the image catalog suggests for that image
//! (`pinned_suggestions`), e.g. "Pin base image to python:3.12-slim-bookworm". Images the
//! catalog does not know get nothing: we do not guess tags.
//!
//! The edit touches the tag only: `:latest` is replaced, or `:<tag>` is appended to the
//! reference, so `--platform`, the registry prefix (`docker.io/library/python`), `AS alias`
//! and the casing of everything else stay as written. When the image or its tag comes from a
//! global `ARG` default (`ARG IMAGE=python` / `FROM $IMAGE`, `FROM python:${TAG}`), the
//! default is edited instead, so `--build-arg` overrides keep working; this is only done
//! when nothing else in the file uses that ARG.
//!
//! Suggestions naming another image (the catalog suggests `eclipse-temurin` for the
//! deprecated `openjdk`) or another repository (`gcr.io/distroless/static-debian12` for
//! `gcr.io/distroless/static`) are not offered: that is a change of image, not a pin.

use super::Assist;
use crate::diagnostic::Edit;
use crate::knowledge::images::{find_image_by_name, pinned_suggestions};
use crate::rules::dfl202_unpinned_base_image::unpinned_base;
use crate::syntax::{Dockerfile, ImageRef, Keyword, Stage, TextRange};

pub fn assist(file: &Dockerfile, text: &str, range: TextRange) -> Vec<Assist> {
    let mut out = Vec::new();
    for stage in &file.stages {
        let Some(from) = file.instructions.get(stage.from) else {
            continue;
        };
        if from.range.contains_inclusive(range.start) || from.range.intersects(range) {
            out.extend(for_stage(file, text, stage));
        }
    }
    out
}

/// Where the tag goes in the source.
enum Slot {
    /// Replace this range (a `latest` tag, as written or as an ARG default) with the tag.
    Replace(TextRange),
    /// Insert `:<tag>` here (the end of a reference without a tag).
    Append(usize),
}

fn for_stage(file: &Dockerfile, text: &str, stage: &Stage) -> Vec<Assist> {
    let Some(img) = unpinned_base(file, stage) else {
        return Vec::new();
    };
    let tags = suggested_tags(&img);
    if tags.is_empty() {
        return Vec::new();
    }
    let Some(slot) = slot(file, text, stage) else {
        return Vec::new();
    };
    // The reference without its tag, as resolved (`python`, `docker.io/library/python`).
    let repo = match img.tag.as_deref() {
        Some(t) => img
            .text
            .get(..img.text.len().saturating_sub(t.len() + 1))
            .unwrap_or(&img.text),
        None => img.text.as_str(),
    };
    tags.into_iter()
        .map(|tag| Assist {
            id: "pin-base-image",
            title: format!("Pin base image to {repo}:{tag}"),
            edits: vec![match slot {
                Slot::Replace(r) => Edit::replace(r, tag.clone()),
                Slot::Append(at) => Edit::insert(at, format!(":{tag}")),
            }],
        })
        .collect()
}

/// The catalog name of a reference as written: the Docker Hub short name, else
/// `registry/path`, lower-cased.
fn written_name(img: &ImageRef) -> String {
    match img.registry_host().to_ascii_lowercase().as_str() {
        "docker.io" | "index.docker.io" | "registry-1.docker.io" => img.short_name(),
        h => format!("{h}/{}", img.path.to_ascii_lowercase()),
    }
}

/// The tags the catalog suggests for this image, keeping only suggestions of the same
/// catalog entry (an alias counts: `rockylinux` and `rockylinux/rockylinux`).
fn suggested_tags(img: &ImageRef) -> Vec<String> {
    let name = written_name(img);
    let Some(entry) = find_image_by_name(&name) else {
        return Vec::new();
    };
    let mut tags: Vec<String> = Vec::new();
    for s in pinned_suggestions(&name) {
        let r = ImageRef::parse(&s, 0);
        let (Some(tag), None) = (r.tag.as_deref(), r.digest.as_deref()) else {
            continue;
        };
        let same = find_image_by_name(&written_name(&r)).is_some_and(|e| e.name == entry.name);
        if same && !tag.is_empty() && !tags.iter().any(|t| t == tag) {
            tags.push(tag.to_string());
        }
    }
    tags
}

fn slot(file: &Dockerfile, text: &str, stage: &Stage) -> Option<Slot> {
    let raw = &stage.image;
    // Quoted or otherwise rewritten references: the source is not the text we parsed.
    if text.get(raw.range.start..raw.range.end) != Some(raw.text.as_str()) || raw.digest.is_some() {
        return None;
    }
    let before = file.instructions.get(stage.from)?.range.start;
    if let Some(tag) = raw.tag.as_deref() {
        if !tag.contains('$') {
            return tag
                .eq_ignore_ascii_case("latest")
                .then_some(Slot::Replace(raw.tag_range?));
        }
        // `python:${TAG}` with `ARG TAG=latest`.
        let name = single_var(tag)?;
        let (value, range) = arg_default(file, text, name, before)?;
        if !value.eq_ignore_ascii_case("latest") || !only_used_by(file, name, &raw.text) {
            return None;
        }
        return Some(Slot::Replace(range));
    }
    if let Some(name) = single_var(&raw.text) {
        // `FROM $IMAGE` with `ARG IMAGE=python`: pin the default.
        let (value, range) = arg_default(file, text, name, before)?;
        let r = ImageRef::parse(&value, range.start);
        if r.digest.is_some() || !only_used_by(file, name, &raw.text) {
            return None;
        }
        return match (r.tag.as_deref(), r.tag_range) {
            (Some(t), Some(tr)) if t.eq_ignore_ascii_case("latest") => Some(Slot::Replace(tr)),
            (None, _) => Some(Slot::Append(r.range.end)),
            _ => None,
        };
    }
    // `${REGISTRY}/python`: append to the reference when its last segment is literal (a
    // variable there could carry a tag of its own).
    let last = raw.text.rsplit('/').next().unwrap_or(&raw.text);
    (!last.contains('$') && !last.is_empty()).then_some(Slot::Append(raw.range.end))
}

/// `NAME` when `s` is exactly `$NAME` or `${NAME}`.
fn single_var(s: &str) -> Option<&str> {
    let name = s.strip_prefix('$')?;
    let name = match name.strip_prefix('{') {
        Some(n) => n.strip_suffix('}')?,
        None => name,
    };
    let mut chars = name.chars();
    let ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    ok.then_some(name)
}

/// The literal default of the global `ARG name` in effect before `before` (the last
/// declaration, as [`Dockerfile::expand_global`] resolves it) and the source range of the
/// value inside its quotes.
fn arg_default(
    file: &Dockerfile,
    text: &str,
    name: &str,
    before: usize,
) -> Option<(String, TextRange)> {
    let kv = file
        .global_instructions()
        .iter()
        .filter(|i| i.keyword == Keyword::Arg && i.range.start < before)
        .flat_map(|i| i.pairs.iter())
        .rfind(|p| p.key == name)?;
    let value = kv.value.as_deref()?;
    let range = kv.value_range?;
    if value.is_empty() || value.contains('$') {
        return None;
    }
    let inner = match kv.raw_value.as_deref() {
        Some(raw) if raw == value => range,
        Some(raw)
            if raw.len() == value.len() + 2
                && (raw.starts_with('"') && raw.ends_with('"')
                    || raw.starts_with('\'') && raw.ends_with('\'')) =>
        {
            TextRange::new(range.start + 1, range.end.saturating_sub(1))
        }
        _ => return None,
    };
    (text.get(inner.start..inner.end) == Some(value)).then(|| (value.to_string(), inner))
}

/// True when `$name` appears nowhere but in its `ARG` declarations and in FROMs whose image
/// is written `image` (those all get the same pin).
fn only_used_by(file: &Dockerfile, name: &str, image: &str) -> bool {
    file.instructions.iter().all(|ins| {
        if ins.keyword == Keyword::From
            && file
                .stages
                .iter()
                .any(|s| s.from == ins.index && s.image.text == image)
        {
            return true;
        }
        let haystack: Vec<&str> = if ins.keyword == Keyword::Arg {
            ins.pairs
                .iter()
                .filter_map(|p| p.value.as_deref())
                .collect()
        } else {
            let mut v = vec![ins.text.text.as_str()];
            v.extend(ins.heredocs.iter().map(|h| h.body.as_str()));
            v
        };
        !haystack.iter().any(|h| mentions(h, name))
    })
}

/// True when `text` contains `$name` or `${name…` (conservatively, also inside quotes).
fn mentions(text: &str, name: &str) -> bool {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    for (i, _) in text.match_indices('$') {
        let rest = text.get(i + 1..).unwrap_or("");
        let rest = rest.strip_prefix('{').unwrap_or(rest);
        if let Some(after) = rest.strip_prefix(name) {
            if !after.starts_with(is_ident) {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use crate::assists::test_support::{check_output, offered};

    const ID: &str = "pin-base-image";

    /// Titles and results of the pin rewrites at the `$0` cursor.
    fn pins(src: &str) -> Vec<(String, String)> {
        offered(ID, src)
    }

    #[test]
    fn appends_a_catalog_tag() {
        let got = pins("FR$0OM python AS build\nRUN pip install flask\n");
        let titles: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Pin base image to python:3.13-slim-trixie",
                "Pin base image to python:3.12-slim-bookworm",
                "Pin base image to python:3.13-alpine3.22",
            ]
        );
        insta::assert_snapshot!(got[1].1, @r"
        FROM python:3.12-slim-bookworm AS build
        RUN pip install flask
        ");
        for (_, out) in &got {
            check_output(ID, out);
        }
    }

    #[test]
    fn replaces_latest_and_keeps_the_rest_as_written() {
        let got = pins("from --platform=$BUILDPLATFORM docker.io/library/node:latest as Web$0\n");
        insta::assert_snapshot!(got[0].1, @"from --platform=$BUILDPLATFORM docker.io/library/node:24-bookworm-slim as Web");
        assert_eq!(
            got[0].0,
            "Pin base image to docker.io/library/node:24-bookworm-slim"
        );
        let got = pins("FROM ghcr.io/x/tool:1 AS t\nFROM $0redhat/ubi9\n");
        insta::assert_snapshot!(got[0].1, @r"
        FROM ghcr.io/x/tool:1 AS t
        FROM redhat/ubi9:9.6
        ");
    }

    /// The example in docs/rewrites.md.
    #[test]
    fn docs_example() {
        let got = pins(
            "FROM $0docker.io/library/python AS app\nCOPY . /app\nCMD [\"python\", \"/app/main.py\"]\n",
        );
        let (title, out) = got
            .iter()
            .find(|(t, _)| t.ends_with("3.12-slim-bookworm"))
            .expect("offered");
        assert_eq!(
            title,
            "Pin base image to docker.io/library/python:3.12-slim-bookworm"
        );
        insta::assert_snapshot!(out, @r#"
        FROM docker.io/library/python:3.12-slim-bookworm AS app
        COPY . /app
        CMD ["python", "/app/main.py"]
        "#);
    }

    #[test]
    fn edits_the_arg_default_the_image_comes_from() {
        let got = pins("ARG BASE=python\nARG X=1\nFROM ${BASE}$0\nRUN echo $X\n");
        insta::assert_snapshot!(got[0].1, @r"
        ARG BASE=python:3.13-slim-trixie
        ARG X=1
        FROM ${BASE}
        RUN echo $X
        ");
        check_output(ID, &got[0].1);
        let got = pins("ARG TAG=\"latest\"\nFROM node:$TAG AS a\nFROM node:$TAG$0 AS b\n");
        insta::assert_snapshot!(got[0].1, @r#"
        ARG TAG="24-bookworm-slim"
        FROM node:$TAG AS a
        FROM node:$TAG AS b
        "#);
        // `${REGISTRY}/python`: the tag goes on the reference.
        let got = pins("ARG REGISTRY=docker.io\nFROM ${REGISTRY}/alpine$0\n");
        insta::assert_snapshot!(got[0].1, @r"
        ARG REGISTRY=docker.io
        FROM ${REGISTRY}/alpine:3.22
        ");
    }

    #[test]
    fn not_offered() {
        for src in [
            // already pinned, by tag or digest
            "FROM python:3.12$0\n",
            "FROM python@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef$0\n",
            "FROM python:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef$0\n",
            // scratch, and a reference to an earlier stage
            "FROM scratch$0\n",
            "FROM python:3.12 AS builder\nFROM builder$0\n",
            "FROM python:3.12 AS builder\nFROM BUILDER$0\n",
            // unknown to the catalog
            "FROM mycompany/app$0\n",
            "FROM ghcr.io/acme/python$0\n",
            // the catalog suggests another image/repository: not a pin
            "FROM openjdk$0\n",
            "FROM gcr.io/distroless/static$0\n",
            // unresolvable variables, or an ARG other things use
            "FROM $IMAGE$0\n",
            "ARG TAG=latest\nFROM python:$TAG$0\nRUN echo $TAG\n",
            "ARG TAG=latest\nFROM python:$TAG$0\nFROM node:$TAG\n",
            "ARG V=python\nARG IMAGE=$V\nFROM $IMAGE$0\n",
            "ARG S=\nFROM python${S}$0\n",
            // cursor elsewhere
            "FROM python\nRUN echo hi$0\n",
        ] {
            assert_eq!(pins(src), Vec::<(String, String)>::new(), "{src}");
        }
    }
}
