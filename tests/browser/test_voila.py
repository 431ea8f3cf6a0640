"""Notebooks served by Voila (sources stripped): the page renders, no errors, widgets respond."""

from __future__ import annotations

import pytest

import browser_harness as bh

NOTEBOOKS = [bh.FIXTURE_WIDGETS] + bh.voila_notebooks()


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_in_voila(nb, voila_server, page, console, latency_records):
    # Voila shuts the kernel down when pytest-playwright closes the page
    rep = bh.check_notebook(page, voila_server, nb, console=console)
    latency_records.extend(r.as_dict() for r in rep.results)
    print(rep.summary())
    bh.assert_clean(rep)
    assert page.evaluate("() => document.querySelectorAll('.jp-CodeCell .jp-InputArea').length") == 0


def test_voila_shows_errors(voila_server, page):
    """A notebook whose last cell raises is reported as an error in Voila too."""
    rep = bh.check_notebook(page, voila_server, bh.FIXTURE_BROKEN, action_timeout_ms=2500, button_timeout_ms=2500)
    assert any("ZeroDivisionError" in e for e in rep.errors), rep.summary()
    assert any("LaTeX error" in e for e in rep.errors), rep.summary()
    assert any(not r.ok for r in rep.results if r.kind == "slider"), rep.summary()
