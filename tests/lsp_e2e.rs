//! End-to-end tests: the real server (`dockerfile_lsp::server::serve`, i.e. `LspService` +
//! `Server::serve` behind the panic guard) driven over an in-memory duplex by a small
//! JSON-RPC client written here.
//!
//! Every wait has a generous timeout so a broken server fails the test instead of hanging
//! it; no test asserts on timing.

use dockerfile_lsp::server::{serve, ServeOptions, LINT_PANIC_MARKER};
use proptest::prelude::*;
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, WriteHalf};
use tokio::io::{DuplexStream, ReadHalf};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

const WAIT: Duration = Duration::from_secs(20);
const URI: &str = "file:///work/Dockerfile";

struct Client {
    writer: Option<WriteHalf<DuplexStream>>,
    incoming: mpsc::UnboundedReceiver<Value>,
    /// Messages received while waiting for something else.
    backlog: VecDeque<Value>,
    next_id: i64,
    server: Option<JoinHandle<u8>>,
}

async fn read_messages(read: ReadHalf<DuplexStream>, tx: mpsc::UnboundedSender<Value>) {
    let mut r = BufReader::new(read);
    loop {
        let mut len = None;
        loop {
            let mut line = String::new();
            match r.read_line(&mut line).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length: ") {
                len = v.trim().parse::<usize>().ok();
            }
        }
        let Some(len) = len else { return };
        let mut body = vec![0; len];
        if r.read_exact(&mut body).await.is_err() {
            return;
        }
        let v: Value = serde_json::from_slice(&body).expect("server sent invalid JSON");
        if tx.send(v).is_err() {
            return;
        }
    }
}

impl Client {
    fn start() -> Client {
        let (client_io, server_io) = tokio::io::duplex(1 << 20);
        let (sr, sw) = tokio::io::split(server_io);
        let server = tokio::spawn(serve(sr, sw, ServeOptions { test_methods: true }));
        let (cr, cw) = tokio::io::split(client_io);
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(read_messages(cr, tx));
        Client {
            writer: Some(cw),
            incoming: rx,
            backlog: VecDeque::new(),
            next_id: 0,
            server: Some(server),
        }
    }

    async fn send(&mut self, msg: Value) {
        let body = serde_json::to_string(&msg).unwrap();
        let frame = format!("Content-Length: {}\r\n\r\n{}", body.len(), body);
        let w = self.writer.as_mut().expect("writer closed");
        w.write_all(frame.as_bytes()).await.unwrap();
        w.flush().await.unwrap();
    }

    async fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}))
            .await;
    }

    /// Sends a request; returns the whole response message (with `result` or `error`).
    async fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({"jsonrpc": "2.0", "id": id, "method": method});
        if !params.is_null() {
            msg["params"] = params;
        }
        self.send(msg).await;
        self.wait_for(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none())
            .await
    }

    /// The first message (backlog first) matching `pred`; others stay in the backlog.
    async fn wait_for(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.backlog.iter().position(&pred) {
            return self.backlog.remove(i).unwrap();
        }
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let m = tokio::time::timeout_at(deadline, self.incoming.recv())
                .await
                .expect("timed out waiting for a message from the server")
                .expect("server closed the connection");
            if pred(&m) {
                return m;
            }
            self.backlog.push_back(m);
        }
    }

    async fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let m = self
            .wait_for(|m| {
                m["method"] == "textDocument/publishDiagnostics"
                    && m["params"]["uri"] == uri
                    && m["params"]["version"] == version
            })
            .await;
        m["params"]["diagnostics"].as_array().cloned().unwrap()
    }

    async fn initialize_with(&mut self, capabilities: Value, options: Value) -> Value {
        let mut params = json!({"processId": null, "rootUri": null, "capabilities": capabilities});
        if !options.is_null() {
            params["initializationOptions"] = options;
        }
        let r = self.request("initialize", params).await;
        self.notify("initialized", json!({})).await;
        r
    }

    async fn initialize(&mut self, utf8: bool) -> Value {
        let encodings = if utf8 {
            json!(["utf-8", "utf-16"])
        } else {
            json!(["utf-16"])
        };
        self.initialize_with(
            json!({"general": {"positionEncodings": encodings}}),
            Value::Null,
        )
        .await
    }

    async fn open(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": version, "text": text}}),
        )
        .await;
    }

    async fn change(&mut self, uri: &str, version: i64, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        )
        .await;
    }

    async fn text(&mut self, uri: &str) -> Value {
        let r = self
            .request("dockerfile-lsp/_documentText", json!({"uri": uri}))
            .await;
        r["result"].clone()
    }

    /// Closes the server's input (the client went away).
    async fn close_input(&mut self) {
        if let Some(mut w) = self.writer.take() {
            w.shutdown().await.unwrap();
        }
    }

    /// Waits for the server task to end and returns its exit code.
    async fn exit_code(&mut self) -> u8 {
        let server = self.server.take().unwrap();
        tokio::time::timeout(WAIT, server)
            .await
            .expect("server did not stop")
            .unwrap()
    }

    async fn shutdown_and_exit(&mut self) -> u8 {
        let r = self.request("shutdown", Value::Null).await;
        assert_eq!(r["result"], Value::Null, "{r}");
        assert!(r.get("error").is_none(), "{r}");
        self.notify("exit", Value::Null).await;
        self.exit_code().await
    }
}

fn range(sl: u32, sc: u32, el: u32, ec: u32) -> Value {
    json!({"start": {"line": sl, "character": sc}, "end": {"line": el, "character": ec}})
}

fn edit(sl: u32, sc: u32, el: u32, ec: u32, text: &str) -> Value {
    json!({"range": range(sl, sc, el, ec), "text": text})
}

fn codes(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect()
}

#[tokio::test]
async fn initialize_utf8_and_versioned_diagnostics() {
    let mut c = Client::start();
    let r = c.initialize(true).await;
    let result = &r["result"];
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    assert_eq!(result["serverInfo"]["name"], "dockerfile-lsp");
    assert_eq!(result["serverInfo"]["version"], env!("CARGO_PKG_VERSION"));
    // Incremental sync, open/close; nothing we do not implement.
    assert_eq!(result["capabilities"]["textDocumentSync"]["change"], 2);
    assert_eq!(
        result["capabilities"]["textDocumentSync"]["openClose"],
        true
    );
    assert_eq!(result["capabilities"]["hoverProvider"], true);
    assert!(result["capabilities"]["completionProvider"].is_object());
    assert!(
        result["capabilities"]["codeActionProvider"]["codeActionKinds"]
            .as_array()
            .is_some_and(
                |k| k.contains(&json!("quickfix")) && k.contains(&json!("refactor.rewrite"))
            )
    );

    c.open(URI, 7, "FROM alpine\nRUNN x\n").await;
    let diags = c.diagnostics(URI, 7).await;
    let d = diags
        .iter()
        .find(|d| d["code"] == "DFL001")
        .unwrap_or_else(|| panic!("no DFL001 in {diags:?}"));
    assert_eq!(d["source"], "dockerfile-lsp");
    assert_eq!(d["range"]["start"], json!({"line": 1, "character": 0}));
    assert_eq!(d["severity"], 1);
    assert!(d["codeDescription"]["href"]
        .as_str()
        .unwrap()
        .ends_with("docs/rules.md#dfl001-unknown-instruction"));
    assert_eq!(d["data"]["name"], "unknown-instruction");

    // Fixing the typo clears it, at the new version.
    c.change(URI, 8, json!([edit(1, 0, 1, 4, "RUN")])).await;
    let diags = c.diagnostics(URI, 8).await;
    assert!(!codes(&diags).contains(&"DFL001".to_string()), "{diags:?}");

    // didClose clears the diagnostics.
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": URI}}),
    )
    .await;
    let m = c
        .wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == URI
                && m["params"]["diagnostics"] == json!([])
                && m["params"].get("version").is_none_or(|v| v.is_null())
        })
        .await;
    assert_eq!(m["params"]["diagnostics"], json!([]));
    assert_eq!(c.shutdown_and_exit().await, 0);
}

#[tokio::test]
async fn initialize_utf16_only() {
    let mut c = Client::start();
    let r = c.initialize(false).await;
    assert_eq!(r["result"]["capabilities"]["positionEncoding"], "utf-16");
    // No general capabilities at all: UTF-16 too.
    let mut c2 = Client::start();
    let r = c2.initialize_with(json!({}), Value::Null).await;
    assert_eq!(r["result"]["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(c.shutdown_and_exit().await, 0);
    assert_eq!(c2.shutdown_and_exit().await, 0);
}

/// Multibyte edits through the protocol: é (2 bytes / 1 unit), 😀 and 𐐀 (4 bytes / 2 units),
/// CRLF, joining lines; each checked against the server's text.
async fn multibyte_session(utf8: bool) {
    let mut c = Client::start();
    c.initialize(utf8).await;
    c.open(URI, 1, "FROM alpine\nRUN echo hi\n").await;
    // Width of a character in the negotiated unit.
    let w = |s: &str| -> u32 {
        if utf8 {
            s.len() as u32
        } else {
            s.encode_utf16().count() as u32
        }
    };
    let mut v = 1;
    macro_rules! step {
        ($changes:expr) => {{
            v += 1;
            c.change(URI, v, $changes).await;
        }};
    }
    step!(json!([edit(1, 9, 1, 9, "é")]));
    assert_eq!(c.text(URI).await, "FROM alpine\nRUN echo éhi\n");
    let after_e = 9 + w("é");
    step!(json!([edit(1, after_e, 1, after_e, "😀𐐀")]));
    assert_eq!(c.text(URI).await, "FROM alpine\nRUN echo é😀𐐀hi\n");
    // Delete the emoji only (its full width).
    step!(json!([edit(1, after_e, 1, after_e + w("😀"), "")]));
    assert_eq!(c.text(URI).await, "FROM alpine\nRUN echo é𐐀hi\n");
    // Insert a CRLF line break after 𐐀, then join the lines again.
    let after_d = after_e + w("𐐀");
    step!(json!([edit(1, after_d, 1, after_d, "\r\n")]));
    assert_eq!(c.text(URI).await, "FROM alpine\nRUN echo é𐐀\r\nhi\n");
    step!(json!([edit(1, after_d, 2, 0, " ")]));
    assert_eq!(c.text(URI).await, "FROM alpine\nRUN echo é𐐀 hi\n");
    // Join line 0 and 1 and delete é in one notification (applied in order).
    step!(json!([
        edit(0, 11, 1, 0, " AS base\nRUN "),
        edit(1, 13, 1, 13 + w("é"), "")
    ]));
    assert_eq!(
        c.text(URI).await,
        "FROM alpine AS base\nRUN RUN echo 𐐀 hi\n"
    );
    // A full-text change replaces everything.
    step!(json!([{"text": "FROM é\r\nRUNN 😀\n"}]));
    assert_eq!(c.text(URI).await, "FROM é\r\nRUNN 😀\n");
    // Diagnostics for the last version, with a position after a multibyte character.
    let diags = c.diagnostics(URI, 8).await;
    assert!(codes(&diags).contains(&"DFL001".to_string()), "{diags:?}");
    // Offsets: past the end of a line clamps before its CRLF; after 😀 in each encoding.
    let off = |line: u32, ch: u32| json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": ch}});
    let r = c.request("dockerfile-lsp/_offsetAt", off(0, 99)).await;
    assert_eq!(r["result"], "FROM é".len());
    let r = c
        .request("dockerfile-lsp/_offsetAt", off(1, 5 + w("😀")))
        .await;
    assert_eq!(r["result"], "FROM é\r\nRUNN 😀".len());
    assert_eq!(c.shutdown_and_exit().await, 0);
}

#[tokio::test]
async fn incremental_multibyte_edits_utf8() {
    multibyte_session(true).await;
}

#[tokio::test]
async fn incremental_multibyte_edits_utf16() {
    multibyte_session(false).await;
}

#[tokio::test]
async fn requests_before_initialize_and_after_shutdown() {
    let mut c = Client::start();
    let r = c
        .request("dockerfile-lsp/_documentText", json!({"uri": URI}))
        .await;
    assert_eq!(r["error"]["code"], -32002, "{r}");
    let r = c.request("shutdown", Value::Null).await;
    assert_eq!(r["error"]["code"], -32002, "{r}");
    c.initialize(true).await;
    // A second initialize is an invalid request.
    let r = c
        .request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": {}}),
        )
        .await;
    assert_eq!(r["error"]["code"], -32600, "{r}");
    let r = c.request("shutdown", Value::Null).await;
    assert!(r.get("error").is_none(), "{r}");
    let r = c
        .request("dockerfile-lsp/_documentText", json!({"uri": URI}))
        .await;
    assert_eq!(r["error"]["code"], -32600, "{r}");
    c.notify("exit", Value::Null).await;
    assert_eq!(c.exit_code().await, 0);
}

#[tokio::test]
async fn exit_without_shutdown_is_code_1() {
    let mut c = Client::start();
    c.initialize(false).await;
    c.notify("exit", Value::Null).await;
    assert_eq!(c.exit_code().await, 1);

    // Exit before initialize: 1 as well.
    let mut c = Client::start();
    c.notify("exit", Value::Null).await;
    assert_eq!(c.exit_code().await, 1);

    // The client goes away (end of input) without shutdown: 1; after shutdown: 0.
    let mut c = Client::start();
    c.initialize(false).await;
    c.close_input().await;
    assert_eq!(c.exit_code().await, 1);
    let mut c = Client::start();
    c.initialize(false).await;
    let r = c.request("shutdown", Value::Null).await;
    assert!(r.get("error").is_none());
    c.close_input().await;
    assert_eq!(c.exit_code().await, 0);
}

#[tokio::test]
async fn panics_are_answered_and_the_session_goes_on() {
    let mut c = Client::start();
    c.initialize(true).await;
    c.open(URI, 1, "FROM alpine\n").await;
    let r = c.request("dockerfile-lsp/_panic", Value::Null).await;
    assert_eq!(r["error"]["code"], -32603, "{r}");
    assert!(r["error"]["message"]
        .as_str()
        .unwrap()
        .contains("deliberate panic"));
    c.notify("dockerfile-lsp/_panicNotification", Value::Null)
        .await;
    // Still serving, documents intact, edits still applied.
    c.change(URI, 2, json!([edit(1, 0, 1, 0, "RUNN x\n")]))
        .await;
    assert_eq!(c.text(URI).await, "FROM alpine\nRUNN x\n");
    let diags = c.diagnostics(URI, 2).await;
    assert!(codes(&diags).contains(&"DFL001".to_string()));
    let r = c.request("dockerfile-lsp/_panic", Value::Null).await;
    assert_eq!(r["error"]["code"], -32603, "{r}");
    assert_eq!(c.shutdown_and_exit().await, 0);
}

/// A panic in a document's lint is caught in its loop: nothing is published for that
/// version, the session goes on, and the next change is linted and published.
#[tokio::test]
async fn a_panicking_lint_is_survived_and_the_next_change_linted() {
    panicking_lint_session().await;
}

/// On a multi-threaded runtime (as the binary runs) a lint runs on the thread that handled
/// the change, the runtime moving on to another one (`block_in_place`): the same outcome.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_lint_is_survived_on_a_multi_threaded_runtime() {
    panicking_lint_session().await;
}

async fn panicking_lint_session() {
    let mut c = Client::start();
    c.initialize(true).await;
    let text = format!("FROM alpine\n{LINT_PANIC_MARKER}\n");
    c.open(URI, 1, &text).await;
    // The panic is not answered; the session still serves requests meanwhile.
    assert_eq!(c.text(URI).await, text.as_str());
    // Removing the marker line: version 2 is linted (the loop did not stay "running").
    c.change(URI, 2, json!([edit(1, 0, 2, 0, "RUNN x\n")]))
        .await;
    let diags = c.diagnostics(URI, 2).await;
    assert!(codes(&diags).contains(&"DFL001".to_string()), "{diags:?}");
    assert!(
        !c.backlog.iter().any(
            |m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == 1
        ),
        "a panicked lint published nothing"
    );
    assert_eq!(c.shutdown_and_exit().await, 0);
}

#[tokio::test]
async fn unknown_documents_and_out_of_range_positions() {
    let mut c = Client::start();
    c.initialize(false).await;
    let other = "file:///nowhere/Dockerfile";
    assert_eq!(c.text(other).await, Value::Null);
    let pos = |uri: &str, line: u32, ch: u32| json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": ch}});
    let r = c
        .request("dockerfile-lsp/_offsetAt", pos(other, 0, 0))
        .await;
    assert_eq!(r["result"], Value::Null, "{r}");
    // Edits and closes for documents that are not open are ignored.
    c.change(other, 3, json!([edit(0, 0, 0, 0, "x")])).await;
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": other}}),
    )
    .await;
    c.open(URI, 1, "FROM a\nRUN b").await;
    for (line, ch, want) in [
        (0, 99, 6),
        (1, 99, 12),
        (99, 0, 12),
        (u32::MAX, u32::MAX, 12),
    ] {
        let r = c
            .request("dockerfile-lsp/_offsetAt", pos(URI, line, ch))
            .await;
        assert_eq!(r["result"], want, "{line}:{ch} {r}");
    }
    // An edit whose range lies past the end is clamped, not dropped.
    c.change(URI, 2, json!([edit(5, 0, 9, 9, "\nRUN c")])).await;
    assert_eq!(c.text(URI).await, "FROM a\nRUN b\nRUN c");
    // A negative or malformed position is an invalid-params error, not a crash.
    let r = c
        .request(
            "dockerfile-lsp/_offsetAt",
            json!({"textDocument": {"uri": URI}, "position": {"line": -1, "character": 0}}),
        )
        .await;
    assert_eq!(r["error"]["code"], -32602, "{r}");
    assert_eq!(c.shutdown_and_exit().await, 0);
}

#[tokio::test]
async fn settings_from_initialization_options_and_did_change_configuration() {
    let mut c = Client::start();
    c.initialize_with(
        json!({}),
        json!({"dockerfile-lsp": {"ignore": ["DFL001"], "bogus": 1}}),
    )
    .await;
    let m = c.wait_for(|m| m["method"] == "window/showMessage").await;
    let text = m["params"]["message"].as_str().unwrap();
    assert!(text.contains("unknown setting 'bogus'"), "{text}");
    assert_eq!(m["params"]["type"], 2);
    c.open(URI, 1, "FROM alpine\nRUNN x\n").await;
    let diags = c.diagnostics(URI, 1).await;
    assert!(!codes(&diags).contains(&"DFL001".to_string()), "{diags:?}");
    // New settings (the object itself, no section key) re-lint open documents.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"rules": {"DFL001": "warning"}}}),
    )
    .await;
    let diags = c.diagnostics(URI, 1).await;
    let d = diags.iter().find(|d| d["code"] == "DFL001").unwrap();
    assert_eq!(d["severity"], 2);
    // The same warning twice is shown once; a new one is shown.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"dockerfile-lsp": {"bogus": 2, "other": 3}}}),
    )
    .await;
    let m = c.wait_for(|m| m["method"] == "window/showMessage").await;
    let text = m["params"]["message"].as_str().unwrap();
    assert!(
        text.contains("'other'") && !text.contains("'bogus'"),
        "{text}"
    );
    assert_eq!(c.shutdown_and_exit().await, 0);
}

#[tokio::test]
async fn configuration_pull_never_answered_does_not_wedge() {
    let mut c = Client::start();
    c.initialize_with(json!({"workspace": {"configuration": true}}), Value::Null)
        .await;
    // The server asks; we never answer.
    let req = c
        .wait_for(|m| m["method"] == "workspace/configuration")
        .await;
    assert_eq!(req["params"]["items"][0]["section"], "dockerfile-lsp");
    // Ask again through the pull convention; still no answer.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    )
    .await;
    c.wait_for(|m| m["method"] == "workspace/configuration")
        .await;
    // Everything else keeps working (more concurrent waits than the library's 4 slots).
    for i in 0..6 {
        c.notify(
            "workspace/didChangeConfiguration",
            json!({"settings": null}),
        )
        .await;
        c.open(&format!("file:///w/{i}/Dockerfile"), 1, "FROM a\nRUNN x\n")
            .await;
    }
    for i in 0..6 {
        let diags = c.diagnostics(&format!("file:///w/{i}/Dockerfile"), 1).await;
        assert!(codes(&diags).contains(&"DFL001".to_string()));
    }
    assert_eq!(c.text("file:///w/0/Dockerfile").await, "FROM a\nRUNN x\n");
    assert_eq!(c.shutdown_and_exit().await, 0);
}

#[tokio::test]
async fn configuration_pull_answer_is_applied() {
    let mut c = Client::start();
    c.initialize_with(json!({"workspace": {"configuration": true}}), Value::Null)
        .await;
    c.open(URI, 1, "FROM alpine\nRUNN x\n").await;
    let diags = c.diagnostics(URI, 1).await;
    assert!(codes(&diags).contains(&"DFL001".to_string()));
    let req = c
        .wait_for(|m| m["method"] == "workspace/configuration")
        .await;
    c.send(
        json!({"jsonrpc": "2.0", "id": req["id"], "result": [{"ignore": ["unknown-instruction"]}]}),
    )
    .await;
    let diags = c.diagnostics(URI, 1).await;
    assert!(!codes(&diags).contains(&"DFL001".to_string()), "{diags:?}");
    assert_eq!(c.shutdown_and_exit().await, 0);
}

#[tokio::test]
async fn bursts_publish_the_final_version_and_never_go_back() {
    burst_session().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bursts_publish_the_final_version_on_a_multi_threaded_runtime() {
    burst_session().await;
}

async fn burst_session() {
    let mut c = Client::start();
    c.initialize(true).await;
    c.open(URI, 1, "FROM alpine\n").await;
    for v in 2..=40 {
        c.change(URI, v, json!([edit(1, 0, 1, 0, "RUN x\n")])).await;
    }
    c.change(URI, 41, json!([edit(0, 0, 0, 0, "RUNN y\n")]))
        .await;
    let diags = c.diagnostics(URI, 41).await;
    assert!(codes(&diags).contains(&"DFL001".to_string()));
    // Every publish before it carried an older, non-decreasing version.
    let versions: Vec<i64> = c
        .backlog
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .map(|m| m["params"]["version"].as_i64().unwrap())
        .collect();
    assert!(versions.windows(2).all(|w| w[0] <= w[1]), "{versions:?}");
    assert!(versions.iter().all(|&v| v < 41), "{versions:?}");
    assert_eq!(c.shutdown_and_exit().await, 0);
}

// ---- property: the server's text equals the client's after the same random edits ----

fn piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "a", "RUN ", " ", "é", "😀", "𐐀", "\n", "\r\n", "\r", "\\\n", "ß",
    ])
}

/// Applies an LSP range edit to the client's copy (naive reference rules).
fn client_apply(text: &mut String, (sl, sc, el, ec): (u32, u32, u32, u32), new: &str, utf8: bool) {
    let offset = |text: &str, line: u32, ch: u32| -> usize {
        let b = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n')) {
                starts.push(i + 1);
            }
            i += 1;
        }
        let Some(&start) = starts.get(line as usize) else {
            return text.len();
        };
        let mut end = starts.get(line as usize + 1).copied().unwrap_or(b.len());
        while end > start && matches!(b[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        let mut units = 0;
        for (i, c) in text[start..end].char_indices() {
            let w = if utf8 { c.len_utf8() } else { c.len_utf16() };
            if units + w > ch as usize {
                return start + i;
            }
            units += w;
        }
        end
    };
    let a = offset(text, sl, sc);
    let b = offset(text, el, ec).max(a);
    text.replace_range(a..b, new);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn server_text_matches_client(
        utf8 in any::<bool>(),
        edits in prop::collection::vec(
            ((0u32..8, 0u32..10, 0u32..2, 0u32..10), prop::collection::vec(piece(), 0..3)),
            20..40,
        ),
    ) {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let mut c = Client::start();
            c.initialize(utf8).await;
            let mut client = String::from("FROM alpine\r\nRUN é\n");
            c.open(URI, 0, &client).await;
            for (n, ((sl, sc, dl, ec), pieces)) in edits.iter().enumerate() {
                let new = pieces.concat();
                client_apply(&mut client, (*sl, *sc, sl + dl, *ec), &new, utf8);
                c.change(URI, n as i64 + 1, json!([edit(*sl, *sc, sl + dl, *ec, &new)])).await;
            }
            let server_text = c.text(URI).await;
            assert_eq!(server_text, Value::String(client.clone()));
            // The final diagnostics are for the final version.
            c.diagnostics(URI, edits.len() as i64).await;
            assert_eq!(c.shutdown_and_exit().await, 0);
        });
    }
}

/// Requests interleaved with edits, sent without waiting: each answer reflects exactly the
/// edits sent before it (store mutations happen before any handler awaits, in order).
#[tokio::test]
async fn pipelined_requests_see_exactly_the_edits_before_them() {
    pipelined_session().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pipelined_requests_see_their_edits_on_a_multi_threaded_runtime() {
    pipelined_session().await;
}

async fn pipelined_session() {
    let mut c = Client::start();
    c.initialize(false).await;
    c.open(URI, 1, "FROM alpine\n").await;
    let mut expected = Vec::new();
    let mut text = String::from("FROM alpine\n");
    for v in 2..=60i64 {
        let line = format!("RUN é{v} 😀\n");
        c.change(URI, v, json!([edit(1, 0, 1, 0, &line)])).await;
        text.insert_str("FROM alpine\n".len(), &line);
        c.next_id += 1;
        let id = c.next_id;
        c.send(
            json!({"jsonrpc": "2.0", "id": id, "method": "dockerfile-lsp/_documentText",
            "params": {"uri": URI}}),
        )
        .await;
        expected.push((id, text.clone()));
    }
    for (id, want) in expected {
        let r = c
            .wait_for(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none())
            .await;
        assert_eq!(r["result"], Value::String(want), "request {id}");
    }
    assert_eq!(c.shutdown_and_exit().await, 0);
}

/// Applies a `WorkspaceEdit` with `documentChanges` to the client's copy, checking the version.
fn apply_workspace_edit(text: &mut String, edit: &Value, uri: &str, version: i64, utf8: bool) {
    let changes = edit["documentChanges"].as_array().expect("documentChanges");
    for change in changes {
        assert_eq!(change["textDocument"]["uri"], uri);
        assert_eq!(change["textDocument"]["version"], version);
        // LSP applies all edits of one TextDocumentEdit against the original text: apply from
        // the end so earlier offsets stay valid.
        let mut edits: Vec<&Value> = change["edits"].as_array().unwrap().iter().collect();
        edits.sort_by_key(|e| {
            let s = &e["range"]["start"];
            (
                s["line"].as_u64().unwrap(),
                s["character"].as_u64().unwrap(),
            )
        });
        for e in edits.iter().rev() {
            let r = &e["range"];
            let n = |v: &Value| v.as_u64().unwrap() as u32;
            client_apply(
                text,
                (
                    n(&r["start"]["line"]),
                    n(&r["start"]["character"]),
                    n(&r["end"]["line"]),
                    n(&r["end"]["character"]),
                ),
                e["newText"].as_str().unwrap(),
                utf8,
            );
        }
    }
}

#[tokio::test]
async fn completion_hover_and_code_action_round_trip() {
    let mut c = Client::start();
    c.initialize(false).await;
    let text = "FROM node:20-slim AS assets\nRUN npm ci\nFROM python:3.12 AS app\nCOPY --from= /app/static /static\nCMD gunicorn app:app\n";
    c.open(URI, 1, text).await;
    c.diagnostics(URI, 1).await;

    // Completion after `COPY --from=` offers the earlier stage, not the current one.
    let r = c
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": URI}, "position": {"line": 3, "character": 12}}),
        )
        .await;
    let labels: Vec<String> = r["result"]["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect();
    assert!(labels.contains(&"assets".to_string()), "{labels:?}");
    assert!(!labels.contains(&"app".to_string()), "{labels:?}");

    // Hover on the base image explains the flavor.
    let r = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 2, "character": 7}}),
        )
        .await;
    let md = r["result"]["contents"]["value"]
        .as_str()
        .expect("hover markdown");
    assert!(md.to_lowercase().contains("python"), "{md}");

    // Code actions on the shell-form CMD: an exec-form quick fix and rewrites; apply one and
    // check the server's text equals ours after the client sends the edit back.
    let r = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": range(4, 0, 4, 3), "context": {"diagnostics": []}}),
        )
        .await;
    let actions = r["result"].as_array().expect("actions").clone();
    let titles: Vec<&str> = actions
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(
        actions.iter().any(|a| a["kind"] == "refactor.rewrite"),
        "{titles:?}"
    );
    assert!(
        actions
            .iter()
            .any(|a| a["kind"] == "quickfix" && a["title"].as_str().unwrap().starts_with("Ignore")),
        "{titles:?}"
    );
    let rewrite = actions
        .iter()
        .find(|a| {
            a["kind"] == "refactor.rewrite" && a["title"].as_str().unwrap().contains("non-root")
        })
        .unwrap_or_else(|| panic!("no non-root rewrite in {titles:?}"));
    let mut client_text = text.to_string();
    apply_workspace_edit(&mut client_text, &rewrite["edit"], URI, 1, false);
    assert!(client_text.contains("USER app"), "{client_text}");
    // Send the result back as a full-text change, as an editor does after applyEdit.
    c.change(URI, 2, json!([{"text": client_text}])).await;
    assert_eq!(c.text(URI).await, json!(client_text));
    let diags = c.diagnostics(URI, 2).await;
    assert!(!codes(&diags).contains(&"DFL201".to_string()), "{diags:?}");

    // Fix-all is offered only when asked for.
    let r = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": range(0, 0, 0, 0),
                   "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
        )
        .await;
    for a in r["result"].as_array().expect("actions") {
        assert!(
            a["kind"].as_str().unwrap().starts_with("source.fixAll"),
            "{a}"
        );
    }
    assert_eq!(c.shutdown_and_exit().await, 0);
}

/// The "pin base image" rewrite reaches the client as `refactor.rewrite` actions, one per
/// catalog tag, never preferred; applying one clears the unpinned-base diagnostic.
#[tokio::test]
async fn pin_base_image_rewrite_round_trip() {
    let mut c = Client::start();
    c.initialize(false).await;
    let text = "FROM python AS app\nCMD [\"python\"]\n";
    c.open(URI, 1, text).await;
    let diags = c.diagnostics(URI, 1).await;
    assert!(codes(&diags).contains(&"DFL202".to_string()), "{diags:?}");
    let r = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": range(0, 6, 0, 6),
                   "context": {"diagnostics": [], "only": ["refactor.rewrite"]}}),
        )
        .await;
    let actions = r["result"].as_array().expect("actions").clone();
    let pins: Vec<&Value> = actions
        .iter()
        .filter(|a| {
            a["title"]
                .as_str()
                .unwrap()
                .starts_with("Pin base image to ")
        })
        .collect();
    let titles: Vec<&str> = pins.iter().map(|a| a["title"].as_str().unwrap()).collect();
    assert!(
        titles.contains(&"Pin base image to python:3.12-slim-bookworm"),
        "{actions:?}"
    );
    for a in &pins {
        assert_eq!(a["kind"], "refactor.rewrite");
        assert_eq!(a["isPreferred"], false);
    }
    let pin = pins
        .iter()
        .find(|a| a["title"] == "Pin base image to python:3.12-slim-bookworm")
        .unwrap();
    let mut client_text = text.to_string();
    apply_workspace_edit(&mut client_text, &pin["edit"], URI, 1, false);
    assert_eq!(
        client_text,
        "FROM python:3.12-slim-bookworm AS app\nCMD [\"python\"]\n"
    );
    c.change(URI, 2, json!([{"text": client_text}])).await;
    let diags = c.diagnostics(URI, 2).await;
    assert!(!codes(&diags).contains(&"DFL202".to_string()), "{diags:?}");
    assert_eq!(c.shutdown_and_exit().await, 0);
}

/// tower-lsp-server alone ends the session at the first undecodable message; the tolerant
/// reader in front of it drops such messages and the session goes on.
#[tokio::test]
async fn malformed_messages_do_not_end_the_session() {
    let mut c = Client::start();
    c.initialize(true).await;
    c.open(URI, 1, "FROM alpine\n").await;
    let garbage: &[&[u8]] = &[
        b"Content-Length: 9\r\n\r\n{not json",
        b"Content-Type: nonsense\r\nContent-Length: abc\r\n\r\n",
        b"Content-Length: 2\r\n\r\n[]",
        b"Content-Length: 4\r\n\r\n\xff\xfe{}",
        b"Content-Length: 14\r\n\r\n{\"method\": 42}",
        // A request's shape, but a member the library's decoder still reads is out of range.
        b"Content-Length: 44\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"other\":1e400}",
    ];
    for g in garbage {
        let w = c.writer.as_mut().unwrap();
        w.write_all(g).await.unwrap();
        w.flush().await.unwrap();
    }
    assert_eq!(c.text(URI).await, "FROM alpine\n");
    c.change(URI, 2, json!([edit(1, 0, 1, 0, "RUNN x\n")]))
        .await;
    let diags = c.diagnostics(URI, 2).await;
    assert!(codes(&diags).contains(&"DFL001".to_string()));
    assert_eq!(c.shutdown_and_exit().await, 0);
}

#[tokio::test]
async fn hover_answers_with_markdown_and_null_for_unknown_documents() {
    let mut c = Client::start();
    c.initialize(false).await;
    c.open(URI, 1, "FROM alpine:3.20\nRUN echo é\n").await;
    let at = |uri: &str, line: u32, ch: u32| json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": ch}});
    let r = c.request("textDocument/hover", at(URI, 1, 1)).await;
    assert_eq!(r["result"]["contents"]["kind"], "markdown", "{r}");
    assert!(!r["result"]["contents"]["value"]
        .as_str()
        .unwrap()
        .is_empty());
    // Out of range: clamped, answered cleanly (a hover or null, never an error).
    let r = c.request("textDocument/hover", at(URI, 999, 999)).await;
    assert!(r.get("error").is_none(), "{r}");
    let r = c
        .request("textDocument/hover", at("file:///nowhere/Dockerfile", 0, 0))
        .await;
    assert_eq!(r["result"], Value::Null, "{r}");
    assert!(r.get("error").is_none(), "{r}");
    assert_eq!(c.shutdown_and_exit().await, 0);
}

#[tokio::test]
async fn navigation_structure_and_formatting_methods() {
    let mut c = Client::start();
    c.initialize(true).await;
    let text =
        "ARG V=3.12\nFROM python:${V} AS build\nRUN echo hi\nfrom build\ncopy --from=build /a /b\n";
    c.open(URI, 1, text).await;
    c.diagnostics(URI, 1).await;
    let at = |line: u32, ch: u32| json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": ch}});
    // Definition of `build` in `FROM build` is the alias on line 1.
    let r = c.request("textDocument/definition", at(3, 6)).await;
    assert_eq!(r["result"][0]["targetRange"]["start"]["line"], 1, "{r}");
    let mut refs = at(4, 13);
    refs["context"] = json!({"includeDeclaration": true});
    let r = c.request("textDocument/references", refs).await;
    assert_eq!(r["result"].as_array().map(Vec::len), Some(3), "{r}");
    let r = c.request("textDocument/documentHighlight", at(0, 4)).await;
    assert!(r["result"].as_array().is_some_and(|h| h.len() >= 2), "{r}");
    let r = c.request("textDocument/prepareRename", at(1, 21)).await;
    assert_eq!(r["result"]["placeholder"], "build", "{r}");
    let mut rn = at(1, 21);
    rn["newName"] = json!("builder");
    let r = c.request("textDocument/rename", rn).await;
    let mut renamed = text.to_string();
    apply_workspace_edit(&mut renamed, &r["result"], URI, 1, true);
    assert_eq!(renamed.matches("builder").count(), 3, "{renamed}");
    let mut bad = at(1, 21);
    bad["newName"] = json!("Not A Name");
    let r = c.request("textDocument/rename", bad).await;
    assert!(r.get("error").is_some(), "{r}");
    let r = c
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    assert!(r["result"].as_array().is_some_and(|s| !s.is_empty()), "{r}");
    let r = c
        .request("workspace/symbol", json!({"query": "build"}))
        .await;
    assert!(r["result"].as_array().is_some_and(|s| !s.is_empty()), "{r}");
    let r = c
        .request(
            "textDocument/foldingRange",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    assert!(r["result"].is_array(), "{r}");
    let r = c
        .request(
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    assert!(
        r["result"]["data"]
            .as_array()
            .is_some_and(|d| d.len() % 5 == 0 && !d.is_empty()),
        "{r}"
    );
    let r = c
        .request(
            "textDocument/documentLink",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    assert!(
        r["result"]
            .as_array()
            .is_some_and(|l| l.iter().any(|x| x["target"]
                .as_str()
                .unwrap_or("")
                .contains("hub.docker.com"))),
        "{r}"
    );
    let r = c
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": URI}, "range": range(0, 0, 5, 0)}),
        )
        .await;
    assert!(r["result"].as_array().is_some_and(|h| !h.is_empty()), "{r}");
    let r = c.request("textDocument/signatureHelp", at(4, 6)).await;
    assert!(
        r["result"]["signatures"]
            .as_array()
            .is_some_and(|s| !s.is_empty()),
        "{r}"
    );
    let r = c
        .request(
            "textDocument/formatting",
            json!({"textDocument": {"uri": URI}, "options": {"tabSize": 4, "insertSpaces": true}}),
        )
        .await;
    let mut formatted = text.to_string();
    let edits = json!({"documentChanges": [{"textDocument": {"uri": URI, "version": 1}, "edits": r["result"]}]});
    apply_workspace_edit(&mut formatted, &edits, URI, 1, true);
    assert!(
        formatted.contains("\nFROM build\nCOPY --from=build"),
        "{formatted}"
    );
    assert_eq!(c.shutdown_and_exit().await, 0);
}

/// The outline: stages nest their instructions, multi-key ENV nests its keys, leaves carry no
/// `children` member; ranges in UTF-16 past a multibyte character.
#[tokio::test]
async fn document_symbols_nest_and_leaves_have_no_children() {
    let mut c = Client::start();
    c.initialize(false).await;
    let text = "ARG V=1\nFROM alpine AS é1\nENV A=1 \\\n    B=😀\nRUN echo é\n";
    c.open(URI, 1, text).await;
    let r = c
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    let syms = r["result"].as_array().expect("symbols").clone();
    assert_eq!(syms.len(), 2, "{syms:?}");
    assert_eq!(syms[0]["name"], "ARG V=1");
    assert!(syms[0].get("children").is_none(), "{:?}", syms[0]);
    let stage = &syms[1];
    assert_eq!(stage["name"], "FROM alpine AS é1");
    // The selection is the stage name: "é1" is 2 UTF-16 units at column 15.
    assert_eq!(stage["selectionRange"], range(1, 15, 1, 17));
    let kids = stage["children"].as_array().expect("stage children");
    assert_eq!(kids.len(), 2, "{kids:?}");
    let env = &kids[0];
    assert_eq!(env["range"], range(2, 0, 3, 8)); // "    B=" then 😀, 2 UTF-16 units
    let keys: Vec<&str> = env["children"]
        .as_array()
        .expect("ENV keys")
        .iter()
        .map(|k| k["name"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["A", "B"]);
    assert!(env["children"][1].get("children").is_none());
    assert_eq!(kids[1]["range"], range(4, 0, 4, 10));
    assert!(kids[1].get("children").is_none());
    assert_eq!(c.shutdown_and_exit().await, 0);
}

/// A COPY source created while the document is open is noticed without waiting for a
/// keystroke to pay for the lookups: once they are a couple of seconds old the server asks
/// the file system again in the background and re-lints only because an answer changed.
#[tokio::test]
async fn build_context_changes_are_noticed_in_the_background() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Dockerfile");
    let text = "FROM alpine:3.20\nCOPY app.py /app/\nRUN echo 1\n";
    std::fs::write(&path, text).unwrap();
    let uri = format!("file://{}", path.display());
    let mut c = Client::start();
    c.initialize(true).await;
    c.open(&uri, 1, text).await;
    assert!(codes(&c.diagnostics(&uri, 1).await).contains(&"DFL400".to_string()));
    std::fs::write(dir.path().join("app.py"), "print()\n").unwrap();
    // Within the memo's lifetime the old answer stands.
    c.change(&uri, 2, json!([edit(2, 9, 2, 10, "2")])).await;
    assert!(codes(&c.diagnostics(&uri, 2).await).contains(&"DFL400".to_string()));
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    c.change(&uri, 3, json!([edit(2, 9, 2, 10, "3")])).await;
    // The keystroke lints with the remembered answers; the background check finds the new
    // file and re-lints (the same version, or superseding the first lint if it was faster).
    let m = c
        .wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri.as_str()
                && m["params"]["version"] == 3
                && !codes(m["params"]["diagnostics"].as_array().unwrap())
                    .contains(&"DFL400".to_string())
        })
        .await;
    assert_eq!(m["params"]["version"], 3);
    assert_eq!(c.shutdown_and_exit().await, 0);
}
