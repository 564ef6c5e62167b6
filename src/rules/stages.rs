//! Helpers shared by the stage and base-image rules (DFL2xx): how BuildKit resolves stage
//! references, the chain of stages a stage is built `FROM`, and instruction iteration with
//! ONBUILD triggers.

use crate::syntax::{Dockerfile, ImageRef, Instruction, Keyword, Stage, TextRange};

/// Where a stage reference is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RefKind {
    /// `FROM <name>`.
    From,
    /// `COPY --from=<name>` (also `ADD --from`, which BuildKit does not accept but parses).
    CopyFrom,
    /// `RUN --mount=…,from=<name>`.
    MountFrom,
}

impl RefKind {
    pub(crate) fn describe(self, name: &str) -> String {
        match self {
            RefKind::From => format!("FROM {name}"),
            RefKind::CopyFrom => format!("COPY --from={name}"),
            RefKind::MountFrom => format!("RUN --mount=from={name}"),
        }
    }
}

/// A possible stage reference: the name as written and where.
#[derive(Clone, Debug)]
pub(crate) struct StageRef {
    pub kind: RefKind,
    pub name: String,
    /// Source range of the name, when the written text is exactly `name` (fixable).
    pub name_range: Option<TextRange>,
    /// Range to report on.
    pub range: TextRange,
    /// The stage that contains the reference.
    pub stage: usize,
}

/// Every stage reference of the file, in source order. ONBUILD triggers are left out: they
/// are resolved in the child image's build, against the child's stages.
pub(crate) fn stage_refs(df: &Dockerfile, text: &str) -> Vec<StageRef> {
    let mut out = Vec::new();
    for stage in &df.stages {
        let img = &stage.image;
        let from_template = df.instructions.get(stage.from).is_some_and(is_template);
        if !from_template
            && !img.text.is_empty()
            && img.tag.is_none()
            && img.digest.is_none()
            && img.registry.is_none()
            && !img.text.contains(['/', '$'])
        {
            out.push(StageRef {
                kind: RefKind::From,
                name: img.text.clone(),
                name_range: Some(img.range),
                range: img.range,
                stage: stage.index,
            });
        }
        for ins in df.stage_instructions(stage) {
            if is_template(ins) {
                continue;
            }
            match ins.keyword {
                Keyword::Copy | Keyword::Add => {
                    for flag in ins.flags_named("from") {
                        let Some(v) = flag.value.as_deref() else {
                            continue;
                        };
                        let exact = flag
                            .value_range
                            .filter(|r| text.get(r.start..r.end) == Some(v));
                        out.push(StageRef {
                            kind: RefKind::CopyFrom,
                            name: v.to_string(),
                            name_range: exact,
                            range: flag.value_range.unwrap_or(flag.range),
                            stage: stage.index,
                        });
                    }
                }
                Keyword::Run => {
                    for flag in ins.flags_named("mount") {
                        let (Some(v), Some(vr)) = (flag.value.as_deref(), flag.value_range) else {
                            continue;
                        };
                        let exact = text.get(vr.start..vr.end) == Some(v);
                        let mut offset = 0;
                        for item in v.split(',') {
                            let start = offset;
                            offset += item.len() + 1;
                            let Some((k, val)) = item.split_once('=') else {
                                continue;
                            };
                            if !k.trim().eq_ignore_ascii_case("from") {
                                continue;
                            }
                            let val_start = start + k.len() + 1;
                            let lead = val.len() - val.trim_start().len();
                            let name = val.trim();
                            let r = TextRange::new(
                                vr.start + val_start + lead,
                                vr.start + val_start + lead + name.len(),
                            );
                            out.push(StageRef {
                                kind: RefKind::MountFrom,
                                name: name.to_string(),
                                name_range: exact.then_some(r),
                                range: if exact { r } else { flag.range },
                                stage: stage.index,
                            });
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// How BuildKit resolves a `COPY --from` / `--mount from=` value: a stage index or a stage
/// name (case-insensitive, first match), over all stages of the file.
pub(crate) fn resolve_any(df: &Dockerfile, name: &str) -> Option<usize> {
    df.find_stage(name).map(|s| s.index)
}

/// How BuildKit resolves a `FROM` base name: a stage name defined above `before`
/// (case-insensitive). Indexes are not resolved for FROM.
pub(crate) fn resolve_base(df: &Dockerfile, name: &str, before: usize) -> Option<usize> {
    // The first stage of that name overall is the first one above `before`, if any is.
    df.first_stage_named(name).filter(|i| *i < before)
}

/// The base name of a stage with global ARGs expanded (`FROM ${BASE}`), or `None` when a
/// variable cannot be resolved.
pub(crate) fn expanded_image(df: &Dockerfile, stage: &Stage) -> Option<ImageRef> {
    let img = &stage.image;
    if df.instructions.get(stage.from).is_some_and(is_template) {
        return None;
    }
    if !img.has_variables {
        return Some(img.clone());
    }
    let start = df
        .instructions
        .get(stage.from)
        .map(|i| i.range.start)
        .unwrap_or(0);
    let e = df.expand_global(&img.text, start);
    // An ARG default may itself contain variables (`ARG IMAGE=$REGISTRY/app`); those are
    // not expanded here, so such a value counts as unresolved.
    if !e.unresolved.is_empty()
        || !e.build_time.is_empty()
        || e.value.is_empty()
        || e.value.contains('$')
    {
        return None;
    }
    let mut r = ImageRef::parse(&e.value, img.range.start);
    r.range = img.range;
    Some(r)
}

/// The earlier stage this stage is built `FROM`, if any.
pub(crate) fn parent_stage(df: &Dockerfile, stage: &Stage) -> Option<usize> {
    let img = expanded_image(df, stage)?;
    if img.tag.is_some() || img.digest.is_some() || img.registry.is_some() {
        return None;
    }
    resolve_base(df, &img.text, stage.index)
}

/// The stage and its ancestors through `FROM <stage>`, nearest first.
pub(crate) fn stage_chain(df: &Dockerfile, stage: usize) -> Vec<usize> {
    let mut out = vec![stage];
    let mut cur = stage;
    while let Some(p) = df.stages.get(cur).and_then(|s| parent_stage(df, s)) {
        if out.contains(&p) {
            break;
        }
        out.push(p);
        cur = p;
    }
    out
}

/// True for a line of a Go/Jinja template (`{{ .version }}`), as in docker-library's
/// `Dockerfile.template` files: not a Dockerfile BuildKit would see, so not checked.
pub(crate) fn is_template(ins: &Instruction) -> bool {
    ins.template
}

/// The instructions with one of `keywords`, ONBUILD triggers included (each right after its
/// ONBUILD), template lines skipped; in document order, through the keyword index.
pub(crate) fn with_triggers_of<'a>(
    df: &'a Dockerfile,
    keywords: &[Keyword],
) -> Vec<&'a Instruction> {
    let mut wanted = keywords.to_vec();
    if !wanted.contains(&Keyword::Onbuild) {
        wanted.push(Keyword::Onbuild);
    }
    let mut out = Vec::new();
    for ins in df.instructions_of(&wanted) {
        if is_template(ins) {
            continue;
        }
        if keywords.contains(&ins.keyword) {
            out.push(ins);
        }
        if let Some(t) = ins
            .onbuild
            .as_deref()
            .filter(|t| keywords.contains(&t.keyword))
        {
            out.push(t);
        }
    }
    out
}

/// Docker Hub official images commonly used as `COPY --from=<image>` sources or bases; a
/// plain name in this list is an image, not a misspelt stage.
pub(crate) const OFFICIAL_IMAGES: &[&str] = &[
    "adminer",
    "alpine",
    "amazoncorretto",
    "amazonlinux",
    "archlinux",
    "bash",
    "bonita",
    "buildpack-deps",
    "busybox",
    "caddy",
    "cassandra",
    "centos",
    "clearlinux",
    "clojure",
    "composer",
    "consul",
    "couchbase",
    "couchdb",
    "crate",
    "debian",
    "docker",
    "drupal",
    "eclipse-mosquitto",
    "eclipse-temurin",
    "elasticsearch",
    "elixir",
    "erlang",
    "fedora",
    "flink",
    "gcc",
    "ghost",
    "golang",
    "gradle",
    "groovy",
    "haproxy",
    "haskell",
    "hello-world",
    "httpd",
    "influxdb",
    "jetty",
    "jruby",
    "julia",
    "kibana",
    "kong",
    "logstash",
    "mariadb",
    "maven",
    "memcached",
    "mongo",
    "mono",
    "mysql",
    "neo4j",
    "nextcloud",
    "nginx",
    "node",
    "openjdk",
    "oraclelinux",
    "perl",
    "php",
    "postgres",
    "pypy",
    "python",
    "r-base",
    "rabbitmq",
    "redis",
    "redmine",
    "registry",
    "rockylinux",
    "ruby",
    "rust",
    "sapmachine",
    "solr",
    "sonarqube",
    "swift",
    "telegraf",
    "tomcat",
    "traefik",
    "ubuntu",
    "vault",
    "wordpress",
    "zookeeper",
];

/// True when a `--from` value or FROM name is written like an image reference rather than a
/// stage name: it has a registry, path, tag or digest, or is a well-known official image.
pub(crate) fn looks_like_image(name: &str) -> bool {
    name.contains(['/', ':', '.', '@', '$'])
        || OFFICIAL_IMAGES.iter().any(|i| i.eq_ignore_ascii_case(name))
}

/// Stage indexes that something refers to (a FROM base, a `--from`, a mount), or that is the
/// final stage.
pub(crate) fn used_stages(df: &Dockerfile, refs: &[StageRef]) -> Vec<bool> {
    let mut used = vec![false; df.stages.len()];
    if let Some(last) = used.last_mut() {
        *last = true;
    }
    for s in &df.stages {
        if let Some(p) = parent_stage(df, s) {
            used[p] = true;
        }
    }
    for r in refs {
        if r.kind != RefKind::From {
            if let Some(t) = resolve_any(df, &r.name) {
                if let Some(u) = used.get_mut(t) {
                    *u = true;
                }
            }
        }
    }
    used
}

/// 1-based line of a byte offset, for messages.
pub(crate) fn line_of(df: &Dockerfile, offset: usize) -> usize {
    df.lines.line_col(offset).0 + 1
}
