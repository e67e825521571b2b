#!/usr/bin/env bash
# Survey submission benchmark (issue 4), on loopback: staff answer the IIT through HTTP on the
# default SQLite database, each with a code of its own, as fast as wrk can send them.
# Every answer is durable when its response is sent (WAL, synchronous=FULL), and the script
# checks afterwards that the database holds exactly as many new answers as wrk got redirects.
# Usage: bench/surveys.sh [DURATION_SECONDS] [CONNECTIONS]   (needs wrk, curl, sqlite3)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-20}
CONNS=${2:-32}
THREADS=2
TARGET=${CARGO_TARGET_DIR:-target}
for tool in wrk curl sqlite3; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install -y wrk curl sqlite3" >&2; exit 1; }
done
cargo build --release -q -p prongsai
BIN="$TARGET/release/prongsai"
WORK=$(mktemp -d)
PORT=18490
B="http://127.0.0.1:$PORT"
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

"$BIN" --data-dir "$WORK/data" serve --bind "127.0.0.1:$PORT" >"$WORK/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 500); do curl -fs -o /dev/null "$B/healthz" && break; sleep 0.02; done

token() { grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//'; }
# The coordinator signs in and makes enough codes for the run (2,000 per request).
ADMIN="$WORK/admin.jar"
t=$(curl -s -c "$ADMIN" -b "$ADMIN" "$B/signin" | token)
curl -s -o /dev/null -c "$ADMIN" -b "$ADMIN" -d "csrf=$t&email=admin%40nonhan.example&password=nonhan-demo-2566" "$B/signin"
YEAR=$(curl -s -o /dev/null -w '%{redirect_url}' -b "$ADMIN" "$B/a/nonhan/admin/ita/surveys" | grep -o '[0-9]*$')
NEEDED=$(( DURATION * 4000 ))
t=$(curl -s -b "$ADMIN" "$B/a/nonhan/admin/ita/surveys/$YEAR" | token)
for _ in $(seq 1 $(( NEEDED / 2000 + 1 ))); do
  curl -s -o /dev/null -b "$ADMIN" -d "csrf=$t&count=2000" "$B/a/nonhan/admin/ita/surveys/$YEAR/iit/codes"
done
curl -s -b "$ADMIN" "$B/a/nonhan/admin/ita/surveys/$YEAR/iit/links" \
  | grep -o '<span class="mono">[^<]*' | sed 's/.*>//' >"$WORK/codes.txt"
CODES=$(wc -l <"$WORK/codes.txt")

# A phone: its CSRF cookie and token, and a whole form (level 3; the yes/no question: ไม่มี).
PHONE="$WORK/phone.jar"
FIRST=$(head -1 "$WORK/codes.txt")
curl -s -c "$PHONE" "$B/s/$FIRST" >"$WORK/form.html"
TOKEN=$(token <"$WORK/form.html")
COOKIE="prongsai_csrf=$(awk '$6=="prongsai_csrf" {print $7}' "$PHONE")"
ANSWERS=$(grep -o 'type="radio" name="[^"]*"' "$WORK/form.html" | sed 's/.*name="//;s/"$//' | sort -u \
  | awk '{ printf "%s%s=%s", (NR>1?"&":""), $1, ($1 ~ /^I4\./ ? 2 : 3) }')
FIELDS=$(echo "$ANSWERS" | tr '&' '\n' | wc -l)

DB="$WORK/data/prongsai.db"
before=$(sqlite3 "$DB" "SELECT COUNT(*) FROM ita_responses")
wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency -s bench/survey-post.lua "$B" -- \
  "$WORK/codes.txt" "$TOKEN" "$COOKIE" "$THREADS" "$ANSWERS" >"$WORK/wrk.txt"
after=$(sqlite3 "$DB" "SELECT COUNT(*) FROM ita_responses")
cat "$WORK/wrk.txt"
requests=$(awk '/requests in/ {print $1}' "$WORK/wrk.txt")
bad=$(awk '/Non-2xx or 3xx/ {print $5}' "$WORK/wrk.txt"); bad=${bad:-0}
rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.txt")
p50=$(awk '$1=="50%" {print $2}' "$WORK/wrk.txt")
p99=$(awk '$1=="99%" {print $2}' "$WORK/wrk.txt")
stored=$(( after - before ))
echo
echo "codes made: $CODES; fields per answer: $FIELDS; connections: $CONNS; duration: ${DURATION}s"
echo "requests: $requests; answers stored: $stored; responses other than a redirect: $bad"
echo "durable answers per second: $(awk -v s="$stored" -v d="$DURATION" 'BEGIN {printf "%.0f", s/d}') (wrk: $rps req/s); p50 $p50; p99 $p99"
# wrk stops counting at the deadline; the requests then in flight are still answered.
if [ "$bad" -ne 0 ] || [ "$stored" -lt "$requests" ] || [ "$stored" -gt $(( requests + CONNS )) ]; then
  echo "FAILED: every request must store exactly one answer" >&2
  exit 1
fi
