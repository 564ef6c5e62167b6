//! Finding and reading configuration files (the CLI's only configuration I/O).

use super::layer::{layer_from_hadolint_yaml, layer_from_toml, ConfigLayer};
use std::path::{Path, PathBuf};

/// Our configuration file name.
pub const TOML_FILE: &str = "dockerfile-lsp.toml";
/// hadolint's configuration file names, in the order hadolint prefers them.
pub const HADOLINT_FILES: &[&str] = &[".hadolint.yaml", ".hadolint.yml"];

/// Which format a configuration file is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfigFileKind {
    Toml,
    Hadolint,
}

impl ConfigFileKind {
    /// By extension: `.yaml`/`.yml` is hadolint's format, anything else ours.
    pub fn of(path: &Path) -> ConfigFileKind {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml") => {
                ConfigFileKind::Hadolint
            }
            _ => ConfigFileKind::Toml,
        }
    }
}

fn nearest(dir: &Path, names: &[&str]) -> Option<PathBuf> {
    for d in dir.ancestors() {
        for name in names {
            let p = d.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// The configuration files that apply to files in `dir`, in the order they are applied: the
/// nearest `.hadolint.yaml`/`.hadolint.yml`, then the nearest `dockerfile-lsp.toml`, each
/// searched from `dir` up to the filesystem root independently.
pub fn discover_config_files(dir: &Path) -> Vec<(PathBuf, ConfigFileKind)> {
    let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let mut out = Vec::new();
    if let Some(p) = nearest(&dir, HADOLINT_FILES) {
        out.push((p, ConfigFileKind::Hadolint));
    }
    if let Some(p) = nearest(&dir, &[TOML_FILE]) {
        out.push((p, ConfigFileKind::Toml));
    }
    out
}

/// Reads and parses a configuration file. Errors (unreadable, not valid TOML/YAML) are
/// messages naming the file; warnings are returned without the file name.
pub fn load_config_file(
    path: &Path,
    kind: ConfigFileKind,
) -> Result<(ConfigLayer, Vec<String>), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let text = String::from_utf8_lossy(&bytes);
    let parsed = match kind {
        ConfigFileKind::Toml => layer_from_toml(&text),
        ConfigFileKind::Hadolint => layer_from_hadolint_yaml(&text),
    };
    parsed.map_err(|e| format!("{}: {}", path.display(), e.trim_end()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovers_nearest_files_of_each_kind() {
        let root = tempfile::tempdir().unwrap();
        let sub = root.path().join("a/b");
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(root.path().join(TOML_FILE), "").unwrap();
        std::fs::write(root.path().join("a/.hadolint.yml"), "").unwrap();
        std::fs::write(root.path().join(".hadolint.yaml"), "").unwrap();
        let found = discover_config_files(&sub);
        assert_eq!(
            found,
            [
                (
                    root.path().join("a/.hadolint.yml"),
                    ConfigFileKind::Hadolint
                ),
                (root.path().join(TOML_FILE), ConfigFileKind::Toml),
            ]
        );
        assert_eq!(
            ConfigFileKind::of(Path::new("x/.hadolint.YAML")),
            ConfigFileKind::Hadolint
        );
        assert_eq!(
            ConfigFileKind::of(Path::new("ci.toml")),
            ConfigFileKind::Toml
        );
    }

    #[test]
    fn load_reports_the_file_on_errors() {
        let root = tempfile::tempdir().unwrap();
        let p = root.path().join(TOML_FILE);
        std::fs::write(&p, "rules = [").unwrap();
        let err = load_config_file(&p, ConfigFileKind::Toml).unwrap_err();
        assert!(err.starts_with(&p.display().to_string()), "{err}");
        let missing = root.path().join("nope.toml");
        assert!(load_config_file(&missing, ConfigFileKind::Toml).is_err());
    }
}
