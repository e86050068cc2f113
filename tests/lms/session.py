"""Driving the test LMS: open the host page on a launch URL and read what the course reported."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlencode

from playwright.sync_api import Frame, Page

from browser import GuardedPage

REPO_ROOT = Path(__file__).resolve().parents[2]
RUNTIME_DIR = REPO_ROOT / "themes" / "default" / "runtime"
LMS_DIR = Path(__file__).resolve().parent

# Elements of each version, by what they mean.
ELEMENTS = {
    "1.2": {
        "status": "cmi.core.lesson_status", "raw": "cmi.core.score.raw", "min": "cmi.core.score.min",
        "max": "cmi.core.score.max", "location": "cmi.core.lesson_location", "exit": "cmi.core.exit",
        "session_time": "cmi.core.session_time", "suspend": "cmi.suspend_data", "entry": "cmi.core.entry",
        "init": "LMSInitialize", "finish": "LMSFinish", "commit": "LMSCommit", "set": "LMSSetValue",
        "response": "student_response", "mastery": "cmi.student_data.mastery_score", "mode": "cmi.core.lesson_mode",
    },
    "2004": {
        "status": "cmi.completion_status", "success": "cmi.success_status", "raw": "cmi.score.raw",
        "min": "cmi.score.min", "max": "cmi.score.max", "scaled": "cmi.score.scaled", "location": "cmi.location",
        "exit": "cmi.exit", "session_time": "cmi.session_time", "suspend": "cmi.suspend_data", "entry": "cmi.entry",
        "init": "Initialize", "finish": "Terminate", "commit": "Commit", "set": "SetValue",
        "response": "learner_response", "mastery": "cmi.scaled_passing_score", "mode": "cmi.mode",
    },
}
SESSION_TIME = {"1.2": r"^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$", "2004": r"^PT(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)$"}


@dataclass
class LmsSession:
    """One visit: the host page (the LMS) and the frame or window the course runs in."""

    guarded: GuardedPage
    version: str
    course: Frame | Page

    @property
    def page(self) -> Page:
        return self.guarded.page

    @property
    def el(self) -> dict[str, str]:
        return ELEMENTS[self.version]

    def calls(self) -> list[dict[str, Any]]:
        """Every API call the course made: {name, args, result, error}."""
        return self.page.evaluate("() => lms.calls")

    def values(self) -> dict[str, str]:
        """The values the LMS accepted, by element."""
        return self.page.evaluate("() => lms.values")

    def count(self, name: str) -> int:
        return sum(1 for call in self.calls() if call["name"] == name)

    def set_order(self) -> list[str]:
        """The elements written, in order."""
        return [c["args"][0] for c in self.calls() if c["name"] == self.el["set"] and c["result"] == "true"]

    def saved_attempt(self) -> dict[str, str]:
        """What a real LMS would hand back on the next visit: the stored values of this attempt."""
        values = self.values()
        keep = {k: v for k, v in values.items() if k in (self.el["suspend"], self.el["location"], self.el["status"])}
        if values.get(self.el["exit"]) == "suspend":
            keep[self.el["entry"]] = "resume"
        return keep


def open_lms(
    new_page: Callable[..., GuardedPage],
    origin: str,
    version: str,
    launch: str,
    *,
    fail: str = "",
    preload: dict[str, str] | None = None,
    window: bool = False,
    ready: str = "() => true",
    init_script: str = "",
    moodle: bool = False,
) -> LmsSession:
    """Open the host page with scorm-again for `version`, which frames (or opens) `launch`.

    `preload` are flattened cmi values of an earlier attempt; `ready` is a function the course
    frame must make truthy before the session is returned; `init_script` runs in every frame first.
    """
    guarded = new_page(allow_origins=(origin,))
    if init_script:  # runs in every frame before its own scripts
        guarded.page.add_init_script(init_script)
    if preload:
        guarded.page.add_init_script(f"window.LMS_PRELOAD = {json.dumps(preload)};")
    query = urlencode({"version": version, "launch": launch, "fail": fail, "open": "window" if window else "frame",
                       "moodle": "1" if moodle else ""})
    if window:
        with guarded.context.expect_page() as popup:
            guarded.page.goto(f"{origin}/lms/host.html?{query}")
        course: Frame | Page = popup.value
        course.wait_for_load_state()
    else:
        guarded.page.goto(f"{origin}/lms/host.html?{query}")
        guarded.page.wait_for_function(
            "() => { const f = document.getElementById('course');"
            " return f && f.contentWindow.location.href !== 'about:blank'"
            " && f.contentDocument.readyState === 'complete'; }"
        )
        course = guarded.page.main_frame.child_frames[0]
    course.wait_for_function(ready)
    return LmsSession(guarded, version, course)
