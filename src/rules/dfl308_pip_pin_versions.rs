use super::shell_support::{is_path_or_url, pip_args, report_unpinned, Call, PIP_VALUE_OPTS};
use super::{Check, Context};

crate::declare_rule! {
    /// `pip install` of a package without a version specifier.
    ///
    /// `pip install flask` installs the newest release on the day of the build; a new major
    /// version can break the image without any change to the Dockerfile. Pin with `==` (or at
    /// least a range such as `>=2,<3`), or install from a requirements/constraints file.
    ///
    /// Not reported (hadolint reports some of them): `-r requirements.txt`, `-c constraints.txt`,
    /// `.`/`-e .`/paths, URLs and VCS links, wheels and sdists, packages named by a variable, and
    /// `pip`/`setuptools`/`wheel` when upgraded with `-U`/`--upgrade`.
    ///
    /// One finding per install command: on the package when only one is unpinned, else on
    /// the command, naming the packages — a long package list gets one squiggle, not one per line.
    ///
    /// ```dockerfile invalid
    /// FROM python:3.12-slim
    /// RUN pip install --no-cache-dir flask
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM python:3.12-slim
    /// RUN pip install --no-cache-dir --upgrade pip \
    ///  && pip install --no-cache-dir flask==3.0.3 "gunicorn>=22,<23" -r requirements.txt -e . ./dist/app.whl
    /// ```
    ///
    /// **Fix:** add a version: `flask==3.0.3`.
    pub PipPinVersions {
        code: "DFL308",
        name: "pip-pin-versions",
        severity: Info,
        default: true,
        fix: None,
        equivalents: ["DL3013"],
        scope: Stage,
    }
}

impl Check for PipPinVersions {
    fn check(&self, cx: &mut Context<'_>) {
        let index = cx.shell();
        for run in &index.runs {
            for cmd in &run.script.commands {
                let Some(args) = pip_args(cmd) else { continue };
                let call = Call::parse(args, PIP_VALUE_OPTS, true);
                if !call.sub_is(&["install"]) {
                    continue;
                }
                let upgrade = call.has(&["upgrade"], &['U']);
                report_unpinned(
                    cx,
                    cmd,
                    "pip",
                    &call,
                    |p| {
                        let t = p.text.as_str();
                        let bare = t.split('[').next().unwrap_or(t).to_ascii_lowercase();
                        p.is_static
                            && !(t.contains(['=', '<', '>', '@', '~', '!'])
                                || is_path_or_url(t)
                                || t.contains('/')
                                || [".whl", ".tar.gz", ".zip", ".tgz"]
                                    .iter()
                                    .any(|s| t.ends_with(s))
                                || (upgrade
                                    && matches!(bare.as_str(), "pip" | "setuptools" | "wheel")))
                    },
                    |t| format!("{t}==<version>"),
                );
            }
        }
    }
}
