#!/usr/bin/env python3
"""A minimal local OpenAI-compatible server for benchmarks: answers every POST
with a fixed chat completion, HTTP/1.1 keep-alive, no logging."""
import http.server
import json
import sys

BODY = json.dumps({
    "id": "chatcmpl-bench", "object": "chat.completion", "created": 0, "model": "bench",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello from the bench server."},
                 "finish_reason": "stop"}],
    "usage": {"prompt_tokens": 3, "completion_tokens": 6, "total_tokens": 9},
}).encode()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        length = int(self.headers.get("content-length", 0))
        self.rfile.read(length)
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(BODY)))
        self.send_header("helicone-id", self.headers.get("helicone-request-id", "none"))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8787
    http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
