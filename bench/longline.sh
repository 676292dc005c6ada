#!/usr/bin/env bash
# Reading the newest records past one very long log line (issue 16, defect 3):
# `log list -n 1` (the last line only), `log list -n 3` (through the long
# line), and `log list --all` (forwards), on a log of five records whose
# fourth has a text of SIZE_MB megabytes. Before the fix the backward reader
# copied and searched the unfinished line again for every 64 KiB block, so
# time grew with the square of the line's length.
#
#   bench/longline.sh [SIZE_MB] [HCL_BINARY...]     (default: 20, target/release/hcl)
# Figures go to bench/RESULTS.md by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-20}
shift || true
bins=("$@")
[ ${#bins[@]} -gt 0 ] || bins=(target/release/hcl)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 bench/longlog.py "$dir/log.jsonl" "$size" 5 3
export HCL_LOG="$dir/log.jsonl" HCL_NO_KEYRING=1 HCL_CONFIG="$dir/none.toml"
echo "log: $(du -h "$HCL_LOG" | cut -f1), one line of $size MB"
for bin in "${bins[@]}"; do
  for args in "log list -n 1" "log list -n 3" "log list --all"; do
    start=$(date +%s.%N)
    "$bin" $args >/dev/null 2>&1
    end=$(date +%s.%N)
    printf '%s  %-16s %8.2f s\n' "$bin" "$args" "$(echo "$end - $start" | bc)"
  done
done
