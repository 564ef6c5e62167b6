//! Add dev/prod targets: a `base` stage shared by a `dev` and a `prod` stage.
//!
//! Offered on a single-stage build. `base` keeps the dependency setup (system packages,
//! manifests and the dependency install); `prod` adds the application source, production-only
//! installs (`gunicorn`, `uvicorn`, `waitress`, `pm2`…) and the original command; `dev` installs
//! the development requirements when the build context has them (`requirements-dev.txt`,
//! `requirements.dev.txt`, `dev-requirements.txt`, `requirements/dev.txt`) and runs a
//! reloading server when we know one for the command (Django `runserver`, `gunicorn --reload`,
//! `uvicorn --reload`, `flask run --debug`, `node --watch`); otherwise it keeps the command.
//! In development the source is usually bind-mounted, so `dev` does not copy it. `prod` is
//! last, so a plain `docker build` still produces the production image.
//!
//! Offered only on application images (a dependency install such as `pip install -r` or
//! `npm ci`), not on base or service images. Instructions keep their comments and blank
//! lines; the rewrite is not offered when moving one into `base` would change what a step
//! left in `prod` did (a `USER`, `WORKDIR`, `VOLUME` or RUN after a RUN that stays in prod).

use super::util::{body, instruction_source, run_words};
use super::Assist;
use crate::diagnostic::Edit;
use crate::rules::BuildContext;
use crate::syntax::{Dockerfile, Instruction, Keyword, TextRange};

const MANIFESTS: &[&str] = &[
    "requirements",
    "pyproject.toml",
    "poetry.lock",
    "uv.lock",
    "pipfile",
    "package.json",
    "package-lock.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "go.mod",
    "go.sum",
    "cargo.toml",
    "cargo.lock",
    "gemfile",
    "composer.json",
    "composer.lock",
];

const PROD_SERVERS: &[&str] = &[
    "gunicorn",
    "uvicorn",
    "waitress",
    "pm2",
    "puma",
    "passenger",
];

const DEV_REQUIREMENTS: &[&str] = &[
    "requirements-dev.txt",
    "requirements.dev.txt",
    "dev-requirements.txt",
    "requirements/dev.txt",
];

/// A COPY/ADD of application source (not only dependency manifests).
fn is_source_copy(ins: &Instruction) -> bool {
    if !matches!(ins.keyword, Keyword::Copy | Keyword::Add) || ins.flag("from").is_some() {
        return false;
    }
    let (sources, _) = ins.copy_sources_and_dest();
    !sources.is_empty()
        && sources.iter().any(|s| {
            let name = s.text.to_ascii_lowercase();
            let base = name
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or("")
                .to_string();
            let is_manifest = match base.split_once('*') {
                Some((prefix, _)) => {
                    !prefix.is_empty()
                        && MANIFESTS
                            .iter()
                            .any(|m| m.starts_with(prefix) || prefix.starts_with(m))
                }
                None => MANIFESTS.iter().any(|m| base.starts_with(m)),
            };
            !is_manifest
        })
}

fn is_prod_only_install(ins: &Instruction) -> bool {
    if ins.keyword != Keyword::Run {
        return false;
    }
    let words = run_words(ins);
    let installs = words.iter().any(|w| w == "install" || w == "add");
    installs
        && words.iter().any(|w| {
            let pkg = w.split(['=', '<', '>', '[', '@']).next().unwrap_or("");
            PROD_SERVERS.contains(&pkg)
        })
        && !words
            .iter()
            .any(|w| w == "-r" || w.starts_with("--requirement"))
}

/// The reloading development variant of a production command, if we know one.
fn dev_command(cmd: &Instruction, uses_manage_py: bool) -> Option<String> {
    let words: Vec<String> = match &cmd.exec {
        Some(e) => e.iter().map(|w| w.text.to_string()).collect(),
        None => cmd
            .args_text()
            .split_whitespace()
            .map(str::to_string)
            .collect(),
    };
    if uses_manage_py {
        return Some(r#"["python", "manage.py", "runserver", "0.0.0.0:8000"]"#.to_string());
    }
    let first = words.first()?.as_str();
    let json = |v: Vec<String>| Some(super::util::json_array(&v));
    match first {
        "gunicorn" | "uvicorn" if !words.iter().any(|w| w == "--reload") => {
            let mut v: Vec<String> = words
                .iter()
                .filter(|w| !w.starts_with("--workers") && !w.starts_with("-w"))
                .cloned()
                .collect();
            v.insert(1, "--reload".into());
            if cmd.exec.is_none() && words.iter().any(|w| w.contains(['&', '|', ';', '$'])) {
                return None;
            }
            json(v)
        }
        "flask" => json(vec![
            "flask".into(),
            "run".into(),
            "--host=0.0.0.0".into(),
            "--debug".into(),
        ]),
        "node" if words.len() >= 2 && !words.iter().any(|w| w == "--watch") => {
            let mut v = words.clone();
            v.insert(1, "--watch".into());
            json(v)
        }
        _ => None,
    }
}

pub fn assist(
    file: &Dockerfile,
    text: &str,
    _range: TextRange,
    ctx: Option<&dyn BuildContext>,
) -> Vec<Assist> {
    if file.stages.len() != 1 || !file.errors.is_empty() {
        return Vec::new();
    }
    let stage = &file.stages[0];
    let from = &file.instructions[stage.from];
    let body = body(file, stage);
    let Some(first_source) = body.iter().position(is_source_copy) else {
        return Vec::new();
    };
    let cmd = body
        .iter()
        .rev()
        .find(|i| matches!(i.keyword, Keyword::Cmd | Keyword::Entrypoint));
    let Some(cmd) = cmd else { return Vec::new() };
    let uses_manage_py = body.iter().any(|i| i.args_text().contains("manage.py"));
    // An application with a dependency layer to share; not a base or service image.
    if !body
        .iter()
        .any(|i| i.keyword == Keyword::Run && is_dependency_install(i))
    {
        return Vec::new();
    }

    // Partition: base keeps everything except source copies, what follows them and needs the
    // source (RUN after the first source copy), production-only installs and the runtime
    // metadata; prod gets those, in their original order. Each instruction moves with the
    // blank lines and comments above it.
    let mut base = String::new();
    let mut prod = String::new();
    let mut prev_end = super::util::instruction_lines(text, from).1;
    // What prod holds so far: instructions moved into base after these change meaning.
    let (mut prod_started, mut prod_run, mut prod_relative_copy) = (false, false, false);
    let mut base_copy = false;
    for (idx, ins) in body.iter().enumerate() {
        let end = super::util::instruction_lines(text, ins).1;
        let mut chunk = text.get(prev_end..end).unwrap_or("").to_string();
        prev_end = end;
        if !chunk.ends_with('\n') {
            chunk.push('\n');
        }
        let to_prod = is_source_copy(ins)
            || is_prod_only_install(ins)
            || matches!(
                ins.keyword,
                Keyword::Cmd | Keyword::Entrypoint | Keyword::Expose | Keyword::Healthcheck
            )
            || (idx > first_source
                && ins.keyword == Keyword::Run
                && !is_dependency_install(ins)
                && super::util::package_managers(ins).is_empty());
        if to_prod {
            if !prod_started {
                chunk = chunk.trim_start_matches(['\n', '\r']).to_string();
            }
            prod_started = true;
            prod_run |= ins.keyword == Keyword::Run;
            prod_relative_copy |= matches!(ins.keyword, Keyword::Copy | Keyword::Add)
                && ins
                    .copy_sources_and_dest()
                    .1
                    .is_some_and(|d| !d.text.starts_with('/'));
            prod.push_str(&chunk);
            continue;
        }
        if prod_started {
            // Moving this above what prod ran before it must not change what that did.
            let unsafe_move = match ins.keyword {
                Keyword::User | Keyword::Shell | Keyword::Volume => prod_run,
                Keyword::Workdir => prod_run || prod_relative_copy,
                // A RUN prod ran before may be what this one needs (system prerequisites).
                Keyword::Run => prod_run || (is_dependency_install(ins) && !base_copy),
                _ => false,
            };
            if unsafe_move {
                return Vec::new();
            }
        }
        base_copy |= matches!(ins.keyword, Keyword::Copy | Keyword::Add);
        base.push_str(&chunk);
    }
    // Comments and blank lines after the last instruction stay at the end.
    let trailing = text.get(prev_end..).unwrap_or("");
    let workdir = body
        .iter()
        .rev()
        .find(|i| i.keyword == Keyword::Workdir)
        .map(|i| i.args_text().to_string());
    let mut dev = String::new();
    if let Some(ctx) = ctx {
        if let Some(req) = DEV_REQUIREMENTS.iter().find(|r| ctx.path_exists(r)) {
            let dest = match &workdir {
                Some(_) => format!("./{req}"),
                None => format!("/{req}"),
            };
            dev.push_str(&format!(
                "COPY {req} {dest}\nRUN pip install --no-cache-dir -r {dest}\n"
            ));
        }
    }
    match dev_command(cmd, uses_manage_py) {
        Some(c) => dev.push_str(&format!("CMD {c}\n")),
        // No reloading variant known: the original ENTRYPOINT and CMD, together (a CMD alone
        // may be only the arguments of the ENTRYPOINT).
        None => {
            for ins in body
                .iter()
                .filter(|i| matches!(i.keyword, Keyword::Cmd | Keyword::Entrypoint))
            {
                dev.push_str(&instruction_source(text, ins));
            }
        }
    }
    let from_line = format!(
        "{} {}{} AS base\n",
        from.keyword_text,
        from.flags
            .iter()
            .map(|f| format!("{} ", &text[f.range.start..f.range.end]))
            .collect::<String>(),
        stage.image.text
    );
    let out =
        format!("{from_line}{base}\nFROM base AS dev\n{dev}\nFROM base AS prod\n{prod}{trailing}");
    let (start, end) = (super::util::line_start(text, from.range.start), text.len());
    vec![Assist {
        id: "dev-prod-targets",
        title: "Split into base, dev and prod targets".to_string(),
        edits: vec![Edit::replace(TextRange::new(start, end), out)],
    }]
}

fn is_dependency_install(ins: &Instruction) -> bool {
    let words = run_words(ins);
    let has = |a: &str, b: &str| super::util::has_pair(&words, a, b);
    let pip = words
        .iter()
        .any(|w| w == "pip" || w == "pip3" || w.ends_with("/pip") || w.ends_with("/pip3"));
    // Global installs put tools into the image, not the project's dependencies.
    if words.iter().any(|w| w == "-g" || w == "--global") || has("yarn", "global") {
        return false;
    }
    (pip && words
        .iter()
        .any(|w| w == "-r" || w.starts_with("--requirement"))
        && words.iter().any(|w| w == "install"))
        || has("npm", "ci")
        || has("npm", "install")
        || has("yarn", "install")
        || has("poetry", "install")
        || has("uv", "sync")
        || has("bundle", "install")
        || has("pnpm", "install")
        || has("pipenv", "install")
        || has("composer", "install")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assists::test_support::check_output;
    use crate::diagnostic::apply_edits;

    struct Ctx(&'static [&'static str]);
    impl BuildContext for Ctx {
        fn dockerignore(&self) -> Option<String> {
            None
        }
        fn path_exists(&self, path: &str) -> bool {
            self.0.contains(&path)
        }
    }

    #[test]
    fn django_layout() {
        let src = "FROM python:3.11-bookworm\n# manifests and sources\nCOPY requirements.txt /srv/\nCOPY ./site/ /srv/\nWORKDIR /srv\n# system and python packages\nRUN apt-get update -y\nRUN pip install -r requirements.txt\nRUN pip install gunicorn==22.0.0\nCMD python manage.py migrate && gunicorn site.wsgi:application --bind 0.0.0.0:8080\n";
        let file = crate::syntax::parse(src);
        let ctx = Ctx(&["requirements.dev.txt"]);
        let a = assist(&file, src, TextRange::empty(0), Some(&ctx));
        let (out, _) = apply_edits(src, &a[0].edits);
        insta::assert_snapshot!(out, @r#"
        FROM python:3.11-bookworm AS base
        # manifests and sources
        COPY requirements.txt /srv/
        WORKDIR /srv
        # system and python packages
        RUN apt-get update -y
        RUN pip install -r requirements.txt

        FROM base AS dev
        COPY requirements.dev.txt ./requirements.dev.txt
        RUN pip install --no-cache-dir -r ./requirements.dev.txt
        CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]

        FROM base AS prod
        COPY ./site/ /srv/
        RUN pip install gunicorn==22.0.0
        CMD python manage.py migrate && gunicorn site.wsgi:application --bind 0.0.0.0:8080
        "#);
        let parsed = crate::syntax::parse(&out);
        assert!(parsed.errors.is_empty());
        // Not offered again (three stages now).
        assert!(assist(&parsed, &out, TextRange::empty(0), Some(&ctx)).is_empty());
        check_output("dev-prod-targets", &out);
    }

    #[test]
    fn node_without_context() {
        let src = "FROM node:20-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nCMD [\"node\", \"server.js\"]\n";
        let file = crate::syntax::parse(src);
        let a = assist(&file, src, TextRange::empty(0), None);
        let (out, _) = apply_edits(src, &a[0].edits);
        assert!(
            out.contains("FROM base AS dev\nCMD [\"node\", \"--watch\", \"server.js\"]\n"),
            "{out}"
        );
        assert!(
            out.contains("FROM base AS prod\nCOPY . .\nCMD [\"node\", \"server.js\"]\n"),
            "{out}"
        );
    }

    /// Found on the corpus and seeds: blank lines and comments stay with the instructions
    /// they precede, trailing comments stay at the end.
    #[test]
    fn dev_keeps_entrypoint_and_cmd_together() {
        let src = "FROM python:3.12-alpine\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . /tests\nWORKDIR /tests\nENTRYPOINT [\"pytest\"]\nCMD [\"-v\"]\n";
        let file = crate::syntax::parse(src);
        let a = assist(&file, src, TextRange::empty(0), None);
        let (out, _) = apply_edits(src, &a[0].edits);
        assert!(
            out.contains("FROM base AS dev\nENTRYPOINT [\"pytest\"]\nCMD [\"-v\"]\n"),
            "{out}"
        );
    }

    #[test]
    fn keeps_the_layout() {
        let src = "FROM python:3.12-slim\n\nENV USER=rta\n\nWORKDIR /app\n\nCOPY requirements.txt .\n\n# deps\nRUN pip install -r requirements.txt\n\nCOPY main.py /app\n\nUSER $USER\nCMD [\"uvicorn\", \"main:app\"]\n# the end\n";
        let file = crate::syntax::parse(src);
        let a = assist(&file, src, TextRange::empty(0), None);
        let (out, _) = apply_edits(src, &a[0].edits);
        insta::assert_snapshot!(out, @r#"
        FROM python:3.12-slim AS base

        ENV USER=rta

        WORKDIR /app

        COPY requirements.txt .

        # deps
        RUN pip install -r requirements.txt

        USER $USER

        FROM base AS dev
        CMD ["uvicorn", "--reload", "main:app"]

        FROM base AS prod
        COPY main.py /app
        CMD ["uvicorn", "main:app"]
        # the end
        "#);
        check_output("dev-prod-targets", &out);
    }

    /// Found on the corpus: not offered on base/service images (no dependency install), nor
    /// when moving an instruction into `base` would change what a prod step did.
    #[test]
    fn not_offered() {
        for src in [
            // a service image: no application dependencies
            "FROM alpine:3.20\nRUN apk add --no-cache memcached\nCOPY entrypoint.sh /usr/local/bin/\nRUN ln -s usr/local/bin/entrypoint.sh /entrypoint.sh\nUSER memcache\nCMD [\"memcached\"]\n",
            // USER after a RUN that prod keeps: moving it up would run that RUN as the user
            "FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nRUN python manage.py collectstatic\nUSER app\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
            // WORKDIR after a relative copy
            "FROM node:20\nCOPY package.json .\nRUN npm ci\nCOPY . src\nWORKDIR /src\nCMD [\"node\", \"index.js\"]\n",
            // a dependency install after a RUN prod keeps (maybe its prerequisite)
            "FROM python:3.12\nWORKDIR /app\nCOPY scripts/ scripts/\nRUN scripts/prereqs\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD [\"python\", \"app.py\"]\n",
            // `rm -r` and `install -d` are not pip's `-r`; global npm installs are tools
            "FROM debian:12\nRUN apt-get install -y make && make install && rm -r /tmp/x\nCOPY entrypoint.sh /usr/local/bin/\nCMD [\"redis-server\"]\n",
            "FROM alpine:3.20\nRUN apk add npm && npm install --global markdownlint-cli\nCOPY lint.sh /lint.sh\nENTRYPOINT [\"/lint.sh\"]\n",
            // the install needs the source copy: no manifest copied before it
            "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n",
        ] {
            let file = crate::syntax::parse(src);
            assert!(assist(&file, src, TextRange::empty(0), None).is_empty(), "{src}");
        }
    }
}
