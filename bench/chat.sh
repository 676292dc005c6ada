#!/usr/bin/env bash
# Start-up and per-request overhead of hcl, side by side with curl.
# Usage: bench/chat.sh   (needs hyperfine, curl, python3; builds --release)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
HCL=target/release/hcl
PORT=${PORT:-18787}
python3 bench/chat_server.py "$PORT" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null' EXIT
for _ in $(seq 50); do curl -s -o /dev/null -X POST "http://127.0.0.1:$PORT/" && break; sleep 0.1; done

export HELICONE_API_KEY=sk-helicone-BENCH01-AAAAAAA-BBBBBBB-CCCCCCC
export OPENAI_API_KEY=bench-openai-key
export HCL_NO_KEYRING=1
export HCL_CONFIG=/nonexistent/hcl-bench.toml
export HCL_LOG
HCL_LOG=$(mktemp -d)/requests.jsonl
BODY='{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hello"}]}'

hyperfine -N --warmup 20 --runs 300 --export-markdown bench/startup.md \
  "$HCL --version" \
  "$HCL chat --dry-run hello"

hyperfine -N --warmup 20 --runs 300 --export-markdown bench/chat-vs-curl.md \
  -n curl "curl -sS -X POST http://127.0.0.1:$PORT/v1/chat/completions -H 'Content-Type: application/json' -H 'Authorization: Bearer $OPENAI_API_KEY' -H 'Helicone-Auth: Bearer $HELICONE_API_KEY' --data-raw '$BODY'" \
  -n "hcl chat" "$HCL chat --base-url http://127.0.0.1:$PORT hello" \
  -n "hcl chat --no-log" "$HCL chat --no-log --base-url http://127.0.0.1:$PORT hello"
