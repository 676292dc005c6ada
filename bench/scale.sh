#!/usr/bin/env bash
# Issue 15, part 7: hcl side by side with wrk against one static nginx.
#
#   bench/scale.sh [SECTION...]     (default: all of them)
#   HCL=/path/to/hcl bench/scale.sh ...   (another build; nothing is built)
#
# Sections:
#   batch    wrk -c 64 (the limit), then `hcl chat --batch` of 10,000 lines at
#            -j 64 with every exchange logged; requests/s and the ratio
#   replay   `hcl replay` of 1,000 logged requests at -j 64 (replays logged too)
#   scan     `hcl log list --all --model no-such-model` over a 1 GB log: GB/s, peak RSS
#   longline `log list -n 20` and `replay --last 3` (to the nginx) when the newest line is 50 MB
#   version  `hcl --version` against a hello-world binary built with hcl's release profile
#   rss      peak RSS of a batch of 10,000 and of 1,000,000 lines
#
# Release build; everything on 127.0.0.1; keys are fake. Figures go to
# bench/RESULTS.md by hand, with the machine they came from.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
. bench/nginx.sh
sections=("$@")
[ ${#sections[@]} -gt 0 ] || sections=(batch replay scan longline version rss)

if [ -z "${HCL:-}" ]; then
  cargo build --release --quiet --bin hcl
  HCL=$ROOT/target/release/hcl
fi
work=$(mktemp -d)
trap 'stop_nginx; rm -rf "$work"' EXIT
start_nginx "$work"

export HELICONE_API_KEY=sk-helicone-bench-0000 OPENAI_API_KEY=test-openai-bench
export HCL_NO_KEYRING=1 HCL_CONFIG=$work/none.toml NO_COLOR=1
export HCL_BASE_URL_OPENAI=$NGINX_URL

now() { date +%s.%N; }
rate() { echo "$1 / ($3 - $2)" | bc -l; } # count t0 t1
peak_rss_mb() { awk -F: '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$1"; }
# CPU seconds (user + system) from `/usr/bin/time -v`: on a loaded machine
# the wall clock measures the other processes as well.
cpu_s() { awk -F': ' '/User time|System time/ {t += $2} END {printf "%.3f", t}' "$1"; }
lines() { # n file
  seq "$1" | awk '{printf "{\"id\":\"q%d\",\"prompt\":\"question %d\"}\n", $1, $1}' > "$2"
}

echo "# bench/scale.sh on $(nproc) cores, $(date -u '+%F %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# server: nginx $(nginx -v 2>&1 | sed 's/.*\///'), 1 worker, at $NGINX_URL"

WRK_RPS=
wrk_limit() {
  cat > "$work/post.lua" <<'EOF'
wrk.method = "POST"
wrk.body = '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"question 1"}]}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer test-openai-bench"
wrk.headers["Helicone-Auth"] = "Bearer sk-helicone-bench-0000"
EOF
  wrk -t 2 -c 64 -d 5s -s "$work/post.lua" "$NGINX_URL/v1/chat/completions" > "$work/wrk.out"
  WRK_RPS=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.out")
  printf 'wrk -t 2 -c 64 -d 5s (POST, same headers): %.0f req/s\n' "$WRK_RPS"
}

run_batch() { # n j -> sets BATCH_RPS
  lines "$1" "$work/in.jsonl"
  rm -f "$work/log.jsonl"
  local t0 t1
  t0=$(now)
  HCL_LOG=$work/log.jsonl /usr/bin/time -v -o "$work/batch.time" \
    "$HCL" chat --batch "$work/in.jsonl" -j "$2" -q > "$work/batch.out"
  t1=$(now)
  local ok logged
  ok=$(grep -c '"status":200' "$work/batch.out" || true)
  logged=$(wc -l < "$work/log.jsonl")
  BATCH_RPS=$(rate "$1" "$t0" "$t1")
  printf 'hcl chat --batch %s lines -j %s: %.0f req/s (ok %s, logged %s, peak RSS %s MB, CPU %s s, %.0f req per CPU s)\n' \
    "$1" "$2" "$BATCH_RPS" "$ok" "$logged" "$(peak_rss_mb "$work/batch.time")" \
    "$(cpu_s "$work/batch.time")" "$(echo "$1 / $(cpu_s "$work/batch.time")" | bc -l)"
}

section_batch() {
  echo "## batch"
  wrk_limit
  run_batch 10000 64
  printf 'ratio hcl/wrk: %.2f\n' "$(echo "$BATCH_RPS / $WRK_RPS" | bc -l)"
  wrk_limit
}

section_replay() {
  echo "## replay"
  [ -n "$WRK_RPS" ] || wrk_limit
  lines 1000 "$work/in.jsonl"
  rm -f "$work/log.jsonl"
  HCL_LOG=$work/log.jsonl "$HCL" chat --batch "$work/in.jsonl" -j 64 -q > /dev/null
  local t0 t1 r
  t0=$(now)
  HCL_LOG=$work/log.jsonl /usr/bin/time -v -o "$work/replay.time" \
    "$HCL" replay --last 1000 -j 64 --json -q > "$work/replay.out" || true
  t1=$(now)
  r=$(rate 1000 "$t0" "$t1")
  printf 'hcl replay --last 1000 -j 64: %.0f req/s, ratio %.2f (log now %s records, CPU %s s)\n' \
    "$r" "$(echo "$r / $WRK_RPS" | bc -l)" "$(wc -l < "$work/log.jsonl")" "$(cpu_s "$work/replay.time")"
}

big_log() { # mb file: copies of a 100-record log of real batch records
  lines 100 "$work/seed.jsonl"
  rm -f "$work/seed.log"
  HCL_LOG=$work/seed.log "$HCL" chat --batch "$work/seed.jsonl" -j 8 -q > /dev/null
  python3 - "$work/seed.log" "$2" "$1" <<'PY'
import sys, uuid, json
seed = [json.loads(l) for l in open(sys.argv[1])]
target = int(sys.argv[3]) << 20
out = open(sys.argv[2], "w")
written = 0
while written < target:
    buf = []
    for r in seed:
        r["id"] = str(uuid.uuid4())
        buf.append(json.dumps(r, separators=(",", ":")))
    chunk = "\n".join(buf) + "\n"
    out.write(chunk)
    written += len(chunk)
PY
  chmod 600 "$2"
}

section_scan() {
  echo "## scan"
  big_log 1024 "$work/big.log"
  local size t0 t1
  size=$(stat -c %s "$work/big.log")
  cat "$work/big.log" > /dev/null # warm the page cache
  for _ in 1 2 3; do
    t0=$(now)
    HCL_LOG=$work/big.log /usr/bin/time -v -o "$work/scan.time" \
      "$HCL" log list --all --model no-such-model > /dev/null 2>&1 || true
    t1=$(now)
    printf 'log list --all --model no-such-model over %s MB: %.3f s, %.2f GB/s, CPU %s s, peak RSS %s MB\n' \
      "$((size >> 20))" "$(echo "$t1 - $t0" | bc -l)" \
      "$(echo "$size / ($t1 - $t0) / 1000000000" | bc -l)" "$(cpu_s "$work/scan.time")" \
      "$(peak_rss_mb "$work/scan.time")"
  done
  rm -f "$work/big.log"
}

section_longline() {
  echo "## longline"
  python3 bench/longlog.py "$work/long.log" 50 30
  chmod 600 "$work/long.log"
  local args t0 t1
  for args in "log list -n 20" "replay --last 3 --no-log --base-url $NGINX_URL"; do
    for _ in 1 2 3; do
      t0=$(now)
      HCL_LOG=$work/long.log /usr/bin/time -v -o "$work/long.time" \
        "$HCL" $args > "$work/long.out" 2>&1 || true
      t1=$(now)
      printf '%-28s newest line 50 MB: %.1f ms, CPU %s s (%s bytes out)\n' "${args%% --base-url*}" \
        "$(echo "($t1 - $t0) * 1000" | bc -l)" "$(cpu_s "$work/long.time")" "$(wc -c < "$work/long.out")"
    done
  done
}

# N runs of a command after 20 warm-up runs: wall time (one monotonic
# clock) and CPU time (user + system, from wait4), median and minimum, in ms.
runs_ms() { # n cmd...
  python3 - "$@" <<'PY'
import os, subprocess, sys, time
n, cmd = int(sys.argv[1]), sys.argv[2:]
def once():
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    _, _, ru = os.wait4(p.pid, 0)
    return time.perf_counter() - t, ru.ru_utime + ru.ru_stime
for _ in range(20):
    once()
wall, cpu = zip(*(once() for _ in range(n)))
med = lambda xs: sorted(xs)[len(xs) // 2] * 1000
print(f"wall median {med(wall):.3f} ms min {min(wall)*1000:.3f} ms; CPU median {med(cpu):.3f} ms min {min(cpu)*1000:.3f} ms")
PY
}

section_version() {
  echo "## version"
  local hello=$work/hello
  mkdir -p "$hello/src"
  sed -n '/^\[profile.release\]/,/^$/p' Cargo.toml > "$work/profile.toml"
  { printf '[package]\nname = "hello"\nversion = "0.1.0"\nedition = "2024"\n\n'; cat "$work/profile.toml"; } > "$hello/Cargo.toml"
  echo 'fn main() { println!("hello 0.1.0"); }' > "$hello/src/main.rs"
  (cd "$hello" && cargo build --release --quiet)
  echo "hello-world (same profile): $(runs_ms 500 "$hello/target/release/hello")"
  echo "hcl --version:              $(runs_ms 500 "$HCL" --version)"
}

section_rss() {
  echo "## rss"
  run_batch 10000 64
  run_batch 1000000 64
}

for s in "${sections[@]}"; do "section_$s"; done
