use super::shell_support::{line_of, pip_args, Call, PIP_VALUE_OPTS};
use super::{Check, Context};
use crate::syntax::shell::Command;
use crate::syntax::{Instruction, Keyword};

crate::declare_rule! {
    /// The whole build context is copied before the dependencies are installed.
    ///
    /// Docker caches each layer until one of its inputs changes. `COPY . .` (or `COPY ./ /app`,
    /// `ADD . /app`) makes the layer depend on every file of the build context, so when it comes
    /// before `pip install -r requirements.txt`, `npm ci`, `go mod download`, `bundle install`…
    /// any edit to any source file re-runs the whole dependency install. Those installs only need
    /// the manifest files (`requirements.txt`, `package.json` + lock file, `go.mod` + `go.sum`…):
    /// copy those first, install, and copy the rest of the context afterwards.
    ///
    /// Detected installs: pip/`python -m pip` `install -r <file>`, `uv sync`, `uv pip install -r`,
    /// `poetry install`, `pipenv install`/`sync`, `pdm install`, `npm ci`, `npm install` (without
    /// package names), `yarn`/`yarn install`, `pnpm install`, `bun install`, `go mod download`,
    /// `cargo fetch`, `bundle install`, `composer install`, `mvn dependency:go-offline`.
    /// Installs that need the sources (`pip install .`, `cargo build`) are not flagged, nor are
    /// partial copies (`COPY src/ ./src/`): only copies of the whole context are.
    ///
    /// ```dockerfile invalid
    /// FROM python:3.12-slim
    /// WORKDIR /app
    /// COPY . .
    /// RUN pip install --no-cache-dir -r requirements.txt
    /// CMD ["python", "app.py"]
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM python:3.12-slim
    /// WORKDIR /app
    /// COPY requirements.txt .
    /// RUN pip install --no-cache-dir -r requirements.txt
    /// COPY . .
    /// CMD ["python", "app.py"]
    /// ```
    ///
    /// **Fix:** `COPY` the manifest files named in the message, run the install, then
    /// `COPY . .`.
    pub MisorderedCopy {
        code: "DFL300",
        name: "misordered-copy",
        severity: Warning,
        default: true,
        fix: None,
        equivalents: [],
        scope: Stage,
        cites_lines: true,
    }
}

/// A whole-context `COPY`/`ADD`: every source is `.` or `./`, no `--from`.
fn whole_context_copy(ins: &Instruction) -> Option<&crate::syntax::Word> {
    if !matches!(ins.keyword, Keyword::Copy | Keyword::Add)
        || ins.flag("from").is_some()
        || !ins.heredocs.is_empty()
    {
        return None;
    }
    let (sources, _) = ins.copy_sources_and_dest();
    if sources.is_empty() || !sources.iter().all(|s| s.text == "." || s.text == "./") {
        return None;
    }
    sources.first()
}

/// A dependency install that only needs manifest files: (what runs, the manifests).
pub(crate) fn dependency_install(cmd: &Command) -> Option<(String, Vec<String>)> {
    let name = cmd.program_name();
    let args = cmd.program_args();
    let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    if let Some(pargs) = pip_args(cmd) {
        let call = Call::parse(pargs, PIP_VALUE_OPTS, true);
        if !call.sub_is(&["install"]) || !call.operands.is_empty() {
            return None;
        }
        let reqs: Vec<String> = Call::value_of(pargs, &["-r", "--requirement"])
            .iter()
            .map(|w| {
                w.text
                    .strip_prefix("--requirement=")
                    .unwrap_or(&w.text)
                    .to_string()
            })
            .collect();
        if reqs.is_empty() {
            return None;
        }
        return Some((format!("pip install -r {}", reqs.join(" -r ")), reqs));
    }
    let call = Call::parse(args, &[], true);
    let sub = call.sub.map(|s| s.text.as_str()).unwrap_or("");
    let no_packages = call.operands.is_empty();
    let found = match (name, sub) {
        ("uv", "sync") => v(&["pyproject.toml", "uv.lock"]),
        ("uv", "pip") => {
            let reqs: Vec<String> = Call::value_of(args, &["-r", "--requirement"])
                .iter()
                .map(|w| w.text.to_string())
                .collect();
            if reqs.is_empty() || call.operands.first().is_none_or(|o| o.text != "install") {
                return None;
            }
            return Some((format!("uv pip install -r {}", reqs.join(" -r ")), reqs));
        }
        ("poetry", "install") => v(&["pyproject.toml", "poetry.lock"]),
        ("pipenv", "install" | "sync") if no_packages => v(&["Pipfile", "Pipfile.lock"]),
        ("pdm", "install" | "sync") => v(&["pyproject.toml", "pdm.lock"]),
        ("npm", "ci") => v(&["package.json", "package-lock.json"]),
        ("npm", "install" | "i") if no_packages => v(&["package.json", "package-lock.json"]),
        ("yarn", "" | "install") => v(&["package.json", "yarn.lock"]),
        ("pnpm", "install" | "i") if no_packages => v(&["package.json", "pnpm-lock.yaml"]),
        ("bun", "install" | "i") if no_packages => v(&["package.json", "bun.lockb"]),
        ("go", "mod") if call.operands.first().is_some_and(|o| o.text == "download") => {
            return Some(("go mod download".into(), v(&["go.mod", "go.sum"])));
        }
        ("cargo", "fetch") => v(&["Cargo.toml", "Cargo.lock"]),
        ("bundle", "install") => v(&["Gemfile", "Gemfile.lock"]),
        ("composer", "install") => v(&["composer.json", "composer.lock"]),
        ("mvn" | "mvnw" | "./mvnw", s) if s.starts_with("dependency:") => v(&["pom.xml"]),
        _ => return None,
    };
    let shown = if sub.is_empty() {
        name.to_string()
    } else {
        format!("{name} {sub}")
    };
    Some((shown, found))
}

/// One whole-context copy followed, in the same stage, by a dependency install that only
/// needs manifests. Shared by the rule and the `dependency-first` rewrite.
pub(crate) struct Misordered {
    /// Instruction indices.
    pub copy: usize,
    pub install: usize,
    /// The source word of the context copy (`.`).
    pub source: crate::syntax::TextRange,
    pub what: String,
    pub manifests: Vec<String>,
}

pub(crate) fn find(
    file: &crate::syntax::Dockerfile,
    index: &crate::syntax::shell::ShellIndex,
) -> Vec<Misordered> {
    let mut out = Vec::new();
    for stage in &file.stages {
        let mut pending: Option<(&Instruction, &crate::syntax::Word)> = None;
        for ins in file.stage_instructions(stage) {
            if let Some(src) = whole_context_copy(ins) {
                if pending.is_none() {
                    pending = Some((ins, src));
                }
                continue;
            }
            let Some((copy, src)) = pending else { continue };
            if ins.keyword != Keyword::Run {
                continue;
            }
            let Some(run) = index.run(ins.index) else {
                continue;
            };
            let install = run
                .script
                .commands
                .iter()
                .filter(|c| !c.in_function)
                .find_map(dependency_install);
            if let Some((what, manifests)) = install {
                out.push(Misordered {
                    copy: copy.index,
                    install: ins.index,
                    source: src.range,
                    what,
                    manifests,
                });
                pending = None;
            }
        }
    }
    out
}

impl Check for MisorderedCopy {
    fn check(&self, cx: &mut Context<'_>) {
        let index = cx.shell();
        let file = cx.file;
        for m in find(file, &index) {
            let copy = &file.instructions[m.copy];
            let ins = &file.instructions[m.install];
            let what = &m.what;
            let copy_text = format!("{} {}", copy.keyword_text, copy.args_text());
            cx.report(
                m.source,
                format!(
                    "'{copy_text}' copies the whole build context before '{what}' \
                     (line {}), so any source change re-runs the install; COPY {} \
                     first, run '{what}', then copy the rest",
                    line_of(file, ins.range.start),
                    m.manifests.join(" and "),
                ),
            );
        }
    }
}
