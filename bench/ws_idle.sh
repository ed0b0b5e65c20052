#!/usr/bin/env bash
# Resident memory per idle, authenticated WebSocket connection: starts the
# release server, logs in as the demo trainee and holds N connections with
# bench_ws_idle_connections, for each N given (default 1000 10000).
# Prints Markdown rows for docs/benchmarks.md.
#
#   bench/ws_idle.sh [N ...]      (needs: make build, and the bench tool:
#                                  cmake --build build/release --target bench_ws_idle_connections)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
TOOL=build/release/bench/bench_ws_idle_connections
[[ -x $BIN && -x $TOOL ]] || { echo "bench: build first: make build && cmake --build build/release --target bench_ws_idle_connections" >&2; exit 1; }
COUNTS=("$@")
((${#COUNTS[@]})) || COUNTS=(1000 10000)
ulimit -n 1048576 2>/dev/null || ulimit -n "$(ulimit -Hn)"

echo "| connections | connects/s | server RSS before (KiB) | after (KiB) | KiB per connection |"
echo "|---|---|---|---|---|"
for n in "${COUNTS[@]}"; do
  start_server
  $TOOL --port "$PORT" --pid "$PID" --token "$TOKEN" --connections "$n"
  stop_server
done
