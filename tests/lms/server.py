"""A threaded http server for the LMS tests: each URL prefix maps onto one local folder.

Chromium will not let a file:// page reach the API in another file:// frame, so the host page, the
course and scorm-again are served from http://127.0.0.1 on a free port.
"""
from __future__ import annotations

import http.server
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from urllib.parse import unquote, urlsplit

LMS_DIR = Path(__file__).resolve().parent


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves `routes` ({"/prefix/": folder}); anything else is a 404."""

    def __init__(self, *args, routes: dict[str, Path], **kwargs) -> None:  # noqa: ANN002, ANN003
        self.routes = routes
        super().__init__(*args, **kwargs)

    def translate_path(self, path: str) -> str:
        path = unquote(urlsplit(path).path)
        for prefix, folder in self.routes.items():
            if path.startswith(prefix):
                target = (folder / path[len(prefix):]).resolve()
                if target.is_relative_to(folder.resolve()):
                    return str(target)
        return str(LMS_DIR / "missing" / "none")

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    """Quiet when the browser hangs up mid-answer (a page left, a test ended): that is no error of the
    course, and its traceback in the test log would look like one. The cmi5 launcher serves with it too."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: tuple[str, int]) -> None:
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


@contextmanager
def serve(routes: dict[str, Path]) -> Iterator[str]:
    """Serve the routes on 127.0.0.1 and a free port; yields the origin, e.g. http://127.0.0.1:41234."""
    handler = partial(_Handler, routes={k: Path(v) for k, v in routes.items()})
    server = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
