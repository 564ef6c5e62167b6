//! Run as a non-root user.
//!
//! Offered in the final stage when it runs as root (no `USER`, or the last `USER` is root).
//! The user is created the way the base image's distro family needs — found from the package
//! managers the stage (and the stages it builds on) uses, else from the image name:
//!
//! * Debian/Ubuntu: `groupadd --system app && useradd --system --gid app --no-log-init
//!   --create-home app`
//! * Alpine/BusyBox: `addgroup -S app && adduser -S -G app app`
//! * RHEL/UBI/Fedora: `groupadd --system app && useradd --system --gid app --no-log-init app`
//! * distroless: no shell to create users; its `nonroot` user (65532) is used.
//! * `scratch`: no `/etc/passwd`; the numeric `65532:65532` is used.
//!
//! The user is created just before the first copy of application files (so `COPY
//! --chown=app:app` can resolve the name), the stage's WORKDIR is handed to it, `--chown` is
//! added to the COPY/ADD of application files (those not aimed at system directories), and
//! `USER app` goes after the last RUN (package installs need root) and before CMD/ENTRYPOINT.
//! `/` and system directories are never handed to the user (no `chown` of a WORKDIR `/`, no
//! `--chown` on a root filesystem copied onto `/`), and an explicit `USER root` followed by
//! RUNs stays: the new `USER` comes after them.
//! If the stage already creates a user (`useradd`/`adduser`) it is reused.

use super::util::{self, body, final_stage, is_root_user, last_user};
use super::Assist;
use crate::diagnostic::Edit;
use crate::knowledge::images::{facts, Family};
use crate::syntax::{Dockerfile, Instruction, Keyword, Stage, TextRange};

/// The stages `stage` builds on, nearest first (stage itself included).
fn lineage<'a>(file: &'a Dockerfile, stage: &'a Stage) -> Vec<&'a Stage> {
    let mut out = vec![stage];
    let mut cur = stage;
    while let Some(parent) = file
        .find_stage(&cur.image.text)
        .filter(|p| p.index < cur.index && !cur.image.text.is_empty())
    {
        out.push(parent);
        cur = parent;
        if out.len() > file.stages.len() {
            break;
        }
    }
    out
}

/// The distro family of a stage.
pub fn family(file: &Dockerfile, stage: &Stage) -> Family {
    let chain = lineage(file, stage);
    for s in &chain {
        for ins in body(file, s).iter().rev() {
            if ins.keyword != Keyword::Run {
                continue;
            }
            let pms = util::package_managers(ins);
            if pms.contains(&"apk") {
                return Family::Alpine;
            }
            if pms.contains(&"apt-get") || pms.contains(&"apt") {
                return Family::Debian;
            }
            if pms
                .iter()
                .any(|p| matches!(*p, "dnf" | "yum" | "microdnf" | "zypper"))
            {
                return Family::Rhel;
            }
        }
    }
    let base = chain.last().map(|s| &s.image).unwrap_or(&stage.image);
    if base.is_scratch() {
        return Family::Scratch;
    }
    // Unknown images are most often Debian-based (the official language images are).
    match facts(base).family {
        Some(Family::Ubuntu) | Some(Family::Arch) | None => Family::Debian,
        Some(f) => f,
    }
}

/// A user the stage already creates with useradd/adduser, if any.
fn existing_user(file: &Dockerfile, stage: &Stage) -> Option<String> {
    for ins in body(file, stage) {
        if ins.keyword != Keyword::Run {
            continue;
        }
        let script = ins.args_text();
        for segment in script.split(['&', ';', '|']) {
            let mut words = segment.split_whitespace();
            let Some(cmd) = words.next() else { continue };
            if cmd != "useradd" && cmd != "adduser" {
                continue;
            }
            let mut last = None;
            let mut skip_next = false;
            for w in words {
                if skip_next {
                    skip_next = false;
                    continue;
                }
                if w.starts_with('-') {
                    // options that take a value
                    skip_next = matches!(
                        w,
                        "-u" | "-g"
                            | "-G"
                            | "-d"
                            | "-s"
                            | "-c"
                            | "-h"
                            | "-k"
                            | "--uid"
                            | "--gid"
                            | "--groups"
                            | "--home-dir"
                            | "--home"
                            | "--shell"
                            | "--comment"
                            | "--gecos"
                            | "--ingroup"
                    );
                    continue;
                }
                last = Some(w.to_string());
            }
            if let Some(name) = last {
                return Some(name);
            }
        }
    }
    None
}

const SYSTEM_DIRS: &[&str] = &[
    "/etc",
    "/usr",
    "/bin",
    "/sbin",
    "/lib",
    "/lib64",
    "/var/lib",
    "/opt/venv",
    "/root",
    "/tmp",
];

/// True for `/` and the system directories (and what is under them): never handed to the
/// application user.
fn is_system_path(path: &str) -> bool {
    let d = path.trim_end_matches('/');
    d.is_empty()
        || SYSTEM_DIRS
            .iter()
            .any(|s| d == *s || d.starts_with(&format!("{s}/")))
        || ["/var", "/home", "/run", "/dev", "/proc", "/sys", "/boot"].contains(&d)
}

fn is_app_copy(ins: &Instruction) -> bool {
    if !matches!(ins.keyword, Keyword::Copy | Keyword::Add) || ins.flag("chown").is_some() {
        return false;
    }
    let (sources, dest) = ins.copy_sources_and_dest();
    let Some(dest) = dest else { return false };
    // A copy onto `/` (a root filesystem, or binaries dropped at the top) or of a whole root
    // filesystem is not application data: chowning it would hand system files to the user.
    !is_system_path(&dest.text)
        && !sources
            .iter()
            .any(|s| s.text.trim_end_matches('/').is_empty())
}

pub fn assist(file: &Dockerfile, text: &str, range: TextRange) -> Vec<Assist> {
    let Some(stage) = final_stage(file) else {
        return Vec::new();
    };
    if !stage.range.intersects(range) && !stage.range.contains_inclusive(range.start) {
        return Vec::new();
    }
    let user_ins = last_user(file, stage);
    if user_ins.is_some_and(|u| !is_root_user(u.args_text())) {
        return Vec::new();
    }
    // A parent stage may already switch to a non-root user.
    if user_ins.is_none() {
        let chain = lineage(file, stage);
        if chain
            .iter()
            .skip(1)
            .any(|s| last_user(file, s).is_some_and(|u| !is_root_user(u.args_text())))
        {
            return Vec::new();
        }
    }
    let fam = family(file, stage);
    if fam == Family::Windows {
        return Vec::new();
    }
    let existing = existing_user(file, stage);
    let (user, owner) = match (fam, &existing) {
        (_, Some(name)) => (name.clone(), format!("{name}:{name}")),
        (Family::Distroless, None) => ("nonroot".to_string(), "nonroot:nonroot".to_string()),
        (Family::Scratch, None) => ("65532:65532".to_string(), "65532:65532".to_string()),
        _ => ("app".to_string(), "app:app".to_string()),
    };
    let body = body(file, stage);
    let mut edits = Vec::new();

    // 1. Create the user (unless it exists or cannot be created).
    let first_app_copy = body.iter().find(|i| is_app_copy(i));
    let workdir = util::workdir(file, stage).filter(|w| !w.contains('$') && !is_system_path(w));
    let create = match (existing.is_some(), fam) {
        (true, _) | (_, Family::Distroless) | (_, Family::Scratch) | (_, Family::Windows) => None,
        (false, Family::Alpine) | (false, Family::BusyBox) => {
            Some("addgroup -S app && adduser -S -G app app".to_string())
        }
        (false, Family::Debian | Family::Ubuntu | Family::Arch) => Some(format!(
            "groupadd --system app {e}\n    && useradd --system --gid app --no-log-init --create-home app",
            e = file.escape
        )),
        (false, Family::Rhel) => Some(format!(
            "groupadd --system app {e}\n    && useradd --system --gid app --no-log-init app",
            e = file.escape
        )),
    };

    // 3. Where USER goes: before the first CMD/ENTRYPOINT after the last RUN, else at the end.
    let last_run = body.iter().rposition(|i| i.keyword == Keyword::Run);
    let user_before = body
        .iter()
        .enumerate()
        .find(|(idx, i)| {
            matches!(
                i.keyword,
                Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck
            ) && last_run.is_none_or(|r| *idx > r)
        })
        .map(|(_, i)| i);

    let creates = create.is_some();
    if let Some(script) = create {
        let mut script = script;
        if let Some(wd) = &workdir {
            script.push_str(&format!(
                " {e}\n    && mkdir -p {wd} && chown app:app {wd}",
                e = file.escape
            ));
        }
        let anchor = first_app_copy.or(user_before);
        // The user is created as root: not where an earlier USER is still in effect.
        let anchor_index = anchor.map(|i| i.index).unwrap_or(usize::MAX);
        if body
            .iter()
            .rev()
            .find(|i| i.keyword == Keyword::User && i.index < anchor_index)
            .is_some_and(|u| !is_root_user(u.args_text()))
        {
            return Vec::new();
        }
        let at = match anchor {
            Some(i) => util::line_start(text, i.range.start),
            None => end_of_stage(text, file, stage),
        };
        let nl = if at > 0 && !text[..at].ends_with('\n') {
            "\n"
        } else {
            ""
        };
        edits.push(Edit::insert(at, format!("{nl}RUN {script}\n")));
    }

    // 2. --chown on application copies.
    for ins in body.iter().filter(|i| is_app_copy(i)) {
        edits.push(Edit::insert(
            ins.keyword_range.end,
            format!(" --chown={owner}"),
        ));
    }

    // 3. USER. An explicit `USER root` is switched only when nothing after it needs root (no
    // RUN, and the user is created before it); otherwise it stays and `USER` is added later.
    let last_run_index = last_run.and_then(|r| body.get(r)).map(|i| i.index);
    let create_index = creates.then(|| {
        first_app_copy
            .or(user_before)
            .map(|i| i.index)
            .unwrap_or(usize::MAX)
    });
    let insert_index = user_before.map(|i| i.index).unwrap_or(usize::MAX);
    let replace = user_ins.filter(|u| {
        last_run_index.is_none_or(|r| u.index > r) && create_index.is_none_or(|c| u.index > c)
    });
    if replace.is_none() && user_ins.is_some_and(|u| u.index > insert_index) {
        // `USER root` after the CMD the new USER would precede: it would win; leave it.
        return Vec::new();
    }
    match replace {
        Some(u) => edits.push(Edit::replace(u.args_range, user.clone())),
        None => {
            let at = match user_before {
                Some(i) => util::line_start(text, i.range.start),
                None => end_of_stage(text, file, stage),
            };
            let nl = if at > 0 && !text[..at].ends_with('\n') {
                "\n"
            } else {
                ""
            };
            edits.push(Edit::insert(at, format!("{nl}USER {user}\n")));
        }
    }
    let merged = super::util::merge_insertions(edits);
    vec![Assist {
        id: "non-root-user",
        title: format!("Run the final stage as the non-root user '{user}'"),
        edits: merged,
    }]
}

fn end_of_stage(text: &str, file: &Dockerfile, stage: &Stage) -> usize {
    let last = file
        .stage_instructions(stage)
        .last()
        .map(|i| i.range.end)
        .unwrap_or(stage.range.end);
    util::line_end_after_newline(text, last.saturating_sub(1).max(stage.range.start))
}

#[cfg(test)]
mod tests {
    use crate::assists::test_support::{apply, check_output};

    fn run(src: &str) -> String {
        let out = apply("non-root-user", src, src.len() - 1).expect("offered");
        check_output("non-root-user", &out);
        out
    }

    #[test]
    fn debian_python_app() {
        let out = run("FROM python:3.12-slim\nWORKDIR /app\nRUN apt-get update && apt-get install -y --no-install-recommends libpq5\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD [\"gunicorn\", \"app:app\"]\n");
        insta::assert_snapshot!(out, @r#"
        FROM python:3.12-slim
        WORKDIR /app
        RUN apt-get update && apt-get install -y --no-install-recommends libpq5
        RUN groupadd --system app \
            && useradd --system --gid app --no-log-init --create-home app \
            && mkdir -p /app && chown app:app /app
        COPY --chown=app:app requirements.txt .
        RUN pip install --no-cache-dir -r requirements.txt
        COPY --chown=app:app . .
        USER app
        CMD ["gunicorn", "app:app"]
        "#);
    }

    #[test]
    fn alpine_and_explicit_root() {
        let out = run("FROM node:20-alpine\nCOPY server.js /srv/\nUSER root\nCMD [\"node\", \"/srv/server.js\"]\n");
        insta::assert_snapshot!(out, @r#"
        FROM node:20-alpine
        RUN addgroup -S app && adduser -S -G app app
        COPY --chown=app:app server.js /srv/
        USER app
        CMD ["node", "/srv/server.js"]
        "#);
    }

    /// Found on the corpus: a `USER root` with RUNs after it stays (the user is created and
    /// switched to later), and `/` or a root filesystem copied onto it is never chowned.
    #[test]
    fn early_user_root_and_system_paths() {
        let out = run("FROM alpine:3.20\nUSER root\nWORKDIR /\nRUN apk add --no-cache curl\nCOPY --from=envoy / /\nCOPY app.sh /usr/local/bin/\nCOPY site/ /srv/site/\nCMD [\"app.sh\"]\n");
        insta::assert_snapshot!(out, @r#"
        FROM alpine:3.20
        USER root
        WORKDIR /
        RUN apk add --no-cache curl
        COPY --from=envoy / /
        COPY app.sh /usr/local/bin/
        RUN addgroup -S app && adduser -S -G app app
        COPY --chown=app:app site/ /srv/site/
        USER app
        CMD ["app.sh"]
        "#);
    }

    #[test]
    fn distroless_and_scratch() {
        let out = run("FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /out/app /app\nENTRYPOINT [\"/app\"]\n");
        assert!(
            out.contains(
                "COPY --chown=nonroot:nonroot --from=build /out/app /app\nUSER nonroot\nENTRYPOINT"
            ),
            "{out}"
        );
        assert!(!out.contains("useradd"));
        let out = run("FROM scratch\nCOPY app /app\nENTRYPOINT [\"/app\"]\n");
        assert!(out.contains("USER 65532:65532\nENTRYPOINT"), "{out}");
    }

    #[test]
    fn reuses_an_existing_user_and_skips_builder_stages() {
        let src = "FROM debian:bookworm-slim AS build\nRUN make\nFROM debian:bookworm-slim\nRUN useradd -m -u 1001 svc\nCOPY --from=build /out /srv\nCMD [\"/srv/run\"]\n";
        let out = run(src);
        assert!(out.contains("USER svc\nCMD"), "{out}");
        assert!(!out.contains("groupadd"), "{out}");
        // Builder stages are left alone.
        assert!(out.starts_with("FROM debian:bookworm-slim AS build\nRUN make\n"));
    }

    #[test]
    fn not_offered_when_already_non_root() {
        let src = "FROM alpine:3.20\nUSER nobody\nCMD [\"sh\"]\n";
        assert_eq!(apply("non-root-user", src, 5), None);
        let src = "FROM alpine:3.20 AS base\nUSER nobody\nFROM base\nCMD [\"sh\"]\n";
        assert_eq!(apply("non-root-user", src, src.len() - 2), None);
        let src = "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCMD [\"cmd\"]\n";
        assert_eq!(apply("non-root-user", src, src.len() - 2), None);
    }
}
