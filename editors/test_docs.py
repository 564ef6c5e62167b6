#!/usr/bin/env python3
"""Keeps the editor docs and configs honest: every ```json block in editors/**/README.md parses,
the Mason entry proposal has Mason's package.yaml shape, and each editor config carries the same
settings keys the server reads."""
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SETTINGS = {"rules", "ignore", "trustedRegistries", "failureThreshold", "shellcheck"}
problems = []


def check(cond, what):
    if not cond:
        problems.append(what)


for readme in sorted(HERE.rglob("README.md")):
    if "node_modules" in readme.parts:
        continue
    for i, block in enumerate(re.findall(r"```json\n(.*?)```", readme.read_text(), re.S)):
        try:
            json.loads(block)
        except json.JSONDecodeError as err:
            problems.append(f"{readme.relative_to(HERE)} json block {i + 1}: {err}")

# Mason registry entry (packages/<name>/package.yaml).
try:
    import yaml
except ImportError:
    yaml = None
    print("note: PyYAML missing, Mason entry not checked")
if yaml:
    blocks = re.findall(r"```yaml\n(.*?)```", (HERE / "README.md").read_text(), re.S)
    check(len(blocks) == 1, "editors/README.md has one YAML block (the Mason entry)")
    mason = yaml.safe_load(blocks[0]) if blocks else {}
    for key in ("name", "description", "homepage", "licenses", "languages", "categories", "source", "bin"):
        check(key in mason, f"Mason entry: {key}")
    check(mason.get("name") == "dockerfile-lsp", "Mason entry: name")
    check(set(mason.get("categories", [])) <= {"LSP", "Linter", "Formatter", "DAP", "Runtime", "Compiler"}, "Mason entry: categories")
    source = mason.get("source", {})
    check(re.fullmatch(r"pkg:github/[\w.-]+/[\w.-]+@v?[\w.]+", source.get("id", "")) is not None, "Mason entry: source.id is a github purl")
    targets = {"linux_x64_gnu", "linux_arm64_gnu", "linux_x64_musl", "linux_arm64_musl", "linux_x64", "linux_arm64",
               "darwin_x64", "darwin_arm64", "win_x64", "win_arm64"}
    for asset in source.get("asset", []):
        check(asset.get("target") in targets, f"Mason entry: target {asset.get('target')}")
        check({"file", "bin"} <= set(asset), f"Mason entry: asset {asset.get('target')} has file and bin")
    check(mason.get("bin") == {"dockerfile-lsp": "{{source.asset.bin}}"}, "Mason entry: bin")
    check(mason.get("neovim", {}).get("lspconfig") == "dockerfile_lsp", "Mason entry: lspconfig name matches lsp/dockerfile_lsp.lua")

# Same settings keys everywhere.
pkg = json.loads((HERE / "vscode" / "package.json").read_text())
props = {k.split(".", 1)[1] for k in pkg["contributes"]["configuration"]["properties"]}
check(SETTINGS <= props, f"VS Code settings cover {SETTINGS - props}")
server_ts = (HERE / "vscode" / "src" / "server.ts").read_text()
for key in SETTINGS:
    check(f'get<' in server_ts and f'"{key}"' in server_ts, f"vscode/src/server.ts passes {key}")
for path in ("neovim/lsp/dockerfile_lsp.lua", "neovim/lua/dockerfile_lsp_legacy.lua", "vim/vim-lsp.vim",
             "emacs/dockerfile-lsp-eglot.el", "helix/languages.toml"):
    text = (HERE / path).read_text()
    for key in SETTINGS:
        check(re.search(rf"\b:?{key}\b", text) is not None, f"{path} mentions {key}")

if problems:
    print("FAILED:\n  " + "\n  ".join(problems))
    sys.exit(1)
print("ok: editor docs and configs agree")
