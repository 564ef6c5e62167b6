use super::{Check, Context};

crate::declare_rule! {
    /// `cd` in a `RUN` to set the directory for later instructions: use `WORKDIR`.
    ///
    /// A `cd` lasts only until the end of its `RUN`. Scripts that `cd` to a project directory
    /// and build there are easier to read and to continue with `WORKDIR /dir`, which also holds
    /// for `COPY`, `CMD` and the following `RUN`s. A `cd` inside a subshell `( cd x && make )`
    /// or a command substitution is not reported (it clearly scopes the change), and neither is
    /// `cd -`.
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
    }
}

impl Check for CdInsteadOfWorkdir {
    fn check(&self, cx: &mut Context<'_>) {
        let index = cx.shell();
        for run in &index.runs {
            for cmd in &run.script.commands {
                if cmd.program_name() != "cd"
                    || cmd.in_subshell
                    || cmd.in_substitution
                    || cmd.in_function
                {
                    continue;
                }
                let dir = cmd.program_args().first().map(|a| a.text.as_str());
                if dir == Some("-") {
                    continue;
                }
                let dir = dir.unwrap_or("~");
                cx.report(
                    cmd.range,
                    format!("Use 'WORKDIR {dir}' instead of 'cd {dir}' to change directory"),
                );
            }
        }
    }
}
