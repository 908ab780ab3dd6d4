"""Little HTTP servers on loopback, for the third parties tests talk to over a real socket:
an issuer's web site, a did:web host, a status list host, a time-stamping authority.

    class Site(QuietHandler):
        def do_GET(self) -> None: ...

    with serving(ThreadingHTTPServer(("127.0.0.1", 0), Site)) as base_url:
        fetch_bytes(f"{base_url}/document")
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class QuietHandler(http.server.BaseHTTPRequestHandler):
    """A request handler that writes no request log to stderr."""

    def log_message(self, format: str, *args: Any) -> None:
        del format, args


@contextmanager
def serving(server: http.server.HTTPServer) -> Iterator[str]:
    """Run ``server`` (bound to a loopback port) in a thread until the block ends; yields
    its base URL."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
