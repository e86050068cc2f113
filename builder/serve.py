"""`course serve`: a thin livereload shell around the build, for the trainer's edit-save-look loop.

The course is built once, served from `<out>/web/` and rebuilt whenever a file of the course or of
its theme chain is saved; the browser then reloads through livereload's script and socket. A failed
rebuild keeps the last good course on screen (the build is atomic) and shows its problems over it.
What serve mode adds to pages (the reload and overlay scripts) goes into responses only, never dist/.
"""
from __future__ import annotations

import asyncio
import errno
import gc
import glob
import os
import socket
import time
import traceback
import webbrowser
from pathlib import Path
from typing import Any, Callable
from urllib.parse import unquote, urlsplit

import click
from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from livereload.watcher import Watcher
from tornado import httputil, web
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from .build import root_label
from .errors import BuildError, os_failure
from .project import Project
from .coursedata import script_json

QUIET_SECONDS = 0.15  # rebuild once the files have been still this long: one rebuild per burst of saves
POLL_SECONDS = 0.05   # shortest pause between two looks at the files
POLL_SHARE = 0.2      # at most this share of the time is spent looking (large courses poll less often)
TIDY_SECONDS = 1.0    # idle this long after a build, the collector sorts out memory (see tidy_memory)
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
LOCAL_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})  # the Host names a local server answers to

NOT_BUILT_PAGE = b"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Course not built yet</title></head>
<body><main><h1>The course has not been built yet</h1>
<p>Fix the problems shown and save: this page reloads by itself.</p></main></body></html>
"""

# Served pages only. Keeps the learner's scroll position across reloads (the runtime keeps the page
# through the address hash) and shows the problems of a failed rebuild over the last good course.
CLIENT_SCRIPT = """(function () {
  "use strict";
  var key = "coursewright-serve:" + location.pathname;
  var saved = null;
  try { saved = JSON.parse(sessionStorage.getItem(key) || "null"); } catch (e) { saved = null; }
  addEventListener("pagehide", function () {
    try { sessionStorage.setItem(key, JSON.stringify({hash: location.hash, y: scrollY})); } catch (e) {}
  });
  function restore() {
    if (saved && saved.hash === location.hash && saved.y) { scrollTo(0, saved.y); }
  }
  addEventListener("load", function () { restore(); requestAnimationFrame(restore); });

  var state = JSON.parse(document.getElementById("coursewright-serve-state").textContent);
  if (!state.problems.length) { return; }
  var css = ":host{all:initial}"
    + ".backdrop{position:fixed;inset:0;z-index:2147483647;background:rgba(0,0,0,.6);overflow:auto;"
    + "font:16px/1.5 system-ui,sans-serif;color:#1a1a1a}"
    + ".box{background:#fff;color:#1a1a1a;max-width:48rem;margin:5vh auto;padding:1.25rem 1.5rem;"
    + "border-top:6px solid #b3261e;border-radius:4px;box-shadow:0 8px 32px rgba(0,0,0,.4)}"
    + ".box:focus{outline:3px solid #1d5fa7;outline-offset:2px}"
    + "h2{font-size:1.25rem;margin:0 0 .5rem}p{margin:.25rem 0}ul{list-style:none;margin:1rem 0;padding:0}"
    + "li{border-top:1px solid #ccc;padding:.75rem 0}code{font:.95em/1.4 ui-monospace,monospace;"
    + "overflow-wrap:anywhere}.severity{color:#b3261e;font-weight:bold}.hint{color:#3d3d3d}"
    + "button{font:inherit;color:#1a1a1a;background:#fff;border:2px solid #1a1a1a;border-radius:4px;"
    + "padding:.25rem 1rem;cursor:pointer}button:focus-visible{outline:3px solid #1d5fa7;outline-offset:2px}";
  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }
  function show() {
    var host = element("div");
    host.id = "coursewright-serve-overlay";
    var root = host.attachShadow({mode: "open"});
    var backdrop = element("div", "", "backdrop");
    var box = element("div", "", "box");
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-labelledby", "title");
    box.setAttribute("aria-describedby", "intro");
    box.tabIndex = -1;
    var title = element("h2", state.title);
    title.id = "title";
    var intro = element("p", state.intro);
    intro.id = "intro";
    var list = element("ul");
    state.problems.forEach(function (problem) {
      var item = element("li");
      var where = element("p");
      where.appendChild(element("code", problem.location));
      where.appendChild(document.createTextNode(" "));
      where.appendChild(element("span", problem.severity, "severity"));
      item.appendChild(where);
      item.appendChild(element("p", problem.message, "message"));
      if (problem.hint) { item.appendChild(element("p", problem.hint, "hint")); }
      list.appendChild(item);
    });
    var close = element("button", "Close");
    close.type = "button";
    function dismiss() { host.remove(); }
    close.addEventListener("click", dismiss);
    box.addEventListener("keydown", function (event) { if (event.key === "Escape") { dismiss(); } });
    var style = element("style", css);
    box.append(title, intro, list, close);
    backdrop.appendChild(box);
    root.append(style, backdrop);
    document.body.appendChild(host);
    box.focus();
  }
  if (document.body) { show(); } else { addEventListener("DOMContentLoaded", show); }
}());
"""


class SourceWatcher(Watcher):
    """livereload's polling watcher, made to report every path that changed (added, saved, removed)."""

    def __init__(self, ignored: Callable[[str], bool]) -> None:
        super().__init__()
        self.ignored = ignored
        self.changed: set[Path] = set()

    def watch_folder(self, folder: Path) -> None:
        pattern = os.path.join(glob.escape(str(folder.resolve())), "**", "*")
        if pattern not in self._tasks:
            self.watch(pattern, self._collect, ignore=self.ignored)

    def _collect(self, paths: list[str] | None = None) -> None:
        self.changed.update(Path(p) for p in paths or ())

    def is_file_removed(self) -> bool:
        self.changed.update(Path(p) for p in set(self._task_mtimes) - set(self._new_mtimes))
        return super().is_file_removed()

    def take(self) -> set[Path]:
        """Look at the files once; the paths changed since the last look."""
        self.examine()
        changed, self.changed = self.changed, set()
        return changed


def refusal(request: httputil.HTTPServerRequest, local: bool) -> tuple[int, str] | None:
    """Why a request is not answered, as (status, reason), or None to answer it.

    Served on this computer only, the course answers to its own names alone: a web page elsewhere
    cannot reach it through a name of its own pointing here (DNS rebinding), nor open its reload socket
    from another origin. A path with a control character (`/%00`) is a bad request, not a crash.
    """
    name = httputil.split_host_and_port(request.host.lower())[0].strip("[]")
    if local and name not in LOCAL_NAMES:
        return 403, f"this server answers to 127.0.0.1 and localhost only, not '{name}'"
    origin = request.headers.get("Origin")
    if origin is not None:
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or parts.netloc.lower() != request.host.lower():
            return 403, "requests from other sites are refused"
    if any(ord(c) < 32 or c == "\\" for c in unquote(request.path)):
        return 400, "the address has a character no file name has"
    return None


class LocalOnly(web.RequestHandler):
    """What every handler of the server checks first (see refusal)."""

    local = True

    def prepare(self) -> None:
        refused = refusal(self.request, self.local)
        if refused is not None:
            raise web.HTTPError(refused[0], reason=refused[1])


class ReloadSocket(LocalOnly, LiveReloadHandler):
    """livereload's socket, open to the course's own pages only (livereload itself accepts any origin)."""

    def check_origin(self, origin: str) -> bool:
        return refusal(self.request, self.local) is None


class ReloadScript(LocalOnly, LiveReloadJSHandler):
    """livereload's script, served by the same rules."""


class CourseFiles(LocalOnly, web.StaticFileHandler):
    """The built course, never cached, with the serve scripts added to every HTML page on the way out."""

    def initialize(self, path: str, server: CourseServer) -> None:  # type: ignore[override]
        super().initialize(path, default_filename="index.html")
        self.server = server

    def compute_etag(self) -> str | None:
        return None  # files change under the same name at every rebuild

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", "no-store")

    async def get(self, path: str, include_body: bool = True) -> None:
        if path and not path.endswith((".html", "/")):
            await super().get(path, include_body)
            return
        name = path + "index.html" if not path or path.endswith("/") else path
        root = Path(self.root).resolve()
        file = (root / name).resolve()
        if not file.is_relative_to(root):
            raise web.HTTPError(403)
        if file.is_file():
            html = file.read_bytes()
        elif name == "index.html":
            html = NOT_BUILT_PAGE
        else:
            raise web.HTTPError(404)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        if include_body:
            self.write(inject(html, self.server.head_snippet()))


def inject(html: bytes, snippet: bytes) -> bytes:
    """Add the snippet at the end of <head> (or at the start when a page has no head)."""
    at = html.lower().find(b"</head>")
    return html[:at] + snippet + html[at:] if at >= 0 else snippet + html


class CourseServer:
    """Serves the last good build, rebuilds on save, and tells the browsers what happened."""

    def __init__(self, project: Project, host: str = "127.0.0.1", port: int = 8000,
                 echo: Callable[..., None] = click.echo) -> None:
        self.project, self.host, self.port, self.echo = project, host, port, echo
        self.web_dir = project.out / "web"
        self.label = root_label(project.source).rstrip("/")
        self.problems: list[dict[str, Any]] = []
        self.title = ""
        out = str(project.out.resolve()) + os.sep
        self.watcher = SourceWatcher(
            lambda p: os.path.abspath(p).startswith(out) or p.endswith("~") or os.path.basename(p) == "4913")
        self.pending: set[Path] = set()
        self.last_change = 0.0
        self.built_at: float | None = None  # when the last build ended, until memory is tidied after it

    # -- what the browser gets --------------------------------------------------------------
    def application(self) -> web.Application:
        LiveReloadHandler.watcher = self.watcher
        LiveReloadHandler.live_css = False
        LocalOnly.local = self.host in LOCAL_HOSTS
        return web.Application([
            (r"/livereload", ReloadSocket),
            (r"/livereload\.js", ReloadScript),
            (r"/(.*)", CourseFiles, {"path": str(self.web_dir), "server": self}),
        ], log_function=lambda handler: None)

    def head_snippet(self) -> bytes:
        state = {"title": self.title, "problems": self.problems,
                 "intro": "The last good build is shown below. Fix the file and save: "
                          "this page reloads by itself."}
        return (f'<script type="application/json" id="coursewright-serve-state">{script_json(state)}</script>\n'
                f"<script>{CLIENT_SCRIPT}</script>\n"
                f'<script src="/livereload.js?port={self.port}"></script>\n').encode("utf-8")

    def reload_browsers(self) -> None:
        LiveReloadHandler.reload_waiters("index.html")

    # -- building ---------------------------------------------------------------------------
    def build(self, changed: set[Path] | None = None) -> None:
        """Build (or rebuild after `changed`); any failure is reported and the server goes on."""
        stamp = time.strftime("%H:%M:%S")
        try:
            report = self.project.build() if changed is None else self.project.rebuild(changed)
        except BuildError as error:
            self.echo(f"[{stamp}] {error.format_message()}", err=True)
            self.problems = [{"location": i.location(error.root_label or self.label),
                              "severity": i.severity, "message": i.message, "hint": i.hint}
                             for i in error.issues]
            errors = sum(1 for i in error.issues if i.severity == "error")
            self.title = f"The course did not build: {errors} error{'s' if errors != 1 else ''}"
            return
        except (click.ClickException, OSError) as refused:  # the output cannot be written: said, not a bug
            message = (refused if isinstance(refused, click.ClickException) else os_failure(refused)).format_message()
            self.echo(f"[{stamp}] error: {message}", err=True)
            self.problems = [{"location": str(self.web_dir), "severity": "error", "message": message, "hint": ""}]
            self.title = "The course could not be written"
            return
        except Exception as crash:  # a bug in the builder: keep its traceback, keep serving
            self.echo(f"[{stamp}] internal error while building; the last good course is still served",
                      err=True)
            traceback.print_exc()
            self.problems = [{"location": "builder", "severity": "internal error",
                              "message": f"{type(crash).__name__}: {crash}",
                              "hint": "the terminal shows the full traceback"}]
            self.title = "The builder failed"
            return
        finally:
            self.built_at = time.monotonic()  # memory is tidied a while after this
        self.problems, self.title = [], ""
        for issue in report.warnings:
            self.echo(issue.format(self.label), err=True)
        what = "built" if changed is None else f"rebuilt after {_describe(changed, self.project.source)}:"
        self.echo(f"[{stamp}] {what} {report.summary()}")

    def watch(self) -> None:
        for folder in self.project.watched:
            self.watcher.watch_folder(folder)

    def look(self) -> tuple[float, set[Path]]:
        """Look at the files once: (how long to wait before the next look, the files to rebuild after now).

        The files come once they have been still for QUIET_SECONDS. The wait is POLL_SECONDS, longer when
        looking is slow (a large course), shorter when a rebuild falls due sooner.
        """
        looked = time.monotonic()
        try:
            changed = self.watcher.take()
        except OSError:  # a file vanished while being looked at (editors save by renaming): look again
            return POLL_SECONDS, set()
        now = time.monotonic()
        interval = max(POLL_SECONDS, (now - looked) / POLL_SHARE)
        if changed:
            self.pending |= changed
            self.last_change = now
        if not self.pending:
            if self.built_at is not None and now - self.built_at > TIDY_SECONDS:
                tidy_memory()
                self.built_at = None
            return interval, set()
        due = self.last_change + QUIET_SECONDS - now
        if due > 0:
            return min(interval, due), set()
        changed, self.pending = self.pending, set()
        return interval, changed

    def built(self, changed: set[Path]) -> None:
        """After a rebuild: watch what the course now uses and reload the browsers."""
        if any(p.name == "course.yaml" for p in changed):
            self.watch()  # the course may have chosen another theme
        self.reload_browsers()

    def step(self) -> float:
        """Look once and, when it is due, rebuild here and now; returns how long to wait before the next look."""
        interval, changed = self.look()
        if changed:
            self.build(changed)
            self.built(changed)
        return interval

    # -- running ----------------------------------------------------------------------------
    def bind(self) -> list[socket.socket]:
        """The listening sockets; an address that does not exist and a port in use are told apart."""
        try:
            return bind_sockets(self.port, self.host)
        except socket.gaierror as error:
            raise click.ClickException(f"cannot serve on '{self.host}': no such address "
                                       "(give --host an address of this computer, such as 127.0.0.1)") from None
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise click.ClickException(f"cannot serve on {self.host}:{self.port}: the port is already in use "
                                           "(choose another with --port, or --port 0 for any free one)") from None
            if error.errno == errno.EADDRNOTAVAIL:
                raise click.ClickException(f"cannot serve on {self.host}: that address is not one of this "
                                           "computer's (give --host 127.0.0.1 or an address it has)") from None
            raise click.ClickException(f"cannot serve on {self.host}:{self.port}: {error.strerror}; "
                                       "choose another port with --port or another --host") from None

    async def run(self, open_browser: bool = False) -> None:
        sockets = self.bind()
        self.port = sockets[0].getsockname()[1]
        http = HTTPServer(self.application())
        http.add_sockets(sockets)
        loop = asyncio.get_running_loop()
        try:
            self.watch()
            self.watcher.take()  # remember how the files are now, before the first build
            # Builds run beside the server, which answers throughout: the last good course, or the
            # page saying the course is not built yet.
            await loop.run_in_executor(None, self.build)
            url = f"http://{'[' + self.host + ']' if ':' in self.host else self.host}:{self.port}/"
            self.echo(f"serving {self.web_dir} at {url} (Ctrl-C to stop)")
            if self.host not in LOCAL_HOSTS:
                self.echo(f"warning: listening on {self.host}: anyone on your network can open the course",
                          err=True)
            if open_browser:
                webbrowser.open(url)
            while True:
                interval, changed = self.look()
                if changed:
                    await loop.run_in_executor(None, self.build, changed)
                    self.built(changed)
                await asyncio.sleep(interval)
        finally:
            http.stop()
            for waiter in list(LiveReloadHandler.waiters):
                waiter.close()


def tidy_memory() -> None:
    """Collect what the last build left (its pages hold cycles), then set what lives aside.

    Done while the trainer is not waiting: otherwise the collector walks the whole render cache in
    the middle of a rebuild now and then (up to 0.2 s at 5,000 lessons). Frozen objects are unfrozen
    and collected again at the next tidy, so cycles the next build drops are freed then.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _describe(changed: set[Path], source: Path) -> str:
    """Name the changed files briefly for the terminal: relative to the course, else to here."""
    names = []
    for path in sorted(changed)[:3]:
        inside = path.resolve().is_relative_to(source.resolve())
        names.append(path.resolve().relative_to(source.resolve()).as_posix() if inside
                     else os.path.relpath(path))
    more = len(changed) - len(names)
    return ", ".join(names) + (f" and {more} more" if more > 0 else "")


def serve(project: Project, *, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False) -> None:
    """Serve until Ctrl-C; the first Ctrl-C stops after the current build, a second one at once."""
    if not project.source.is_dir():
        raise click.ClickException(f"{project.source}: no such course folder")
    try:
        asyncio.run(CourseServer(project, host, port).run(open_browser))
    except KeyboardInterrupt:
        pass
    click.echo("stopped")
