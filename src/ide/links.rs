//! Document links: image references in FROM (and `COPY --from=<image>`) to their registry
//! pages. No link when the reference has variables that global ARG defaults do not resolve.

use crate::syntax::{Dockerfile, ImageRef, Keyword, TextRange};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentLink {
    pub range: TextRange,
    pub target: String,
}

/// The web page of an image, for the registries that have one.
pub fn image_url(image: &ImageRef) -> Option<String> {
    let path = image.path.trim_matches('/');
    if path.is_empty() || path.contains(['$', ' ']) {
        return None;
    }
    let host = image.registry_host().to_ascii_lowercase();
    match host.as_str() {
        "docker.io" | "index.docker.io" | "registry-1.docker.io" => {
            let p = path.strip_prefix("library/").unwrap_or(path);
            if p.contains('/') {
                Some(format!("https://hub.docker.com/r/{p}"))
            } else {
                Some(format!("https://hub.docker.com/_/{p}"))
            }
        }
        "ghcr.io" => Some(format!("https://ghcr.io/{path}")),
        "quay.io" => Some(format!("https://quay.io/repository/{path}")),
        "mcr.microsoft.com" => Some(format!("https://mcr.microsoft.com/artifact/mar/{path}")),
        h if h == "gcr.io" || h.ends_with(".gcr.io") => Some(format!("https://{h}/{path}")),
        _ => None,
    }
}

/// Links for every image reference.
pub fn document_links(df: &Dockerfile) -> Vec<DocumentLink> {
    let mut out = Vec::new();
    for st in &df.stages {
        let img = &st.image;
        if img.text.is_empty() || img.is_scratch() {
            continue;
        }
        // `FROM build` naming an earlier stage is not an image.
        let is_stage = df.stages[..st.index.min(df.stages.len())]
            .iter()
            .any(|s| s.name().is_some_and(|n| n.eq_ignore_ascii_case(&img.text)));
        if is_stage {
            continue;
        }
        let from_start = df
            .instructions
            .get(st.from)
            .map(|i| i.range.start)
            .unwrap_or(img.range.start);
        let (resolved, range) = if img.has_variables {
            let e = df.expand_global(&img.text, from_start);
            if !e.unresolved.is_empty() || !e.build_time.is_empty() {
                continue;
            }
            (ImageRef::parse(&e.value, img.range.start), img.range)
        } else {
            (
                img.clone(),
                TextRange::new(img.range.start, img.path_range.end),
            )
        };
        if resolved.is_scratch() {
            continue;
        }
        if let Some(target) = image_url(&resolved) {
            out.push(DocumentLink { range, target });
        }
    }
    for ins in df
        .instructions
        .iter()
        .filter(|i| i.keyword == Keyword::Copy)
    {
        let Some(flag) = ins.flag("from") else {
            continue;
        };
        let (Some(v), Some(vr)) = (&flag.value, flag.value_range) else {
            continue;
        };
        if v.contains('$') || v.parse::<usize>().is_ok() || df.find_stage(v).is_some() {
            continue;
        }
        let img = ImageRef::parse(v, vr.start);
        if let Some(target) = image_url(&img) {
            out.push(DocumentLink {
                range: TextRange::new(img.range.start, img.path_range.end),
                target,
            });
        }
    }
    out.sort_by_key(|l| l.range);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn links(src: &str) -> Vec<(String, String)> {
        let df = parse(src);
        document_links(&df)
            .into_iter()
            .map(|l| (src[l.range.start..l.range.end].to_string(), l.target))
            .collect()
    }

    #[test]
    fn registries() {
        let src = "FROM python:3.12-slim AS build\nFROM bitnami/redis:7\nFROM docker.io/library/node:20\nFROM ghcr.io/astral-sh/uv:0.4\nFROM quay.io/prometheus/node-exporter\nFROM mcr.microsoft.com/dotnet/sdk:8.0\nFROM gcr.io/distroless/static:nonroot\nFROM registry.example.com/x/y\nFROM build\nFROM scratch\n";
        assert_eq!(
            links(src),
            vec![
                ("python".into(), "https://hub.docker.com/_/python".into()),
                (
                    "bitnami/redis".into(),
                    "https://hub.docker.com/r/bitnami/redis".into()
                ),
                (
                    "docker.io/library/node".into(),
                    "https://hub.docker.com/_/node".into()
                ),
                (
                    "ghcr.io/astral-sh/uv".into(),
                    "https://ghcr.io/astral-sh/uv".into()
                ),
                (
                    "quay.io/prometheus/node-exporter".into(),
                    "https://quay.io/repository/prometheus/node-exporter".into()
                ),
                (
                    "mcr.microsoft.com/dotnet/sdk".into(),
                    "https://mcr.microsoft.com/artifact/mar/dotnet/sdk".into()
                ),
                (
                    "gcr.io/distroless/static".into(),
                    "https://gcr.io/distroless/static".into()
                ),
            ]
        );
    }

    #[test]
    fn variables_resolve_through_global_args_or_no_link() {
        let src =
            "ARG IMG=golang\nARG NOPE\nFROM ${IMG}:1.22\nFROM ${NOPE}:1\nFROM alpine:$TARGETARCH\n";
        assert_eq!(
            links(src),
            vec![(
                "${IMG}:1.22".into(),
                "https://hub.docker.com/_/golang".into()
            )]
        );
    }

    #[test]
    fn copy_from_image_but_not_stage() {
        let src = "FROM alpine AS base\nCOPY --from=base /a /a\nCOPY --from=nginx:latest /etc/nginx /etc/nginx\nCOPY --from=0 /a /a\n";
        assert_eq!(
            links(src),
            vec![
                ("alpine".into(), "https://hub.docker.com/_/alpine".into()),
                ("nginx".into(), "https://hub.docker.com/_/nginx".into()),
            ]
        );
    }
}
