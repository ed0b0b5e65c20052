#!/usr/bin/env bash
# HTTP baseline: requests/s and latency of GET /healthz on the release binary,
# against nginx returning the same 15-byte JSON body, under the same wrk load
# in the same run. Prints a Markdown table for docs/benchmarks.md.
#
#   bench/http_baseline.sh [duration_seconds] [connections]
#
# Needs: the release build (make build), wrk and nginx-light (Debian packages).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10}
CONNECTIONS=${2:-64}
BIN=build/release/src/salesboost
for tool in wrk nginx; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install wrk nginx-light)" >&2; exit 1; }
done
[[ -x $BIN ]] || { echo "bench: $BIN is missing (make build)" >&2; exit 1; }

WORK=$(mktemp -d)
cleanup() {
  [[ -n ${SB_PID:-} ]] && kill "$SB_PID" 2>/dev/null || true
  [[ -f $WORK/nginx.pid ]] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  sleep 0.3
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# salesboost, access log off so both servers do the same work per request.
$BIN serve --port 0 --port-file "$WORK/port" --set data.dir="$WORK/data" --set log.access_log=false \
  >"$WORK/sb.log" 2>&1 &
SB_PID=$!
for _ in $(seq 100); do [[ -s $WORK/port ]] && break; sleep 0.05; done
SB_PORT=$(cat "$WORK/port")

NGINX_PORT=$(free_port)
cat >"$WORK/nginx.conf" <<CONF
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/tmp;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location = /healthz { default_type application/json; return 200 '{"status":"ok"}'; }
  }
}
CONF
mkdir -p "$WORK/tmp"
nginx -c "$WORK/nginx.conf" -p "$WORK"
sleep 0.3

run() {  # name url -> "rps p50 p99"
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$2" >"$WORK/$1.wrk"
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/$1.wrk")
  p50=$(awk '$1=="50%" {print $2}' "$WORK/$1.wrk")
  p99=$(awk '$1=="99%" {print $2}' "$WORK/$1.wrk")
  echo "$rps $p50 $p99"
}

curl -sf "http://127.0.0.1:$SB_PORT/healthz" >/dev/null
read -r SB_RPS SB_P50 SB_P99 < <(run salesboost "http://127.0.0.1:$SB_PORT/healthz")
SB_RSS=$(awk '/VmHWM/ {print $2}' "/proc/$SB_PID/status")
read -r NG_RPS NG_P50 NG_P99 < <(run nginx "http://127.0.0.1:$NGINX_PORT/healthz")
RATIO=$(awk -v a="$SB_RPS" -v b="$NG_RPS" 'BEGIN {printf "%.2f", a / b}')

echo "| server | requests/s | p50 | p99 | peak RSS |"
echo "|---|---|---|---|---|"
echo "| salesboost /healthz | $SB_RPS | $SB_P50 | $SB_P99 | $((SB_RSS / 1024)) MiB |"
echo "| nginx static return | $NG_RPS | $NG_P50 | $NG_P99 | |"
echo
echo "salesboost/nginx throughput ratio: $RATIO (wrk -t2 -c$CONNECTIONS -d${DURATION}s, server and load share 2 cores)"
