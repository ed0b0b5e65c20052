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
BIN=build/release/src/salesboost
TOOL=build/release/bench/bench_ws_idle_connections
[[ -x $BIN && -x $TOOL ]] || { echo "bench: build first: make build && cmake --build build/release --target bench_ws_idle_connections" >&2; exit 1; }
COUNTS=("$@")
((${#COUNTS[@]})) || COUNTS=(1000 10000)
ulimit -n 1048576 2>/dev/null || ulimit -n "$(ulimit -Hn)"

echo "| connections | connects/s | server RSS before (KiB) | after (KiB) | KiB per connection |"
echo "|---|---|---|---|---|"
for n in "${COUNTS[@]}"; do
  WORK=$(mktemp -d)
  $BIN serve --port 0 --port-file "$WORK/port" --set data.dir="$WORK/data" --set log.access_log=false \
    --set auth.password_hash_memory_kib=64 >"$WORK/log" 2>&1 &
  PID=$!
  for _ in $(seq 200); do [[ -s $WORK/port ]] && break; sleep 0.05; done
  PORT=$(cat "$WORK/port")
  TOKEN=$(curl -sf -X POST "http://127.0.0.1:$PORT/api/v1/auth/login" \
    -d "{\"username\":\"trainee\",\"password\":\"$(cat "$WORK/data/demo-trainee.password")\"}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  $TOOL --port "$PORT" --pid "$PID" --token "$TOKEN" --connections "$n"
  kill "$PID"; wait "$PID" 2>/dev/null || true
  rm -rf "$WORK"
done
