// VS Code client for dockerfile-lsp.
import * as vscode from "vscode";
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  State,
  Trace,
  TransportKind,
} from "vscode-languageclient/node";
import { resolveServer, serverSettings } from "./server";

const SECTION = "dockerfile-lsp";

let client: LanguageClient | undefined;
let statusItem: vscode.StatusBarItem;
let output: vscode.LogOutputChannel;
let traceOutput: vscode.LogOutputChannel;

function currentSettings() {
  const config = vscode.workspace.getConfiguration(SECTION);
  return serverSettings(<T>(key: string, fallback: T) => config.get<T>(key, fallback));
}

function setStatus(text: string, tooltip: string, warning = false): void {
  statusItem.text = text;
  statusItem.tooltip = tooltip;
  statusItem.backgroundColor = warning
    ? new vscode.ThemeColor("statusBarItem.warningBackground")
    : undefined;
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const resolved = resolveServer(config.get<string | null>("server.path", null), context.extensionPath);
  if ("error" in resolved) {
    setStatus("$(error) Dockerfile LSP", resolved.error, true);
    output.appendLine(resolved.error);
    void vscode.window.showErrorMessage(resolved.error);
    return;
  }
  const args = ["serve", ...config.get<string[]>("server.extraArgs", [])];
  output.appendLine(`Starting ${resolved.command} ${args.join(" ")} (${resolved.source})`);

  const serverOptions: ServerOptions = {
    run: { command: resolved.command, args, transport: TransportKind.stdio },
    debug: {
      command: resolved.command,
      args,
      transport: TransportKind.stdio,
      options: { env: { ...process.env, RUST_LOG: "debug" } },
    },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "dockerfile" },
      { scheme: "untitled", language: "dockerfile" },
    ],
    initializationOptions: currentSettings(),
    // Only the server's own keys go to the server: the `dockerfile-lsp` section also holds this
    // extension's `server.*` and `trace.*`, which the server would report as unknown settings.
    // So no `synchronize.configurationSection` (it sends the raw section); answer
    // workspace/configuration here and push changes from onDidChangeConfiguration below.
    middleware: {
      workspace: {
        configuration: async (params, token, next) => {
          const answers = await next(params, token);
          if (!Array.isArray(answers)) {
            return answers;
          }
          return params.items.map((item, index) =>
            item.section === SECTION ? currentSettings() : answers[index],
          );
        },
      },
    },
    outputChannel: output,
    traceOutputChannel: traceOutput,
  };

  const created = new LanguageClient(SECTION, "Dockerfile LSP", serverOptions, clientOptions);
  client = created;
  created.onDidChangeState((event) => {
    switch (event.newState) {
      case State.Starting:
        setStatus("$(sync~spin) Dockerfile LSP", "Starting the Dockerfile language server");
        break;
      case State.Running:
        setStatus(
          "$(check) Dockerfile LSP",
          `Dockerfile language server running (${resolved.command}). Click to restart.`,
        );
        break;
      case State.Stopped:
        setStatus("$(debug-stop) Dockerfile LSP", "Dockerfile language server stopped. Click to restart.", true);
        break;
    }
  });
  try {
    await created.start();
    await created.setTrace(Trace.fromString(config.get<string>("trace.server", "off")));
  } catch (err) {
    const message = `Dockerfile LSP failed to start: ${err instanceof Error ? err.message : String(err)}`;
    output.appendLine(message);
    setStatus("$(error) Dockerfile LSP", message, true);
    void vscode.window.showErrorMessage(message);
  }
}

async function stopClient(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    try {
      await running.stop();
    } catch (err) {
      output.appendLine(`Stopping the server failed: ${String(err)}`);
    }
  }
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  await stopClient();
  await startClient(context);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("Dockerfile LSP", { log: true });
  traceOutput = vscode.window.createOutputChannel("Dockerfile LSP Trace", { log: true });
  statusItem = vscode.window.createStatusBarItem("dockerfile-lsp.status", vscode.StatusBarAlignment.Right, 100);
  statusItem.name = "Dockerfile LSP";
  statusItem.command = "dockerfile-lsp.restart";
  statusItem.show();
  context.subscriptions.push(
    output,
    traceOutput,
    statusItem,
    vscode.commands.registerCommand("dockerfile-lsp.restart", () => restart(context)),
    vscode.commands.registerCommand("dockerfile-lsp.showOutput", () => output.show(true)),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration(`${SECTION}.server`)) {
        await restart(context);
      } else if (event.affectsConfiguration(`${SECTION}.trace.server`) && client) {
        const level = vscode.workspace.getConfiguration(SECTION).get<string>("trace.server", "off");
        await client.setTrace(Trace.fromString(level));
      } else if (event.affectsConfiguration(SECTION) && client?.isRunning()) {
        await client.sendNotification(DidChangeConfigurationNotification.type, {
          settings: { [SECTION]: currentSettings() },
        });
      }
    }),
  );
  await startClient(context);
}

export function deactivate(): Promise<void> {
  return stopClient();
}
