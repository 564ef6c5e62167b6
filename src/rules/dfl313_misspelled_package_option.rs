use super::shell_support::pip_args;
use super::{Check, Context};
use crate::diagnostic::{Edit, Fix};
use crate::syntax::shell::ShellWord;

crate::declare_rule! {
    /// A misspelled long option of a package manager (`apt-get`, `apt`, `apk`, `pip`, `npm`,
    /// `yarn`, `dnf`, `microdnf`, `yum`).
    ///
    /// `apt-get install --no-install recommends curl` is a typo with consequences: apt-get stops
    /// with `Command line option --no-install is not understood`, pip with `no such option`,
    /// and npm silently treats an unknown `--prodution` as a config key and installs the dev
    /// dependencies anyway. Reported when a long option is not one the tool knows and either a
    /// known option is within two edits of it (did-you-mean), or gluing it to the next word
    /// with `-` gives a known option (`--no-install recommends`). Options that are far from
    /// every known one are left alone, so plugins and newer options do not cause noise.
    ///
    /// ```dockerfile invalid
    /// FROM debian:12
    /// RUN apt-get update && apt-get install -y --no-install recommends curl
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM debian:12
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl
    /// ```
    ///
    /// **Fix:** use the suggested option (offered as an unsafe fix: it changes what runs).
    pub MisspelledPackageOption {
        code: "DFL313",
        name: "misspelled-package-option",
        severity: Warning,
        default: true,
        fix: Unsafe,
        equivalents: [],
        scope: Stage,
    }
}

const APT: &[&str] = &[
    "all-versions",
    "allow-change-held-packages",
    "allow-downgrades",
    "allow-insecure-repositories",
    "allow-releaseinfo-change",
    "allow-remove-essential",
    "allow-unauthenticated",
    "arch-only",
    "assume-no",
    "assume-yes",
    "auto-remove",
    "autoremove",
    "build",
    "build-profiles",
    "compile",
    "config-file",
    "default-release",
    "diff-only",
    "download",
    "download-only",
    "dry-run",
    "dsc-only",
    "fix-broken",
    "fix-missing",
    "fix-policy",
    "force-yes",
    "full",
    "help",
    "host-architecture",
    "ignore-hold",
    "ignore-missing",
    "indep-only",
    "install-recommends",
    "install-suggests",
    "installed",
    "just-print",
    "list-cleanup",
    "manual-installed",
    "mark-auto",
    "names-only",
    "no-act",
    "no-download",
    "no-install-recommends",
    "no-install-suggests",
    "no-list-cleanup",
    "no-remove",
    "no-show-upgraded",
    "no-upgrade",
    "only-source",
    "only-upgrade",
    "option",
    "print-uris",
    "purge",
    "quiet",
    "recon",
    "reinstall",
    "show-progress",
    "show-upgraded",
    "simulate",
    "snapshot",
    "solver",
    "tar-only",
    "target-release",
    "trivial-only",
    "upgradable",
    "upgrade",
    "verbose-versions",
    "version",
    "with-new-pkgs",
    "with-source",
    "yes",
    "update",
];

const APK: &[&str] = &[
    "allow-untrusted",
    "arch",
    "available",
    "cache-dir",
    "cache-max-age",
    "cache-predownload",
    "clean-protected",
    "force",
    "force-broken-world",
    "force-missing-repositories",
    "force-no-chroot",
    "force-non-repository",
    "force-old-apk",
    "force-overwrite",
    "force-refresh",
    "help",
    "initdb",
    "interactive",
    "keys-dir",
    "latest",
    "no-cache",
    "no-check-certificate",
    "no-chown",
    "no-commit-hooks",
    "no-interactive",
    "no-logfile",
    "no-network",
    "no-progress",
    "no-scripts",
    "overlay-from-stdin",
    "preserve-env",
    "print-arch",
    "progress",
    "progress-fd",
    "purge",
    "quiet",
    "rdepends",
    "recursive",
    "repositories-file",
    "repository",
    "root",
    "self-upgrade",
    "simulate",
    "timeout",
    "update-cache",
    "upgrade",
    "usermode",
    "verbose",
    "version",
    "virtual",
    "wait",
    "update",
];

const PIP: &[&str] = &[
    "abi",
    "all",
    "break-system-packages",
    "cache-dir",
    "cert",
    "check-build-dependencies",
    "client-cert",
    "compile",
    "config-settings",
    "constraint",
    "debug",
    "dest",
    "dry-run",
    "disable-pip-version-check",
    "editable",
    "exclude",
    "exclude-editable",
    "exists-action",
    "extra-index-url",
    "find-links",
    "force-reinstall",
    "format",
    "global-option",
    "group",
    "help",
    "ignore-installed",
    "ignore-requires-python",
    "implementation",
    "include-editable",
    "index-url",
    "install-option",
    "isolated",
    "keyring-provider",
    "local",
    "log",
    "no-binary",
    "no-build-isolation",
    "no-cache-dir",
    "no-clean",
    "no-color",
    "no-compile",
    "no-deps",
    "no-index",
    "no-input",
    "no-python-version-warning",
    "no-use-pep517",
    "no-warn-conflicts",
    "no-warn-script-location",
    "not-required",
    "only-binary",
    "outdated",
    "path",
    "platform",
    "pre",
    "prefer-binary",
    "prefix",
    "progress-bar",
    "proxy",
    "python",
    "python-version",
    "quiet",
    "report",
    "require-hashes",
    "require-virtualenv",
    "requirement",
    "resume-retries",
    "retries",
    "root",
    "root-user-action",
    "src",
    "target",
    "timeout",
    "trusted-host",
    "upgrade",
    "upgrade-strategy",
    "uptodate",
    "use-deprecated",
    "use-feature",
    "use-pep517",
    "user",
    "verbose",
    "version",
    "wheel-dir",
    "yes",
];

const NPM: &[&str] = &[
    "access",
    "all",
    "allow-same-version",
    "also",
    "audit",
    "audit-level",
    "before",
    "bin-links",
    "build-from-source",
    "ca",
    "cache",
    "cafile",
    "ci",
    "color",
    "cpu",
    "depth",
    "dev",
    "dry-run",
    "engine-strict",
    "expect-result-count",
    "fetch-retries",
    "fetch-timeout",
    "force",
    "foreground-scripts",
    "fund",
    "global",
    "global-style",
    "help",
    "https-proxy",
    "if-present",
    "ignore-scripts",
    "include",
    "include-workspace-root",
    "install-links",
    "install-strategy",
    "json",
    "legacy-bundling",
    "legacy-peer-deps",
    "libc",
    "link",
    "location",
    "loglevel",
    "logs-max",
    "maxsockets",
    "node-options",
    "noproxy",
    "offline",
    "omit",
    "omit-lockfile-registry-resolved",
    "only",
    "os",
    "otp",
    "pack-destination",
    "package-lock",
    "package-lock-only",
    "parseable",
    "prefer-offline",
    "prefer-online",
    "prefix",
    "preid",
    "production",
    "progress",
    "provenance",
    "proxy",
    "quiet",
    "registry",
    "save",
    "save-bundle",
    "save-dev",
    "save-exact",
    "save-optional",
    "save-peer",
    "save-prod",
    "script-shell",
    "scripts-prepend-node-path",
    "shrinkwrap",
    "sign-git-tag",
    "silent",
    "strict-peer-deps",
    "strict-ssl",
    "tag",
    "timing",
    "unicode",
    "unsafe-perm",
    "update-notifier",
    "userconfig",
    "verbose",
    "version",
    "workspace",
    "workspaces",
    "yes",
];

const YARN: &[&str] = &[
    "all",
    "audit",
    "cache-folder",
    "caret",
    "check-cache",
    "check-files",
    "cwd",
    "dev",
    "emoji",
    "exact",
    "exclude",
    "flat",
    "focus",
    "force",
    "frozen-lockfile",
    "global-folder",
    "har",
    "help",
    "ignore-engines",
    "ignore-optional",
    "ignore-platform",
    "ignore-scripts",
    "immutable",
    "immutable-cache",
    "include",
    "inline-builds",
    "interlaced",
    "jobs",
    "json",
    "link-duplicates",
    "mode",
    "modules-folder",
    "mutex",
    "network-concurrency",
    "network-timeout",
    "no-bin-links",
    "no-default-rc",
    "no-lockfile",
    "no-progress",
    "non-interactive",
    "offline",
    "optional",
    "parallel",
    "peer",
    "prefer-offline",
    "private",
    "prod",
    "production",
    "pure-lockfile",
    "recursive",
    "refresh-lockfile",
    "registry",
    "silent",
    "skip-builds",
    "tilde",
    "topological",
    "topological-dev",
    "use-yarnrc",
    "verbose",
    "version",
];

const DNF: &[&str] = &[
    "add-repo",
    "advisories",
    "advisory",
    "all",
    "alldeps",
    "allow-downgrade",
    "allowerasing",
    "arch",
    "assumeno",
    "assumeyes",
    "available",
    "best",
    "bugfix",
    "bz",
    "cacheonly",
    "color",
    "comment",
    "config",
    "cve",
    "debuglevel",
    "destdir",
    "disable",
    "disableexcludes",
    "disableplugin",
    "disablerepo",
    "downloaddir",
    "downloadonly",
    "enable",
    "enableplugin",
    "enablerepo",
    "enhancement",
    "errorlevel",
    "exclude",
    "extras",
    "forcearch",
    "help",
    "installed",
    "installroot",
    "newpackage",
    "nobest",
    "noautoremove",
    "nodocs",
    "nogpgcheck",
    "noplugins",
    "obsoletes",
    "quiet",
    "recent",
    "refresh",
    "releasever",
    "repo",
    "repofrompath",
    "repoid",
    "resolve",
    "rpmverbosity",
    "save",
    "sec-severity",
    "secseverity",
    "security",
    "set-disabled",
    "set-enabled",
    "setopt",
    "showduplicates",
    "skip-broken",
    "skip-unavailable",
    "source",
    "upgrades",
    "url",
    "urls",
    "use-host-config",
    "verbose",
    "version",
    "with-optional",
    "yes",
    "best",
    "installonly",
    "nodeps",
];

fn known(tool: &str) -> Option<&'static [&'static str]> {
    Some(match tool {
        "apt-get" | "apt" => APT,
        "apk" => APK,
        "npm" => NPM,
        "yarn" => YARN,
        "dnf" | "yum" | "microdnf" | "dnf5" => DNF,
        _ => return None,
    })
}

/// True when `prev word` is a long option split in two (`--no-install recommends`), so `word`
/// is not an operand (a package) but the end of the option.
pub(crate) fn is_split_option(tool: &str, prev: &str, word: &str) -> bool {
    let Some(list) = known(tool) else {
        return false;
    };
    let Some(name) = prev.strip_prefix("--").filter(|n| !n.contains('=')) else {
        return false;
    };
    !is_known(list, name) && is_known(list, &format!("{name}-{word}"))
}

fn is_known(list: &[&str], name: &str) -> bool {
    list.contains(&name) || name.strip_prefix("no-").is_some_and(|n| list.contains(&n))
}

/// The closest known option within two edits (ties: the first in the list).
fn suggest(list: &[&'static str], name: &str) -> Option<&'static str> {
    if name.len() < 4 {
        return None;
    }
    let mut best: Option<(usize, &'static str)> = None;
    for &k in list {
        let d = strsim::damerau_levenshtein(name, k);
        if d <= 2 && d * 4 <= name.len().max(k.len()) && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, k));
        }
    }
    best.map(|(_, k)| k)
}

impl Check for MisspelledPackageOption {
    fn check(&self, cx: &mut Context<'_>) {
        let index = cx.shell();
        for run in &index.runs {
            for cmd in &run.script.commands {
                let (tool, args, list): (&str, &[ShellWord], &[&str]) =
                    if let Some(a) = pip_args(cmd) {
                        ("pip", a, PIP)
                    } else if let Some(l) = known(cmd.program_name()) {
                        (cmd.program_name(), cmd.program_args(), l)
                    } else {
                        continue;
                    };
                for (i, a) in args.iter().enumerate() {
                    if !a.is_static || a.text == "--" {
                        if a.text == "--" {
                            break;
                        }
                        continue;
                    }
                    let Some(opt) = a.text.strip_prefix("--") else {
                        continue;
                    };
                    let name = opt.split('=').next().unwrap_or(opt);
                    if name.is_empty() || is_known(list, name) {
                        continue;
                    }
                    // `--no-install recommends`: the option was split in two.
                    if let Some(next) = args.get(i + 1).filter(|n| {
                        n.is_static
                            && !n.text.starts_with('-')
                            && !opt.contains('=')
                            && is_known(list, &format!("{name}-{}", n.text))
                    }) {
                        let joined = format!("--{name}-{}", next.text);
                        let range = a.range.cover(next.range);
                        cx.report_with_fix(
                            range,
                            format!(
                                "'{} {}' is not an option of {tool}: did you mean '{joined}'? \
                                 ('{}' is taken as a separate argument)",
                                a.text, next.text, next.text
                            ),
                            Fix::unsafe_(
                                format!("Replace with '{joined}'"),
                                vec![Edit::replace(range, joined.clone())],
                            ),
                        );
                        continue;
                    }
                    if let Some(s) = suggest(list, name) {
                        let fixed = format!("--{s}{}", &opt[name.len()..]);
                        cx.report_with_fix(
                            a.range,
                            format!("Unknown {tool} option '--{name}': did you mean '--{s}'?"),
                            Fix::unsafe_(
                                format!("Replace with '{fixed}'"),
                                vec![Edit::replace(a.range, fixed.clone())],
                            ),
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_sorted_enough_and_suggest() {
        assert_eq!(
            suggest(APT, "no-install-recommend"),
            Some("no-install-recommends")
        );
        assert_eq!(suggest(PIP, "no-cache"), None);
        assert_eq!(suggest(NPM, "prodution"), Some("production"));
        assert!(is_known(NPM, "no-audit"));
    }
}
