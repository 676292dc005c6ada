"""Write a request log of COUNT records whose record LONG (0-based; default
the last) has an answer of SIZE_MB megabytes, for the long-line benchmarks
(bench/longline.sh, bench/scale.sh longline).

    python3 bench/longlog.py PATH SIZE_MB COUNT [LONG]
"""
import json
import sys

path, size, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
long_at = int(sys.argv[4]) if len(sys.argv) > 4 else count - 1
rec = {"v": 1, "ts": "2026-01-01T00:00:00.000Z", "provider": "openai", "model": "gpt-4o-mini",
       "stream": False, "request": {"method": "POST", "url": "https://oai.helicone.ai/v1/chat/completions",
       "headers": {}, "body": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}},
       "response": {"status": 200, "headers": {}, "text": "Hello"}, "latency_ms": 5, "ttft_ms": None,
       "error": None, "replay_of": None}
with open(path, "w") as f:
    for i in range(count):
        r = dict(rec, id=f"{i:08x}-0000-4000-8000-000000000000")
        if i == long_at:
            r["response"] = dict(rec["response"], text="x" * (size << 20))
        f.write(json.dumps(r) + "\n")
