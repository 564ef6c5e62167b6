//! One configuration model, fed by `dockerfile-lsp.toml`, `.hadolint.yaml`, CLI flags and LSP
//! settings. Loading lives with the callers; this is the shape the analysis reads.

use crate::diagnostic::Severity;
use crate::rules::RuleMeta;
use serde::Deserialize;
use std::collections::BTreeMap;

mod files;
mod layer;

pub use files::{
    discover_config_files, load_config_file, ConfigFileKind, HADOLINT_FILES, TOML_FILE,
};
pub use layer::{layer_from_hadolint_yaml, layer_from_toml, parse_threshold, Config, ConfigLayer};

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
    /// The defaults with every rule enabled, opt-in rules included: the server's start-up
    /// warm-up, and the tests and fuzz targets that must exercise every rule.
    pub fn every_rule() -> Settings {
        let mut settings = Settings::default();
        for rule in crate::rules::REGISTRY {
            settings.rules.insert(
                rule.meta().code.to_string(),
                RuleSetting {
                    enabled: Some(true),
                    ..RuleSetting::default()
                },
            );
        }
        settings
    }

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

    /// Every rule id used in the configuration that names no rule (for a warning). Ids of
    /// hadolint, ShellCheck and BuildKit rules are accepted even when not implemented here.
    pub fn unknown_rule_ids(&self) -> Vec<String> {
        self.rules
            .keys()
            .chain(self.ignored.iter())
            .filter(|id| !crate::suppress::is_known_rule_id(id))
            .cloned()
            .collect()
    }
}

/// Parses one rule's setting: `"off"`, `"on"`, a severity, a boolean, or
/// `{"enabled": …, "level": …, "options": …}`.
pub fn rule_setting_from_json(setting: &serde_json::Value) -> Option<RuleSetting> {
    match setting {
        serde_json::Value::String(level) if level.eq_ignore_ascii_case("off") => {
            Some(RuleSetting {
                enabled: Some(false),
                ..RuleSetting::default()
            })
        }
        serde_json::Value::String(level) if level.eq_ignore_ascii_case("on") => Some(RuleSetting {
            enabled: Some(true),
            ..RuleSetting::default()
        }),
        serde_json::Value::String(level) => Severity::parse(level).map(|l| RuleSetting {
            level: Some(l),
            ..RuleSetting::default()
        }),
        serde_json::Value::Bool(b) => Some(RuleSetting {
            enabled: Some(*b),
            ..RuleSetting::default()
        }),
        serde_json::Value::Object(map)
            if map
                .keys()
                .all(|k| matches!(k.as_str(), "enabled" | "level" | "options")) =>
        {
            serde_json::from_value::<RuleSetting>(setting.clone()).ok()
        }
        _ => None,
    }
}

/// The settings object editors send (`initializationOptions` or the `dockerfile-lsp` section of
/// `workspace/configuration`), camelCase:
/// `{"rules": {"DL3008": "off", "runs-as-root": "error", "DFL203": {"level": "info",
/// "options": {…}}}, "ignore": ["DL3059"], "trustedRegistries": ["docker.io"],
/// "failureThreshold": "warning", "shellcheck": true}`.
/// Unknown keys and bad values are skipped and described in the returned warnings.
pub fn settings_from_json(value: &serde_json::Value) -> (Settings, Vec<String>) {
    let mut s = Settings::default();
    let mut warnings = Vec::new();
    let Some(obj) = value.as_object() else {
        if !value.is_null() {
            warnings.push("settings must be a JSON object".to_string());
        }
        return (s, warnings);
    };
    for (key, v) in obj {
        match key.as_str() {
            "rules" => {
                let Some(rules) = v.as_object() else {
                    warnings.push("'rules' must be an object".into());
                    continue;
                };
                for (id, setting) in rules {
                    match rule_setting_from_json(setting) {
                        Some(p) => {
                            s.rules.insert(id.clone(), p);
                        }
                        None => warnings.push(format!("invalid setting for rule '{id}'")),
                    }
                }
            }
            "ignore" | "ignored" => match serde_json::from_value::<Vec<String>>(v.clone()) {
                Ok(list) => s.ignored = list,
                Err(_) => warnings.push(format!("'{key}' must be a list of rule ids")),
            },
            "trustedRegistries" => match serde_json::from_value::<Vec<String>>(v.clone()) {
                Ok(list) => s.trusted_registries = list,
                Err(_) => warnings.push("'trustedRegistries' must be a list of strings".into()),
            },
            "failureThreshold" => match v.as_str().and_then(Severity::parse) {
                Some(l) => s.failure_threshold = l,
                None => {
                    warnings.push("'failureThreshold' must be error, warning, info or hint".into())
                }
            },
            "shellcheck" => match v.as_bool() {
                Some(b) => s.shellcheck = b,
                None => warnings.push("'shellcheck' must be true or false".into()),
            },
            other => warnings.push(format!("unknown setting '{other}'")),
        }
    }
    for id in s.unknown_rule_ids() {
        warnings.push(format!("unknown rule '{id}' in settings"));
    }
    (s, warnings)
}
