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
source bench/lib.sh
TOOL=build/release/bench/bench_turn_latency
[[ -x $BIN && -x $TOOL ]] || { echo "bench: build first: make build && cmake --build build/release --target bench_turn_latency" >&2; exit 1; }
COUNTS=("$@")
((${#COUNTS[@]})) || COUNTS=(1 4 16 64)
TURNS=${TURNS:-3000}  # turns per run, spread over the sessions

echo "| sessions | turns | turns/s | first delta p50 (ms) | p99 | turn.done p50 (ms) | p90 | p99 | server mean (ms) | errors |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for c in "${COUNTS[@]}"; do
  start_server --set conversation.npc_delta_interval_ms=0 \
    --set limits.turn_per_minute=1000000 --set limits.turn_burst=1000000
  $TOOL --port "$PORT" --token "$TOKEN" --sessions "$c" --turns $((TURNS / c))
  stop_server
done
