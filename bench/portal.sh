#!/usr/bin/env bash
# Portal benchmarks (issue 5), on loopback with wrk:
#   1. a public news item from the page cache (the default);
#   2. the same page with the cache off: every request queries SQLite and renders;
#   3. latency at a steady ~1,000 requests per second on the uncached page (wrk's delay()
#      paces each connection; see bench/steady.lua);
#   4. a search query, uncached;
#   5. nginx serving the same news item as a static file, in the same run, for the ratio.
# Usage: bench/portal.sh [DURATION_SECONDS]   (needs wrk, nginx and curl; Debian packages)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-15}
TARGET=${CARGO_TARGET_DIR:-target}
for tool in wrk nginx curl; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install -y wrk nginx curl" >&2; exit 1; }
done
source bench/nginx.sh

cargo build --release -q -p prongsai
BIN="$TARGET/release/prongsai"
WORK=$(mktemp -d)
PORT=18490
NGINX_PORT=18491
SERVER=
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

start() { # start [extra env…]
  env PRONGSAI_LOG=warn "$@" "$BIN" --data-dir "$WORK/data" serve --bind "127.0.0.1:$PORT" >"$WORK/serve.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 500); do
    curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz" && return 0
    sleep 0.01
  done
  echo "the server did not start" >&2
  exit 1
}

stop() {
  kill -TERM "$SERVER"
  wait "$SERVER" 2>/dev/null || true
  SERVER=
}

# load CONNECTIONS URL [wrk options…] → "requests/s p50 p99"
load() {
  local conns=$1 url=$2
  shift 2
  wrk -t2 -c"$conns" -d"${DURATION}s" --latency "$@" "$url" >"$WORK/wrk.txt"
  if grep -q "Non-2xx" "$WORK/wrk.txt"; then echo "non-2xx responses:" >&2; cat "$WORK/wrk.txt" >&2; exit 1; fi
  echo "$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.txt") $(awk '$1=="50%" {print $2}' "$WORK/wrk.txt") $(awk '$1=="99%" {print $2}' "$WORK/wrk.txt")"
}

echo "machine: $(nproc) cores, $(uname -r); wrk -t2, ${DURATION} s per run"
start
NEWS=$(curl -fs "http://127.0.0.1:$PORT/a/nonhan/news" | grep -o '/a/nonhan/news/[0-9][0-9]*' | head -1)
[ -n "$NEWS" ] || { echo "no news item on /a/nonhan/news" >&2; exit 1; }
URL="http://127.0.0.1:$PORT$NEWS"
echo "page: $NEWS ($(curl -fs "$URL" | wc -c) bytes of HTML)"
read -r ours p50 p99 < <(load 64 "$URL")
echo "cached news item:          $ours req/s, p50 $p50, p99 $p99"
# The same HTML from nginx, while the server is idle.
curl -fs "$URL" -o "$WORK/news.html"
nginx_static "$WORK/news.html" "$NEWS" "$NGINX_PORT"
read -r theirs np50 np99 < <(load 64 "http://127.0.0.1:$NGINX_PORT$NEWS")
echo "nginx static copy:         $theirs req/s, p50 $np50, p99 $np99"
awk -v a="$ours" -v b="$theirs" 'BEGIN { printf "ratio prongsai/nginx:      %.2f\n", a / b }'
kill "$(cat "$WORK/nginx.pid")"
rm -f "$WORK/nginx.pid"
SEARCH="http://127.0.0.1:$PORT/a/nonhan/search?q=%E0%B8%84%E0%B8%A7%E0%B8%B2%E0%B8%A1%E0%B9%82%E0%B8%9B%E0%B8%A3%E0%B9%88%E0%B8%87%E0%B9%83%E0%B8%AA"
read -r r p50 p99 < <(load 16 "$SEARCH")
echo "search ความโปร่งใส:          $r req/s, p50 $p50, p99 $p99"
stop

start PRONGSAI_PAGE_CACHE=false
read -r r p50 p99 < <(load 64 "$URL")
echo "uncached news item:        $r req/s, p50 $p50, p99 $p99"
# 22 connections, each waiting 20 ms (plus the answer's ~1 ms) before its next request: just
# over 1,000 requests/s.
read -r r p50 p99 < <(load 22 "$URL" -s bench/steady.lua)
echo "uncached at a steady rate: $r req/s, p50 $p50, p99 $p99"
stop
