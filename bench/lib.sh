# Shared by bench/*.sh: start the release server on a fresh data directory
# (the demo trainee's password is in $WORK/data/demo-trainee.password).
#
#   start_server [--set k=v ...]   sets WORK, PID, PORT
#   stop_server
BIN=${SALESBOOST_BIN:-build/release/src/salesboost}  # another build: SALESBOOST_BIN=path

start_server() {
  WORK=$(mktemp -d)
  $BIN serve --port 0 --port-file "$WORK/port" --set data.dir="$WORK/data" --set log.access_log=false \
    --set auth.password_hash_memory_kib=64 "$@" >"$WORK/log" 2>&1 &
  PID=$!
  for _ in $(seq 200); do [[ -s $WORK/port ]] && break; sleep 0.05; done
  PORT=$(cat "$WORK/port")
}

stop_server() {
  kill "$PID"
  wait "$PID" 2>/dev/null || true
  rm -rf "$WORK"
}
