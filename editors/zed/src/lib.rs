//! Zed extension for `dockerfile-lsp`: finds the server binary and hands Zed's LSP settings to it.
//!
//! Binary: `lsp.dockerfile-lsp.binary.path` from Zed's settings if set, else `dockerfile-lsp`
//! on the worktree's `PATH` (`worktree.which`). Arguments default to `["serve"]`.
//! Settings: `lsp.dockerfile-lsp.settings` is the server's settings object (`rules`, `ignore`,
//! `trustedRegistries`, `failureThreshold`, `shellcheck`). It is sent as the
//! `dockerfile-lsp` section of the workspace configuration and, unless
//! `lsp.dockerfile-lsp.initialization_options` is set, as the initialization options too.

use zed_extension_api::{
    self as zed, serde_json, settings::LspSettings, LanguageServerId, Worktree,
};

const SERVER_NAME: &str = "dockerfile-lsp";
const CONFIGURATION_SECTION: &str = "dockerfile-lsp";

struct DockerfileLspExtension;

fn lsp_settings(worktree: &Worktree) -> LspSettings {
    // Missing or malformed settings behave as "nothing configured".
    LspSettings::for_worktree(SERVER_NAME, worktree).unwrap_or_default()
}

impl zed::Extension for DockerfileLspExtension {
    fn new() -> Self {
        DockerfileLspExtension
    }

    fn language_server_command(
        &mut self,
        _language_server_id: &LanguageServerId,
        worktree: &Worktree,
    ) -> zed::Result<zed::Command> {
        let binary = lsp_settings(worktree).binary;
        let configured_path = binary.as_ref().and_then(|b| b.path.clone());
        let args = binary
            .as_ref()
            .and_then(|b| b.arguments.clone())
            .unwrap_or_else(|| vec!["serve".to_string()]);
        let mut env = worktree.shell_env();
        if let Some(extra) = binary.as_ref().and_then(|b| b.env.clone()) {
            env.extend(extra);
        }
        let command = match configured_path {
            Some(path) => path,
            None => worktree.which(SERVER_NAME).ok_or_else(|| {
                "dockerfile-lsp was not found on PATH. Install it (`cargo install --path .` in the \
                 dockerfile-lsp repository, or a release binary) or set \
                 `lsp.dockerfile-lsp.binary.path` in Zed's settings."
                    .to_string()
            })?,
        };
        Ok(zed::Command { command, args, env })
    }

    fn language_server_initialization_options(
        &mut self,
        _language_server_id: &LanguageServerId,
        worktree: &Worktree,
    ) -> zed::Result<Option<serde_json::Value>> {
        let settings = lsp_settings(worktree);
        Ok(settings.initialization_options.or(settings.settings))
    }

    fn language_server_workspace_configuration(
        &mut self,
        _language_server_id: &LanguageServerId,
        worktree: &Worktree,
    ) -> zed::Result<Option<serde_json::Value>> {
        Ok(lsp_settings(worktree)
            .settings
            .map(|settings| serde_json::json!({ CONFIGURATION_SECTION: settings })))
    }
}

zed::register_extension!(DockerfileLspExtension);
