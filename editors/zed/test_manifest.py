#!/usr/bin/env python3
"""Checks the Zed extension's manifest and crate shape, and (given a path) that the built
artifact is a WebAssembly component, which is what Zed loads for wasm32-wasip2 extensions.

usage: test_manifest.py [path/to/zed_dockerfile_lsp.wasm]
"""
import re
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
problems = []


def check(cond, what):
    if not cond:
        problems.append(what)


ext = tomllib.loads((HERE / "extension.toml").read_text())
for key in ("id", "name", "description", "version", "schema_version", "authors", "repository"):
    check(key in ext, f"extension.toml: {key} is set")
check(re.fullmatch(r"[a-z0-9-]+", ext.get("id", "")) is not None, "extension.toml: id is lowercase kebab-case")
check(ext.get("schema_version") == 1, "extension.toml: schema_version = 1")
check(not ext.get("id", "").startswith("zed-") and not ext.get("id", "").endswith("-zed"), "extension.toml: id has no zed prefix/suffix")
servers = ext.get("language_servers", {})
check(list(servers) == ["dockerfile-lsp"], "extension.toml: one language server, dockerfile-lsp")
server = servers.get("dockerfile-lsp", {})
check(server.get("languages") == ["Dockerfile"], "extension.toml: serves Zed's `Dockerfile` language")
check(server.get("language_ids", {}).get("Dockerfile") == "dockerfile", "extension.toml: LSP languageId dockerfile")
check("grammars" not in ext and "languages" not in ext, "extension.toml: server only (no grammar/language)")

cargo = tomllib.loads((HERE / "Cargo.toml").read_text())
check("workspace" in cargo, "Cargo.toml: own [workspace], outside the main crate's")
check(cargo.get("lib", {}).get("crate-type") == ["cdylib"], "Cargo.toml: cdylib")
check(str(cargo.get("dependencies", {}).get("zed_extension_api", "")).startswith("0.7"), "Cargo.toml: zed_extension_api 0.7")
check(cargo.get("package", {}).get("version") == ext.get("version"), "Cargo.toml and extension.toml versions agree")
check((HERE / "Cargo.lock").exists(), "Cargo.lock committed")

src = (HERE / "src" / "lib.rs").read_text()
for needle in ("fn language_server_command", 'which(SERVER_NAME)', '"serve"',
               "fn language_server_workspace_configuration", "fn language_server_initialization_options",
               "register_extension!"):
    check(needle in src, f"src/lib.rs: {needle}")

if len(sys.argv) > 1:
    wasm = Path(sys.argv[1]).read_bytes()
    check(wasm[:4] == b"\0asm", "artifact is WebAssembly")
    # Core modules carry version 1 (01 00 00 00); components carry 0d 00 01 00.
    check(wasm[4:8] == b"\x0d\x00\x01\x00", "artifact is a component (wasm32-wasip2), not a core module")
    check(b"language-server-command" in wasm, "artifact exports language-server-command")

if problems:
    print("FAILED:\n  " + "\n  ".join(problems))
    sys.exit(1)
print("ok: zed extension manifest" + (" and component" if len(sys.argv) > 1 else ""))
