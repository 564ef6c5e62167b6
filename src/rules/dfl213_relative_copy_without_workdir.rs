use super::stages::{is_template, stage_chain};
use super::{Check, Context};
use crate::syntax::Keyword;

crate::declare_rule! {
    /// `COPY` to a relative destination in a stage that has not set a `WORKDIR`.
    ///
    /// A relative destination is resolved against the working directory, which is whatever
    /// the base image left (often `/`) until the Dockerfile sets `WORKDIR`. The files end up
    /// somewhere the reader cannot see from the Dockerfile, and move when the base image
    /// changes. A `WORKDIR` earlier in the stage, or in a stage it is built `FROM`, counts.
    /// ONBUILD triggers are skipped (they run in another Dockerfile's context).
    ///
    /// ```dockerfile invalid
    /// FROM node:20-slim
    /// COPY package.json .
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM node:20-slim AS base
    /// WORKDIR /app
    /// FROM base
    /// COPY package.json .
    /// COPY server.js /srv/
    /// ```
    ///
    /// **Fix:** add `WORKDIR /path` before the `COPY`, or use an absolute destination.
    pub RelativeCopyWithoutWorkdir {
        code: "DFL213",
        name: "relative-copy-without-workdir",
        severity: Warning,
        default: true,
        fix: None,
        equivalents: ["DL3045"],
        scope: Stage,
    }
}

fn is_absolute(dest: &str) -> bool {
    let b = dest.as_bytes();
    dest.starts_with('/')
        || dest.starts_with('\\')
        || (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':')
}

impl Check for RelativeCopyWithoutWorkdir {
    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.file;
        let mut found = Vec::new();
        for stage in cx.stages() {
            let chain = stage_chain(df, stage.index);
            let inherited = chain.iter().skip(1).any(|s| {
                df.stages.get(*s).is_some_and(|st| {
                    df.stage_instructions(st)
                        .iter()
                        .any(|i| i.keyword == Keyword::Workdir)
                })
            });
            if inherited {
                continue;
            }
            for ins in df.stage_instructions(stage) {
                if ins.keyword == Keyword::Workdir {
                    break;
                }
                if ins.keyword != Keyword::Copy || is_template(ins) {
                    continue;
                }
                let (_, Some(dest)) = ins.copy_sources_and_dest() else {
                    continue;
                };
                if dest.text.is_empty() || dest.text.contains('$') || is_absolute(&dest.text) {
                    continue;
                }
                found.push((dest.range, dest.text.clone(), stage.display_name()));
            }
        }
        for (range, dest, stage) in found {
            cx.report(
                range,
                format!(
                    "COPY to relative path '{dest}' but stage {stage} has no WORKDIR yet, so it lands in the base image's working directory. Set WORKDIR first or use an absolute path."
                ),
            );
        }
    }
}
