"""The test tooling itself: the `.ci/run` script, the npm test packages, and the browser guard."""
from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import stat
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from browser import GuardedPage, PageGuard, axe, file_url, format_violations

REPO_ROOT = Path(__file__).resolve().parent.parent
CI_RUN = REPO_ROOT / ".ci" / "run"
CI_LIB = REPO_ROOT / ".ci" / "lib.sh"
PYTEST_COMMAND = "python -m pytest -n 2 -q"


# --- .ci/run -----------------------------------------------------------------------------------


def test_ci_run_is_an_executable_bash_script() -> None:
    text = CI_RUN.read_text(encoding="utf-8")
    assert CI_RUN.stat().st_mode & stat.S_IXUSR, ".ci/run is not executable"
    assert text.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in text
    for script in (CI_RUN, CI_LIB):
        subprocess.run(["bash", "-n", str(script)], check=True)


def test_ci_run_runs_the_documented_test_command() -> None:
    assert PYTEST_COMMAND in CI_RUN.read_text(encoding="utf-8")


def test_readme_documents_ci_run_as_the_test_command() -> None:
    readme = REPO_ROOT / "README.md"
    if not readme.is_file():
        pytest.skip("README.md does not exist yet")
    assert "bash .ci/run" in readme.read_text(encoding="utf-8")


@pytest.mark.parametrize(("pytest_status", "expected"), [(0, 0), (1, 1), (2, 2), (4, 4), (5, 1)])
def test_check_pytest_status_fails_when_no_test_ran(pytest_status: int, expected: int) -> None:
    result = subprocess.run(
        ["bash", "-c", f"source .ci/lib.sh; check_pytest_status {pytest_status}"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == expected
    assert ("no tests" in result.stderr) == (pytest_status == 5)


@pytest.mark.skipif(shutil.which("dpkg-query") is None, reason="not a Debian system")
def test_missing_debian_packages_lists_only_missing_ones() -> None:
    result = subprocess.run(
        ["bash", "-c", "source .ci/lib.sh; missing_debian_packages bash coursewright-no-such-package"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["coursewright-no-such-package"]


STUB = """#!/usr/bin/env bash
echo "$(basename "$0") $PWD $*" >> "$STUB_LOG"
case "$(basename "$0") $*" in
  "python -m pytest"*) exit "$FAKE_PYTEST_STATUS" ;;
  "dpkg-query "*) [ "$FAKE_DPKG_MISSING" = 1 ] || printf 'install ok installed' ;;
  "sudo "*) exec "$@" ;;
esac
"""


@pytest.fixture
def run_ci(tmp_path: Path) -> Callable[..., tuple[subprocess.CompletedProcess[str], list[str]]]:
    """Run the real .ci/run from elsewhere, with python, npm, apt and dpkg replaced by stubs."""
    stubs = tmp_path / "bin"
    stubs.mkdir()
    for name in ("python", "npm", "apt-get", "dpkg-query", "sudo"):
        stub = stubs / name
        stub.write_text(STUB, encoding="utf-8")
        stub.chmod(0o755)
    log = tmp_path / "calls.log"

    def run(*, pytest_status: int = 0, debian_missing: bool = False):
        log.write_text("", encoding="utf-8")
        env = dict(
            os.environ,
            PATH=f"{stubs}{os.pathsep}{os.environ['PATH']}",
            STUB_LOG=str(log),
            FAKE_PYTEST_STATUS=str(pytest_status),
            FAKE_DPKG_MISSING="1" if debian_missing else "0",
        )
        result = subprocess.run(
            ["bash", str(CI_RUN)], cwd=tmp_path, env=env, capture_output=True, text=True
        )
        return result, log.read_text(encoding="utf-8").splitlines()

    return run


@pytest.mark.parametrize(("pytest_status", "expected"), [(0, 0), (1, 1), (3, 3), (5, 1)])
def test_ci_run_exits_with_pytest_status(run_ci, pytest_status: int, expected: int) -> None:
    result, calls = run_ci(pytest_status=pytest_status)
    assert result.returncode == expected, result.stderr
    commands = [call.split(" ", 1)[0] + " " + call.split(" ", 2)[2] for call in calls]
    assert commands[-3:] == [
        "python -m pip install --quiet --disable-pip-version-check --root-user-action=ignore"
        " -e .[test]",
        "npm ci --prefix tests/js --no-audit --no-fund --loglevel=error",
        f"{PYTEST_COMMAND}",
    ]
    assert all(call.split(" ")[1] == str(REPO_ROOT) for call in calls), "not run from the repo root"
    assert not any(call.startswith("apt-get") for call in calls), "apt ran with nothing missing"


def test_ci_run_installs_missing_debian_packages(run_ci) -> None:
    result, calls = run_ci(debian_missing=True)
    assert result.returncode == 0, result.stderr
    apt = [call.split(" ", 2)[2] for call in calls if call.startswith("apt-get")]
    assert apt == [
        "update -q",
        "install -y -q --no-install-recommends chromium fonts-noto-core fonts-dejavu-core"
        " poppler-utils",
    ]


# --- npm test packages -------------------------------------------------------------------------


def test_npm_test_packages_are_pinned_and_locked() -> None:
    package = json.loads((REPO_ROOT / "tests/js/package.json").read_text(encoding="utf-8"))
    lock = json.loads((REPO_ROOT / "tests/js/package-lock.json").read_text(encoding="utf-8"))
    wanted = package["devDependencies"]
    assert wanted["scorm-again"].startswith("3.") and wanted["axe-core"].startswith("4.")
    assert all(version[0].isdigit() for version in wanted.values()), "versions must be exact"
    assert lock["packages"][""]["devDependencies"] == wanted, "package-lock.json is out of date"
    for name, version in wanted.items():
        assert lock["packages"][f"node_modules/{name}"]["version"] == version


# --- the browser guard and axe -----------------------------------------------------------------

NOISY_PAGE = """<!doctype html><html lang="en"><head><title>noisy</title>
<link rel="stylesheet" href="https://fonts.example.com/font.css"></head>
<body><p>Hello</p><img src="http://cdn.example.com/pixel.png" alt="pixel">
<script>
  console.error("something broke");
  fetch("https://api.example.com/track").catch(() => {});
  setTimeout(() => { throw new Error("uncaught boom"); }, 0);
</script></body></html>"""

CLEAN_PAGE = """<!doctype html><html lang="en"><head><title>clean</title></head>
<body><main><h1>Clean</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="dot">
<script>console.log("fine"); console.warn("also fine");</script></main></body></html>"""


def _wait_for_quiet(page) -> None:
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(100)


def test_guard_catches_console_errors_exceptions_and_outside_requests(
    tmp_path: Path, page, guard: PageGuard
) -> None:
    noisy = tmp_path / "noisy.html"
    noisy.write_text(NOISY_PAGE, encoding="utf-8")
    page.goto(file_url(noisy))
    _wait_for_quiet(page)

    assert any("something broke" in text for text in guard.console_errors)
    assert any("uncaught boom" in text for text in guard.page_errors)
    assert set(guard.outside_requests) == {
        "https://fonts.example.com/font.css",
        "http://cdn.example.com/pixel.png",
        "https://api.example.com/track",
    }
    with pytest.raises(AssertionError, match="outside request: https://api.example.com/track"):
        guard.assert_clean()


def test_guard_passes_a_clean_local_page(tmp_path: Path, page, guard: PageGuard) -> None:
    clean = tmp_path / "clean.html"
    clean.write_text(CLEAN_PAGE, encoding="utf-8")
    page.goto(file_url(clean))
    _wait_for_quiet(page)
    guard.assert_clean()


@pytest.fixture
def local_server(tmp_path: Path) -> Iterator[str]:
    handler = functools.partial(
        http.server.SimpleHTTPRequestHandler, directory=str(tmp_path)
    )
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_guard_lets_an_allowed_origin_through(
    tmp_path: Path, local_server: str, new_page: Callable[..., GuardedPage]
) -> None:
    (tmp_path / "clean.html").write_text(CLEAN_PAGE, encoding="utf-8")
    (tmp_path / "noisy.html").write_text(NOISY_PAGE, encoding="utf-8")
    guarded = new_page(allow_origins=(local_server,))
    guarded.page.goto(f"{local_server}/clean.html")
    _wait_for_quiet(guarded.page)
    guarded.guard.assert_clean()

    guarded.page.goto(f"{local_server}/noisy.html")
    _wait_for_quiet(guarded.page)
    assert "https://api.example.com/track" in guarded.guard.outside_requests


def test_axe_reports_violations_readably(tmp_path: Path, js_modules: Path, page) -> None:
    broken = tmp_path / "broken.html"
    broken.write_text(
        '<!doctype html><html><head><title>x</title></head><body><main>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></body></html>',
        encoding="utf-8",
    )
    page.goto(file_url(broken))
    violations = axe(page)
    ids = {violation["id"] for violation in violations}
    assert {"image-alt", "html-has-lang"} <= ids
    message = format_violations(violations)
    assert "image-alt" in message and "<img" in message

    fixed = tmp_path / "fixed.html"
    fixed.write_text(CLEAN_PAGE, encoding="utf-8")
    page.goto(file_url(fixed))
    assert axe(page) == [], format_violations(axe(page))
