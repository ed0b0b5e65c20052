#!/usr/bin/env bash
# Turn latency with the offline engines: starts the release server (no
# pause between streamed deltas, rate limits lifted) and drives turns from C
# concurrent sessions, for each C given (default 1 4 16 64).
# Prints Markdown rows for docs/benchmarks.md.
#
#   bench/turn_latency.sh [C ...]   (needs: make build, and the bench tool:
#                                    cmake --build build/release --target bench_turn_latency)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=build/release/src/salesboost
TOOL=build/release/bench/bench_turn_latency
[[ -x $BIN && -x $TOOL ]] || { echo "bench: build first: make build && cmake --build build/release --target bench_turn_latency" >&2; exit 1; }
COUNTS=("$@")
((${#COUNTS[@]})) || COUNTS=(1 4 16 64)
TURNS=${TURNS:-3000}  # turns per run, spread over the sessions

echo "| sessions | turns | turns/s | first delta p50 (ms) | p99 | turn.done p50 (ms) | p90 | p99 | server mean (ms) | errors |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for c in "${COUNTS[@]}"; do
  WORK=$(mktemp -d)
  $BIN serve --port 0 --port-file "$WORK/port" --set data.dir="$WORK/data" --set log.access_log=false \
    --set auth.password_hash_memory_kib=64 --set conversation.npc_delta_interval_ms=0 \
    --set limits.turn_per_minute=1000000 --set limits.turn_burst=1000000 >"$WORK/log" 2>&1 &
  PID=$!
  for _ in $(seq 200); do [[ -s $WORK/port ]] && break; sleep 0.05; done
  PORT=$(cat "$WORK/port")
  TOKEN=$(curl -sf -X POST "http://127.0.0.1:$PORT/api/v1/auth/login" \
    -d "{\"username\":\"trainee\",\"password\":\"$(cat "$WORK/data/demo-trainee.password")\"}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  $TOOL --port "$PORT" --token "$TOKEN" --sessions "$c" --turns $((TURNS / c))
  kill "$PID"; wait "$PID" 2>/dev/null || true
  rm -rf "$WORK"
done
