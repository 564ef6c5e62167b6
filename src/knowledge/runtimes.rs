//! Support windows of the language runtimes and servers inside popular images, so hover can
//! say "Python 3.10 reached end of life on 2026-10-31" independently of the distribution.
//!
//! Sources (last checked 2026-11-23): Python PEPs 596/619/664/693/719/745 and
//! devguide.python.org/versions (five years per minor, end of October); nodejs.org release
//! schedule (even majors, LTS ends 30 April three years after release); php.net/supported-versions
//! (security support ends 31 December); ruby-lang.org (about 3.25 years, ends 31 March);
//! postgresql.org/support/versioning (five years, November); go.dev/doc/devel/release (each
//! release is supported until the second newer major release, ≈ one year: approximate).

use super::images::Date;

/// One runtime release line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuntimeRelease {
    /// Display name: `Python`, `Node.js`.
    pub runtime: &'static str,
    /// The version prefix in tags: `3.10`, `20`.
    pub version: &'static str,
    pub eol: Date,
    pub approximate: bool,
}

impl RuntimeRelease {
    pub fn is_eol(&self, today: Date) -> bool {
        today > self.eol
    }
}

const fn rr(
    runtime: &'static str,
    version: &'static str,
    eol: Date,
    approximate: bool,
) -> RuntimeRelease {
    RuntimeRelease {
        runtime,
        version,
        eol,
        approximate,
    }
}

const PY: &str = "Python";
const NODE: &str = "Node.js";
const PHP: &str = "PHP";
const RUBY: &str = "Ruby";
const PG: &str = "PostgreSQL";
const GO: &str = "Go";

/// (images whose tag starts with the version, releases)
static TABLE: &[(&[&str], &[RuntimeRelease])] = &[
    (
        &["python"],
        &[
            rr(PY, "3.7", Date::new(2023, 6, 27), false),
            rr(PY, "3.8", Date::new(2024, 10, 7), false),
            rr(PY, "3.9", Date::new(2025, 10, 31), false),
            rr(PY, "3.10", Date::new(2026, 10, 31), false),
            rr(PY, "3.11", Date::new(2027, 10, 31), true),
            rr(PY, "3.12", Date::new(2028, 10, 31), true),
            rr(PY, "3.13", Date::new(2029, 10, 31), true),
            rr(PY, "3.14", Date::new(2030, 10, 31), true),
        ],
    ),
    (
        &["node"],
        &[
            rr(NODE, "14", Date::new(2023, 4, 30), false),
            rr(NODE, "16", Date::new(2023, 9, 11), false),
            rr(NODE, "18", Date::new(2025, 4, 30), false),
            rr(NODE, "20", Date::new(2026, 4, 30), false),
            rr(NODE, "22", Date::new(2027, 4, 30), false),
            rr(NODE, "24", Date::new(2028, 4, 30), false),
        ],
    ),
    (
        &["php"],
        &[
            rr(PHP, "7.4", Date::new(2022, 11, 28), false),
            rr(PHP, "8.0", Date::new(2023, 11, 26), false),
            rr(PHP, "8.1", Date::new(2025, 12, 31), false),
            rr(PHP, "8.2", Date::new(2026, 12, 31), false),
            rr(PHP, "8.3", Date::new(2027, 12, 31), false),
            rr(PHP, "8.4", Date::new(2028, 12, 31), false),
        ],
    ),
    (
        &["ruby"],
        &[
            rr(RUBY, "3.0", Date::new(2024, 4, 23), false),
            rr(RUBY, "3.1", Date::new(2025, 3, 26), false),
            rr(RUBY, "3.2", Date::new(2026, 3, 31), true),
            rr(RUBY, "3.3", Date::new(2027, 3, 31), true),
            rr(RUBY, "3.4", Date::new(2028, 3, 31), true),
        ],
    ),
    (
        &["postgres"],
        &[
            rr(PG, "12", Date::new(2024, 11, 21), false),
            rr(PG, "13", Date::new(2025, 11, 13), false),
            rr(PG, "14", Date::new(2026, 11, 12), false),
            rr(PG, "15", Date::new(2027, 11, 11), false),
            rr(PG, "16", Date::new(2028, 11, 9), false),
            rr(PG, "17", Date::new(2029, 11, 8), false),
            rr(PG, "18", Date::new(2030, 11, 14), true),
        ],
    ),
    (
        &["golang"],
        &[
            rr(GO, "1.21", Date::new(2024, 8, 13), false),
            rr(GO, "1.22", Date::new(2025, 2, 11), false),
            rr(GO, "1.23", Date::new(2025, 8, 12), false),
            rr(GO, "1.24", Date::new(2026, 2, 10), true),
            rr(GO, "1.25", Date::new(2026, 8, 11), true),
        ],
    ),
];

/// The runtime release an image tag selects (`python`, `3.10.4-slim` → Python 3.10).
pub fn runtime_release(image: &str, version: &str) -> Option<&'static RuntimeRelease> {
    let (_, releases) = TABLE.iter().find(|(names, _)| names.contains(&image))?;
    releases.iter().find(|r| {
        version == r.version
            || version
                .strip_prefix(r.version)
                .is_some_and(|rest| rest.starts_with('.'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_versions_by_prefix() {
        let today = Date::new(2026, 11, 23);
        let r = runtime_release("python", "3.10.4").unwrap();
        assert_eq!(r.version, "3.10");
        assert!(r.is_eol(today));
        assert!(runtime_release("python", "3.1").is_none());
        assert!(!runtime_release("python", "3.12").unwrap().is_eol(today));
        assert!(runtime_release("node", "20").unwrap().is_eol(today));
        assert!(!runtime_release("node", "22.11.0").unwrap().is_eol(today));
        assert!(runtime_release("postgres", "14").unwrap().is_eol(today));
        assert!(runtime_release("redis", "7").is_none());
    }
}
