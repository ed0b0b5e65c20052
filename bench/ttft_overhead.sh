#!/usr/bin/env bash
# Backend overhead on time to first token: the customer speaks through one
# provider served by tools/mock-llm with a fixed time to first token; C
# concurrent sessions send turns one after another; the overhead of a turn is
# the client's time from sending `turn` to the first npc.delta minus the
# mock's configured time to first token. For each C given (default 1 100 1000).
# Prints Markdown rows for docs/benchmarks.md.
#
#   bench/ttft_overhead.sh [C ...]   (needs: make build, and
#       cmake --build build/release --target bench_turn_latency mock-llm)
# Environment: MOCK_TTFT_MS (default 500), TOKENS_PER_SECOND (default 20),
# TURNS_PER_SESSION (default 4).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
TOOL=build/release/bench/bench_turn_latency
MOCK=build/release/tools/mock-llm
[[ -x $BIN && -x $TOOL && -x $MOCK ]] || {
  echo "bench: build first: make build && cmake --build build/release --target bench_turn_latency mock-llm" >&2
  exit 1
}
COUNTS=("$@")
((${#COUNTS[@]})) || COUNTS=(1 100 1000)
MOCK_TTFT_MS=${MOCK_TTFT_MS:-500}
TOKENS_PER_SECOND=${TOKENS_PER_SECOND:-20}
TURNS_PER_SESSION=${TURNS_PER_SESSION:-4}
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

BEHAVIOUR="{\"ttft_ms\": $MOCK_TTFT_MS, \"tokens_per_second\": $TOKENS_PER_SECOND,
            \"reply\": \"Three hundred a month per store sounds like a lot. What do I get for it?\"}"
MOCK_DIR=$(mktemp -d)
$MOCK --port 0 --port-file "$MOCK_DIR/port" --behaviour "$BEHAVIOUR" >"$MOCK_DIR/log" 2>&1 &
MOCK_PID=$!
trap 'kill $MOCK_PID 2>/dev/null || true; rm -rf "$MOCK_DIR"' EXIT
for _ in $(seq 100); do [[ -s $MOCK_DIR/port ]] && break; sleep 0.05; done
MOCK_PORT=$(cat "$MOCK_DIR/port")
MOCK_URL="http://127.0.0.1:$MOCK_PORT/v1"

echo "| sessions | turns | turns/s | client TTFT p50 (ms) | p99 | mock TTFT p50 (ms) | p99 | overhead p50 (ms) | p99 | overhead vs configured p50 (ms) | p99 | errors |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
for c in "${COUNTS[@]}"; do
  start_server --set providers.mock.base_url="$MOCK_URL" --set providers.mock.model=mock \
    --set providers.mock.max_concurrency=100000 --set llm.npc=mock \
    --set limits.turn_per_minute=1000000 --set limits.turn_burst=1000000
  $TOOL --port "$PORT" --token "$TOKEN" --sessions "$c" --turns "$TURNS_PER_SESSION" \
    --provider-ttft-ms "$MOCK_TTFT_MS" --stagger-ms "${STAGGER_MS:-0}" --mock-port "$MOCK_PORT"
  curl -sf -X POST "http://127.0.0.1:$MOCK_PORT/_mock/behaviour?reset=1" -d "$BEHAVIOUR" >/dev/null
  stop_server
done
