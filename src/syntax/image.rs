//! Image references as written in `FROM` and `COPY --from` (docker/distribution syntax).

use super::TextRange;
use serde::Serialize;

/// A parsed image reference: `[registry/]path[:tag][@digest]`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct ImageRef {
    /// As written (after quote removal).
    pub text: String,
    pub range: TextRange,
    /// `ghcr.io`, `localhost:5000`; `None` means Docker Hub.
    pub registry: Option<String>,
    /// Repository path without registry, e.g. `library/python` is written `python`.
    pub path: String,
    pub path_range: TextRange,
    pub tag: Option<String>,
    pub tag_range: Option<TextRange>,
    pub digest: Option<String>,
    pub digest_range: Option<TextRange>,
    /// Contains `$VAR`/`${VAR}` (not resolved here).
    pub has_variables: bool,
}

impl ImageRef {
    /// Parses `text` whose first byte sits at `offset` in the source.
    pub fn parse(text: &str, offset: usize) -> ImageRef {
        let has_variables = text.contains('$');
        let (name_tag, digest, digest_range) = match text.find('@') {
            Some(at) => (
                &text[..at],
                Some(text[at + 1..].to_string()),
                Some(TextRange::new(offset + at + 1, offset + text.len())),
            ),
            None => (text, None, None),
        };
        // A tag colon comes after the last slash (a registry port colon comes before it).
        let last_slash = name_tag.rfind('/').map(|i| i + 1).unwrap_or(0);
        let (name, tag, tag_range) = match name_tag[last_slash..].find(':') {
            Some(c) => {
                let c = last_slash + c;
                (
                    &name_tag[..c],
                    Some(name_tag[c + 1..].to_string()),
                    Some(TextRange::new(offset + c + 1, offset + name_tag.len())),
                )
            }
            None => (name_tag, None, None),
        };
        let (registry, path, path_start) = match name.find('/') {
            Some(slash) => {
                let first = &name[..slash];
                if first.contains('.') || first.contains(':') || first == "localhost" {
                    (Some(first.to_string()), &name[slash + 1..], slash + 1)
                } else {
                    (None, name, 0)
                }
            }
            None => (None, name, 0),
        };
        ImageRef {
            text: text.to_string(),
            range: TextRange::new(offset, offset + text.len()),
            registry,
            path: path.to_string(),
            path_range: TextRange::new(offset + path_start, offset + name.len()),
            tag,
            tag_range,
            digest,
            digest_range,
            has_variables,
        }
    }

    /// The Docker Hub short name for official images (`library/python` → `python`),
    /// otherwise the path. Lower-cased.
    pub fn short_name(&self) -> String {
        let p = self.path.to_ascii_lowercase();
        match self.registry.as_deref() {
            None | Some("docker.io") | Some("index.docker.io") | Some("registry-1.docker.io") => {
                p.strip_prefix("library/").map(str::to_string).unwrap_or(p)
            }
            _ => p,
        }
    }

    /// The registry host, `docker.io` when none is written.
    pub fn registry_host(&self) -> &str {
        self.registry.as_deref().unwrap_or("docker.io")
    }

    pub fn is_scratch(&self) -> bool {
        self.registry.is_none() && self.path.eq_ignore_ascii_case("scratch")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_references() {
        let r = ImageRef::parse("localhost:5000/team/app:1.2@sha256:abc", 10);
        assert_eq!(r.registry.as_deref(), Some("localhost:5000"));
        assert_eq!(r.path, "team/app");
        assert_eq!(r.tag.as_deref(), Some("1.2"));
        assert_eq!(r.digest.as_deref(), Some("sha256:abc"));
        assert_eq!(r.tag_range, Some(TextRange::new(34, 37)));
        let r = ImageRef::parse("python", 0);
        assert_eq!(
            (r.registry.clone(), r.tag.clone(), r.short_name()),
            (None, None, "python".into())
        );
        let r = ImageRef::parse("docker.io/library/node:20", 0);
        assert_eq!(r.short_name(), "node");
        let r = ImageRef::parse("gcr.io/distroless/static:nonroot", 0);
        assert_eq!(r.short_name(), "distroless/static");
        assert_eq!(r.tag.as_deref(), Some("nonroot"));
    }
}
