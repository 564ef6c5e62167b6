//! The instruction set and the flags each instruction accepts (BuildKit's current set).

use serde::Serialize;

/// A Dockerfile instruction keyword. `Unknown` keeps what was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Keyword {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
    Unknown,
}

/// All instruction names, upper-case, sorted.
pub const INSTRUCTIONS: &[(&str, Keyword)] = &[
    ("ADD", Keyword::Add),
    ("ARG", Keyword::Arg),
    ("CMD", Keyword::Cmd),
    ("COPY", Keyword::Copy),
    ("ENTRYPOINT", Keyword::Entrypoint),
    ("ENV", Keyword::Env),
    ("EXPOSE", Keyword::Expose),
    ("FROM", Keyword::From),
    ("HEALTHCHECK", Keyword::Healthcheck),
    ("LABEL", Keyword::Label),
    ("MAINTAINER", Keyword::Maintainer),
    ("ONBUILD", Keyword::Onbuild),
    ("RUN", Keyword::Run),
    ("SHELL", Keyword::Shell),
    ("STOPSIGNAL", Keyword::Stopsignal),
    ("USER", Keyword::User),
    ("VOLUME", Keyword::Volume),
    ("WORKDIR", Keyword::Workdir),
];

/// The upper-case instruction names.
pub fn instruction_names() -> impl Iterator<Item = &'static str> {
    INSTRUCTIONS.iter().map(|(n, _)| *n)
}

impl Keyword {
    /// Case-insensitive lookup.
    pub fn parse(word: &str) -> Keyword {
        INSTRUCTIONS
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(word))
            .map(|(_, k)| *k)
            .unwrap_or(Keyword::Unknown)
    }

    pub fn as_str(self) -> &'static str {
        INSTRUCTIONS
            .iter()
            .find(|(_, k)| *k == self)
            .map(|(n, _)| *n)
            .unwrap_or("UNKNOWN")
    }

    /// Instructions whose arguments BuildKit expands `$VAR` in (the shell does it for the others).
    pub fn expands_variables(self) -> bool {
        matches!(
            self,
            Keyword::Add
                | Keyword::Arg
                | Keyword::Copy
                | Keyword::Env
                | Keyword::Expose
                | Keyword::From
                | Keyword::Label
                | Keyword::Stopsignal
                | Keyword::User
                | Keyword::Volume
                | Keyword::Workdir
        )
    }

    /// Instructions that may carry heredocs.
    pub fn allows_heredoc(self) -> bool {
        matches!(self, Keyword::Run | Keyword::Copy | Keyword::Add)
    }

    /// Instructions whose argument may be a JSON array (exec form) or a shell command.
    pub fn has_exec_form(self) -> bool {
        matches!(
            self,
            Keyword::Run | Keyword::Cmd | Keyword::Entrypoint | Keyword::Shell
        )
    }
}

/// A flag an instruction accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlagSpec {
    pub name: &'static str,
    /// Boolean flags (`--link`) need no value; `--link=false` is accepted too.
    pub boolean: bool,
    /// Short documentation shown in completion and hover.
    pub doc: &'static str,
}

const fn f(name: &'static str, boolean: bool, doc: &'static str) -> FlagSpec {
    FlagSpec { name, boolean, doc }
}

const FROM_FLAGS: &[FlagSpec] = &[f(
    "platform",
    false,
    "Platform of the base image, e.g. `linux/amd64` or `$BUILDPLATFORM` for cross-compilation stages.",
)];

const RUN_FLAGS: &[FlagSpec] = &[
    f(
        "mount",
        false,
        "Mount a filesystem for this command only: `type=cache|bind|secret|ssh|tmpfs` with its keys.",
    ),
    f(
        "network",
        false,
        "Network for this command: `default`, `none` (no network) or `host`.",
    ),
    f(
        "security",
        false,
        "`insecure` runs the command without the sandbox (needs the `security.insecure` entitlement); `sandbox` is the default.",
    ),
    f(
        "device",
        false,
        "Make a CDI device available to the command (labs channel).",
    ),
];

const COPY_FLAGS: &[FlagSpec] = &[
    f(
        "from",
        false,
        "Copy from an earlier stage (name or index), an image, or a named build context instead of the build context.",
    ),
    f(
        "chown",
        false,
        "Owner of the copied files: `user`, `user:group`, or numeric `uid:gid`.",
    ),
    f(
        "chmod",
        false,
        "Permissions of the copied files: octal (`0755`) or symbolic (`u+x`).",
    ),
    f(
        "link",
        true,
        "Copy into an independent layer, so the layer is reused when earlier layers change.",
    ),
    f(
        "parents",
        true,
        "Keep the parent directories of the sources (`COPY --parents ./a/b/c /dst` creates `/dst/a/b/c`).",
    ),
    f(
        "exclude",
        false,
        "Exclude paths matching a pattern from the copy; may be repeated.",
    ),
];

const ADD_FLAGS: &[FlagSpec] = &[
    f(
        "chown",
        false,
        "Owner of the added files: `user`, `user:group`, or numeric `uid:gid`.",
    ),
    f(
        "chmod",
        false,
        "Permissions of the added files: octal (`0755`) or symbolic (`u+x`).",
    ),
    f(
        "link",
        true,
        "Add into an independent layer, so the layer is reused when earlier layers change.",
    ),
    f(
        "checksum",
        false,
        "Verify a remote source: `sha256:<hex>` for URLs, a commit for Git sources.",
    ),
    f(
        "keep-git-dir",
        true,
        "Keep the `.git` directory when adding a Git repository.",
    ),
    f(
        "exclude",
        false,
        "Exclude paths matching a pattern from the copy; may be repeated.",
    ),
    f(
        "unpack",
        true,
        "Whether to extract a local or remote archive (`--unpack=false` keeps the archive as a file).",
    ),
];

const HEALTHCHECK_FLAGS: &[FlagSpec] = &[
    f("interval", false, "Time between checks (default `30s`)."),
    f(
        "timeout",
        false,
        "Time after which a check is considered failed (default `30s`).",
    ),
    f(
        "start-period",
        false,
        "Grace period during which failures do not count (default `0s`).",
    ),
    f(
        "start-interval",
        false,
        "Time between checks during the start period (default `5s`).",
    ),
    f(
        "retries",
        false,
        "Consecutive failures before the container is unhealthy (default `3`).",
    ),
];

/// The flags `keyword` accepts.
pub fn flag_spec(keyword: Keyword) -> &'static [FlagSpec] {
    match keyword {
        Keyword::From => FROM_FLAGS,
        Keyword::Run => RUN_FLAGS,
        Keyword::Copy => COPY_FLAGS,
        Keyword::Add => ADD_FLAGS,
        Keyword::Healthcheck => HEALTHCHECK_FLAGS,
        _ => &[],
    }
}
