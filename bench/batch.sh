#!/usr/bin/env bash
# Benchmark for `hcl chat --batch` (issue 5): N requests at -j J against a local
# server, side by side with `xargs -P J curl` doing the same work.
#
#   bench/batch.sh [N] [J] [DELAY_MS]      (defaults: 10000 64 10)
#
# Reports requests/s (wall clock), the median added latency (each tool's own
# per-request latency minus the server's fixed DELAY_MS), and peak RSS.
# Then a memory check: a 100,000-line batch must stay under 100 MB RSS.
# Everything runs on 127.0.0.1; keys are fake.
set -euo pipefail

N=${1:-10000}
J=${2:-64}
DELAY=${3:-10}
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin hcl --example bench_server
HCL=$PWD/target/release/hcl
SERVER=$PWD/target/release/examples/bench_server

work=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

start_server() { # delay_ms
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  "$SERVER" 0 "$1" > "$work/server.url" &
  server_pid=$!
  for _ in $(seq 100); do [ -s "$work/server.url" ] && break; sleep 0.05; done
  URL=$(head -n1 "$work/server.url")
}

export HELICONE_API_KEY=sk-helicone-bench-0000 OPENAI_API_KEY=test-openai-bench
export HCL_NO_KEYRING=1 HCL_CONFIG=$work/none.toml NO_COLOR=1

seq "$N" | awk '{printf "{\"id\":\"q%d\",\"prompt\":\"question %d\"}\n", $1, $1}' > "$work/in.jsonl"

median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) {print "-"} else {print a[int((NR+1)/2)]}}'; }
peak_rss_mb() { awk -F: '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$1"; }

run_hcl() { # label
  rm -f "$work/log.jsonl"
  local t0 t1
  t0=$(date +%s.%N)
  HCL_BASE_URL_OPENAI=$URL HCL_LOG=$work/log.jsonl /usr/bin/time -v -o "$work/hcl.time" \
    "$HCL" chat --batch "$work/in.jsonl" -j "$J" -q > "$work/hcl.out"
  t1=$(date +%s.%N)
  local ok; ok=$(jq -s 'map(select(.error == null)) | length' "$work/hcl.out")
  local med; med=$(jq -r '.latency_ms' "$work/hcl.out" | median)
  printf '| hcl chat --batch -j %s | %s | %s | %.0f | %s ms | %s MB |\n' "$J" "$1" "$ok/$N" \
    "$(echo "$N / ($t1 - $t0)" | bc -l)" "$(echo "$med - $DELAY" | bc)" "$(peak_rss_mb "$work/hcl.time")"
}

run_curl() { # label
  local t0 t1
  t0=$(date +%s.%N)
  seq "$N" | /usr/bin/time -v -o "$work/curl.time" xargs -P "$J" -I{} curl -sS -o /dev/null \
    -w '%{http_code} %{time_total}\n' -X POST "$URL/v1/chat/completions" \
    -H 'Content-Type: application/json' -H "Authorization: Bearer $OPENAI_API_KEY" \
    -H "Helicone-Auth: Bearer $HELICONE_API_KEY" \
    --data-raw '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"question {}"}]}' \
    > "$work/curl.out"
  t1=$(date +%s.%N)
  local ok; ok=$(awk '$1 == 200' "$work/curl.out" | wc -l)
  local med; med=$(awk '{printf "%.3f\n", $2 * 1000}' "$work/curl.out" | median)
  # xargs reports its own RSS; each curl is its own process, so give the largest child.
  printf '| xargs -P %s curl | %s | %s | %.0f | %.1f ms | %s MB per process |\n' "$J" "$1" "$ok/$N" \
    "$(echo "$N / ($t1 - $t0)" | bc -l)" "$(echo "$med - $DELAY" | bc -l)" "$(peak_rss_mb "$work/curl.time")"
}

echo "## $N requests, -j $J, on $(nproc) cores ($(date -u +%F))"
echo
echo "| tool | server delay | ok | requests/s | median added latency | peak RSS |"
echo "|---|---|---|---|---|---|"
for d in 0 "$DELAY"; do
  start_server "$d"
  DELAY=$d
  run_hcl "$d ms"
  run_curl "$d ms"
done

echo
echo "Memory: RSS of hcl over batch size (server delay 0 ms, -j $J)"
echo
echo "| lines | peak RSS |"
echo "|---|---|"
start_server 0
for lines in 1000 10000 100000; do
  seq "$lines" | awk '{printf "{\"id\":\"q%d\",\"prompt\":\"question %d\"}\n", $1, $1}' > "$work/mem.jsonl"
  rm -f "$work/log.jsonl"
  HCL_BASE_URL_OPENAI=$URL HCL_LOG=$work/log.jsonl /usr/bin/time -v -o "$work/mem.time" \
    "$HCL" chat --batch "$work/mem.jsonl" -j "$J" -q > /dev/null
  echo "| $lines | $(peak_rss_mb "$work/mem.time") MB |"
done
