//! One configuration model, fed by `dockerfile-lsp.toml`, `.hadolint.yaml`, CLI flags and LSP
//! settings. Loading lives with the callers; this is the shape the analysis reads.

use crate::diagnostic::Severity;
use crate::rules::RuleMeta;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Per-rule configuration.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct RuleSetting {
    /// `Some(false)` turns the rule off, `Some(true)` turns an opt-in rule on.
    pub enabled: Option<bool>,
    /// Overrides the default severity.
    pub level: Option<Severity>,
    /// Rule-specific options.
    pub options: Option<serde_json::Value>,
}

/// Analysis settings.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// Keyed by whatever the user wrote: code, name, or an equivalent (DL code, BuildKit name).
    pub rules: BTreeMap<String, RuleSetting>,
    /// Rules ignored everywhere (hadolint's `ignored`), by code, name or equivalent.
    pub ignored: Vec<String>,
    /// Registries base images may come from (hadolint's `trustedRegistries`); empty = any.
    pub trusted_registries: Vec<String>,
    /// `check` exits 1 when a finding is at least this severe.
    pub failure_threshold: Severity,
    /// Run `shellcheck` on RUN bodies when it is on PATH.
    pub shellcheck: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            rules: BTreeMap::new(),
            ignored: Vec::new(),
            trusted_registries: Vec::new(),
            failure_threshold: Severity::Error,
            shellcheck: true,
        }
    }
}

impl Settings {
    fn setting(&self, meta: &RuleMeta) -> Option<&RuleSetting> {
        self.rules
            .iter()
            .find(|(k, _)| meta.is_named(k))
            .map(|(_, v)| v)
    }

    /// Whether the rule runs.
    pub fn is_enabled(&self, meta: &RuleMeta) -> bool {
        if self.ignored.iter().any(|i| meta.is_named(i)) {
            return false;
        }
        match self.setting(meta) {
            Some(RuleSetting {
                enabled: Some(e), ..
            }) => *e,
            // Giving an opt-in rule a level turns it on.
            Some(RuleSetting { level: Some(_), .. }) => true,
            _ => meta.default_enabled,
        }
    }

    /// The severity the rule reports with.
    pub fn severity(&self, meta: &RuleMeta) -> Severity {
        self.setting(meta)
            .and_then(|s| s.level)
            .unwrap_or(meta.severity)
    }

    /// The rule's options, if configured.
    pub fn rule_options(&self, meta: &RuleMeta) -> Option<&serde_json::Value> {
        self.setting(meta).and_then(|s| s.options.as_ref())
    }

    /// Every rule id used in the configuration that names no rule (for a warning).
    pub fn unknown_rule_ids(&self) -> Vec<String> {
        self.rules
            .keys()
            .chain(self.ignored.iter())
            .filter(|id| crate::rules::find_rule(id).is_none())
            .cloned()
            .collect()
    }
}
