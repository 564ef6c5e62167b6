use super::shell_support::{
    is_shipped, shipped_stages, Call, APK_VALUE_OPTS, APT_VALUE_OPTS, RPM_VALUE_OPTS,
};
use super::{Check, Context};
use crate::syntax::shell::{Command, RunScript};
use std::collections::HashSet;

crate::declare_rule! {
    /// The final stage installs compilers or development packages.
    ///
    /// `build-essential`, `gcc`, `g++`, `make`, `clang`, `alpine-sdk`, `musl-dev` and `*-dev`/
    /// `*-devel` headers are needed to *build* software, not to run it. In the final stage they
    /// add hundreds of megabytes and a compiler for an attacker to use. A multi-stage build
    /// compiles in a builder stage and copies only the results (`COPY --from=build`) into a
    /// slim final stage.
    ///
    /// Not reported when the same `RUN` removes the packages again (`apt-get purge`,
    /// `apk del`, `dnf remove`, including `apk add --virtual .build-deps …` + `apk del
    /// .build-deps`, a removal of packages named by a variable, or `apt-mark auto` followed by
    /// `apt-get purge --auto-remove`), nor in builder stages (a stage the final stage is built
    /// `FROM` counts as final: its layers ship).
    ///
    /// ```dockerfile invalid
    /// FROM python:3.12-slim
    /// RUN apt-get update && apt-get install -y --no-install-recommends build-essential libpq-dev \
    ///  && rm -rf /var/lib/apt/lists/*
    /// COPY . /app
    /// RUN pip install --no-cache-dir /app
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM python:3.12-slim AS build
    /// RUN apt-get update && apt-get install -y --no-install-recommends build-essential libpq-dev
    /// COPY . /app
    /// RUN pip wheel --no-cache-dir --wheel-dir /wheels /app
    ///
    /// FROM python:3.12-slim
    /// COPY --from=build /wheels /wheels
    /// RUN pip install --no-cache-dir /wheels/*.whl
    /// ```
    ///
    /// **Fix:** move the compilation into a builder stage and copy its output into the final
    /// stage.
    pub BuildToolsInFinalImage {
        code: "DFL450",
        name: "build-tools-in-final-image",
        severity: Info,
        default: true,
        fix: None,
        equivalents: [],
        scope: Stage,
    }
}

fn is_build_tool(p: &str) -> bool {
    let name = p.split(['=', '~', '<', '>']).next().unwrap_or(p);
    matches!(
        name,
        "build-essential"
            | "gcc"
            | "g++"
            | "gcc-c++"
            | "make"
            | "clang"
            | "alpine-sdk"
            | "musl-dev"
            | "build-base"
    ) || name.ends_with("-dev")
        || name.ends_with("-devel")
}

/// (tool kind, packages installed) of an install command.
fn installs(c: &Command) -> Option<Vec<&crate::syntax::shell::ShellWord>> {
    let (values, subs): (&[&str], &[&str]) = match c.program_name() {
        "apt-get" | "apt" => (APT_VALUE_OPTS, &["install"]),
        "apk" => (APK_VALUE_OPTS, &["add"]),
        "yum" | "dnf" | "dnf5" | "microdnf" => (RPM_VALUE_OPTS, &["install"]),
        _ => return None,
    };
    let call = Call::parse(c.program_args(), values, true);
    if !call.sub_is(subs) {
        return None;
    }
    Some(call.operands)
}

/// What a RUN removes again: package names, whether a removal names a variable (anything may
/// be removed), and the `apt-mark auto …; apt-get purge --auto-remove` pattern of the official
/// images. Computed once per RUN.
struct Removals {
    names: HashSet<String>,
    anything: bool,
}

impl Removals {
    fn of(run: &RunScript) -> Removals {
        let cmds = &run.script.commands;
        let apt_mark_auto = cmds.iter().any(|c| {
            c.program_name() == "apt-mark"
                && c.program_args().first().is_some_and(|a| a.text == "auto")
        });
        let auto_remove = cmds.iter().any(|c| {
            matches!(c.program_name(), "apt-get" | "apt")
                && c.program_args()
                    .iter()
                    .any(|a| a.text == "--auto-remove" || a.text == "autoremove")
        });
        let mut r = Removals {
            names: HashSet::new(),
            anything: apt_mark_auto && auto_remove,
        };
        for c in cmds {
            let n = c.program_name();
            let args = c.program_args();
            let sub = args
                .iter()
                .find(|a| !a.text.starts_with('-'))
                .map(|a| a.text.as_str());
            let removes = matches!(
                (n, sub),
                ("apt-get" | "apt", Some("purge" | "remove" | "autoremove"))
                    | ("apk", Some("del"))
                    | (
                        "yum" | "dnf" | "dnf5" | "microdnf",
                        Some("remove" | "erase" | "autoremove")
                    )
            );
            if !removes {
                continue;
            }
            for a in args {
                if a.is_static {
                    r.names.insert(a.text.to_string());
                } else {
                    r.anything = true;
                }
            }
        }
        r
    }

    fn removes(&self, pkg: &str, virtual_name: Option<&str>) -> bool {
        self.anything
            || self.names.contains(pkg)
            || virtual_name.is_some_and(|v| self.names.contains(v))
    }
}

impl Check for BuildToolsInFinalImage {
    fn check(&self, cx: &mut Context<'_>) {
        let index = cx.shell();
        let file = cx.file;
        let shipped = shipped_stages(file);
        let multi = file.stages.len() > 1;
        for run in index.runs.iter().filter(|r| is_shipped(&shipped, r)) {
            let removals = Removals::of(run);
            for c in &run.script.commands {
                let Some(pkgs) = installs(c) else { continue };
                let virtual_name = Call::value_of(c.program_args(), &["-t", "--virtual"])
                    .first()
                    .map(|w| w.text.trim_start_matches("--virtual=").to_string());
                let tools: Vec<_> = pkgs
                    .iter()
                    .filter(|p| p.is_static && is_build_tool(&p.text))
                    .filter(|p| !removals.removes(&p.text, virtual_name.as_deref()))
                    .collect();
                let Some(first) = tools.first() else { continue };
                let names: Vec<&str> = tools.iter().map(|p| p.text.as_str()).collect();
                let advice = if multi {
                    "compile in an earlier stage and COPY --from it"
                } else {
                    "use a multi-stage build: compile in a builder stage and COPY --from it"
                };
                cx.report(
                    first
                        .range
                        .cover(tools.last().map(|t| t.range).unwrap_or(first.range)),
                    format!(
                        "The final stage installs build tools ({}): {advice}",
                        names.join(", ")
                    ),
                );
            }
        }
    }
}
