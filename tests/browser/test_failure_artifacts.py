"""A failed browser test leaves a screenshot in pytest-playwright's --output folder, a passing one
leaves none (the options in pyproject.toml, the launch arguments in tests/conftest.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HARNESS_DIR = Path(__file__).resolve().parent

INNER_CONFTEST = f"""
import sys
sys.path.insert(0, {str(HARNESS_DIR)!r})
import browser_harness as bh
import pytest

@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {{**bh.launch_args(), **browser_type_launch_args}}
"""

INNER_TESTS = """
def test_heading_is_fine(page):
    page.set_content("<h1>broken</h1>")
    assert page.inner_text("h1") == "fine"

def test_heading_is_broken(page):
    page.set_content("<h1>broken</h1>")
    assert page.inner_text("h1") == "broken"
"""


def test_a_failed_test_keeps_a_screenshot_and_a_passed_one_does_not(browser_type_launch_args, tmp_path):
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "pytest.ini").write_text("[pytest]\n")  # not this repository's addopts
    (inner / "conftest.py").write_text(INNER_CONFTEST)
    (inner / "test_inner.py").write_text(INNER_TESTS)
    out = tmp_path / "artifacts"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--screenshot",
            "only-on-failure",
            "--output",
            str(out),
            "test_inner.py",
        ],
        cwd=inner,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 1 and "1 failed, 1 passed" in proc.stdout, proc.stdout + proc.stderr
    shots = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.png"))
    assert len(shots) == 1 and "heading-is-fine" in shots[0], shots
    assert Path(out / shots[0]).stat().st_size > 1000
