//! Hover: documentation for what is under the cursor — instructions, flags and `--mount`
//! keys, variables (resolved value and where defined), stages, base images (flavor,
//! distribution and support dates, libc, size, user, shell) and parser directives — plus the
//! documentation of the rules whose diagnostics cover the cursor.

use super::scope::{parent_stage, variables_at, Origin};
use crate::diagnostic::Diagnostic;
use crate::knowledge::directives::directive_markdown;
use crate::knowledge::flags::{flag_markdown, key_label, mount_key};
use crate::knowledge::images::{facts, Date};
use crate::knowledge::instructions::instruction_markdown;
use crate::syntax::{Dockerfile, Flag, ImageRef, Instruction, Keyword, Stage, TextRange};

/// Markdown to show and the range it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hover {
    pub markdown: String,
    pub range: TextRange,
}

/// Hover at byte `offset`, judging support dates against the system date.
pub fn hover(
    file: &Dockerfile,
    text: &str,
    offset: usize,
    diagnostics: &[Diagnostic],
) -> Option<Hover> {
    hover_on(file, text, offset, diagnostics, Date::today())
}

/// Hover at byte `offset` with an explicit `today` (deterministic; used by tests).
pub fn hover_on(
    file: &Dockerfile,
    text: &str,
    offset: usize,
    diagnostics: &[Diagnostic],
    today: Date,
) -> Option<Hover> {
    let mut sections = Vec::new();
    let mut range = None;
    if let Some((md, r)) = element(file, text, offset, today) {
        sections.push(md);
        range = Some(r);
    }
    let mut seen: Vec<&str> = Vec::new();
    for d in diagnostics
        .iter()
        .filter(|d| d.range.contains_inclusive(offset))
    {
        if seen.contains(&d.code) {
            continue;
        }
        seen.push(d.code);
        let Some(rule) = crate::rules::find_rule(d.code) else {
            continue;
        };
        let meta = rule.meta();
        let mut md = format!("**{}** `{}`", meta.code, meta.name);
        if !meta.equivalents.is_empty() {
            md.push_str(&format!(" (also {})", meta.equivalents.join(", ")));
        }
        md.push_str("\n\n");
        md.push_str(meta.docs.trim());
        sections.push(md);
        range.get_or_insert(d.range);
    }
    let range = range?;
    Some(Hover {
        markdown: sections.join("\n\n---\n\n"),
        range,
    })
}

fn element(
    file: &Dockerfile,
    text: &str,
    offset: usize,
    today: Date,
) -> Option<(String, TextRange)> {
    if let Some(d) = file
        .directives
        .iter()
        .find(|d| d.range.contains_inclusive(offset))
    {
        let mut md = directive_markdown(&d.name)?;
        if d.name == "check" {
            md.push_str(&format!("\n\nHere: `{}`", d.value));
        }
        return Some((md, d.range));
    }
    let outer = file.instruction_at(offset)?;
    let in_body = |i: &Instruction| {
        i.heredocs.iter().any(|h| {
            h.body_range.contains(offset)
                || h.end_range.is_some_and(|r| r.contains_inclusive(offset))
        })
    };
    if in_body(outer) || outer.onbuild.as_deref().is_some_and(in_body) {
        return None;
    }
    let ins = match &outer.onbuild {
        Some(inner) if offset >= inner.keyword_range.start => inner.as_ref(),
        _ => outer,
    };
    if ins.keyword_range.contains_inclusive(offset) {
        return instruction_markdown(ins.keyword).map(|md| (md, ins.keyword_range));
    }
    if let Some(v) = ins
        .var_refs
        .iter()
        .find(|v| v.range.contains_inclusive(offset))
    {
        return Some((variable_md(file, outer, &v.name, v.range.start), v.range));
    }
    // The shell expands variables in RUN/CMD/ENTRYPOINT; the model has no references there.
    if !ins.keyword.expands_variables() && ins.args_range.contains_inclusive(offset) {
        if let Some((name, r)) = shell_var_at(text, offset) {
            return Some((variable_md(file, outer, &name, r.start), r));
        }
    }
    if let Some(f) = ins
        .flags
        .iter()
        .find(|f| f.range.contains_inclusive(offset))
    {
        return flag_md(file, ins, outer.stage, f, offset, today);
    }
    if ins.keyword == Keyword::From {
        let stage = file.stages.get(outer.stage?)?;
        if stage.image.range.contains_inclusive(offset) && !stage.image.text.is_empty() {
            if let Some(parent) = parent_stage(file, stage) {
                return Some((stage_md(file, parent, today), stage.image.range));
            }
            return Some((
                image_md(file, &stage.image, ins.range.start, today),
                stage.image.range,
            ));
        }
        if let Some(alias) = stage
            .alias
            .as_ref()
            .filter(|a| a.range.contains_inclusive(offset))
        {
            return Some((stage_md(file, stage, today), alias.range));
        }
    }
    if matches!(ins.keyword, Keyword::Arg | Keyword::Env) {
        if let Some(p) = ins
            .pairs
            .iter()
            .find(|p| p.key_range.contains_inclusive(offset))
        {
            return Some((
                definition_md(file, ins, &p.key, p.value.as_deref()),
                p.key_range,
            ));
        }
    }
    None
}

/// `$NAME` / `${NAME…}` around `offset` on its line.
fn shell_var_at(text: &str, offset: usize) -> Option<(String, TextRange)> {
    let b = text.as_bytes();
    let is_name = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut start = offset.min(b.len());
    while start > 0 && b.get(start - 1).copied().is_some_and(is_name) {
        start -= 1;
    }
    let mut end = offset.min(b.len());
    while b.get(end).copied().is_some_and(is_name) {
        end += 1;
    }
    if start == end {
        // On the `$` itself.
        if b.get(offset) == Some(&b'$') {
            return shell_var_at(
                text,
                offset + 1 + usize::from(b.get(offset + 1) == Some(&b'{')),
            );
        }
        return None;
    }
    let name = text.get(start..end)?.to_string();
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    if start >= 2 && b.get(start - 2..start) == Some(b"${") {
        let close = if b.get(end) == Some(&b'}') {
            end + 1
        } else {
            end
        };
        return Some((name, TextRange::new(start - 2, close)));
    }
    if start >= 1 && b.get(start - 1) == Some(&b'$') {
        return Some((name, TextRange::new(start - 1, end)));
    }
    None
}

fn line_of(file: &Dockerfile, at: usize) -> usize {
    file.lines.line_col(at).0 + 1
}

fn variable_md(file: &Dockerfile, scope_ins: &Instruction, name: &str, at: usize) -> String {
    let vars = variables_at(file, scope_ins, at);
    match vars.iter().find(|v| v.name == name) {
        Some(v) => {
            let value = match (&v.origin, &v.value) {
                (Origin::Platform | Origin::Predefined, _) | (_, None) => v.value_text(),
                (_, Some(val)) => format!("= `{val}`"),
            };
            format!(
                "**`${name}`** {value}\n\nDefined by {}.",
                v.origin_text(file)
            )
        }
        None => {
            let mut md = format!("**`${name}`** is not defined at this point.");
            let global = file.global_args().any(|p| p.key == name);
            if global && scope_ins.keyword != Keyword::From {
                md.push_str(&format!(
                    "\n\nA global `ARG {name}` exists, but global arguments are only visible in `FROM` lines: add `ARG {name}` to this stage."
                ));
            } else if scope_ins.keyword == Keyword::Run {
                md.push_str("\n\nThe shell expands it at build time, so it may come from the base image's environment.");
            } else {
                md.push_str(" It expands to an empty string.");
            }
            md
        }
    }
}

fn definition_md(file: &Dockerfile, ins: &Instruction, name: &str, value: Option<&str>) -> String {
    let kw = ins.keyword.as_str();
    let mut md = match value {
        Some(v) => format!("**`{kw} {name}`** = `{v}`"),
        None => format!("**`{kw} {name}`** (no default)"),
    };
    if ins.keyword == Keyword::Arg {
        if ins.stage.is_none() {
            md.push_str("\n\nGlobal build argument: usable in `FROM` lines; redeclare it with `ARG` inside a stage to use it there.");
        } else if value.is_none() {
            let global = file.global_args().filter(|p| p.key == name).last();
            match global {
                Some(g) => md.push_str(&format!(
                    "\n\nTakes the global default{} from line {}.",
                    g.value
                        .as_deref()
                        .map(|v| format!(" `{v}`"))
                        .unwrap_or_default(),
                    line_of(file, g.key_range.start)
                )),
                None if crate::syntax::PLATFORM_ARGS.contains(&name) => {
                    md.push_str("\n\nSet automatically by BuildKit for the platform being built.")
                }
                None => md.push_str("\n\nEmpty unless passed with `--build-arg`."),
            }
        }
    } else {
        md.push_str("\n\nPersists in the image and in stages built from this one.");
    }
    md
}

fn stage_md(file: &Dockerfile, stage: &Stage, today: Date) -> String {
    let line = line_of(file, stage.range.start);
    let mut md = match stage.name() {
        Some(n) => format!("**Stage `{n}`** (#{}), defined on line {line}", stage.index),
        None => format!("**Stage #{}**, defined on line {line}", stage.index),
    };
    md.push_str(&format!(
        "\n\n```dockerfile\nFROM {}\n```",
        stage.image.text
    ));
    if let Some(parent) = parent_stage(file, stage) {
        md.push_str(&format!("\n\nBuilt on stage {}.", parent.display_name()));
    } else if !stage.image.text.is_empty() {
        let from_ins = file
            .instructions
            .get(stage.from)
            .map(|i| i.range.start)
            .unwrap_or(0);
        md.push_str("\n\n");
        md.push_str(&image_md(file, &stage.image, from_ins, today));
    }
    md
}

fn image_md(file: &Dockerfile, image: &ImageRef, from_offset: usize, today: Date) -> String {
    let mut md = String::new();
    let resolved;
    let image = if image.has_variables {
        let e = file.expand_global(&image.text, from_offset);
        md.push_str(&format!("`{}` resolves to `{}`", image.text, e.value));
        if !e.build_time.is_empty() {
            md.push_str(&format!(
                " (`{}` set at build time)",
                e.build_time.join("`, `")
            ));
        }
        if !e.unresolved.is_empty() {
            md.push_str(&format!(
                " (`{}` undefined: empty)",
                e.unresolved.join("`, `")
            ));
        }
        md.push_str("\n\n");
        resolved = ImageRef::parse(&e.value, image.range.start);
        &resolved
    } else {
        image
    };
    if image.is_scratch() {
        md.push_str("**`scratch`** — the empty image: no files, no shell, no libc. Only static binaries run here.");
        return md;
    }
    let f = facts(image);
    match f.image {
        Some(entry) => {
            md.push_str(&format!("**`{}`** — {}", image.text, entry.description));
            if let Some(note) = entry.note {
                md.push_str(&format!(
                    "\n\n{}{note}",
                    if entry.deprecated { "⚠ " } else { "" }
                ));
            }
        }
        None => {
            md.push_str(&format!(
                "**`{}`** (not in the offline catalog)\n",
                image.text
            ));
            md.push_str(&format!("\n- Registry: `{}`", image.registry_host()));
            md.push_str(&format!("\n- Repository: `{}`", image.path));
            md.push_str(&format!(
                "\n- Tag: `{}`",
                image.tag.as_deref().unwrap_or("latest (implicit)")
            ));
            if let Some(d) = &image.digest {
                md.push_str(&format!("\n- Digest: `{d}`"));
            }
        }
    }
    md.push('\n');
    for flavor in &f.tag.flavors {
        md.push_str(&format!("\n- Flavor: {}", flavor.describe()));
    }
    if let Some(rel) = f.release {
        let approx = if rel.approximate { "≈ " } else { "" };
        let status = if rel.is_eol(today) {
            format!("**end of life**: {} ended {approx}{}", rel.support, rel.eol)
        } else {
            format!("supported until {approx}{} ({})", rel.eol, rel.support)
        };
        md.push_str(&format!(
            "\n- Distribution: {} — released {}, {status}",
            rel.name, rel.released
        ));
    } else if let Some(fam) = f.family {
        md.push_str(&format!("\n- Distribution: {}", fam.as_str()));
    }
    if let (Some(entry), Some(version)) = (f.image, f.tag.version.as_deref()) {
        if let Some(rt) = crate::knowledge::runtimes::runtime_release(entry.name, version) {
            let approx = if rt.approximate { "≈ " } else { "" };
            if rt.is_eol(today) {
                md.push_str(&format!(
                    "\n- {} {}: **end of life** since {approx}{} — no more security fixes",
                    rt.runtime, rt.version, rt.eol
                ));
            } else {
                md.push_str(&format!(
                    "\n- {} {}: supported until {approx}{}",
                    rt.runtime, rt.version, rt.eol
                ));
            }
        }
    }
    if let Some(l) = f.libc {
        md.push_str(&format!("\n- libc: {}", l.as_str()));
    }
    if let Some(entry) = f.image {
        if let Some((flavor, mb)) = f.size {
            md.push_str(&format!(
                "\n- Typical size: ≈ {mb} MB compressed ({flavor}, linux/amd64)"
            ));
        }
        let user = if f.nonroot && entry.default_user == "root" {
            "non-root"
        } else {
            entry.default_user
        };
        md.push_str(&format!("\n- Default user: {user}"));
        md.push_str(&format!("\n- Shell: {}", f.shell.unwrap_or("none")));
        if let Some(slim) = crate::knowledge::images::slim_variant(entry.name, image.tag.as_deref())
            .filter(|_| image.registry.is_none() || entry.name.contains('/'))
        {
            md.push_str(&format!("\n- Smaller variant: `{slim}`"));
        }
        if image.digest.is_none() {
            md.push_str("\n- Not pinned by digest: the tag can move to a different image.");
        }
        md.push_str(&format!(
            "\n\n[{}]({})",
            entry.url.trim_start_matches("https://"),
            entry.url
        ));
    } else if f.nonroot {
        md.push_str("\n- Default user: non-root");
    }
    md
}

fn flag_md(
    file: &Dockerfile,
    ins: &Instruction,
    stage: Option<usize>,
    flag: &Flag,
    offset: usize,
    today: Date,
) -> Option<(String, TextRange)> {
    let in_value = flag
        .value_range
        .is_some_and(|r| r.contains_inclusive(offset));
    let earlier = |name: &str| -> Option<&Stage> {
        let s = file.find_stage(name)?;
        (s.index < stage.unwrap_or(0)).then_some(s)
    };
    if in_value && flag.name == "from" {
        let value = flag.value.as_deref().unwrap_or("");
        let range = flag.value_range.unwrap_or(flag.range);
        if let Some(s) = earlier(value) {
            return Some((stage_md(file, s, today), range));
        }
        // Not an earlier stage: an image (or a named build context).
        let is_stage = file.find_stage(value).is_some();
        if !value.is_empty() && !is_stage && !value.contains('$') {
            let image = ImageRef::parse(value, range.start);
            let md = format!(
                "`--from={value}` is not a stage: BuildKit uses it as an image (unless a build context of that name is passed with `--build-context`).\n\n{}",
                image_md(file, &image, ins.range.start, today)
            );
            return Some((md, range));
        }
    }
    if in_value && ins.keyword == Keyword::Run && flag.name == "mount" {
        // The `key=value` item under the cursor.
        let vr = flag.value_range?;
        let value = flag.value.as_deref().unwrap_or("");
        let mut pos = vr.start;
        for item in value.split(',') {
            let r = TextRange::new(pos, pos + item.len());
            pos += item.len() + 1;
            if !r.contains_inclusive(offset) {
                continue;
            }
            let (k, v) = item.split_once('=').unwrap_or((item, ""));
            if k.trim().eq_ignore_ascii_case("from") {
                if let Some(s) = earlier(v.trim()) {
                    return Some((stage_md(file, s, today), r));
                }
            }
            if let Some(key) = mount_key(k.trim()) {
                let mut md = format!("**{}** (`--mount` option)\n\n{}", key_label(key), key.doc);
                if let Some(val) = key
                    .values
                    .iter()
                    .find(|x| x.value.eq_ignore_ascii_case(v.trim()))
                {
                    if !val.doc.is_empty() {
                        md.push_str(&format!("\n\n`{}`: {}", val.value, val.doc));
                    }
                }
                md.push_str(&format!("\n\nApplies to: {}", key.types.join(", ")));
                return Some((md, r));
            }
        }
    }
    let mount_type = flag
        .key_values()
        .into_iter()
        .find(|(k, _)| k == "type")
        .and_then(|(_, v)| v)
        .or_else(|| (flag.name == "mount").then(|| "bind".to_string()));
    flag_markdown(ins.keyword, &flag.name, mount_type.as_deref()).map(|md| (md, flag.range))
}

#[cfg(test)]
mod tests;
