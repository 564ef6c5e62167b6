use super::{Check, Context};

crate::declare_rule! {
    /// `FROM --platform=` is set to a constant such as `linux/amd64`.
    ///
    /// A constant platform pins the stage to one architecture, so multi-platform builds
    /// (`--platform linux/amd64,linux/arm64`) silently produce amd64 content for every
    /// platform, and builds on other machines run under emulation. Use `$BUILDPLATFORM`
    /// for build stages (cross-compilation) and leave the default (`$TARGETPLATFORM`) for
    /// the rest. As in BuildKit, a stage whose name mentions the platform's OS or
    /// architecture (`AS build-amd64`) is deliberately platform-specific and not reported.
    /// hadolint's DL3029 also reports variables other than `BUILDPLATFORM`/`TARGETPLATFORM`;
    /// a variable is not a constant, so we follow BuildKit.
    ///
    /// ```dockerfile invalid
    /// FROM --platform=linux/amd64 golang:1.22 AS build
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM --platform=$BUILDPLATFORM golang:1.22 AS build
    /// FROM --platform=linux/arm64 alpine:3.20 AS rootfs-arm64
    /// ```
    ///
    /// **Fix:** use `--platform=$BUILDPLATFORM`, or drop the flag.
    pub FromPlatformFlagConstDisallowed {
        code: "DFL107",
        name: "from-platform-flag-const-disallowed",
        severity: Warning,
        default: true,
        fix: None,
        equivalents: ["BuildKit:FromPlatformFlagConstDisallowed", "DL3029"],
        scope: Outline,
    }
}

/// containerd's `platforms.Parse`, reduced to what the check needs: (os, arch).
fn parse_platform(s: &str) -> Option<(String, String)> {
    let parts: Vec<&str> = s.split('/').collect();
    let valid = |p: &str| {
        !p.is_empty()
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
    };
    if parts.is_empty() || parts.len() > 3 || !parts.iter().all(|p| valid(p)) {
        return None;
    }
    let norm_arch = |a: &str| match a.to_lowercase().as_str() {
        "x86_64" | "x86-64" => "amd64".to_string(),
        "aarch64" => "arm64".to_string(),
        "i386" | "i686" => "386".to_string(),
        "armhf" | "armel" => "arm".to_string(),
        other => other.to_string(),
    };
    let known_arch = |a: &str| {
        matches!(
            norm_arch(a).as_str(),
            "amd64"
                | "arm64"
                | "arm"
                | "386"
                | "ppc64le"
                | "s390x"
                | "riscv64"
                | "mips64le"
                | "loong64"
        )
    };
    match parts.as_slice() {
        [one] if known_arch(one) => Some(("linux".into(), norm_arch(one))),
        [os] => Some((os.to_lowercase(), "amd64".into())),
        [os, arch, ..] => Some((os.to_lowercase(), norm_arch(arch))),
        _ => None,
    }
}

impl Check for FromPlatformFlagConstDisallowed {
    fn check(&self, cx: &mut Context<'_>) {
        for stage in &cx.file.stages {
            let Some(flag) = &stage.platform else {
                continue;
            };
            let Some(value) = flag.value.as_deref() else {
                continue;
            };
            if value.contains('$') {
                continue;
            }
            let Some((os, arch)) = parse_platform(value) else {
                continue;
            };
            let name = stage.name().unwrap_or("").to_lowercase();
            if name.contains(&os) || name.contains(&arch) {
                continue;
            }
            cx.report(
                flag.range,
                format!(
                    "FROM --platform flag should not use constant value \"{value}\" (stage {}): use '--platform=$BUILDPLATFORM' for build stages, or leave the default target platform.",
                    stage.display_name()
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::snapshot;

    #[test]
    fn constants() {
        insta::assert_snapshot!(snapshot(
            &super::FromPlatformFlagConstDisallowed,
            "FROM --platform=linux/amd64 scratch\nFROM --platform=linux/amd64 scratch AS my_amd64_stage\nFROM --platform=linux/arm64 scratch AS linux\nFROM --platform=$BUILDPLATFORM scratch\nFROM --platform=arm64 alpine AS b\n"
        ));
    }
}
