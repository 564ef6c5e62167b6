//! dockerfile-lsp: a language server and linter for Dockerfiles.
//!
//! The analysis core (`syntax`, `rules`, `lint`, `ide`, `assists`, `knowledge`) is pure: no
//! LSP types, no async runtime, no I/O except through injected interfaces. `server` is the
//! only module that knows the Language Server Protocol.

pub mod assists;
pub mod cli;
pub mod config;
pub mod context;
pub mod diagnostic;
pub mod fix;
pub mod ide;
pub mod knowledge;
pub mod lint;
pub mod rules;
pub mod server;
pub mod shellcheck;
pub mod suppress;
pub mod syntax;
