"""Every notebook in JupyterLab: Restart Kernel and Run All, no errors, every widget drives a figure."""

from __future__ import annotations

import pytest

import browser_harness as bh

NOTEBOOKS = [bh.FIXTURE_WIDGETS] + bh.repo_notebooks()


@pytest.fixture(autouse=True)
def free_kernels(lab_server):
    """After each test (and after pytest-playwright closed its page), shut the kernels down:
    it frees the 2 cores for the next notebook."""
    yield
    lab_server.shutdown_kernels()


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_in_jupyterlab(nb, lab_server, page, console, latency_records):
    rep = bh.check_notebook(page, lab_server, nb, workspace=f"w2v-{nb.stem}", console=console)
    latency_records.extend(r.as_dict() for r in rep.results)
    print(rep.summary())
    bh.assert_clean(rep)


def test_harness_flags_a_broken_notebook(lab_server, page):
    """The checks are not vacuous: a notebook with an error cell, a slider that moves no figure,
    a raising button callback, a TeX error and an unclosed $ is reported on every count."""
    rep = bh.check_notebook(
        page, lab_server, bh.FIXTURE_BROKEN, workspace="w2v-broken", action_timeout_ms=2500, button_timeout_ms=2500
    )
    errors = "\n".join(rep.errors)
    assert "ZeroDivisionError" in errors, rep.summary()
    assert "callback exploded" in errors, rep.summary()
    problems = "\n".join(rep.problems)
    assert "LaTeX error" in errors, rep.summary()  # \frac{1}: MathJax's merror
    assert "LaTeX left untypeset" in problems, rep.summary()  # the unclosed $
    kinds = {r.kind: r for r in rep.results}
    assert "slider" in kinds and not kinds["slider"].ok and "no figure changed" in kinds["slider"].note, rep.summary()
    assert "button" in kinds and not kinds["button"].ok, rep.summary()
    with pytest.raises(AssertionError, match="ZeroDivisionError"):
        bh.assert_clean(rep)  # and a real test of this notebook would fail
