//! Convert a single-stage build into a builder stage and a slim runtime stage.
//!
//! The original stage becomes `builder`, unchanged except for what the split needs; a runtime
//! stage on the matching small base copies only the artifacts — to the same paths, so the
//! original `CMD`/`ENTRYPOINT` keeps working — and takes over the runtime metadata (`CMD`,
//! `ENTRYPOINT`, `EXPOSE`, `USER`, `HEALTHCHECK`, `VOLUME`, `STOPSIGNAL`, `ENV`):
//!
//! * Python (pip, poetry, uv, pipenv): dependencies go into a virtualenv `/opt/venv` in the
//!   builder; the runtime (`python:<version>-slim`) copies `/opt/venv` and the app directory.
//! * Node: `npm prune --omit=dev` after the build; the runtime (`node:<version>-slim`) copies
//!   the app directory.
//! * Go: `CGO_ENABLED=0` static build; the runtime is `gcr.io/distroless/static-debian12`
//!   with the binary named by `go build -o`.
//! * Rust: the runtime is `debian:<codename>-slim` with the `target/release` binary the
//!   `CMD`/`ENTRYPOINT` runs.
//! * Java (Maven/Gradle): the runtime is `eclipse-temurin:<version>-jre` with the built jars.
//!
//! Users the builder creates (`useradd`, `adduser`…) are created again in the runtime stage
//! when it is the same distribution (Python, Node) and the RUN does nothing else; otherwise
//! the rewrite is not offered, since `USER` would name a user the runtime lacks.
//!
//! Debian packages the builder installs that are only needed to build (compilers,
//! `build-essential`, `*-dev` headers, `pkg-config`, `git`…) stay in the builder; the others
//! are installed again in the runtime stage.

use super::util::{self, body, has_pair, instruction_lines, instruction_source, run_words};
use super::Assist;
use crate::diagnostic::Edit;
use crate::syntax::{Dockerfile, ImageRef, Instruction, Keyword, TextRange};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ecosystem {
    Python,
    Node,
    Go,
    Rust,
    Java,
}

fn ecosystem(image: &ImageRef) -> Option<Ecosystem> {
    let name = image.short_name();
    let last = name.rsplit('/').next().unwrap_or(&name);
    match last {
        "python" | "pypy" => Some(Ecosystem::Python),
        "node" => Some(Ecosystem::Node),
        "golang" => Some(Ecosystem::Go),
        "rust" => Some(Ecosystem::Rust),
        "maven" | "gradle" | "eclipse-temurin" | "openjdk" | "amazoncorretto" => {
            Some(Ecosystem::Java)
        }
        _ => None,
    }
}

const CODENAMES: &[&str] = &["trixie", "bookworm", "bullseye", "buster"];

/// The slim variant of the image from the catalog (`python:3.12.1-bookworm` →
/// `python:3.12.1-slim-bookworm`), or the image itself as written (digest included) when it
/// has none or already is slim.
fn slim_tag(image: &ImageRef) -> String {
    let repo = match &image.registry {
        Some(r) => format!("{r}/{}", image.path),
        None => image.short_name(),
    };
    crate::knowledge::images::slim_variant(&repo, image.tag.as_deref())
        .unwrap_or_else(|| image.text.clone())
}

const USER_SETUP: &[&str] = &[
    "useradd", "adduser", "groupadd", "addgroup", "usermod", "chown", "chmod", "mkdir", "set",
];

/// The first word of each `&&`/`||`/`;` segment of a shell-form RUN.
fn segment_heads(ins: &Instruction) -> Vec<String> {
    ins.args_text()
        .split("&&")
        .flat_map(|s| s.split("||"))
        .flat_map(|s| s.split(';'))
        .filter_map(|s| {
            s.split_whitespace()
                .find(|w| *w != "\\")
                .map(str::to_string)
        })
        .collect()
}

/// The RUNs creating users or groups, and whether each does nothing else (user, group and
/// directory setup only), so it can run again in the runtime stage.
fn user_setup_runs<'a>(runs: &[&'a Instruction]) -> Vec<(&'a Instruction, bool)> {
    runs.iter()
        .filter_map(|r| {
            let heads = segment_heads(r);
            let creates = heads
                .iter()
                .any(|h| matches!(h.as_str(), "useradd" | "adduser" | "groupadd" | "addgroup"));
            let pure = r.exec.is_none()
                && r.heredocs.is_empty()
                && heads.iter().all(|h| USER_SETUP.contains(&h.as_str()));
            creates.then_some((*r, pure))
        })
        .collect()
}

fn debian_codename(image: &ImageRef) -> &'static str {
    let tag = image.tag.as_deref().unwrap_or("");
    CODENAMES
        .iter()
        .find(|c| tag.contains(*c))
        .copied()
        .unwrap_or("bookworm")
}

fn java_version(image: &ImageRef) -> String {
    let tag = image.tag.as_deref().unwrap_or("");
    let candidates = ["temurin-", "jdk-", "jdk", "corretto-", "java"];
    for c in candidates {
        if let Some(pos) = tag.find(c) {
            let digits: String = tag[pos + c.len()..]
                .chars()
                .take_while(|ch| ch.is_ascii_digit())
                .collect();
            if !digits.is_empty() {
                return digits;
            }
        }
    }
    if image.short_name() == "eclipse-temurin" || image.short_name() == "openjdk" {
        let digits: String = tag.chars().take_while(|c| c.is_ascii_digit()).collect();
        if !digits.is_empty() {
            return digits;
        }
    }
    "21".to_string()
}

const BUILD_ONLY: &[&str] = &[
    "build-essential",
    "gcc",
    "g++",
    "make",
    "cmake",
    "pkg-config",
    "git",
    "autoconf",
    "automake",
    "libtool",
    "clang",
    "ninja-build",
    "python3-dev",
    "cargo",
    "rustc",
];

fn is_build_only(pkg: &str) -> bool {
    let p = pkg.split('=').next().unwrap_or(pkg);
    BUILD_ONLY.contains(&p)
        || p.ends_with("-dev")
        || p.ends_with("-devel")
        || p.starts_with("gcc-")
        || p.starts_with("g++-")
}

/// Packages installed with apt-get/apt in a RUN.
fn apt_packages(ins: &Instruction) -> Vec<String> {
    let words = run_words(ins);
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if words[i] == "apt-get" || words[i] == "apt" {
            let mut j = i + 1;
            while j < words.len() && words[j].starts_with('-') {
                j += 1;
            }
            if words.get(j).map(String::as_str) == Some("install") {
                j += 1;
                while j < words.len() {
                    let w = &words[j];
                    if matches!(w.as_str(), "\\" | "&&" | "||") || w.contains(['>', '<']) {
                        break;
                    }
                    if ["rm", "apt-get", "apt", "echo", "cd", "pip", "pip3"].contains(&w.as_str()) {
                        break;
                    }
                    if !w.starts_with('-') {
                        out.push(w.clone());
                    }
                    j += 1;
                }
                i = j;
                continue;
            }
        }
        i += 1;
    }
    out
}

fn is_python_install(words: &[String]) -> bool {
    words.iter().any(|w| w == "pip" || w == "pip3") && words.iter().any(|w| w == "install")
        || has_pair(words, "poetry", "install")
        || has_pair(words, "uv", "sync")
        || has_pair(words, "uv", "pip")
        || has_pair(words, "pipenv", "install")
}

fn is_node_step(words: &[String]) -> bool {
    ["npm", "yarn", "pnpm"]
        .iter()
        .any(|t| words.iter().any(|w| w == t))
}

const RUNTIME_KEYWORDS: &[Keyword] = &[
    Keyword::Cmd,
    Keyword::Entrypoint,
    Keyword::Expose,
    Keyword::User,
    Keyword::Healthcheck,
    Keyword::Volume,
    Keyword::Stopsignal,
];

pub fn assist(file: &Dockerfile, text: &str, _range: TextRange) -> Vec<Assist> {
    if file.stages.len() != 1 || !file.errors.is_empty() {
        return Vec::new();
    }
    let stage = &file.stages[0];
    let Some(eco) = ecosystem(&stage.image) else {
        return Vec::new();
    };
    if stage.image.has_variables {
        return Vec::new();
    }
    let from = &file.instructions[stage.from];
    let body = body(file, stage);
    let runs: Vec<&Instruction> = body.iter().filter(|i| i.keyword == Keyword::Run).collect();
    // Users the builder creates must exist in the runtime stage too (`USER app` would fail):
    // their setup RUNs are repeated there when the runtime is the same distribution (Python
    // and Node use the image's own slim variant) and they do nothing else.
    let user_runs = user_setup_runs(&runs);
    if !user_runs.is_empty()
        && (!matches!(eco, Ecosystem::Python | Ecosystem::Node)
            || user_runs.iter().any(|(_, pure)| !pure))
    {
        return Vec::new();
    }
    let workdir = util::workdir(file, stage).filter(|w| !w.contains('$') && w.starts_with('/'));
    let builder = stage.name().unwrap_or("builder").to_string();
    let mut edits = Vec::new();
    if stage.alias.is_none() {
        edits.push(Edit::insert(from.range.end, " AS builder"));
    }

    // Artifacts to copy, and builder-side insertions.
    let mut copies: Vec<(String, String)> = Vec::new();
    let mut runtime_env: Vec<String> = Vec::new();
    let runtime_base = match eco {
        Ecosystem::Python => {
            let Some(first) = runs.iter().find(|r| is_python_install(&run_words(r))) else {
                return Vec::new();
            };
            let at = util::line_start(text, first.range.start);
            edits.push(Edit::insert(
                at,
                "RUN python -m venv /opt/venv\nENV VIRTUAL_ENV=/opt/venv PATH=\"/opt/venv/bin:$PATH\" POETRY_VIRTUALENVS_CREATE=false UV_PROJECT_ENVIRONMENT=/opt/venv\n",
            ));
            runtime_env.push("ENV VIRTUAL_ENV=/opt/venv PATH=\"/opt/venv/bin:$PATH\"\n".into());
            copies.push(("/opt/venv".into(), "/opt/venv".into()));
            if let Some(wd) = &workdir {
                copies.push((wd.clone(), wd.clone()));
            }
            slim_tag(&stage.image)
        }
        Ecosystem::Node => {
            let Some(last) = runs.iter().rev().find(|r| is_node_step(&run_words(r))) else {
                return Vec::new();
            };
            let Some(wd) = &workdir else {
                return Vec::new();
            };
            let (_, end) = instruction_lines(text, last);
            let nl = if text[..end].ends_with('\n') {
                ""
            } else {
                "\n"
            };
            if run_words(last).iter().any(|w| w == "npm") {
                edits.push(Edit::insert(end, format!("{nl}RUN npm prune --omit=dev\n")));
            }
            copies.push((wd.clone(), wd.clone()));
            slim_tag(&stage.image)
        }
        Ecosystem::Go => {
            let mut found = None;
            for r in &runs {
                let w = run_words(r);
                if let Some(pos) = w.windows(2).position(|p| p[0] == "go" && p[1] == "build") {
                    if let Some(o) = w[pos..]
                        .windows(2)
                        .find(|p| p[0] == "-o")
                        .map(|p| p[1].clone())
                    {
                        found = Some((*r, o));
                    }
                }
            }
            let Some((build, out)) = found else {
                return Vec::new();
            };
            let out_abs = if out.starts_with('/') {
                out
            } else {
                match &workdir {
                    Some(wd) => format!(
                        "{}/{}",
                        wd.trim_end_matches('/'),
                        out.trim_start_matches("./")
                    ),
                    None => return Vec::new(),
                }
            };
            edits.push(Edit::insert(
                util::line_start(text, build.range.start),
                "ENV CGO_ENABLED=0\n",
            ));
            copies.push((out_abs.clone(), out_abs));
            "gcr.io/distroless/static-debian12".to_string()
        }
        Ecosystem::Rust => {
            let entry = body
                .iter()
                .rev()
                .find(|i| matches!(i.keyword, Keyword::Cmd | Keyword::Entrypoint));
            let Some(entry) = entry else {
                return Vec::new();
            };
            let first = match &entry.exec {
                Some(e) => e.first().map(|w| w.text.to_string()),
                None => entry
                    .args_text()
                    .split_whitespace()
                    .next()
                    .map(str::to_string),
            };
            let Some(first) = first.filter(|f| f.contains("target/release/")) else {
                return Vec::new();
            };
            let abs = if first.starts_with('/') {
                first
            } else {
                match &workdir {
                    Some(wd) => format!(
                        "{}/{}",
                        wd.trim_end_matches('/'),
                        first.trim_start_matches("./")
                    ),
                    None => return Vec::new(),
                }
            };
            copies.push((abs.clone(), abs));
            format!("debian:{}-slim", debian_codename(&stage.image))
        }
        Ecosystem::Java => {
            let words: Vec<String> = runs.iter().flat_map(|r| run_words(r)).collect();
            let Some(wd) = &workdir else {
                return Vec::new();
            };
            let wd = wd.trim_end_matches('/');
            if words.iter().any(|w| w == "mvn" || w.ends_with("mvnw")) {
                copies.push((format!("{wd}/target/*.jar"), format!("{wd}/target/")));
            } else if words
                .iter()
                .any(|w| w == "gradle" || w.ends_with("gradlew"))
            {
                copies.push((
                    format!("{wd}/build/libs/*.jar"),
                    format!("{wd}/build/libs/"),
                ));
            } else {
                return Vec::new();
            }
            format!("eclipse-temurin:{}-jre", java_version(&stage.image))
        }
    };

    // The runtime stage.
    let mut runtime = format!("\nFROM {runtime_base}\n");
    for e in &runtime_env {
        runtime.push_str(e);
    }
    for ins in body.iter().filter(|i| i.keyword == Keyword::Env) {
        runtime.push_str(&instruction_source(text, ins));
    }
    if eco != Ecosystem::Go {
        let pkgs: Vec<String> = runs
            .iter()
            .flat_map(|r| apt_packages(r))
            .filter(|p| !is_build_only(p))
            .collect();
        if !pkgs.is_empty() {
            runtime.push_str(&format!(
                "RUN apt-get update {e}\n    && apt-get install -y --no-install-recommends {} {e}\n    && rm -rf /var/lib/apt/lists/*\n",
                pkgs.join(" "),
                e = file.escape
            ));
        }
    }
    if let Some(wd) = &workdir {
        runtime.push_str(&format!("WORKDIR {wd}\n"));
    }
    for (r, _) in &user_runs {
        runtime.push_str(&instruction_source(text, r));
    }
    for (src, dst) in &copies {
        runtime.push_str(&format!("COPY --from={builder} {src} {dst}\n"));
    }
    for ins in body
        .iter()
        .filter(|i| RUNTIME_KEYWORDS.contains(&i.keyword))
    {
        runtime.push_str(&instruction_source(text, ins));
        let (s, e) = instruction_lines(text, ins);
        edits.push(Edit::delete(TextRange::new(s, e)));
    }
    let end = text.len();
    let sep = if text.ends_with('\n') { "" } else { "\n" };
    edits.push(Edit::insert(end, format!("{sep}{runtime}")));
    let merged = super::util::merge_insertions(edits);
    vec![Assist {
        id: "multistage",
        title: format!("Convert to a multistage build (builder + {runtime_base} runtime)"),
        edits: merged,
    }]
}

#[cfg(test)]
mod tests {
    use crate::assists::test_support::{apply, check_output};

    fn run(src: &str) -> String {
        let out = apply("multistage", src, 0).expect("offered");
        check_output("multistage", &out);
        out
    }

    /// Found on the seeds and the corpus: the user the builder creates is created again in
    /// the runtime stage, and an image pinned by digest stays pinned when it is its own
    /// runtime base.
    #[test]
    fn keeps_users_and_digests() {
        let out = run("FROM python:3.10.9-slim-bullseye@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\nENV USER=rta\nWORKDIR /app\nRUN useradd -mrU $USER && \\\n    chown -R $USER:$USER /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY --chown=$USER:$USER main.py /app\nUSER $USER\nENTRYPOINT [\"uvicorn\", \"main:app\"]\n");
        insta::assert_snapshot!(out, @r#"
        FROM python:3.10.9-slim-bullseye@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef AS builder
        ENV USER=rta
        WORKDIR /app
        RUN useradd -mrU $USER && \
            chown -R $USER:$USER /app
        COPY requirements.txt .
        RUN python -m venv /opt/venv
        ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH" POETRY_VIRTUALENVS_CREATE=false UV_PROJECT_ENVIRONMENT=/opt/venv
        RUN pip install --no-cache-dir -r requirements.txt
        COPY --chown=$USER:$USER main.py /app

        FROM python:3.10.9-slim-bullseye@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
        ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
        ENV USER=rta
        WORKDIR /app
        RUN useradd -mrU $USER && \
            chown -R $USER:$USER /app
        COPY --from=builder /opt/venv /opt/venv
        COPY --from=builder /app /app
        USER $USER
        ENTRYPOINT ["uvicorn", "main:app"]
        "#);
        // A user created in a RUN that also does other things cannot be repeated safely.
        let src = "FROM python:3.12\nWORKDIR /app\nRUN useradd app && pip install -r requirements.txt\nUSER app\nCMD [\"python\", \"app.py\"]\n";
        assert_eq!(apply("multistage", src, 0), None);
        // Go's distroless runtime has no shell to create users with.
        let src = "FROM golang:1.22\nWORKDIR /src\nRUN adduser -D app\nRUN go build -o /out/app .\nUSER app\nCMD [\"/out/app\"]\n";
        assert_eq!(apply("multistage", src, 0), None);
    }

    #[test]
    fn python_pip() {
        let out = run("FROM python:3.12.1-bookworm\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\nRUN apt-get update && apt-get install -y --no-install-recommends build-essential libpq-dev libpq5 && rm -rf /var/lib/apt/lists/*\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nEXPOSE 8000\nCMD [\"gunicorn\", \"app.wsgi\"]\n");
        insta::assert_snapshot!(out, @r#"
        FROM python:3.12.1-bookworm AS builder
        ENV PYTHONUNBUFFERED=1
        WORKDIR /app
        RUN apt-get update && apt-get install -y --no-install-recommends build-essential libpq-dev libpq5 && rm -rf /var/lib/apt/lists/*
        COPY requirements.txt .
        RUN python -m venv /opt/venv
        ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH" POETRY_VIRTUALENVS_CREATE=false UV_PROJECT_ENVIRONMENT=/opt/venv
        RUN pip install --no-cache-dir -r requirements.txt
        COPY . .

        FROM python:3.12.1-slim-bookworm
        ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
        ENV PYTHONUNBUFFERED=1
        RUN apt-get update \
            && apt-get install -y --no-install-recommends libpq5 \
            && rm -rf /var/lib/apt/lists/*
        WORKDIR /app
        COPY --from=builder /opt/venv /opt/venv
        COPY --from=builder /app /app
        EXPOSE 8000
        CMD ["gunicorn", "app.wsgi"]
        "#);
    }

    #[test]
    fn node_go_rust_java() {
        let out = run("FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\nCMD [\"node\", \"dist/server.js\"]\n");
        assert!(
            out.contains("RUN npm run build\nRUN npm prune --omit=dev\n"),
            "{out}"
        );
        assert!(
            out.contains("FROM node:20-slim\nWORKDIR /app\nCOPY --from=builder /app /app\nCMD"),
            "{out}"
        );

        let out = run("FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/server ./cmd/server\nENTRYPOINT [\"/out/server\"]\n");
        assert!(out.contains("ENV CGO_ENABLED=0\nRUN go build"), "{out}");
        assert!(out.contains("FROM gcr.io/distroless/static-debian12\nWORKDIR /src\nCOPY --from=builder /out/server /out/server\nENTRYPOINT"), "{out}");

        let out = run("FROM rust:1.79-bookworm\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\nCMD [\"./target/release/api\"]\n");
        assert!(out.contains("FROM debian:bookworm-slim\nWORKDIR /app\nCOPY --from=builder /app/target/release/api /app/target/release/api\n"), "{out}");

        let out = run("FROM maven:3.9-eclipse-temurin-21\nWORKDIR /app\nCOPY . .\nRUN mvn -B package\nCMD [\"sh\", \"-c\", \"java -jar target/*.jar\"]\n");
        assert!(out.contains("FROM eclipse-temurin:21-jre\nWORKDIR /app\nCOPY --from=builder /app/target/*.jar /app/target/\n"), "{out}");
    }

    #[test]
    fn not_offered() {
        for src in [
            "FROM python:3.12 AS a\nFROM python:3.12-slim\n",
            "FROM alpine:3.20\nRUN apk add curl\n",
            "FROM golang:1.22\nRUN go build ./...\n",
            "FROM python:3.12\nCOPY . .\nCMD [\"python\", \"app.py\"]\n",
        ] {
            assert_eq!(apply("multistage", src, 0), None, "{src}");
        }
    }
}
