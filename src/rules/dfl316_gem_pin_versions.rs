use super::shell_support::{is_path_or_url, report_unpinned, Call};
use super::{Check, Context};

crate::declare_rule! {
    /// `gem install <gem>` without a version.
    ///
    /// Without `-v`/`--version` (or `gem:version`) the newest release is installed at build
    /// time. Local `.gem` files and gems named by a variable are not reported.
    ///
    /// One finding per install command: on the package when only one is unpinned, else on
    /// the command, naming the packages — a long package list gets one squiggle, not one per line.
    ///
    /// ```dockerfile invalid
    /// FROM ruby:3.3-slim
    /// RUN gem install bundler
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM ruby:3.3-slim
    /// RUN gem install bundler -v 2.5.22 && gem install rake:13.2.1
    /// ```
    ///
    /// **Fix:** add `-v <version>` or write `gem:version`.
    pub GemPinVersions {
        code: "DFL316",
        name: "gem-pin-versions",
        severity: Info,
        default: true,
        fix: None,
        equivalents: ["DL3028"],
        scope: Stage,
    }
}

const GEM_VALUE_OPTS: &[&str] = &[
    "-v",
    "--version",
    "-i",
    "--install-dir",
    "-n",
    "--bindir",
    "-s",
    "--source",
    "-P",
    "--trust-policy",
    "--platform",
    "--document",
    "-g",
    "--file",
];

impl Check for GemPinVersions {
    fn check(&self, cx: &mut Context<'_>) {
        let index = cx.shell();
        for run in &index.runs {
            for cmd in &run.script.commands {
                if cmd.program_name() != "gem" {
                    continue;
                }
                let call = Call::parse(cmd.program_args(), GEM_VALUE_OPTS, true);
                if !call.sub_is(&["install", "i"]) || call.has(&["version"], &['v']) {
                    continue;
                }
                report_unpinned(
                    cx,
                    cmd,
                    "gem",
                    &call,
                    |p| {
                        let t = p.text.as_str();
                        p.is_static
                            && !(t.contains(':') || t.ends_with(".gem") || is_path_or_url(t))
                    },
                    |t| format!("{t}:<version>' or '-v <version>"),
                );
            }
        }
    }
}
