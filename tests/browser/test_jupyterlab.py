"""Every notebook in JupyterLab: Restart Kernel and Run All, no errors, every widget drives a figure."""

from __future__ import annotations

import pytest

import browser_harness as bh

pytestmark = pytest.mark.browser

NOTEBOOKS = [bh.FIXTURE_WIDGETS] + bh.repo_notebooks()


@pytest.fixture
def lab_page(browser, lab_server):
    console: list[str] = []
    page = bh.new_page(browser, console)
    try:
        yield page, console
    finally:
        page.context.close()
        lab_server.shutdown_kernels()  # free the 2 cores for the next notebook


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_in_jupyterlab(nb, lab_server, lab_page, artifacts, latency_records):
    page, console = lab_page
    try:
        rep = bh.check_notebook(page, lab_server, nb, artifacts, workspace=f"w2v-{nb.stem}",
                                console=console)
    except Exception:
        bh.screenshot(page, artifacts, f"lab-{nb.stem}-harness-error")
        raise
    latency_records.extend(r.as_dict() for r in rep.results)
    print(rep.summary())
    bh.assert_clean(rep, artifacts)


def test_harness_flags_a_broken_notebook(lab_server, lab_page, artifacts):
    """The checks are not vacuous: a notebook with an error cell, a slider that moves no figure,
    a raising button callback, a TeX error and an unclosed $ is reported on every count."""
    page, console = lab_page
    sub = artifacts / "selftest"
    sub.mkdir(exist_ok=True)
    rep = bh.check_notebook(page, lab_server, bh.FIXTURE_BROKEN, sub, workspace="w2v-broken",
                            action_timeout_ms=2500, button_timeout_ms=2500)
    errors = "\n".join(rep.errors)
    assert "ZeroDivisionError" in errors, rep.summary()
    assert "callback exploded" in errors, rep.summary()
    problems = "\n".join(rep.problems)
    assert "LaTeX error" in errors, rep.summary()  # \frac{1}: MathJax's merror
    assert "LaTeX left untypeset" in problems, rep.summary()  # the unclosed $
    kinds = {r.kind: r for r in rep.results}
    assert "slider" in kinds and not kinds["slider"].ok and "no figure changed" in kinds["slider"].note, rep.summary()
    assert "button" in kinds and not kinds["button"].ok, rep.summary()
    assert list(sub.glob("*.png")), "no screenshot saved for the failures"
