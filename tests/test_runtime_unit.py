"""The learner's runtime unit tests (tests/runtime/*.test.mjs), run with Node's own test runner."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def test_runtime_unit_tests_pass(repo_root: Path) -> None:
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("node is not installed (CI is set, so this is a failure)", pytrace=False)
        pytest.skip("node is not installed")
    result = subprocess.run(
        [node, "--test", "tests/runtime/"],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0:
        pytest.fail(f"node --test tests/runtime/ failed:\n{result.stdout}\n{result.stderr}", pytrace=False)
