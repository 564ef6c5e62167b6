//! Protocol torture tests against the real binary over stdio: malformed frames and JSON,
//! unknown methods, requests before initialize and after shutdown, exit codes, cancellation,
//! out-of-range positions, unopened documents, a 10 MB document, a burst of 10,000 edits,
//! encoding negotiation, and a client that never answers `workspace/configuration`.
//! Every loop is bounded; every wait has a timeout.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(120);

struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    next_id: i64,
    /// Messages received while waiting for something else.
    backlog: Vec<Value>,
}

fn read_frame(r: &mut impl BufRead) -> Option<Value> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length:") {
            len = v.trim().parse::<usize>().ok();
        }
    }
    let mut buf = vec![0; len?];
    r.read_exact(&mut buf).ok()?;
    serde_json::from_slice(&buf).ok()
}

impl Client {
    fn spawn() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dockerfile-lsp"))
            .arg("serve")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn server");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            while let Some(v) = read_frame(&mut r) {
                if tx.send(v).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take();
        Client {
            child,
            stdin,
            rx,
            next_id: 1,
            backlog: Vec::new(),
        }
    }

    fn raw(&mut self, bytes: &[u8]) {
        let w = self.stdin.as_mut().unwrap();
        w.write_all(bytes).unwrap();
        w.flush().unwrap();
    }

    fn send(&mut self, msg: Value) {
        let body = serde_json::to_vec(&msg).unwrap();
        let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        frame.extend(body);
        self.raw(&frame);
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn request_async(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    fn wait_for(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(pos) = self.backlog.iter().position(&pred) {
            return self.backlog.remove(pos);
        }
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(v) if pred(&v) => return v,
                Ok(v) => self.backlog.push(v),
                Err(RecvTimeoutError::Timeout) => panic!("timed out; backlog: {:?}", self.backlog),
                Err(RecvTimeoutError::Disconnected) => panic!("server closed stdout"),
            }
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.request_async(method, params);
        self.wait_for(|v| v.get("id") == Some(&json!(id)) && v.get("method").is_none())
    }

    fn initialize(&mut self, encodings: &[&str]) -> Value {
        let r = self.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": {
                "general": {"positionEncodings": encodings},
                "workspace": {"configuration": true},
                "textDocument": {"publishDiagnostics": {"versionSupport": true}}
            }}),
        );
        self.notify("initialized", json!({}));
        r
    }

    fn diagnostics_for(&mut self, uri: &str, version: i64) -> Value {
        self.wait_for(|v| {
            v["method"] == "textDocument/publishDiagnostics"
                && v["params"]["uri"] == uri
                && v["params"]["version"] == version
        })
    }

    /// Shutdown + exit; returns the exit code.
    fn finish(mut self) -> i32 {
        let r = self.request("shutdown", json!(null));
        assert!(r.get("error").is_none(), "{r}");
        self.notify("exit", json!(null));
        drop(self.stdin.take());
        wait_exit(&mut self.child)
    }
}

fn wait_exit(child: &mut Child) -> i32 {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code().unwrap_or(-1);
        }
        assert!(Instant::now() < deadline, "server did not exit");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn open(c: &mut Client, uri: &str, text: &str) {
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}}),
    );
}

#[test]
fn lifecycle_errors_and_exit_codes() {
    let mut c = Client::spawn();
    // Before initialize: ServerNotInitialized.
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///x"}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(r["error"]["code"], -32002, "{r}");
    let init = c.initialize(&["utf-16"]);
    assert_eq!(init["result"]["serverInfo"]["name"], "dockerfile-lsp");
    // Unknown method: MethodNotFound; unknown notification: ignored.
    let r = c.request("dockerfile/noSuchMethod", json!({}));
    assert_eq!(r["error"]["code"], -32601, "{r}");
    c.notify("$/noSuchNotification", json!({}));
    // Still alive.
    let r = c.request("shutdown", json!(null));
    assert!(r.get("error").is_none(), "{r}");
    // After shutdown: InvalidRequest.
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///x"}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(r["error"]["code"], -32600, "{r}");
    c.notify("exit", json!(null));
    drop(c.stdin.take());
    assert_eq!(wait_exit(&mut c.child), 0);

    // exit without shutdown → 1.
    let mut c = Client::spawn();
    c.initialize(&["utf-16"]);
    c.notify("exit", json!(null));
    drop(c.stdin.take());
    assert_eq!(wait_exit(&mut c.child), 1);
}

#[test]
fn malformed_frames_and_json_do_not_kill_the_server() {
    let mut c = Client::spawn();
    c.initialize(&["utf-8", "utf-16"]);
    // Invalid JSON with a valid frame.
    c.raw(b"Content-Length: 9\r\n\r\n{not json");
    // A bad header line and a bad length.
    c.raw(b"Content-Type: nonsense\r\nContent-Length: abc\r\n\r\n");
    // A valid frame whose JSON is not a JSON-RPC message.
    c.raw(b"Content-Length: 2\r\n\r\n[]");
    // The server must still answer.
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///nope"}, "position": {"line": 0, "character": 0}}),
    );
    assert!(
        r.get("error").is_none() || r["error"]["code"] != -32603,
        "{r}"
    );
    assert_eq!(c.finish(), 0);
}

#[test]
fn documents_positions_and_cancellation() {
    let mut c = Client::spawn();
    let init = c.initialize(&["utf-8", "utf-16"]);
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-8");
    // didChange for a document never opened: ignored.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": "file:///ghost/Dockerfile", "version": 2},
               "contentChanges": [{"range": {"start": {"line": 5, "character": 3}, "end": {"line": 9, "character": 0}}, "text": "x"}]}),
    );
    let uri = "file:///w/Dockerfile";
    open(&mut c, uri, "FROM alpine:3.20\nRUNN echo hi\n");
    let d = c.diagnostics_for(uri, 1);
    assert!(
        d["params"]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["code"] == "DFL001"),
        "{d}"
    );
    // Positions far beyond the document answer cleanly.
    for method in [
        "textDocument/hover",
        "textDocument/completion",
        "textDocument/definition",
    ] {
        let r = c.request(
            method,
            json!({"textDocument": {"uri": uri}, "position": {"line": 999, "character": 999}}),
        );
        assert!(
            r.get("error").is_none() || r["error"]["code"] == -32601,
            "{method}: {r}"
        );
    }
    // Cancelling an unknown request and an in-flight one.
    c.notify("$/cancelRequest", json!({"id": 12345}));
    let id = c.request_async(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 6}}),
    );
    c.notify("$/cancelRequest", json!({"id": id}));
    let r = c.wait_for(|v| v.get("id") == Some(&json!(id)));
    assert!(
        r.get("result").is_some() || r["error"]["code"] == -32800,
        "{r}"
    );
    assert_eq!(c.finish(), 0);
}

#[test]
fn utf16_only_client_gets_utf16() {
    let mut c = Client::spawn();
    let init = c.initialize(&["utf-16"]);
    let enc = &init["result"]["capabilities"]["positionEncoding"];
    assert!(enc.is_null() || enc == "utf-16", "{init}");
    let uri = "file:///w/Dockerfile";
    // `😀` is two UTF-16 code units: the unknown instruction after it starts at column 0 of
    // line 1, and the diagnostic's end column on line 0 counts code units.
    open(&mut c, uri, "FROM alpine:3.20 AS 😀\nRUNN x\n");
    let d = c.diagnostics_for(uri, 1);
    let diags = d["params"]["diagnostics"].as_array().unwrap();
    let unknown = diags
        .iter()
        .find(|x| x["code"] == "DFL001")
        .expect("DFL001");
    assert_eq!(
        unknown["range"]["start"],
        json!({"line": 1, "character": 0})
    );
    assert_eq!(c.finish(), 0);
}

#[test]
fn ten_megabyte_document_and_a_burst_of_edits() {
    let mut c = Client::spawn();
    c.initialize(&["utf-16"]);
    let uri = "file:///w/big/Dockerfile";
    let mut big = String::from("FROM debian:bookworm-slim\n");
    // Mostly comments with an instruction every 100 lines: 10 MB of text without 150,000
    // findings (debug builds serialise those slowly; the point here is the size of the text).
    let mut i = 0;
    while big.len() < 10 * 1024 * 1024 {
        if i % 100 == 0 {
            big.push_str("RUN echo 'a fairly ordinary line of a very long Dockerfile'\n");
        } else {
            big.push_str("# a fairly ordinary comment line of a very long Dockerfile ....\n");
        }
        i += 1;
    }
    open(&mut c, uri, &big);
    c.diagnostics_for(uri, 1);
    // 10,000 single-character edits at the top of the document, as fast as we can send them.
    let small = "file:///w/small/Dockerfile";
    open(&mut c, small, "FROM alpine:3.20\n");
    c.diagnostics_for(small, 1);
    let mut version = 1;
    for i in 0..10_000 {
        version += 1;
        let ch = if i % 2 == 0 { "x" } else { "" };
        let (start, end) = if i % 2 == 0 { (0, 0) } else { (0, 1) };
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": small, "version": version},
                   "contentChanges": [{"range": {"start": {"line": 1, "character": start}, "end": {"line": 1, "character": end}}, "text": ch}]}),
        );
    }
    // The final text is the original again: no diagnostics, and the last version is published.
    let d = c.diagnostics_for(small, version);
    let diags = d["params"]["diagnostics"].as_array().unwrap();
    assert!(
        diags.iter().all(|x| x["code"] != "DFL001"),
        "text diverged after the burst: {d}"
    );
    assert_eq!(c.finish(), 0);
}

#[test]
fn client_that_never_answers_configuration() {
    let mut c = Client::spawn();
    c.initialize(&["utf-16"]);
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    // Whatever the server asks of us, we never answer; it must keep serving.
    let uri = "file:///w/Dockerfile";
    open(&mut c, uri, "FROM alpine:3.20\nRUNN x\n");
    c.diagnostics_for(uri, 1);
    for _ in 0..8 {
        let r = c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 1}}),
        );
        assert!(r.get("error").is_none(), "{r}");
    }
    assert_eq!(c.finish(), 0);
}
