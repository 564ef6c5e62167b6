// Finding the server binary. Kept free of `vscode` imports so the Node test can use it too.
import * as fs from "node:fs";
import * as path from "node:path";

/** The file name of the server binary on this platform. */
export function binaryName(platform: NodeJS.Platform = process.platform): string {
  return platform === "win32" ? "dockerfile-lsp.exe" : "dockerfile-lsp";
}

function isExecutable(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    if (process.platform !== "win32") {
      fs.accessSync(file, fs.constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}

/** Looks `name` up on a PATH-style string. */
export function which(name: string, pathEnv: string | undefined = process.env.PATH): string | undefined {
  if (!pathEnv) {
    return undefined;
  }
  const exts =
    process.platform === "win32" ? ["", ...(process.env.PATHEXT ?? ".EXE").split(";")] : [""];
  for (const dir of pathEnv.split(path.delimiter)) {
    if (!dir) {
      continue;
    }
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      if (isExecutable(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

export type ServerSource = "setting" | "bundled" | "path";

export interface ResolvedServer {
  command: string;
  source: ServerSource;
}

/**
 * Resolution order: the `dockerfile-lsp.server.path` setting, the binary bundled in the
 * extension under `server/`, then `dockerfile-lsp` on PATH.
 */
export function resolveServer(
  configured: string | null | undefined,
  extensionPath: string,
  pathEnv: string | undefined = process.env.PATH,
): ResolvedServer | { error: string } {
  const setting = configured?.trim();
  if (setting) {
    const expanded = setting.startsWith("~/")
      ? path.join(process.env.HOME ?? process.env.USERPROFILE ?? "", setting.slice(2))
      : setting;
    if (isExecutable(expanded)) {
      return { command: expanded, source: "setting" };
    }
    // A bare command name ("dockerfile-lsp") is looked up on PATH.
    if (!expanded.includes("/") && !expanded.includes("\\")) {
      const found = which(expanded, pathEnv);
      if (found) {
        return { command: found, source: "setting" };
      }
    }
    return { error: `dockerfile-lsp.server.path is set to "${setting}", which is not an executable file.` };
  }
  const bundled = path.join(extensionPath, "server", binaryName());
  if (isExecutable(bundled)) {
    return { command: bundled, source: "bundled" };
  }
  const onPath = which(binaryName(), pathEnv);
  if (onPath) {
    return { command: onPath, source: "path" };
  }
  return {
    error:
      "dockerfile-lsp was not found: this extension package carries no binary for this platform and " +
      "`dockerfile-lsp` is not on PATH. Install it (`cargo install --path .` in the repository, or a " +
      "release binary) or set `dockerfile-lsp.server.path`.",
  };
}

/** The settings object the server reads (initializationOptions and workspace/configuration). */
export interface ServerSettings {
  rules: Record<string, unknown>;
  ignore: string[];
  trustedRegistries: string[];
  failureThreshold: string;
  shellcheck: boolean;
}

/** Builds the server settings from a `get(key, default)` accessor over the `dockerfile-lsp` section. */
export function serverSettings(get: <T>(key: string, fallback: T) => T): ServerSettings {
  return {
    rules: get<Record<string, unknown>>("rules", {}),
    ignore: get<string[]>("ignore", []),
    trustedRegistries: get<string[]>("trustedRegistries", []),
    failureThreshold: get<string>("failureThreshold", "warning"),
    shellcheck: get<boolean>("shellcheck", true),
  };
}
