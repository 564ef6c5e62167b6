#!/usr/bin/env bash
# Runs the packaged extension in real VS Code (code-server, in headless Chromium), opens a
# Dockerfile with an error and saves a screenshot of the Problems panel.
#   scripts/real-vscode.sh [path/to/dockerfile-lsp-linux-x64-*.vsix]
# Without an argument it packages one from $CARGO_TARGET_DIR/release/dockerfile-lsp (or
# <repo>/target/release/dockerfile-lsp). Output: scripts/out/problems.png, scripts/out/result.json.
# Downloads ~320 MB (npm code-server@4.100.3, playwright-core; Debian chromium). Not run in CI.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
EXT_DIR=$(cd "$HERE/.." && pwd)
REPO=$(cd "$EXT_DIR/../.." && pwd)
OUT="$HERE/out"
CACHE=${REAL_VSCODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dockerfile-lsp-real-vscode}
PORT=${REAL_VSCODE_PORT:-18080}
mkdir -p "$OUT" "$CACHE"

vsix=${1:-}
if [ -z "$vsix" ]; then
  binary="${CARGO_TARGET_DIR:-$REPO/target}/release/dockerfile-lsp"
  [ -x "$binary" ] || (cd "$REPO" && cargo build --release --bin dockerfile-lsp)
  vsix=$("$EXT_DIR/scripts/package.sh" linux-x64 "$binary" | tail -n 1)
fi
vsix=$(cd "$(dirname "$vsix")" && pwd)/$(basename "$vsix")

# Chromium from Debian (playwright's own browser downloads are not used); libkrb5-dev and a C++
# toolchain for code-server's native modules (kerberos has no prebuilt binary for Node 20 here).
missing=()
for pkg in chromium libkrb5-dev build-essential python3 curl ripgrep; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

# code-server 4.100.3 is the newest that runs on Node 20. Its own postinstall cannot work here:
# @vscode/ripgrep downloads rg from GitHub and argon2/kerberos try prebuilt downloads. So install
# without scripts and redo what postinstall.sh does by hand: install lib/vscode's dependencies,
# rebuild the native modules from source (npm 11 needs scripts allowed for that), use Debian's rg,
# and make the symlinks.
if [ ! -f "$CACHE/.ready" ]; then
  cd "$CACHE"
  [ -f package.json ] || echo '{"name":"real-vscode-harness","private":true}' >package.json
  npm install --no-audit --no-fund --ignore-scripts code-server@4.100.3 playwright-core@1
  npm_config_yes=true npm rebuild --dangerously-allow-all-scripts argon2
  cd "$CACHE/node_modules/code-server/lib/vscode"
  npm install --omit=dev --ignore-scripts --no-audit --no-fund
  npm_config_yes=true npm rebuild --dangerously-allow-all-scripts \
    kerberos @parcel/watcher @vscode/deviceid @vscode/spdlog native-watchdog node-pty
  mkdir -p node_modules/@vscode/ripgrep/bin
  ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
  rm -rf node_modules.asar && ln -s node_modules node_modules.asar
  (cd bin/remote-cli && ln -sf code-linux.sh code-server)
  (cd bin/helpers && ln -sf browser-linux.sh browser.sh)
  (cd extensions && npm install --omit=dev --ignore-scripts --no-audit --no-fund)
  touch "$CACHE/.ready"
  cd "$HERE"
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/real-vscode.XXXXXX")
mkdir -p "$WORK/project" "$WORK/user/User" "$WORK/extensions"
cp "$EXT_DIR/../fixtures/seedlike.Dockerfile" "$WORK/project/Dockerfile"
cat >"$WORK/user/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "workbench.tips.enabled": false,
  "dockerfile-lsp.trace.server": "messages"
}
JSON
CS="$CACHE/node_modules/.bin/code-server"
"$CS" --user-data-dir "$WORK/user" --extensions-dir "$WORK/extensions" --install-extension "$vsix" --force
"$CS" --auth none --bind-addr "127.0.0.1:$PORT" --disable-telemetry --disable-update-check \
  --disable-workspace-trust --user-data-dir "$WORK/user" --extensions-dir "$WORK/extensions" \
  "$WORK/project" >"$OUT/code-server.log" 2>&1 &
CS_PID=$!
trap 'kill "$CS_PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null && break
  sleep 0.3
done

cat >"$WORK/drive.cjs" <<'JS'
const { chromium } = require(process.env.PLAYWRIGHT);
const fs = require("node:fs");
(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu"],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const result = {};
  try {
    await page.goto(`http://127.0.0.1:${process.env.PORT}/?folder=${encodeURIComponent(process.env.PROJECT)}`);
    await page.waitForSelector(".monaco-workbench", { timeout: 60000 });
    await page.getByRole("treeitem", { name: "Dockerfile" }).first().click({ timeout: 60000 });
    await page.waitForSelector(".monaco-editor .view-lines", { timeout: 30000 });
    await page.keyboard.press("Control+Shift+M");
    const panel = page.locator(".markers-panel");
    await panel.getByText(process.env.EXPECT || "DFL001").first().waitFor({ timeout: 60000 });
    await page.waitForTimeout(1000);
    result.problems = (await panel.innerText()).split("\n").filter(Boolean);
    result.statusBar = await page
      .locator(".statusbar-item", { hasText: "Dockerfile LSP" })
      .first()
      .innerText({ timeout: 5000 })
      .catch(() => null);
  } catch (err) {
    result.error = String(err);
  }
  await page.screenshot({ path: `${process.env.OUT}/problems.png` });
  fs.writeFileSync(`${process.env.OUT}/result.json`, JSON.stringify(result, null, 1));
  await browser.close();
  console.log(JSON.stringify(result, null, 1));
  process.exit(result.error ? 1 : 0);
})();
JS
EXPECT="${REAL_VSCODE_EXPECT:-DFL001}" PLAYWRIGHT="$CACHE/node_modules/playwright-core" PORT="$PORT" PROJECT="$WORK/project" OUT="$OUT" \
  node "$WORK/drive.cjs" || status=$?
# The extension's output channels (server start, errors, LSP trace) for a look after the run.
find "$WORK/user/logs" -name 'Dockerfile LSP*.log' -exec cp {} "$OUT/" \;
echo "screenshot: $OUT/problems.png; logs: $OUT/"
exit "${status:-0}"
