use super::shell_support::{is_path_or_url, report_unpinned, Call};
use super::{Check, Context};

crate::declare_rule! {
    /// `npm install <package>` without a version.
    ///
    /// `npm install -g typescript` installs whatever is newest on the day of the build. Name a
    /// version (`typescript@5.6.3`) or a range, or install from `package.json` with `npm ci`.
    /// `npm install`/`npm ci` without package names (from the lock file), local paths,
    /// tarballs, git URLs and packages named by a variable are not reported.
    ///
    /// One finding per install command: on the package when only one is unpinned, else on
    /// the command, naming the packages — a long package list gets one squiggle, not one per line.
    ///
    /// ```dockerfile invalid
    /// FROM node:22-alpine
    /// RUN npm install -g typescript
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM node:22-alpine
    /// RUN npm install -g typescript@5.6.3 @angular/cli@18 ./local-pkg && npm ci
    /// ```
    ///
    /// **Fix:** add `@version` to the package.
    pub NpmPinVersions {
        code: "DFL314",
        name: "npm-pin-versions",
        severity: Info,
        default: true,
        fix: None,
        equivalents: ["DL3016"],
        scope: Stage,
    }
}

const NPM_VALUE_OPTS: &[&str] = &[
    "--prefix",
    "--registry",
    "-w",
    "--workspace",
    "--omit",
    "--include",
    "--cache",
    "--loglevel",
    "--tag",
    "--install-strategy",
];

impl Check for NpmPinVersions {
    fn check(&self, cx: &mut Context<'_>) {
        let index = cx.shell();
        for run in &index.runs {
            for cmd in &run.script.commands {
                if cmd.program_name() != "npm" {
                    continue;
                }
                let call = Call::parse(cmd.program_args(), NPM_VALUE_OPTS, true);
                if !call.sub_is(&["install", "i", "add", "isntall", "in", "ins", "inst"]) {
                    continue;
                }
                report_unpinned(
                    cx,
                    cmd,
                    "npm",
                    &call,
                    |p| {
                        let t = p.text.as_str();
                        // `@scope/name@1.2` or `name@1.2`: a version follows an `@` after the start.
                        let versioned = t.get(1..).is_some_and(|rest| rest.contains('@'));
                        p.is_static
                            && !(versioned
                                || is_path_or_url(t)
                                || t.contains(':')
                                || t.ends_with(".tgz")
                                || t.ends_with(".tar.gz")
                                || (t.contains('/') && !t.starts_with('@')))
                    },
                    |t| format!("{t}@<version>"),
                );
            }
        }
    }
}
