//! `dockerfile-lsp check` end to end: the built binary on files in temporary directories.

use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_dockerfile-lsp");

/// An unknown instruction (DFL001, error, unsafe fix `RUN`).
const BAD: &str = "FROM alpine:3.20\nRUNN echo hi\nUSER nobody\n";
/// A pragma naming no rule (DFL010, warning).
const WARN: &str = "FROM alpine:3.20\n# hadolint ignore=no-such-rule\nRUN echo hi\nUSER nobody\n";
const GOOD: &str = "FROM alpine:3.20\nRUN echo hi\nUSER nobody\n";

fn run_in(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(BIN)
        .current_dir(dir)
        .args(args)
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        let mut input = child.stdin.take().unwrap();
        if let Some(s) = stdin {
            // A command that does not read stdin may exit before we finish writing (EPIPE).
            if let Err(e) = input.write_all(s.as_bytes()) {
                assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
            }
        }
    }
    child.wait_with_output().unwrap()
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn json(dir: &Path, args: &[&str]) -> (i32, Value, String) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let o = run_in(dir, &all, None);
    let v: Value = serde_json::from_str(&stdout(&o))
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", stdout(&o), stderr(&o)));
    (code(&o), v, stderr(&o))
}

fn paths(v: &Value) -> Vec<String> {
    v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect()
}

fn codes(v: &Value) -> Vec<String> {
    v["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["diagnostics"].as_array().unwrap().iter())
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

// ------------------------------------------------------------------------------------ formats

#[test]
fn json_format_has_every_field() {
    let d = tmp();
    write(
        d.path(),
        "Dockerfile",
        "FROM alpine:3.20\nRUN true\nRUNN échö\nUSER nobody\n",
    );
    let (c, v, _) = json(d.path(), &["Dockerfile"]);
    assert_eq!(c, 1);
    assert_eq!(
        v,
        serde_json::json!({"files": [{"path": "Dockerfile", "diagnostics": [{
            "line": 3, "column": 1, "end_line": 3, "end_column": 5,
            "severity": "error", "code": "DFL001", "name": "unknown-instruction",
            "message": v["files"][0]["diagnostics"][0]["message"],
            "equivalents": []
        }]}]})
    );
    assert!(v["files"][0]["diagnostics"][0]["message"]
        .as_str()
        .unwrap()
        .contains("RUNN"));
}

#[test]
fn json_columns_are_characters() {
    let d = tmp();
    // 'ö' is two bytes: the flag starts at character 6 and ends before character 13.
    write(
        d.path(),
        "Dockerfile",
        "FROM alpine:3.20\nCOPY --fröm=x /a /b\nUSER nobody\n",
    );
    let (_, v, _) = json(d.path(), &["Dockerfile"]);
    let diag = &v["files"][0]["diagnostics"][0];
    assert_eq!(diag["code"], "DFL005");
    assert_eq!(
        (diag["column"].as_u64(), diag["end_column"].as_u64()),
        (Some(6), Some(12))
    );
}

#[test]
fn sarif_format() {
    let d = tmp();
    write(d.path(), "sub dir/Dockerfile", BAD);
    let o = run_in(d.path(), &["check", "-f", "sarif", "sub dir"], None);
    assert_eq!(code(&o), 1);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "dockerfile-lsp");
    let rules = driver["rules"].as_array().unwrap();
    let registry = dockerfile_lsp::rules::REGISTRY;
    assert_eq!(rules.len(), registry.len());
    for (rule, r) in rules.iter().zip(registry) {
        let m = r.meta();
        assert_eq!(rule["id"], m.code);
        assert_eq!(rule["name"], m.name);
        let help = rule["helpUri"].as_str().unwrap();
        assert!(
            help.ends_with(&format!(
                "docs/rules.md#{}",
                dockerfile_lsp::rules::docs::anchor(m)
            )),
            "{help}"
        );
    }
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    let r = &results[0];
    assert_eq!(r["ruleId"], "DFL001");
    assert_eq!(r["level"], "error");
    assert_eq!(
        rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "DFL001"
    );
    let loc = &r["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "sub%20dir/Dockerfile");
    assert_eq!(
        loc["region"],
        serde_json::json!({"startLine": 2, "startColumn": 1, "endLine": 2, "endColumn": 5})
    );
    assert_eq!(run["columnKind"], "unicodeCodePoints");
}

/// (element name, attributes) of every start/empty element.
fn xml_elements(xml: &str) -> Vec<(String, Vec<(String, String)>)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) => {
                let attrs = e
                    .attributes()
                    .map(|a| {
                        let a = a.unwrap();
                        (
                            String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .unwrap()
                                .into_owned(),
                        )
                    })
                    .collect();
                out.push((
                    String::from_utf8(e.name().as_ref().to_vec()).unwrap(),
                    attrs,
                ));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

#[test]
fn checkstyle_format_escapes() {
    let d = tmp();
    write(
        d.path(),
        "a&b<c>.Dockerfile",
        "FROM alpine:3.20\nRUNN \"<x>\" & 'y'\nUSER nobody\n",
    );
    write(d.path(), "Dockerfile", GOOD);
    let o = run_in(d.path(), &["check", "--format=checkstyle", "."], None);
    assert_eq!(code(&o), 1);
    let els = xml_elements(&stdout(&o));
    let names: Vec<&str> = els.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["checkstyle", "file", "file", "error"]);
    let attr = |i: usize, k: &str| {
        els[i]
            .1
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap()
    };
    assert_eq!(attr(1, "name"), "./Dockerfile");
    assert_eq!(attr(2, "name"), "./a&b<c>.Dockerfile");
    assert_eq!(attr(3, "line"), "2");
    assert_eq!(attr(3, "column"), "1");
    assert_eq!(attr(3, "severity"), "error");
    assert_eq!(attr(3, "source"), "DFL001");
    assert!(attr(3, "message").contains("RUNN"));
}

#[test]
fn github_format() {
    let d = tmp();
    write(d.path(), "a,b:c.Dockerfile", BAD);
    write(d.path(), "Dockerfile", WARN);
    let o = run_in(d.path(), &["check", "--format", "github", "."], None);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines[0].starts_with(
            "::warning file=./Dockerfile,line=2,col=19,endLine=2,endColumn=31,title=DFL010 [unknown-rule-id]::'no-such-rule'"
        ),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with(
            "::error file=./a%2Cb%3Ac.Dockerfile,line=2,col=1,endLine=2,endColumn=5,title=DFL001 [unknown-instruction]::"
        ),
        "{}",
        lines[1]
    );
    // A message never spans lines and never contains an unescaped '%'.
    assert!(!lines[1].split("::").nth(2).unwrap().contains('\n'));
}

#[test]
fn gitlab_format() {
    let d = tmp();
    write(
        d.path(),
        "Dockerfile",
        "FROM alpine:3.20\nRUNN a\nRUNN a\n# hadolint ignore=nope\nRUN x\nUSER nobody\n",
    );
    let o = run_in(
        d.path(),
        &["check", "--format", "gitlab", "Dockerfile"],
        None,
    );
    assert_eq!(code(&o), 1);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let issues = v.as_array().unwrap();
    assert_eq!(issues.len(), 3);
    let fps: Vec<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert!(fps
        .iter()
        .all(|f| f.len() == 64 && f.bytes().all(|b| b.is_ascii_hexdigit())));
    assert_ne!(
        fps[0], fps[1],
        "identical lines still get distinct fingerprints"
    );
    assert_eq!(issues[0]["check_name"], "DFL001");
    assert_eq!(issues[0]["severity"], "critical");
    assert_eq!(issues[0]["location"]["path"], "Dockerfile");
    assert_eq!(issues[0]["location"]["lines"]["begin"], 2);
    assert_eq!(issues[2]["severity"], "major");
    // Stable: moving the finding to another line keeps its fingerprint.
    write(
        d.path(),
        "Dockerfile",
        "FROM alpine:3.20\n\n\nRUNN a\nRUNN a\n# hadolint ignore=nope\nRUN x\nUSER nobody\n",
    );
    let o = run_in(
        d.path(),
        &["check", "--format", "gitlab", "Dockerfile"],
        None,
    );
    let v2: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v2[0]["fingerprint"], v[0]["fingerprint"]);
    assert_eq!(v2[0]["location"]["lines"]["begin"], 4);
}

#[test]
fn tty_format() {
    let d = tmp();
    write(d.path(), "Dockerfile", BAD);
    write(d.path(), "ok/Dockerfile", GOOD);
    let o = run_in(d.path(), &["check", "."], None);
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    assert_eq!(
        out,
        "./Dockerfile:2:1: error DFL001 [unknown-instruction] Unknown instruction 'RUNN'. Did you mean 'RUN'?\n \
         2 | RUNN echo hi\n   \
           | ^^^^\n\
         Found 1 problem (1 error) in 1 of 2 files.\n"
    );
    let o = run_in(
        d.path(),
        &["check", "--color", "always", "Dockerfile"],
        None,
    );
    assert!(stdout(&o).contains("\x1b["));
    let o = run_in(d.path(), &["check", "ok/Dockerfile"], None);
    assert_eq!(code(&o), 0);
    assert_eq!(stdout(&o), "No problems found in 1 file.\n");
}

// --------------------------------------------------------------------------------- exit codes

#[test]
fn exit_codes_and_threshold() {
    let d = tmp();
    write(d.path(), "good/Dockerfile", GOOD);
    write(d.path(), "warn/Dockerfile", WARN);
    write(d.path(), "bad/Dockerfile", BAD);
    let c = |args: &[&str]| code(&run_in(d.path(), args, None));
    assert_eq!(c(&["check", "good"]), 0);
    assert_eq!(c(&["check", "bad"]), 1);
    // Default threshold is error: a warning does not fail.
    assert_eq!(c(&["check", "warn"]), 0);
    assert_eq!(c(&["check", "--failure-threshold", "warning", "warn"]), 1);
    assert_eq!(c(&["check", "--failure-threshold", "info", "warn"]), 1);
    assert_eq!(c(&["check", "--failure-threshold", "hint", "warn"]), 1);
    assert_eq!(c(&["check", "--failure-threshold", "none", "bad"]), 0);
    assert_eq!(
        c(&["check", "--failure-threshold", "error", "warn", "bad"]),
        1
    );
    assert_eq!(c(&["check", "--failure-threshold", "fatal", "bad"]), 2);
    // Usage errors.
    let o = run_in(d.path(), &["check"], None);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("Usage"), "{}", stderr(&o));
    assert_eq!(c(&["check", "--format", "xml", "good"]), 2);
    assert_eq!(
        c(&["check", "--config", "x.toml", "--no-config", "good"]),
        2
    );
}

#[test]
fn ignore_flag() {
    let d = tmp();
    write(d.path(), "Dockerfile", BAD);
    let o = run_in(
        d.path(),
        &["check", "--ignore", "unknown-instruction", "Dockerfile"],
        None,
    );
    assert_eq!(code(&o), 0);
    let o = run_in(
        d.path(),
        &[
            "check",
            "--ignore",
            "DFL005",
            "--ignore",
            "DFL001",
            "Dockerfile",
        ],
        None,
    );
    assert_eq!(code(&o), 0);
    let o = run_in(
        d.path(),
        &["check", "--ignore", "DFL0001", "Dockerfile"],
        None,
    );
    assert_eq!(code(&o), 1);
    assert!(
        stderr(&o).contains("unknown rule 'DFL0001'"),
        "{}",
        stderr(&o)
    );
}

// ------------------------------------------------------------------------------------- stdin

#[test]
fn stdin_dash() {
    let d = tmp();
    let o = run_in(d.path(), &["check", "--format", "json", "-"], Some(BAD));
    assert_eq!(code(&o), 1);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(paths(&v), ["<stdin>"]);
    assert_eq!(codes(&v), ["DFL001"]);
    let o = run_in(
        d.path(),
        &["check", "--stdin-filename", "app/Dockerfile", "-"],
        Some(BAD),
    );
    assert!(
        stdout(&o).starts_with("app/Dockerfile:2:1: error DFL001"),
        "{}",
        stdout(&o)
    );
    // Configuration is searched from the stdin file name's directory.
    write(
        d.path(),
        "app/dockerfile-lsp.toml",
        "ignore = [\"DFL001\"]\n",
    );
    let o = run_in(
        d.path(),
        &["check", "--stdin-filename", "app/Dockerfile", "-"],
        Some(BAD),
    );
    assert_eq!(code(&o), 0, "{}", stdout(&o));
}

// -------------------------------------------------------------------------------- discovery

#[test]
fn directory_discovery() {
    let d = tmp();
    for name in [
        "Dockerfile",
        "dockerfile",
        "Dockerfile.dev",
        "api.Dockerfile",
        "web.dockerfile",
        "Containerfile",
        "Containerfile.build",
        "b/Dockerfile",
        ".devcontainer/Dockerfile",
        // Not Dockerfiles:
        "README.md",
        "Dockerfile.dockerignore",
        ".dockerignore",
        "Dockerfiles",
        "docker-compose.yml",
        // Skipped directories:
        ".git/Dockerfile",
        "node_modules/pkg/Dockerfile",
        "target/Dockerfile",
        "b/target/Dockerfile",
    ] {
        write(d.path(), name, GOOD);
    }
    write(d.path(), "notes.txt", BAD);
    let (c, v, _) = json(d.path(), &["."]);
    assert_eq!(c, 0);
    assert_eq!(
        paths(&v),
        [
            "./.devcontainer/Dockerfile",
            "./Containerfile",
            "./Containerfile.build",
            "./Dockerfile",
            "./Dockerfile.dev",
            "./api.Dockerfile",
            "./b/Dockerfile",
            "./dockerfile",
            "./web.dockerfile",
        ]
    );
    // Explicit files are always checked, in the order given; duplicates once.
    let (c, v, _) = json(
        d.path(),
        &["notes.txt", "Dockerfile", "notes.txt", "target"],
    );
    assert_eq!(c, 1);
    assert_eq!(paths(&v), ["notes.txt", "Dockerfile", "target/Dockerfile"]);
}

/// CI runs as root, where file permissions are not enforced, so unreadable files are made
/// with a dangling symbolic link (named like a Dockerfile, found by the walk) and a path that
/// does not exist (named explicitly): neither can be read by anyone.
#[test]
fn unreadable_files_give_2_and_the_rest_is_checked() {
    let d = tmp();
    write(d.path(), "Dockerfile", BAD);
    std::os::unix::fs::symlink(d.path().join("missing"), d.path().join("Dockerfile.broken"))
        .unwrap();
    let (c, v, err) = json(d.path(), &["."]);
    assert_eq!(c, 2, "an I/O error outranks findings");
    assert_eq!(paths(&v), ["./Dockerfile"]);
    assert_eq!(codes(&v), ["DFL001"]);
    assert!(err.contains("cannot read ./Dockerfile.broken"), "{err}");
    let (c, v, err) = json(d.path(), &["nope/Dockerfile", "Dockerfile"]);
    assert_eq!(c, 2);
    assert_eq!(paths(&v), ["Dockerfile"]);
    assert!(err.contains("cannot read nope/Dockerfile"), "{err}");
}

#[test]
fn non_utf8_is_decoded_lossily() {
    let d = tmp();
    let mut bytes = b"FROM alpine:3.20\nUSER nobody\n# caf\xe9\nRUN echo \xff\n".to_vec();
    std::fs::write(d.path().join("Dockerfile"), &bytes).unwrap();
    let (c, v, _) = json(d.path(), &["Dockerfile"]);
    assert_eq!((c, codes(&v).len()), (0, 0));
    bytes.extend_from_slice(b"RUNN \xfe\n");
    std::fs::write(d.path().join("Dockerfile"), &bytes).unwrap();
    let (c, v, _) = json(d.path(), &["Dockerfile"]);
    assert_eq!((c, codes(&v)), (1, vec!["DFL001".to_string()]));
    // Fixing would destroy the undecodable bytes: the file is left alone.
    let o = run_in(d.path(), &["check", "--unsafe-fixes", "Dockerfile"], None);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("not fixing Dockerfile: it is not valid UTF-8"));
    assert_eq!(std::fs::read(d.path().join("Dockerfile")).unwrap(), bytes);
}

// ------------------------------------------------------------------------------------ config

#[test]
fn toml_config_is_found_upward() {
    let d = tmp();
    write(
        d.path(),
        "dockerfile-lsp.toml",
        "[rules]\nunknown-instruction = \"warning\"\n",
    );
    write(d.path(), "svc/api/Dockerfile", BAD);
    let (c, v, _) = json(d.path(), &["svc"]);
    assert_eq!(c, 0, "downgraded to a warning");
    assert_eq!(v["files"][0]["diagnostics"][0]["severity"], "warning");
    // A nearer file wins over the farther one.
    write(
        d.path(),
        "svc/dockerfile-lsp.toml",
        "failure-threshold = \"warning\"\n",
    );
    let (c, v, _) = json(d.path(), &["svc"]);
    assert_eq!(c, 1);
    assert_eq!(v["files"][0]["diagnostics"][0]["severity"], "error");
    // --no-config ignores both; --config names one.
    write(d.path(), "other.toml", "ignore = [\"DFL001\"]\n");
    let (c, _, _) = json(d.path(), &["--no-config", "svc"]);
    assert_eq!(c, 1);
    let (c, v, _) = json(d.path(), &["--config", "other.toml", "svc"]);
    assert_eq!((c, codes(&v).len()), (0, 0));
    // The CLI overrides the files.
    let (c, _, _) = json(d.path(), &["--failure-threshold", "none", "svc"]);
    assert_eq!(c, 0);
}

#[test]
fn hadolint_yaml_config() {
    let d = tmp();
    write(
        d.path(),
        ".hadolint.yaml",
        "ignored:\n  - DL3008\noverride:\n  info:\n    - DFL001\nfailure-threshold: info\nstrict-labels: true\n",
    );
    write(d.path(), "Dockerfile", BAD);
    let (c, v, err) = json(d.path(), &["Dockerfile"]);
    assert_eq!(c, 1, "info finding at threshold info");
    assert_eq!(v["files"][0]["diagnostics"][0]["severity"], "info");
    assert!(
        err.contains("hadolint setting 'strict-labels' is not supported and is ignored"),
        "{err}"
    );
    // Our toml is applied after hadolint's file.
    write(
        d.path(),
        "dockerfile-lsp.toml",
        "failure-threshold = \"error\"\n",
    );
    let (c, _, _) = json(d.path(), &["Dockerfile"]);
    assert_eq!(c, 0);
    // no-fail
    write(d.path(), ".hadolint.yaml", "no-fail: true\n");
    std::fs::remove_file(d.path().join("dockerfile-lsp.toml")).unwrap();
    let (c, _, _) = json(d.path(), &["Dockerfile"]);
    assert_eq!(c, 0);
}

#[test]
fn config_warnings_and_errors() {
    let d = tmp();
    write(
        d.path(),
        "dockerfile-lsp.toml",
        "ignore = [\"DFL999\", \"DL3008\"]\n[rules]\nrun-as-rot = \"off\"\n",
    );
    write(d.path(), "a/Dockerfile", GOOD);
    write(d.path(), "b/Dockerfile", GOOD);
    let (c, _, err) = json(d.path(), &["a", "b"]);
    assert_eq!(c, 0);
    let warnings: Vec<&str> = err.lines().collect();
    assert_eq!(
        warnings.len(),
        2,
        "each warning once, DL3008 accepted: {err}"
    );
    assert!(warnings.iter().any(|w| w.contains("unknown rule 'DFL999'")));
    assert!(warnings
        .iter()
        .any(|w| w.contains("unknown rule 'run-as-rot'")));
    // A file that does not parse is an error (exit 2); files are still checked.
    write(d.path(), "dockerfile-lsp.toml", "[rules\n");
    write(d.path(), "a/Dockerfile", BAD);
    let (c, v, err) = json(d.path(), &["a"]);
    assert_eq!(c, 2);
    assert_eq!(codes(&v), ["DFL001"]);
    assert!(err.contains("invalid configuration"), "{err}");
    // An explicit --config that does not parse stops the run.
    write(d.path(), "bad.yaml", "ignored: [\n");
    let o = run_in(d.path(), &["check", "--config", "bad.yaml", "a"], None);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("bad.yaml"), "{}", stderr(&o));
}

// -------------------------------------------------------------------------------------- fixes

#[test]
fn fix_and_diff() {
    let d = tmp();
    let text = "FROM alpine:3.20\nRUNN echo hi\nCOPY --form=a /x /y\n";
    write(d.path(), "Dockerfile", text);
    let read = || std::fs::read_to_string(d.path().join("Dockerfile")).unwrap();
    // Both fixes are unsafe: --fix alone changes nothing.
    let o = run_in(d.path(), &["check", "--fix", "Dockerfile"], None);
    assert_eq!(code(&o), 1);
    assert_eq!(read(), text);
    // --diff prints and does not write.
    let o = run_in(
        d.path(),
        &["check", "--diff", "--unsafe-fixes", "Dockerfile"],
        None,
    );
    assert_eq!(code(&o), 1);
    assert_eq!(
        stdout(&o),
        "--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,3 +1,3 @@\n FROM alpine:3.20\n-RUNN echo hi\n-COPY --form=a /x /y\n+RUN echo hi\n+COPY --from=a /x /y\n"
    );
    assert_eq!(read(), text);
    let o = run_in(d.path(), &["check", "--diff", "-"], Some(GOOD));
    assert_eq!((code(&o), stdout(&o)), (0, String::new()));
    // --unsafe-fixes writes; what remains is reported.
    let o = run_in(d.path(), &["check", "--unsafe-fixes", "Dockerfile"], None);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert_eq!(
        read(),
        "FROM alpine:3.20\nRUN echo hi\nCOPY --from=a /x /y\n"
    );
    assert!(
        stderr(&o).contains("fixed 2 problems in Dockerfile"),
        "{}",
        stderr(&o)
    );
    // A safe fix (DFL106 from-as-casing) is applied by --fix alone.
    write(
        d.path(),
        "Dockerfile",
        "FROM alpine:3.20 as build\nUSER nobody\n",
    );
    let o = run_in(d.path(), &["check", "--fix", "Dockerfile"], None);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert_eq!(read(), "FROM alpine:3.20 AS build\nUSER nobody\n");
    // stdin cannot be fixed in place.
    let o = run_in(d.path(), &["check", "--fix", "-"], Some(BAD));
    assert_eq!(code(&o), 2);
}

#[test]
fn example_dockerfile_is_checked() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let o = run_in(
        root,
        &["check", "--format", "json", "--no-config", "examples/"],
        None,
    );
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(paths(&v), ["examples/Dockerfile"]);
    assert!(codes(&v).contains(&"DFL005".to_string()), "{v}");
}

#[test]
fn build_context_is_opt_in() {
    let d = tmp();
    write(
        d.path(),
        "Dockerfile",
        "FROM alpine:3.20\nCOPY present.txt missing.txt /srv/\nUSER nobody\n",
    );
    write(d.path(), "present.txt", "x");
    let (_, v, _) = json(d.path(), &["Dockerfile"]);
    assert!(!codes(&v).contains(&"DFL400".to_string()), "{v}");
    let (_, v, _) = json(d.path(), &["--build-context", "auto", "Dockerfile"]);
    let found: Vec<&Value> = v["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["code"] == "DFL400")
        .collect();
    assert_eq!(found.len(), 1, "{v}");
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .contains("missing.txt"),
        "{v}"
    );
}
