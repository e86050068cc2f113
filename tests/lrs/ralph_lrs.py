"""Ralph, a real Learning Record Store, run by the tests on 127.0.0.1 with credentials they create.

It runs as `ralph runserver --backend fs` does (uvicorn serving Ralph's API), through
tests/lrs/ralph_server.py, which corrects Ralph's fs backend so that it keeps more than one POST.

Ralph lives in a virtualenv of its own (its dependencies are not the project's): `.ci/run` makes it
under ~/.cache/coursewright-tests/ralph (or $COURSEWRIGHT_RALPH_VENV). Ralph keeps statements only
(its fs backend appends them to a file); it has no State or Agent Profile resources, which the
test launcher keeps for the course (tests/lrs/launcher.py).
"""
from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

VERSION_HEADER = {"X-Experience-API-Version": "1.0.3"}
USER, PASSWORD = "coursewright-tests", "statements-only-here"


def ralph_venv() -> Path:
    default = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "coursewright-tests" / "ralph"
    return Path(os.environ.get("COURSEWRIGHT_RALPH_VENV") or default)


def ralph_command() -> Path | None:
    path = ralph_venv() / "bin" / "ralph"
    return path if path.is_file() else None


def require_ralph() -> None:
    """Skip when Ralph is not installed, except under CI, where .ci/run installs it."""
    __tracebackhide__ = True
    if ralph_command() is None:
        reason = (f"Ralph (the LRS) is not installed in {ralph_venv()}; .ci/run installs it "
                  "(a virtualenv there, then pip install 'ralph-malph[backend-fs,lrs,cli]==5.1.0' requests)")
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)", pytrace=False)
        pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Ralph:
    """One Ralph server: start(), stop() (it becomes unreachable), start() again on the same port."""

    folder: Path
    cors: list[str] = field(default_factory=list)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/xAPI/"

    @property
    def auth(self) -> str:
        return "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update({
            "RALPH_APP_DIR": str(self.folder / "app"), "RALPH_AUTH_FILE": str(self.folder / "auth.json"),
            "RALPH_RUNSERVER_BACKEND": "fs", "RALPH_RUNSERVER_CORS_ALLOW_ORIGINS": json.dumps(self.cors),
            "RALPH_SENTRY_DSN": "",
        })
        return env

    def create_credentials(self) -> None:
        command = ralph_command()
        assert command is not None
        self.folder.mkdir(parents=True, exist_ok=True)
        subprocess.run([str(command), "auth", "-u", USER, "-p", PASSWORD, "-s", "all",
                        "-M", "mailto:lrs-tests@example.org", "-w"],
                       env=self._env(), check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        command = ralph_command()
        assert command is not None
        if not (self.folder / "auth.json").is_file():
            self.create_credentials()
        log = open(self.folder / "ralph.log", "ab")  # noqa: SIM115 - the process owns it until stop()
        env = {**self._env(), "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(self.folder / "data")}
        (self.folder / "data").mkdir(exist_ok=True)
        self.process = subprocess.Popen(
            [str(command.parent / "python"), str(Path(__file__).with_name("ralph_server.py")), "127.0.0.1",
             str(self.port)], env=env, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Ralph stopped at start: {(self.folder / 'ralph.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/__heartbeat__", timeout=2):
                    return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.2)
        raise RuntimeError("Ralph did not answer within 120 s")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=30)
        self.process = None

    def request(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        data = None if body is None else json.dumps(body).encode()
        headers = {**VERSION_HEADER, "Authorization": self.auth}
        if data is not None:
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(self.endpoint + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as answer:
                text = answer.read().decode()
                return answer.status, json.loads(text) if text else None
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def statements(self, **filters: str) -> list[dict[str, Any]]:
        """Every stored statement matching the filters, oldest first (by `stored`, then as Ralph lists them)."""
        query = "&".join(f"{k}={urllib.parse.quote(v)}" for k, v in {**filters, "limit": "1000"}.items())
        found: list[dict[str, Any]] = []
        path = f"statements?{query}"
        while path:
            status, page = self.request("GET", path)
            assert status == 200, page
            found += page["statements"]
            more = page.get("more") or ""
            path = more.split("/xAPI/", 1)[1] if "/xAPI/" in more else ""
        return sorted(found, key=lambda s: s["stored"])
