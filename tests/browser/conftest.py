"""Fixtures for the browser tests: JupyterLab / Voila servers, the page, latency records.

Chromium comes from pytest-playwright (``browser``, ``context``, ``page``; launched with the
arguments in tests/conftest.py); screenshots and traces of failed tests are its
``--screenshot only-on-failure`` (pyproject.toml; add ``--tracing retain-on-failure`` for traces),
written to its ``--output`` folder (a temp folder unless given). Skip policy: without /usr/bin/chromium the
tests are skipped with the reason, unless W2V_REQUIRE_BROWSER=1 (CI), in which case they fail.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest

import browser_harness as bh

# The fixture notebooks are driven by the browser tests, not collected by nbval.
collect_ignore_glob = ["fixtures/*"]


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, **bh.CONTEXT_ARGS}


@pytest.fixture
def context(context):
    """pytest-playwright's context with the in-page helpers and no network."""
    bh.prepare_context(context)
    return context


@pytest.fixture
def console(page) -> list[str]:
    """The page's script and console errors, as they happen."""
    log: list[str] = []
    bh.record_console(page, log)
    return log


@pytest.fixture(scope="session")
def server_root(browser_type_launch_args):
    """A temporary copy of the repository (notebooks/, data/, ...) plus the fixture notebooks.

    Needs the browser's launch arguments first, so that no server starts when Chromium is missing.
    """
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
