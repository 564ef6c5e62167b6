//! Helpers shared by the `RUN` shell rules (DFL3xx/DFL45x): reading package-manager
//! command lines out of [`crate::syntax::shell::Command`]s, cache mounts, stage `ENV`.

use crate::syntax::shell::{base_name, Command, RunScript, ShellWord};
use crate::syntax::{Dockerfile, Instruction, Keyword};

/// A package-manager call split into options, subcommand and operands.
#[derive(Debug)]
pub struct Call<'a> {
    /// The subcommand (`install`), when the tool has one.
    pub sub: Option<&'a ShellWord>,
    /// Every option word (`-y`, `--no-cache`, `--index-url=x`), before or after the subcommand.
    pub options: Vec<&'a ShellWord>,
    /// Operands after the subcommand (packages), option values excluded.
    pub operands: Vec<&'a ShellWord>,
}

impl<'a> Call<'a> {
    /// Splits `args`; options in `value_opts` consume the next word unless written `--x=v`.
    /// With `has_sub`, the first operand is the subcommand.
    pub fn parse(args: &'a [ShellWord], value_opts: &[&str], has_sub: bool) -> Call<'a> {
        let mut call = Call {
            sub: None,
            options: Vec::new(),
            operands: Vec::new(),
        };
        let mut i = 0;
        let mut end_of_options = false;
        while let Some(w) = args.get(i) {
            let t = w.text.as_str();
            if !end_of_options && t == "--" {
                end_of_options = true;
            } else if !end_of_options && t.starts_with('-') && t.len() > 1 && w.is_static {
                call.options.push(w);
                if value_opts.contains(&t) {
                    i += 1;
                }
            } else if has_sub && call.sub.is_none() {
                call.sub = Some(w);
            } else {
                call.operands.push(w);
            }
            i += 1;
        }
        call
    }

    pub fn sub_is(&self, names: &[&str]) -> bool {
        self.sub.is_some_and(|s| names.contains(&s.text.as_str()))
    }

    /// True when a long option in `long` (also as `--x=v`) or a short letter in `short`
    /// (also inside a cluster such as `-qy`) is present.
    pub fn has(&self, long: &[&str], short: &[char]) -> bool {
        self.options.iter().any(|o| {
            let t = o.text.as_str();
            if let Some(l) = t.strip_prefix("--") {
                let name = l.split('=').next().unwrap_or(l);
                long.iter().any(|x| x.trim_start_matches('-') == name)
            } else if let Some(cluster) = t.strip_prefix('-') {
                cluster
                    .split('=')
                    .next()
                    .unwrap_or("")
                    .chars()
                    .any(|c| short.contains(&c))
            } else {
                false
            }
        })
    }

    /// The value of an option (`--x=v`, `--x v`, `-xv` is not handled) among `args`.
    pub fn value_of(args: &'a [ShellWord], names: &[&str]) -> Vec<&'a ShellWord> {
        let mut out = Vec::new();
        let mut i = 0;
        while let Some(w) = args.get(i) {
            let t = w.text.as_str();
            if names.contains(&t) {
                if let Some(v) = args.get(i + 1) {
                    out.push(v);
                }
                i += 1;
            } else if let Some((k, _)) = t.split_once('=') {
                if names.contains(&k) {
                    out.push(w);
                }
            }
            i += 1;
        }
        out
    }
}

/// The arguments after `pip` for `pip`, `pip3`, `pip3.12`, `python -m pip`, `python3 -m pip`.
pub fn pip_args(cmd: &Command) -> Option<&[ShellWord]> {
    let name = cmd.program_name();
    let args = cmd.program_args();
    if is_pip(name) {
        return Some(args);
    }
    if name.starts_with("python") {
        let m = args.iter().position(|a| a.text == "-m")?;
        if args.get(m + 1).is_some_and(|a| is_pip(&a.text)) {
            return args.get(m + 2..);
        }
    }
    None
}

fn is_pip(name: &str) -> bool {
    name == "pip"
        || name
            .strip_prefix("pip")
            .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// True when `w` is a path or URL rather than a package name.
pub fn is_path_or_url(t: &str) -> bool {
    t.starts_with('.')
        || t.starts_with('/')
        || t.starts_with('~')
        || t.contains("://")
        || t.starts_with("git+")
        || t.starts_with("file:")
}

/// The `--mount=type=cache` targets of a RUN.
pub fn cache_mount_targets(ins: &Instruction) -> Vec<String> {
    ins.flags_named("mount")
        .filter_map(|f| {
            let kv = f.key_values();
            let is_cache = kv
                .iter()
                .any(|(k, v)| k == "type" && v.as_deref() == Some("cache"));
            if !is_cache {
                return None;
            }
            kv.into_iter()
                .find(|(k, _)| k == "target" || k == "dst" || k == "destination")
                .and_then(|(_, v)| v)
        })
        .map(|t| t.trim_end_matches('/').to_string())
        .collect()
}

/// True when a cache mount of the RUN covers `dir` (the mount target is `dir` or a parent).
pub fn has_cache_mount(ins: &Instruction, dirs: &[&str]) -> bool {
    cache_mount_targets(ins).iter().any(|t| {
        dirs.iter().any(|d| {
            let d = d.trim_end_matches('/');
            d == t || d.starts_with(&format!("{t}/"))
        })
    })
}

/// The value of `ENV key` set in the stage of `ins` before it (or `ARG key=value`).
pub fn stage_env(file: &Dockerfile, ins: &Instruction, key: &str) -> Option<String> {
    let stage = file.stages.get(ins.stage?)?;
    file.stage_instructions(stage)
        .iter()
        .take_while(|i| i.index < ins.index)
        .filter(|i| matches!(i.keyword, Keyword::Env | Keyword::Arg))
        .flat_map(|i| i.pairs.iter())
        .filter(|p| p.key == key)
        .filter_map(|p| p.value.clone())
        .last()
}

/// True when the command is prefixed by `key=…` or the stage sets `ENV key`.
pub fn env_or_prefix(file: &Dockerfile, ins: &Instruction, cmd: &Command, key: &str) -> bool {
    cmd.assignments
        .iter()
        .any(|a| a.text.split('=').next() == Some(key))
        || stage_env(file, ins, key).is_some()
}

/// The instruction of a RUN analysis.
pub fn instruction<'f>(file: &'f Dockerfile, run: &RunScript) -> Option<&'f Instruction> {
    file.instructions.get(run.instruction)
}

/// True when any command of the script is `rm` with an argument starting with one of
/// `prefixes` (`rm -rf /var/lib/apt/lists/*`).
pub fn removes(run: &RunScript, prefixes: &[&str]) -> bool {
    run.script.commands.iter().any(|c| {
        base_name(c.program_name()) == "rm"
            && c.program_args().iter().any(|a| {
                prefixes.iter().any(|p| {
                    a.text
                        .trim_end_matches('/')
                        .starts_with(p.trim_end_matches('/'))
                })
            })
    })
}

/// Stages whose layers end up in the image built by default: the last stage and the stages it
/// is built `FROM` (by name), transitively. Indexed by stage index.
pub fn shipped_stages(file: &Dockerfile) -> Vec<bool> {
    let n = file.stages.len();
    let mut out = vec![false; n];
    let Some(mut cur) = n.checked_sub(1) else {
        return out;
    };
    while let Some(slot) = out.get_mut(cur) {
        if *slot {
            break;
        }
        *slot = true;
        let Some(stage) = file.stages.get(cur) else {
            break;
        };
        let parent = file.stages.iter().take(cur).rposition(|s| {
            s.name()
                .is_some_and(|name| name.eq_ignore_ascii_case(&stage.image.text))
        });
        match parent {
            Some(p) => cur = p,
            None => break,
        }
    }
    out
}

/// The RUN analyses of the stages that reach the final image (see [`shipped_stages`]), with
/// their instructions.
pub fn shipped_runs<'f>(
    file: &'f Dockerfile,
    index: &'f crate::syntax::shell::ShellIndex,
) -> impl Iterator<Item = (&'f RunScript, &'f Instruction)> + 'f {
    let shipped = shipped_stages(file);
    index
        .runs
        .iter()
        .filter(move |run| is_shipped(&shipped, run))
        .filter_map(move |run| instruction(file, run).map(|ins| (run, ins)))
}

/// True when the RUN's stage reaches the final image (see [`shipped_stages`]).
pub fn is_shipped(shipped: &[bool], run: &RunScript) -> bool {
    run.stage
        .and_then(|s| shipped.get(s).copied())
        .unwrap_or(false)
}

/// One-based line number of a byte offset, for messages.
pub fn line_of(file: &Dockerfile, offset: usize) -> usize {
    file.lines.line_col(offset).0 + 1
}

/// Value options of apt-get/apt.
pub const APT_VALUE_OPTS: &[&str] = &[
    "-o",
    "--option",
    "-c",
    "--config-file",
    "-t",
    "--target-release",
    "--default-release",
    "-a",
    "--host-architecture",
    "-P",
    "--build-profiles",
];

/// Value options of apk.
pub const APK_VALUE_OPTS: &[&str] = &[
    "-X",
    "--repository",
    "-t",
    "--virtual",
    "-p",
    "--root",
    "--arch",
    "--keys-dir",
    "--repositories-file",
    "--cache-dir",
    "--cache-max-age",
    "--progress-fd",
    "--timeout",
];

/// Value options of `pip install`.
pub const PIP_VALUE_OPTS: &[&str] = &[
    "-r",
    "--requirement",
    "-c",
    "--constraint",
    "-e",
    "--editable",
    "-i",
    "--index-url",
    "--extra-index-url",
    "-f",
    "--find-links",
    "-t",
    "--target",
    "--prefix",
    "--root",
    "--src",
    "--trusted-host",
    "--platform",
    "--python-version",
    "--implementation",
    "--abi",
    "--global-option",
    "--install-option",
    "-C",
    "--config-settings",
    "--progress-bar",
    "--cache-dir",
    "--log",
    "--proxy",
    "--retries",
    "--timeout",
    "--exists-action",
    "--cert",
    "--client-cert",
    "--report",
    "--upgrade-strategy",
    "--only-binary",
    "--no-binary",
    "--python",
    "--group",
];

/// Value options of yum/dnf/microdnf.
pub const RPM_VALUE_OPTS: &[&str] = &[
    "-c",
    "--config",
    "--installroot",
    "--releasever",
    "--enablerepo",
    "--disablerepo",
    "--repo",
    "--repoid",
    "-x",
    "--exclude",
    "--setopt",
    "-d",
    "--debuglevel",
    "-e",
    "--errorlevel",
    "--rpmverbosity",
    "--forcearch",
    "--nodocs",
    "--setopt",
    "--disableplugin",
    "--enableplugin",
    "--downloaddir",
    "--destdir",
];

/// Value options of zypper (global and install).
pub const ZYPPER_VALUE_OPTS: &[&str] = &[
    "-r",
    "--repo",
    "-t",
    "--type",
    "-R",
    "--root",
    "--from",
    "-D",
    "--reposd-dir",
    "-C",
    "--cache-dir",
    "--installroot",
];

/// Reports the unpinned packages of one install command as one finding, as hadolint reports
/// one per instruction, but naming them. One package: on the package, with its pin syntax.
/// Several: on the command (`apt-get install`), listing the first few — one squiggle per
/// command instead of one per line of a long package list. `unpinned` tells which operands
/// lack a version; `pin` writes the pinned form of a name (`curl` → `curl=<version>`); `tool`
/// is the name in messages (`pip` for `python -m pip`).
pub fn report_unpinned(
    cx: &mut super::Context<'_>,
    cmd: &Command,
    tool: &str,
    call: &Call<'_>,
    unpinned: impl Fn(&ShellWord) -> bool,
    pin: impl Fn(&str) -> String,
) {
    const SHOWN: usize = 4;
    let unpinned: Vec<&ShellWord> = call
        .operands
        .iter()
        .copied()
        .filter(|p| unpinned(p))
        .collect();
    let sub = call.sub.map(|s| s.text.as_str()).unwrap_or("install");
    match unpinned.as_slice() {
        [] => {}
        [one] => {
            let t = one.text.as_str();
            cx.report(
                one.range,
                format!("Pin the version of '{t}' in {tool} {sub} ('{}')", pin(t)),
            );
        }
        many => {
            let program = cmd.program().0.range;
            let end = call
                .sub
                .map_or(program.end, |s| s.range.end.max(program.end));
            let mut names: Vec<String> = many
                .iter()
                .take(SHOWN)
                .map(|w| format!("'{}'", w.text))
                .collect();
            if many.len() > SHOWN {
                names.push(format!("and {} more", many.len() - SHOWN));
            }
            cx.report(
                crate::syntax::TextRange::new(program.start, end),
                format!(
                    "Pin the versions of {} packages in {tool} {sub}: {} ('{}')",
                    many.len(),
                    names.join(", "),
                    pin("package")
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::shell::ShellIndex;

    #[test]
    fn call_parsing() {
        let t = "FROM a\nRUN apt-get -o Dpkg::Options::=x install -qy --no-install-recommends curl=1 git\n";
        let df = crate::syntax::parse(t);
        let idx = ShellIndex::build(&df, t);
        let cmd = &idx.runs[0].script.commands[0];
        let call = Call::parse(cmd.program_args(), APT_VALUE_OPTS, true);
        assert_eq!(call.sub.unwrap().text, "install");
        assert!(call.has(&["--yes"], &['y']));
        assert!(call.has(&["--no-install-recommends"], &[]));
        assert_eq!(call.operands.len(), 2);
    }

    #[test]
    fn shipped_follows_from_chain() {
        let t = "FROM a AS base\nFROM b AS build\nFROM base AS final\nFROM final\n";
        let df = crate::syntax::parse(t);
        assert_eq!(shipped_stages(&df), vec![true, false, true, true]);
    }

    #[test]
    fn pip_through_python() {
        let t = "FROM a\nRUN python3 -m pip install x\n";
        let df = crate::syntax::parse(t);
        let idx = ShellIndex::build(&df, t);
        let cmd = &idx.runs[0].script.commands[0];
        assert_eq!(pip_args(cmd).unwrap()[0].text, "install");
    }
}
