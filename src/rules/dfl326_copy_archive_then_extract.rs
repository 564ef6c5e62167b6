use super::shell_support::line_of;
use super::{Check, Context};
use crate::syntax::shell::base_name;
use crate::syntax::Keyword;

crate::declare_rule! {
    /// A local archive is `COPY`'d and then unpacked with `tar -x`: `ADD` does both.
    ///
    /// `ADD` extracts local tar archives (plain, gzip, bzip2, xz) into the destination, so
    /// `COPY app.tar.gz /tmp/` followed by `RUN tar -xzf /tmp/app.tar.gz -C /opt` keeps the
    /// archive in one layer and its contents in another. Not reported when `tar` needs options
    /// `ADD` has no equivalent for (`--strip-components`, member lists, `--exclude`).
    ///
    /// ```dockerfile invalid
    /// FROM debian:12
    /// COPY app.tar.gz /tmp/
    /// RUN tar -xzf /tmp/app.tar.gz -C /opt
    /// ```
    ///
    /// ```dockerfile valid
    /// FROM debian:12
    /// ADD app.tar.gz /opt/
    /// COPY dist.tar.gz /tmp/
    /// RUN tar -xzf /tmp/dist.tar.gz --strip-components=1 -C /opt
    /// ```
    ///
    /// **Fix:** `ADD app.tar.gz /opt/` instead of the `COPY` and the `tar` step.
    pub CopyArchiveThenExtract {
        code: "DFL326",
        name: "copy-archive-then-extract",
        severity: Hint,
        default: true,
        fix: None,
        equivalents: ["DL3010"],
        scope: Stage,
        cites_lines: true,
    }
}

const ARCHIVES: &[&str] = &[
    ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tar.xz", ".txz",
];

impl Check for CopyArchiveThenExtract {
    fn check(&self, cx: &mut Context<'_>) {
        let index = cx.shell();
        let file = cx.file;
        for stage in &file.stages {
            let mut copied: Vec<(String, crate::syntax::TextRange)> = Vec::new();
            for ins in file.stage_instructions(stage) {
                if ins.keyword == Keyword::Copy
                    && ins.flag("from").is_none()
                    && ins.heredocs.is_empty()
                {
                    let (sources, _) = ins.copy_sources_and_dest();
                    for s in sources {
                        let name = base_name(&s.text).to_string();
                        if !s.text.contains('$') && ARCHIVES.iter().any(|e| name.ends_with(e)) {
                            copied.push((name, s.range));
                        }
                    }
                    continue;
                }
                if ins.keyword != Keyword::Run || copied.is_empty() {
                    continue;
                }
                let Some(run) = index.run(ins.index) else {
                    continue;
                };
                for c in &run.script.commands {
                    if c.program_name() != "tar" {
                        continue;
                    }
                    let args = c.program_args();
                    let extract = args.first().is_some_and(|a| {
                        let t = a.text.as_str();
                        t == "--extract"
                            || (!t.starts_with("--") && t.trim_start_matches('-').starts_with('x'))
                            || (t.starts_with('-') && !t.starts_with("--") && t.contains('x'))
                    }) || args
                        .iter()
                        .any(|a| a.text == "-x" || a.text == "--extract");
                    if !extract {
                        continue;
                    }
                    let tricky = args.iter().any(|a| {
                        a.text.starts_with("--strip")
                            || a.text.starts_with("--exclude")
                            || a.text.starts_with("--wildcards")
                    });
                    // Operands: not options, not the value of -C/--directory, not a bundled
                    // first word (`tar xzf a.tgz`).
                    let mut operands = Vec::new();
                    let mut i = 0;
                    while let Some(a) = args.get(i) {
                        let t = a.text.as_str();
                        if t == "-C" || t == "--directory" {
                            i += 2;
                            continue;
                        }
                        let bundled_op = i == 0 && t.starts_with('x');
                        if !t.starts_with('-') && !bundled_op {
                            operands.push(a);
                        }
                        i += 1;
                    }
                    let Some(pos) = copied
                        .iter()
                        .position(|(name, _)| operands.iter().any(|a| base_name(&a.text) == name))
                    else {
                        continue;
                    };
                    // Member names after the archive mean a partial extraction.
                    let members = operands.len() > 1;
                    if tricky || members {
                        continue;
                    }
                    let (name, range) = copied.remove(pos);
                    cx.report(
                        range,
                        format!(
                            "'{name}' is copied and then extracted with tar (line {}): ADD extracts local archives in one step",
                            line_of(file, c.range.start)
                        ),
                    );
                }
            }
        }
    }
}
