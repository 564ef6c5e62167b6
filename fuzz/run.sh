#!/usr/bin/env bash
# Runs every fuzz target for a bounded time (default 300 s each), seeded with the corpus files
# read in place from ../shared/corpus (never copied into the repo). Not part of CI.
# Usage: fuzz/run.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")"
SECS=${1:-300}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
mkdir -p corpus/analyze corpus/edit
SEEDS=()
[ -d ../../shared/corpus/files ] && SEEDS+=(../../shared/corpus/files)
for target in analyze edit; do
  RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" corpus/"$target" "${SEEDS[@]}" -- \
    -max_total_time="$SECS" -max_len=65536 -rss_limit_mb=4096
done
