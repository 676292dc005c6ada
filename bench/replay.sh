#!/usr/bin/env bash
# Benchmarks of `hcl replay` and log selection (issue 4), in release mode,
# against the in-process fake Helicone gateway on 127.0.0.1.
#   - replaying 1,000 logged requests at -j 32: requests/s
#   - listing and selecting over a 100,000-record log: wall time, peak memory
# Figures go to bench/RESULTS.md by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --release --test it bench_replay -- --ignored --nocapture --test-threads 1 2>&1 |
  grep -oE '(RESULT|replay 1000|log:) .*'
