"""Fixtures for the browser tests: JupyterLab / Voila servers, Chromium, artifacts, latency records.

Skip policy: without /usr/bin/chromium or the playwright package the tests are skipped with the
reason, unless W2V_REQUIRE_BROWSER=1 (CI), in which case they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import browser_harness as bh  # noqa: E402

# The fixture notebooks are driven by the browser tests, not collected by nbval.
collect_ignore_glob = ["fixtures/*"]


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "browser: drives JupyterLab/Voila in headless Chromium (needs /usr/bin/chromium and playwright)",
    )


@pytest.fixture(scope="session")
def browser_env():
    """Skip (or, with W2V_REQUIRE_BROWSER=1, fail) when Chromium or playwright is missing."""
    reason = bh.browser_missing_reason()
    if reason:
        if bh.browser_required():
            pytest.fail(f"W2V_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    return True


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory) -> Path:
    """Screenshots, logs and latency records: $W2V_ARTIFACTS, else a pytest temp dir."""
    env = os.environ.get("W2V_ARTIFACTS")
    path = Path(env) if env else tmp_path_factory.mktemp("browser-artifacts")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def server_root(browser_env):
    """A temporary copy of the repository (notebooks/, data/, ...) plus the fixture notebooks."""
    base = Path(tempfile.mkdtemp(prefix="w2v-browser-"))
    root = bh.make_root_copy(base / "root")
    yield base, root
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def lab_server(server_root, artifacts):
    base, root = server_root
    server = bh.start_lab(base / "lab", root)
    try:
        yield server
    finally:
        server.stop()
        shutil.copy2(server.log_path, artifacts / "jupyterlab.log")


@pytest.fixture(scope="session")
def voila_server(server_root, artifacts):
    base, root = server_root
    server = bh.start_voila(base / "voila", root)
    try:
        yield server
    finally:
        server.stop()
        shutil.copy2(server.log_path, artifacts / "voila.log")


@pytest.fixture(scope="module")
def browser(browser_env):
    # module scope: Playwright's sync API cannot run inside another running instance, so this one
    # must be closed before other tests (tests/test_slides.py) start their own.  ("package" scope
    # does not do it: tests/browser has no __init__.py, so the fixture would live until the end of
    # the session.)  A Chromium launch costs about a second per test module.
    with bh.chromium() as b:
        yield b


@pytest.fixture(scope="session")
def latency_records(artifacts):
    """Every action's record; written to <artifacts>/browser_latency.json at the end."""
    records: list[dict] = []
    yield records
    out = artifacts / "browser_latency.json"
    out.write_text(json.dumps(records, indent=1))
    sliders = [r for r in records if r["kind"] == "slider" and r["latency_ms"] is not None]
    if sliders:
        print(f"\n[browser] {len(sliders)} slider latency records -> {out}")
        print(bh.latency_table(records))
