#!/usr/bin/env bash
# The server-level scenarios, each run with tools/salesboost-load against the
# release server on a fresh data directory (and tools/mock-llm for `llm`).
# Writes OUT/<scenario>.json and OUT/<scenario>.md; bench/report.py turns a
# directory of them into docs/benchmarks.md.
#
#   bench/load.sh SCENARIO [OUT]     OUT defaults to build/bench
#
#   idle     IDLE_CONNECTIONS (default: 100000, or what the open-files limit allows)
#            authenticated WebSockets held for IDLE_HOLD s (10): memory per connection
#   offline  OFFLINE_SESSIONS (200) sessions on the offline engines, stepping the total
#            turn rate through OFFLINE_RATES (500,1000,1500,2000,2500,0 where 0 is
#            closed loop), OFFLINE_STEP s each (15): turns/s and latency against load
#   llm      the customer through tools/mock-llm with a fixed LLM_TTFT_MS (500) to its first
#            token: 1 session, then LLM_SESSIONS (1000) at LLM_RATE turns/s in total (100,
#            one turn per session every 10 s), LLM_STEP s (40): the backend's overhead on TTFT
#   cluster  CLUSTER_SESSIONS (100) closed-loop offline sessions for CLUSTER_STEP s (20), first
#            against one embedded instance, then against two instances on Redis and
#            PostgreSQL behind nginx (scripts/cluster.sh): the cost of scaling out, as a ratio
#   soak     SOAK_SESSIONS (100) at SOAK_RATE turns/s (500) for SOAK_SECONDS (120; the
#            target is stated for 600): memory growth and slope after SOAK_WARMUP s (30)
#
# Builds needed: make build && cmake --build build/release --target salesboost-load mock-llm
# Kernel limits: see "Kernel limits" in docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
SCENARIO=${1:?usage: bench/load.sh idle|offline|llm|soak|cluster [OUT]}
OUT=${2:-build/bench}
LOAD=build/release/tools/salesboost-load
MOCK=build/release/tools/mock-llm
[[ -x $BIN && -x $LOAD && -x $MOCK ]] || {
  echo "bench: build first: make build && cmake --build build/release --target salesboost-load mock-llm" >&2
  exit 1
}
mkdir -p "$OUT"
ulimit -n "$(ulimit -Hn)"
# Turns come from one user, and connections from a few addresses, in these
# scenarios: lift the per-user and per-address limits.
LIFTED=(--set limits.turn_per_minute=1000000 --set limits.turn_burst=1000000
        --set websocket.write_queue_max_messages=100000
        --set server.max_connections=0 --set server.max_connections_per_address=0)

load() {
  $LOAD --port "$PORT" --password-file "$WORK/data/demo-trainee.password" --pid "$PID" \
    --json "$OUT/$SCENARIO.json" --markdown "$OUT/$SCENARIO.md" "$@"
}

case $SCENARIO in
  idle)
    # Each side holds one descriptor per connection; keep some for the rest.
    limit=$(( $(ulimit -Hn) - 500 ))
    n=${IDLE_CONNECTIONS:-$(( limit < 100000 ? limit : 100000 ))}
    # Linux picks connect()'s ephemeral ports from half of the range first and
    # slows sharply past ~14k connections from one address to one port (and
    # stops at ~28k): 5,000 per source address keeps port selection cheap.
    sources=127.0.0.1-127.0.0.$(( n / 5000 + 1 ))
    start_server --set server.max_connections=0 --set server.max_connections_per_address=0
    load --label idle --idle -n "$n" --hold "${IDLE_HOLD:-10}" --sources "$sources" || true
    stop_server
    ;;
  offline)
    start_server --set conversation.npc_delta_interval_ms=0 "${LIFTED[@]}"
    load --label offline -n "${OFFLINE_SESSIONS:-200}" --rate "${OFFLINE_RATES:-500,1000,1500,2000,2500,0}" \
      --step-seconds "${OFFLINE_STEP:-15}" --step-warmup 3 || true
    stop_server
    ;;
  llm)
    ttft=${LLM_TTFT_MS:-500}
    behaviour="{\"ttft_ms\": $ttft, \"tokens_per_second\": 20,
                \"reply\": \"Three hundred a month per store sounds like a lot. What do I get for it?\"}"
    mock_dir=$(mktemp -d)
    $MOCK --port 0 --port-file "$mock_dir/port" --behaviour "$behaviour" >"$mock_dir/log" 2>&1 &
    mock_pid=$!
    trap 'kill $mock_pid 2>/dev/null || true; rm -rf "$mock_dir"' EXIT
    for _ in $(seq 100); do [[ -s $mock_dir/port ]] && break; sleep 0.05; done
    mock_port=$(cat "$mock_dir/port")
    run_llm() {  # label sessions rate seconds
      curl -sf -X POST "http://127.0.0.1:$mock_port/_mock/behaviour?reset=1" -d "$behaviour" >/dev/null
      start_server --set providers.mock.base_url="http://127.0.0.1:$mock_port/v1" --set providers.mock.model=mock \
        --set providers.mock.max_concurrency=100000 --set llm.npc=mock "${LIFTED[@]}"
      SCENARIO=$1 load --label "$1" -n "$2" --rate "$3" --step-seconds "$4" --step-warmup 5 \
        --provider-ttft-ms "$ttft" --mock-port "$mock_port" || true
      stop_server
    }
    run_llm llm-1 1 0 "${LLM_STEP:-40}"
    run_llm llm "${LLM_SESSIONS:-1000}" "${LLM_RATE:-100}" "${LLM_STEP:-40}"
    ;;
  cluster)
    n=${CLUSTER_SESSIONS:-100}
    step=${CLUSTER_STEP:-20}
    start_server --set conversation.npc_delta_interval_ms=0 "${LIFTED[@]}"
    SCENARIO=cluster-embedded load --label cluster-embedded -n "$n" --rate 0 --step-seconds "$step" \
      --step-warmup 3 || true
    stop_server
    cluster_dir=$(mktemp -u /tmp/salesboost-bench-cluster.XXXXXX)
    trap 'scripts/cluster.sh down --dir "$cluster_dir" >/dev/null 2>&1 || true' EXIT
    SALESBOOST_BIN=$BIN CLUSTER_FLAGS="--set conversation.npc_delta_interval_ms=0 ${LIFTED[*]} \
      --set log.access_log=false --set auth.password_hash_memory_kib=64" \
      scripts/cluster.sh up --dir "$cluster_dir" >/dev/null
    lb_port=$(sed -n 's/^LB_PORT=//p' "$cluster_dir/cluster.env")
    $LOAD --port "$lb_port" --password-file "$cluster_dir/demo-trainee.password" --label cluster-redis-postgres \
      --json "$OUT/cluster-redis-postgres.json" --markdown "$OUT/cluster-redis-postgres.md" \
      -n "$n" --rate 0 --step-seconds "$step" --step-warmup 3 || true
    scripts/cluster.sh down --dir "$cluster_dir" >/dev/null
    SCENARIO=cluster
    cat "$OUT"/cluster-embedded.md "$OUT"/cluster-redis-postgres.md
    exit 0
    ;;
  soak)
    seconds=${SOAK_SECONDS:-120}
    start_server --set conversation.npc_delta_interval_ms=0 "${LIFTED[@]}"
    load --label soak -n "${SOAK_SESSIONS:-100}" --rate "${SOAK_RATE:-500}" --step-seconds "$seconds" \
      --step-warmup "${SOAK_WARMUP:-30}" --memory-warmup "${SOAK_WARMUP:-30}" --sample-seconds 5 || true
    stop_server
    ;;
  *)
    echo "bench: unknown scenario $SCENARIO (idle, offline, llm, soak, cluster)" >&2
    exit 2
    ;;
esac
cat "$OUT"/"$SCENARIO"*.md
