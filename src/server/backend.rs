//! The `LanguageServer` implementation: lifecycle, document sync, settings, background lint.
//!
//! Adding a request feature (completion, definition, …) is one small method (see `hover`): register the
//! capability in [`Backend::capabilities`] and answer through [`Backend::query`], which
//! snapshots the document synchronously, runs a pure function on byte offsets off the async
//! workers, and answers `null` for an unknown document:
//!
//! ```text
//! async fn hover(&self, p: HoverParams) -> Result<Option<Hover>> {
//!     let pos = p.text_document_position_params;
//!     self.query(&pos.text_document.uri, move |snap| {
//!         let at = snap.offset(pos.position); // clamped, never out of range
//!         crate::ide::hover(&snap.model, &snap.text, at).map(|h| convert::hover(snap, h))
//!     })
//!     .await
//! }
//! ```

use super::convert;
use super::document::{Change, Document, DocumentStore};
use super::features;
use super::position::Encoding;
use super::transport::{self, Frame};
use crate::config::{settings_from_json, Settings};
use crate::context::MemoBuildContext;
use crate::syntax::{Dockerfile, TextRange};
use ropey::Rope;
use std::collections::{BTreeSet, HashMap};
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

/// How long a `workspace/configuration` request may take before we give up on it.
const CONFIGURATION_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a document must stay unchanged before the ShellCheck pass runs.
const SHELLCHECK_IDLE: Duration = Duration::from_millis(400);

/// Locks a mutex, recovering the data if a panicking thread poisoned it (a caught handler
/// panic must not take every later request down with it).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A message for the client, sent in order by the outbox task.
#[derive(Debug)]
enum Outgoing {
    Message { typ: MessageType, text: String },
}

/// How one round of a document's lint task ended.
enum LintStep {
    /// The diagnostics of the current generation are out, or are to be written by this
    /// thread (the frame, with the writer's slot for it).
    Published(Option<(transport::Slot, Frame)>),
    /// The document changed meanwhile: lint again.
    Stale,
    /// The document was closed.
    Gone,
}

/// A framed `textDocument/publishDiagnostics` notification, serialised directly (no
/// intermediate `serde_json::Value`: at 10,000 lines one is ~250 KB, sent per keystroke).
fn diagnostics_frame(params: &convert::PublishDiagnostics<'_>) -> Frame {
    transport::notification("textDocument/publishDiagnostics", params).unwrap_or_default()
}

/// A consistent view of one document for a request.
pub struct Snapshot {
    pub uri: Uri,
    pub version: i32,
    pub text: Arc<String>,
    pub rope: Rope,
    pub model: Arc<Dockerfile>,
    pub encoding: Encoding,
    pub settings: Arc<Settings>,
    /// The findings of this version when the background lint has produced them.
    pub diagnostics: Option<Arc<Vec<crate::diagnostic::Diagnostic>>>,
    /// The incremental tree-sitter tree of this version (for query-driven features).
    pub tree: Option<crate::syntax::tree::SyntaxTree>,
}

/// The build context of a `file:` document: its directory (never anything outside it).
pub fn build_context_for(uri: &str) -> Option<Arc<crate::context::FsBuildContext>> {
    let uri = Uri::from_str(uri).ok()?;
    let path = uri.to_file_path()?;
    if !path.is_absolute() {
        return None;
    }
    crate::context::FsBuildContext::discover(&path, None).map(Arc::new)
}

impl Snapshot {
    /// The build context (the document's directory) for file-aware rules and rewrites, looked
    /// up only by the features that need it (not on every request).
    pub fn build_context(&self) -> Option<Arc<crate::context::FsBuildContext>> {
        build_context_for(self.uri.as_str())
    }

    /// The findings of this version: cached, or computed now.
    pub fn core_diagnostics(&self) -> Arc<Vec<crate::diagnostic::Diagnostic>> {
        match &self.diagnostics {
            Some(d) => d.clone(),
            None => {
                let ctx = self.build_context();
                let ctx = ctx.as_deref().map(|c| c as &dyn crate::rules::BuildContext);
                Arc::new(crate::lint::lint(
                    &self.model,
                    &self.text,
                    &self.settings,
                    ctx,
                ))
            }
        }
    }

    /// Byte offset of an LSP position (clamped to the document).
    pub fn offset(&self, p: Position) -> usize {
        convert::offset(&self.rope, p, self.encoding)
    }
    /// LSP range of a byte range.
    pub fn range(&self, r: TextRange) -> Range {
        convert::range_in_text(&self.text, &self.model.lines, r, self.encoding)
    }
}

/// State shared by the handlers and the background tasks.
/// See `Shared::test_hooks`.
pub const LINT_PANIC_MARKER: &str = "# dockerfile-lsp test hook: panic in lint";

struct Shared {
    docs: Mutex<DocumentStore>,
    /// UTF-8 when negotiated at initialize.
    utf8: AtomicBool,
    settings: Mutex<Arc<Settings>>,
    /// Settings warnings already shown to the user (each is shown once per session).
    shown_warnings: Mutex<BTreeSet<String>>,
    /// Warnings found before the client may receive notifications (during initialize).
    early_warnings: Mutex<Vec<String>>,
    /// The client answers `workspace/configuration`.
    can_pull_configuration: AtomicBool,
    /// Document ids and generations.
    counter: AtomicU64,
    outbox: mpsc::UnboundedSender<Outgoing>,
    /// The writer's queue (see transport.rs): diagnostics are published through it, in order.
    frames: transport::FrameQueue,
    /// Per document: its build context with remembered file lookups, and when it was made.
    build_contexts: Mutex<HashMap<String, ContextMemo>>,
    /// Test sessions only (`ServeOptions::test_methods`): a document containing
    /// [`LINT_PANIC_MARKER`] makes its lint panic, to test that the loop survives it.
    test_hooks: bool,
}

/// The language server backend (cheap to clone: a handle on the shared state).
#[derive(Clone)]
pub struct Backend {
    client: Client,
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Backend").finish_non_exhaustive()
    }
}

/// A document's remembered build-context lookups (see [`Shared::lint_build_context`]).
struct ContextMemo {
    /// When the answers were last asked of the file system.
    made: std::time::Instant,
    memo: Arc<MemoBuildContext>,
    /// A background revalidation is running.
    refreshing: bool,
}

impl Shared {
    /// The build context for linting `key`, with remembered file lookups. Once they are a
    /// couple of seconds old a background task asks the file system again; only when an
    /// answer changed does it swap in a new memo (a new stamp: the rules reading the context
    /// re-run) and re-lint the document, so a file created meanwhile is noticed and no
    /// keystroke waits for the lookups.
    fn lint_build_context(self: &Arc<Self>, key: &str) -> Option<Arc<MemoBuildContext>> {
        const KEEP: std::time::Duration = std::time::Duration::from_secs(2);
        let now = std::time::Instant::now();
        let mut map = lock(&self.build_contexts);
        if let Some(entry) = map.get_mut(key) {
            if now.duration_since(entry.made) >= KEEP && !entry.refreshing {
                entry.refreshing = true;
                let (shared, key, memo) = (self.clone(), key.to_string(), entry.memo.clone());
                tokio::task::spawn_blocking(move || shared.refresh_build_context(&key, &memo));
            }
            return Some(entry.memo.clone());
        }
        let memo = Arc::new(MemoBuildContext::new(
            build_context_for(key).map(|c| (*c).clone())?,
        ));
        map.insert(
            key.to_string(),
            ContextMemo {
                made: now,
                memo: memo.clone(),
                refreshing: false,
            },
        );
        Some(memo)
    }

    /// See [`Self::lint_build_context`].
    fn refresh_build_context(self: &Arc<Self>, key: &str, memo: &Arc<MemoBuildContext>) {
        let fresh = memo.revalidate();
        let changed = fresh.is_some();
        {
            let mut map = lock(&self.build_contexts);
            let Some(entry) = map.get_mut(key).filter(|e| Arc::ptr_eq(&e.memo, memo)) else {
                return; // closed meanwhile
            };
            entry.made = std::time::Instant::now();
            entry.refreshing = false;
            if let Some(f) = fresh {
                entry.memo = Arc::new(f);
            }
        }
        if changed {
            tracing::debug!("build context of {key} changed: re-linting");
            let mut docs = lock(&self.docs);
            if let Some(doc) = docs.get_mut(key) {
                doc.generation = self.next();
                self.schedule_lint(key, doc);
            }
        }
    }

    fn encoding(&self) -> Encoding {
        if self.utf8.load(Ordering::SeqCst) {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        }
    }

    fn next(&self) -> u64 {
        self.counter.fetch_add(1, Ordering::SeqCst) + 1
    }

    fn send(&self, msg: Outgoing) {
        // Fails only when the outbox task is gone, i.e. the session is over.
        let _ = self.outbox.send(msg);
    }

    /// Queues a frame for the client (an empty one, from a failed serialisation, is skipped:
    /// it would end the writer). Fails only when the session is over.
    fn send_frame(&self, frame: Frame) {
        if !frame.is_empty() {
            self.frames.send(frame);
        }
    }

    /// Makes the document's current generation the one to lint, and starts its lint task
    /// unless one is running (that one re-lints until it catches up). Called with the store
    /// locked, right after the mutation.
    fn schedule_lint(self: &Arc<Self>, key: &str, doc: &mut Document) {
        if doc.lint_running {
            return;
        }
        doc.lint_running = true;
        let shared = self.clone();
        let key = key.to_string();
        let id = doc.id;
        // The re-parse, lint and publish run on the thread that handled the change, right
        // after it (a task in the worker's next-task slot that blocks in place): the runtime
        // hands its other work, reading the next message included, to another thread, and
        // the lint starts with the keystroke's data in cache and no thread to wake first.
        // `spawn_blocking` (a pool thread woken for it) where the runtime is single-threaded
        // (tests): `block_in_place` needs a multi-threaded one.
        if tokio::runtime::Handle::current().runtime_flavor()
            == tokio::runtime::RuntimeFlavor::MultiThread
        {
            tokio::spawn(async move {
                tokio::task::block_in_place(|| shared.lint_loop(&key, id));
            });
        } else {
            tokio::task::spawn_blocking(move || shared.lint_loop(&key, id));
        }
    }

    /// Lints the document until the published diagnostics match its current generation. Runs
    /// where blocking is allowed (see `schedule_lint`).
    fn lint_loop(self: &Arc<Self>, key: &str, id: u64) {
        loop {
            let (text, version, generation, base, mut wire_cache) = {
                let mut docs = lock(&self.docs);
                let Some(doc) = docs.get_mut(key).filter(|d| d.id == id) else {
                    return; // closed (or closed and re-opened: the new one has its own task)
                };
                if doc.published_generation == Some(doc.generation) {
                    doc.lint_running = false;
                    return;
                }
                (
                    doc.text().clone(),
                    doc.version,
                    doc.generation,
                    doc.take_parse_base(),
                    doc.wire_cache.take().unwrap_or_default(),
                )
            };
            let settings = lock(&self.settings).clone();
            let encoding = self.encoding();
            let Ok(uri) = Uri::from_str(key) else {
                return;
            };
            let work = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                if self.test_hooks && text.contains(LINT_PANIC_MARKER) {
                    panic!("test hook: {LINT_PANIC_MARKER}");
                }
                let t0 = std::time::Instant::now();
                let (base, edit, lint_cache) = match base {
                    Some(b) => (Some(b.model), b.edit, b.lint_cache),
                    None => (None, None, None),
                };
                let model = match (base, edit) {
                    (Some(model), None) => model,
                    (Some(model), Some(edit)) => {
                        // In place when no request holds the old model (the usual case).
                        let old = Arc::try_unwrap(model).unwrap_or_else(|m| {
                            tracing::debug!("re-parse: the old model is shared; cloning it");
                            (*m).clone()
                        });
                        let model = crate::syntax::incremental::reparse(old, &text, edit);
                        // Tests run debug builds: every incremental parse they cause is checked.
                        debug_assert!(
                            model == crate::syntax::parse(&text),
                            "incremental re-parse differs from a fresh parse after {edit:?}"
                        );
                        Arc::new(model)
                    }
                    (None, _) => Arc::new(crate::syntax::parse(&text)),
                };
                // Stored before linting, for requests waiting on this version's model (see
                // `Shared::resolve`); this task's reference is gone when it publishes, so the
                // next keystroke's re-parse can reuse the model in place.
                if let Some(doc) = lock(&self.docs).get_mut(key).filter(|d| d.id == id) {
                    doc.store_model(generation, model.clone());
                }
                let t1 = std::time::Instant::now();
                let ctx = self.lint_build_context(key);
                let bctx = ctx.as_deref().map(|c| c as &dyn crate::rules::BuildContext);
                // Without an edit since the cached lint (the build context changed), its
                // findings still apply: an empty edit at the end re-runs little.
                let previous = lint_cache.as_deref().map(|c| {
                    let end = text.len();
                    (
                        c,
                        edit.unwrap_or(crate::syntax::incremental::TextEdit::new(end, end, end)),
                    )
                });
                let (found, lint_cache) =
                    crate::lint::lint_incremental(&model, &text, &settings, bctx, previous);
                // Tests run debug builds: every incremental lint they cause is checked.
                debug_assert!(
                    previous.is_none()
                        || found
                            == crate::lint::lint(
                                &crate::syntax::parse(&text),
                                &text,
                                &settings,
                                bctx
                            ),
                    "incremental lint differs from a full lint after {edit:?}"
                );
                let t2 = std::time::Instant::now();
                let count = found.len();
                let frame = convert::PublishDiagnostics {
                    uri: &uri,
                    version: Some(version),
                    text: &text,
                    lines: &model.lines,
                    diagnostics: &found,
                    encoding,
                }
                .frame(&mut wire_cache);
                tracing::debug!(
                    "lint v{version}: parse {:?}, lint {:?}, convert and serialise {:?} ({count} diagnostics)",
                    t1 - t0,
                    t2 - t1,
                    t2.elapsed(),
                );
                // Published from this thread (no hop back to the async workers first). The
                // model goes first: the next keystroke's re-parse reuses it in place only if
                // nobody else holds it.
                drop(model);
                let mut docs = lock(&self.docs);
                let Some(doc) = docs.get_mut(key).filter(|d| d.id == id) else {
                    return LintStep::Gone;
                };
                doc.store_lint_cache(generation, Arc::new(lint_cache));
                doc.wire_cache = Some(wire_cache);
                doc.store_diagnostics(generation, Arc::new(found));
                if doc.generation != generation {
                    return LintStep::Stale;
                }
                doc.published_generation = Some(generation);
                doc.lint_running = false;
                // Its place in the output is taken under the store lock, so a didClose's
                // clearing publish cannot overtake it. Written by this thread when the
                // writer is idle (one thread wake-up less per keystroke), after the lock is
                // released: the write may wait for the client to read.
                match self.frames.reserve() {
                    Some(slot) => LintStep::Published(Some((slot, frame))),
                    None => {
                        self.send_frame(frame);
                        LintStep::Published(None)
                    }
                }
            }));
            match work {
                Ok(LintStep::Published(direct)) => {
                    if let Some((slot, frame)) = direct {
                        slot.write(&frame);
                    }
                    self.shellcheck_pass(key.to_string(), id, generation, version, uri);
                    return;
                }
                Ok(LintStep::Stale) => continue, // a newer change arrived while we linted
                Ok(LintStep::Gone) => return,
                Err(payload) => {
                    // A panic in the analysis: logged (the panic hook printed it too). A
                    // change that arrived meanwhile found this loop running and left its lint
                    // to it, so it is linted now; otherwise the next change tries again.
                    tracing::error!(
                        "lint task for {key} (version {version}) failed: {}",
                        crate::server::panic_message(payload.as_ref())
                    );
                    let mut docs = lock(&self.docs);
                    let Some(doc) = docs.get_mut(key).filter(|d| d.id == id) else {
                        return;
                    };
                    if doc.generation != generation {
                        continue;
                    }
                    doc.lint_running = false;
                    return;
                }
            }
        }
    }

    /// With `shellcheck` on PATH and enabled, runs it off the keystroke path: after the built-in
    /// diagnostics are out, lints again with ShellCheck (cached per RUN body) and republishes if
    /// the document has not changed meanwhile.
    fn shellcheck_pass(
        self: &Arc<Self>,
        key: String,
        id: u64,
        generation: u64,
        version: i32,
        uri: Uri,
    ) {
        let settings = lock(&self.settings).clone();
        if !settings.shellcheck {
            return;
        }
        let Some(runner) = crate::shellcheck::shared_runner() else {
            return;
        };
        let shared = self.clone();
        let encoding = self.encoding();
        let Some(text) = lock(&self.docs)
            .get(&key)
            .filter(|d| d.id == id && d.generation == generation)
            .map(|d| d.text().clone())
        else {
            return;
        };
        tokio::spawn(async move {
            // Only once the document has been idle for a moment: typing never waits for (or
            // pays for) ShellCheck processes.
            tokio::time::sleep(SHELLCHECK_IDLE).await;
            // The model is fetched now, not held while sleeping: the next keystroke's
            // incremental re-parse reuses it in place only when nobody else holds it.
            let model = lock(&shared.docs)
                .get(&key)
                .filter(|d| d.id == id && d.generation == generation)
                .and_then(|d| d.model());
            let Some(model) = model else {
                return;
            };
            let _ = tokio::task::spawn_blocking(move || {
                shared.shellcheck_publish(
                    key, id, generation, version, uri, model, text, settings, encoding, runner,
                )
            })
            .await;
        });
    }

    #[allow(clippy::too_many_arguments)]
    fn shellcheck_publish(
        self: &Arc<Self>,
        key: String,
        id: u64,
        generation: u64,
        version: i32,
        uri: Uri,
        model: Arc<Dockerfile>,
        text: Arc<String>,
        settings: Arc<Settings>,
        encoding: Encoding,
        runner: &'static crate::shellcheck::ProcessRunner,
    ) {
        let shared = self;
        {
            let ctx = shared.lint_build_context(&key);
            let bctx = ctx.as_deref().map(|c| c as &dyn crate::rules::BuildContext);
            let found = crate::lint::lint_with(&model, &text, &settings, bctx, Some(runner));
            if !found.iter().any(|d| d.code == "DFL330") {
                return;
            }
            let frame = diagnostics_frame(&convert::PublishDiagnostics {
                uri: &uri,
                version: Some(version),
                text: &text,
                lines: &model.lines,
                diagnostics: &found,
                encoding,
            });
            let mut docs = lock(&shared.docs);
            let Some(doc) = docs.get_mut(&key).filter(|d| d.id == id) else {
                return;
            };
            if doc.generation != generation {
                return;
            }
            doc.store_diagnostics(generation, Arc::new(found));
            shared.send_frame(frame);
        }
    }

    /// Applies a settings payload (`initializationOptions`, `didChangeConfiguration`, or a
    /// `workspace/configuration` answer) and re-lints every open document.
    fn apply_settings(self: &Arc<Self>, value: &serde_json::Value, origin: &str) {
        let Some(section) = convert::settings_section(value) else {
            return;
        };
        let (settings, warnings) = settings_from_json(section);
        *lock(&self.settings) = Arc::new(settings);
        self.warn_about_settings(warnings, origin);
        let mut docs = lock(&self.docs);
        for (key, doc) in docs.iter_mut() {
            doc.generation = self.next();
            doc.clear_lint_cache();
            self.schedule_lint(key, doc);
        }
    }

    /// Logs settings warnings to stderr and shows each new one once via window/showMessage.
    fn warn_about_settings(&self, warnings: Vec<String>, origin: &str) {
        let mut fresh = Vec::new();
        {
            let mut shown = lock(&self.shown_warnings);
            for w in warnings {
                tracing::warn!("settings ({origin}): {w}");
                if shown.insert(w.clone()) {
                    fresh.push(w);
                }
            }
        }
        if fresh.is_empty() {
            return;
        }
        let text = format!("dockerfile-lsp settings: {}", fresh.join("; "));
        self.send(Outgoing::Message {
            typ: MessageType::WARNING,
            text,
        });
    }

    /// The document as requests see it, without waiting (see [`Self::pending_snapshot`]).
    fn snapshot(&self, uri: &Uri, with_tree: bool) -> Option<Snapshot> {
        let pending = self.pending_snapshot(uri, with_tree)?;
        Some(self.resolve(pending, std::time::Duration::ZERO))
    }

    /// The document as requests see it, taken under the lock before the request's first
    /// `.await` (so it reflects every edit received before the request). `with_tree`: bring
    /// the syntax tree up to date and include it (folding and semantic tokens; everything else
    /// works on the model). The model may still be on its way: see [`Self::resolve`].
    fn pending_snapshot(&self, uri: &Uri, with_tree: bool) -> Option<PendingSnapshot> {
        let key = uri.as_str();
        let mut docs = lock(&self.docs);
        let doc = docs.get_mut(key)?;
        let tree = with_tree.then(|| doc.tree().snapshot());
        Some(PendingSnapshot {
            key: key.to_string(),
            generation: doc.generation,
            lint_running: doc.lint_running,
            model: doc.model(),
            diagnostics: doc.diagnostics(),
            snap_uri: uri.clone(),
            version: doc.version,
            text: doc.text().clone(),
            rope: doc.rope().clone(),
            tree,
        })
    }

    /// Completes a snapshot off the async workers. Right after a keystroke the lint task is
    /// re-parsing the document incrementally; waiting up to `wait` for its model is much
    /// cheaper on a long file than parsing it from scratch here (which is the fallback).
    fn resolve(&self, p: PendingSnapshot, wait: std::time::Duration) -> Snapshot {
        let mut model = p.model;
        let mut diagnostics = p.diagnostics;
        if model.is_none() && p.lint_running && !wait.is_zero() {
            let deadline = std::time::Instant::now() + wait;
            while model.is_none() && std::time::Instant::now() < deadline {
                std::thread::sleep(std::time::Duration::from_micros(200));
                let docs = lock(&self.docs);
                let Some(doc) = docs.get(&p.key).filter(|d| d.generation == p.generation) else {
                    break; // changed or closed meanwhile: this snapshot's text is parsed below
                };
                model = doc.model();
                diagnostics = doc.diagnostics();
            }
        }
        let model = match model {
            Some(m) => m,
            None => {
                let m = Arc::new(crate::syntax::parse(&p.text));
                if let Some(doc) = lock(&self.docs).get_mut(&p.key) {
                    doc.store_model(p.generation, m.clone());
                }
                m
            }
        };
        Snapshot {
            uri: p.snap_uri,
            version: p.version,
            text: p.text,
            rope: p.rope,
            model,
            encoding: self.encoding(),
            settings: lock(&self.settings).clone(),
            diagnostics,
            tree: p.tree,
        }
    }
}

/// The params of the hidden `dockerfile-lsp/_library` method.
#[derive(Debug, serde::Deserialize)]
pub(super) struct LibraryCall {
    method: String,
    params: serde_json::Value,
}

/// A request's view of a document before its model is known (see [`Shared::resolve`]).
struct PendingSnapshot {
    key: String,
    generation: u64,
    lint_running: bool,
    model: Option<Arc<Dockerfile>>,
    diagnostics: Option<Arc<Vec<crate::diagnostic::Diagnostic>>>,
    snap_uri: Uri,
    version: i32,
    text: Arc<String>,
    rope: Rope,
    tree: Option<crate::syntax::tree::SyntaxTree>,
}

/// Runs every rule once on its documentation examples, with every rule enabled, so one-time
/// initialisation inside rules (compiled regexes, tables) happens at startup, in the
/// background, instead of delaying the first document's diagnostics.
fn warm_up() {
    let start = std::time::Instant::now();
    let settings = Settings::every_rule();
    for rule in crate::rules::REGISTRY {
        for (_, example) in crate::rules::docs::examples(rule.meta()) {
            let _ = crate::lint::lint_text(&example, &settings);
        }
    }
    tracing::debug!("warm-up lint took {:?}", start.elapsed());
}

/// Drains the outbox in order. Notifications only: never waits for the client to answer.
async fn outbox_task(client: Client, mut rx: mpsc::UnboundedReceiver<Outgoing>) {
    while let Some(msg) = rx.recv().await {
        match msg {
            Outgoing::Message { typ, text } => client.show_message(typ, text).await,
        }
    }
}

/// Asks the client for our settings section; gives up after [`CONFIGURATION_TIMEOUT`]. Runs
/// in its own task: a client that never answers delays nothing else.
async fn pull_configuration(shared: Arc<Shared>, client: Client) {
    let item = ConfigurationItem {
        scope_uri: None,
        section: Some(convert::SOURCE.to_string()),
    };
    match tokio::time::timeout(CONFIGURATION_TIMEOUT, client.configuration(vec![item])).await {
        Ok(Ok(values)) => {
            let value = values.into_iter().next().unwrap_or_default();
            // null / {} mean "nothing configured there": keep initializationOptions.
            let empty = value.is_null() || value.as_object().is_some_and(|o| o.is_empty());
            if !empty {
                shared.apply_settings(&value, "workspace/configuration");
            }
        }
        Ok(Err(e)) => tracing::debug!("workspace/configuration failed: {e}"),
        Err(_) => tracing::warn!(
            "the client did not answer workspace/configuration within {}s",
            CONFIGURATION_TIMEOUT.as_secs()
        ),
    }
}

impl Backend {
    /// Called by `LspService::build`, inside the tokio runtime (spawns the outbox task).
    /// `test_hooks`: see `ServeOptions::test_methods`.
    pub fn new(client: Client, frames: transport::FrameQueue, test_hooks: bool) -> Backend {
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(outbox_task(client.clone(), rx));
        Backend {
            client,
            shared: Arc::new(Shared {
                docs: Mutex::new(DocumentStore::default()),
                utf8: AtomicBool::new(false),
                settings: Mutex::new(Arc::new(Settings::default())),
                shown_warnings: Mutex::new(BTreeSet::new()),
                early_warnings: Mutex::new(Vec::new()),
                can_pull_configuration: AtomicBool::new(false),
                counter: AtomicU64::new(0),
                outbox: tx,
                frames,
                build_contexts: Mutex::new(HashMap::new()),
                test_hooks,
            }),
        }
    }

    /// What we implement; nothing else is advertised.
    fn capabilities(encoding: Encoding) -> ServerCapabilities {
        ServerCapabilities {
            position_encoding: Some(convert::encoding_kind(encoding)),
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    ..Default::default()
                },
            )),
            completion_provider: Some(CompletionOptions {
                trigger_characters: Some(
                    ["=", "-", "$", "{", ":", ",", "/", " "]
                        .iter()
                        .map(|s| s.to_string())
                        .collect(),
                ),
                resolve_provider: Some(false),
                ..Default::default()
            }),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            definition_provider: Some(OneOf::Left(true)),
            references_provider: Some(OneOf::Left(true)),
            document_highlight_provider: Some(OneOf::Left(true)),
            rename_provider: Some(OneOf::Right(RenameOptions {
                prepare_provider: Some(true),
                work_done_progress_options: Default::default(),
            })),
            document_symbol_provider: Some(OneOf::Left(true)),
            workspace_symbol_provider: Some(OneOf::Left(true)),
            folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
            semantic_tokens_provider: Some(
                SemanticTokensServerCapabilities::SemanticTokensOptions(SemanticTokensOptions {
                    legend: features::semantic_legend(),
                    range: Some(true),
                    full: Some(SemanticTokensFullOptions::Bool(true)),
                    ..Default::default()
                }),
            ),
            document_link_provider: Some(DocumentLinkOptions {
                resolve_provider: Some(false),
                work_done_progress_options: Default::default(),
            }),
            inlay_hint_provider: Some(OneOf::Left(true)),
            signature_help_provider: Some(SignatureHelpOptions {
                trigger_characters: Some(vec![" ".to_string()]),
                retrigger_characters: Some(vec![",".to_string()]),
                work_done_progress_options: Default::default(),
            }),
            document_formatting_provider: Some(OneOf::Left(true)),
            document_range_formatting_provider: Some(OneOf::Left(true)),
            document_on_type_formatting_provider: Some(DocumentOnTypeFormattingOptions {
                first_trigger_character: "\n".to_string(),
                more_trigger_character: None,
            }),
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![
                    CodeActionKind::QUICKFIX,
                    CodeActionKind::REFACTOR_REWRITE,
                    CodeActionKind::SOURCE_FIX_ALL,
                    CodeActionKind::new(features::FIX_ALL_KIND),
                ]),
                resolve_provider: Some(false),
                ..Default::default()
            })),
            ..Default::default()
        }
    }

    /// Runs `f` on a snapshot of the document off the async workers. `Ok(None)` (JSON `null`)
    /// for a document that is not open. The snapshot is taken before the first `.await`, so the
    /// answer reflects every edit received before the request.
    pub async fn query<T, F>(&self, uri: &Uri, f: F) -> Result<Option<T>>
    where
        T: Send + 'static,
        F: FnOnce(&Snapshot) -> Option<T> + Send + 'static,
    {
        self.query_with(uri, false, f).await
    }

    /// [`Self::query`] for features that read the syntax tree.
    pub async fn query_tree<T, F>(&self, uri: &Uri, f: F) -> Result<Option<T>>
    where
        T: Send + 'static,
        F: FnOnce(&Snapshot) -> Option<T> + Send + 'static,
    {
        self.query_with(uri, true, f).await
    }

    async fn query_with<T, F>(&self, uri: &Uri, with_tree: bool, f: F) -> Result<Option<T>>
    where
        T: Send + 'static,
        F: FnOnce(&Snapshot) -> Option<T> + Send + 'static,
    {
        /// How long a request waits for the lint task's model before parsing itself.
        const MODEL_WAIT: std::time::Duration = std::time::Duration::from_millis(50);
        let Some(pending) = self.shared.pending_snapshot(uri, with_tree) else {
            tracing::debug!("request for a document that is not open: {}", uri.as_str());
            return Ok(None);
        };
        let shared = self.shared.clone();
        match tokio::task::spawn_blocking(move || f(&shared.resolve(pending, MODEL_WAIT))).await {
            Ok(v) => Ok(v),
            Err(e) => {
                tracing::error!("request on {} failed: {e}", uri.as_str());
                Err(Error::internal_error())
            }
        }
    }

    /// The documentSymbol answer to request `id` as a frame, serialised on a blocking thread
    /// straight from the model ([`features::OutlineJson`]); `None` for a document that is not
    /// open (the caller answers `null`).
    pub(super) async fn document_symbol_frame(
        &self,
        params: DocumentSymbolParams,
        id: tower_lsp_server::jsonrpc::Id,
    ) -> Result<Option<std::result::Result<super::transport::Frame, serde_json::Error>>> {
        self.query(&params.text_document.uri, move |snap| {
            Some(super::transport::response(
                &id,
                &features::OutlineJson(snap),
            ))
        })
        .await
    }

    // ---- hidden methods for the end-to-end tests (registered only with `test_methods`) ----

    pub(super) async fn test_panic(&self) -> Result<()> {
        panic!("deliberate panic (dockerfile-lsp/_panic)")
    }

    pub(super) async fn test_panic_notification(&self) {
        panic!("deliberate panic (dockerfile-lsp/_panicNotification)")
    }

    pub(super) async fn test_document_text(
        &self,
        params: TextDocumentIdentifier,
    ) -> Result<Option<String>> {
        self.query(&params.uri, |snap| Some(snap.text.to_string()))
            .await
    }

    /// A direct-path request (see direct.rs) answered through the library instead: the
    /// handler's result becomes a `serde_json::Value` that the library serialises, as before
    /// the direct path. `params`: `{"method": …, "params": …}`.
    pub(super) async fn test_library(&self, params: LibraryCall) -> Result<serde_json::Value> {
        let answer = super::direct::answer(
            self,
            &params.method,
            &tower_lsp_server::jsonrpc::Id::Null,
            Some(&params.params),
            super::direct::Encoding::Value,
            false,
        )
        .ok_or_else(|| Error::invalid_params("not a direct method, or invalid params"))?;
        match answer.await? {
            super::direct::Answer::Value(v) => Ok(v),
            super::direct::Answer::Frame(_) => Err(Error::internal_error()),
        }
    }

    pub(super) async fn test_offset_at(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<usize>> {
        let position = params.position;
        self.query(&params.text_document.uri, move |snap| {
            Some(snap.offset(position))
        })
        .await
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let encoding = convert::negotiate_encoding(&params.capabilities);
        self.shared
            .utf8
            .store(encoding == Encoding::Utf8, Ordering::SeqCst);
        let can_pull = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.configuration)
            .unwrap_or(false);
        self.shared
            .can_pull_configuration
            .store(can_pull, Ordering::SeqCst);
        if let Some(options) = params.initialization_options.as_ref() {
            if let Some(section) = convert::settings_section(options) {
                let (settings, warnings) = settings_from_json(section);
                *lock(&self.shared.settings) = Arc::new(settings);
                // Notifications are dropped until initialize has been answered: keep them
                // for `initialized`.
                lock(&self.shared.early_warnings).extend(warnings);
            }
        }
        tokio::task::spawn_blocking(warm_up);
        Ok(InitializeResult {
            capabilities: Self::capabilities(encoding),
            server_info: Some(ServerInfo {
                name: "dockerfile-lsp".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let warnings = std::mem::take(&mut *lock(&self.shared.early_warnings));
        self.shared
            .warn_about_settings(warnings, "initializationOptions");
        if self.shared.can_pull_configuration.load(Ordering::SeqCst) {
            tokio::spawn(pull_configuration(self.shared.clone(), self.client.clone()));
        }
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let pos = params.text_document_position;
        self.query(&pos.text_document.uri, move |snap| {
            features::completion(snap, snap.offset(pos.position))
        })
        .await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let pos = params.text_document_position_params;
        self.query(&pos.text_document.uri, move |snap| {
            features::hover(snap, snap.offset(pos.position))
        })
        .await
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let pos = params.text_document_position_params;
        self.query(&pos.text_document.uri, move |snap| {
            features::definition(snap, snap.offset(pos.position))
        })
        .await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let pos = params.text_document_position;
        let decl = params.context.include_declaration;
        self.query(&pos.text_document.uri, move |snap| {
            features::references(snap, snap.offset(pos.position), decl)
        })
        .await
    }

    async fn document_highlight(
        &self,
        params: DocumentHighlightParams,
    ) -> Result<Option<Vec<DocumentHighlight>>> {
        let pos = params.text_document_position_params;
        self.query(&pos.text_document.uri, move |snap| {
            features::highlight(snap, snap.offset(pos.position))
        })
        .await
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        let pos = params.position;
        self.query(&params.text_document.uri, move |snap| {
            features::prepare_rename(snap, snap.offset(pos))
        })
        .await
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let pos = params.text_document_position;
        let new_name = params.new_name;
        let result = self
            .query(&pos.text_document.uri, move |snap| {
                Some(features::rename(snap, snap.offset(pos.position), &new_name))
            })
            .await?;
        match result {
            Some(Ok(edit)) => Ok(Some(edit)),
            Some(Err(message)) => Err(Error::invalid_params(message)),
            None => Ok(None),
        }
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        self.query(&params.text_document.uri, features::document_symbols)
            .await
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        let uris: Vec<Uri> = {
            let docs = lock(&self.shared.docs);
            docs.keys().filter_map(|k| Uri::from_str(k).ok()).collect()
        };
        let snaps: Vec<Snapshot> = uris
            .iter()
            .filter_map(|u| self.shared.snapshot(u, false))
            .collect();
        let query = params.query;
        match tokio::task::spawn_blocking(move || features::workspace_symbols(&snaps, &query)).await
        {
            Ok(v) => Ok(Some(v)),
            Err(_) => Err(Error::internal_error()),
        }
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        self.query_tree(&params.text_document.uri, features::folding)
            .await
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        self.query_tree(&params.text_document.uri, |snap| {
            features::semantic_tokens(snap, None).map(SemanticTokensResult::Tokens)
        })
        .await
    }

    async fn semantic_tokens_range(
        &self,
        params: SemanticTokensRangeParams,
    ) -> Result<Option<SemanticTokensRangeResult>> {
        let range = params.range;
        self.query_tree(&params.text_document.uri, move |snap| {
            let r = convert::text_range(&snap.rope, range, snap.encoding);
            features::semantic_tokens(snap, Some(r)).map(SemanticTokensRangeResult::Tokens)
        })
        .await
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        self.query(&params.text_document.uri, features::links).await
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let range = params.range;
        self.query(&params.text_document.uri, move |snap| {
            let r = convert::text_range(&snap.rope, range, snap.encoding);
            features::inlay_hints(snap, r)
        })
        .await
    }

    async fn signature_help(&self, params: SignatureHelpParams) -> Result<Option<SignatureHelp>> {
        let pos = params.text_document_position_params;
        self.query(&pos.text_document.uri, move |snap| {
            features::signature_help(snap, snap.offset(pos.position))
        })
        .await
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        let options = params.options;
        self.query(&params.text_document.uri, move |snap| {
            features::format(snap, None, &options)
        })
        .await
    }

    async fn range_formatting(
        &self,
        params: DocumentRangeFormattingParams,
    ) -> Result<Option<Vec<TextEdit>>> {
        let options = params.options;
        let range = params.range;
        self.query(&params.text_document.uri, move |snap| {
            let r = convert::text_range(&snap.rope, range, snap.encoding);
            features::format(snap, Some(r), &options)
        })
        .await
    }

    async fn on_type_formatting(
        &self,
        params: DocumentOnTypeFormattingParams,
    ) -> Result<Option<Vec<TextEdit>>> {
        let pos = params.text_document_position;
        let options = params.options;
        self.query(&pos.text_document.uri, move |snap| {
            features::format_on_type(snap, snap.offset(pos.position), &options)
        })
        .await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let range = params.range;
        let only = params.context.only;
        self.query(&params.text_document.uri, move |snap| {
            let r = convert::text_range(&snap.rope, range, snap.encoding);
            features::code_actions(snap, r, only)
        })
        .await
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let td = params.text_document;
        let key = td.uri.as_str().to_string();
        let shared = &self.shared;
        let mut docs = lock(&shared.docs);
        let id = shared.next();
        let mut doc = Document::new(id, &td.text, td.version, shared.next());
        shared.schedule_lint(&key, &mut doc);
        docs.insert(key, doc);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let key = params.text_document.uri.as_str();
        let changes: Vec<Change> = params
            .content_changes
            .into_iter()
            .map(|c| Change {
                range: c
                    .range
                    .map(|r| (convert::line_col(r.start), convert::line_col(r.end))),
                text: c.text,
            })
            .collect();
        let shared = &self.shared;
        let encoding = shared.encoding();
        let mut docs = lock(&shared.docs);
        let generation = shared.next();
        let Some(doc) = docs.get_mut(key) else {
            tracing::warn!("didChange for a document that is not open: {key}");
            return;
        };
        let start = std::time::Instant::now();
        doc.apply_changes(&changes, params.text_document.version, encoding, generation);
        tracing::debug!(
            "didChange v{}: {} change(s) applied in {:?}",
            doc.version,
            changes.len(),
            start.elapsed()
        );
        shared.schedule_lint(key, doc);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let mut docs = lock(&self.shared.docs);
        if docs.remove(uri.as_str()).is_none() {
            tracing::warn!("didClose for a document that is not open: {}", uri.as_str());
        }
        lock(&self.shared.build_contexts).remove(uri.as_str());
        // Under the lock: ordered after any publish of the closed document.
        let cleared = PublishDiagnosticsParams {
            uri,
            diagnostics: Vec::new(),
            version: None,
        };
        self.shared.send_frame(
            transport::notification("textDocument/publishDiagnostics", &cleared)
                .unwrap_or_default(),
        );
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        if params.settings.is_null() {
            // The "pull" convention: the client tells us to ask.
            if self.shared.can_pull_configuration.load(Ordering::SeqCst) {
                tokio::spawn(pull_configuration(self.shared.clone(), self.client.clone()));
            }
            return;
        }
        self.shared
            .apply_settings(&params.settings, "workspace/didChangeConfiguration");
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn warm_up_lints_every_example_without_panicking() {
        super::warm_up();
    }
}
