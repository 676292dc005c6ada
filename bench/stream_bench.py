#!/usr/bin/env python3
"""Benchmark `hcl stream` against `curl -N` on the same local SSE stream.

A small OpenAI-style SSE server runs in a thread of this process on
127.0.0.1 (nothing leaves the machine). For each run the harness spawns the
client with stdout on a pipe and records, on one monotonic clock:

  spawn      the moment before the process is started;
  arrival    the moment the server has read the request;
  first      the moment the first token is readable on the client's stdout.

The first token is the first event of the stream, sent the moment the request
has been read, so `first - spawn` is the client's whole time to first token
(process start, connect, send, receive, decode, print) and `first - arrival`
is the part after the request reached the server (receive, decode, print).
Runs alternate between the two clients so drift affects both alike.

The throughput mode streams a ~10 MB body of token events and times each
client from spawn to exit, its stdout read to the end.

Usage: stream_bench.py HCL_BINARY [--runs N] [--throughput-mb MB]
"""

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Obviously fake keys (same shape as the integration tests' constants).
HELICONE_KEY = "sk-helicone-TEST001-AAAAAAA-BBBBBBB-CCCCCCC"
OPENAI_KEY = "test-openai-KEY-0001"

arrivals = []  # monotonic times at which requests were read
MODE = {"kind": "ttft", "big": b""}


def event(text):
    chunk = {
        "id": "chatcmpl-bench",
        "object": "chat.completion.chunk",
        "model": "gpt-4o-mini",
        "choices": [{"index": 0, "delta": {"content": text}, "finish_reason": None}],
    }
    return ("data: " + json.dumps(chunk, separators=(",", ":")) + "\n\n").encode()


TAIL = (
    b'data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n'
    b'data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":20,"total_tokens":23}}\n\n'
    b"data: [DONE]\n\n"
)


def big_body(megabytes):
    parts, size, n = [], 0, 0
    while size < megabytes * 1_000_000:
        e = event(f" word{n}")
        parts.append(e)
        size += len(e)
        n += 1
    parts.append(TAIL)
    return b"".join(parts), n


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def chunk(self, data):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def do_POST(self):
        length = int(self.headers.get("content-length", "0"))
        self.rfile.read(length)
        arrivals.append(time.monotonic())
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("transfer-encoding", "chunked")
        self.send_header("helicone-id", "00000000-0000-4000-8000-000000000000")
        self.end_headers()
        if MODE["kind"] == "ttft":
            # The first token goes out with the headers, the rest 2 ms apart.
            self.chunk(event("Hello"))
            for i in range(19):
                time.sleep(0.002)
                self.chunk(event(f" w{i}"))
            self.chunk(TAIL)
        else:
            body = MODE["big"]
            for i in range(0, len(body), 64 * 1024):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(body[i : i + 65536]), body[i : i + 65536]))
            self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()
        # One request per connection: each client process exits right after.
        self.close_connection = True


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a client that went away mid-answer is not news here

    def server_bind(self):
        self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().server_bind()


def clients(hcl, url, tmp):
    body = json.dumps(
        {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}], "stream": True}
    )
    curl = [
        "curl", "-sN", "-X", "POST", f"{url}/v1/chat/completions",
        "-H", "Content-Type: application/json",
        "-H", f"Authorization: Bearer {OPENAI_KEY}",
        "-H", f"Helicone-Auth: Bearer {HELICONE_KEY}",
        "-d", body,
    ]
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": tmp,
        "HCL_LOG": os.path.join(tmp, "requests.jsonl"),
        "HCL_CONFIG": os.path.join(tmp, "config.toml"),
        "HCL_NO_KEYRING": "1",
        "NO_COLOR": "1",
        "HELICONE_API_KEY": HELICONE_KEY,
        "OPENAI_API_KEY": OPENAI_KEY,
        "HCL_BASE_URL_OPENAI": url,
    }
    return {"curl -N": (curl, None), "hcl stream": ([hcl, "stream", "hi"], env)}


def run_once(argv, env):
    """(spawn->first stdout byte, arrival->first stdout byte, spawn->exit, bytes) in seconds."""
    before = len(arrivals)
    t0 = time.monotonic()
    p = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    fd = p.stdout.fileno()
    first_chunk = os.read(fd, 1 << 16)
    t_first = time.monotonic()
    total = len(first_chunk)
    while True:
        b = os.read(fd, 1 << 20)
        if not b:
            break
        total += len(b)
    p.wait()
    t_end = time.monotonic()
    if p.returncode != 0 or not first_chunk:
        raise SystemExit(f"{argv[0]} failed with {p.returncode}")
    arrival = arrivals[before] if len(arrivals) > before else float("nan")
    return t_first - t0, t_first - arrival, t_end - t0, total


def ms(x):
    return f"{x * 1e3:.2f} ms"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("hcl")
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--throughput-mb", type=int, default=10)
    ap.add_argument("--throughput-runs", type=int, default=10)
    a = ap.parse_args()

    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"

    with tempfile.TemporaryDirectory() as tmp:
        cs = clients(a.hcl, url, tmp)
        # Warm-up: page cache, first connections.
        for argv, env in cs.values():
            for _ in range(5):
                run_once(argv, env)
        res = {name: [] for name in cs}
        for _ in range(a.runs):
            for name, (argv, env) in cs.items():
                res[name].append(run_once(argv, env))

        print(f"## Time to first token ({a.runs} runs each, alternating; median [p10-p90])")
        print()
        print("| client | spawn -> first token on stdout | request at server -> first token on stdout |")
        print("|---|---|---|")
        med = {}
        for name, rows in res.items():
            spawn = sorted(r[0] for r in rows)
            after = sorted(r[1] for r in rows)
            q = lambda xs, p: xs[min(len(xs) - 1, int(p * len(xs)))]
            med[name] = (statistics.median(spawn), statistics.median(after))
            print(
                f"| {name} | {ms(med[name][0])} [{ms(q(spawn, .1))}-{ms(q(spawn, .9))}] "
                f"| {ms(med[name][1])} [{ms(q(after, .1))}-{ms(q(after, .9))}] |"
            )
        d0 = med["hcl stream"][0] - med["curl -N"][0]
        d1 = med["hcl stream"][1] - med["curl -N"][1]
        print()
        print(f"hcl - curl, median: {d0 * 1e3:+.2f} ms from spawn, {d1 * 1e3:+.2f} ms after the request arrived")

        body, n = big_body(a.throughput_mb)
        MODE["kind"], MODE["big"] = "big", body
        print()
        print(
            f"## End-to-end throughput: {len(body) / 1e6:.1f} MB stream of {n} token events "
            f"(best of {a.throughput_runs}, spawn to exit, stdout read to the end)"
        )
        print()
        print("| client | time | MB/s of SSE | bytes on stdout |")
        print("|---|---|---|---|")
        for name, (argv, env) in cs.items():
            best = None
            for _ in range(a.throughput_runs):
                r = run_once(argv, env)
                if best is None or r[2] < best[2]:
                    best = r
            print(f"| {name} | {ms(best[2])} | {len(body) / 1e6 / best[2]:.0f} | {best[3]} |")
    server.shutdown()


if __name__ == "__main__":
    sys.exit(main())
