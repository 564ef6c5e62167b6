use super::{Check, Context};

crate::declare_rule! {
    /// `FROM --platform` pins a stage to a fixed platform (opt-in).
    ///
    /// A constant `--platform=linux/amd64` makes the stage ignore the platform the build was
    /// asked for: multi-platform builds produce images with the wrong architecture, and
    /// builds on other machines run under emulation. Values built from the automatic
    /// platform ARGs (`$BUILDPLATFORM`, `$TARGETPLATFORM`, or any variable) are the intended
    /// use and are not reported. Opt-in because pinning is sometimes deliberate (an image
    /// that only exists for one platform).
    ///
    /// ```dockerfile invalid
    /// FROM --platform=linux/amd64 node:20-slim
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM --platform=$BUILDPLATFORM golang:1.22 AS build
    /// FROM node:20-slim
    /// ```
    ///
    /// **Fix:** drop the flag and pass `--platform` to `docker build`, or use
    /// `$BUILDPLATFORM` for stages that only run build tools.
    pub FromPlatformFlag {
        code: "DFL211",
        name: "from-platform-flag",
        severity: Warning,
        default: false,
        fix: None,
        equivalents: ["DL3029"],
    }
}

impl Check for FromPlatformFlag {
    fn check(&self, cx: &mut Context<'_>) {
        let found: Vec<_> = cx
            .file
            .stages
            .iter()
            .filter_map(|s| {
                let f = s.platform.as_ref()?;
                let v = f.value.as_deref()?;
                (!v.contains('$')).then(|| (f.range, v.to_string(), s.display_name()))
            })
            .collect();
        for (range, v, stage) in found {
            cx.report(
                range,
                format!(
                    "Stage {stage} is pinned to platform '{v}' and ignores the platform the build asks for. Remove --platform, or use $BUILDPLATFORM/$TARGETPLATFORM."
                ),
            );
        }
    }
}
