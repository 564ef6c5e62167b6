//! Documentation of every Dockerfile instruction, written for this project.

use crate::syntax::{flag_spec, Keyword, INSTRUCTIONS};

/// What we show for an instruction in completion and hover.
#[derive(Clone, Copy, Debug)]
pub struct InstructionDoc {
    pub keyword: Keyword,
    /// One sentence.
    pub summary: &'static str,
    /// The accepted spellings, one per line.
    pub forms: &'static [&'static str],
    /// An LSP-style snippet (`${1:placeholder}`), the keyword included.
    pub snippet: &'static str,
    /// Longer markdown explanation.
    pub doc: &'static str,
}

const fn d(
    keyword: Keyword,
    summary: &'static str,
    forms: &'static [&'static str],
    snippet: &'static str,
    doc: &'static str,
) -> InstructionDoc {
    InstructionDoc {
        keyword,
        summary,
        forms,
        snippet,
        doc,
    }
}

/// One entry per instruction in [`INSTRUCTIONS`], same order.
pub static INSTRUCTION_DOCS: &[InstructionDoc] = &[
    d(
        Keyword::Add,
        "Adds files from the build context, a URL or a Git repository to the image.",
        &[
            "ADD [--chown=<user>:<group>] [--chmod=<perms>] [--link] [--checksum=<hash>] <src>... <dest>",
            "ADD [\"<src>\", ... \"<dest>\"]",
        ],
        "ADD ${1:src} ${2:dest}",
        "Like `COPY`, but a source may also be an `http(s)://` URL or a Git repository, and a \
local tar archive is unpacked into the destination. Because of these extra behaviours, \
prefer `COPY` for plain files and use `ADD` deliberately for remote sources (with \
`--checksum`) or archives.",
    ),
    d(
        Keyword::Arg,
        "Declares a build argument, optionally with a default value.",
        &["ARG <name>[=<default>] ..."],
        "ARG ${1:NAME}=${2:value}",
        "Build arguments are set with `docker build --build-arg NAME=value`. An `ARG` before the \
first `FROM` is global and usable in `FROM` lines; to use it inside a stage, declare it \
again there (`ARG NAME` without a value inherits the global default). Values are visible \
in the image history: never pass secrets as build arguments, use `RUN --mount=type=secret`.",
    ),
    d(
        Keyword::Cmd,
        "Sets the default command (or default arguments of the entrypoint) of the container.",
        &[
            "CMD [\"executable\", \"arg\", ...]",
            "CMD [\"arg\", ...]   (arguments for ENTRYPOINT)",
            "CMD command arg ...",
        ],
        "CMD [\"${1:executable}\"${2:, \"${3:arg}\"}]",
        "Only the last `CMD` of the final stage counts; `docker run <image> args…` replaces it. \
Prefer the exec (JSON) form: the shell form runs under `/bin/sh -c`, so the process does not \
receive signals such as `SIGTERM` directly.",
    ),
    d(
        Keyword::Copy,
        "Copies files from the build context, another stage or an image into the image.",
        &[
            "COPY [--from=<stage|image>] [--chown=<user>:<group>] [--chmod=<perms>] [--link] [--parents] [--exclude=<pattern>] <src>... <dest>",
            "COPY [\"<src>\", ... \"<dest>\"]",
            "COPY <<EOF <dest>",
        ],
        "COPY ${1:src} ${2:dest}",
        "Sources are relative to the build context (filtered by `.dockerignore`) unless `--from` \
names a stage, an image or a named context. A destination ending in `/` is a directory. \
Copy dependency manifests first and the rest of the sources later so that dependency \
layers stay cached.",
    ),
    d(
        Keyword::Entrypoint,
        "Sets the executable the container runs; `CMD` supplies its default arguments.",
        &[
            "ENTRYPOINT [\"executable\", \"arg\", ...]",
            "ENTRYPOINT command arg ...",
        ],
        "ENTRYPOINT [\"${1:executable}\"${2:, \"${3:arg}\"}]",
        "Use the exec (JSON) form so the process is PID 1 and receives signals. The shell form \
ignores `CMD` and `docker run` arguments. Setting `ENTRYPOINT` resets a `CMD` inherited from \
the base image.",
    ),
    d(
        Keyword::Env,
        "Sets environment variables for the rest of the stage and the running container.",
        &["ENV <key>=<value> ...", "ENV <key> <value>   (legacy, one variable)"],
        "ENV ${1:KEY}=${2:value}",
        "Variables persist in the image and in stages built `FROM` this one. Values are \
expanded (`$VAR`, `${VAR:-default}`) when the instruction runs. Use `ARG` for values needed \
only during the build, and never put secrets in `ENV`.",
    ),
    d(
        Keyword::Expose,
        "Documents the ports the container listens on.",
        &["EXPOSE <port>[/<tcp|udp>] ..."],
        "EXPOSE ${1:8080}",
        "`EXPOSE` publishes nothing by itself: it is metadata used by `docker run -P` and tools. \
The protocol defaults to `tcp`.",
    ),
    d(
        Keyword::From,
        "Starts a build stage from a base image or an earlier stage.",
        &["FROM [--platform=<platform>] <image>[:<tag>][@<digest>] [AS <name>]"],
        "FROM ${1:image}:${2:tag} AS ${3:name}",
        "Every stage starts with `FROM`. `AS name` lets later `FROM` and `COPY --from` refer to \
the stage. Pin the tag (and ideally the digest) for reproducible builds; `scratch` is an \
empty image. Only `ARG`s declared before the first `FROM` can be used in `FROM` lines.",
    ),
    d(
        Keyword::Healthcheck,
        "Tells the engine how to test that the container still works.",
        &["HEALTHCHECK [--interval=…] [--timeout=…] [--start-period=…] [--start-interval=…] [--retries=…] CMD <command>", "HEALTHCHECK NONE"],
        "HEALTHCHECK --interval=${1:30s} --timeout=${2:5s} CMD ${3:curl -f http://localhost/ || exit 1}",
        "The command's exit status decides: `0` healthy, `1` unhealthy. Only the last \
`HEALTHCHECK` counts; `HEALTHCHECK NONE` disables one inherited from the base image. The \
command runs inside the container, so the tool it uses (curl, wget…) must be installed.",
    ),
    d(
        Keyword::Label,
        "Adds metadata key/value pairs to the image.",
        &["LABEL <key>=<value> ..."],
        "LABEL ${1:org.opencontainers.image.source}=\"${2:value}\"",
        "Prefer the `org.opencontainers.image.*` keys (source, version, revision, licenses…). \
Labels are inherited from the base image and can be overridden.",
    ),
    d(
        Keyword::Maintainer,
        "Deprecated: records the image author.",
        &["MAINTAINER <name>"],
        "MAINTAINER ${1:name}",
        "Deprecated. Use `LABEL org.opencontainers.image.authors=\"name <email>\"` instead.",
    ),
    d(
        Keyword::Onbuild,
        "Registers an instruction to run when another image is built FROM this one.",
        &["ONBUILD <INSTRUCTION> <arguments>"],
        "ONBUILD ${1:RUN} ${2:command}",
        "The trigger does nothing in this build; it runs right after the `FROM` of a downstream \
build. `FROM`, `MAINTAINER` and `ONBUILD` cannot be triggers. Triggers surprise the users \
of an image, so use them sparingly.",
    ),
    d(
        Keyword::Run,
        "Runs a command in a new layer on top of the current image.",
        &[
            "RUN [--mount=…] [--network=…] [--security=…] <command>",
            "RUN [\"executable\", \"arg\", ...]",
            "RUN <<EOF\n…\nEOF",
        ],
        "RUN ${1:command}",
        "The shell form runs with the stage's `SHELL` (`/bin/sh -c` by default). Chain related \
commands with `&&` (or use a heredoc) and clean package caches in the same `RUN`, otherwise \
they stay in the layer. `--mount=type=cache` keeps package caches between builds without \
putting them in the image; `--mount=type=secret` exposes a secret for this command only.",
    ),
    d(
        Keyword::Shell,
        "Changes the shell used by the shell form of later RUN, CMD and ENTRYPOINT.",
        &["SHELL [\"executable\", \"parameters\"]"],
        "SHELL [\"${1:/bin/bash}\", \"${2:-o}\", \"${3:pipefail}\", \"${4:-c}\"]",
        "Must be in JSON form. A common use is `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` \
so that a failing command in a pipe fails the build; on Windows, switching to PowerShell.",
    ),
    d(
        Keyword::Stopsignal,
        "Sets the signal sent to the container to stop it.",
        &["STOPSIGNAL <signal>"],
        "STOPSIGNAL ${1:SIGTERM}",
        "A name (`SIGTERM`, `SIGQUIT`, `SIGINT`) or a number. The default is `SIGTERM`; some \
servers (nginx) shut down gracefully on `SIGQUIT`.",
    ),
    d(
        Keyword::User,
        "Sets the user (and group) for the rest of the stage and the container.",
        &["USER <user>[:<group>]", "USER <uid>[:<gid>]"],
        "USER ${1:1000}:${2:1000}",
        "Later `RUN`, `CMD` and `ENTRYPOINT` run as this user. Running as root in production is a \
risk: create an unprivileged user and switch to it near the end. A numeric UID works even \
when the name is unknown and lets orchestrators verify `runAsNonRoot`.",
    ),
    d(
        Keyword::Volume,
        "Declares mount points whose content lives outside the image layers.",
        &["VOLUME [\"/path\", ...]", "VOLUME /path ..."],
        "VOLUME [\"${1:/data}\"]",
        "Changes made to a volume path by later build steps are discarded. An anonymous volume \
is created for each run unless one is mounted.",
    ),
    d(
        Keyword::Workdir,
        "Sets the working directory for the following instructions and the container.",
        &["WORKDIR /path"],
        "WORKDIR ${1:/app}",
        "Creates the directory if needed. Use absolute paths (a relative one is resolved \
against the previous `WORKDIR`), and prefer `WORKDIR` to `RUN cd … &&`.",
    ),
];

/// The documentation of `keyword`.
pub fn instruction_doc(keyword: Keyword) -> Option<&'static InstructionDoc> {
    INSTRUCTION_DOCS.iter().find(|d| d.keyword == keyword)
}

/// Markdown for hover and completion: title, forms, explanation and flags.
pub fn instruction_markdown(keyword: Keyword) -> Option<String> {
    let doc = instruction_doc(keyword)?;
    let mut out = format!(
        "**{}** — {}\n\n```dockerfile\n",
        keyword.as_str(),
        doc.summary
    );
    for f in doc.forms {
        out.push_str(f);
        out.push('\n');
    }
    out.push_str("```\n\n");
    out.push_str(doc.doc);
    let flags = flag_spec(keyword);
    if !flags.is_empty() {
        out.push_str("\n\nFlags:\n");
        for f in flags {
            out.push_str(&format!("- `--{}`: {}\n", f.name, f.doc));
        }
    }
    Some(out)
}

/// True when every instruction has documentation (checked by a test).
pub fn all_documented() -> bool {
    INSTRUCTIONS
        .iter()
        .all(|(_, k)| instruction_doc(*k).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_instruction_has_docs_and_a_snippet() {
        assert!(all_documented());
        for (name, k) in INSTRUCTIONS {
            let d = instruction_doc(*k).unwrap();
            assert!(d.snippet.starts_with(name), "{name} snippet");
            assert!(!d.summary.is_empty() && !d.forms.is_empty());
            assert!(instruction_markdown(*k).unwrap().contains(name));
        }
        assert_eq!(INSTRUCTION_DOCS.len(), INSTRUCTIONS.len());
    }
}
