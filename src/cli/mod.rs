//! `dockerfile-lsp check`: lint files for CI, hadolint-compatible in its habits.
//!
//! Exit codes: 0 when no finding reaches the failure threshold, 1 when one does, 2 on a usage
//! error, an unreadable file or configuration file, or a file that could not be written by
//! `--fix`. An I/O error takes precedence over findings (2 rather than 1): the run did not
//! check everything it was asked to. Every readable file is still checked and reported.

pub mod discover;
pub mod output;

use crate::config::{discover_config_files, load_config_file, Config, ConfigFileKind, ConfigLayer};
use crate::diagnostic::Severity;
use discover::Target;
use output::{FileReport, Format};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// When to colour the tty output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// When standard output is a terminal and `NO_COLOR` is unset.
    Auto,
    Always,
    Never,
}

/// A `--failure-threshold` value: a severity, or `None` for `none` (never fail).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Threshold(pub Option<Severity>);

fn parse_threshold(s: &str) -> Result<Threshold, String> {
    crate::config::parse_threshold(s)
        .map(Threshold)
        .ok_or_else(|| format!("'{s}' is not one of error, warning, info, hint, none"))
}

/// The arguments of `check`.
#[derive(Clone, Debug, clap::Args)]
pub struct CheckArgs {
    /// Files or directories to check; `-` reads standard input. Directories are searched
    /// for Dockerfile, Dockerfile.*, *.Dockerfile and Containerfile* (also lower-case),
    /// skipping .git, node_modules and target. Files named explicitly are always checked.
    #[arg(required = true, value_name = "PATH|-")]
    pub paths: Vec<String>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Tty)]
    pub format: Format,
    /// Exit 1 when a finding is at least this severe: error, warning, info, hint, or none.
    /// Overrides the configuration files.
    #[arg(long, value_name = "LEVEL", value_parser = parse_threshold)]
    pub failure_threshold: Option<Threshold>,
    /// Do not report this rule (code, name, or hadolint/BuildKit equivalent). Repeatable.
    #[arg(long = "ignore", value_name = "RULE")]
    pub ignore: Vec<String>,
    /// Use this configuration file (`*.yaml`/`*.yml`: hadolint's format, else
    /// dockerfile-lsp.toml's) instead of searching for one.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Use no configuration file.
    #[arg(long)]
    pub no_config: bool,
    /// The name to show (and to search configuration from) for standard input.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<String>,
    /// Apply safe fixes to the files, then report what remains.
    #[arg(long)]
    pub fix: bool,
    /// Also apply fixes that may change what the image does (implies --fix).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the fixes as a unified diff instead of writing them (exit 1 when there is one).
    #[arg(long)]
    pub diff: bool,
    /// Colour the tty output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Check COPY/ADD sources against this build context directory (honouring its
    /// `.dockerignore`); `auto` uses each Dockerfile's directory. Off by default.
    #[arg(long, value_name = "DIR|auto")]
    pub build_context: Option<String>,
}

/// What the process has: standard input, output, error, and facts about them.
pub struct Io<'a> {
    pub stdin: &'a mut dyn Read,
    pub stdout: &'a mut dyn Write,
    pub stderr: &'a mut dyn Write,
    /// Whether standard output is a terminal.
    pub stdout_is_terminal: bool,
    /// Whether `NO_COLOR` is set to a non-empty value.
    pub no_color: bool,
}

/// Resolves configuration per directory, printing each file's warnings once.
struct ConfigResolver<'a> {
    args: &'a CheckArgs,
    cli_layer: ConfigLayer,
    explicit: Option<ConfigLayer>,
    layers: BTreeMap<PathBuf, Option<ConfigLayer>>,
    by_dir: BTreeMap<PathBuf, Config>,
    failed: bool,
}

impl<'a> ConfigResolver<'a> {
    fn new(args: &'a CheckArgs, stderr: &mut dyn Write) -> Self {
        let mut r = ConfigResolver {
            args,
            cli_layer: ConfigLayer {
                ignored: args.ignore.clone(),
                failure_threshold: args.failure_threshold.map(|t| t.0),
                ..ConfigLayer::default()
            },
            explicit: None,
            layers: BTreeMap::new(),
            by_dir: BTreeMap::new(),
            failed: false,
        };
        for id in &args.ignore {
            if !crate::suppress::is_known_rule_id(id) {
                let _ = writeln!(
                    stderr,
                    "dockerfile-lsp: warning: --ignore {id}: unknown rule '{id}'"
                );
            }
        }
        if let Some(path) = &args.config {
            r.explicit = r.layer(path, ConfigFileKind::of(path), stderr);
            if r.explicit.is_none() {
                r.failed = true;
            }
        }
        r
    }

    fn layer(
        &mut self,
        path: &Path,
        kind: ConfigFileKind,
        stderr: &mut dyn Write,
    ) -> Option<ConfigLayer> {
        if let Some(l) = self.layers.get(path) {
            return l.clone();
        }
        let loaded = match load_config_file(path, kind) {
            Ok((layer, warnings)) => {
                for w in warnings {
                    let _ = writeln!(stderr, "dockerfile-lsp: warning: {}: {w}", path.display());
                }
                Some(layer)
            }
            Err(e) => {
                let _ = writeln!(stderr, "dockerfile-lsp: error: invalid configuration: {e}");
                self.failed = true;
                None
            }
        };
        self.layers.insert(path.to_path_buf(), loaded.clone());
        loaded
    }

    fn for_dir(&mut self, dir: &Path, stderr: &mut dyn Write) -> Config {
        if let Some(c) = self.by_dir.get(dir) {
            return c.clone();
        }
        let mut config = Config::default();
        if let Some(explicit) = &self.explicit {
            config.apply(explicit);
        } else if !self.args.no_config && self.args.config.is_none() {
            for (path, kind) in discover_config_files(dir) {
                if let Some(layer) = self.layer(&path, kind, stderr) {
                    config.apply(&layer);
                }
            }
        }
        config.apply(&self.cli_layer);
        self.by_dir.insert(dir.to_path_buf(), config.clone());
        config
    }
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn diff_text(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

/// Runs `check`. Returns the process exit code.
pub fn run(args: &CheckArgs, io: Io<'_>) -> u8 {
    let Io {
        stdin,
        stdout,
        stderr,
        stdout_is_terminal,
        no_color,
    } = io;
    let fix = args.fix || args.unsafe_fixes || args.diff;
    let (targets, walk_errors) = discover::targets(&args.paths);
    if fix && !args.diff && targets.contains(&Target::Stdin) {
        let _ = writeln!(
            stderr,
            "dockerfile-lsp: error: --fix cannot write to standard input; use --diff to print the fixes"
        );
        return 2;
    }
    let mut io_error = false;
    for e in &walk_errors {
        let _ = writeln!(stderr, "dockerfile-lsp: error: {e}");
        io_error = true;
    }
    let mut resolver = ConfigResolver::new(args, stderr);
    if args.config.is_some() && resolver.failed {
        return 2;
    }
    let mut reports = Vec::new();
    let mut failing = false;
    let mut diffs = String::new();
    let mut fixed_files = BTreeSet::new();
    let mut jobs = Vec::new();
    for target in &targets {
        let (shown, dir, read) = match target {
            Target::Stdin => {
                let shown = args
                    .stdin_filename
                    .clone()
                    .unwrap_or_else(|| "<stdin>".to_string());
                let dir = match &args.stdin_filename {
                    Some(f) => parent_dir(Path::new(f)),
                    None => PathBuf::from("."),
                };
                let mut bytes = Vec::new();
                let read = stdin.read_to_end(&mut bytes).map(|_| bytes);
                (shown, dir, read)
            }
            Target::File(p) => (p.display().to_string(), parent_dir(p), std::fs::read(p)),
        };
        let bytes = match read {
            Ok(b) => b,
            Err(e) => {
                let _ = writeln!(stderr, "dockerfile-lsp: error: cannot read {shown}: {e}");
                io_error = true;
                continue;
            }
        };
        // Not UTF-8: decoded lossily for checking, but never rewritten (that would replace
        // the undecodable bytes).
        let (mut text, lossy) = match String::from_utf8(bytes) {
            Ok(s) => (s, false),
            Err(e) => (String::from_utf8_lossy(e.as_bytes()).into_owned(), true),
        };
        let config = resolver.for_dir(&dir, stderr);
        if fix && lossy {
            let _ = writeln!(
                stderr,
                "dockerfile-lsp: warning: not fixing {shown}: it is not valid UTF-8"
            );
        } else if fix {
            let (fixed, applied) = crate::fix::fix_all(&text, &config.settings, args.unsafe_fixes);
            if applied > 0 && fixed != text {
                if args.diff {
                    diffs.push_str(&diff_text(&shown, &text, &fixed));
                    fixed_files.insert(shown.clone());
                } else if let Target::File(p) = target {
                    match std::fs::write(p, &fixed) {
                        Ok(()) => {
                            let _ = writeln!(
                                stderr,
                                "dockerfile-lsp: fixed {} in {shown}",
                                if applied == 1 {
                                    "1 problem".to_string()
                                } else {
                                    format!("{applied} problems")
                                }
                            );
                            fixed_files.insert(shown.clone());
                            text = fixed;
                        }
                        Err(e) => {
                            let _ = writeln!(
                                stderr,
                                "dockerfile-lsp: error: cannot write {shown}: {e}"
                            );
                            io_error = true;
                        }
                    }
                }
            }
        }
        let context = match (&args.build_context, target) {
            (Some(dir), Target::File(p)) => {
                let root = (dir != "auto").then(|| Path::new(dir));
                crate::context::FsBuildContext::discover(p, root)
            }
            _ => None,
        };
        jobs.push(Job {
            shown,
            text,
            config,
            context,
        });
    }
    for (job, diagnostics) in jobs.iter().zip(lint_jobs(&jobs)) {
        if let Some(level) = job.config.fail_on {
            if diagnostics.iter().any(|d| d.severity <= level) {
                failing = true;
            }
        }
        reports.push(FileReport {
            path: job.shown.clone(),
            text: job.text.clone(),
            diagnostics,
        });
    }
    if resolver.failed {
        io_error = true;
    }
    if args.diff {
        let _ = stdout.write_all(diffs.as_bytes());
        let _ = writeln!(
            stderr,
            "dockerfile-lsp: {} would change",
            if fixed_files.len() == 1 {
                "1 file".to_string()
            } else {
                format!("{} files", fixed_files.len())
            }
        );
        return if io_error {
            2
        } else if fixed_files.is_empty() {
            0
        } else {
            1
        };
    }
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => stdout_is_terminal && !no_color,
    };
    if let Err(e) = output::write_report(args.format, &reports, color, stdout) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            let _ = writeln!(
                stderr,
                "dockerfile-lsp: error: cannot write the report: {e}"
            );
            return 2;
        }
    }
    if io_error {
        2
    } else if failing {
        1
    } else {
        0
    }
}

/// One file to lint, read and configured.
struct Job {
    shown: String,
    text: String,
    config: Config,
    context: Option<crate::context::FsBuildContext>,
}

/// Lints the files on every core (with ShellCheck on, most of the time is spent waiting for
/// its processes); the results in the order of `jobs`.
fn lint_jobs(jobs: &[Job]) -> Vec<Vec<crate::diagnostic::Diagnostic>> {
    let lint = |job: &Job| {
        let model = crate::syntax::parse(&job.text);
        let runner = if job.config.settings.shellcheck {
            crate::shellcheck::shared_runner()
        } else {
            None
        };
        crate::lint::lint_with(
            &model,
            &job.text,
            &job.config.settings,
            job.context
                .as_ref()
                .map(|c| c as &dyn crate::rules::BuildContext),
            runner.map(|r| r as &dyn crate::shellcheck::ShellCheckRunner),
        )
    };
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len());
    if workers <= 1 {
        return jobs.iter().map(lint).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done: std::sync::Mutex<Vec<(usize, Vec<crate::diagnostic::Diagnostic>)>> =
        std::sync::Mutex::new(Vec::with_capacity(jobs.len()));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(job) = jobs.get(i) else { break };
                let found = lint(job);
                if let Ok(mut done) = done.lock() {
                    done.push((i, found));
                }
            });
        }
    });
    // (`scope` re-raises a worker's panic, so every job is here.)
    let mut done = done.into_inner().unwrap_or_else(|e| e.into_inner());
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, found)| found).collect()
}
