#!/usr/bin/env bash
# Foundation benchmarks (issue 2), on loopback:
#   1. the public agency home page under load (wrk), cached and uncached,
#      against nginx serving a saved static copy of the same page, in the same run;
#   2. cold start with the migrations already applied (spawn → first 200 on /healthz);
#   3. idle resident memory after serving;
#   4. the size of the release binary.
# Usage: bench/foundation.sh [DURATION_SECONDS]   (needs wrk, nginx, curl; Debian packages)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-15}
CONNS=64
THREADS=2
TARGET=${CARGO_TARGET_DIR:-target}
for tool in wrk nginx curl; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install -y wrk nginx curl" >&2; exit 1; }
done

cargo build --release -q -p prongsai
BIN="$TARGET/release/prongsai"
WORK=$(mktemp -d)
PORT=18480
NGINX_PORT=18481
PIDS=()
cleanup() {
  for p in "${PIDS[@]:-}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

wait_ready() {
  for _ in $(seq 1 500); do
    curl -fs -o /dev/null "http://127.0.0.1:$1/healthz" && return 0
    sleep 0.01
  done
  echo "server on port $1 did not start" >&2
  return 1
}

start() { # start [extra env…]: serve in the background, record the pid
  env "$@" "$BIN" --data-dir "$WORK/data" serve --bind "127.0.0.1:$PORT" >"$WORK/serve.log" 2>&1 &
  SERVER=$!
  PIDS+=("$SERVER")
}

stop() {
  kill -TERM "$SERVER"
  wait "$SERVER" 2>/dev/null || true
}

rps() { # rps URL → "requests/s p50 p99"
  wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency "$1" >"$WORK/wrk.txt"
  local r p50 p99
  r=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.txt")
  p50=$(awk '$1=="50%" {print $2}' "$WORK/wrk.txt")
  p99=$(awk '$1=="99%" {print $2}' "$WORK/wrk.txt")
  if grep -q "Non-2xx" "$WORK/wrk.txt"; then echo "non-2xx responses:" >&2; cat "$WORK/wrk.txt" >&2; exit 1; fi
  echo "$r $p50 $p99"
}

echo "machine: $(nproc) cores, $(uname -r); wrk -t$THREADS -c$CONNS -d${DURATION}s"

# First start: creates the database, applies migrations, loads the demo.
start PRONGSAI_LOG=warn
wait_ready "$PORT"
curl -fs "http://127.0.0.1:$PORT/a/nonhan/" -o "$WORK/home.html"
echo "page: /a/nonhan/ ($(wc -c <"$WORK/home.html") bytes of HTML)"

# nginx serving the same HTML as a static file.
source bench/nginx.sh
nginx_static "$WORK/home.html" /a/nonhan/ "$NGINX_PORT"

read -r ours p50 p99 < <(rps "http://127.0.0.1:$PORT/a/nonhan/")
read -r theirs np50 np99 < <(rps "http://127.0.0.1:$NGINX_PORT/a/nonhan/")
echo "prongsai /a/nonhan/ (page cache on): $ours req/s  p50 $p50  p99 $p99"
echo "nginx static copy:                   $theirs req/s  p50 $np50  p99 $np99"
awk -v a="$ours" -v b="$theirs" 'BEGIN { printf "ratio prongsai/nginx: %.2f\n", a / b }'

# Idle memory after serving the load.
sleep 2
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER/status")
echo "idle RSS after load: $((rss_kb / 1024)) MB"
stop

# Uncached rendering: every request reads the database and renders the template.
start PRONGSAI_LOG=warn PRONGSAI_PAGE_CACHE=false
wait_ready "$PORT"
read -r unc up50 up99 < <(rps "http://127.0.0.1:$PORT/a/nonhan/")
echo "prongsai /a/nonhan/ (page cache off): $unc req/s  p50 $up50  p99 $up99"
stop

# Cold start with migrations applied: spawn → first 200 on /healthz, five runs.
times=()
for _ in 1 2 3 4 5; do
  t0=$(date +%s%N)
  start PRONGSAI_LOG=warn
  wait_ready "$PORT"
  t1=$(date +%s%N)
  times+=($(( (t1 - t0) / 1000000 )))
  rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER/status")
  stop
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n | tr '\n' ' ')
echo "cold start (ms, 5 runs, sorted): $sorted"
echo "idle RSS right after start: $((rss_kb / 1024)) MB"

size=$(stat -c %s "$BIN")
echo "release binary: $((size / 1024 / 1024)) MB ($size bytes)"
