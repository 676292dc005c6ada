#!/usr/bin/env bash
# Benchmark for `hcl stream` (issue 3): time to first token against `curl -N`
# on the same local stream, and decoding throughput. Release mode; everything
# runs on 127.0.0.1. Usage: bench/stream.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-200}"

echo "### Decoder throughput (in process, release)"
cargo test --release --quiet --bin hcl -- --ignored --nocapture \
    sse::tests::throughput_10mb wire::stream::tests::throughput_10mb 2>&1 |
    grep -E "throughput|decode"
echo

cargo build --release --quiet
python3 bench/stream_bench.py target/release/hcl --runs "$runs"
