//! A tolerant reader in front of tower-lsp-server's input.
//!
//! tower-lsp-server 0.23 ends the session at the first message its codec cannot decode
//! (invalid JSON, JSON that is not a JSON-RPC message, a bad `Content-Length`, a
//! `Content-Type` without charset, more than two headers): tokio-util's `FramedRead` yields
//! `None` after a decode error and the library's read loop stops there. One garbled message
//! from a client or a proxy would silently kill every feature for every open document.
//!
//! [`pump`] therefore reads the raw input itself, frames it leniently (header names
//! case-insensitive, any headers, `Content-Length` required), drops — with a warning on
//! stderr — frames whose body is not a JSON-RPC request, notification or response, and
//! forwards the rest, re-framed canonically, to the library.
//!
//! On the way out, one [`FrameQueue`] orders every frame, whole frame by whole frame: the
//! library's messages (re-read from its output by [`frames_from`]) and the notifications the
//! backend serialises itself ([`notification`]). Its writer ([`write_frames`],
//! [`write_frames_blocking`]) writes them, or a lint writes its own frame when its turn is
//! next and nothing else is being written ([`FrameQueue::reserve`]):
//! `publishDiagnostics` is by far the largest message we send on every keystroke, and going
//! through the library's `Client` would build a `serde_json::Value` tree of it first.

use serde::{Deserialize, Deserializer, Serialize};
use std::collections::VecDeque;
use std::io::Write;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tower_lsp_server::jsonrpc::{Id, Response};

/// A header line longer than this is garbage, not a header.
const MAX_HEADER_LINE: usize = 8 * 1024;

/// True when the library's codec will accept `body`: UTF-8 (it checks the whole body first),
/// then a JSON-RPC response or request (its `Message` is an untagged enum of the two).
///
/// The body is not decoded into the library's types, which would build a `serde_json::Value`
/// of the params (for a didOpen, a copy of the whole document) only to drop it. Instead:
/// 1. The whole body must be JSON as the library's untagged enum reads it first, buffering
///    every member, unknown ones included (so `{"x":1e400}` fails): [`AnyJson`] checks
///    exactly that and stores nothing.
/// 2. Then it must have a request's shape ([`RequestShape`] mirrors `jsonrpc::Request`
///    member for member, with the params ignored, already checked) — every response the
///    library accepts has one too (unknown members are ignored, `method` has a default), so
///    the library's `Response` is tried only when that fails, and answers the same.
pub fn is_message(body: &[u8]) -> bool {
    !body.is_empty()
        && std::str::from_utf8(body).is_ok()
        && serde_json::from_slice::<AnyJson>(body).is_ok()
        && (serde_json::from_slice::<RequestShape>(body).is_ok()
            || serde_json::from_slice::<Response>(body).is_ok())
}

/// `jsonrpc::Request` without its contents: the same members, defaults and deserialisers.
#[derive(Deserialize)]
struct RequestShape {
    #[allow(dead_code)]
    jsonrpc: VersionShape,
    #[serde(default)]
    #[allow(dead_code)]
    method: std::borrow::Cow<'static, str>,
    #[serde(default, deserialize_with = "some")]
    #[allow(dead_code)]
    params: Option<serde::de::IgnoredAny>,
    #[serde(default, deserialize_with = "some")]
    #[allow(dead_code)]
    id: Option<Id>,
}

/// As the library's `deserialize_some`: a member present with `null` is `Some`.
fn some<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// The library's `Version`: the string `"2.0"`.
struct VersionShape;

impl<'de> Deserialize<'de> for VersionShape {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = std::borrow::Cow::<'de, str>::deserialize(d)?;
        if v == "2.0" {
            Ok(VersionShape)
        } else {
            Err(serde::de::Error::custom(
                "expected JSON-RPC version \"2.0\"",
            ))
        }
    }
}

/// Any JSON value, checked exactly as `serde_json::Value` would be (through
/// `deserialize_any`: strings are decoded, so invalid escapes and lone surrogates fail the
/// same way; the nesting limit is the deserialiser's) but stored nowhere.
struct AnyJson;

impl<'de> Deserialize<'de> for AnyJson {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(AnyJson)
    }
}

impl<'de> serde::de::Visitor<'de> for AnyJson {
    type Value = AnyJson;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<AnyJson, E> {
        Ok(AnyJson)
    }
    fn visit_i64<E>(self, _: i64) -> Result<AnyJson, E> {
        Ok(AnyJson)
    }
    fn visit_u64<E>(self, _: u64) -> Result<AnyJson, E> {
        Ok(AnyJson)
    }
    fn visit_f64<E>(self, _: f64) -> Result<AnyJson, E> {
        Ok(AnyJson)
    }
    fn visit_str<E>(self, _: &str) -> Result<AnyJson, E> {
        Ok(AnyJson)
    }
    fn visit_unit<E>(self) -> Result<AnyJson, E> {
        Ok(AnyJson)
    }
    fn visit_none<E>(self) -> Result<AnyJson, E> {
        Ok(AnyJson)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<AnyJson, D::Error> {
        AnyJson::deserialize(d)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<AnyJson, A::Error> {
        while seq.next_element::<AnyJson>()?.is_some() {}
        Ok(AnyJson)
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<AnyJson, A::Error> {
        // `Value` wants string keys: JSON object keys always are.
        while map.next_key::<AnyJson>()?.is_some() {
            map.next_value::<AnyJson>()?;
        }
        Ok(AnyJson)
    }
}

/// Reads one header block; returns the `Content-Length` if it had a valid one, `Err(())` at
/// end of input.
async fn read_headers<R: AsyncRead + Unpin>(r: &mut BufReader<R>) -> Result<Option<usize>, ()> {
    let mut content_length = None;
    let mut seen_header = false;
    loop {
        let mut line = Vec::new();
        match (&mut *r)
            .take(MAX_HEADER_LINE as u64)
            .read_until(b'\n', &mut line)
            .await
        {
            Ok(0) | Err(_) => return Err(()),
            Ok(_) => {}
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim();
        if text.is_empty() {
            if seen_header {
                return Ok(content_length);
            }
            continue; // stray blank lines between messages
        }
        seen_header = true;
        if let Some((name, value)) = text.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                content_length = value.trim().parse::<usize>().ok();
            }
        }
    }
}

/// Copies well-formed messages from `input` to `output` until `input` ends (then `output` is
/// dropped, which the library sees as end of input).
pub async fn pump<R, W>(input: R, mut output: W)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut r = BufReader::new(input);
    loop {
        let len = match read_headers(&mut r).await {
            Err(()) => return,
            Ok(None) => {
                tracing::warn!("skipped a message header without a valid Content-Length");
                continue;
            }
            Ok(Some(len)) => len,
        };
        // Sized up front (a claimed length is trusted only up to 1 MiB: the input may lie),
        // not grown from empty by doubling.
        let mut body = Vec::with_capacity(len.min(1 << 20));
        match (&mut r).take(len as u64).read_to_end(&mut body).await {
            Ok(n) if n == len => {}
            _ => return, // input ended inside a body
        }
        if !is_message(&body) {
            tracing::warn!(
                "dropped an undecodable message ({len} bytes): {}",
                String::from_utf8_lossy(body.get(..200).unwrap_or(&body))
            );
            continue;
        }
        let header = format!("Content-Length: {len}\r\n\r\n");
        if output.write_all(header.as_bytes()).await.is_err()
            || output.write_all(&body).await.is_err()
            || output.flush().await.is_err()
        {
            return; // the server is gone
        }
    }
}

/// One framed message (header and body).
pub type Frame = Vec<u8>;

fn frame(body: &[u8]) -> Frame {
    let header = format!("Content-Length: {}\r\n\r\n", body.len());
    let mut out = Vec::with_capacity(header.len() + body.len());
    out.extend_from_slice(header.as_bytes());
    out.extend_from_slice(body);
    out
}

/// `message` serialised and framed in one buffer: the body is written after room for the
/// longest header, which is then filled in right before the body and the gap removed (one
/// `memmove`, no second copy of a large body alive beside the first).
pub fn framed<T: Serialize + ?Sized>(message: &T) -> Result<Frame, serde_json::Error> {
    const ROOM: usize = "Content-Length: 18446744073709551615\r\n\r\n".len();
    let mut out = Vec::with_capacity(ROOM + 1024);
    out.resize(ROOM, 0);
    serde_json::to_writer(&mut out, message)?;
    let header = format!("Content-Length: {}\r\n\r\n", out.len() - ROOM);
    let start = ROOM - header.len();
    out[start..ROOM].copy_from_slice(header.as_bytes());
    out.drain(..start);
    Ok(out)
}

/// A JSON-RPC notification, serialised straight from `params` and framed.
pub fn notification<P: Serialize>(method: &str, params: &P) -> Option<Frame> {
    #[derive(Serialize)]
    struct Notification<'a, P> {
        jsonrpc: &'static str,
        method: &'a str,
        params: &'a P,
    }
    let message = Notification {
        jsonrpc: "2.0",
        method,
        params,
    };
    match framed(&message) {
        Ok(frame) => Some(frame),
        Err(e) => {
            tracing::error!("cannot serialise a {method} notification: {e}");
            None
        }
    }
}

/// A successful JSON-RPC response, serialised straight from `result` and framed, with the
/// members in the order the library writes them (`jsonrpc`, `result`, `id`).
pub fn response<R: Serialize>(id: &Id, result: &R) -> Result<Frame, serde_json::Error> {
    #[derive(Serialize)]
    struct Success<'a, R> {
        jsonrpc: &'static str,
        result: &'a R,
        id: &'a Id,
    }
    framed(&Success {
        jsonrpc: "2.0",
        result,
        id,
    })
}

/// Queues every frame the library writes to `input` (its output) until it closes it.
pub async fn frames_from<R: AsyncRead + Unpin>(input: R, frames: FrameQueue) {
    let mut r = BufReader::new(input);
    loop {
        let len = match read_headers(&mut r).await {
            Err(()) => return,
            Ok(None) => continue, // not produced by the library's codec
            Ok(Some(len)) => len,
        };
        let mut body = Vec::with_capacity(len);
        match (&mut r).take(len as u64).read_to_end(&mut body).await {
            Ok(n) if n == len => {}
            _ => return,
        }
        if !frames.send(frame(&body)) {
            return;
        }
    }
}

/// The single queue of outgoing frames, drained by one writer (a task over an async output,
/// or a thread over the process's stdout) in the order they were queued.
///
/// Over stdout a thread that may block (a lint) can also write its frame itself when the
/// queue is empty and nothing is being written ([`FrameQueue::reserve`]): the diagnostics of
/// a keystroke then reach the client without waking the writer thread first. Whoever writes
/// holds the queue's `writing` mark; the writer takes no frame while another holds it, so
/// frames still go out whole and in order.
#[derive(Clone)]
pub struct FrameQueue {
    inner: Arc<QueueInner>,
}

struct QueueInner {
    state: Mutex<QueueState>,
    /// Wakes the writer thread.
    ready: Condvar,
    /// Wakes the writer task.
    notify: tokio::sync::Notify,
    /// The blocking output: written by whoever holds the `writing` mark (never contended).
    output: Option<Mutex<Box<dyn Write + Send>>>,
}

#[derive(Default)]
struct QueueState {
    frames: VecDeque<Frame>,
    /// A frame is being written (by the writer or through a [`Slot`]).
    writing: bool,
    /// No more frames are accepted; the writer ends once the queue is empty.
    closed: bool,
    /// A write failed: the client is gone, frames are dropped.
    failed: bool,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl FrameQueue {
    /// A queue for an async output, drained by [`write_frames`].
    pub fn for_async() -> FrameQueue {
        FrameQueue::with_output(None)
    }

    /// A queue over a blocking output, drained by [`write_frames_blocking`] and written
    /// through [`FrameQueue::reserve`].
    pub fn for_blocking(output: Box<dyn Write + Send>) -> FrameQueue {
        FrameQueue::with_output(Some(Mutex::new(output)))
    }

    fn with_output(output: Option<Mutex<Box<dyn Write + Send>>>) -> FrameQueue {
        FrameQueue {
            inner: Arc::new(QueueInner {
                state: Mutex::new(QueueState::default()),
                ready: Condvar::new(),
                notify: tokio::sync::Notify::new(),
                output,
            }),
        }
    }

    /// Queues `frame` for the writer; false once the queue is closed or the client gone.
    pub fn send(&self, frame: Frame) -> bool {
        let mut state = lock(&self.inner.state);
        if state.closed || state.failed {
            return false;
        }
        state.frames.push_back(frame);
        let idle = !state.writing;
        drop(state);
        if idle {
            self.wake_writer();
        }
        true
    }

    /// The right to write the next frame on this thread, when the output is blocking, the
    /// queue is empty and nothing is being written; `None` otherwise (then [`send`] it).
    /// Taken where the frame's place in the order is decided (e.g. under a lock that orders
    /// it before a later frame); written with [`Slot::write`] once that lock is released:
    /// a write may block until the client reads, and must not block anyone else meanwhile.
    ///
    /// [`send`]: FrameQueue::send
    pub fn reserve(&self) -> Option<Slot> {
        self.inner.output.as_ref()?;
        let mut state = lock(&self.inner.state);
        if state.writing || state.closed || state.failed || !state.frames.is_empty() {
            return None;
        }
        state.writing = true;
        Some(Slot {
            queue: self.clone(),
        })
    }

    /// No more frames: the writer ends after those queued.
    pub fn close(&self) {
        lock(&self.inner.state).closed = true;
        self.wake_writer();
    }

    fn wake_writer(&self) {
        self.inner.ready.notify_one();
        self.inner.notify.notify_one();
    }

    /// Writes one frame to the blocking output (its holder has the `writing` mark); flushes
    /// it when nothing else is queued. False when the write failed.
    fn write_blocking(&self, frame: &[u8]) -> bool {
        let Some(output) = &self.inner.output else {
            return false;
        };
        let mut output = lock(output);
        if output.write_all(frame).is_err() {
            return false;
        }
        let more = !lock(&self.inner.state).frames.is_empty();
        more || output.flush().is_ok()
    }

    /// Clears the `writing` mark (recording a failed write) and wakes the writer when
    /// frames were queued meanwhile.
    fn release(&self, ok: bool) {
        let mut state = lock(&self.inner.state);
        state.writing = false;
        if !ok {
            state.failed = true;
            state.frames.clear();
        }
        let wake = !state.frames.is_empty() || state.closed;
        drop(state);
        if wake {
            self.wake_writer();
        }
    }
}

/// The right to write one frame (see [`FrameQueue::reserve`]); dropping it unused gives the
/// right back.
pub struct Slot {
    queue: FrameQueue,
}

impl Slot {
    /// Writes `frame` on this thread (blocking until the client has room for it).
    pub fn write(self, frame: &[u8]) {
        let ok = frame.is_empty() || self.queue.write_blocking(frame);
        self.queue.release(ok);
        std::mem::forget(self);
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.queue.release(true);
    }
}

/// Writes queued frames to `output`, each whole, flushing whenever the queue is empty, until
/// the queue is closed and empty or the client is gone.
pub async fn write_frames<W: AsyncWrite>(frames: FrameQueue, output: W) {
    tokio::pin!(output);
    loop {
        // `None`: nothing queued yet; `Some(None)`: closed and drained.
        let next = {
            let mut state = lock(&frames.inner.state);
            match state.frames.pop_front() {
                Some(frame) => Some(Some((frame, state.frames.is_empty()))),
                None if state.closed => Some(None),
                None => None,
            }
        };
        let Some(next) = next else {
            // A `send` since the check left a permit: this returns at once then.
            frames.inner.notify.notified().await;
            continue;
        };
        let Some((frame, last)) = next else {
            let _ = output.flush().await;
            return;
        };
        if output.write_all(&frame).await.is_err() || (last && output.flush().await.is_err()) {
            let mut state = lock(&frames.inner.state);
            state.failed = true;
            state.frames.clear();
            return; // the client is gone
        }
    }
}

/// [`write_frames`] for a blocking queue, on a dedicated thread: frames queued while no
/// [`Slot`] holder writes.
pub fn write_frames_blocking(frames: FrameQueue) {
    let inner = &frames.inner;
    loop {
        let mut state = lock(&inner.state);
        loop {
            if state.failed || (state.closed && state.frames.is_empty() && !state.writing) {
                return;
            }
            if !state.writing && !state.frames.is_empty() {
                break;
            }
            state = inner
                .ready
                .wait(state)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
        let Some(frame) = state.frames.pop_front() else {
            continue;
        };
        state.writing = true;
        drop(state);
        let ok = frames.write_blocking(&frame);
        let mut state = lock(&inner.state);
        state.writing = false;
        if !ok {
            state.failed = true;
            state.frames.clear();
            return;
        }
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use tower_lsp_server::jsonrpc::Request;

    /// What the library's codec does: the whole body as UTF-8, then its `Message`, an
    /// untagged enum of its `Response` and `Request` (copied here: it is crate-private).
    fn decodes_as_library_types(body: &[u8]) -> bool {
        #[derive(Deserialize)]
        #[serde(untagged)]
        #[allow(dead_code)]
        enum Message {
            Response(Response),
            Request(Request),
        }
        match std::str::from_utf8(body) {
            Ok("") | Err(_) => false,
            Ok(text) => serde_json::from_str::<Message>(text).is_ok(),
        }
    }

    const BODIES: &[&str] = &[
        r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#,
        r#"{"jsonrpc":"2.0","method":"x","params":null}"#,
        r#"{"jsonrpc":"2.0","method":"x","params":{"a":[1,2.5,-3,1e300,true,null,"\u00e9"]}}"#,
        r#"{"jsonrpc":"2.0","method":"x","params":{"a":1,"a":2}}"#,
        r#"{"jsonrpc":"2.0","method":"x","params":"\ud800"}"#,
        r#"{"jsonrpc":"2.0","method":"x","params":"\ud83d\ude00"}"#,
        r#"{"jsonrpc":"2.0","method":"x","params":"\x"}"#,
        r#"{"jsonrpc":"2.0","method":"x","params":1e400}"#,
        r#"{"jsonrpc":"2.0","method":"x","other":1e400}"#,
        r#"{"jsonrpc":"2.0","method":"x","params":18446744073709551616}"#,
        r#"{"jsonrpc":"2.0","method":"x","params":{"\ud800":1}}"#,
        r#"{"jsonrpc":"2.0","method":"x","method":"y"}"#,
        r#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#,
        r#"{"jsonrpc":"2.0","id":null,"method":"x"}"#,
        r#"{"jsonrpc":"2.0","id":{},"method":"x"}"#,
        r#"{"jsonrpc":"2.0","id":9223372036854775808,"method":"x"}"#,
        r#"{"jsonrpc":"2.0","id":"s","result":{"k":1}}"#,
        r#"{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"m"}}"#,
        r#"{"jsonrpc":"2.0","id":1,"error":{"code":"x","message":"m"}}"#,
        r#"{"jsonrpc":"2.0"}"#,
        r#"{"jsonrpc":"1.0","method":"x"}"#,
        r#"{"jsonrpc":2,"method":"x"}"#,
        r#"{"method":"x"}"#,
        r#"{"jsonrpc":"2.0","method":null}"#,
        r#"["2.0","x"]"#,
        r#"["2.0","x",{"a":1},1]"#,
        r#"[]"#,
        r#"{}"#,
        r#"null"#,
        r#"{"jsonrpc":"2.0","method":"x"} "#,
        r#"{"jsonrpc":"2.0","method":"x"}x"#,
        r#"{"jsonrpc":"2.0","method":"x","params":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}"#,
        "{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":\"tab\tinside\"}",
        "",
        "{not json",
    ];

    #[test]
    fn message_check_agrees_with_the_library_types() {
        for body in BODIES {
            assert_eq!(
                is_message(body.as_bytes()),
                decodes_as_library_types(body.as_bytes()),
                "{body}"
            );
        }
        let deep = format!(
            r#"{{"jsonrpc":"2.0","method":"x","params":{}1{}}}"#,
            "[".repeat(126),
            "]".repeat(126)
        );
        assert!(is_message(deep.as_bytes()));
        let too_deep = deep.replace("[1]", "[[[1]]]");
        assert!(!decodes_as_library_types(too_deep.as_bytes()));
        assert!(!is_message(too_deep.as_bytes()));
        let mut bad_utf8 = br#"{"jsonrpc":"2.0","method":"x","params":"#.to_vec();
        bad_utf8.extend_from_slice(b"\"\xff\"}");
        assert!(!is_message(&bad_utf8));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// Random damage to real messages: both checks always agree.
        #[test]
        fn message_check_agrees_on_damaged_messages(
            which in 0..BODIES.len(),
            edits in proptest::collection::vec((any::<prop::sample::Index>(), 0u8..3, any::<u8>()), 1..4),
        ) {
            let mut body = BODIES[which].as_bytes().to_vec();
            for (at, op, byte) in edits {
                const BYTES: &[u8] = b"{}[]\":,\\0123456789.eE+-nultrsfax \xc3\xa9";
                let byte = BYTES[byte as usize % BYTES.len()];
                let i = if body.is_empty() { 0 } else { at.index(body.len()) };
                match op {
                    0 if !body.is_empty() => { body.remove(i); }
                    1 => body.insert(i, byte),
                    _ if !body.is_empty() => body[i] = byte,
                    _ => body.push(byte),
                }
            }
            prop_assert_eq!(is_message(&body), decodes_as_library_types(&body), "{}", String::from_utf8_lossy(&body));
        }
    }

    async fn run(input: &[u8]) -> String {
        let mut out = Vec::new();
        pump(input, &mut out).await;
        String::from_utf8(out).unwrap()
    }

    #[tokio::test]
    async fn forwards_good_frames_and_drops_bad_ones() {
        let good = r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;
        let resp = r#"{"jsonrpc":"2.0","id":1,"result":null}"#;
        let input = format!(
            "Content-Length: 9\r\n\r\n{{not json\
             Content-Type: nonsense\r\nContent-Length: abc\r\n\r\n\
             Content-Length: 2\r\n\r\n[]\
             \r\ncontent-length: {}\r\nX-Other: 1\r\nContent-Type: application/vscode-jsonrpc\r\n\r\n{good}\
             Content-Length: 0\r\n\r\n\
             Content-Length: {}\r\n\r\n{resp}",
            good.len(),
            resp.len()
        );
        let out = run(input.as_bytes()).await;
        assert_eq!(
            out,
            format!(
                "Content-Length: {}\r\n\r\n{good}Content-Length: {}\r\n\r\n{resp}",
                good.len(),
                resp.len()
            )
        );
    }

    #[tokio::test]
    async fn output_frames_stay_whole_and_in_order() {
        let queue = FrameQueue::for_async();
        let library = b"Content-Length: 2\r\n\r\n{}Content-Length: 4\r\n\r\nnull".to_vec();
        frames_from(&library[..], queue.clone()).await;
        let own = notification("x/y", &serde_json::json!({"a": "\u{e9}"}));
        assert!(own.is_some());
        assert!(queue.send(own.unwrap_or_default()));
        assert!(
            queue.reserve().is_none(),
            "an async output is written by its task only"
        );
        queue.close();
        assert!(!queue.send(frame(b"after the end")));
        let mut out = Vec::new();
        write_frames(queue, &mut out).await;
        let body = "{\"jsonrpc\":\"2.0\",\"method\":\"x/y\",\"params\":{\"a\":\"\u{e9}\"}}";
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!(
                "Content-Length: 2\r\n\r\n{{}}Content-Length: 4\r\n\r\nnullContent-Length: {}\r\n\r\n{body}",
                body.len()
            )
        );
    }
    #[test]
    fn framed_messages_have_exact_lengths() {
        for body in ["", "x", &"é".repeat(5000), &"y".repeat(1 << 20)] {
            let f = framed(&body).unwrap();
            let json = serde_json::to_string(&body).unwrap();
            assert_eq!(f, frame(json.as_bytes()));
        }
        let r = response(&Id::String("a\"b".into()), &serde_json::json!({"k": [1.5]})).unwrap();
        let body = r#"{"jsonrpc":"2.0","result":{"k":[1.5]},"id":"a\"b"}"#;
        assert_eq!(r, frame(body.as_bytes()));
        let library = Response::from_ok(Id::Number(7), serde_json::json!([null]));
        assert_eq!(
            response(&Id::Number(7), &[()]).unwrap(),
            frame(&serde_json::to_vec(&library).unwrap())
        );
    }

    #[test]
    fn blocking_writer_stops_at_the_end() {
        let out = SharedBuf::default();
        let queue = FrameQueue::for_blocking(Box::new(out.clone()));
        for f in [frame(b"a"), frame(b"bc")] {
            assert!(queue.send(f));
        }
        queue.close();
        assert!(!queue.send(frame(b"late")));
        write_frames_blocking(queue);
        assert_eq!(
            out.contents(),
            b"Content-Length: 1\r\n\r\naContent-Length: 2\r\n\r\nbc".to_vec()
        );
    }

    /// A `Write` whose bytes the test can read afterwards (or that fails every write).
    #[derive(Clone, Default)]
    struct SharedBuf {
        bytes: Arc<Mutex<Vec<u8>>>,
        broken: bool,
    }

    impl SharedBuf {
        fn contents(&self) -> Vec<u8> {
            self.bytes.lock().unwrap().clone()
        }
    }

    impl Write for SharedBuf {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.broken {
                return Err(std::io::Error::from(std::io::ErrorKind::BrokenPipe));
            }
            self.bytes.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_reserved_frame_is_written_in_its_place() {
        let out = SharedBuf::default();
        let queue = FrameQueue::for_blocking(Box::new(out.clone()));
        let writer = {
            let queue = queue.clone();
            std::thread::spawn(move || write_frames_blocking(queue))
        };
        // Idle and empty: the slot is granted; while it is held, nothing else is written and
        // no second slot is granted.
        let slot = queue.reserve().expect("an idle queue grants a slot");
        assert!(queue.reserve().is_none());
        assert!(queue.send(frame(b"second")));
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(
            out.contents().is_empty(),
            "the writer waits for the slot's frame"
        );
        slot.write(&frame(b"first"));
        // Queued frames go before any new slot.
        assert!(queue.send(frame(b"third")));
        queue.close();
        writer.join().unwrap();
        assert_eq!(
            String::from_utf8(out.contents()).unwrap(),
            "Content-Length: 5\r\n\r\nfirstContent-Length: 6\r\n\r\nsecond\
             Content-Length: 5\r\n\r\nthird"
        );
        // A slot dropped unused gives the right back.
        let queue = FrameQueue::for_blocking(Box::new(SharedBuf::default()));
        drop(queue.reserve());
        assert!(queue.reserve().is_some());
    }

    #[test]
    fn a_failed_write_drops_every_later_frame() {
        let broken = SharedBuf {
            broken: true,
            ..SharedBuf::default()
        };
        let queue = FrameQueue::for_blocking(Box::new(broken));
        if let Some(slot) = queue.reserve() {
            slot.write(&frame(b"lost"));
        }
        assert!(!queue.send(frame(b"dropped")), "the client is gone");
        assert!(queue.reserve().is_none());
        write_frames_blocking(queue); // returns at once
    }
    #[tokio::test]
    async fn truncated_input_ends_cleanly() {
        assert_eq!(run(b"Content-Length: 50\r\n\r\n{\"jsonrpc\"").await, "");
        assert_eq!(run(b"Content-Len").await, "");
        assert_eq!(run(b"").await, "");
    }
}
