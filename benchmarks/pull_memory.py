"""Peak memory of `schemas pull` for one response, as a multiple of the response's size.

    python benchmarks/pull_memory.py [--size-mb N] [--shapes a,b] [--source DIR]

`--source DIR` measures the lint_secrets package found in DIR instead of this checkout's,
e.g. an older commit exported with `git archive COMMIT lint_secrets | tar -x -C DIR`.

A loopback HTTP server (this process) answers GET /v1/models/acme/big with a generated
model response of each shape below; a fresh child process pulls it and reports its own peak
resident set (VmHWM on Linux) before and after the pull. The difference, divided by the
response's size, is the factor printed. Shapes:

  schema   a realistic schema: thousands of inputs, each a small object of short strings
  objects  a list of tiny objects ({"a":1}), the worst case for a parsed tree
  numbers  a list of small integers
  floats   a list of floats (an embedding model's example output)
  strings  a list of short strings (a language model's example output, token by token)
  deep     the issue's case: arrays nested 400 deep, repeated
  example  a huge `default_example`, which is never stored
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Dict, List

REPO = Path(__file__).resolve().parent.parent

CHILD = r"""
import resource, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from lint_secrets import api
from lint_secrets.api import pull
try:
    from lint_secrets.model_refs import parse_pull_ref
except ImportError:  # a tree from before model refs had a module of their own
    from lint_secrets.api import parse_pull_ref
def peak() -> int:
    # VmHWM: this process's own high-water mark. ru_maxrss is not: Linux carries it across
    # exec from the forking parent, which holds the payloads.
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
before = peak()
started = time.perf_counter()
with tempfile.TemporaryDirectory() as cache:
    [result] = pull([parse_pull_ref("acme/big")], Path(cache), token="r8_" + "a" * 37,
                    base_url=sys.argv[1], timeout=120.0, max_retries=0)
    stored = sum(p.stat().st_size for p in Path(cache).rglob("*.json"))
print(before, peak(), int(result.ok), stored, f"{time.perf_counter() - started:.2f}", result.message)
"""


def _schema(size: int) -> Any:
    properties: Dict[str, Any] = {}
    i = 0
    while len(properties) * 120 < size:
        properties[f"input_{i}"] = {
            "type": "string",
            "title": f"Input {i}",
            "description": "What the model reads for this input",
            "x-order": i,
        }
        i += 1
    return {"Input": {"type": "object", "properties": properties}}


def body(shape: str, size: int) -> bytes:
    schemas: Dict[str, Any] = {"Input": {"type": "object", "properties": {"prompt": {"type": "string"}}}}
    extra: Any = None
    example: Any = None
    if shape == "schema":
        schemas = _schema(size)
    elif shape == "objects":
        extra = [{"a": 1}] * (size // 8)
    elif shape == "numbers":
        extra = list(range(10)) * (size // 20)
    elif shape == "floats":
        extra = [i / 7 for i in range(size // 20)]
    elif shape == "strings":
        extra = [" the", " a", " of"] * (size // 18)
    elif shape == "example":
        example = {"input": {"prompt": "x" * 40}, "output": [{"a": 1}] * (size // 8)}
    document: Dict[str, Any] = {
        "latest_version": {"id": "v1", "openapi_schema": {"components": {"schemas": schemas}}},
        "default_example": example,
        "x": extra,
    }
    if shape == "deep":
        deep = "[" * 400 + "]" * 400
        text = json.dumps(document)[:-1] + ', "deep": [' + ",".join([deep] * (size // 800)) + "]}"
        return text.encode()
    return json.dumps(document, separators=(",", ":")).encode()


class _Handler(BaseHTTPRequestHandler):
    payload = b""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.payload)))
        self.end_headers()
        self.wfile.write(self.payload)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=4.0, help="response size (default 4 MB)")
    parser.add_argument("--shapes", default="schema,objects,numbers,floats,strings,deep,example")
    parser.add_argument("--source", default=str(REPO), help="directory holding the lint_secrets to measure")
    options = parser.parse_args()
    size = int(options.size_mb * 1024 * 1024)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    rows: List[str] = []
    print(f"{'shape':<8} {'response':>10} {'stored':>10} {'peak extra':>11} {'factor':>7} {'seconds':>8}  ok")
    for shape in options.shapes.split(","):
        _Handler.payload = body(shape, size)
        done = subprocess.run(
            [sys.executable, "-c", CHILD, base_url, options.source],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode != 0:
            print(f"{shape:<8} failed: {done.stderr.strip().splitlines()[-1:]}")
            continue
        before, after, ok, stored, seconds, message = [*done.stdout.split(" ", 5), ""][:6]
        extra = int(after) - int(before)
        length = len(_Handler.payload)
        rows.append(shape)
        print(
            f"{shape:<8} {length / 1e6:>8.2f}MB {int(stored) / 1e6:>8.2f}MB {extra / 1e6:>9.1f}MB"
            f" {extra / length:>6.1f}x {seconds:>8}  {'yes' if ok == '1' else 'no: ' + message.strip()}"
        )
    server.shutdown()


if __name__ == "__main__":
    main()
