//! Values of instruction flags: `--mount` types and their keys, `--network`, `--security`,
//! `--platform`, booleans, durations. The flags themselves (names, docs) come from
//! [`crate::syntax::flag_spec`]. Written from BuildKit's Dockerfile frontend behaviour
//! (dockerfile syntax 1.x), last checked 2026-11-23.

use crate::syntax::{flag_spec, FlagSpec, Keyword};

/// A value a flag or key accepts, with a short explanation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ValueDoc {
    pub value: &'static str,
    pub doc: &'static str,
}

const fn v(value: &'static str, doc: &'static str) -> ValueDoc {
    ValueDoc { value, doc }
}

/// `RUN --mount=type=…`.
pub static MOUNT_TYPES: &[ValueDoc] = &[
    v("bind", "Bind a directory or file from the build context, a stage or an image (read-only unless `rw`). The default type."),
    v("cache", "A persistent cache directory shared between builds (package manager and compiler caches); never part of the image."),
    v("secret", "A secret passed with `docker build --secret id=…`, readable by this command only (default `/run/secrets/<id>`)."),
    v("ssh", "Access to the SSH agent forwarded with `docker build --ssh default` (for `git clone` of private repositories)."),
    v("tmpfs", "An in-memory filesystem for this command only."),
];

/// Which mount types a key applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MountKey {
    pub name: &'static str,
    /// Other spellings BuildKit accepts for the same key.
    pub aliases: &'static [&'static str],
    pub types: &'static [&'static str],
    pub doc: &'static str,
    /// Accepted values, when they form a closed (or conventional) set.
    pub values: &'static [ValueDoc],
    /// A key written without `=` (`readonly`, `rw`).
    pub boolean: bool,
}

const BOOL: &[ValueDoc] = &[v("true", ""), v("false", "")];
const MODES: &[ValueDoc] = &[
    v("0400", "read-only for the owner"),
    v("0440", "read-only for owner and group"),
    v("0600", "read-write for the owner"),
    v("0644", "owner read-write, others read"),
    v("0755", "owner all, others read and execute"),
    v("0777", "everyone read, write and execute"),
];
const IDS: &[ValueDoc] = &[
    v("0", "root"),
    v("1000", "first regular user on most distributions"),
    v("65532", "`nonroot` in distroless images"),
];

const ALL: &[&str] = &["bind", "cache", "secret", "ssh", "tmpfs"];

/// Every key of `--mount`, with the types it applies to.
pub static MOUNT_KEYS: &[MountKey] = &[
    MountKey { name: "type", aliases: &[], types: ALL, doc: "The mount type: `bind` (default), `cache`, `secret`, `ssh` or `tmpfs`.", values: MOUNT_TYPES, boolean: false },
    MountKey { name: "target", aliases: &["dst", "destination"], types: ALL, doc: "Where the mount appears in the container (required for bind, cache and tmpfs).", values: &[], boolean: false },
    MountKey { name: "source", aliases: &["src"], types: &["bind", "cache"], doc: "Path inside `from` (the build context by default) to mount; for cache, a subpath of the cache.", values: &[], boolean: false },
    MountKey { name: "from", aliases: &[], types: &["bind", "cache"], doc: "A stage, image or named context to take `source` from (the build context by default; an empty directory for cache).", values: &[], boolean: false },
    MountKey { name: "readonly", aliases: &["ro"], types: &["bind", "cache"], doc: "Mount read-only.", values: BOOL, boolean: true },
    MountKey { name: "rw", aliases: &["readwrite"], types: &["bind"], doc: "Allow writes to a bind mount; the changes are discarded after the command.", values: BOOL, boolean: true },
    MountKey { name: "id", aliases: &[], types: &["cache", "secret", "ssh"], doc: "Cache: identifies the cache (defaults to the target). Secret/ssh: the id given to `docker build --secret`/`--ssh`.", values: &[], boolean: false },
    MountKey { name: "sharing", aliases: &[], types: &["cache"], doc: "How concurrent builds share the cache: `shared` (default), `private` or `locked`.", values: &[
        v("shared", "Concurrent writers use the cache at the same time (default)."),
        v("private", "A concurrent writer gets a new, empty cache."),
        v("locked", "Concurrent writers wait for each other (apt caches need this)."),
    ], boolean: false },
    MountKey { name: "mode", aliases: &[], types: &["cache", "secret", "ssh"], doc: "File mode of the mount point (cache default `0755`, secret `0400`, ssh socket `0600`).", values: MODES, boolean: false },
    MountKey { name: "uid", aliases: &[], types: &["cache", "secret", "ssh"], doc: "Owner user id (default `0`).", values: IDS, boolean: false },
    MountKey { name: "gid", aliases: &[], types: &["cache", "secret", "ssh"], doc: "Owner group id (default `0`).", values: IDS, boolean: false },
    MountKey { name: "required", aliases: &[], types: &["secret", "ssh"], doc: "Fail the build when the secret or SSH agent is not provided (default `false`).", values: BOOL, boolean: true },
    MountKey { name: "env", aliases: &[], types: &["secret"], doc: "Expose the secret as this environment variable instead of (or besides) a file.", values: &[], boolean: false },
    MountKey { name: "size", aliases: &[], types: &["tmpfs"], doc: "Maximum size of the tmpfs in bytes (no limit by default).", values: &[], boolean: false },
];

/// The key named `name` (or one of its aliases), case-insensitive.
pub fn mount_key(name: &str) -> Option<&'static MountKey> {
    MOUNT_KEYS.iter().find(|k| {
        k.name.eq_ignore_ascii_case(name) || k.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
    })
}

/// The keys that apply to mount type `ty` (`bind` when empty, as in BuildKit).
pub fn mount_keys_for(ty: &str) -> impl Iterator<Item = &'static MountKey> + '_ {
    let ty = if ty.is_empty() { "bind" } else { ty };
    MOUNT_KEYS
        .iter()
        .filter(move |k| k.types.iter().any(|t| t.eq_ignore_ascii_case(ty)))
}

/// Platforms for `--platform`: the automatic build ARGs first, then the common OS/arch pairs.
pub static PLATFORMS: &[ValueDoc] = &[
    v(
        "$BUILDPLATFORM",
        "The platform of the machine running the build: use it for stages that cross-compile.",
    ),
    v(
        "$TARGETPLATFORM",
        "The platform being built for (the default for every stage).",
    ),
    v("linux/amd64", "64-bit x86"),
    v("linux/arm64", "64-bit ARM (AWS Graviton, Apple silicon)"),
    v(
        "linux/arm/v7",
        "32-bit ARMv7 (Raspberry Pi 2/3 with a 32-bit OS)",
    ),
    v("linux/arm/v6", "32-bit ARMv6 (Raspberry Pi Zero/1)"),
    v("linux/386", "32-bit x86"),
    v("linux/ppc64le", "IBM POWER, little-endian"),
    v("linux/s390x", "IBM Z"),
    v("linux/riscv64", "64-bit RISC-V"),
    v("windows/amd64", "Windows containers on x86-64"),
];

const NETWORK: &[ValueDoc] = &[
    v("default", "The normal build network."),
    v(
        "none",
        "No network access: the command can only use what is already in the image or mounted.",
    ),
    v(
        "host",
        "The host's network stack (needs the `network.host` entitlement).",
    ),
];
const SECURITY: &[ValueDoc] = &[
    v("sandbox", "The default: run in the normal sandbox."),
    v(
        "insecure",
        "Run without the sandbox, like `--privileged` (needs the `security.insecure` entitlement).",
    ),
];
const CHMOD: &[ValueDoc] = &[
    v("0755", "directories and executables"),
    v("0644", "regular files"),
    v("0555", "read and execute only"),
    v("0444", "read-only"),
    v("0700", "owner only"),
    v("u+x", "symbolic: add execute for the owner"),
];
const CHECKSUM: &[ValueDoc] = &[v(
    "sha256:",
    "`sha256:<64 hex digits>` of the downloaded file",
)];
const INTERVAL: &[ValueDoc] = &[v("30s", "default"), v("10s", ""), v("1m", "")];
const TIMEOUT: &[ValueDoc] = &[v("30s", "default"), v("5s", ""), v("10s", "")];
const START_PERIOD: &[ValueDoc] = &[v("0s", "default"), v("30s", ""), v("1m", "")];
const START_INTERVAL: &[ValueDoc] = &[v("5s", "default"), v("2s", "")];
const RETRIES: &[ValueDoc] = &[v("3", "default"), v("5", "")];

/// The known values of `--flag` on `keyword` (empty when open-ended, as for `--chown`).
pub fn flag_values(keyword: Keyword, flag: &str) -> &'static [ValueDoc] {
    if let Some(spec) = find_flag(keyword, flag) {
        if spec.boolean {
            return BOOL;
        }
    }
    match (keyword, flag) {
        (Keyword::Run, "mount") => &[], // structured: see MOUNT_KEYS
        (Keyword::Run, "network") => NETWORK,
        (Keyword::Run, "security") => SECURITY,
        (Keyword::From, "platform") => PLATFORMS,
        (Keyword::Copy | Keyword::Add, "chmod") => CHMOD,
        (Keyword::Add, "checksum") => CHECKSUM,
        (Keyword::Healthcheck, "interval") => INTERVAL,
        (Keyword::Healthcheck, "timeout") => TIMEOUT,
        (Keyword::Healthcheck, "start-period") => START_PERIOD,
        (Keyword::Healthcheck, "start-interval") => START_INTERVAL,
        (Keyword::Healthcheck, "retries") => RETRIES,
        _ => &[],
    }
}

/// The spec of `--flag` on `keyword`.
pub fn find_flag(keyword: Keyword, flag: &str) -> Option<&'static FlagSpec> {
    flag_spec(keyword)
        .iter()
        .find(|f| f.name.eq_ignore_ascii_case(flag))
}

/// Flags that may be given more than once.
pub fn is_repeatable(keyword: Keyword, flag: &str) -> bool {
    matches!(
        (keyword, flag),
        (Keyword::Run, "mount") | (Keyword::Copy | Keyword::Add, "exclude")
    )
}

/// Markdown for a flag: its doc and, when known, its values (for `--mount`, the types and
/// the keys of `mount_type` when given).
pub fn flag_markdown(keyword: Keyword, flag: &str, mount_type: Option<&str>) -> Option<String> {
    let spec = find_flag(keyword, flag)?;
    let mut out = format!(
        "**`--{}`** ({})\n\n{}",
        spec.name,
        keyword.as_str(),
        spec.doc
    );
    if keyword == Keyword::Run && spec.name == "mount" {
        out.push_str("\n\nTypes:\n");
        for t in MOUNT_TYPES {
            out.push_str(&format!("- `{}`: {}\n", t.value, t.doc));
        }
        if let Some(ty) = mount_type {
            out.push_str(&format!("\nKeys of `type={ty}`:\n"));
            for k in mount_keys_for(ty).filter(|k| k.name != "type") {
                out.push_str(&format!("- {}: {}\n", key_label(k), k.doc));
            }
        }
        return Some(out);
    }
    let values = flag_values(keyword, spec.name);
    if !values.is_empty() && !spec.boolean {
        out.push_str("\n\nValues:\n");
        for v in values {
            if v.doc.is_empty() {
                out.push_str(&format!("- `{}`\n", v.value));
            } else {
                out.push_str(&format!("- `{}`: {}\n", v.value, v.doc));
            }
        }
    }
    Some(out)
}

/// `` `target` (`dst`, `destination`) ``.
pub fn key_label(k: &MountKey) -> String {
    let mut s = format!("`{}`", k.name);
    if !k.aliases.is_empty() {
        let a: Vec<String> = k.aliases.iter().map(|a| format!("`{a}`")).collect();
        s.push_str(&format!(" ({})", a.join(", ")));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mount_keys_per_type() {
        let cache: Vec<_> = mount_keys_for("cache").map(|k| k.name).collect();
        for k in [
            "type", "target", "id", "sharing", "from", "source", "mode", "uid", "gid", "readonly",
        ] {
            assert!(cache.contains(&k), "cache lacks {k}");
        }
        assert!(!cache.contains(&"size") && !cache.contains(&"env"));
        let secret: Vec<_> = mount_keys_for("secret").map(|k| k.name).collect();
        assert!(secret.contains(&"env") && secret.contains(&"required"));
        assert!(mount_keys_for("tmpfs").any(|k| k.name == "size"));
        assert_eq!(mount_key("dst").map(|k| k.name), Some("target"));
        assert_eq!(mount_key("ro").map(|k| k.name), Some("readonly"));
        // bind is the default type
        assert!(mount_keys_for("").any(|k| k.name == "rw"));
    }

    #[test]
    fn flag_values_and_docs() {
        let net: Vec<_> = flag_values(Keyword::Run, "network")
            .iter()
            .map(|v| v.value)
            .collect();
        assert_eq!(net, ["default", "none", "host"]);
        let sec: Vec<_> = flag_values(Keyword::Run, "security")
            .iter()
            .map(|v| v.value)
            .collect();
        assert!(sec.contains(&"insecure") && sec.contains(&"sandbox"));
        assert!(flag_values(Keyword::From, "platform")
            .iter()
            .any(|v| v.value == "$BUILDPLATFORM"));
        assert_eq!(flag_values(Keyword::Copy, "link").len(), 2);
        let md = flag_markdown(Keyword::Run, "mount", Some("cache")).unwrap();
        assert!(md.contains("`sharing`") && md.contains("tmpfs"));
        assert!(flag_markdown(Keyword::Run, "nope", None).is_none());
    }
}
