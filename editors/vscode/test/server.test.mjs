// Drives the real dockerfile-lsp binary over stdio the way VS Code's client does: VS Code's
// client capabilities (UTF-16 positions only), workspace/configuration answers and the
// didChangeConfiguration that vscode-languageclient sends for `synchronize.configurationSection`.
//
// Server: $DOCKERFILE_LSP, else <repo>/target/{release,debug}/dockerfile-lsp, else the bundled
// server/dockerfile-lsp, else `dockerfile-lsp` on PATH.
// Completion after `COPY --from=`, hover on a FROM image and a quick fix for DFL001 are asserted
// only with EDITOR_TESTS_FULL=1 (otherwise the requests must merely succeed).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from "vscode-jsonrpc/node";
import {
  CodeActionRequest,
  CompletionRequest,
  ConfigurationRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  UnregistrationRequest,
  WorkDoneProgressCreateRequest,
} from "vscode-languageserver-protocol";
import { vscodeCapabilities } from "./vscode-capabilities.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const extensionRoot = path.resolve(here, "..");
const repoRoot = path.resolve(extensionRoot, "..", "..");
const FULL = process.env.EDITOR_TESTS_FULL === "1";
const TIMEOUT_MS = 10_000;

function findServer() {
  const exe = process.platform === "win32" ? "dockerfile-lsp.exe" : "dockerfile-lsp";
  const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(repoRoot, "target");
  const candidates = [
    process.env.DOCKERFILE_LSP && path.resolve(process.env.DOCKERFILE_LSP),
    path.join(targetDir, "release", exe),
    path.join(targetDir, "debug", exe),
    path.join(extensionRoot, "server", exe),
  ].filter(Boolean);
  for (const candidate of candidates) {
    if (fs.existsSync(candidate)) {
      return candidate;
    }
  }
  return exe; // PATH
}

// What a user would put in settings.json. The extension sends only these keys (not its own
// `server.*`/`trace.*`): as initializationOptions, in workspace/didChangeConfiguration under the
// `dockerfile-lsp` key, and as the answer to workspace/configuration for that section.
const userSettings = {
  rules: { DL3008: "off", "runs-as-root": "error", DFL202: { level: "info", options: {} } },
  ignore: ["DL3059"],
  trustedRegistries: [],
  failureThreshold: "warning",
  shellcheck: true,
};
const sectionAsVsCodeSendsIt = userSettings;

const workspaceDir = path.join(here, "fixtures");
const workspaceUri = pathToFileURL(workspaceDir).href;

const SOURCE = [
  "FROM golang:1.22 AS builder", // 0
  "WORKDIR /src", // 1
  'RUNN go build -o /out/app . # 𐐀 é', // 2  (unknown instruction → DFL001)
  "", // 3
  "FROM alpine:3.20", // 4
  "COPY --from=builder /out/app /usr/local/bin/app", // 5
  "COPY --from=", // 6  (completion after `=`)
  "", // 7
].join("\n");

/** Length of a line in UTF-16 code units (what VS Code's `character` counts). */
function utf16Length(text, line) {
  return (text.split(/\r\n|\r|\n/)[line] ?? "").length;
}

let server;
let connection;
let stderr = "";
let initializeResult;
const configurationRequests = [];
const registrations = [];
const diagnosticsByUri = new Map();
const diagnosticWaiters = [];
const protocolErrors = [];
const shownMessages = [];

function onDiagnostics(params) {
  diagnosticsByUri.set(params.uri, params);
  for (const waiter of [...diagnosticWaiters]) {
    if (waiter.uri === params.uri && waiter.predicate(params)) {
      diagnosticWaiters.splice(diagnosticWaiters.indexOf(waiter), 1);
      waiter.resolve(params);
    }
  }
}

/** Waits for a publishDiagnostics for `uri` satisfying `predicate` (or pulls, if the server only pulls). */
async function diagnosticsFor(uri, predicate = () => true) {
  const current = diagnosticsByUri.get(uri);
  if (current && predicate(current)) {
    return current;
  }
  const pushed = new Promise((resolve) => diagnosticWaiters.push({ uri, predicate, resolve }));
  const timeout = new Promise((_, reject) =>
    setTimeout(() => reject(new Error(`no matching publishDiagnostics for ${uri} within ${TIMEOUT_MS} ms\nstderr:\n${stderr}`)), TIMEOUT_MS).unref(),
  );
  if (initializeResult?.capabilities?.diagnosticProvider && !initializeResult?.capabilities?.textDocumentSync) {
    const report = await connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
    return { uri, diagnostics: report.items ?? [] };
  }
  return Promise.race([pushed, timeout]);
}

function request(type, params) {
  return Promise.race([
    connection.sendRequest(type, params),
    new Promise((_, reject) =>
      setTimeout(() => reject(new Error(`${type.method} got no answer within ${TIMEOUT_MS} ms\nstderr:\n${stderr}`)), TIMEOUT_MS).unref(),
    ),
  ]);
}

const docUri = `${workspaceUri}/Dockerfile`;

before(async () => {
  const command = findServer();
  server = spawn(command, ["serve"], { stdio: ["pipe", "pipe", "pipe"], cwd: workspaceDir });
  server.stderr.on("data", (chunk) => {
    stderr += chunk.toString();
  });
  server.on("error", (err) => protocolErrors.push(err));
  connection = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
  connection.onError(([err]) => protocolErrors.push(err));
  connection.onNotification(PublishDiagnosticsNotification.type, onDiagnostics);
  connection.onRequest(ConfigurationRequest.type, (params) => {
    configurationRequests.push(params);
    return params.items.map((item) => {
      if (!item.section) {
        return { "dockerfile-lsp": sectionAsVsCodeSendsIt };
      }
      if (item.section === "dockerfile-lsp") {
        return sectionAsVsCodeSendsIt;
      }
      if (item.section.startsWith("dockerfile-lsp.")) {
        return item.section
          .slice("dockerfile-lsp.".length)
          .split(".")
          .reduce((obj, key) => (obj == null ? null : (obj[key] ?? null)), sectionAsVsCodeSendsIt);
      }
      return null;
    });
  });
  connection.onRequest(RegistrationRequest.type, (params) => {
    registrations.push(...params.registrations);
    return null;
  });
  connection.onRequest(UnregistrationRequest.type, () => null);
  connection.onRequest(WorkDoneProgressCreateRequest.type, () => null);
  connection.onRequest("workspace/diagnostic/refresh", () => null);
  connection.onRequest("workspace/semanticTokens/refresh", () => null);
  connection.onRequest("workspace/inlayHint/refresh", () => null);
  connection.onNotification("window/logMessage", () => {});
  connection.onNotification("window/showMessage", (params) => shownMessages.push(params));
  connection.onRequest("window/showMessageRequest", (params) => {
    shownMessages.push(params);
    return null;
  });
  connection.onNotification("$/progress", () => {});
  connection.listen();

  initializeResult = await request(InitializeRequest.type, {
    processId: process.pid,
    clientInfo: { name: "Visual Studio Code", version: "1.100.0" },
    locale: "en",
    rootPath: workspaceDir,
    rootUri: workspaceUri,
    capabilities: vscodeCapabilities,
    initializationOptions: userSettings,
    trace: "off",
    workspaceFolders: [{ uri: workspaceUri, name: "fixtures" }],
  });
  await connection.sendNotification(InitializedNotification.type, {});
  // The extension pushes its settings whenever the `dockerfile-lsp` section changes; do it once.
  await connection.sendNotification(DidChangeConfigurationNotification.type, {
    settings: { "dockerfile-lsp": sectionAsVsCodeSendsIt },
  });
  await connection.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri: docUri, languageId: "dockerfile", version: 1, text: SOURCE },
  });
});

after(async () => {
  if (server && server.exitCode === null) {
    server.kill();
  }
  connection?.dispose();
});

test("initialize negotiates UTF-16, the only encoding VS Code offers", () => {
  assert.ok(initializeResult?.capabilities, "initialize returned capabilities");
  const encoding = initializeResult.capabilities.positionEncoding;
  assert.ok(encoding === undefined || encoding === "utf-16", `positionEncoding must be utf-16, got ${encoding}`);
  const sync = initializeResult.capabilities.textDocumentSync;
  assert.ok(sync !== undefined && sync !== 0, "server syncs documents");
});

test("didOpen publishes our DFL001 for RUNN with UTF-16 ranges", async () => {
  const published = await diagnosticsFor(docUri, (p) => p.diagnostics.length > 0);
  const ours = published.diagnostics.filter((d) => d.source === "dockerfile-lsp");
  assert.equal(ours.length, published.diagnostics.length, "every diagnostic has source dockerfile-lsp");
  const dfl001 = ours.find((d) => d.code === "DFL001");
  assert.ok(dfl001, `DFL001 expected, got ${JSON.stringify(published.diagnostics)}`);
  assert.equal(dfl001.range.start.line, 2);
  assert.ok(dfl001.message.length > 0);
  for (const d of published.diagnostics) {
    for (const pos of [d.range.start, d.range.end]) {
      assert.ok(
        pos.character <= utf16Length(SOURCE, pos.line),
        `${d.code} position ${JSON.stringify(pos)} is past the end of its line in UTF-16 units (byte offsets leaked?)`,
      );
    }
  }
  if (published.version !== undefined && published.version !== null) {
    assert.equal(published.version, 1);
  }
});

/**
 * VS Code sends a request only when the server advertised the capability. Without it the test
 * is skipped, unless EDITOR_TESTS_FULL=1 demands the feature.
 */
function requireCapability(t, name) {
  const advertised = Boolean(initializeResult?.capabilities?.[name]);
  if (!advertised) {
    assert.ok(!FULL, `EDITOR_TESTS_FULL=1 needs the server to advertise ${name}`);
    t.skip(`server does not advertise ${name}; VS Code would not ask`);
  }
  return advertised;
}

test("textDocument/codeAction on the DFL001 diagnostic", async (t) => {
  if (!requireCapability(t, "codeActionProvider")) {
    return;
  }
  const published = await diagnosticsFor(docUri, (p) => p.diagnostics.some((d) => d.code === "DFL001"));
  const dfl001 = published.diagnostics.find((d) => d.code === "DFL001");
  const actions = await request(CodeActionRequest.type, {
    textDocument: { uri: docUri },
    range: dfl001.range,
    context: { diagnostics: [dfl001], triggerKind: 1 },
  });
  assert.ok(actions === null || Array.isArray(actions), "codeAction answers an array or null");
  for (const action of actions ?? []) {
    assert.equal(typeof action.title, "string");
  }
  if (FULL) {
    const fix = (actions ?? []).find((a) => a.kind === "quickfix" && (a.edit || a.data !== undefined || a.command));
    assert.ok(fix, `a quick fix for DFL001 expected, got ${JSON.stringify(actions)}`);
  }
});

test("completion after COPY --from= offers the stage name", async (t) => {
  if (!requireCapability(t, "completionProvider")) {
    return;
  }
  const list = await request(CompletionRequest.type, {
    textDocument: { uri: docUri },
    position: { line: 6, character: "COPY --from=".length },
    context: { triggerKind: 1 },
  });
  const items = list === null ? [] : Array.isArray(list) ? list : list.items;
  assert.ok(Array.isArray(items), "completion answers items");
  if (FULL) {
    assert.ok(
      items.some((i) => i.label === "builder" || i.insertText === "builder" || i.textEdit?.newText === "builder"),
      `stage "builder" expected among ${JSON.stringify(items.map((i) => i.label))}`,
    );
  }
});

test("hover on a FROM image", async (t) => {
  if (!requireCapability(t, "hoverProvider")) {
    return;
  }
  const hover = await request(HoverRequest.type, {
    textDocument: { uri: docUri },
    position: { line: 4, character: "FROM al".length },
  });
  assert.ok(hover === null || typeof hover === "object");
  if (FULL) {
    assert.ok(hover, "hover on alpine:3.20 expected");
    const contents = hover.contents;
    const text =
      typeof contents === "string"
        ? contents
        : Array.isArray(contents)
          ? contents.map((c) => (typeof c === "string" ? c : c.value)).join("\n")
          : contents.value;
    assert.match(text, /alpine/i);
  }
});

test("incremental didChange (RUNN → RUN) clears DFL001", async () => {
  const sync = initializeResult.capabilities.textDocumentSync;
  const kind = typeof sync === "number" ? sync : sync?.change;
  const fixed = SOURCE.replace("RUNN go", "RUN go");
  const change =
    kind === 2
      ? { range: { start: { line: 2, character: 0 }, end: { line: 2, character: 4 } }, rangeLength: 4, text: "RUN" }
      : { text: fixed };
  await connection.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri: docUri, version: 2 },
    contentChanges: [change],
  });
  const published = await diagnosticsFor(docUri, (p) => !p.diagnostics.some((d) => d.code === "DFL001"));
  if (published.version !== undefined && published.version !== null) {
    assert.equal(published.version, 2);
  }
});

test("an untitled document with Windows line endings and non-BMP text gets diagnostics", async () => {
  const uri = "untitled:Untitled-1";
  const text = 'FROM alpine\r\nLABEL x="𐐀𐐀𐐀"\r\nRUNN echo "é"\r\n';
  await connection.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId: "dockerfile", version: 1, text },
  });
  const published = await diagnosticsFor(uri, (p) => p.diagnostics.some((d) => d.code === "DFL001"));
  const dfl001 = published.diagnostics.find((d) => d.code === "DFL001");
  assert.equal(dfl001.range.start.line, 2);
  assert.ok(dfl001.range.end.character <= utf16Length(text, dfl001.range.end.line) || dfl001.range.end.line > 2);
  await connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
});

test("the settings VS Code sends raise no settings warning", () => {
  const complaints = shownMessages.filter((m) => /unknown setting|must be/i.test(m.message));
  assert.deepEqual(complaints, []);
});

test("stdout carried nothing but protocol messages", () => {
  assert.deepEqual(protocolErrors.map(String), []);
});

test("shutdown and exit end the process with status 0", async () => {
  await request(ShutdownRequest.type, undefined);
  const exited = new Promise((resolve) => server.once("exit", (code) => resolve(code)));
  await connection.sendNotification(ExitNotification.type);
  const code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve("timeout"), 5000).unref())]);
  assert.equal(code, 0, `exit status after shutdown/exit: ${code}`);
});
