//! The real binary over real pipes: stdout carries nothing but protocol frames, the exit code
//! follows the LSP lifecycle, and `exit` ends the process even when stdin stays open.

use serde_json::{json, Value};
use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn frame(v: &Value) -> Vec<u8> {
    let body = v.to_string();
    format!("Content-Length: {}\r\n\r\n{}", body.len(), body).into_bytes()
}

/// Splits stdout into JSON bodies; panics on anything that is not a well-formed frame.
fn parse_frames(mut out: &[u8]) -> Vec<Value> {
    let mut msgs = Vec::new();
    while !out.is_empty() {
        let header_end = out
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("garbage on stdout: {:?}", String::from_utf8_lossy(out)));
        let header = std::str::from_utf8(&out[..header_end]).unwrap();
        let len: usize = header
            .lines()
            .find_map(|l| l.strip_prefix("Content-Length: "))
            .unwrap_or_else(|| panic!("bad header: {header:?}"))
            .trim()
            .parse()
            .unwrap();
        let body = &out[header_end + 4..header_end + 4 + len];
        msgs.push(serde_json::from_slice(body).unwrap());
        out = &out[header_end + 4 + len..];
    }
    msgs
}

fn spawn(arg: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_dockerfile-lsp"))
        .args(arg)
        .env("DOCKERFILE_LSP_LOG", "debug")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits for the process (stdin still open); returns (exit code, stdout, stderr).
fn finish(mut child: Child) -> (i32, Vec<u8>, String) {
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("server did not exit after `exit`");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let mut out = Vec::new();
    child.stdout.take().unwrap().read_to_end(&mut out).unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    (status.code().unwrap_or(-1), out, err)
}

#[test]
fn stdout_is_protocol_only_and_exit_code_is_0_after_shutdown() {
    let mut child = spawn(&["serve"]);
    let mut stdin = child.stdin.take().unwrap();
    let init = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"processId": null, "rootUri": null, "capabilities": {}}});
    stdin.write_all(&frame(&init)).unwrap();
    stdin
        .write_all(&frame(
            &json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
        ))
        .unwrap();
    stdin
        .write_all(&frame(
            &json!({"jsonrpc": "2.0", "method": "textDocument/didOpen",
            "params": {"textDocument": {"uri": "file:///x/Dockerfile", "languageId": "dockerfile",
            "version": 1, "text": "FROM alpine\nRUNN x\n"}}}),
        ))
        .unwrap();
    stdin.flush().unwrap();
    // Give the lint a moment so the diagnostics are part of the captured output; the test
    // does not depend on it.
    std::thread::sleep(Duration::from_millis(300));
    stdin
        .write_all(&frame(
            &json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}),
        ))
        .unwrap();
    std::thread::sleep(Duration::from_millis(100));
    stdin
        .write_all(&frame(&json!({"jsonrpc": "2.0", "method": "exit"})))
        .unwrap();
    stdin.flush().unwrap();
    // stdin stays open: the server must still exit.
    let (code, out, err) = finish(child);
    drop(stdin);
    assert_eq!(code, 0, "stderr: {err}");
    let msgs = parse_frames(&out);
    assert_eq!(msgs[0]["id"], 1);
    assert_eq!(msgs[0]["result"]["serverInfo"]["name"], "dockerfile-lsp");
    assert!(msgs
        .iter()
        .any(|m| m["id"] == 2 && m.get("error").is_none()));
    // Logs went to stderr (debug level was asked for).
    assert!(!err.is_empty());
}

#[test]
fn exit_without_shutdown_is_1_and_stdio_flag_works() {
    let mut child = spawn(&["--stdio"]);
    let mut stdin = child.stdin.take().unwrap();
    let init = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"processId": null, "rootUri": null, "capabilities": {}}});
    stdin.write_all(&frame(&init)).unwrap();
    stdin
        .write_all(&frame(&json!({"jsonrpc": "2.0", "method": "exit"})))
        .unwrap();
    stdin.flush().unwrap();
    let (code, out, err) = finish(child);
    drop(stdin);
    assert_eq!(code, 1, "stderr: {err}");
    parse_frames(&out);
}

/// initialize (waiting for its answer on `stdout`, which is returned as read so far),
/// didOpen of a file with a syntax error, a pause for its lint, shutdown, exit.
fn short_session(stdin: &mut impl Write, stdout: &mut impl Read) -> Vec<u8> {
    let init = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"processId": null, "rootUri": null, "capabilities": {}}});
    stdin.write_all(&frame(&init)).unwrap();
    stdin.flush().unwrap();
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    while !String::from_utf8_lossy(&seen).contains("serverInfo") {
        let n = stdout.read(&mut buf).unwrap();
        assert!(n > 0, "stdout closed before the initialize answer");
        seen.extend_from_slice(&buf[..n]);
    }
    stdin
        .write_all(&frame(
            &json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
        ))
        .unwrap();
    stdin
        .write_all(&frame(
            &json!({"jsonrpc": "2.0", "method": "textDocument/didOpen",
            "params": {"textDocument": {"uri": "file:///x/Dockerfile", "languageId": "dockerfile",
            "version": 1, "text": "FROM alpine\nRUNN x\n"}}}),
        ))
        .unwrap();
    stdin.flush().unwrap();
    std::thread::sleep(Duration::from_millis(500));
    stdin
        .write_all(&frame(
            &json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}),
        ))
        .unwrap();
    std::thread::sleep(Duration::from_millis(100));
    stdin
        .write_all(&frame(&json!({"jsonrpc": "2.0", "method": "exit"})))
        .unwrap();
    stdin.flush().unwrap();
    seen
}

/// What the server logs (at debug level) when stdin is not read by its event loop.
const BLOCKING_STDIN: &str = "stdin read on a blocking thread";

/// libuv (VS Code through Node, Neovim) gives a child process a Unix socket as stdin: it is read
/// by the event loop as a pipe is, and a whole session works over it.
#[cfg(unix)]
#[test]
fn stdin_may_be_a_unix_socket() {
    let (mut ours, theirs) = std::os::unix::net::UnixStream::pair().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_dockerfile-lsp"))
        .arg("serve")
        .env("DOCKERFILE_LSP_LOG", "debug")
        .stdin(Stdio::from(std::os::fd::OwnedFd::from(theirs)))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut out = short_session(&mut ours, &mut stdout);
    child.stdout = Some(stdout);
    let (code, rest, err) = finish(child);
    out.extend(rest);
    drop(ours);
    assert_eq!(code, 0, "stderr: {err}");
    assert!(!err.contains(BLOCKING_STDIN), "stderr: {err}");
    let msgs = parse_frames(&out);
    assert!(
        msgs.iter()
            .any(|m| m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["diagnostics"].to_string().contains("DFL001")),
        "{:?}\nstderr: {err}",
        msgs.iter().map(|m| m["method"].clone()).collect::<Vec<_>>()
    );
}

/// stdin from a file (no event-loop readiness for regular files) falls back to tokio's
/// blocking reader, and the session still works; a pipe does not fall back.
#[cfg(unix)]
#[test]
fn stdin_from_a_file_falls_back_to_a_blocking_reader() {
    let mut input = Vec::new();
    let init = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"processId": null, "rootUri": null, "capabilities": {}}});
    input.extend(frame(&init));
    input.extend(frame(&json!({"jsonrpc": "2.0", "method": "exit"})));
    let path = std::env::temp_dir().join(format!("dfl-stdin-{}.jsonrpc", std::process::id()));
    std::fs::write(&path, &input).unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_dockerfile-lsp"))
        .arg("serve")
        .env("DOCKERFILE_LSP_LOG", "debug")
        .stdin(std::fs::File::open(&path).unwrap())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (code, out, err) = finish(child);
    let _ = std::fs::remove_file(&path);
    assert_eq!(code, 1, "exit without shutdown; stderr: {err}");
    assert!(err.contains(BLOCKING_STDIN), "stderr: {err}");
    assert_eq!(parse_frames(&out)[0]["id"], 1);

    let mut child = spawn(&["serve"]);
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    short_session(&mut stdin, &mut stdout);
    child.stdout = Some(stdout);
    let (code, _, err) = finish(child);
    drop(stdin);
    assert_eq!(code, 0, "stderr: {err}");
    assert!(
        !err.contains(BLOCKING_STDIN),
        "a pipe is read by the event loop: {err}"
    );
}
