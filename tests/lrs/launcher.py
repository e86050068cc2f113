"""A small cmi5 launcher (the LMS side of cmi5) for the tests, in front of a real LRS (Ralph).

It serves the unzipped cmi5 package under /course/, a return page under /lms/, and an xAPI
endpoint under /lrs/ that:
- hands out an auth token once per launch at the fetch URL (a second request gets a cmi5 error);
- forwards the Statement resource to Ralph, with Ralph's own credentials, for requests that carry
  a token it handed out;
- keeps the State and Agent Profile resources itself (Ralph has neither): LMS.LaunchData, the
  learner's preferences, and the documents the course writes.
`network_down()` makes every /lrs/ request fail as a cut network does (the connection is closed
with no answer); `network_up()` restores it.
"""
from __future__ import annotations

import base64
import http.server
import json
import secrets
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, unquote

import urllib.error
import urllib.request

from lms.server import QuietServer

from .ralph_lrs import Ralph

CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
SESSION_ID = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
RETURN_PAGE = b"<!doctype html><html lang=en><title>LMS</title><h1>Back in the LMS</h1></html>"


@dataclass
class Launch:
    """One launch of one AU for one learner."""

    url: str
    registration: str
    session_id: str
    activity_id: str
    actor: dict[str, Any]
    token: str


@dataclass
class Launcher:
    ralph: Ralph
    course_dir: Path
    origin: str = ""
    up: bool = True
    documents: dict[tuple[str, ...], bytes] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)  # fetch id → token (until fetched)
    valid: set[str] = field(default_factory=set)
    fetched: set[str] = field(default_factory=set)
    requests: list[tuple[str, str]] = field(default_factory=list)

    def network_down(self) -> None:
        self.up = False

    def network_up(self) -> None:
        self.up = True

    def imported(self) -> dict[str, dict[str, Any]]:
        """The AUs of the package's cmi5.xml, as an LMS imports them: {id: {url, moveOn, masteryScore}}."""
        from lxml import etree

        ns = {"c": "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"}
        root = etree.parse(str(self.course_dir / "cmi5.xml")).getroot()
        return {au.get("id"): {"url": au.findtext("c:url", namespaces=ns), "moveOn": au.get("moveOn"),
                               "masteryScore": float(au.get("masteryScore")) if au.get("masteryScore") else None}
                for au in root.findall("c:au", ns)}

    def launch(self, au_id: str, *, mode: str = "Normal", mastery: float | None = None, move_on: str | None = None,
               registration: str | None = None, learner: str = "learner-1",
               preferences: dict[str, str] | None = None, path: str | None = None) -> Launch:
        """What an LMS does before launching an AU: LaunchData (moveOn and masteryScore from cmi5.xml
        unless given), the launched statement, the launch URL."""
        known = self.imported().get(au_id, {})
        mastery = mastery if mastery is not None else known.get("masteryScore")
        move_on = move_on or known.get("moveOn") or "NotApplicable"
        path = path or known.get("url") or "index.html"
        registration = registration or str(uuid.uuid4())
        session_id = str(uuid.uuid4())
        actor = {"objectType": "Agent", "name": f"Learner {learner}",
                 "account": {"homePage": "https://lms.example.org", "name": learner}}
        template = {"contextActivities": {"grouping": [{"id": au_id, "objectType": "Activity"}]},
                    "extensions": {SESSION_ID: session_id}}
        data: dict[str, Any] = {"contextTemplate": template, "launchMode": mode, "moveOn": move_on,
                                "returnURL": f"{self.origin}/lms/return.html"}
        if mastery is not None:
            data["masteryScore"] = mastery
        agent = json.dumps(actor, separators=(",", ":"))
        self.documents[("state", au_id, learner, registration, "LMS.LaunchData")] = json.dumps(data).encode()
        if preferences is not None:
            self.documents[("profile", learner, "cmi5LearnerPreferences")] = json.dumps(preferences).encode()
        token = base64.b64encode(f"lms:{secrets.token_hex(12)}".encode()).decode()
        fetch_id = secrets.token_hex(8)
        self.tokens[fetch_id] = token
        self.valid.add(token)
        launched = {
            "id": str(uuid.uuid4()), "actor": actor,
            "verb": {"id": "http://adlnet.gov/expapi/verbs/launched", "display": {"en-US": "launched"}},
            "object": {"id": au_id, "objectType": "Activity"},
            "context": {"registration": registration, "contextActivities": {**template["contextActivities"],
                        "category": [{"id": CMI5_CATEGORY}]},
                        "extensions": {**template["extensions"],
                                       "https://w3id.org/xapi/cmi5/context/extensions/launchmode": mode,
                                       "https://w3id.org/xapi/cmi5/context/extensions/launchurl": f"{self.origin}/course/{path}",
                                       "https://w3id.org/xapi/cmi5/context/extensions/moveon": move_on}},
        }
        status, answer = self.ralph.request("POST", "statements", launched)
        assert status == 200, answer
        query = {"endpoint": f"{self.origin}/lrs/", "fetch": f"{self.origin}/lrs/fetch/{fetch_id}", "actor": agent,
                 "registration": registration, "activityId": au_id}
        sep = "&" if "?" in path else "?"
        url = f"{self.origin}/course/{path}{sep}{urlencode(query)}"
        return Launch(url, registration, session_id, au_id, actor, token)

    def document(self, key: tuple[str, ...]) -> Any:
        raw = self.documents.get(key)
        return json.loads(raw) if raw else None


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def __init__(self, *args: Any, launcher: Launcher, **kwargs: Any) -> None:
        self.launcher = launcher
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def _send(self, status: int, body: bytes = b"", kind: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Experience-API-Version", "1.0.3")
        self.end_headers()
        self.wfile.write(body)

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _handle(self) -> None:
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        if path.startswith("/lrs/"):
            body = self._body()
            if not self.launcher.up:  # a cut network: no answer at all
                self.close_connection = True
                self.connection.shutdown(2)
                return
            self.launcher.requests.append((self.command, path))
            self._lrs(path[len("/lrs/"):], parse_qs(parts.query), parts.query, body)
        elif path == "/lms/return.html":
            self._send(200, RETURN_PAGE, "text/html; charset=utf-8")
        elif path.startswith("/course/") and self.command == "GET":
            target = (self.launcher.course_dir / path[len("/course/"):]).resolve()
            if not target.is_relative_to(self.launcher.course_dir.resolve()) or not target.is_file():
                self._send(404, b"not found", "text/plain")
                return
            kinds = {".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css",
                     ".svg": "image/svg+xml", ".json": "application/json", ".woff2": "font/woff2"}
            self._send(200, target.read_bytes(), kinds.get(target.suffix, "application/octet-stream"))
        else:
            self._send(404, b"not found", "text/plain")

    def _authorised(self) -> bool:
        auth = self.headers.get("Authorization") or ""
        return auth.startswith("Basic ") and auth[6:] in self.launcher.valid

    def _lrs(self, resource: str, query: dict[str, list[str]], raw_query: str, body: bytes) -> None:
        launcher = self.launcher
        if resource.startswith("fetch/") and self.command == "POST":
            fetch_id = resource[len("fetch/"):]
            if fetch_id in launcher.fetched or fetch_id not in launcher.tokens:
                self._send(200, json.dumps({"error-code": "1", "error-text": "already fetched"}).encode())
                return
            launcher.fetched.add(fetch_id)
            self._send(200, json.dumps({"auth-token": launcher.tokens[fetch_id]}).encode())
            return
        if not self._authorised():
            self._send(401, b'{"error": "unknown token"}')
            return
        one = {k: v[0] for k, v in query.items()}
        if resource == "statements":
            self._forward(raw_query, body)
        elif resource == "activities/state":
            agent = json.loads(one.get("agent", "{}"))
            key = ("state", one.get("activityId", ""), agent.get("account", {}).get("name", ""),
                   one.get("registration", ""), one.get("stateId", ""))
            self._document(key, body)
        elif resource == "agents/profile":
            agent = json.loads(one.get("agent", "{}"))
            self._document(("profile", agent.get("account", {}).get("name", ""), one.get("profileId", "")), body)
        else:
            self._send(404, b"{}")

    def _document(self, key: tuple[str, ...], body: bytes) -> None:
        documents = self.launcher.documents
        if self.command == "GET":
            if key in documents:
                self._send(200, documents[key])
            else:
                self._send(404, b"")
        elif self.command in ("PUT", "POST"):
            documents[key] = body
            self._send(204)
        elif self.command == "DELETE":
            documents.pop(key, None)
            self._send(204)
        else:
            self._send(405)

    def _forward(self, raw_query: str, body: bytes) -> None:
        ralph = self.launcher.ralph
        url = ralph.endpoint + "statements" + (f"?{raw_query}" if raw_query else "")
        headers = {"Authorization": ralph.auth, "X-Experience-API-Version": "1.0.3"}
        if body:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=body or None, method=self.command, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                self._send(answer.status, answer.read())
        except urllib.error.HTTPError as error:
            self._send(error.code, error.read())
        except (urllib.error.URLError, OSError):
            self._send(502, b'{"error": "the LRS cannot be reached"}')

    do_GET = do_POST = do_PUT = do_DELETE = _handle  # noqa: N815 - http.server's names


@contextmanager
def serve(launcher: Launcher) -> Iterator[Launcher]:
    server = QuietServer(("127.0.0.1", 0), partial(_Handler, launcher=launcher))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    launcher.origin = f"http://127.0.0.1:{server.server_port}"
    try:
        yield launcher
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
