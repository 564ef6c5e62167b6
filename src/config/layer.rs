//! Configuration layers: each source (`.hadolint.yaml`, `dockerfile-lsp.toml`, CLI flags) is
//! parsed into a [`ConfigLayer`] and applied, in that order, over [`Config::default`].

use super::{rule_setting_from_json, RuleSetting, Settings};
use crate::diagnostic::Severity;
use crate::rules::find_rule;
use crate::suppress::is_known_rule_id;

/// Settings plus the CLI's exit policy.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub settings: Settings,
    /// `check` exits 1 when a finding is at least this severe; `None` never fails.
    pub fail_on: Option<Severity>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            settings: Settings::default(),
            fail_on: Some(Severity::Error),
        }
    }
}

/// What one source of configuration says; `None`/empty fields leave earlier layers alone.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ConfigLayer {
    /// In source order; an id may be a code, a name or an equivalent.
    pub rules: Vec<(String, RuleSetting)>,
    pub ignored: Vec<String>,
    pub trusted_registries: Option<Vec<String>>,
    /// `Some(None)`: never fail (`none`, hadolint's `no-fail`).
    pub failure_threshold: Option<Option<Severity>>,
    pub shellcheck: Option<bool>,
}

/// True when `a` and `b` name the same rule (or are the same unknown id).
fn same_rule(a: &str, b: &str) -> bool {
    match find_rule(a) {
        Some(r) => r.meta().is_named(b),
        None => a.eq_ignore_ascii_case(b),
    }
}

impl Config {
    /// Applies `layer` over the configuration so far: later layers win field by field.
    pub fn apply(&mut self, layer: &ConfigLayer) {
        let s = &mut self.settings;
        for (id, setting) in &layer.rules {
            let mut merged = setting.clone();
            let existing: Vec<String> = s
                .rules
                .keys()
                .filter(|k| same_rule(id, k))
                .cloned()
                .collect();
            for k in existing {
                if let Some(old) = s.rules.remove(&k) {
                    merged.enabled = merged.enabled.or(old.enabled);
                    merged.level = merged.level.or(old.level);
                    merged.options = merged.options.or(old.options);
                }
            }
            // A later layer that turns a rule on (or gives it a level) undoes an earlier ignore.
            if setting.enabled == Some(true) || setting.level.is_some() {
                s.ignored.retain(|i| !same_rule(id, i));
                if setting.enabled.is_none() {
                    merged.enabled = Some(true);
                }
            }
            s.rules.insert(id.clone(), merged);
        }
        for id in &layer.ignored {
            if !s.ignored.iter().any(|i| i.eq_ignore_ascii_case(id)) {
                s.ignored.push(id.clone());
            }
        }
        if let Some(t) = &layer.trusted_registries {
            s.trusted_registries = t.clone();
        }
        if let Some(f) = layer.failure_threshold {
            self.fail_on = f;
            if let Some(level) = f {
                self.settings.failure_threshold = level;
            }
        }
        if let Some(b) = layer.shellcheck {
            self.settings.shellcheck = b;
        }
    }
}

/// `error`, `warning`, `info`, `hint` (and hadolint's `style`), or `none`/`ignore` for never.
pub fn parse_threshold(s: &str) -> Option<Option<Severity>> {
    match s.trim().to_ascii_lowercase().as_str() {
        "none" | "ignore" | "off" | "never" => Some(None),
        other => Severity::parse(other).map(Some),
    }
}

fn string_list(v: &serde_json::Value) -> Option<Vec<String>> {
    serde_json::from_value::<Vec<String>>(v.clone()).ok()
}

fn warn_unknown_ids(layer: &ConfigLayer, warnings: &mut Vec<String>) {
    for id in layer
        .rules
        .iter()
        .map(|(id, _)| id)
        .chain(layer.ignored.iter())
    {
        if !is_known_rule_id(id) {
            warnings.push(format!(
                "unknown rule '{id}': it names no rule of dockerfile-lsp, hadolint, ShellCheck or BuildKit"
            ));
        }
    }
}

/// Parses `dockerfile-lsp.toml`:
///
/// ```toml
/// ignore = ["DL3059"]
/// trusted-registries = ["docker.io", "ghcr.io"]
/// failure-threshold = "warning"   # error | warning | info | hint | none
/// shellcheck = false
///
/// [rules]
/// DL3008 = "off"
/// runs-as-root = "error"
///
/// [rules.DFL202]
/// level = "info"
/// options = { max = 3 }
/// ```
///
/// Returns the layer and warnings (unknown keys, unknown rule ids, bad values); a file that
/// is not TOML is an error.
pub fn layer_from_toml(text: &str) -> Result<(ConfigLayer, Vec<String>), String> {
    let table: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
    let json = serde_json::to_value(&table).map_err(|e| e.to_string())?;
    let mut layer = ConfigLayer::default();
    let mut warnings = Vec::new();
    let Some(obj) = json.as_object() else {
        return Ok((layer, warnings));
    };
    for (key, v) in obj {
        match key.as_str() {
            "rules" => {
                let Some(rules) = v.as_object() else {
                    warnings.push("'rules' must be a table".into());
                    continue;
                };
                for (id, setting) in rules {
                    match rule_setting_from_json(setting) {
                        Some(p) => layer.rules.push((id.clone(), p)),
                        None => warnings.push(format!(
                            "invalid setting for rule '{id}': use \"off\", \"on\", a severity \
                             (error, warning, info, hint) or a table with level/enabled/options"
                        )),
                    }
                }
            }
            "ignore" | "ignored" => match string_list(v) {
                Some(list) => layer.ignored = list,
                None => warnings.push(format!("'{key}' must be a list of rule ids")),
            },
            "trusted-registries" | "trusted_registries" | "trustedRegistries" => {
                match string_list(v) {
                    Some(list) => layer.trusted_registries = Some(list),
                    None => warnings.push(format!("'{key}' must be a list of strings")),
                }
            }
            "failure-threshold" | "failure_threshold" => {
                match v.as_str().and_then(parse_threshold) {
                    Some(t) => layer.failure_threshold = Some(t),
                    None => warnings.push(format!(
                        "'{key}' must be error, warning, info, hint or none"
                    )),
                }
            }
            "shellcheck" => match v.as_bool() {
                Some(b) => layer.shellcheck = Some(b),
                None => warnings.push("'shellcheck' must be true or false".into()),
            },
            other => warnings.push(format!("unknown setting '{other}'")),
        }
    }
    warn_unknown_ids(&layer, &mut warnings);
    Ok((layer, warnings))
}

/// Parses hadolint's `.hadolint.yaml`: `ignored`, `override` (`error`/`warning`/`info`/`style`
/// lists), `trustedRegistries`, `failure-threshold`, `no-fail`. Keys hadolint knows that have no
/// meaning here (`strict-labels`, `label-schema`, `format`, `no-color`, `verbose`,
/// `disable-ignore-pragma`) are ignored with a warning.
pub fn layer_from_hadolint_yaml(text: &str) -> Result<(ConfigLayer, Vec<String>), String> {
    let json: serde_json::Value = if text.trim().is_empty() {
        serde_json::Value::Null
    } else {
        serde_yaml_ng::from_str(text).map_err(|e| e.to_string())?
    };
    let mut layer = ConfigLayer::default();
    let mut warnings = Vec::new();
    let obj = match &json {
        serde_json::Value::Object(o) => o,
        serde_json::Value::Null => return Ok((layer, warnings)),
        _ => return Err("the file must be a YAML mapping".into()),
    };
    let mut no_fail = false;
    for (key, v) in obj {
        match key.as_str() {
            "ignored" => match string_list(v) {
                Some(list) => layer.ignored = list,
                None => warnings.push("'ignored' must be a list of rule codes".into()),
            },
            "override" => {
                let Some(levels) = v.as_object() else {
                    warnings.push("'override' must be a mapping of severity to codes".into());
                    continue;
                };
                for (level, codes) in levels {
                    let Some(sev) = Severity::parse(level) else {
                        warnings.push(format!(
                            "unknown severity '{level}' in 'override' (expected error, warning, info or style)"
                        ));
                        continue;
                    };
                    let Some(codes) = string_list(codes) else {
                        warnings.push(format!("'override.{level}' must be a list of rule codes"));
                        continue;
                    };
                    for code in codes {
                        layer.rules.push((
                            code,
                            RuleSetting {
                                level: Some(sev),
                                ..RuleSetting::default()
                            },
                        ));
                    }
                }
            }
            "trustedRegistries" => match string_list(v) {
                Some(list) => layer.trusted_registries = Some(list),
                None => warnings.push("'trustedRegistries' must be a list of strings".into()),
            },
            "failure-threshold" => match v.as_str().and_then(parse_threshold) {
                Some(t) => layer.failure_threshold = Some(t),
                None => warnings
                    .push("'failure-threshold' must be error, warning, info, style or none".into()),
            },
            "no-fail" => match v.as_bool() {
                Some(b) => no_fail = b,
                None => warnings.push("'no-fail' must be true or false".into()),
            },
            "strict-labels"
            | "label-schema"
            | "format"
            | "no-color"
            | "verbose"
            | "disable-ignore-pragma"
            | "output-file"
            | "require-labels" => warnings.push(format!(
                "hadolint setting '{key}' is not supported and is ignored"
            )),
            other => warnings.push(format!("unknown hadolint setting '{other}'")),
        }
    }
    if no_fail {
        layer.failure_threshold = Some(None);
    }
    warn_unknown_ids(&layer, &mut warnings);
    Ok((layer, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn applied(layers: &[&ConfigLayer]) -> Config {
        let mut c = Config::default();
        for l in layers {
            c.apply(l);
        }
        c
    }

    fn meta(id: &str) -> &'static crate::rules::RuleMeta {
        find_rule(id).unwrap().meta()
    }

    #[test]
    fn toml_every_key() {
        let (layer, warnings) = layer_from_toml(
            r#"
ignore = ["DFL009"]
trusted-registries = ["docker.io", "ghcr.io"]
failure-threshold = "warning"
shellcheck = false

[rules]
DFL001 = "off"
unknown-flag = "info"

[rules.DFL002]
level = "hint"
options = { max = 3 }
"#,
        )
        .unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        let c = applied(&[&layer]);
        let s = &c.settings;
        assert!(!s.is_enabled(meta("DFL001")));
        assert!(!s.is_enabled(meta("DFL009")));
        assert_eq!(s.severity(meta("DFL005")), Severity::Info);
        assert_eq!(s.severity(meta("DFL002")), Severity::Hint);
        assert_eq!(
            s.rule_options(meta("DFL002")),
            Some(&serde_json::json!({"max": 3}))
        );
        assert_eq!(s.trusted_registries, ["docker.io", "ghcr.io"]);
        assert_eq!(c.fail_on, Some(Severity::Warning));
        assert!(!s.shellcheck);
    }

    #[test]
    fn toml_warnings_and_errors() {
        let (_, warnings) = layer_from_toml(
            "colour = true\nfailure-threshold = \"fatal\"\n[rules]\nno-such-rule = \"off\"\nDFL001 = \"loud\"\nDL3008 = \"off\"\n[rules.DFL002]\nlevle = \"info\"\n",
        )
        .unwrap();
        insta::assert_snapshot!(warnings.join("\n"), @r#"
        unknown setting 'colour'
        'failure-threshold' must be error, warning, info, hint or none
        invalid setting for rule 'DFL001': use "off", "on", a severity (error, warning, info, hint) or a table with level/enabled/options
        invalid setting for rule 'DFL002': use "off", "on", a severity (error, warning, info, hint) or a table with level/enabled/options
        unknown rule 'no-such-rule': it names no rule of dockerfile-lsp, hadolint, ShellCheck or BuildKit
        "#);
        assert!(layer_from_toml("rules = [").is_err());
    }

    #[test]
    fn hadolint_yaml_every_key() {
        let (layer, warnings) = layer_from_hadolint_yaml(
            "ignored:\n  - DL3008\n  - DFL009\noverride:\n  error:\n    - DFL005\n  style:\n    - DFL002\ntrustedRegistries:\n  - my.registry\nfailure-threshold: info\nstrict-labels: true\nlabel-schema:\n  author: text\n",
        )
        .unwrap();
        assert_eq!(
            warnings,
            // In the file's order.
            [
                "hadolint setting 'strict-labels' is not supported and is ignored",
                "hadolint setting 'label-schema' is not supported and is ignored"
            ]
        );
        let c = applied(&[&layer]);
        assert!(!c.settings.is_enabled(meta("DFL009")));
        assert_eq!(c.settings.severity(meta("DFL005")), Severity::Error);
        assert_eq!(c.settings.severity(meta("DFL002")), Severity::Hint);
        assert_eq!(c.settings.trusted_registries, ["my.registry"]);
        assert_eq!(c.fail_on, Some(Severity::Info));
        let (layer, _) = layer_from_hadolint_yaml("no-fail: true\n").unwrap();
        assert_eq!(applied(&[&layer]).fail_on, None);
        assert!(layer_from_hadolint_yaml("- a\n- b\n").is_err());
        assert!(layer_from_hadolint_yaml("ignored: [\n").is_err());
        assert_eq!(
            layer_from_hadolint_yaml("").unwrap().0,
            ConfigLayer::default()
        );
        let (_, w) = layer_from_hadolint_yaml("ignored: [DL9999x]\n").unwrap();
        assert_eq!(w.len(), 1, "{w:?}");
    }

    #[test]
    fn later_layers_win() {
        let (hadolint, _) = layer_from_hadolint_yaml(
            "ignored: [DFL001]\noverride:\n  info: [DFL005]\nfailure-threshold: warning\n",
        )
        .unwrap();
        let (toml, _) =
            layer_from_toml("[rules]\nunknown-instruction = \"warning\"\nunknown-flag = \"off\"\n")
                .unwrap();
        let c = applied(&[&hadolint, &toml]);
        // toml re-enabled what hadolint ignored, and turned off what hadolint re-levelled.
        assert!(c.settings.is_enabled(meta("DFL001")));
        assert_eq!(c.settings.severity(meta("DFL001")), Severity::Warning);
        assert!(!c.settings.is_enabled(meta("DFL005")));
        assert_eq!(c.settings.rules.len(), 2, "{:?}", c.settings.rules);
        assert_eq!(c.fail_on, Some(Severity::Warning));
        let cli = ConfigLayer {
            ignored: vec!["DFL001".into()],
            failure_threshold: Some(None),
            ..ConfigLayer::default()
        };
        let c = applied(&[&hadolint, &toml, &cli]);
        assert!(!c.settings.is_enabled(meta("DFL001")));
        assert_eq!(c.fail_on, None);
    }
}
