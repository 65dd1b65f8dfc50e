"""A folder served over http on 127.0.0.1, with the content types a static host gives."""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path


class StaticSiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder quietly (no line per request), with the types a static host gives.

    The ``LinkChecker`` response header tells linkchecker this host may be checked at full
    speed (otherwise it waits 0.1-0.6 s between requests to one host).
    """

    extensions_map = {  # noqa: RUF012 (the base class's attribute, read only)
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".css": "text/css",
        ".svg": "image/svg+xml",
        ".json": "application/json",
        ".wasm": "application/wasm",
        ".csv": "text/csv",
    }

    def end_headers(self):
        self.send_header("LinkChecker", "local test server")
        super().end_headers()

    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` while the block runs; gives its address, ``http://127.0.0.1:PORT`` (no slash)."""
    handler = functools.partial(StaticSiteHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name=f"serve-{folder.name}", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
