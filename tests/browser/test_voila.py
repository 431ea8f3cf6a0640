"""Notebooks served by Voila (sources stripped): the page renders, no errors, widgets respond."""

from __future__ import annotations

import pytest

import browser_harness as bh

pytestmark = pytest.mark.browser

NOTEBOOKS = [bh.FIXTURE_WIDGETS] + bh.voila_notebooks()


@pytest.fixture
def voila_page(browser, voila_server):
    console: list[str] = []
    page = bh.new_page(browser, console)
    try:
        yield page, console
    finally:
        page.context.close()  # Voila shuts the kernel down when the page goes away


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_in_voila(nb, voila_server, voila_page, artifacts, latency_records):
    page, console = voila_page
    try:
        rep = bh.check_notebook(page, voila_server, nb, artifacts, console=console)
    except Exception:
        bh.screenshot(page, artifacts, f"voila-{nb.stem}-harness-error")
        raise
    latency_records.extend(r.as_dict() for r in rep.results)
    print(rep.summary())
    bh.assert_clean(rep, artifacts)
    assert page.evaluate("() => document.querySelectorAll('.jp-CodeCell .jp-InputArea').length") == 0


def test_voila_shows_errors(voila_server, voila_page, artifacts):
    """A notebook whose last cell raises is reported as an error in Voila too."""
    page, console = voila_page
    sub = artifacts / "selftest"
    sub.mkdir(exist_ok=True)
    rep = bh.check_notebook(page, voila_server, bh.FIXTURE_BROKEN, sub,
                            action_timeout_ms=2500, button_timeout_ms=2500)
    assert any("ZeroDivisionError" in e for e in rep.errors), rep.summary()
    assert any("LaTeX error" in e for e in rep.errors), rep.summary()
    assert any(not r.ok for r in rep.results if r.kind == "slider"), rep.summary()
