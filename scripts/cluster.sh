#!/usr/bin/env bash
# A SalesBoost cluster on this machine: Redis, PostgreSQL (a throwaway
# cluster made by initdb), N instances and nginx in front, all on free
# loopback ports under one directory. The same set-up the cluster tests use.
#
#   scripts/cluster.sh up [--dir DIR] [--instances N]   start (default /tmp/salesboost-cluster, 2 instances)
#   scripts/cluster.sh status [--dir DIR]               what runs, where
#   scripts/cluster.sh kill N [--dir DIR]               kill -9 instance N (to watch a trainee move on)
#   scripts/cluster.sh start N [--dir DIR]              start instance N again
#   scripts/cluster.sh down [--dir DIR]                 stop everything and remove DIR
#
# The binary is $SALESBOOST_BIN, else build/release/src/salesboost, else build/debug/src/salesboost.
# $CLUSTER_FLAGS adds options to every instance, e.g. CLUSTER_FLAGS="--set limits.turn_burst=100".
# Needs redis-server, postgresql-15 and nginx (scripts/install-deps.sh installs them).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=/tmp/salesboost-cluster
INSTANCES=2
CMD=${1:-}
shift || true
ARG=""
while (($#)); do
  case $1 in
    --dir) DIR=$2; shift 2 ;;
    --instances) INSTANCES=$2; shift 2 ;;
    [0-9]*) ARG=$1; shift ;;
    *) echo "cluster: unknown argument $1" >&2; exit 2 ;;
  esac
done
PG_BIN=/usr/lib/postgresql/15/bin

die() { echo "cluster: $*" >&2; exit 1; }

binary() {
  if [[ -n ${SALESBOOST_BIN:-} ]]; then echo "$SALESBOOST_BIN"; return; fi
  for b in "$ROOT/build/release/src/salesboost" "$ROOT/build/debug/src/salesboost"; do
    [[ -x $b ]] && { echo "$b"; return; }
  done
  die "no salesboost binary: run 'make build' (or set SALESBOOST_BIN)"
}

# A free loopback TCP port, not handed out before in this run.
TAKEN=" "
free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 40000))
    [[ $TAKEN == *" $port "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      TAKEN+="$port "
      echo "$port"
      return
    fi
  done
  die "no free port found"
}

# Runs a command as the postgres user when we are root (postgres refuses root).
as_pg() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# GET http://127.0.0.1:$1$2 and print the status code (no curl needed).
http_status() {
  local reply
  reply=$( (exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&3 &&
    head -c 64 <&3) 2>/dev/null || true)
  echo "$reply" | head -1 | awk '{print $2}'
}

wait_ready() {  # port, what, log file
  for _ in $(seq 1 150); do
    [[ $(http_status "$1" /readyz) == 200 ]] && return 0
    sleep 0.2
  done
  tail -20 "$3" >&2 || true
  die "$2 on port $1 is not ready after 30 s (log: $3)"
}

load_env() {
  [[ -f $DIR/cluster.env ]] || die "no cluster in $DIR (run: scripts/cluster.sh up --dir $DIR)"
  # shellcheck disable=SC1091
  source "$DIR/cluster.env"
}

start_instance() {  # index (1-based)
  local i=$1 port_var="INSTANCE_${1}_PORT" port
  port=${!port_var}
  mkdir -p "$DIR/instance-$i"
  # The demo trainee is created once in the shared database; its password file is shared too.
  [[ -f $DIR/demo-trainee.password ]] && cp "$DIR/demo-trainee.password" "$DIR/instance-$i/"
  SALESBOOST_SECRET_POSTGRES_DSN="$POSTGRES_DSN" SALESBOOST_SECRET_JWT_SIGNING_KEY="$(cat "$DIR/jwt.key")" \
    OMP_THREAD_LIMIT=1 nohup "$(binary)" serve \
    --set "data.dir=$DIR/instance-$i" --set server.host=127.0.0.1 --set "server.port=$port" \
    --set store.driver=postgres --set store.postgres_dsn=secret:postgres_dsn \
    --set auth.jwt_signing_key=secret:jwt_signing_key \
    --set cluster.backend=redis --set "cluster.redis_url=redis://127.0.0.1:$REDIS_PORT/0" \
    --set "cluster.instance_id=instance-$i" --set server.max_connections_per_address=0 ${CLUSTER_FLAGS:-} \
    >"$DIR/instance-$i.log" 2>&1 &
  echo $! >"$DIR/instance-$i.pid"
  wait_ready "$port" "instance $i" "$DIR/instance-$i.log"
  if [[ ! -f $DIR/demo-trainee.password && -f $DIR/instance-$i/demo-trainee.password ]]; then
    cp "$DIR/instance-$i/demo-trainee.password" "$DIR/demo-trainee.password"
  fi
}

stop_pidfile() {  # file, signal
  [[ -f $1 ]] || return 0
  local pid
  pid=$(cat "$1")
  kill "-${2:-TERM}" "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$1"
}

up() {
  [[ -e $DIR/cluster.env ]] && die "$DIR already holds a cluster (scripts/cluster.sh down --dir $DIR first)"
  command -v redis-server >/dev/null || die "redis-server is missing (scripts/install-deps.sh)"
  command -v nginx >/dev/null || die "nginx is missing (scripts/install-deps.sh)"
  [[ -x $PG_BIN/initdb ]] || die "PostgreSQL 15 is missing (scripts/install-deps.sh)"
  binary >/dev/null
  mkdir -p "$DIR"
  chmod 0755 "$DIR"
  local redis_port pg_port lb_port
  redis_port=$(free_port)
  pg_port=$(free_port)
  lb_port=$(free_port)

  echo "cluster: redis on 127.0.0.1:$redis_port"
  redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no --daemonize yes \
    --dir "$DIR" --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log"
  local answered=""
  for _ in $(seq 1 50); do
    answered=$( (exec 3<>"/dev/tcp/127.0.0.1/$redis_port" && printf 'PING\r\n' >&3 && head -c 7 <&3) 2>/dev/null || true)
    [[ $answered == +PONG* ]] && break
    sleep 0.1
  done
  [[ $answered == +PONG* ]] || { tail -5 "$DIR/redis.log" >&2 || true; die "redis did not start on port $redis_port"; }

  echo "cluster: postgresql on 127.0.0.1:$pg_port"
  mkdir -p "$DIR/pg"
  [[ $(id -u) -eq 0 ]] && chown postgres: "$DIR/pg"
  as_pg "$PG_BIN/initdb" -D "$DIR/pg/data" -U salesboost --auth=trust -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log"
  # A port free a moment ago may be taken before the server binds it: try another, saying why.
  local attempt
  for attempt in 1 2 3; do
    if as_pg "$PG_BIN/pg_ctl" -D "$DIR/pg/data" -l "$DIR/pg/postgres.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $DIR/pg -c fsync=off" start >/dev/null; then
      break
    fi
    echo "cluster: postgresql did not start on port $pg_port:" >&2
    tail -5 "$DIR/pg/postgres.log" >&2 || true
    ((attempt < 3)) || die "postgresql did not start (log: $DIR/pg/postgres.log)"
    pg_port=$(free_port)
    echo "cluster: postgresql on 127.0.0.1:$pg_port"
  done
  as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$pg_port" -U salesboost salesboost

  head -c 48 /dev/urandom | base64 | tr -d '\n' >"$DIR/jwt.key"
  chmod 0600 "$DIR/jwt.key"
  {
    echo "DIR=$DIR"
    echo "REDIS_PORT=$redis_port"
    echo "PG_PORT=$pg_port"
    echo "POSTGRES_DSN='host=127.0.0.1 port=$pg_port user=salesboost dbname=salesboost'"
    echo "LB_PORT=$lb_port"
    echo "URL=http://127.0.0.1:$lb_port"
    echo "INSTANCES=$INSTANCES"
    printf 'CLUSTER_FLAGS=%q\n' "${CLUSTER_FLAGS:-}"
    for i in $(seq 1 "$INSTANCES"); do echo "INSTANCE_${i}_PORT=$(free_port)"; done
  } >"$DIR/cluster.env"
  load_env

  # One at a time: the first migrates the database and imports the demo data.
  for i in $(seq 1 "$INSTANCES"); do
    local port_var="INSTANCE_${i}_PORT"
    echo "cluster: instance $i on 127.0.0.1:${!port_var}"
    start_instance "$i"
  done

  echo "cluster: nginx on 127.0.0.1:$lb_port"
  mkdir -p "$DIR/nginx"
  local servers=""
  for i in $(seq 1 "$INSTANCES"); do
    local port_var="INSTANCE_${i}_PORT"
    servers+="  server 127.0.0.1:${!port_var} max_fails=1 fail_timeout=2s;"$'\n'
  done
  SERVERS="$servers" LISTEN="127.0.0.1:$lb_port" awk '
    /^\{\{SERVERS\}\}$/ { printf "%s", ENVIRON["SERVERS"]; next }
    { gsub(/\{\{LISTEN\}\}/, ENVIRON["LISTEN"]); print }' \
    "$ROOT/deploy/nginx/salesboost.conf" >"$DIR/nginx/salesboost.conf"
  cat >"$DIR/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon on;
pid $DIR/nginx/nginx.pid;
error_log $DIR/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log $DIR/nginx/access.log;
  client_body_temp_path $DIR/nginx/body;
  proxy_temp_path $DIR/nginx/proxy;
  include $DIR/nginx/salesboost.conf;
}
EOF
  nginx -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf" -e "$DIR/nginx/error.log"
  wait_ready "$lb_port" "nginx" "$DIR/nginx/error.log"
  status
  echo
  echo "Log in through the load balancer as \"trainee\" with the password in $DIR/demo-trainee.password:"
  echo "  $(binary) chat --server $URL --password-file $DIR/demo-trainee.password"
}

status() {
  load_env
  echo "load balancer  $URL"
  echo "redis          127.0.0.1:$REDIS_PORT  $( [[ -f $DIR/redis.pid ]] && kill -0 "$(cat "$DIR/redis.pid")" 2>/dev/null && echo up || echo down)"
  echo "postgresql     127.0.0.1:$PG_PORT  $(as_pg "$PG_BIN/pg_ctl" -D "$DIR/pg/data" status >/dev/null 2>&1 && echo up || echo down)"
  for i in $(seq 1 "$INSTANCES"); do
    local port_var="INSTANCE_${i}_PORT" state=down
    [[ $(http_status "${!port_var}" /readyz) == 200 ]] && state=ready
    echo "instance $i     127.0.0.1:${!port_var}  $state  (log $DIR/instance-$i.log)"
  done
}

down() {
  [[ -f $DIR/cluster.env ]] || { echo "cluster: nothing in $DIR"; return 0; }
  load_env
  [[ -f $DIR/nginx/nginx.pid ]] && nginx -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf" -s quit 2>/dev/null || true
  for i in $(seq 1 "$INSTANCES"); do stop_pidfile "$DIR/instance-$i.pid" TERM; done
  as_pg "$PG_BIN/pg_ctl" -D "$DIR/pg/data" -m fast stop >/dev/null 2>&1 || true
  stop_pidfile "$DIR/redis.pid" TERM
  stop_pidfile "$DIR/nginx/nginx.pid" TERM
  rm -rf "$DIR"
  echo "cluster: stopped, $DIR removed"
}

case $CMD in
  up) up ;;
  down) down ;;
  status) status ;;
  kill) load_env; [[ -n $ARG ]] || die "kill needs an instance number"; stop_pidfile "$DIR/instance-$ARG.pid" KILL; echo "cluster: instance $ARG killed" ;;
  start) load_env; [[ -n $ARG ]] || die "start needs an instance number"; start_instance "$ARG"; echo "cluster: instance $ARG started" ;;
  *) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
