//! The large-result requests the server answers itself (src/server/direct.rs), end to end over
//! an in-memory duplex, comparing raw response bytes: each direct answer must be exactly what
//! the library would have sent (the hidden `dockerfile-lsp/_library` method answers the same
//! handler through the library's `serde_json::Value` tree), for number and string ids; params
//! errors, lifecycle errors, unknown documents, cancellation, duplicate ids, panics and the
//! order of edits and requests must behave as for every other request.

use dockerfile_lsp::server::{serve, ServeOptions};
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, WriteHalf};
use tokio::io::{DuplexStream, ReadHalf};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

const WAIT: Duration = Duration::from_secs(20);
const URI: &str = "file:///work/Dockerfile";

/// A message as received: its raw body and its parsed value.
#[derive(Debug)]
struct Message {
    raw: String,
    value: Value,
}

struct Client {
    writer: Option<WriteHalf<DuplexStream>>,
    incoming: mpsc::UnboundedReceiver<Message>,
    backlog: VecDeque<Message>,
    next_id: i64,
    server: Option<JoinHandle<u8>>,
}

async fn read_messages(read: ReadHalf<DuplexStream>, tx: mpsc::UnboundedSender<Message>) {
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
        let raw = String::from_utf8(body).expect("server sent invalid UTF-8");
        let value: Value = serde_json::from_str(&raw).expect("server sent invalid JSON");
        if tx.send(Message { raw, value }).is_err() {
            return;
        }
    }
}

fn is_response_to(m: &Value, id: &Value) -> bool {
    m.get("id") == Some(id) && m.get("method").is_none()
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

    fn fresh_id(&mut self) -> Value {
        self.next_id += 1;
        json!(self.next_id)
    }

    /// Sends a request with `id` without waiting for its answer.
    async fn send_request(&mut self, id: &Value, method: &str, params: Option<Value>) {
        let mut msg = json!({"jsonrpc": "2.0", "id": id, "method": method});
        if let Some(p) = params {
            msg["params"] = p;
        }
        self.send(msg).await;
    }

    async fn request_with_id(&mut self, id: Value, method: &str, params: Option<Value>) -> Message {
        self.send_request(&id, method, params).await;
        self.wait_for(|m| is_response_to(m, &id)).await
    }

    async fn request(&mut self, method: &str, params: Value) -> Message {
        let id = self.fresh_id();
        self.request_with_id(id, method, Some(params)).await
    }

    async fn wait_for(&mut self, pred: impl Fn(&Value) -> bool) -> Message {
        if let Some(i) = self.backlog.iter().position(|m| pred(&m.value)) {
            return self.backlog.remove(i).unwrap();
        }
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let m = tokio::time::timeout_at(deadline, self.incoming.recv())
                .await
                .expect("timed out waiting for a message from the server")
                .expect("server closed the connection");
            if pred(&m.value) {
                return m;
            }
            self.backlog.push_back(m);
        }
    }

    async fn initialize(&mut self) {
        let params = json!({"processId": null, "rootUri": null,
            "capabilities": {"general": {"positionEncodings": ["utf-16"]}}});
        let r = self.request("initialize", params).await;
        assert!(r.value["result"]["capabilities"].is_object(), "{}", r.raw);
        self.notify("initialized", json!({})).await;
    }

    async fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}}),
        )
        .await;
    }

    async fn shutdown_and_exit(&mut self) -> u8 {
        let r = self.request("shutdown", Value::Null).await;
        assert!(r.value.get("error").is_none(), "{}", r.raw);
        self.notify("exit", Value::Null).await;
        let server = self.server.take().unwrap();
        tokio::time::timeout(WAIT, server)
            .await
            .expect("server did not stop")
            .unwrap()
    }
}

/// A document touching every feature: stages, multi-key ENV, heredoc, multibyte text,
/// variables, an unknown instruction (diagnostics → code actions), long enough to matter.
fn document() -> String {
    let mut text = String::from("# syntax=docker/dockerfile:1\nARG BASE=alpine:3.20\n");
    for i in 0..40 {
        text.push_str(&format!(
            "FROM ${{BASE}} AS stage_é{i}\n\
             ENV A{i}=1 \\\n    B{i}=\"😀 x\"\n\
             RUN apt-get update && apt-get install -y curl \\\n    && echo $A{i}\n\
             RUN <<EOF\nset -e\necho 𐐀 {i}\nEOF\n\
             RUNN oops\n\
             COPY --from=stage_é{i} /a /b\n\
             LABEL maintainer=\"x@y.z\"\n\
             EXPOSE 80{i}\n\
             CMD [\"sh\", \"-c\", \"echo $B{i}\"]\n",
        ));
    }
    text
}

/// `{"jsonrpc":"2.0","result":R,"id":ID}` → `R` (as the library writes a success).
fn raw_result(raw: &str) -> &str {
    let rest = raw
        .strip_prefix(r#"{"jsonrpc":"2.0","result":"#)
        .unwrap_or_else(|| panic!("not a success response: {raw}"));
    let end = rest.rfind(r#","id":"#).expect("id member");
    &rest[..end]
}

fn whole() -> Value {
    json!({"start": {"line": 0, "character": 0}, "end": {"line": 100000, "character": 0}})
}

/// Every direct method with params for `uri`.
fn direct_requests(uri: &str) -> Vec<(&'static str, Value)> {
    let td = json!({"uri": uri});
    let at = json!({"line": 2, "character": 20});
    vec![
        ("textDocument/documentSymbol", json!({"textDocument": td})),
        ("workspace/symbol", json!({"query": "stage"})),
        ("textDocument/foldingRange", json!({"textDocument": td})),
        (
            "textDocument/semanticTokens/full",
            json!({"textDocument": td}),
        ),
        (
            "textDocument/semanticTokens/range",
            json!({"textDocument": td, "range": whole()}),
        ),
        (
            "textDocument/codeAction",
            json!({"textDocument": td, "range": whole(), "context": {"diagnostics": []}}),
        ),
        ("textDocument/documentLink", json!({"textDocument": td})),
        (
            "textDocument/inlayHint",
            json!({"textDocument": td, "range": whole()}),
        ),
        (
            "textDocument/formatting",
            json!({"textDocument": td, "options": {"tabSize": 2, "insertSpaces": true}}),
        ),
        (
            "textDocument/rangeFormatting",
            json!({"textDocument": td, "range": whole(), "options": {"tabSize": 2, "insertSpaces": true}}),
        ),
        (
            "textDocument/references",
            json!({"textDocument": td, "position": at, "context": {"includeDeclaration": true}}),
        ),
        (
            "textDocument/documentHighlight",
            json!({"textDocument": td, "position": at}),
        ),
    ]
}

#[tokio::test]
async fn direct_answers_are_byte_for_byte_the_library_answers() {
    let mut c = Client::start();
    c.initialize().await;
    c.open(URI, &document()).await;
    // Diagnostics first, so code actions see the same findings on both paths.
    c.wait_for(|m| m["method"] == "textDocument/publishDiagnostics")
        .await;
    for (method, params) in direct_requests(URI) {
        let library = c
            .request(
                "dockerfile-lsp/_library",
                json!({"method": method, "params": params}),
            )
            .await;
        let expected = raw_result(&library.raw).to_string();
        assert!(expected.len() > 2, "{method}: {expected}"); // not null, not []
                                                             // A number id and a string id (with characters JSON must escape).
        for id in [c.fresh_id(), json!("req-é \"quoted\" 7")] {
            let direct = c
                .request_with_id(id.clone(), method, Some(params.clone()))
                .await;
            assert_eq!(raw_result(&direct.raw), expected, "{method} id {id}");
            assert_eq!(
                direct.raw,
                format!(
                    r#"{{"jsonrpc":"2.0","result":{expected},"id":{}}}"#,
                    serde_json::to_string(&id).unwrap()
                ),
                "{method}"
            );
            assert_eq!(direct.value["result"], library.value["result"], "{method}");
        }
    }
    assert_eq!(c.shutdown_and_exit().await, 0);
}

#[tokio::test]
async fn unknown_documents_and_bad_params() {
    let mut c = Client::start();
    c.initialize().await;
    c.open(URI, "FROM alpine\n").await;
    for (method, params) in direct_requests("file:///nowhere/Dockerfile") {
        if method == "workspace/symbol" {
            continue; // not about one document
        }
        for id in [c.fresh_id(), json!("s")] {
            let r = c
                .request_with_id(id.clone(), method, Some(params.clone()))
                .await;
            assert_eq!(
                r.raw,
                format!(
                    r#"{{"jsonrpc":"2.0","result":null,"id":{}}}"#,
                    serde_json::to_string(&id).unwrap()
                ),
                "{method}"
            );
        }
    }
    // Params the handler cannot take: the library's InvalidParams, whatever the id kind.
    for (method, params) in [
        (
            "textDocument/documentSymbol",
            Some(json!({"textDocument": 5})),
        ),
        ("textDocument/documentSymbol", None),
        ("textDocument/foldingRange", Some(json!([1, 2]))),
        ("workspace/symbol", Some(json!({}))),
        (
            "textDocument/semanticTokens/range",
            Some(json!({"textDocument": {"uri": URI}})),
        ),
    ] {
        for id in [c.fresh_id(), json!("bad")] {
            let r = c.request_with_id(id.clone(), method, params.clone()).await;
            assert_eq!(r.value["error"]["code"], -32602, "{method}: {}", r.raw);
            assert_eq!(r.value["id"], id);
        }
    }
    // A notification of a request method is ignored: no answer.
    c.notify(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    )
    .await;
    let r = c
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    assert!(r.value["result"].is_array(), "{}", r.raw);
    assert!(
        c.backlog
            .iter()
            .all(|m| m.value.get("method").is_some() || m.value.get("id").is_some()),
        "{:?}",
        c.backlog
    );
    assert_eq!(c.shutdown_and_exit().await, 0);
}

#[tokio::test]
async fn lifecycle_errors_are_the_library_ones() {
    let mut c = Client::start();
    let symbols = json!({"textDocument": {"uri": URI}});
    let r = c
        .request("textDocument/documentSymbol", symbols.clone())
        .await;
    assert_eq!(r.value["error"]["code"], -32002, "{}", r.raw);
    c.initialize().await;
    c.open(URI, "FROM alpine\n").await;
    let r = c
        .request("textDocument/documentSymbol", symbols.clone())
        .await;
    assert!(r.value["result"].is_array(), "{}", r.raw);
    let r = c.request("shutdown", Value::Null).await;
    assert!(r.value.get("error").is_none(), "{}", r.raw);
    let r = c
        .request("textDocument/documentSymbol", symbols.clone())
        .await;
    assert_eq!(r.value["error"]["code"], -32600, "{}", r.raw);
    c.notify("exit", Value::Null).await;
    let server = c.server.take().unwrap();
    assert_eq!(
        tokio::time::timeout(WAIT, server).await.unwrap().unwrap(),
        0
    );
}

#[tokio::test]
async fn cancellation_duplicates_and_panics() {
    let mut c = Client::start();
    c.initialize().await;
    // In flight, then cancelled: RequestCancelled, promptly (not after the 20 s).
    for id in [c.fresh_id(), json!("slow")] {
        c.send_request(
            &id,
            "dockerfile-lsp/_directSlow",
            Some(json!({"millis": 20000, "value": 1})),
        )
        .await;
        // A second request with the same id while the first is in flight: invalid.
        let dup = c
            .request_with_id(
                id.clone(),
                "dockerfile-lsp/_directSlow",
                Some(json!({"millis": 0, "value": 2})),
            )
            .await;
        assert_eq!(dup.value["error"]["code"], -32600, "{}", dup.raw);
        c.notify("$/cancelRequest", json!({"id": id})).await;
        let started = std::time::Instant::now();
        let r = c.wait_for(|m| is_response_to(m, &id)).await;
        assert_eq!(r.value["error"]["code"], -32800, "{}", r.raw);
        assert!(started.elapsed() < Duration::from_secs(15));
        // The id is free again.
        let r = c
            .request_with_id(
                id.clone(),
                "dockerfile-lsp/_directSlow",
                Some(json!({"millis": 1, "value": {"é": [1, 2.5, null]}})),
            )
            .await;
        assert_eq!(
            r.raw,
            format!(
                r#"{{"jsonrpc":"2.0","result":{{"é":[1,2.5,null]}},"id":{}}}"#,
                serde_json::to_string(&id).unwrap()
            )
        );
    }
    // Cancelling what is done or unknown changes nothing.
    c.notify("$/cancelRequest", json!({"id": 1})).await;
    c.notify("$/cancelRequest", json!({"id": "nope"})).await;
    // A panic on the direct path: InternalError with the message; the session goes on.
    let r = c
        .request(
            "dockerfile-lsp/_directSlow",
            json!({"millis": 0, "panic": true, "value": 0}),
        )
        .await;
    assert_eq!(r.value["error"]["code"], -32603, "{}", r.raw);
    assert!(
        r.value["error"]["message"]
            .as_str()
            .unwrap()
            .contains("deliberate panic"),
        "{}",
        r.raw
    );
    // Direct requests answer out of order as they finish, like any others.
    let slow = c.fresh_id();
    c.send_request(
        &slow,
        "dockerfile-lsp/_directSlow",
        Some(json!({"millis": 300, "value": "slow"})),
    )
    .await;
    let fast = c
        .request(
            "dockerfile-lsp/_directSlow",
            json!({"millis": 0, "value": "fast"}),
        )
        .await;
    assert_eq!(fast.value["result"], "fast");
    let r = c.wait_for(|m| is_response_to(m, &slow)).await;
    assert_eq!(r.value["result"], "slow");
    assert_eq!(c.shutdown_and_exit().await, 0);
}

/// Edits and direct requests sent without waiting: each answer reflects exactly the edits sent
/// before it.
#[tokio::test]
async fn pipelined_direct_requests_see_exactly_the_edits_before_them() {
    let mut c = Client::start();
    c.initialize().await;
    c.open(URI, "FROM alpine\n").await;
    let mut expected = Vec::new();
    for v in 2..=40i64 {
        c.send(json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": URI, "version": v},
            "contentChanges": [{"range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}},
                                "text": format!("ENV K{v}=é\n")}]}}))
        .await;
        let id = c.fresh_id();
        c.send_request(
            &id,
            "textDocument/documentSymbol",
            Some(json!({"textDocument": {"uri": URI}})),
        )
        .await;
        expected.push((id, v - 1));
    }
    for (id, envs) in expected {
        let r = c.wait_for(|m| is_response_to(m, &id)).await;
        let stage = &r.value["result"][0];
        assert_eq!(stage["name"], "FROM alpine", "{}", r.raw);
        let kids = stage["children"].as_array().expect("children");
        assert_eq!(kids.len() as i64, envs, "request {id}");
    }
    assert_eq!(c.shutdown_and_exit().await, 0);
}
