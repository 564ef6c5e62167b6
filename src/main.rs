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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Serve { .. }) => dockerfile_lsp::server::serve_stdio(),
        None if cli.stdio => dockerfile_lsp::server::serve_stdio(),
        None => {
            eprintln!("dockerfile-lsp: give a command: `serve` or `check` (see --help)");
            ExitCode::from(2)
        }
    }
}
