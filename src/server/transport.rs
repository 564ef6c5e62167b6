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
//! On the way out, [`write_frames`] is the only writer of the output: it interleaves, whole
//! frame by whole frame, the library's messages (re-read from its output by [`frames_from`])
//! with the notifications the backend serialises itself ([`notification`]):
//! `publishDiagnostics` is by far the largest message we send on every keystroke, and going
//! through the library's `Client` would build a `serde_json::Value` tree of it first.

use serde::Serialize;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::{Id, Request, Response};

/// A header line longer than this is garbage, not a header.
const MAX_HEADER_LINE: usize = 8 * 1024;

/// True when the library's codec will accept `body` (it tries a response, then a request).
pub fn is_message(body: &[u8]) -> bool {
    !body.is_empty()
        && (serde_json::from_slice::<Request>(body).is_ok()
            || serde_json::from_slice::<Response>(body).is_ok())
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
        let mut body = Vec::new();
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
pub async fn frames_from<R: AsyncRead + Unpin>(input: R, frames: mpsc::UnboundedSender<Frame>) {
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
        if frames.send(frame(&body)).is_err() {
            return;
        }
    }
}

/// Writes queued frames to `output`, each whole, flushing whenever the queue is empty, until
/// an empty frame (the end marker) arrives or every sender is gone.
pub async fn write_frames<W: AsyncWrite>(mut frames: mpsc::UnboundedReceiver<Frame>, output: W) {
    tokio::pin!(output);
    while let Some(frame) = frames.recv().await {
        if frame.is_empty() {
            let _ = output.flush().await;
            return;
        }
        if output.write_all(&frame).await.is_err() {
            return; // the client is gone
        }
        if frames.is_empty() && output.flush().await.is_err() {
            return;
        }
    }
    let _ = output.flush().await;
}

/// [`write_frames`] with blocking writes, for a dedicated thread.
pub fn write_frames_blocking(
    mut frames: mpsc::UnboundedReceiver<Frame>,
    mut output: impl std::io::Write,
) {
    while let Some(frame) = frames.blocking_recv() {
        if frame.is_empty() {
            break;
        }
        if output.write_all(&frame).is_err() {
            return; // the client is gone
        }
        if frames.is_empty() && output.flush().is_err() {
            return;
        }
    }
    let _ = output.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let (tx, rx) = mpsc::unbounded_channel();
        let library = b"Content-Length: 2\r\n\r\n{}Content-Length: 4\r\n\r\nnull".to_vec();
        frames_from(&library[..], tx.clone()).await;
        let own = notification("x/y", &serde_json::json!({"a": "\u{e9}"}));
        assert!(own.is_some());
        tx.send(own.unwrap_or_default()).unwrap();
        tx.send(Vec::new()).unwrap();
        tx.send(frame(b"after the end")).unwrap();
        let mut out = Vec::new();
        write_frames(rx, &mut out).await;
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
    fn blocking_writer_stops_at_the_end_marker() {
        let (tx, rx) = mpsc::unbounded_channel();
        for f in [frame(b"a"), frame(b"bc"), Vec::new(), frame(b"late")] {
            tx.send(f).unwrap();
        }
        let mut out = Vec::new();
        write_frames_blocking(rx, &mut out);
        assert_eq!(
            out,
            b"Content-Length: 1\r\n\r\naContent-Length: 2\r\n\r\nbc".to_vec()
        );
    }

    #[tokio::test]
    async fn truncated_input_ends_cleanly() {
        assert_eq!(run(b"Content-Length: 50\r\n\r\n{\"jsonrpc\"").await, "");
        assert_eq!(run(b"Content-Len").await, "");
        assert_eq!(run(b"").await, "");
    }
}
