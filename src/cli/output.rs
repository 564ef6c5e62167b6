//! Report formats of `check`: tty, json, sarif, checkstyle, github, gitlab.
//!
//! Positions are 1-based lines and 1-based columns counted in Unicode scalar values
//! (characters), the end exclusive (the column just after the last character).

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::REGISTRY;
use crate::syntax::LineIndex;
use serde_json::json;
use std::io::{self, Write};

/// The output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Human-readable, with the source line and carets.
    Tty,
    /// `{"files":[{"path":…,"diagnostics":[…]}]}`.
    Json,
    /// SARIF 2.1.0 (GitHub code scanning and others).
    Sarif,
    /// Checkstyle XML (Jenkins and others).
    Checkstyle,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// GitLab Code Quality report.
    Gitlab,
}

/// The findings of one checked file.
#[derive(Clone, Debug)]
pub struct FileReport {
    /// As shown to the user (the path given or found, or `<stdin>`).
    pub path: String,
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
}

/// 1-based start and end positions, columns in characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

fn char_col(text: &str, li: &LineIndex, offset: usize) -> (usize, usize) {
    let (line, byte_col) = li.line_col(offset);
    let start = li.line_start(line);
    let col = text
        .get(start..start + byte_col)
        .map(|s| s.chars().count())
        .unwrap_or(byte_col);
    (line + 1, col + 1)
}

/// Converts a diagnostic's byte range to a 1-based [`Span`].
pub fn span(text: &str, li: &LineIndex, d: &Diagnostic) -> Span {
    let (line, column) = char_col(text, li, d.range.start);
    let (end_line, end_column) = char_col(text, li, d.range.end.max(d.range.start));
    Span {
        line,
        column,
        end_line,
        end_column,
    }
}

/// Writes `reports` in `format`.
pub fn write_report(
    format: Format,
    reports: &[FileReport],
    color: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Tty => write_tty(reports, color, out),
        Format::Json => write_json(reports, out),
        Format::Sarif => write_sarif(reports, out),
        Format::Checkstyle => write_checkstyle(reports, out),
        Format::Github => write_github(reports, out),
        Format::Gitlab => write_gitlab(reports, out),
    }
}

// ---------------------------------------------------------------------------------------- tty

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";

fn severity_color(s: Severity) -> &'static str {
    match s {
        Severity::Error => "\x1b[1;31m",
        Severity::Warning => "\x1b[1;33m",
        Severity::Info => "\x1b[1;34m",
        Severity::Hint => "\x1b[1;36m",
    }
}

/// Replaces control characters (other than tab) so source lines and messages cannot drive
/// the terminal.
fn printable(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() && c != '\t' {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn write_tty(reports: &[FileReport], color: bool, out: &mut dyn Write) -> io::Result<()> {
    let paint = |code: &str, s: &str| {
        if color {
            format!("{code}{s}{RESET}")
        } else {
            s.to_string()
        }
    };
    let mut counts = [0usize; 4];
    let mut files_with = 0;
    for r in reports {
        if !r.diagnostics.is_empty() {
            files_with += 1;
        }
        let li = LineIndex::new(&r.text);
        for d in &r.diagnostics {
            counts[d.severity as usize] += 1;
            let sp = span(&r.text, &li, d);
            writeln!(
                out,
                "{}: {} {} {} {}",
                paint(
                    BOLD,
                    &format!("{}:{}:{}", printable(&r.path), sp.line, sp.column)
                ),
                paint(severity_color(d.severity), d.severity.as_str()),
                paint(BOLD, d.code),
                paint(DIM, &format!("[{}]", d.name)),
                printable(&d.message)
            )?;
            let line_range = li.line_range(&r.text, sp.line - 1);
            let source = r.text.get(line_range.start..line_range.end).unwrap_or("");
            let gutter = sp.line.to_string();
            let pad = " ".repeat(gutter.len());
            writeln!(
                out,
                " {} {} {}",
                paint(DIM, &gutter),
                paint(DIM, "|"),
                printable(source)
            )?;
            // Carets under the range on its first line (at least one).
            let start_col = sp.column - 1;
            let end_col = if sp.end_line == sp.line {
                (sp.end_column - 1).max(start_col + 1)
            } else {
                source.chars().count().max(start_col + 1)
            };
            let lead: String = source
                .chars()
                .take(start_col)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let carets = "^".repeat(end_col - start_col);
            writeln!(
                out,
                " {} {} {}{}",
                pad,
                paint(DIM, "|"),
                lead,
                paint(severity_color(d.severity), &carets)
            )?;
        }
    }
    let total: usize = counts.iter().sum();
    if total == 0 {
        writeln!(
            out,
            "No problems found in {}.",
            plural(reports.len(), "file")
        )?;
    } else {
        let parts: Vec<String> = [
            (Severity::Error, "error"),
            (Severity::Warning, "warning"),
            (Severity::Info, "info"),
            (Severity::Hint, "hint"),
        ]
        .iter()
        .filter(|(s, _)| counts[*s as usize] > 0)
        .map(|(s, w)| {
            let n = counts[*s as usize];
            if *w == "info" {
                format!("{n} info")
            } else {
                plural(n, w)
            }
        })
        .collect();
        writeln!(
            out,
            "Found {} ({}) in {} of {}.",
            plural(total, "problem"),
            parts.join(", "),
            files_with,
            plural(reports.len(), "file")
        )?;
    }
    Ok(())
}

// --------------------------------------------------------------------------------------- json

/// The JSON report as a value.
pub fn json_value(reports: &[FileReport]) -> serde_json::Value {
    let files: Vec<_> = reports
        .iter()
        .map(|r| {
            let li = LineIndex::new(&r.text);
            let diags: Vec<_> = r
                .diagnostics
                .iter()
                .map(|d| {
                    let sp = span(&r.text, &li, d);
                    json!({
                        "line": sp.line,
                        "column": sp.column,
                        "end_line": sp.end_line,
                        "end_column": sp.end_column,
                        "severity": d.severity.as_str(),
                        "code": d.code,
                        "name": d.name,
                        "message": d.message,
                        "equivalents": d.equivalents,
                    })
                })
                .collect();
            json!({"path": r.path, "diagnostics": diags})
        })
        .collect();
    json!({ "files": files })
}

fn write_json(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer(&mut *out, &json_value(reports))?;
    writeln!(out)
}

// -------------------------------------------------------------------------------------- sarif

/// Where a rule's documentation lives.
pub fn rule_help_uri(meta: &crate::rules::RuleMeta) -> String {
    format!(
        "{}/blob/main/docs/rules.md#{}",
        env!("CARGO_PKG_REPOSITORY"),
        crate::rules::docs::anchor(meta)
    )
}

/// Percent-encodes a path for a URI reference (keeps `/` and unreserved characters).
fn uri_path(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

/// The SARIF 2.1.0 log as a value.
pub fn sarif_value(reports: &[FileReport]) -> serde_json::Value {
    let rules: Vec<_> = REGISTRY
        .iter()
        .map(|r| {
            let m = r.meta();
            json!({
                "id": m.code,
                "name": m.name,
                "shortDescription": {"text": m.summary()},
                "fullDescription": {"text": m.docs.trim(), "markdown": m.docs.trim()},
                "helpUri": rule_help_uri(m),
                "defaultConfiguration": {
                    "enabled": m.default_enabled,
                    "level": sarif_level(m.severity),
                },
                "properties": {"equivalents": m.equivalents, "fix": m.fix.as_str()},
            })
        })
        .collect();
    let mut results = Vec::new();
    for r in reports {
        let li = LineIndex::new(&r.text);
        for d in &r.diagnostics {
            let sp = span(&r.text, &li, d);
            let index = REGISTRY.iter().position(|x| x.meta().code == d.code);
            let mut result = json!({
                "ruleId": d.code,
                "level": sarif_level(d.severity),
                "message": {"text": d.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri_path(&r.path)},
                        "region": {
                            "startLine": sp.line,
                            "startColumn": sp.column,
                            "endLine": sp.end_line,
                            "endColumn": sp.end_column,
                        }
                    }
                }],
                "properties": {"name": d.name, "severity": d.severity.as_str(), "equivalents": d.equivalents},
            });
            if let (Some(i), Some(obj)) = (index, result.as_object_mut()) {
                obj.insert("ruleIndex".into(), json!(i));
            }
            results.push(result);
        }
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "dockerfile-lsp",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

fn write_sarif(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &sarif_value(reports))?;
    writeln!(out)
}

// --------------------------------------------------------------------------------- checkstyle

/// Escapes text for an XML attribute value; drops characters XML 1.0 cannot contain.
pub fn xml_attr(s: &str) -> String {
    let clean: String = s
        .chars()
        .filter(|c| matches!(c, '\t' | '\n' | '\r') || !c.is_control() || *c > '\u{9F}')
        .filter(|c| !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
        .collect();
    quick_xml::escape::escape(clean.as_str())
        .replace('\n', "&#10;")
        .replace('\r', "&#13;")
        .replace('\t', "&#9;")
}

fn checkstyle_severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "info",
    }
}

fn write_checkstyle(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<checkstyle version="4.3">"#)?;
    for r in reports {
        writeln!(out, r#"  <file name="{}">"#, xml_attr(&r.path))?;
        let li = LineIndex::new(&r.text);
        for d in &r.diagnostics {
            let sp = span(&r.text, &li, d);
            writeln!(
                out,
                r#"    <error line="{}" column="{}" severity="{}" message="{}" source="{}"/>"#,
                sp.line,
                sp.column,
                checkstyle_severity(d.severity),
                xml_attr(&d.message),
                xml_attr(d.code)
            )?;
        }
        writeln!(out, "  </file>")?;
    }
    writeln!(out, "</checkstyle>")
}

// ------------------------------------------------------------------------------------- github

/// Escapes the message of a workflow command.
pub fn github_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value of a workflow command.
pub fn github_property(s: &str) -> String {
    github_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn write_github(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    for r in reports {
        let li = LineIndex::new(&r.text);
        for d in &r.diagnostics {
            let sp = span(&r.text, &li, d);
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Hint => "notice",
            };
            writeln!(
                out,
                "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                github_property(&r.path),
                sp.line,
                sp.column,
                sp.end_line,
                sp.end_column,
                github_property(&format!("{} [{}]", d.code, d.name)),
                github_data(&d.message)
            )?;
        }
    }
    Ok(())
}

// ------------------------------------------------------------------------------------- gitlab

fn gitlab_severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "critical",
        Severity::Warning => "major",
        Severity::Info => "minor",
        Severity::Hint => "info",
    }
}

/// A fingerprint that survives edits elsewhere in the file: SHA-256 of the path, the code
/// and the trimmed content of the finding's first line (plus an occurrence number when the
/// same triple occurs more than once).
pub fn gitlab_fingerprint(path: &str, code: &str, line: &str, occurrence: usize) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(path.as_bytes());
    h.update([0]);
    h.update(code.as_bytes());
    h.update([0]);
    h.update(line.trim().as_bytes());
    if occurrence > 0 {
        h.update([0]);
        h.update(occurrence.to_string().as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The GitLab Code Quality report as a value.
pub fn gitlab_value(reports: &[FileReport]) -> serde_json::Value {
    let mut issues = Vec::new();
    for r in reports {
        let li = LineIndex::new(&r.text);
        let mut seen: std::collections::HashMap<(String, &str), usize> = Default::default();
        for d in &r.diagnostics {
            let sp = span(&r.text, &li, d);
            let lr = li.line_range(&r.text, sp.line - 1);
            let line = r.text.get(lr.start..lr.end).unwrap_or("");
            let n = seen.entry((line.trim().to_string(), d.code)).or_insert(0);
            let fingerprint = gitlab_fingerprint(&r.path, d.code, line, *n);
            *n += 1;
            issues.push(json!({
                "type": "issue",
                "description": format!("{} [{}] {}", d.code, d.name, d.message),
                "check_name": d.code,
                "categories": ["Bug Risk"],
                "fingerprint": fingerprint,
                "severity": gitlab_severity(d.severity),
                "location": {
                    "path": r.path,
                    "lines": {"begin": sp.line, "end": sp.end_line},
                },
            }));
        }
    }
    serde_json::Value::Array(issues)
}

fn write_gitlab(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &gitlab_value(reports))?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Settings;

    fn report(path: &str, text: &str) -> FileReport {
        FileReport {
            path: path.into(),
            text: text.into(),
            // Only the syntax rules these tests are about.
            diagnostics: crate::lint::lint_text(text, &Settings::default())
                .into_iter()
                .filter(|d| matches!(d.code, "DFL001" | "DFL005"))
                .collect(),
        }
    }

    fn render(format: Format, reports: &[FileReport]) -> String {
        let mut out = Vec::new();
        write_report(format, reports, false, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn columns_count_characters() {
        // 'ö' is two bytes: columns count it once.
        let text = "FROM alpine\nCOPY --fröm=x /a /b\n";
        let r = report("D", text);
        let d = r.diagnostics.first().expect("a finding");
        let sp = span(text, &LineIndex::new(text), d);
        assert_eq!((sp.line, sp.column, sp.end_line), (2, 6, 2));
        assert_eq!(sp.end_column, 12, "--fröm is 6 characters, 7 bytes");
    }

    #[test]
    fn tty_shows_source_and_carets() {
        let out = render(
            Format::Tty,
            &[report("Dockerfile", "FROM alpine\n\tRUNN true\n")],
        );
        insta::assert_snapshot!(out, @r"
            Dockerfile:2:2: error DFL001 [unknown-instruction] Unknown instruction 'RUNN'. Did you mean 'RUN'?
             2 | 	RUNN true
               | 	^^^^
            Found 1 problem (1 error) in 1 of 1 file.
        ");
    }

    #[test]
    fn tty_summary_without_findings() {
        let out = render(
            Format::Tty,
            &[report("a", "FROM alpine\n"), report("b", "FROM alpine\n")],
        );
        assert_eq!(out, "No problems found in 2 files.\n");
    }

    #[test]
    fn tty_colour_only_when_asked() {
        let r = [report("D", "FROM alpine\nRUNN true\n")];
        let mut out = Vec::new();
        write_report(Format::Tty, &r, true, &mut out).unwrap();
        assert!(String::from_utf8(out).unwrap().contains("\x1b[1;31merror"));
        assert!(!render(Format::Tty, &r).contains('\x1b'));
    }

    #[test]
    fn escaping_helpers() {
        assert_eq!(github_data("50% a\r\nb"), "50%25 a%0D%0Ab");
        assert_eq!(github_property("a:b,c"), "a%3Ab%2Cc");
        assert_eq!(
            xml_attr("<a href=\"x\">&'\n\u{1}"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&#10;"
        );
        assert_eq!(uri_path("dir name/<stdin>"), "dir%20name/%3Cstdin%3E");
    }

    #[test]
    fn gitlab_fingerprints_are_stable_and_distinct() {
        let a = gitlab_fingerprint("Dockerfile", "DFL001", "  RUNN true", 0);
        assert_eq!(
            a,
            gitlab_fingerprint("Dockerfile", "DFL001", "RUNN true", 0)
        );
        assert_ne!(
            a,
            gitlab_fingerprint("Dockerfile", "DFL001", "RUNN true", 1)
        );
        assert_ne!(a, gitlab_fingerprint("other", "DFL001", "RUNN true", 0));
        assert_eq!(a.len(), 64);
    }
}
