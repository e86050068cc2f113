"""`course serve`: live reload in Chromium, the error overlay, the learner's place, one rebuild per burst.

The server runs as the trainer runs it, in its own process, on a fresh `course new` starter. The
starter uses the small theme in fixtures/themes/serve, so the server is tested apart from the default
theme; the browser test runs with the default theme as well, whose runtime routes and scrolls.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from playwright.sync_api import Page, expect

from browser import GuardedPage, axe, format_violations
from builder.cli import main
from builder.errors import BuildError, Issue, SourceRef
from builder.project import Project
from builder.serve import CourseServer, inject

THEME = Path(__file__).resolve().parent / "fixtures" / "themes" / "serve"
LESSON = "modules/01-getting-started/02-checks.md"
LESSON_ID = "getting-started/checks"
LESSON_SECTION = "#p-getting-started--checks"
SERVE_MARKERS = ("livereload", "coursewright-serve")

# Set by a script the test adds to every document: whether livereload's socket is up, in this document.
CONNECTED = """document.addEventListener("LiveReloadConnect", () => { window.__liveReloadConnected = true; });"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until(condition: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@dataclass
class Served:
    """A running `course serve` and the files it works on."""

    process: subprocess.Popen[bytes]
    url: str
    source: Path
    out: Path
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def edit(self, rel: str, change: Callable[[str], str]) -> None:
        path = self.source / rel
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")

    def stop(self) -> int:
        """Ctrl-C, as a trainer stops it; the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"course serve did not stop on Ctrl-C:\n{self.output()}") from None


@pytest.fixture
def theme() -> str:
    """The starter's theme: the small test theme unless a test asks for the default one."""
    return "serve"


@pytest.fixture
def starter(tmp_path: Path, theme: str) -> Path:
    """A fresh `course new` starter using `theme`."""
    source = tmp_path / "course"
    result = CliRunner().invoke(main, ["new", str(source)])
    assert result.exit_code == 0, result.output
    if theme == "default":
        return source
    shutil.copytree(THEME, tmp_path / "themes" / "serve")
    course_yaml = source / "course.yaml"
    text = re.sub(r"(?m)^theme:.*$", "theme: ../themes/serve", course_yaml.read_text(encoding="utf-8"))
    course_yaml.write_text(text, encoding="utf-8")
    return source


@pytest.fixture
def served(starter: Path, tmp_path: Path, repo_root: Path) -> Iterator[Served]:
    port = _free_port()
    out = tmp_path / "dist"
    log = tmp_path / "serve.log"
    env = {**os.environ, "PYTHONUNBUFFERED": "1",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(repo_root), os.environ.get("PYTHONPATH")]))}
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-c", "from builder.cli import run; run()",
             "serve", str(starter), "--out", str(out), "--port", str(port)],
            cwd=tmp_path, env=env, stdout=sink, stderr=subprocess.STDOUT)
    server = Served(process, f"http://127.0.0.1:{port}/", starter, out, log)
    try:
        _wait_until(lambda: "serving " in server.output() or process.poll() is not None, "the server to start")
        assert process.poll() is None, server.output()
        yield server
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _open(served: Served, new_page: Callable[..., GuardedPage], hash_: str) -> GuardedPage:
    origin = served.url.rstrip("/")
    guarded = new_page(allow_origins=(origin,), viewport={"width": 480, "height": 360})
    page = guarded.page
    # The guard closes every WebSocket; livereload's goes to the local server, so let it through.
    page.route_web_socket(re.compile(r"^ws://127\.0\.0\.1:\d+/livereload$"), lambda ws: ws.connect_to_server())
    page.add_init_script(CONNECTED)
    page.goto(served.url + hash_)
    page.wait_for_function("() => window.__liveReloadConnected === true")
    return guarded


def _after_reload(page: Page, action: Callable[[], None]) -> None:
    """Do `action` (an edit on disk) and wait until the page has reloaded by itself and reconnected."""
    page.evaluate("() => { window.__beforeReload = true; }")
    action()
    page.wait_for_function("() => !window.__beforeReload && window.__liveReloadConnected === true",
                           timeout=20_000)


@pytest.mark.parametrize("theme", ["serve", "default"])
def test_saves_reload_the_page_in_place_and_errors_show_over_it(
        served: Served, new_page: Callable[..., GuardedPage]) -> None:
    guarded = _open(served, new_page, f"#/{LESSON_ID}")
    page = guarded.page
    lesson = page.locator(LESSON_SECTION)
    expect(lesson).to_be_visible()
    page.evaluate("() => scrollTo(0, 120)")
    page.wait_for_function("() => scrollY === 120")

    _after_reload(page, lambda: served.edit(LESSON, lambda t: t + "\nSaved while serving.\n"))
    expect(lesson).to_contain_text("Saved while serving.")
    assert page.evaluate("() => location.hash") == f"#/{LESSON_ID}"
    page.wait_for_function("() => scrollY === 120")

    line = len((served.source / LESSON).read_text(encoding="utf-8").splitlines()) + 2
    _after_reload(page, lambda: served.edit(LESSON, lambda t: t + "\nSee [[No such term]] here.\n"))
    overlay = page.get_by_role("alertdialog")
    expect(overlay).to_be_visible()
    expect(overlay).to_contain_text(f"{LESSON}:{line}:")
    expect(overlay).to_contain_text("unknown glossary term 'No such term'")
    expect(lesson).to_contain_text("Saved while serving.")  # the last good build stays underneath
    assert f"{LESSON}:{line}:5: error: unknown glossary term" in served.output()
    assert page.evaluate("() => location.hash") == f"#/{LESSON_ID}"

    overlay.get_by_role("button", name="Close").click()
    expect(overlay).to_have_count(0)

    _after_reload(page, lambda: served.edit(LESSON, lambda t: t.replace("See [[No such term]] here.", "Fixed.")))
    expect(lesson).to_contain_text("Fixed.")
    expect(page.get_by_role("alertdialog")).to_have_count(0)
    assert page.evaluate("() => location.hash") == f"#/{LESSON_ID}"
    guarded.guard.assert_clean()

    assert served.stop() == 0
    assert "Traceback" not in served.output()


def test_a_course_that_never_built_shows_its_problems_accessibly(
        starter: Path, request: pytest.FixtureRequest, new_page: Callable[..., GuardedPage]) -> None:
    (starter / LESSON).write_text("---\ntitle: [unclosed\n---\nText\n", encoding="utf-8")
    served: Served = request.getfixturevalue("served")
    assert not (served.out / "web").exists()
    guarded = _open(served, new_page, "")
    overlay = guarded.page.get_by_role("alertdialog")
    expect(overlay).to_contain_text(f"{LESSON}:3:1")
    expect(guarded.page.get_by_role("heading", name="The course has not been built yet")).to_be_visible()
    violations = axe(guarded.page)
    assert not violations, format_violations(violations)

    _after_reload(guarded.page, lambda: served.edit(LESSON, lambda t: "---\ntitle: Fixed\n---\nText\n"))
    expect(guarded.page.locator(LESSON_SECTION)).to_contain_text("Text")
    expect(guarded.page.get_by_role("alertdialog")).to_have_count(0)
    guarded.guard.assert_clean()


def test_nothing_of_serve_mode_reaches_dist_and_a_burst_of_saves_makes_one_rebuild(served: Served) -> None:
    with urllib.request.urlopen(served.url) as response:
        page = response.read().decode("utf-8")
        assert response.headers["Cache-Control"] == "no-store"
    assert all(marker in page for marker in SERVE_MARKERS)
    with urllib.request.urlopen(served.url + "livereload.js") as response:
        assert response.status == 200  # served by the server itself, never from the network

    for n, rel in enumerate(["modules/01-getting-started/01-welcome.md", LESSON, "glossary.yaml"]):
        served.edit(rel, lambda t: t + f"\n# saved {n}\n" if rel.endswith("yaml") else t + f"\nSave {n}.\n")
        time.sleep(0.03)
    _wait_until(lambda: "rebuilt after" in served.output(), "the rebuild")
    time.sleep(1.0)
    rebuilds = [line for line in served.output().splitlines() if "rebuilt after" in line]
    assert len(rebuilds) == 1, served.output()
    assert "01-welcome.md" in rebuilds[0] and "02-checks.md" in rebuilds[0] and "glossary.yaml" in rebuilds[0]

    built = (served.out / "web" / "index.html").read_text(encoding="utf-8")
    assert "Save 0." in built and "Save 1." in built
    assert not any(marker in built for marker in SERVE_MARKERS)
    assert not any(marker in path.read_text(encoding="utf-8", errors="replace")
                   for path in (served.out / "web").rglob("*") if path.is_file() for marker in SERVE_MARKERS)

    assert served.stop() == 0
    output = served.output()
    assert "Traceback" not in output and output.rstrip().endswith("stopped")


def test_a_failed_or_crashed_rebuild_is_reported_and_served_on(tmp_path: Path) -> None:
    class Failing(Project):
        def rebuild(self, changed: set[Path]) -> None:  # type: ignore[override]
            if "crash" in {p.name for p in changed}:
                raise RuntimeError("a bug in the builder")
            raise BuildError([Issue(SourceRef("modules/a/01-x.md", 4, 2), "something is wrong", hint="fix it")],
                             "course")

    printed: list[str] = []
    server = CourseServer(Failing(tmp_path, tmp_path / "dist"), echo=lambda text, **_: printed.append(text))
    server.build({tmp_path / "modules" / "a" / "01-x.md"})
    assert server.problems == [{"location": "course/modules/a/01-x.md:4:2", "severity": "error",
                                "message": "something is wrong", "hint": "fix it"}]
    assert "course/modules/a/01-x.md:4:2: error: something is wrong" in printed[-1]
    server.build({tmp_path / "crash"})
    assert server.title == "The builder failed"
    assert "RuntimeError: a bug in the builder" in server.problems[0]["message"]
    assert b"a bug in the builder" in server.head_snippet()


def test_scripts_go_at_the_end_of_head() -> None:
    assert inject(b"<html><HEAD><title>t</title></HEAD><body></body></html>", b"<s>") == \
        b"<html><HEAD><title>t</title><s></HEAD><body></body></html>"
    assert inject(b"<p>no head</p>", b"<s>") == b"<s><p>no head</p>"


def test_memory_is_tidied_once_the_server_has_been_idle_after_a_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import builder.serve

    tidied: list[float] = []
    monkeypatch.setattr(builder.serve, "tidy_memory", lambda: tidied.append(time.monotonic()))
    server = CourseServer(Project(tmp_path, tmp_path / "dist"), echo=lambda text, **_: None)
    monkeypatch.setattr(server.watcher, "take", lambda: set())
    server.built_at = time.monotonic()
    server.step()
    assert tidied == []  # just built: the trainer may be looking
    server.built_at = time.monotonic() - builder.serve.TIDY_SECONDS - 0.1
    server.pending = {tmp_path / "a.md"}
    server.last_change = time.monotonic()
    server.step()
    assert tidied == []  # a rebuild is coming
    server.pending = set()
    server.step()
    server.step()
    assert len(tidied) == 1 and server.built_at is None


def test_tidying_frees_what_the_previous_tidy_set_aside() -> None:
    import gc
    import weakref

    from builder.serve import tidy_memory

    class Node:
        pass

    first, second = Node(), Node()
    first.other, second.other = second, first  # a cycle, as a page view and its module make
    alive = weakref.ref(first)
    try:
        tidy_memory()
        del first, second
        gc.collect()
        assert alive() is not None  # set aside: the collector does not look at it
        tidy_memory()
        assert alive() is None
    finally:
        gc.unfreeze()


# --- a hostile page or network: the server answers its own course only, and never stalls ------------------

def _raw_request(url: str, lines: list[str]) -> str:
    """Send a request written out by hand (headers a browser would send from elsewhere); the status line."""
    host, port = url.split("//")[1].rstrip("/").split(":")
    with socket.create_connection((host, int(port)), timeout=20) as connection:
        connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        return connection.recv(4096).decode("latin-1").split("\r\n", 1)[0]


def test_serve_answers_its_own_names_and_pages_only(served: Served) -> None:
    """DNS rebinding, cross-origin reads and sockets are refused; a bad address is a bad request."""
    host = served.url.split("//")[1].rstrip("/")

    def get(path: str, *headers: str) -> str:
        return _raw_request(served.url, [f"GET {path} HTTP/1.1", *headers, "Connection: close"])

    assert get("/", f"Host: {host}") == "HTTP/1.1 200 OK"
    assert get("/", f"Host: localhost:{host.split(':')[1]}") == "HTTP/1.1 200 OK"
    assert get("/", "Host: attacker.example") == (
        "HTTP/1.1 403 this server answers to 127.0.0.1 and localhost only, not 'attacker.example'")
    assert get("/", f"Host: {host}", "Origin: http://attacker.example") == (
        "HTTP/1.1 403 requests from other sites are refused")
    assert get("/%00", f"Host: {host}") == "HTTP/1.1 400 the address has a character no file name has"
    assert get("/assets/%00.css", f"Host: {host}") == "HTTP/1.1 400 the address has a character no file name has"
    upgrade = ["GET /livereload HTTP/1.1", f"Host: {host}", "Upgrade: websocket", "Connection: Upgrade",
               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"]
    assert _raw_request(served.url, [*upgrade, "Origin: http://attacker.example"]).startswith("HTTP/1.1 403")
    assert _raw_request(served.url, [*upgrade, f"Origin: http://{host}"]) == "HTTP/1.1 101 Switching Protocols"
    assert "Traceback" not in served.output()


def test_serve_answers_while_a_rebuild_runs(tmp_path: Path) -> None:
    """A rebuild that takes its time (a huge course, a hostile file) runs beside the server: pages are served."""
    import asyncio
    import threading

    class SlowProject(Project):
        def build(self):  # type: ignore[no-untyped-def]
            started.set()
            assert release.wait(60), "the test never let the build finish"
            return super().build()

    started, release = threading.Event(), threading.Event()
    source = tmp_path / "course"
    assert CliRunner().invoke(main, ["new", str(source)]).exit_code == 0
    server = CourseServer(SlowProject(source, tmp_path / "dist"), port=_free_port(), echo=lambda *a, **k: None)
    loop = asyncio.new_event_loop()
    task = loop.create_task(server.run())

    def serve_until_stopped() -> None:
        try:
            loop.run_until_complete(task)
        except asyncio.CancelledError:
            pass

    thread = threading.Thread(target=serve_until_stopped, daemon=True)
    thread.start()
    try:
        assert started.wait(30), "the first build never started"
        # The build is still running: the server answers anyway, with the page saying so.
        with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/", timeout=20) as response:
            assert response.status == 200
            assert b"The course has not been built yet" in response.read()
    finally:
        release.set()
        loop.call_soon_threadsafe(task.cancel)
        thread.join(30)
        loop.close()


def test_serve_tells_a_bad_host_from_a_busy_port(tmp_path: Path) -> None:
    """Run as the trainer runs it, in a process of its own (a browser test may hold this one's event loop)."""
    source = tmp_path / "course"
    assert CliRunner().invoke(main, ["new", str(source)]).exit_code == 0

    def serve(*options: str) -> tuple[int, str]:
        done = subprocess.run([sys.executable, "-c", "from builder.cli import run; run()", "serve", str(source),
                               "--out", str(tmp_path / "dist"), *options],
                              capture_output=True, text=True, timeout=60)
        return done.returncode, done.stderr.strip()

    assert serve("--host", "no-such-host.invalid") == (
        1, "Error: cannot serve on 'no-such-host.invalid': no such address (give --host an address of this "
           "computer, such as 127.0.0.1)")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert serve("--port", str(port)) == (
            1, f"Error: cannot serve on 127.0.0.1:{port}: the port is already in use (choose another with --port, "
               "or --port 0 for any free one)")


def test_serve_says_why_it_cannot_write_and_serves_on(tmp_path: Path) -> None:
    """A file of the trainer's in the output folder stops the build with a message, not a traceback."""
    source = tmp_path / "course"
    assert CliRunner().invoke(main, ["new", str(source)]).exit_code == 0
    (tmp_path / "dist" / "web").mkdir(parents=True)
    (tmp_path / "dist" / "web" / "notes.txt").write_text("mine", encoding="utf-8")
    said: list[str] = []
    server = CourseServer(Project(source, tmp_path / "dist"), echo=lambda text, **_: said.append(text))
    server.build()
    web = tmp_path / "dist" / "web"
    assert said == [f"[{said[0][1:9]}] error: {web} holds files the build did not write: notes.txt. The build "
                    "replaces the whole folder: move them elsewhere (or delete them), or give another --out; "
                    "nothing was changed"]
    assert server.title == "The course could not be written"
    assert (web / "notes.txt").read_text(encoding="utf-8") == "mine"
