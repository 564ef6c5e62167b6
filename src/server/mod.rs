//! The language server: the only module that knows LSP types.
//!
//! * [`position`]: LSP position <-> byte offset over a rope (UTF-8 / UTF-16, clamping).
//! * [`document`]: open documents (rope, flat text, incremental tree-sitter tree, version).
//! * [`convert`]: core data (byte ranges, diagnostics) <-> `ls_types`.
//! * [`backend`]: the `LanguageServer` handlers, background linting and settings.
//! * [`transport`]: a tolerant framing layer in front of the library's reader.
//! * this file: the stdio entry point, the panic guard around every handler and the
//!   lifecycle bookkeeping behind the exit code.
//!
//! Invariants (see ARCHITECTURE.md, "Server"):
//! 1. didOpen/didChange/didClose mutate the document store synchronously, under a
//!    `std::sync::Mutex` never held across an `.await`, before the handler's first `.await`.
//!    tower-lsp-server polls handlers in arrival order, so edits apply in order even though
//!    up to four handlers run concurrently.
//! 2. No handler awaits a client request. `workspace/configuration` runs in a spawned task
//!    with a timeout; outgoing notifications go through one queue drained by one task.
//! 3. Linting runs in a spawned task tagged with the document's generation; results for a
//!    generation that is no longer current are dropped; publishDiagnostics carries the version.
//! 4. A panic in any handler is caught, logged to stderr and answered with InternalError; the
//!    session goes on.

mod backend;
pub mod convert;
pub mod document;
mod features;
pub mod position;
mod transport;

use futures::future::{BoxFuture, FutureExt};
use std::panic::AssertUnwindSafe;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite};
use tower::Service;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Request, Response};
use tower_lsp_server::{ExitedError, LspService, Server};

pub use backend::Backend;

/// Options of [`serve`].
#[derive(Clone, Copy, Debug, Default)]
pub struct ServeOptions {
    /// Registers hidden methods for the end-to-end tests (`dockerfile-lsp/_panic`,
    /// `dockerfile-lsp/_panicNotification`, `dockerfile-lsp/_documentText`,
    /// `dockerfile-lsp/_offsetAt`). Never set by the binary.
    #[doc(hidden)]
    pub test_methods: bool,
}

/// What the protocol lifecycle has seen; decides the exit code.
#[derive(Debug, Default)]
struct Lifecycle {
    initialized: AtomicBool,
    shutdown: AtomicBool,
}

/// Runs the server on stdin/stdout until `exit` (or end of input). Exit code 0 when a
/// `shutdown` request preceded the end, 1 otherwise (LSP: `exit` without `shutdown`).
pub fn serve_stdio() -> ExitCode {
    init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("dockerfile-lsp: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let code = runtime.block_on(serve_on(
        tokio::io::stdin(),
        Output::<tokio::io::Stdout>::Stdout,
        ServeOptions::default(),
    ));
    // tokio's stdin reader may sit in a blocking read forever (clients need not close our
    // stdin after `exit`): do not wait for it.
    runtime.shutdown_background();
    ExitCode::from(code)
}

/// Logs go to stderr only (stdout carries the protocol). Filter: `DOCKERFILE_LSP_LOG`
/// (`tracing_subscriber::EnvFilter` syntax, e.g. `debug` or `dockerfile_lsp=trace`),
/// default `warn`.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("DOCKERFILE_LSP_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}

/// Serves one session over `input`/`output`; returns the process exit code (0 or 1).
/// Must run inside a tokio runtime.
pub async fn serve<I, O>(input: I, output: O, options: ServeOptions) -> u8
where
    I: AsyncRead + Unpin,
    O: AsyncWrite + Send + 'static,
{
    serve_on(input, Output::Async(output), options).await
}

/// Where the writer sends the frames.
enum Output<O> {
    /// An async stream, written by a task.
    Async(O),
    /// The process's stdout, written by a dedicated thread with plain blocking writes:
    /// tokio's `Stdout` hands every write to its blocking pool, one more thread hop between
    /// a finished lint and the client.
    Stdout,
}

async fn serve_on<I, O>(input: I, output: Output<O>, options: ServeOptions) -> u8
where
    I: AsyncRead + Unpin,
    O: AsyncWrite + Send + 'static,
{
    let lifecycle = Arc::new(Lifecycle::default());
    // Every outgoing frame — the library's and the backend's own notifications — goes
    // through one queue to one writer (see transport.rs).
    let (frames, queued) = tokio::sync::mpsc::unbounded_channel();
    let backend_frames = frames.clone();
    let mut builder = LspService::build(move |client| Backend::new(client, backend_frames));
    if options.test_methods {
        builder = builder
            .custom_method("dockerfile-lsp/_panic", Backend::test_panic)
            .custom_method(
                "dockerfile-lsp/_panicNotification",
                Backend::test_panic_notification,
            )
            .custom_method("dockerfile-lsp/_documentText", Backend::test_document_text)
            .custom_method("dockerfile-lsp/_offsetAt", Backend::test_offset_at);
    }
    let (service, socket) = builder.finish();
    let service = PanicGuard {
        inner: service,
        lifecycle: lifecycle.clone(),
    };
    // The library reads from our tolerant pump, not from `input` directly, and writes into
    // the frame queue, not to `output` directly (see transport.rs).
    let (to_server, from_pump) = tokio::io::duplex(64 * 1024);
    let (server_output, from_server) = tokio::io::duplex(64 * 1024);
    let server = Server::new(from_pump, server_output, socket).serve(service);
    let pump = transport::pump(input, to_server);
    let relay = tokio::spawn(transport::frames_from(from_server, frames.clone()));
    let writer: BoxFuture<'static, ()> = match output {
        Output::Async(output) => {
            let task = tokio::spawn(transport::write_frames(queued, output));
            async move {
                let _ = task.await;
            }
            .boxed()
        }
        Output::Stdout => {
            let (done, finished) = tokio::sync::oneshot::channel::<()>();
            let spawned = std::thread::Builder::new()
                .name("stdout-writer".into())
                .spawn(move || {
                    transport::write_frames_blocking(queued, std::io::stdout().lock());
                    let _ = done.send(());
                });
            if let Err(e) = spawned {
                tracing::error!("cannot start the output thread: {e}");
                return 1;
            }
            async move {
                let _ = finished.await;
            }
            .boxed()
        }
    };
    tokio::pin!(server, pump);
    tokio::select! {
        () = &mut server => {}
        // End of input: the pump dropped its end, the server sees end of input and stops.
        () = &mut pump => server.await,
    }
    // The library has written its last frame (its output is closed once `serve` returns):
    // relay it, then end the writer after what is queued so far.
    let _ = relay.await;
    let _ = frames.send(Vec::new());
    writer.await;
    if lifecycle.shutdown.load(Ordering::SeqCst) {
        0
    } else {
        1
    }
}

/// Wraps the whole service: catches panics of any handler (answering InternalError) and
/// records the lifecycle for the exit code.
///
/// tower-lsp-server handles `exit` itself (it stops reading and `serve` returns) but does not
/// tell whether `shutdown` came first, so this layer watches for it: a `shutdown` request
/// after a successful `initialize` counts as soon as it arrives, as the library's own state
/// machine does (its response may be cancelled by an `exit` sent without waiting for it).
struct PanicGuard<S> {
    inner: S,
    lifecycle: Arc<Lifecycle>,
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "non-string panic payload".to_string()
    }
}

fn internal_error(method: &str, message: &str) -> Error {
    Error {
        code: ErrorCode::InternalError,
        message: format!("dockerfile-lsp: internal error in {method}: {message}").into(),
        data: None,
    }
}

impl<S> Service<Request> for PanicGuard<S>
where
    S: Service<Request, Response = Option<Response>, Error = ExitedError>,
    S::Future: Send + 'static,
{
    type Response = Option<Response>;
    type Error = ExitedError;
    type Future = BoxFuture<'static, Result<Option<Response>, ExitedError>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), ExitedError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let method = req.method().to_string();
        let id = req.id().cloned();
        if method == "shutdown" && self.lifecycle.initialized.load(Ordering::SeqCst) {
            self.lifecycle.shutdown.store(true, Ordering::SeqCst);
        }
        let lifecycle = self.lifecycle.clone();
        let fut = std::panic::catch_unwind(AssertUnwindSafe(|| self.inner.call(req)));
        async move {
            let result = match fut {
                Ok(fut) => AssertUnwindSafe(fut).catch_unwind().await,
                Err(payload) => Err(payload),
            };
            match result {
                Ok(response) => {
                    if method == "initialize" && matches!(&response, Ok(Some(r)) if r.is_ok()) {
                        lifecycle.initialized.store(true, Ordering::SeqCst);
                    }
                    response
                }
                Err(payload) => {
                    let message = panic_message(payload.as_ref());
                    tracing::error!("panic in {method} handler: {message}");
                    Ok(id.map(|id| Response::from_error(id, internal_error(&method, &message))))
                }
            }
        }
        .boxed()
    }
}
