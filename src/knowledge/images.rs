//! A catalog of popular base images: what they are, where they live, their flavors and the
//! distribution releases behind them (with support dates), typical sizes, default user and
//! shell; plus a tag parser and helpers used by completion, hover, rules and assists.
//!
//! Sources and freshness (last checked 2026-11-23, from the projects' own release pages as
//! known to the authors; dates are end of *free* security support):
//! * Debian: release notes and the Debian LTS wiki — 10 buster LTS ended 2024-06-30,
//!   11 bullseye LTS ends 2026-08-31, 12 bookworm LTS ends 2028-06-30, 13 trixie ≈ 2030-06-30.
//! * Ubuntu: ubuntu.com/about/release-cycle — *standard* support (what the Docker Hub image
//!   gets without Ubuntu Pro): 18.04 ended 2023-05-31, 20.04 ended 2025-05-31, 22.04 April
//!   2027, 24.04 April 2029, 26.04 April 2031 (month precision; the day is approximate).
//! * Alpine: alpinelinux.org/releases — each branch ≈ 2 years (main repository).
//! * RHEL/UBI, Rocky, Alma: Red Hat life cycle page, end of maintenance support.
//! * Amazon Linux: AL2 end of support 2026-06-30, AL2023 2029-06-30.
//! * Windows Server: Microsoft life cycle, end of extended support.
//!
//! Image sizes are typical *compressed* linux/amd64 sizes as shown by registries, rounded;
//! they drift with every rebuild, so they are always shown as "≈". Suggested tags are tags
//! known to exist when the catalog was written; newer releases may exist.

use crate::syntax::ImageRef;
use std::fmt;

/// A calendar date (proleptic Gregorian, UTC).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub const fn new(year: u16, month: u8, day: u8) -> Date {
        Date { year, month, day }
    }

    /// `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Date> {
        let mut it = s.trim().splitn(3, '-');
        let y = it.next()?.parse().ok()?;
        let m: u8 = it.next()?.parse().ok()?;
        let d: u8 = it.next()?.parse().ok()?;
        ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some(Date::new(y, m, d))
    }

    /// Today's UTC date from the system clock (1970-01-01 if the clock is before the epoch).
    pub fn today() -> Date {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| Date::from_unix_seconds(i64::try_from(d.as_secs()).unwrap_or(0)))
            .unwrap_or(Date::new(1970, 1, 1))
    }

    /// The UTC date of a Unix timestamp (the server passes the system clock's).
    pub fn from_unix_seconds(secs: i64) -> Date {
        // Days-to-civil conversion (Howard Hinnant's well-known algorithm).
        let z = secs.div_euclid(86_400) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        Date::new(y.clamp(0, 9999) as u16, m as u8, d as u8)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The distribution family an image is built on (what package manager and userland to expect).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Family {
    Debian,
    Ubuntu,
    Alpine,
    /// Red Hat Enterprise Linux and relatives (UBI, Fedora, Rocky, Alma, Oracle, Amazon Linux).
    Rhel,
    BusyBox,
    /// No package manager and usually no shell (Google distroless, .NET chiseled).
    Distroless,
    Scratch,
    Windows,
    Arch,
}

impl Family {
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Debian => "Debian",
            Family::Ubuntu => "Ubuntu",
            Family::Alpine => "Alpine Linux",
            Family::Rhel => "RHEL family",
            Family::BusyBox => "BusyBox",
            Family::Distroless => "distroless",
            Family::Scratch => "scratch (empty)",
            Family::Windows => "Windows",
            Family::Arch => "Arch Linux",
        }
    }

    /// The package manager to use in RUN, if there is one.
    pub fn package_manager(self) -> Option<&'static str> {
        match self {
            Family::Debian | Family::Ubuntu => Some("apt-get"),
            Family::Alpine => Some("apk"),
            Family::Rhel => Some("dnf/microdnf/yum"),
            Family::Arch => Some("pacman"),
            _ => None,
        }
    }
}

/// The C library of an image.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Libc {
    Glibc,
    Musl,
    Uclibc,
    /// No libc at all (static binaries only).
    None,
    Windows,
}

impl Libc {
    pub fn as_str(self) -> &'static str {
        match self {
            Libc::Glibc => "glibc",
            Libc::Musl => "musl",
            Libc::Uclibc => "uClibc",
            Libc::None => "none (static binaries only)",
            Libc::Windows => "Windows (MSVC runtime)",
        }
    }
}

/// A distribution release with its support window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Release {
    /// `debian`, `ubuntu`, `alpine`, `rhel`, `amazonlinux`, `windows`.
    pub distro: &'static str,
    pub family: Family,
    pub version: &'static str,
    /// `bookworm`, `jammy`, `ltsc2022`; empty when the release has none.
    pub codename: &'static str,
    pub name: &'static str,
    pub released: Date,
    /// End of free security support.
    pub eol: Date,
    /// What `eol` is the end of.
    pub support: &'static str,
    /// The day (or month) of `eol` is an estimate.
    pub approximate: bool,
}

impl Release {
    /// True when security support ended before `today`.
    pub fn is_eol(&self, today: Date) -> bool {
        today > self.eol
    }
}

#[allow(clippy::too_many_arguments)]
const fn r(
    distro: &'static str,
    family: Family,
    version: &'static str,
    codename: &'static str,
    name: &'static str,
    released: Date,
    eol: Date,
    support: &'static str,
    approximate: bool,
) -> Release {
    Release {
        distro,
        family,
        version,
        codename,
        name,
        released,
        eol,
        support,
        approximate,
    }
}

const LTS: &str = "Debian LTS";
const STD: &str = "standard support";
const MAIN: &str = "main repository security fixes";

/// Known releases (see the module docs for the sources).
pub static RELEASES: &[Release] = &[
    r(
        "debian",
        Family::Debian,
        "9",
        "stretch",
        "Debian 9 (stretch)",
        Date::new(2017, 6, 17),
        Date::new(2022, 6, 30),
        LTS,
        false,
    ),
    r(
        "debian",
        Family::Debian,
        "10",
        "buster",
        "Debian 10 (buster)",
        Date::new(2019, 7, 6),
        Date::new(2024, 6, 30),
        LTS,
        false,
    ),
    r(
        "debian",
        Family::Debian,
        "11",
        "bullseye",
        "Debian 11 (bullseye)",
        Date::new(2021, 8, 14),
        Date::new(2026, 8, 31),
        LTS,
        false,
    ),
    r(
        "debian",
        Family::Debian,
        "12",
        "bookworm",
        "Debian 12 (bookworm)",
        Date::new(2023, 6, 10),
        Date::new(2028, 6, 30),
        LTS,
        false,
    ),
    r(
        "debian",
        Family::Debian,
        "13",
        "trixie",
        "Debian 13 (trixie)",
        Date::new(2025, 8, 9),
        Date::new(2030, 6, 30),
        LTS,
        true,
    ),
    r(
        "ubuntu",
        Family::Ubuntu,
        "18.04",
        "bionic",
        "Ubuntu 18.04 LTS (Bionic Beaver)",
        Date::new(2018, 4, 26),
        Date::new(2023, 5, 31),
        STD,
        false,
    ),
    r(
        "ubuntu",
        Family::Ubuntu,
        "20.04",
        "focal",
        "Ubuntu 20.04 LTS (Focal Fossa)",
        Date::new(2020, 4, 23),
        Date::new(2025, 5, 31),
        STD,
        false,
    ),
    r(
        "ubuntu",
        Family::Ubuntu,
        "22.04",
        "jammy",
        "Ubuntu 22.04 LTS (Jammy Jellyfish)",
        Date::new(2022, 4, 21),
        Date::new(2027, 4, 30),
        STD,
        true,
    ),
    r(
        "ubuntu",
        Family::Ubuntu,
        "24.04",
        "noble",
        "Ubuntu 24.04 LTS (Noble Numbat)",
        Date::new(2024, 4, 25),
        Date::new(2029, 4, 30),
        STD,
        true,
    ),
    r(
        "ubuntu",
        Family::Ubuntu,
        "26.04",
        "resolute",
        "Ubuntu 26.04 LTS (Resolute Raccoon)",
        Date::new(2026, 4, 23),
        Date::new(2031, 4, 30),
        STD,
        true,
    ),
    r(
        "alpine",
        Family::Alpine,
        "3.15",
        "",
        "Alpine 3.15",
        Date::new(2021, 11, 24),
        Date::new(2023, 11, 1),
        MAIN,
        false,
    ),
    r(
        "alpine",
        Family::Alpine,
        "3.16",
        "",
        "Alpine 3.16",
        Date::new(2022, 5, 23),
        Date::new(2024, 5, 23),
        MAIN,
        false,
    ),
    r(
        "alpine",
        Family::Alpine,
        "3.17",
        "",
        "Alpine 3.17",
        Date::new(2022, 11, 22),
        Date::new(2024, 11, 22),
        MAIN,
        false,
    ),
    r(
        "alpine",
        Family::Alpine,
        "3.18",
        "",
        "Alpine 3.18",
        Date::new(2023, 5, 9),
        Date::new(2025, 5, 9),
        MAIN,
        false,
    ),
    r(
        "alpine",
        Family::Alpine,
        "3.19",
        "",
        "Alpine 3.19",
        Date::new(2023, 12, 7),
        Date::new(2025, 11, 1),
        MAIN,
        false,
    ),
    r(
        "alpine",
        Family::Alpine,
        "3.20",
        "",
        "Alpine 3.20",
        Date::new(2024, 5, 22),
        Date::new(2026, 4, 1),
        MAIN,
        false,
    ),
    r(
        "alpine",
        Family::Alpine,
        "3.21",
        "",
        "Alpine 3.21",
        Date::new(2024, 12, 5),
        Date::new(2026, 11, 1),
        MAIN,
        false,
    ),
    r(
        "alpine",
        Family::Alpine,
        "3.22",
        "",
        "Alpine 3.22",
        Date::new(2025, 5, 30),
        Date::new(2027, 5, 1),
        MAIN,
        false,
    ),
    r(
        "alpine",
        Family::Alpine,
        "3.23",
        "",
        "Alpine 3.23",
        Date::new(2025, 12, 3),
        Date::new(2027, 11, 1),
        MAIN,
        true,
    ),
    r(
        "rhel",
        Family::Rhel,
        "8",
        "",
        "RHEL 8 / UBI 8",
        Date::new(2019, 5, 7),
        Date::new(2029, 5, 31),
        "maintenance support",
        false,
    ),
    r(
        "rhel",
        Family::Rhel,
        "9",
        "",
        "RHEL 9 / UBI 9",
        Date::new(2022, 5, 17),
        Date::new(2032, 5, 31),
        "maintenance support",
        false,
    ),
    r(
        "rhel",
        Family::Rhel,
        "10",
        "",
        "RHEL 10 / UBI 10",
        Date::new(2025, 5, 20),
        Date::new(2035, 5, 31),
        "maintenance support",
        true,
    ),
    r(
        "amazonlinux",
        Family::Rhel,
        "2",
        "al2",
        "Amazon Linux 2",
        Date::new(2018, 6, 26),
        Date::new(2026, 6, 30),
        "end of support",
        false,
    ),
    r(
        "amazonlinux",
        Family::Rhel,
        "2023",
        "al2023",
        "Amazon Linux 2023",
        Date::new(2023, 3, 15),
        Date::new(2029, 6, 30),
        "end of support",
        false,
    ),
    r(
        "windows",
        Family::Windows,
        "2019",
        "ltsc2019",
        "Windows Server 2019 (LTSC)",
        Date::new(2018, 11, 13),
        Date::new(2029, 1, 9),
        "extended support",
        false,
    ),
    r(
        "windows",
        Family::Windows,
        "2022",
        "ltsc2022",
        "Windows Server 2022 (LTSC)",
        Date::new(2021, 8, 18),
        Date::new(2031, 10, 14),
        "extended support",
        false,
    ),
    r(
        "windows",
        Family::Windows,
        "2025",
        "ltsc2025",
        "Windows Server 2025 (LTSC)",
        Date::new(2024, 11, 1),
        Date::new(2034, 10, 10),
        "extended support",
        true,
    ),
];

/// The release of `distro` named by `token` (`12`, `12.7`, `bookworm`, `3.20.3`, `jammy`).
pub fn find_release(distro: &str, token: &str) -> Option<&'static Release> {
    let t = token.to_ascii_lowercase();
    RELEASES.iter().find(|r| {
        r.distro == distro
            && (r.version == t
                || (!r.codename.is_empty() && r.codename == t)
                || t.strip_prefix(r.version)
                    .is_some_and(|rest| rest.starts_with('.')))
    })
}

/// What a tag component means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Flavor {
    /// Debian-based with most packages removed.
    Slim,
    /// Alpine-based: musl libc, BusyBox userland, very small.
    Alpine,
    WindowsServerCore,
    NanoServer,
    /// Runs as an unprivileged user by default.
    Nonroot,
    /// Adds a BusyBox shell for debugging (distroless).
    Debug,
    /// RHEL `-minimal` (microdnf) images.
    Minimal,
    /// RHEL `-micro` images: no package manager.
    Micro,
    /// Ubuntu chiseled (.NET): no shell, no package manager, non-root.
    Chiseled,
    Jdk,
    Jre,
}

impl Flavor {
    pub fn describe(self) -> &'static str {
        match self {
            Flavor::Slim => "`slim`: Debian with only the packages needed to run the language; glibc, much smaller than the full image, but no compilers or build headers (install them in a builder stage).",
            Flavor::Alpine => "`alpine`: built on Alpine Linux with musl libc and BusyBox — the smallest flavor, but prebuilt binaries/wheels for glibc may not work, DNS and locale behaviour differ, and some libraries are slower under musl.",
            Flavor::WindowsServerCore => "`windowsservercore`: full Windows Server Core, with PowerShell and most Win32 APIs; large.",
            Flavor::NanoServer => "`nanoserver`: minimal Windows, no PowerShell by default; the host must run a compatible Windows version.",
            Flavor::Nonroot => "`nonroot`: runs as an unprivileged user (uid 65532) by default.",
            Flavor::Debug => "`debug`: adds a BusyBox shell for troubleshooting; do not ship it to production.",
            Flavor::Minimal => "`minimal`: reduced RHEL userland with `microdnf` instead of `dnf`.",
            Flavor::Micro => "`micro`: the smallest RHEL userland, without a package manager.",
            Flavor::Chiseled => "`chiseled`: Ubuntu sliced down to the runtime's needs: no shell, no package manager, non-root `app` user.",
            Flavor::Jdk => "`jdk`: the full Java development kit (compiler, tools).",
            Flavor::Jre => "`jre`: only the Java runtime — use it for the final stage.",
        }
    }
}

/// What a tag says, image-independently: `3.12.1-slim-bookworm`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TagInfo {
    /// The leading version (`3.12.1`), or an alias such as `lts`, `latest`, `stable`.
    pub version: Option<String>,
    pub flavors: Vec<Flavor>,
    /// The distribution release named in the tag (`bookworm`, `alpine3.20`, `ltsc2022`, `ubi9`).
    pub release: Option<&'static Release>,
    /// The family the tag implies (`alpine` → Alpine even without a version).
    pub family: Option<Family>,
    pub libc: Option<Libc>,
    /// Components we did not recognise.
    pub other: Vec<String>,
}

const VERSION_ALIASES: &[&str] = &[
    "latest",
    "lts",
    "current",
    "stable",
    "mainline",
    "edge",
    "rolling",
    "testing",
    "unstable",
    "oldstable",
    "sid",
];

/// Parses a tag (`3.12.1-slim-bookworm`, `20-alpine3.20`, `ltsc2022`, `21-jre-ubi9-minimal`).
pub fn parse_tag(tag: &str) -> TagInfo {
    let mut info = TagInfo::default();
    let lower = tag.to_ascii_lowercase();
    for (i, part) in lower.split('-').filter(|p| !p.is_empty()).enumerate() {
        if i == 0
            && (part.starts_with(|c: char| c.is_ascii_digit())
                || (part.starts_with('v') && part[1..].starts_with(|c: char| c.is_ascii_digit()))
                || VERSION_ALIASES.contains(&part))
            && find_release("windows", part).is_none()
        {
            info.version = Some(part.to_string());
            continue;
        }
        match part {
            "slim" => info.flavors.push(Flavor::Slim),
            "windowsservercore" => info.flavors.push(Flavor::WindowsServerCore),
            "nanoserver" => info.flavors.push(Flavor::NanoServer),
            "nonroot" => info.flavors.push(Flavor::Nonroot),
            "debug" => info.flavors.push(Flavor::Debug),
            "minimal" => info.flavors.push(Flavor::Minimal),
            "micro" => info.flavors.push(Flavor::Micro),
            "chiseled" => info.flavors.push(Flavor::Chiseled),
            "jdk" => info.flavors.push(Flavor::Jdk),
            "jre" => info.flavors.push(Flavor::Jre),
            "musl" => info.libc = Some(Libc::Musl),
            "glibc" => info.libc = Some(Libc::Glibc),
            "uclibc" => info.libc = Some(Libc::Uclibc),
            p if p.starts_with("alpine") => {
                info.flavors.push(Flavor::Alpine);
                info.family = Some(Family::Alpine);
                let v = &p["alpine".len()..];
                if !v.is_empty() {
                    info.release = find_release("alpine", v);
                }
            }
            p if p.starts_with("ubi")
                && p[3..].chars().all(|c| c.is_ascii_digit())
                && p.len() > 3 =>
            {
                info.family = Some(Family::Rhel);
                info.release = find_release("rhel", &p[3..]);
            }
            p if p == "al2" || p == "al2023" => {
                info.family = Some(Family::Rhel);
                info.release = find_release("amazonlinux", p);
            }
            p => {
                let found = ["debian", "ubuntu", "windows"].iter().find_map(|d| {
                    find_release(d, p).filter(|r| !r.codename.is_empty() && r.codename == p)
                });
                match found {
                    Some(rel) => {
                        info.release = Some(rel);
                        info.family = Some(rel.family);
                    }
                    None => info.other.push(p.to_string()),
                }
            }
        }
    }
    if info.libc.is_none() {
        info.libc = match info.family {
            Some(Family::Alpine) => Some(Libc::Musl),
            Some(Family::Debian | Family::Ubuntu | Family::Rhel) => Some(Libc::Glibc),
            Some(Family::Windows) => Some(Libc::Windows),
            _ => None,
        };
    }
    info
}

/// How an image's slim variant is spelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlimStyle {
    /// The image has no slim variant.
    None,
    /// `3.12-slim-bookworm` (python, ruby, rust).
    BeforeDistro,
    /// `20-bookworm-slim` (node, debian).
    AfterDistro,
}

/// A catalog entry.
#[derive(Clone, Copy, Debug)]
pub struct Image {
    /// How it is written in FROM without a tag (`python`, `gcr.io/distroless/static`).
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub description: &'static str,
    pub url: &'static str,
    /// The family when the tag does not name one.
    pub family: Family,
    /// When the tag's version *is* a release of this distribution (`debian:12`).
    pub self_distro: Option<&'static str>,
    pub default_user: &'static str,
    /// The shell available, if any.
    pub shell: Option<&'static str>,
    /// Typical compressed size in MB per flavor key (`default`, `slim`, `alpine`, `jre`…).
    pub sizes: &'static [(&'static str, u32)],
    /// Suggested tags (completion), most useful first.
    pub tags: &'static [&'static str],
    /// Shapes of the tags, for documentation.
    pub tag_patterns: &'static [&'static str],
    /// Fully pinned references to suggest instead of `latest`.
    pub pinned: &'static [&'static str],
    pub slim: SlimStyle,
    /// Deprecation notice or other caveat.
    pub note: Option<&'static str>,
    pub deprecated: bool,
}

const BASE: Image = Image {
    name: "",
    aliases: &[],
    description: "",
    url: "",
    family: Family::Debian,
    self_distro: None,
    default_user: "root",
    shell: Some("/bin/sh"),
    sizes: &[],
    tags: &[],
    tag_patterns: &[],
    pinned: &[],
    slim: SlimStyle::None,
    note: None,
    deprecated: false,
};

const DEBIAN_DEFAULT: Option<&str> = Some("Unsuffixed tags follow the current Debian stable release; add a codename (`-bookworm`, `-trixie`) to keep the distribution fixed.");

/// The catalog.
pub static IMAGES: &[Image] = &[
    Image { name: "python", description: "The CPython interpreter with pip.", url: "https://hub.docker.com/_/python", sizes: &[("default", 390), ("slim", 45), ("alpine", 18), ("windowsservercore", 2100)], tags: &["3.14-slim", "3.13-slim", "3.13-slim-trixie", "3.13-slim-bookworm", "3.12-slim", "3.12-slim-bookworm", "3.13-alpine", "3.12-alpine", "3.14", "3.13", "3.12", "3.11-slim", "slim", "alpine", "latest"], tag_patterns: &["<version>", "<version>-slim", "<version>-slim-<debian>", "<version>-<debian>", "<version>-alpine[<alpine>]", "<version>-windowsservercore-<ltsc>"], pinned: &["python:3.13-slim-trixie", "python:3.12-slim-bookworm", "python:3.13-alpine3.22"], slim: SlimStyle::BeforeDistro, note: DEBIAN_DEFAULT, ..BASE },
    Image { name: "node", description: "Node.js with npm and yarn. Includes a non-root `node` user (uid 1000) that the image does not switch to.", url: "https://hub.docker.com/_/node", sizes: &[("default", 395), ("slim", 75), ("alpine", 55)], tags: &["24-slim", "24-alpine", "24-bookworm-slim", "22-slim", "22-alpine", "22-bookworm-slim", "24", "22", "lts-slim", "lts-alpine", "lts", "current-alpine", "slim", "alpine"], tag_patterns: &["<major>[.<minor>.<patch>]", "<major>-slim", "<major>-<debian>[-slim]", "<major>-alpine[<alpine>]", "lts[-…]", "current[-…]"], pinned: &["node:24-bookworm-slim", "node:22-bookworm-slim", "node:24-alpine3.22"], slim: SlimStyle::AfterDistro, note: DEBIAN_DEFAULT, ..BASE },
    Image { name: "golang", description: "The Go toolchain. Use it in a builder stage and copy the binary into a small runtime image (distroless/static, alpine, scratch).", url: "https://hub.docker.com/_/golang", sizes: &[("default", 290), ("alpine", 75)], tags: &["1.25", "1.25-alpine", "1.25-bookworm", "1.25-trixie", "1.24", "1.24-alpine", "1.24-bookworm", "alpine", "latest"], tag_patterns: &["<version>", "<version>-<debian>", "<version>-alpine[<alpine>]", "<version>-windowsservercore-<ltsc>", "<version>-nanoserver-<ltsc>"], pinned: &["golang:1.25-bookworm", "golang:1.25-alpine3.22"], note: DEBIAN_DEFAULT, ..BASE },
    Image { name: "rust", description: "The Rust toolchain (rustup, cargo). Use it in a builder stage only.", url: "https://hub.docker.com/_/rust", sizes: &[("default", 560), ("slim", 270), ("alpine", 290)], tags: &["1", "1-slim", "1-slim-bookworm", "1-bookworm", "1-alpine", "1-alpine3.22", "slim", "alpine", "latest"], tag_patterns: &["<version>", "<version>-slim[-<debian>]", "<version>-<debian>", "<version>-alpine[<alpine>]"], pinned: &["rust:1-slim-bookworm", "rust:1-alpine3.22"], slim: SlimStyle::BeforeDistro, note: DEBIAN_DEFAULT, ..BASE },
    Image { name: "eclipse-temurin", description: "Eclipse Temurin (Adoptium) builds of OpenJDK: the usual choice for Java.", url: "https://hub.docker.com/_/eclipse-temurin", family: Family::Ubuntu, sizes: &[("default", 190), ("jdk", 190), ("jre", 85), ("alpine", 70)], tags: &["21-jre", "21-jdk", "21-jre-alpine", "21-jdk-alpine", "21-jre-noble", "21-jdk-noble", "25-jre", "25-jdk", "17-jre", "17-jdk", "21-jre-ubi9-minimal"], tag_patterns: &["<major>-jdk|jre", "<major>-jdk|jre-<ubuntu>", "<major>-jdk|jre-alpine", "<major>-jdk|jre-ubi9-minimal", "<major>-jdk|jre-windowsservercore-<ltsc>"], pinned: &["eclipse-temurin:21-jre-noble", "eclipse-temurin:21-jdk-noble"], note: Some("Use a `jdk` tag to build and a `jre` tag for the final stage."), ..BASE },
    Image { name: "openjdk", description: "Deprecated: the official `openjdk` image only receives early-access builds. Use `eclipse-temurin`, `amazoncorretto` or another vendor's image.", url: "https://hub.docker.com/_/openjdk", family: Family::Rhel, sizes: &[("default", 200), ("slim", 220)], tags: &["21-jdk-slim", "21-jdk"], tag_patterns: &["<major>-jdk[-slim]"], pinned: &["eclipse-temurin:21-jre-noble"], slim: SlimStyle::None, note: Some("Deprecated since 2022; switch to `eclipse-temurin` (e.g. `eclipse-temurin:21-jre`)."), deprecated: true, ..BASE },
    Image { name: "amazoncorretto", description: "Amazon Corretto, Amazon's OpenJDK distribution, on Amazon Linux or Alpine.", url: "https://hub.docker.com/_/amazoncorretto", family: Family::Rhel, self_distro: None, sizes: &[("default", 210), ("alpine", 150)], tags: &["21", "21-al2023", "21-alpine", "17", "17-al2023", "17-alpine", "25", "25-al2023"], tag_patterns: &["<major>", "<major>-al2023[-jdk|-headless|-headful]", "<major>-alpine[<alpine>]"], pinned: &["amazoncorretto:21-al2023"], ..BASE },
    Image { name: "maven", description: "Apache Maven on top of a JDK image; use it as the build stage of Java projects.", url: "https://hub.docker.com/_/maven", family: Family::Ubuntu, sizes: &[("default", 300)], tags: &["3.9-eclipse-temurin-21", "3.9-eclipse-temurin-17", "3.9-amazoncorretto-21", "3-eclipse-temurin-21"], tag_patterns: &["<maven>-<jdk-image>-<java>"], pinned: &["maven:3.9-eclipse-temurin-21"], ..BASE },
    Image { name: "gradle", description: "Gradle on top of a JDK image; use it as the build stage of Java/Kotlin projects.", url: "https://hub.docker.com/_/gradle", family: Family::Ubuntu, sizes: &[("default", 330)], tags: &["jdk21", "8-jdk21", "jdk17", "jdk21-alpine"], tag_patterns: &["[<gradle>-]jdk<java>[-<os>]"], pinned: &["gradle:8-jdk21"], ..BASE },
    Image { name: "ruby", description: "The Ruby interpreter with RubyGems and Bundler.", url: "https://hub.docker.com/_/ruby", sizes: &[("default", 370), ("slim", 75), ("alpine", 40)], tags: &["3.4-slim", "3.4-alpine", "3.4", "3.3-slim", "3.3-slim-bookworm", "3.3-alpine", "3.3", "slim", "alpine"], tag_patterns: &["<version>", "<version>-slim[-<debian>]", "<version>-<debian>", "<version>-alpine[<alpine>]"], pinned: &["ruby:3.4-slim-bookworm", "ruby:3.3-slim-bookworm"], slim: SlimStyle::BeforeDistro, note: DEBIAN_DEFAULT, ..BASE },
    Image { name: "php", description: "PHP in three variants: `cli`, `fpm` (FastCGI, pair with nginx) and `apache` (mod_php). Extensions are added with `docker-php-ext-install`.", url: "https://hub.docker.com/_/php", sizes: &[("default", 180), ("alpine", 35)], tags: &["8.4-cli", "8.4-fpm", "8.4-apache", "8.4-fpm-alpine", "8.4-cli-alpine", "8.3-cli", "8.3-fpm", "8.3-apache", "8.3-fpm-alpine"], tag_patterns: &["<version>-cli|fpm|apache|zts[-<debian>]", "<version>-cli|fpm|zts-alpine[<alpine>]"], pinned: &["php:8.4-fpm-bookworm", "php:8.4-fpm-alpine3.22"], note: DEBIAN_DEFAULT, ..BASE },
    Image { name: "mcr.microsoft.com/dotnet/sdk", description: "The .NET SDK (build stage).", url: "https://mcr.microsoft.com/product/dotnet/sdk/about", sizes: &[("default", 300), ("alpine", 230)], tags: &["10.0", "9.0", "8.0", "10.0-alpine", "9.0-alpine", "8.0-alpine", "8.0-bookworm-slim", "10.0-noble"], tag_patterns: &["<version>[-<os>]"], pinned: &["mcr.microsoft.com/dotnet/sdk:8.0-bookworm-slim", "mcr.microsoft.com/dotnet/sdk:10.0-noble"], note: Some(".NET 8 and 9 default to Debian 12; .NET 10 defaults to Ubuntu 24.04. Images ship a non-root `app` user (uid 1654, `$APP_UID`) that the full images do not switch to."), ..BASE },
    Image { name: "mcr.microsoft.com/dotnet/aspnet", description: "The ASP.NET Core runtime (final stage of web apps).", url: "https://mcr.microsoft.com/product/dotnet/aspnet/about", sizes: &[("default", 90), ("alpine", 45), ("chiseled", 50)], tags: &["10.0", "9.0", "8.0", "10.0-alpine", "8.0-alpine", "8.0-jammy-chiseled", "9.0-noble-chiseled", "10.0-noble-chiseled", "8.0-bookworm-slim"], tag_patterns: &["<version>[-<os>][-chiseled[-extra]]"], pinned: &["mcr.microsoft.com/dotnet/aspnet:8.0-bookworm-slim", "mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled"], note: Some("`-chiseled` tags have no shell and run as the non-root `app` user."), ..BASE },
    Image { name: "mcr.microsoft.com/dotnet/runtime", description: "The .NET runtime (final stage of console apps).", url: "https://mcr.microsoft.com/product/dotnet/runtime/about", sizes: &[("default", 80), ("alpine", 40), ("chiseled", 45)], tags: &["10.0", "9.0", "8.0", "8.0-alpine", "10.0-noble-chiseled", "8.0-bookworm-slim"], tag_patterns: &["<version>[-<os>][-chiseled[-extra]]"], pinned: &["mcr.microsoft.com/dotnet/runtime:8.0-bookworm-slim"], ..BASE },
    Image { name: "mcr.microsoft.com/dotnet/runtime-deps", description: "Only the native dependencies of .NET, for self-contained apps.", url: "https://mcr.microsoft.com/product/dotnet/runtime-deps/about", sizes: &[("default", 45), ("alpine", 8), ("chiseled", 14)], tags: &["8.0", "9.0", "10.0", "8.0-alpine", "8.0-jammy-chiseled", "10.0-noble-chiseled"], tag_patterns: &["<version>[-<os>][-chiseled]"], pinned: &["mcr.microsoft.com/dotnet/runtime-deps:8.0-bookworm-slim"], ..BASE },
    Image { name: "debian", description: "Debian base image.", url: "https://hub.docker.com/_/debian", self_distro: Some("debian"), shell: Some("/bin/bash"), sizes: &[("default", 50), ("slim", 29)], tags: &["trixie-slim", "trixie", "bookworm-slim", "bookworm", "13-slim", "13", "12-slim", "12", "stable-slim", "bullseye-slim"], tag_patterns: &["<codename>[-slim]", "<codename>-<yyyymmdd>[-slim]", "<major>[.<point>][-slim]", "stable|testing|unstable[-slim]"], pinned: &["debian:bookworm-slim", "debian:trixie-slim"], slim: SlimStyle::AfterDistro, ..BASE },
    Image { name: "ubuntu", description: "Ubuntu base image (minimal Ubuntu userland).", url: "https://hub.docker.com/_/ubuntu", family: Family::Ubuntu, self_distro: Some("ubuntu"), shell: Some("/bin/bash"), sizes: &[("default", 30)], tags: &["24.04", "noble", "22.04", "jammy", "latest"], tag_patterns: &["<yy.mm>", "<codename>", "<codename>-<yyyymmdd>"], pinned: &["ubuntu:24.04", "ubuntu:22.04"], note: Some("Since 23.04 the image ships a non-root `ubuntu` user (uid 1000) that it does not switch to."), ..BASE },
    Image { name: "alpine", description: "Alpine Linux: musl libc, BusyBox, `apk`; about 4 MB.", url: "https://hub.docker.com/_/alpine", family: Family::Alpine, self_distro: Some("alpine"), sizes: &[("default", 4)], tags: &["3.22", "3.21", "3.23", "latest", "edge"], tag_patterns: &["<major>.<minor>[.<patch>]", "latest", "edge"], pinned: &["alpine:3.22"], ..BASE },
    Image { name: "busybox", description: "BusyBox in a few megabytes; built against glibc, musl or uClibc depending on the tag.", url: "https://hub.docker.com/_/busybox", family: Family::BusyBox, sizes: &[("default", 2)], tags: &["1.37", "1.36", "stable", "musl", "glibc", "uclibc", "latest"], tag_patterns: &["<version>[-glibc|-musl|-uclibc]"], pinned: &["busybox:1.37-musl"], ..BASE },
    Image { name: "nginx", description: "The nginx web server and reverse proxy. Runs as root and drops its workers to the `nginx` user; see `nginxinc/nginx-unprivileged` for a non-root image.", url: "https://hub.docker.com/_/nginx", sizes: &[("default", 70), ("alpine", 21), ("alpine-slim", 5)], tags: &["stable", "stable-alpine", "mainline", "mainline-alpine", "1.28", "1.28-alpine", "1.29", "1.29-alpine", "alpine", "alpine-slim"], tag_patterns: &["<version>[-alpine[-slim]|-perl|-otel]", "stable|mainline[-…]"], pinned: &["nginx:1.28-alpine", "nginx:1.28-bookworm"], note: DEBIAN_DEFAULT, ..BASE },
    Image { name: "httpd", description: "The Apache HTTP Server.", url: "https://hub.docker.com/_/httpd", sizes: &[("default", 60), ("alpine", 25)], tags: &["2.4", "2.4-alpine", "alpine"], tag_patterns: &["<version>[-alpine|-<debian>]"], pinned: &["httpd:2.4-bookworm", "httpd:2.4-alpine"], note: DEBIAN_DEFAULT, ..BASE },
    Image { name: "postgres", description: "PostgreSQL. The entrypoint initialises the database and drops to the `postgres` user.", url: "https://hub.docker.com/_/postgres", shell: Some("/bin/bash"), sizes: &[("default", 155), ("alpine", 105)], tags: &["18", "18-alpine", "17", "17-alpine", "17-bookworm", "16", "16-alpine"], tag_patterns: &["<major>[.<minor>][-<debian>|-alpine[<alpine>]]"], pinned: &["postgres:17-bookworm", "postgres:17-alpine3.22"], note: DEBIAN_DEFAULT, ..BASE },
    Image { name: "mysql", description: "MySQL server on Oracle Linux. The entrypoint drops to the `mysql` user.", url: "https://hub.docker.com/_/mysql", family: Family::Rhel, shell: Some("/bin/bash"), sizes: &[("default", 170)], tags: &["8.4", "8.0", "lts", "9"], tag_patterns: &["<version>[-oracle]", "lts", "innovation"], pinned: &["mysql:8.4"], ..BASE },
    Image { name: "mariadb", description: "MariaDB server on Ubuntu. The entrypoint drops to the `mysql` user.", url: "https://hub.docker.com/_/mariadb", family: Family::Ubuntu, shell: Some("/bin/bash"), sizes: &[("default", 110)], tags: &["11.8", "11.4", "10.11", "lts"], tag_patterns: &["<version>[-<ubuntu>]", "lts"], pinned: &["mariadb:11.4"], ..BASE },
    Image { name: "redis", description: "The Redis key-value store. The entrypoint drops to the `redis` user.", url: "https://hub.docker.com/_/redis", sizes: &[("default", 45), ("alpine", 17)], tags: &["8", "8-alpine", "7.4", "7.4-alpine", "alpine"], tag_patterns: &["<version>[-<debian>|-alpine[<alpine>]]"], pinned: &["redis:7.4-bookworm", "redis:7.4-alpine"], note: DEBIAN_DEFAULT, ..BASE },
    Image { name: "mongo", description: "MongoDB server on Ubuntu. The entrypoint drops to the `mongodb` user.", url: "https://hub.docker.com/_/mongo", family: Family::Ubuntu, shell: Some("/bin/bash"), sizes: &[("default", 280)], tags: &["8.0", "7.0", "8.0-noble", "7.0-jammy"], tag_patterns: &["<version>[-<ubuntu>]", "<version>-windowsservercore-<ltsc>"], pinned: &["mongo:8.0-noble"], ..BASE },
    Image { name: "haproxy", description: "The HAProxy load balancer. Since 2.4 the image runs as the non-root `haproxy` user.", url: "https://hub.docker.com/_/haproxy", default_user: "haproxy", sizes: &[("default", 40), ("alpine", 15)], tags: &["3.2", "3.2-alpine", "3.0", "3.0-alpine", "lts", "lts-alpine"], tag_patterns: &["<version>[-<debian>|-alpine]", "lts[-alpine]"], pinned: &["haproxy:3.2-alpine"], ..BASE },
    Image { name: "traefik", description: "The Traefik reverse proxy (Alpine based).", url: "https://hub.docker.com/_/traefik", family: Family::Alpine, sizes: &[("default", 50)], tags: &["v3", "v3.4", "3.4", "latest"], tag_patterns: &["v<version>", "<version>", "<codename>"], pinned: &["traefik:v3.4"], ..BASE },
    Image { name: "caddy", description: "The Caddy web server with automatic HTTPS (Alpine based).", url: "https://hub.docker.com/_/caddy", family: Family::Alpine, sizes: &[("default", 20)], tags: &["2", "2-alpine", "2-builder", "latest"], tag_patterns: &["<version>[-alpine|-builder|-windowsservercore-<ltsc>]"], pinned: &["caddy:2-alpine"], ..BASE },
    Image { name: "fedora", description: "Fedora base image (`dnf`); about 13 months of support per release.", url: "https://hub.docker.com/_/fedora", family: Family::Rhel, shell: Some("/bin/bash"), sizes: &[("default", 60)], tags: &["43", "42", "latest"], tag_patterns: &["<release>"], pinned: &["fedora:42"], ..BASE },
    Image { name: "rockylinux/rockylinux", aliases: &["rockylinux", "quay.io/rockylinux/rockylinux"], description: "Rocky Linux, a RHEL rebuild. The Docker Hub `rockylinux` official image is no longer updated; use `rockylinux/rockylinux`.", url: "https://hub.docker.com/r/rockylinux/rockylinux", family: Family::Rhel, self_distro: Some("rhel"), shell: Some("/bin/bash"), sizes: &[("default", 65), ("minimal", 40)], tags: &["9", "9-minimal", "9-ubi", "10", "8"], tag_patterns: &["<major>[.<minor>][-minimal|-ubi]"], pinned: &["rockylinux/rockylinux:9-minimal"], ..BASE },
    Image { name: "almalinux", description: "AlmaLinux, a RHEL rebuild.", url: "https://hub.docker.com/_/almalinux", family: Family::Rhel, self_distro: Some("rhel"), shell: Some("/bin/bash"), sizes: &[("default", 70), ("minimal", 35)], tags: &["9", "9-minimal", "10", "10-minimal", "8"], tag_patterns: &["<major>[.<minor>][-minimal|-micro|-init]"], pinned: &["almalinux:9-minimal"], ..BASE },
    Image { name: "amazonlinux", description: "Amazon Linux (`dnf` on 2023, `yum` on 2).", url: "https://hub.docker.com/_/amazonlinux", family: Family::Rhel, self_distro: Some("amazonlinux"), shell: Some("/bin/bash"), sizes: &[("default", 50)], tags: &["2023", "2"], tag_patterns: &["<release>[.<version>]"], pinned: &["amazonlinux:2023"], ..BASE },
    Image { name: "archlinux", description: "Arch Linux (rolling release, `pacman`).", url: "https://hub.docker.com/_/archlinux", family: Family::Arch, shell: Some("/bin/bash"), sizes: &[("default", 150)], tags: &["latest", "base", "base-devel"], tag_patterns: &["base[-<date>]", "base-devel[-<date>]"], pinned: &["archlinux:base"], ..BASE },
    Image { name: "registry.access.redhat.com/ubi9/ubi", aliases: &["registry.access.redhat.com/ubi9", "redhat/ubi9"], description: "Red Hat Universal Base Image 9 (standard, `dnf`), freely redistributable.", url: "https://catalog.redhat.com/software/containers/ubi9/ubi/615bcf606feffc5384e8452e", family: Family::Rhel, self_distro: None, shell: Some("/bin/bash"), sizes: &[("default", 80)], tags: &["latest", "9.6", "9.5"], tag_patterns: &["<major>.<minor>[-<build>]", "latest"], pinned: &["registry.access.redhat.com/ubi9/ubi:9.6"], ..BASE },
    Image { name: "registry.access.redhat.com/ubi9/ubi-minimal", aliases: &["registry.access.redhat.com/ubi9-minimal", "redhat/ubi9-minimal"], description: "UBI 9 minimal: reduced userland with `microdnf`.", url: "https://catalog.redhat.com/software/containers/ubi9/ubi-minimal/615bd9b4075b022acc111bf5", family: Family::Rhel, shell: Some("/bin/bash"), sizes: &[("default", 40)], tags: &["latest", "9.6", "9.5"], tag_patterns: &["<major>.<minor>[-<build>]", "latest"], pinned: &["registry.access.redhat.com/ubi9/ubi-minimal:9.6"], ..BASE },
    Image { name: "registry.access.redhat.com/ubi9/ubi-micro", aliases: &["registry.access.redhat.com/ubi9-micro", "redhat/ubi9-micro"], description: "UBI 9 micro: the smallest UBI, without a package manager (populate it from a builder stage).", url: "https://catalog.redhat.com/software/containers/ubi9/ubi-micro/615bdf943f6014fa45ae1b58", family: Family::Rhel, shell: Some("/bin/bash"), sizes: &[("default", 10)], tags: &["latest", "9.6", "9.5"], tag_patterns: &["<major>.<minor>[-<build>]", "latest"], pinned: &["registry.access.redhat.com/ubi9/ubi-micro:9.6"], ..BASE },
    Image { name: "registry.access.redhat.com/ubi8/ubi", aliases: &["registry.access.redhat.com/ubi8", "redhat/ubi8"], description: "Red Hat Universal Base Image 8 (standard, `dnf`/`yum`).", url: "https://catalog.redhat.com/software/containers/ubi8/ubi/5c35984d70cc534b3a3784e", family: Family::Rhel, shell: Some("/bin/bash"), sizes: &[("default", 75)], tags: &["latest", "8.10"], tag_patterns: &["<major>.<minor>[-<build>]", "latest"], pinned: &["registry.access.redhat.com/ubi8/ubi:8.10"], ..BASE },
    Image { name: "registry.access.redhat.com/ubi8/ubi-minimal", aliases: &["registry.access.redhat.com/ubi8-minimal", "redhat/ubi8-minimal"], description: "UBI 8 minimal: reduced userland with `microdnf`.", url: "https://catalog.redhat.com/software/containers/ubi8/ubi-minimal/5c359a62bed8bd75a2c3fba8", family: Family::Rhel, shell: Some("/bin/bash"), sizes: &[("default", 38)], tags: &["latest", "8.10"], tag_patterns: &["<major>.<minor>[-<build>]", "latest"], pinned: &["registry.access.redhat.com/ubi8/ubi-minimal:8.10"], ..BASE },
    Image { name: "registry.access.redhat.com/ubi8/ubi-micro", aliases: &["registry.access.redhat.com/ubi8-micro", "redhat/ubi8-micro"], description: "UBI 8 micro: no package manager.", url: "https://catalog.redhat.com/software/containers/ubi8/ubi-micro/5ff3f50a831939b08d1b832a", family: Family::Rhel, shell: Some("/bin/bash"), sizes: &[("default", 12)], tags: &["latest", "8.10"], tag_patterns: &["<major>.<minor>[-<build>]", "latest"], pinned: &["registry.access.redhat.com/ubi8/ubi-micro:8.10"], ..BASE },
    Image { name: "gcr.io/distroless/static", description: "Google distroless `static`: CA certificates, tzdata, `/etc/passwd` — no libc, no shell. For static binaries (Go with CGO_ENABLED=0, Rust musl).", url: "https://github.com/GoogleContainerTools/distroless", family: Family::Distroless, shell: None, sizes: &[("default", 1), ("debug", 3)], tags: &["nonroot", "latest", "debug", "debug-nonroot"], tag_patterns: &["latest|nonroot|debug|debug-nonroot[-<arch>]"], pinned: &["gcr.io/distroless/static-debian12:nonroot"], note: Some("Prefer the versioned name (`static-debian12`) to know which Debian release you get."), ..BASE },
    Image { name: "gcr.io/distroless/base", aliases: &["gcr.io/distroless/base-nossl"], description: "Google distroless `base`: `static` plus glibc and OpenSSL. No shell.", url: "https://github.com/GoogleContainerTools/distroless", family: Family::Distroless, shell: None, sizes: &[("default", 9), ("debug", 11)], tags: &["nonroot", "latest", "debug", "debug-nonroot"], tag_patterns: &["latest|nonroot|debug|debug-nonroot"], pinned: &["gcr.io/distroless/base-debian12:nonroot"], ..BASE },
    Image { name: "gcr.io/distroless/cc", description: "Google distroless `cc`: `base` plus libgcc/libstdc++ (Rust and C++ binaries). No shell.", url: "https://github.com/GoogleContainerTools/distroless", family: Family::Distroless, shell: None, sizes: &[("default", 10), ("debug", 12)], tags: &["nonroot", "latest", "debug", "debug-nonroot"], tag_patterns: &["latest|nonroot|debug|debug-nonroot"], pinned: &["gcr.io/distroless/cc-debian12:nonroot"], ..BASE },
    Image { name: "gcr.io/distroless/java", description: "Google distroless Java runtime (`java17-debian12`, `java21-debian12`). No shell.", url: "https://github.com/GoogleContainerTools/distroless", family: Family::Distroless, shell: None, sizes: &[("default", 100)], tags: &["nonroot", "latest", "debug", "debug-nonroot"], tag_patterns: &["latest|nonroot|debug|debug-nonroot"], pinned: &["gcr.io/distroless/java21-debian12:nonroot"], ..BASE },
    Image { name: "gcr.io/distroless/python3", description: "Google distroless Python 3 (the Debian release's Python). No shell, no pip.", url: "https://github.com/GoogleContainerTools/distroless", family: Family::Distroless, shell: None, sizes: &[("default", 20)], tags: &["nonroot", "latest", "debug", "debug-nonroot"], tag_patterns: &["latest|nonroot|debug|debug-nonroot"], pinned: &["gcr.io/distroless/python3-debian12:nonroot"], ..BASE },
    Image { name: "gcr.io/distroless/nodejs", description: "Google distroless Node.js (`nodejs20-debian12`, `nodejs22-debian12`); the entrypoint is `node`. No shell, no npm.", url: "https://github.com/GoogleContainerTools/distroless", family: Family::Distroless, shell: None, sizes: &[("default", 45)], tags: &["nonroot", "latest", "debug", "debug-nonroot"], tag_patterns: &["latest|nonroot|debug|debug-nonroot"], pinned: &["gcr.io/distroless/nodejs22-debian12:nonroot"], ..BASE },
    Image { name: "mcr.microsoft.com/windows/servercore", description: "Windows Server Core. The host must run a compatible Windows version.", url: "https://mcr.microsoft.com/product/windows/servercore/about", family: Family::Windows, default_user: "ContainerAdministrator", shell: Some("cmd.exe"), sizes: &[("default", 1800)], tags: &["ltsc2022", "ltsc2025", "ltsc2019"], tag_patterns: &["ltsc<year>", "<build>"], pinned: &["mcr.microsoft.com/windows/servercore:ltsc2022"], ..BASE },
    Image { name: "mcr.microsoft.com/windows/nanoserver", description: "Windows Nano Server: minimal Windows, no PowerShell.", url: "https://mcr.microsoft.com/product/windows/nanoserver/about", family: Family::Windows, default_user: "ContainerUser", shell: Some("cmd.exe"), sizes: &[("default", 120)], tags: &["ltsc2022", "ltsc2025", "ltsc2019"], tag_patterns: &["ltsc<year>", "<build>"], pinned: &["mcr.microsoft.com/windows/nanoserver:ltsc2022"], ..BASE },
];

/// The canonical catalog name of a reference: Docker Hub short name, or `registry/path`;
/// distroless version suffixes removed (`static-debian12` → `static`, `java21` → `java`).
fn canonical_name(image: &ImageRef) -> String {
    let host = image.registry_host().to_ascii_lowercase();
    let full = match host.as_str() {
        "docker.io" | "index.docker.io" | "registry-1.docker.io" => image.short_name(),
        h => format!("{h}/{}", image.path.to_ascii_lowercase()),
    };
    if let Some(rest) = full.strip_prefix("gcr.io/distroless/") {
        let base = rest.split("-debian").next().unwrap_or(rest);
        let base = base.trim_end_matches(|c: char| c.is_ascii_digit());
        let base = if base == "python" { "python3" } else { base };
        return format!("gcr.io/distroless/{base}");
    }
    full
}

/// The catalog entry for `image`, if any.
pub fn find_image(image: &ImageRef) -> Option<&'static Image> {
    let name = canonical_name(image);
    find_image_by_name(&name)
}

/// The catalog entry written as `name` (no tag), case-insensitive.
pub fn find_image_by_name(name: &str) -> Option<&'static Image> {
    let name = name.trim().to_ascii_lowercase();
    let name = name
        .strip_prefix("docker.io/")
        .map(|n| n.strip_prefix("library/").unwrap_or(n))
        .unwrap_or(&name);
    IMAGES
        .iter()
        .find(|i| i.name == name || i.aliases.contains(&name))
}

/// Everything the catalog can say about a reference.
#[derive(Clone, Debug)]
pub struct Facts {
    pub image: Option<&'static Image>,
    pub tag: TagInfo,
    pub family: Option<Family>,
    pub release: Option<&'static Release>,
    pub libc: Option<Libc>,
    /// (flavor key, MB)
    pub size: Option<(&'static str, u32)>,
    pub nonroot: bool,
    pub shell: Option<&'static str>,
}

impl Facts {
    /// True when the distribution release behind the image is past its support end.
    pub fn is_eol(&self, today: Date) -> bool {
        self.release.is_some_and(|r| r.is_eol(today))
    }
}

/// Combines the catalog entry and the tag.
pub fn facts(image: &ImageRef) -> Facts {
    let entry = find_image(image);
    let tag_text = image.tag.as_deref().unwrap_or("");
    let mut tag = parse_tag(tag_text);
    let canonical = canonical_name(image);
    // Distroless images carry the Debian release in the name.
    let mut release = tag.release;
    if canonical.starts_with("gcr.io/distroless/") {
        if let Some(v) = image.path.to_ascii_lowercase().split("-debian").nth(1) {
            release = find_release("debian", v);
        }
    }
    if canonical.starts_with("registry.access.redhat.com/ubi")
        || canonical.starts_with("redhat/ubi")
    {
        let digits: String = canonical
            .trim_start_matches("registry.access.redhat.com/ubi")
            .trim_start_matches("redhat/ubi")
            .chars()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        release = find_release("rhel", &digits);
        if canonical.contains("minimal") {
            tag.flavors.push(Flavor::Minimal);
        } else if canonical.contains("micro") {
            tag.flavors.push(Flavor::Micro);
        }
    }
    if let (Some(distro), Some(v)) = (entry.and_then(|e| e.self_distro), tag.version.as_deref()) {
        if release.is_none() {
            release = find_release(distro, v);
        }
    }
    // `debian:bookworm-slim` names the release first; parse_tag saw it as a codename.
    let family = if image.is_scratch() {
        Some(Family::Scratch)
    } else if tag.flavors.contains(&Flavor::Chiseled)
        || entry.is_some_and(|e| e.family == Family::Distroless)
    {
        Some(Family::Distroless)
    } else if let Some(f) = tag.family {
        Some(f)
    } else if tag.flavors.contains(&Flavor::WindowsServerCore)
        || tag.flavors.contains(&Flavor::NanoServer)
    {
        Some(Family::Windows)
    } else if canonical.starts_with("mcr.microsoft.com/dotnet/")
        && tag.version.as_deref().is_some_and(|v| v.starts_with("10."))
    {
        // .NET 10 images default to Ubuntu 24.04 (8 and 9 to Debian 12).
        Some(Family::Ubuntu)
    } else {
        release.map(|r| r.family).or(entry.map(|e| e.family))
    };
    let libc = match (tag.libc, family) {
        (Some(l), _) => Some(l),
        (None, Some(Family::Distroless)) if canonical == "gcr.io/distroless/static" => {
            Some(Libc::None)
        }
        (
            None,
            Some(
                Family::Distroless | Family::Debian | Family::Ubuntu | Family::Rhel | Family::Arch,
            ),
        ) => Some(Libc::Glibc),
        (None, Some(Family::Alpine)) => Some(Libc::Musl),
        (None, Some(Family::Windows)) => Some(Libc::Windows),
        (None, Some(Family::Scratch)) => Some(Libc::None),
        (None, Some(Family::BusyBox)) => Some(Libc::Glibc),
        _ => None,
    };
    let size = entry.and_then(|e| {
        let keys: Vec<&str> = tag
            .flavors
            .iter()
            .map(|f| match f {
                Flavor::Slim => "slim",
                Flavor::Alpine => "alpine",
                Flavor::Jre => "jre",
                Flavor::Jdk => "jdk",
                Flavor::Debug => "debug",
                Flavor::Minimal => "minimal",
                Flavor::Chiseled => "chiseled",
                Flavor::WindowsServerCore => "windowsservercore",
                _ => "",
            })
            .chain(std::iter::once("default"))
            .collect();
        keys.iter()
            .find_map(|k| e.sizes.iter().find(|(f, _)| f == k).copied())
    });
    let shell = if tag.flavors.contains(&Flavor::Debug) {
        Some("/busybox/sh")
    } else if tag.flavors.contains(&Flavor::Chiseled) || image.is_scratch() {
        None
    } else if tag.flavors.contains(&Flavor::Alpine) {
        Some("/bin/sh")
    } else {
        entry.and_then(|e| e.shell)
    };
    Facts {
        image: entry,
        nonroot: defaults_to_nonroot_ref(image),
        tag,
        family,
        release,
        libc,
        size,
        shell,
    }
}

/// The distribution family of `image:tag`.
pub fn distro_family(image: &str, tag: Option<&str>) -> Option<Family> {
    let text = match tag {
        Some(t) => format!("{image}:{t}"),
        None => image.to_string(),
    };
    facts(&ImageRef::parse(&text, 0)).family
}

/// The slim variant of `image:tag` (`python:3.12` → `python:3.12-slim`), when the image has
/// one and the tag is not already slim or alpine.
pub fn slim_variant(image: &str, tag: Option<&str>) -> Option<String> {
    let entry = find_image_by_name(image)?;
    let tag = tag.filter(|t| !t.trim().is_empty()).unwrap_or("latest");
    let info = parse_tag(tag);
    if info
        .flavors
        .iter()
        .any(|f| matches!(f, Flavor::Slim | Flavor::Alpine))
        || info.family == Some(Family::Windows)
    {
        return None;
    }
    let t = tag.to_ascii_lowercase();
    if entry.self_distro == Some("debian") {
        return Some(if t == "latest" {
            format!("{image}:stable-slim")
        } else {
            format!("{image}:{tag}-slim")
        });
    }
    match entry.slim {
        SlimStyle::None => None,
        _ if t == "latest" => Some(format!("{image}:slim")),
        SlimStyle::AfterDistro => Some(format!("{image}:{tag}-slim")),
        SlimStyle::BeforeDistro => match tag.split_once('-') {
            Some((version, rest)) if info.version.is_some() => {
                Some(format!("{image}:{version}-slim-{rest}"))
            }
            _ if info.version.is_some() => Some(format!("{image}:{tag}-slim")),
            Some((_, _)) | None => Some(format!("{image}:slim-{tag}")),
        },
    }
}

/// Fully pinned references to suggest for `image` (`python` → `python:3.12-slim-bookworm`…).
pub fn pinned_suggestions(image: &str) -> Vec<String> {
    find_image_by_name(image)
        .map(|e| e.pinned.iter().map(|s| s.to_string()).collect())
        .unwrap_or_default()
}

/// True when the image runs as a non-root user by default.
pub fn defaults_to_nonroot(image_ref: &str) -> bool {
    defaults_to_nonroot_ref(&ImageRef::parse(image_ref.trim(), 0))
}

fn defaults_to_nonroot_ref(image: &ImageRef) -> bool {
    let name = canonical_name(image);
    let tag = image
        .tag
        .as_deref()
        .unwrap_or("latest")
        .to_ascii_lowercase();
    let info = parse_tag(&tag);
    if name.starts_with("gcr.io/distroless/") {
        return tag.contains("nonroot");
    }
    if name.starts_with("cgr.dev/chainguard/") {
        // Chainguard images run as `nonroot` except their `-dev` variants.
        return !tag.contains("dev");
    }
    if name.starts_with("mcr.microsoft.com/dotnet/") {
        return info.flavors.contains(&Flavor::Chiseled);
    }
    if name.starts_with("bitnami/") || name == "nginxinc/nginx-unprivileged" {
        return true;
    }
    if tag.contains("rootless") || tag.contains("nonroot") {
        return true;
    }
    find_image(image).is_some_and(|e| e.default_user != "root" && e.family != Family::Windows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn img(s: &str) -> ImageRef {
        ImageRef::parse(s, 0)
    }

    #[test]
    fn dates() {
        assert_eq!(Date::parse("2026-11-23"), Some(Date::new(2026, 11, 23)));
        assert_eq!(Date::parse("2026-13-01"), None);
        assert_eq!(Date::from_unix_seconds(0), Date::new(1970, 1, 1));
        // 2026-11-23T00:00:00Z
        assert_eq!(
            Date::from_unix_seconds(1_795_392_000),
            Date::new(2026, 11, 23)
        );
        assert_eq!(Date::new(2024, 2, 9).to_string(), "2024-02-09");
    }

    #[test]
    fn parses_tags() {
        let t = parse_tag("3.12.1-slim-bookworm");
        assert_eq!(t.version.as_deref(), Some("3.12.1"));
        assert_eq!(t.flavors, vec![Flavor::Slim]);
        assert_eq!(t.release.map(|r| r.version), Some("12"));
        assert_eq!(t.family, Some(Family::Debian));
        assert_eq!(t.libc, Some(Libc::Glibc));
        let t = parse_tag("20-alpine3.20");
        assert_eq!(t.flavors, vec![Flavor::Alpine]);
        assert_eq!(t.release.map(|r| r.version), Some("3.20"));
        assert_eq!(t.libc, Some(Libc::Musl));
        let t = parse_tag("ltsc2022");
        assert_eq!(t.version, None);
        assert_eq!(t.release.map(|r| r.codename), Some("ltsc2022"));
        let t = parse_tag("3.13-windowsservercore-ltsc2025");
        assert!(t.flavors.contains(&Flavor::WindowsServerCore));
        assert_eq!(t.family, Some(Family::Windows));
        let t = parse_tag("21-jre-ubi9-minimal");
        assert_eq!(t.flavors, vec![Flavor::Jre, Flavor::Minimal]);
        assert_eq!(t.release.map(|r| r.name), Some("RHEL 9 / UBI 9"));
        let t = parse_tag("8.0-jammy-chiseled");
        assert!(t.flavors.contains(&Flavor::Chiseled));
        assert_eq!(t.release.map(|r| r.codename), Some("jammy"));
        assert_eq!(parse_tag("lts-alpine").version.as_deref(), Some("lts"));
        assert_eq!(parse_tag("weird-thing").other, vec!["weird", "thing"]);
    }

    #[test]
    fn eol_uses_the_given_date() {
        let today = Date::new(2026, 11, 23);
        let eol = |r: &str| facts(&img(r)).is_eol(today);
        assert!(eol("python:3.9-buster"));
        assert!(eol("debian:bullseye-slim")); // LTS ended 2026-08-31
        assert!(!eol("debian:12"));
        assert!(eol("ubuntu:20.04"));
        assert!(!eol("ubuntu:jammy"));
        assert!(eol("alpine:3.20"));
        assert!(eol("alpine:3.21.3")); // 2026-11-01
        assert!(!eol("alpine:3.22"));
        assert!(!facts(&img("debian:bullseye")).is_eol(Date::new(2026, 8, 31)));
        assert!(eol("amazonlinux:2"));
        assert!(!eol("python:3.12")); // no release known: not claimed EOL
    }

    #[test]
    fn facts_combine_image_and_tag() {
        let f = facts(&img("python:3.12-slim-bookworm"));
        assert_eq!(f.size, Some(("slim", 45)));
        assert_eq!(f.family, Some(Family::Debian));
        let f = facts(&img("python:3.12-alpine"));
        assert_eq!((f.family, f.libc), (Some(Family::Alpine), Some(Libc::Musl)));
        let f = facts(&img("gcr.io/distroless/static-debian12:nonroot"));
        assert_eq!(f.release.map(|r| r.codename), Some("bookworm"));
        assert_eq!(f.libc, Some(Libc::None));
        assert!(f.nonroot && f.shell.is_none());
        let f = facts(&img("registry.access.redhat.com/ubi9/ubi-minimal:9.6"));
        assert_eq!(f.release.map(|r| r.version), Some("9"));
        assert!(f.image.is_some());
        let f = facts(&img("docker.io/library/debian:bookworm-slim"));
        assert_eq!(f.release.map(|r| r.version), Some("12"));
        assert!(facts(&img("scratch")).family == Some(Family::Scratch));
        assert!(facts(&img("openjdk:21"))
            .image
            .is_some_and(|i| i.deprecated));
    }

    #[test]
    fn helpers() {
        assert_eq!(
            distro_family("python", Some("3.12-alpine")),
            Some(Family::Alpine)
        );
        assert_eq!(distro_family("ubuntu", None), Some(Family::Ubuntu));
        assert_eq!(
            distro_family("gcr.io/distroless/cc-debian12", None),
            Some(Family::Distroless)
        );
        assert_eq!(
            distro_family(
                "mcr.microsoft.com/dotnet/aspnet",
                Some("8.0-jammy-chiseled")
            ),
            Some(Family::Distroless)
        );
        assert_eq!(
            distro_family("registry.access.redhat.com/ubi9/ubi", None),
            Some(Family::Rhel)
        );
        assert_eq!(
            distro_family("mcr.microsoft.com/windows/servercore", Some("ltsc2022")),
            Some(Family::Windows)
        );
        assert_eq!(distro_family("busybox", None), Some(Family::BusyBox));
        assert_eq!(distro_family("scratch", None), Some(Family::Scratch));
        assert_eq!(distro_family("example.com/unknown", None), None);

        assert_eq!(
            slim_variant("python", Some("3.12")).as_deref(),
            Some("python:3.12-slim")
        );
        assert_eq!(
            slim_variant("python", Some("3.12-bookworm")).as_deref(),
            Some("python:3.12-slim-bookworm")
        );
        assert_eq!(
            slim_variant("node", Some("20-bookworm")).as_deref(),
            Some("node:20-bookworm-slim")
        );
        assert_eq!(slim_variant("python", None).as_deref(), Some("python:slim"));
        assert_eq!(
            slim_variant("python", Some("")).as_deref(),
            Some("python:slim")
        );
        assert_eq!(
            slim_variant("python", Some("bookworm")).as_deref(),
            Some("python:slim-bookworm")
        );
        assert_eq!(
            distro_family("mcr.microsoft.com/dotnet/sdk", Some("10.0")),
            Some(Family::Ubuntu)
        );
        assert_eq!(
            distro_family("mcr.microsoft.com/dotnet/sdk", Some("8.0")),
            Some(Family::Debian)
        );
        assert_eq!(
            slim_variant("debian", Some("bookworm")).as_deref(),
            Some("debian:bookworm-slim")
        );
        assert_eq!(slim_variant("python", Some("3.12-slim")), None);
        assert_eq!(slim_variant("python", Some("3.12-alpine")), None);
        assert_eq!(slim_variant("golang", Some("1.25")), None);

        assert!(pinned_suggestions("python").contains(&"python:3.12-slim-bookworm".to_string()));
        assert!(pinned_suggestions("nope").is_empty());

        assert!(defaults_to_nonroot(
            "gcr.io/distroless/static-debian12:nonroot"
        ));
        assert!(!defaults_to_nonroot("gcr.io/distroless/static-debian12"));
        assert!(defaults_to_nonroot("haproxy:3.2"));
        assert!(defaults_to_nonroot(
            "mcr.microsoft.com/dotnet/aspnet:8.0-jammy-chiseled"
        ));
        assert!(!defaults_to_nonroot("python:3.12"));
        assert!(defaults_to_nonroot("cgr.dev/chainguard/static:latest"));
    }

    #[test]
    fn catalog_is_consistent() {
        for i in IMAGES {
            assert!(
                !i.description.is_empty() && i.url.starts_with("https://"),
                "{}",
                i.name
            );
            assert!(
                !i.tags.is_empty() && !i.sizes.is_empty() && !i.pinned.is_empty(),
                "{}",
                i.name
            );
            for p in i.pinned {
                let r = img(p);
                assert!(find_image(&r).is_some(), "pinned {p} not in catalog");
            }
        }
        for want in [
            "python",
            "node",
            "golang",
            "rust",
            "eclipse-temurin",
            "openjdk",
            "amazoncorretto",
            "ruby",
            "php",
            "debian",
            "ubuntu",
            "alpine",
            "busybox",
            "nginx",
            "httpd",
            "postgres",
            "mysql",
            "mariadb",
            "redis",
            "mongo",
            "haproxy",
            "traefik",
            "caddy",
            "fedora",
            "almalinux",
            "amazonlinux",
            "archlinux",
            "rockylinux",
        ] {
            assert!(find_image_by_name(want).is_some(), "{want} missing");
        }
    }
}
