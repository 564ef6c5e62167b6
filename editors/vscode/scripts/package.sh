#!/usr/bin/env bash
# Builds a platform-specific .vsix that carries the dockerfile-lsp binary.
#   scripts/package.sh <vsce-target> <path-to-dockerfile-lsp-binary>
# e.g. scripts/package.sh linux-x64 ../../target/release/dockerfile-lsp
# Targets: win32-x64 win32-arm64 linux-x64 linux-arm64 linux-armhf alpine-x64 alpine-arm64
#          darwin-x64 darwin-arm64 (the binary must be built for the same platform).
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: package.sh <vsce-target> <binary>}
binary=${2:?usage: package.sh <vsce-target> <binary>}
[ -x "$binary" ] || [ -f "$binary" ] || { echo "package.sh: no binary at $binary" >&2; exit 1; }
case "$target" in
  win32-*) exe=dockerfile-lsp.exe ;;
  *) exe=dockerfile-lsp ;;
esac
[ -d node_modules ] || npm ci --no-audit --no-fund
rm -rf server
mkdir -p server
cp "$binary" "server/$exe"
chmod +x "server/$exe"
version=$(node -p 'require("./package.json").version')
out="dockerfile-lsp-$target-$version.vsix"
# --no-dependencies: esbuild already bundled vscode-languageclient into dist/extension.js.
# --skip-license: the licence (MIT OR Apache-2.0) is declared in package.json; the repository
# root carries the licence texts.
npx --no-install vsce package --no-dependencies --skip-license --target "$target" -o "$out"
echo "$PWD/$out"
