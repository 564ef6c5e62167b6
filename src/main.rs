//! The `dockerfile-lsp` binary: `serve` (language server over stdio) and `check` (CLI linter).

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "dockerfile-lsp",
    version,
    about = "A language server and linter for Dockerfiles"
)]
struct Cli {
    /// Accepted for editors that start servers with `--stdio`: same as `serve`.
    #[arg(long, global = true)]
    stdio: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the language server over stdin/stdout.
    Serve {
        /// Accepted and ignored (stdio is the only transport).
        #[arg(long)]
        stdio: bool,
    },
    /// Lint Dockerfiles (files, directories, or `-` for standard input).
    Check(dockerfile_lsp::cli::CheckArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Serve { .. }) => dockerfile_lsp::server::serve_stdio(),
        Some(Command::Check(args)) => {
            use std::io::IsTerminal;
            let stdout = std::io::stdout();
            let stdout_is_terminal = stdout.is_terminal();
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            let code = dockerfile_lsp::cli::run(
                &args,
                dockerfile_lsp::cli::Io {
                    stdin: &mut std::io::stdin().lock(),
                    stdout: &mut std::io::BufWriter::new(stdout.lock()),
                    stderr: &mut std::io::stderr().lock(),
                    stdout_is_terminal,
                    no_color,
                },
            );
            ExitCode::from(code)
        }
        None if cli.stdio => dockerfile_lsp::server::serve_stdio(),
        None => {
            eprintln!("dockerfile-lsp: give a command: `serve` or `check` (see --help)");
            ExitCode::from(2)
        }
    }
}
