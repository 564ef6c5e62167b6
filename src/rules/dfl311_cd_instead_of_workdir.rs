use super::{Check, Context};

crate::declare_rule! {
    /// `cd` in a `RUN` to set the directory for later instructions: use `WORKDIR`.
    ///
    /// A `cd` lasts only until the end of its `RUN`. Scripts that `cd` to a project directory
    /// and build there are easier to read and to continue with `WORKDIR /dir`, which also holds
    /// for `COPY`, `CMD` and the following `RUN`s. A `cd` inside a subshell `( cd x && make )`
    /// or a command substitution is not reported (it clearly scopes the change); only the last
    /// `cd` of a `RUN` is considered (earlier ones are undone by it), and not when it returns
    /// (`cd /`, `cd -`, `cd ..`, `cd ~`) or the directory is removed later in the same `RUN`
    /// (a temporary build directory, as in `cd /usr/src/x && make && cd / && rm -rf
    /// /usr/src/x`). hadolint reports every `cd`.
    ///
    /// ```dockerfile invalid
    /// FROM debian:12
    /// RUN cd /usr/src/app && make
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM debian:12
    /// WORKDIR /usr/src/app
    /// RUN make && (cd docs && make html)
    /// ```
    ///
    /// **Fix:** replace `RUN cd /dir && …` with `WORKDIR /dir` and `RUN …`.
    pub CdInsteadOfWorkdir {
        code: "DFL311",
        name: "cd-instead-of-workdir",
        severity: Info,
        default: true,
        fix: None,
        equivalents: ["DL3003"],
        scope: Stage,
    }
}

impl Check for CdInsteadOfWorkdir {
    fn check(&self, cx: &mut Context<'_>) {
        let index = cx.shell();
        for run in &index.runs {
            let cmds = &run.script.commands;
            let top_level = |c: &&crate::syntax::shell::Command| {
                !c.in_subshell && !c.in_substitution && !c.in_function
            };
            let cds: Vec<_> = cmds
                .iter()
                .filter(top_level)
                .filter(|c| c.program_name() == "cd")
                .collect();
            // Only the last cd can be meant for the next instructions; an earlier one is undone.
            let Some(cmd) = cds.last() else { continue };
            let Some(dir) = cmd
                .program_args()
                .iter()
                .find(|a| !a.text.starts_with('-') || a.text == "-")
            else {
                continue;
            };
            let dir = dir.text.as_str();
            if matches!(dir, "-" | "/" | ".." | "~" | "$HOME" | "${HOME}") {
                continue;
            }
            // A directory removed later in the RUN was a temporary build directory.
            let removed = cmds.iter().any(|c| {
                c.range.start > cmd.range.start
                    && c.program_name() == "rm"
                    && c.program_args().iter().any(|a| {
                        let t = a.text.trim_end_matches('/');
                        !t.is_empty()
                            && (dir.trim_end_matches('/') == t || dir.starts_with(&format!("{t}/")))
                    })
            });
            if removed {
                continue;
            }
            cx.report(
                cmd.range,
                format!("Use 'WORKDIR {dir}' instead of 'cd {dir}' to change directory"),
            );
        }
    }
}
