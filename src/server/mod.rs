//! The language server: the only module that knows LSP types.
//!
//! * [`position`]: LSP position <-> byte offset over a rope (UTF-8 / UTF-16, clamping).
//! * [`document`]: open documents (rope, flat text, incremental tree-sitter tree, version).
//! * [`convert`]: core data (byte ranges, diagnostics) <-> `ls_types`.
//! * [`backend`]: the `LanguageServer` handlers, background linting and settings.
//! * [`transport`]: a tolerant framing layer in front of the library's reader.
//! * [`direct`]: large results serialised straight to a frame, without the library's
//!   `serde_json::Value` tree.
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
mod direct;
pub mod document;
mod features;
pub mod position;
mod transport;

use futures::future::AbortHandle;
use futures::future::{BoxFuture, FutureExt};
use serde::Deserialize;
use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite};
use tower::Service;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Id, Request, Response};
use tower_lsp_server::{ExitedError, LspService, Server};

pub use backend::{Backend, LINT_PANIC_MARKER};

/// Options of [`serve`].
#[derive(Clone, Copy, Debug, Default)]
pub struct ServeOptions {
    /// Registers hidden methods for the end-to-end tests (`dockerfile-lsp/_panic`,
    /// `dockerfile-lsp/_panicNotification`, `dockerfile-lsp/_documentText`,
    /// `dockerfile-lsp/_offsetAt`, `dockerfile-lsp/_library` — a direct-path request answered
    /// through the library's `Value` tree instead — and `dockerfile-lsp/_directSlow`, a slow
    /// direct-path request), and makes a document containing [`LINT_PANIC_MARKER`] panic in
    /// its lint. Never set by the binary.
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
    tune_malloc();
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
    let code = runtime.block_on(async {
        let session = tokio::spawn(serve_on(
            stdin_reader(),
            Output::<tokio::io::Stdout>::Stdout,
            ServeOptions::default(),
        ));
        session.await.unwrap_or(1)
    });
    // tokio's stdin reader may sit in a blocking read forever (clients need not close our
    // stdin after `exit`): do not wait for it.
    runtime.shutdown_background();
    ExitCode::from(code)
}

/// The process's stdin for the runtime. A pipe (what most clients give us) or a Unix socket
/// (libuv's child-process stdio: VS Code through Node, Neovim) is made non-blocking and read
/// by the runtime's own event loop: the thread that wakes up for a message handles it.
/// Anything else (a terminal, a file), or a socket that is also our stdout (making it
/// non-blocking would break the blocking writes), goes through tokio's `Stdin`: a blocking
/// read on a pool thread, which then wakes the runtime, one thread hop more per message.
fn stdin_reader() -> Box<dyn AsyncRead + Unpin + Send> {
    #[cfg(unix)]
    match evented_stdin() {
        Ok(input) => return input,
        Err(e) => tracing::debug!("stdin read on a blocking thread: {e}"),
    }
    Box::new(tokio::io::stdin())
}

#[cfg(unix)]
fn evented_stdin() -> std::io::Result<Box<dyn AsyncRead + Unpin + Send>> {
    use std::os::fd::AsFd;
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    let fd = std::io::stdin().as_fd().try_clone_to_owned()?;
    let file = std::fs::File::from(fd);
    let meta = file.metadata()?;
    if meta.file_type().is_fifo() {
        return Ok(Box::new(tokio::net::unix::pipe::Receiver::from_file(file)?));
    }
    if !meta.file_type().is_socket() {
        return Err(std::io::Error::other("not a pipe or a socket"));
    }
    let out = std::fs::File::from(std::io::stdout().as_fd().try_clone_to_owned()?).metadata()?;
    if (out.dev(), out.ino()) == (meta.dev(), meta.ino()) {
        return Err(std::io::Error::other("the socket is stdout too"));
    }
    let socket = std::os::unix::net::UnixStream::from(std::os::fd::OwnedFd::from(file));
    socket.local_addr()?; // a Unix socket, not TCP
    socket.set_nonblocking(true)?;
    Ok(Box::new(tokio::net::UnixStream::from_std(socket)?))
}

/// The process's stdout, unbuffered: each frame is one `write_all` (std's `Stdout` is line
/// buffered, which splits a frame after its header). Falls back to `Stdout` when the
/// descriptor cannot be duplicated.
fn stdout_writer() -> Box<dyn std::io::Write + Send> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        if let Ok(fd) = std::io::stdout().as_fd().try_clone_to_owned() {
            return Box::new(std::fs::File::from(fd));
        }
    }
    Box::new(std::io::stdout())
}

/// glibc malloc tunables (see ARCHITECTURE.md, "Dependencies and why"). Called before any
/// thread exists.
///
/// * One arena for the whole process instead of up to eight per core. glibc gives each
///   thread that meets contention its own arena and keeps the freed memory of every arena
///   for reuse. The server allocates on a few tokio workers and on blocking-pool threads
///   (lint, requests), so each ended up holding its own high-water mark: over 200 edits of a
///   10,000-line file RSS grew 23.4 -> 27.2 MB with the default and 22.9 -> 23.8 MB with one
///   arena, with no measurable change in edit latency (per-thread caches still serve the
///   small allocations without the arena lock).
/// * A fixed mmap threshold (128 KiB, glibc's initial value). By default glibc raises it to
///   the size of the largest mmapped block freed so far, so after the first large response
///   every later one (the 1 MB outline, a 250 KB publishDiagnostics per keystroke, the text
///   of each version) came from the heap and left its pages there: a 10,000-line session's
///   peak 22.5 -> 22.0 MB, RSS after documentSymbol 22.5 -> 20.9 MB.
fn tune_malloc() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` only sets malloc tunables; nothing else runs yet.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
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
    let frames = match &output {
        Output::Async(_) => transport::FrameQueue::for_async(),
        Output::Stdout => transport::FrameQueue::for_blocking(stdout_writer()),
    };
    let backend_frames = frames.clone();
    let test_hooks = options.test_methods;
    let mut builder =
        LspService::build(move |client| Backend::new(client, backend_frames, test_hooks));
    if options.test_methods {
        builder = builder
            .custom_method("dockerfile-lsp/_panic", Backend::test_panic)
            .custom_method(
                "dockerfile-lsp/_panicNotification",
                Backend::test_panic_notification,
            )
            .custom_method("dockerfile-lsp/_documentText", Backend::test_document_text)
            .custom_method("dockerfile-lsp/_offsetAt", Backend::test_offset_at)
            .custom_method("dockerfile-lsp/_library", Backend::test_library);
    }
    let (service, socket) = builder.finish();
    let service = PanicGuard {
        inner: service,
        lifecycle: lifecycle.clone(),
        frames: frames.clone(),
        direct: Arc::new(Mutex::new(HashMap::new())),
        test_methods: options.test_methods,
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
            let task = tokio::spawn(transport::write_frames(frames.clone(), output));
            async move {
                let _ = task.await;
            }
            .boxed()
        }
        Output::Stdout => {
            let (done, finished) = tokio::sync::oneshot::channel::<()>();
            let queued = frames.clone();
            let spawned = std::thread::Builder::new()
                .name("stdout-writer".into())
                .spawn(move || {
                    transport::write_frames_blocking(queued);
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
    frames.close();
    writer.await;
    if lifecycle.shutdown.load(Ordering::SeqCst) {
        0
    } else {
        1
    }
}

/// Wraps the whole service: catches panics of any handler (answering InternalError),
/// records the lifecycle for the exit code, and answers the large-result requests itself
/// (see direct.rs).
///
/// tower-lsp-server handles `exit` itself (it stops reading and `serve` returns) but does not
/// tell whether `shutdown` came first, so this layer watches for it: a `shutdown` request
/// after a successful `initialize` counts as soon as it arrives, as the library's own state
/// machine does (its response may be cancelled by an `exit` sent without waiting for it).
///
/// Direct answers bypass the library's bookkeeping of pending requests, so this layer keeps
/// its own: `$/cancelRequest` aborts a direct request in flight (answered RequestCancelled,
/// as the library would), a second request with the id of one in flight is an invalid
/// request, and `exit` drops them all. The `initialize` response is queued by this layer too,
/// before direct answers are enabled, so no direct answer can overtake it on the way out.
struct PanicGuard {
    inner: LspService<Backend>,
    lifecycle: Arc<Lifecycle>,
    /// The writer's queue, for direct answers.
    frames: transport::FrameQueue,
    /// Direct requests in flight.
    direct: Arc<Mutex<HashMap<Id, AbortHandle>>>,
    test_methods: bool,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
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

/// The params of `$/cancelRequest`.
#[derive(Deserialize)]
struct CancelParams {
    id: Id,
}

impl PanicGuard {
    /// Runs a direct answer: registered for cancellation; its frame goes to the writer, an
    /// error, a cancellation or a panic is answered through the library.
    fn call_direct(
        &self,
        method: String,
        id: Id,
        answer: BoxFuture<'static, Result<direct::Answer, Error>>,
    ) -> BoxFuture<'static, Result<Option<Response>, ExitedError>> {
        let (answer, abort) = futures::future::abortable(answer);
        {
            let mut pending = lock(&self.direct);
            if pending.contains_key(&id) {
                return futures::future::ready(Ok(Some(Response::from_error(
                    id,
                    Error::invalid_request(),
                ))))
                .boxed();
            }
            pending.insert(id.clone(), abort);
        }
        let pending = self.direct.clone();
        let frames = self.frames.clone();
        async move {
            let result = AssertUnwindSafe(answer).catch_unwind().await;
            lock(&pending).remove(&id);
            let error = match result {
                Ok(Ok(Ok(direct::Answer::Frame(frame)))) => {
                    let _ = frames.send(frame);
                    return Ok(None);
                }
                Ok(Ok(Ok(direct::Answer::Value(value)))) => {
                    return Ok(Some(Response::from_ok(id, value)));
                }
                Ok(Ok(Err(error))) => error,
                Ok(Err(futures::future::Aborted)) => Error::request_cancelled(),
                Err(payload) => {
                    let message = panic_message(payload.as_ref());
                    tracing::error!("panic in {method} handler: {message}");
                    internal_error(&method, &message)
                }
            };
            Ok(Some(Response::from_error(id, error)))
        }
        .boxed()
    }
}

impl Service<Request> for PanicGuard {
    type Response = Option<Response>;
    type Error = ExitedError;
    type Future = BoxFuture<'static, Result<Option<Response>, ExitedError>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), ExitedError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let method = req.method().to_string();
        let id = req.id().cloned();
        let initialized = self.lifecycle.initialized.load(Ordering::SeqCst);
        if method == "shutdown" && initialized {
            self.lifecycle.shutdown.store(true, Ordering::SeqCst);
        }
        let serving = initialized && !self.lifecycle.shutdown.load(Ordering::SeqCst);
        match (method.as_str(), &id) {
            ("$/cancelRequest", None) => {
                let cancel = req.params().and_then(|p| CancelParams::deserialize(p).ok());
                if let Some(handle) = cancel.and_then(|c| lock(&self.direct).remove(&c.id)) {
                    handle.abort();
                }
            }
            ("exit", None) => {
                for (_, handle) in lock(&self.direct).drain() {
                    handle.abort();
                }
            }
            (_, Some(id)) if serving => {
                let answer = direct::answer(
                    self.inner.inner(),
                    &method,
                    id,
                    req.params(),
                    direct::Encoding::Frame,
                    self.test_methods,
                );
                if let Some(answer) = answer {
                    return self.call_direct(method, id.clone(), answer);
                }
            }
            _ => {}
        }
        let lifecycle = self.lifecycle.clone();
        let frames = self.frames.clone();
        let fut = std::panic::catch_unwind(AssertUnwindSafe(|| self.inner.call(req)));
        async move {
            let result = match fut {
                Ok(fut) => AssertUnwindSafe(fut).catch_unwind().await,
                Err(payload) => Err(payload),
            };
            match result {
                Ok(Ok(Some(response))) if method == "initialize" && response.is_ok() => {
                    // Queued here, before direct answers are enabled: none can overtake it.
                    match transport::framed(&response) {
                        Ok(frame) => {
                            let _ = frames.send(frame);
                            lifecycle.initialized.store(true, Ordering::SeqCst);
                            Ok(None)
                        }
                        Err(e) => {
                            tracing::error!("cannot serialise the initialize response: {e}");
                            lifecycle.initialized.store(true, Ordering::SeqCst);
                            Ok(Some(response))
                        }
                    }
                }
                Ok(response) => response,
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
