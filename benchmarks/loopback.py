"""A loopback HTTP server in its own process, so the poll benchmark's CPU time is the poller's alone.

``python -m benchmarks.loopback ROUTES.json`` serves ``{path: {"file": PATH, "etag": ETAG or null}}`` on
127.0.0.1 (a free port, printed as the first stdout line) and answers ``If-None-Match`` with 304 when the
route has an ETag, like the Hugging Face and arena.ai servers. ``serve(routes)`` starts it and returns the
process and base URL; stop it with ``proc.terminate()``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def _handler(routes: dict[str, tuple[bytes, str | None]]):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            found = routes.get(self.path.split("?")[0])
            if found is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body, etag = found
            if etag and self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            if etag:
                self.send_header("ETag", etag)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    return Handler


def main(routes_file: str) -> None:
    spec = json.loads(Path(routes_file).read_text())
    routes = {path: (Path(r["file"]).read_bytes(), r.get("etag")) for path, r in spec.items()}
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(routes))
    print(server.server_address[1], flush=True)
    server.serve_forever(poll_interval=0.05)


def serve(routes: dict[str, dict], routes_file: Path) -> tuple[subprocess.Popen, str]:
    routes_file.write_text(json.dumps(routes))
    proc = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.loopback", str(routes_file)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    port = proc.stdout.readline().strip()
    if not port.isdigit():
        proc.terminate()
        raise RuntimeError(f"loopback server did not start (said {port!r})")
    return proc, f"http://127.0.0.1:{port}"


if __name__ == "__main__":
    main(sys.argv[1])
