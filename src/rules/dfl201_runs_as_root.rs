use super::stages::{expanded_image, stage_chain};
use super::{Check, Context};
use crate::syntax::{Dockerfile, ImageRef, Instruction, Keyword, Lookup, Stage};

crate::declare_rule! {
    /// The image runs as root: its final stage sets no non-root `USER`.
    ///
    /// Containers run as the image's user. Without a `USER` the process is root (uid 0)
    /// unless the base image chose otherwise, so a compromised process owns the container and
    /// whatever is mounted into it. Only the **final stage** is checked — it is the image
    /// that gets run. Builder stages may use root freely (hadolint's DL3002 reports a root
    /// `USER` in any stage; we follow Docker, where only the last stage's user matters). A
    /// final stage built `FROM` an earlier stage inherits that stage's `USER`.
    ///
    /// Base images known to default to a non-root user are not reported when no `USER` is
    /// set (a table in this rule). `jenkins/jenkins` and the Jupyter images were checked
    /// against their upstream Dockerfiles (both end with a non-root `USER`); the others rest
    /// on their publishers' documentation:
    ///
    /// | Image | Default user |
    /// |---|---|
    /// | `gcr.io/distroless/*` with tag `nonroot` or ending in `-nonroot` (`debug-nonroot`) | `nonroot` (65532) |
    /// | `cgr.dev/chainguard/*` except `-dev` tags (those run as root) | `nonroot` (65532) |
    /// | `bitnami/*` (most run as 1001) | 1001 |
    /// | `nginxinc/nginx-unprivileged` | `nginx` (101) |
    /// | `mcr.microsoft.com/dotnet/*` with a `chiseled` tag | `app` (1654) |
    /// | `jenkins/jenkins` | `jenkins` |
    /// | `grafana/grafana` | 472 |
    /// | `prom/*` (Prometheus, Alertmanager, exporters) | `nobody` |
    /// | `quay.io/jupyter/*`, `jupyter/*` (Jupyter Docker Stacks) | `jovyan` (1000) |
    ///
    /// Images the base-image catalog (`src/knowledge/images.rs`) knows to run as non-root
    /// (e.g. `haproxy`, tags containing `rootless` or `nonroot`) are not reported either.
    ///
    /// Windows images (`mcr.microsoft.com/windows*`, nanoserver, servercore) are skipped, and
    /// so is a final stage built on `scratch` without `CMD` or `ENTRYPOINT`: that is an
    /// artifact export (`docker build --output`), not an image that gets run. ONBUILD
    /// triggers are not considered: they run in the images built from this one.
    /// A `USER` whose value is a variable that cannot be resolved in the stage is assumed to
    /// be non-root.
    ///
    /// ```dockerfile invalid
    /// FROM python:3.12-slim
    /// COPY app.py /app/
    /// CMD ["python", "/app/app.py"]
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM python:3.12-slim AS build
    /// USER root
    /// RUN pip install --prefix=/install flask
    ///
    /// FROM python:3.12-slim
    /// COPY --from=build /install /usr/local
    /// USER 10001:10001
    /// CMD ["python", "-m", "flask", "run"]
    /// ```
    ///
    /// **Fix:** create an unprivileged user and switch to it with `USER` at the end of the
    /// final stage (the "run as non-root user" code action does this).
    pub RunsAsRoot {
        code: "DFL201",
        name: "runs-as-root",
        severity: Warning,
        default: true,
        fix: None,
        equivalents: ["DL3002"],
    }
}

/// True for `root`, `0`, `root:<group>`, `0:<group>`.
fn is_root(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or("").trim();
    name.eq_ignore_ascii_case("root") || name == "0"
}

fn is_windows(img: &ImageRef) -> bool {
    let path = img.path.to_ascii_lowercase();
    let tag = img.tag.as_deref().unwrap_or("").to_ascii_lowercase();
    path.starts_with("windows")
        || path.contains("nanoserver")
        || path.contains("servercore")
        || tag.contains("nanoserver")
        || tag.contains("windowsservercore")
        || tag.contains("ltsc")
}

/// Base images whose default user is not root: this rule's table, then the catalog's.
fn defaults_to_non_root(img: &ImageRef) -> bool {
    table_says_non_root(img) || crate::knowledge::images::defaults_to_nonroot(&img.text)
}

fn table_says_non_root(img: &ImageRef) -> bool {
    let reg = img.registry_host().to_ascii_lowercase();
    let path = img.short_name();
    let tag = img.tag.as_deref().unwrap_or("latest").to_ascii_lowercase();
    match reg.as_str() {
        "gcr.io" if path.starts_with("distroless/") => {
            tag == "nonroot" || tag.ends_with("-nonroot")
        }
        "cgr.dev" if path.starts_with("chainguard/") => !tag.ends_with("-dev") && tag != "dev",
        "mcr.microsoft.com" if path.starts_with("dotnet/") => tag.contains("chiseled"),
        "quay.io" => path.starts_with("jupyter/"),
        "docker.io" => {
            path.starts_with("bitnami/")
                || path == "nginxinc/nginx-unprivileged"
                || path == "jenkins/jenkins"
                || path == "grafana/grafana"
                || path.starts_with("prom/")
                || path.starts_with("jupyter/")
        }
        _ => false,
    }
}

/// Resolves `$VAR` in a USER value from the ENV/ARG defaults set before `ins` in the
/// stage chain; `None` when a variable stays unknown.
fn resolve_user(
    df: &Dockerfile,
    chain: &[usize],
    ins: &Instruction,
    value: &str,
) -> Option<String> {
    if !value.contains('$') {
        return Some(value.to_string());
    }
    let lookup = |name: &str| -> Lookup {
        // Nearest stage first; within a stage, the last definition before `ins`.
        for &s in chain {
            let Some(stage) = df.stages.get(s) else {
                continue;
            };
            let found = df
                .stage_instructions(stage)
                .iter()
                .filter(|i| i.range.start < ins.range.start)
                .filter(|i| matches!(i.keyword, Keyword::Env | Keyword::Arg))
                .flat_map(|i| i.pairs.iter())
                .rfind(|p| p.key == name);
            if let Some(p) = found {
                return Lookup::Value(p.value.clone());
            }
        }
        Lookup::Undefined
    };
    let e = crate::syntax::expand(value, &lookup);
    if e.unresolved.is_empty() && e.build_time.is_empty() {
        Some(e.value)
    } else {
        None
    }
}

impl Check for RunsAsRoot {
    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.file;
        let Some(last) = df.stages.last() else { return };
        let chain = stage_chain(df, last.index);
        // The last USER along the chain (final stage first).
        let mut user: Option<&Instruction> = None;
        for &s in &chain {
            if let Some(stage) = df.stages.get(s) {
                user = df
                    .stage_instructions(stage)
                    .iter()
                    .rfind(|i| i.keyword == Keyword::User && !i.args.is_empty());
                if user.is_some() {
                    break;
                }
            }
        }
        let root_stage: &Stage = chain.last().and_then(|s| df.stages.get(*s)).unwrap_or(last);
        let stage_name = last.display_name();
        match user {
            Some(ins) => {
                let Some(word) = ins.args.first() else { return };
                let Some(value) = resolve_user(df, &chain, ins, &word.text) else {
                    return;
                };
                if is_root(&value) {
                    let shown = if value == word.text {
                        value.clone()
                    } else {
                        format!("{} (= {value})", word.text)
                    };
                    let inherited = match ins.stage.and_then(|s| df.stages.get(s)) {
                        Some(s) if s.index != last.index => {
                            format!(" (inherited from stage {})", s.display_name())
                        }
                        _ => String::new(),
                    };
                    let msg = format!(
                        "The final stage {stage_name} runs as root: its last USER is {shown}{inherited}. Switch to an unprivileged user (e.g. USER 10001) after the steps that need root."
                    );
                    cx.report(ins.range, msg);
                }
            }
            None => {
                let Some(img) = expanded_image(df, root_stage) else {
                    return;
                };
                if is_windows(&img) || defaults_to_non_root(&img) {
                    return;
                }
                let runs_something = chain
                    .iter()
                    .filter_map(|s| df.stages.get(*s))
                    .flat_map(|s| df.stage_instructions(s))
                    .any(|i| matches!(i.keyword, Keyword::Cmd | Keyword::Entrypoint));
                if img.is_scratch() && !runs_something {
                    return;
                }
                let Some(from) = df.instructions.get(last.from) else {
                    return;
                };
                let base = if root_stage.index == last.index {
                    format!("'{}'", img.text)
                } else {
                    format!(
                        "'{}' (through stage {})",
                        img.text,
                        root_stage.display_name()
                    )
                };
                let msg = format!(
                    "The final stage {stage_name} sets no USER, so the image runs as the default user of {base}, which is root. Add a non-root USER at the end of the stage."
                );
                let range = from.keyword_range.cover(from.args_range);
                cx.report(range, msg);
            }
        }
    }
}
