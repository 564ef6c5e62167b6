//! Extract a frontend asset stage.
//!
//! Offered when a stage on a non-Node base (Python, Ruby, PHP…) builds assets with npm, yarn
//! or pnpm. The Node steps move to a new `node:24-slim` stage `assets` placed before it, which
//! copies the manifests, installs, copies the context and runs the build in the same WORKDIR,
//! then drops `node_modules`; the app stage gets `COPY --from=assets <workdir>/ <workdir>/`
//! where its last Node step was, so everything after it (e.g. `collectstatic`) sees the built
//! files. The `apt-get install nodejs npm` (or NodeSource script) RUNs are removed from the app
//! stage: the runtime image no longer carries Node, npm and their dependencies.
//!
//! Only offered when each Node RUN is made of Node commands only (`npm`, `npx`, `yarn`,
//! `pnpm`, `node`, `cd`); a RUN mixing Node with other tools is left for a human to split.
//! The stage must be a Python/Ruby/PHP application and the Node RUNs a project install
//! followed by a build: a Node application's own dependencies, `npm init` or a global tool
//! install (`npm install -g`) would be lost with the dropped `node_modules`.

use super::util::{self, body, instruction_lines, instruction_source, run_words};
use super::Assist;
use crate::diagnostic::Edit;
use crate::syntax::{Dockerfile, Instruction, Keyword, TextRange};

const NODE_CMDS: &[&str] = &["npm", "npx", "yarn", "pnpm", "node", "corepack"];

/// Splits a shell command line into the first word of each `&&`/`||`/`;` segment.
fn segment_heads(ins: &Instruction) -> Vec<String> {
    ins.args_text()
        .split("&&")
        .flat_map(|s| s.split("||"))
        .flat_map(|s| s.split(';'))
        .filter_map(|s| s.split_whitespace().next().map(str::to_string))
        .collect()
}

fn is_node_run(ins: &Instruction) -> Option<bool> {
    if ins.keyword != Keyword::Run || ins.exec.is_some() || !ins.heredocs.is_empty() {
        return None;
    }
    let heads = segment_heads(ins);
    if !heads.iter().any(|h| NODE_CMDS.contains(&h.as_str())) {
        return None;
    }
    Some(
        heads
            .iter()
            .all(|h| NODE_CMDS.contains(&h.as_str()) || h == "cd"),
    )
}

/// RUNs that only install Node itself (apt-get install nodejs npm, NodeSource setup).
fn is_node_toolchain_install(ins: &Instruction) -> bool {
    if ins.keyword != Keyword::Run {
        return false;
    }
    let words = run_words(ins);
    let installs_node = words.iter().any(|w| w == "nodejs" || w == "npm")
        && words.iter().any(|w| w == "install" || w == "add");
    let nodesource = ins.args_text().contains("nodesource");
    let pkgs_only_node = words
        .iter()
        .skip_while(|w| *w != "install" && *w != "add")
        .skip(1)
        .filter(|w| {
            !w.starts_with('-')
                && ![
                    "&&",
                    "\\",
                    "rm",
                    "-rf",
                    "/var/lib/apt/lists/*",
                    "apt-get",
                    "clean",
                ]
                .contains(&w.as_str())
        })
        .all(|w| w == "nodejs" || w == "npm" || w == "yarn");
    (installs_node
        && pkgs_only_node
        && !NODE_CMDS.contains(&segment_heads(ins).first().map(String::as_str).unwrap_or("")))
        || nodesource
}

fn is_install(ins: &Instruction) -> bool {
    let w = run_words(ins);
    let has = |a: &str, b: &str| util::has_pair(&w, a, b);
    has("npm", "ci")
        || has("npm", "install")
        || has("npm", "i")
        || has("yarn", "install")
        || (w.iter().any(|x| x == "yarn") && !w.iter().any(|x| x == "run" || x == "build"))
        || has("pnpm", "install")
}

/// An asset build step: `npm run …`, `yarn build`, `pnpm run …`, `npx …`.
fn is_build(ins: &Instruction) -> bool {
    let w = run_words(ins);
    let has = |a: &str, b: &str| util::has_pair(&w, a, b);
    has("npm", "run")
        || has("npm", "run-script")
        || has("yarn", "run")
        || has("yarn", "build")
        || has("pnpm", "run")
        || has("pnpm", "build")
        || segment_heads(ins).iter().any(|h| h == "npx")
}

/// Installs into the image rather than the project (`npm install -g`, `yarn global add`).
fn is_global_install(ins: &Instruction) -> bool {
    let w = run_words(ins);
    w.iter().any(|x| x == "-g" || x == "--global") || util::has_pair(&w, "yarn", "global")
}

const APP_TOOLS: &[&str] = &[
    "pip", "pip3", "poetry", "pipenv", "uv", "python", "python3", "bundle", "rails", "rake",
    "composer", "php",
];

/// The stage is a Python/Ruby/PHP application: its base image is one of those, or it runs
/// their tools. (A Node application installing its own dependencies is not an asset build.)
fn is_python_ruby_php_app(file: &Dockerfile, stage: &crate::syntax::Stage) -> bool {
    let name = stage.image.short_name();
    let last = name.rsplit('/').next().unwrap_or(&name);
    if ["python", "pypy", "ruby", "php"].contains(&last) {
        return true;
    }
    body(file, stage).iter().any(|i| {
        i.keyword == Keyword::Run
            && segment_heads(i)
                .iter()
                .any(|h| APP_TOOLS.contains(&h.as_str()))
    })
}

pub fn assist(file: &Dockerfile, text: &str, range: TextRange) -> Vec<Assist> {
    let Some(stage) = file.stage_at(range.start).or(file.stages.last()) else {
        return Vec::new();
    };
    let name = stage.image.short_name();
    if name == "node" || name.ends_with("/node") || stage.image.has_variables {
        return Vec::new();
    }
    if file
        .stages
        .iter()
        .any(|s| s.name().is_some_and(|n| n.eq_ignore_ascii_case("assets")))
    {
        return Vec::new();
    }
    let body = body(file, stage);
    let mut node_runs: Vec<&Instruction> = Vec::new();
    for ins in body {
        match is_node_run(ins) {
            Some(true) => node_runs.push(ins),
            Some(false) => return Vec::new(),
            None => {}
        }
    }
    let Some(last_node) = node_runs.last() else {
        return Vec::new();
    };
    // Only a project-local install followed by a build is an asset build: global tool
    // installs, `npm init` or a Node application's own dependencies are not.
    if !is_python_ruby_php_app(file, stage)
        || node_runs.iter().any(|r| is_global_install(r))
        || node_runs.iter().any(|r| !is_install(r) && !is_build(r))
        || !node_runs.iter().any(|r| is_build(r))
        || node_runs
            .windows(2)
            .any(|p| is_build(p[0]) && is_install(p[1]) && !is_build(p[1]))
    {
        return Vec::new();
    }
    let Some(wd) = util::workdir(file, stage).filter(|w| w.starts_with('/') && !w.contains('$'))
    else {
        return Vec::new();
    };
    let wd = wd.trim_end_matches('/').to_string();
    let wd = if wd.is_empty() { "/".to_string() } else { wd };
    let manager = if node_runs
        .iter()
        .any(|r| segment_heads(r).iter().any(|h| h == "yarn"))
    {
        "COPY package.json yarn.lock* ./\n"
    } else if node_runs
        .iter()
        .any(|r| segment_heads(r).iter().any(|h| h == "pnpm"))
    {
        "COPY package.json pnpm-lock.yaml* ./\n"
    } else {
        "COPY package.json package-lock.json* ./\n"
    };
    let mut stage_text = format!("FROM node:24-slim AS assets\nWORKDIR {wd}\n{manager}");
    for r in node_runs.iter().filter(|r| is_install(r)) {
        stage_text.push_str(&instruction_source(text, r));
    }
    stage_text.push_str("COPY . .\n");
    for r in node_runs.iter().filter(|r| !is_install(r)) {
        stage_text.push_str(&instruction_source(text, r));
    }
    stage_text.push_str("RUN rm -rf node_modules\n\n");

    let from = &file.instructions[stage.from];
    let mut edits = vec![Edit::insert(
        util::line_start(text, from.range.start),
        stage_text,
    )];
    for ins in body {
        let remove =
            node_runs.iter().any(|r| r.index == ins.index) || is_node_toolchain_install(ins);
        if !remove {
            continue;
        }
        let (s, e) = instruction_lines(text, ins);
        if ins.index == last_node.index {
            let dest = if wd == "/" {
                "/".to_string()
            } else {
                format!("{wd}/")
            };
            edits.push(Edit::replace(
                TextRange::new(s, e),
                format!("COPY --from=assets {dest} {dest}\n"),
            ));
        } else {
            edits.push(Edit::delete(TextRange::new(s, e)));
        }
    }
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    vec![Assist {
        id: "asset-stage",
        title: "Build the frontend assets in a separate node stage".to_string(),
        edits,
    }]
}

#[cfg(test)]
mod tests {
    use crate::assists::test_support::{apply, check_output};

    #[test]
    fn django_with_npm_build() {
        let src = "FROM python:3.12-slim-bookworm\nWORKDIR /app\nRUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build-css && npm run build-js\nRUN python manage.py collectstatic --no-input\nCMD [\"gunicorn\", \"app.wsgi\"]\n";
        let out = apply("asset-stage", src, src.len() - 3).expect("offered");
        insta::assert_snapshot!(out, @r#"
        FROM node:24-slim AS assets
        WORKDIR /app
        COPY package.json package-lock.json* ./
        RUN npm ci
        COPY . .
        RUN npm run build-css && npm run build-js
        RUN rm -rf node_modules

        FROM python:3.12-slim-bookworm
        WORKDIR /app
        COPY requirements.txt .
        RUN pip install --no-cache-dir -r requirements.txt
        COPY package.json package-lock.json ./
        COPY . .
        COPY --from=assets /app/ /app/
        RUN python manage.py collectstatic --no-input
        CMD ["gunicorn", "app.wsgi"]
        "#);
        check_output("asset-stage", &out);
    }

    #[test]
    fn not_offered() {
        for src in [
            "FROM node:20\nWORKDIR /app\nRUN npm ci\n",
            "FROM python:3.12\nWORKDIR /app\nRUN pip install x && npm ci\n",
            "FROM python:3.12\nWORKDIR /app\nRUN pip install x\n",
            // Found on the corpus: a Node app on an unknown base, a global tool install, an
            // install without a build.
            "FROM acme/base:2\nWORKDIR /app\nCOPY package.json .\nRUN npm ci --omit=dev\nCOPY . .\nCMD [\"node\", \"server.js\"]\n",
            "FROM alpine:3.20\nRUN apk add --no-cache nodejs npm python3\nWORKDIR /app\nRUN npm install --global markdownlint-cli && npm run lint\n",
            "FROM ubuntu:24.04\nWORKDIR /sample\nRUN apt-get install -y nodejs npm\nRUN npm init -y\nRUN npm install tedious\nRUN python3 x.py\n",
            "FROM python:3.12\nWORKDIR /app\nRUN npm ci\nRUN pip install -r requirements.txt\n",
        ] {
            assert_eq!(apply("asset-stage", src, src.len() - 2), None, "{src}");
        }
    }
}
