//! Requests whose answers can be large, answered without the library's `Value` tree.
//!
//! tower-lsp-server turns every handler's result into a `serde_json::Value` tree
//! (`serde_json::to_value`) before serialising it. At 10,000 lines the outline
//! (`textDocument/documentSymbol`) is ~1 MB of JSON and its `Value` tree ~15 MB, alive at once
//! with the typed result; semantic tokens, code actions and folding ranges are smaller but
//! of the same kind. For the methods listed in [`answer`], the panic guard (mod.rs) calls the
//! same `LanguageServer` handler itself and this module serialises its typed result straight
//! into a frame for the single writer (`transport::response`); the library sees no response.
//! The outline goes one step further: it is serialised from the model itself
//! (`features::OutlineJson`), without the handler's tree of symbols.
//!
//! Everything else stays the library's: requests before `initialize` or after `shutdown`,
//! notifications, and params that do not deserialise (the library then answers
//! InvalidParams with its own message). Errors returned by a handler, cancellation and
//! panics are answered through the library as small error responses (see `PanicGuard`).

use super::backend::Backend;
use super::transport::{self, Frame};
use futures::future::{BoxFuture, FutureExt};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Id, Result};
use tower_lsp_server::LanguageServer;

/// How an answer is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// A framed response for the writer (the direct path).
    Frame,
    /// A `serde_json::Value`, as the library would build it (for the tests' comparison).
    Value,
}

/// A handler's result, encoded.
pub enum Answer {
    Frame(Frame),
    Value(Value),
}

/// Deserialises params as the library does (`serde_json::from_value`; the `&Value`
/// deserialiser accepts exactly the same inputs for owned types). `None` when they are
/// missing or invalid: the library then answers with its own InvalidParams error.
fn params<P: DeserializeOwned>(params: Option<&Value>) -> Option<P> {
    P::deserialize(params?).ok()
}

/// As the library reports a result it cannot serialise.
fn serialisation_error(e: &serde_json::Error) -> Error {
    Error {
        code: ErrorCode::InternalError,
        message: e.to_string().into(),
        data: None,
    }
}

fn encode<R: Serialize>(id: &Id, result: &R, encoding: Encoding) -> Result<Answer> {
    match encoding {
        Encoding::Frame => transport::response(id, result)
            .map(Answer::Frame)
            .map_err(|e| serialisation_error(&e)),
        Encoding::Value => serde_json::to_value(result)
            .map(Answer::Value)
            .map_err(|e| serialisation_error(&e)),
    }
}

/// The hidden test method of `ServeOptions::test_methods` answered on the direct path: waits
/// `millis` (so a test can cancel it in flight), then answers `value`, or panics when
/// `panic` is set.
#[derive(Debug, Deserialize)]
struct TestSlow {
    millis: u64,
    #[serde(default)]
    panic: bool,
    value: Value,
}

/// The name of that method.
pub const TEST_SLOW: &str = "dockerfile-lsp/_directSlow";

/// The direct answer to request `id` of `method`, or `None` when the library should answer
/// (not one of ours, or params it will reject). `test_methods` adds [`TEST_SLOW`].
pub fn answer(
    backend: &Backend,
    method: &str,
    id: &Id,
    raw: Option<&Value>,
    encoding: Encoding,
    test_methods: bool,
) -> Option<BoxFuture<'static, Result<Answer>>> {
    macro_rules! direct {
        ($handler:ident) => {{
            let p = params(raw)?;
            let backend = backend.clone();
            let id = id.clone();
            Some(
                async move {
                    let result = LanguageServer::$handler(&backend, p).await?;
                    encode(&id, &result, encoding)
                }
                .boxed(),
            )
        }};
    }
    match method {
        // The outline is serialised from the model without its symbol tree (the library's
        // path, `Encoding::Value`, keeps the handler's tree: the tests compare the two).
        "textDocument/documentSymbol" if encoding == Encoding::Frame => {
            let p = params(raw)?;
            let backend = backend.clone();
            let id = id.clone();
            Some(
                async move {
                    match backend.document_symbol_frame(p, id.clone()).await? {
                        Some(Ok(frame)) => Ok(Answer::Frame(frame)),
                        Some(Err(e)) => Err(serialisation_error(&e)),
                        None => encode(&id, &Option::<()>::None, encoding),
                    }
                }
                .boxed(),
            )
        }
        "textDocument/documentSymbol" => direct!(document_symbol),
        "workspace/symbol" => direct!(symbol),
        "textDocument/foldingRange" => direct!(folding_range),
        "textDocument/semanticTokens/full" => direct!(semantic_tokens_full),
        "textDocument/semanticTokens/range" => direct!(semantic_tokens_range),
        "textDocument/codeAction" => direct!(code_action),
        "textDocument/documentLink" => direct!(document_link),
        "textDocument/inlayHint" => direct!(inlay_hint),
        "textDocument/formatting" => direct!(formatting),
        "textDocument/rangeFormatting" => direct!(range_formatting),
        "textDocument/references" => direct!(references),
        "textDocument/documentHighlight" => direct!(document_highlight),
        TEST_SLOW if test_methods => {
            let p: TestSlow = params(raw)?;
            let id = id.clone();
            Some(
                async move {
                    tokio::time::sleep(std::time::Duration::from_millis(p.millis)).await;
                    if p.panic {
                        panic!("deliberate panic ({TEST_SLOW})");
                    }
                    encode(&id, &p.value, encoding)
                }
                .boxed(),
            )
        }
        _ => None,
    }
}
