"""The exercise self-checks of notebooks 07 and 08 reject wrong answers, not only accept the right one.

Each notebook's code cells run (widgets and magics left out); then every exercise's self-check is run
again with a wrong answer in place of the solution, and must print ``passed: False``.
"""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path

import matplotlib
import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _namespace(name: str) -> tuple[dict, dict]:
    nb = nbformat.read(ROOT / "notebooks" / name, 4)
    ns: dict = {}
    cells = {c.id: c.source for c in nb.cells if c.cell_type == "code"}
    here = os.getcwd()
    os.chdir(ROOT / "notebooks")
    try:
        matplotlib.use("Agg")
        for cid, src in cells.items():
            if cid == "colab-setup" or src.startswith("# NBVAL_IGNORE_OUTPUT"):  # widgets, timings
                continue
            src = "\n".join(line for line in src.splitlines() if not line.startswith("%"))
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(src, f"{name}:{cid}", "exec"), ns)
    finally:
        os.chdir(here)
    return ns, cells


def _run_check(ns, cells, cid, wrong_def):
    src = cells[cid]
    check = src.split("\n\n\n", 1)[1] if "\n\n\n" in src else src.split("\n", 1)[1]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(wrong_def + "\n" + check, cid, "exec"), dict(ns))
    return out.getvalue()


@pytest.fixture(scope="module")
def nb07():
    return _namespace("07_cbow.ipynb")


@pytest.fixture(scope="module")
def nb08():
    return _namespace("08_hierarchical_softmax.ipynb")


WRONG_07 = {
    "cb-ex1": [
        # repeated word counted once
        """def my_cbow_sum(center_idx, outside_idxs, center_vectors, outside_vectors):
    v_hat = center_vectors[outside_idxs].sum(axis=0)
    loss, g_hat, gU = w2v.naive_softmax_loss_and_gradient(v_hat, center_idx, outside_vectors)
    g = np.zeros_like(center_vectors); g[outside_idxs] = g_hat
    return loss, g, gU""",
        # the mean's loss and gradients where the sum is asked
        """def my_cbow_sum(center_idx, outside_idxs, center_vectors, outside_vectors):
    return w2v.cbow(center_idx, outside_idxs, center_vectors, outside_vectors, mean=True)""",
        # zeros
        """def my_cbow_sum(center_idx, outside_idxs, center_vectors, outside_vectors):
    loss = w2v.cbow(center_idx, outside_idxs, center_vectors, outside_vectors)[0]
    return loss, np.zeros_like(center_vectors), np.zeros_like(outside_vectors)""",
    ],
    "cb-ex2": [
        # the 1/C forgotten in the gradient
        """def my_cbow(center_idx, outside_idxs, center_vectors, outside_vectors, loss_and_gradient, mean):
    loss, gV, gU = w2v.cbow(center_idx, outside_idxs, center_vectors, outside_vectors, loss_and_gradient, mean)
    return loss, gV * (len(outside_idxs) if mean else 1), gU""",
        # ignores loss_and_gradient (always the naive softmax)
        """def my_cbow(center_idx, outside_idxs, center_vectors, outside_vectors, loss_and_gradient, mean):
    return w2v.cbow(center_idx, outside_idxs, center_vectors, outside_vectors, mean=mean)""",
        # ignores mean
        """def my_cbow(center_idx, outside_idxs, center_vectors, outside_vectors, loss_and_gradient, mean):
    return w2v.cbow(center_idx, outside_idxs, center_vectors, outside_vectors, loss_and_gradient, True)""",
    ],
    "cb-ex3": ["share_bank = 2", "share_bank = 1 / 6", "share_bank = 1"],
}

WRONG_08 = {
    "hs-ex1": [
        # the code ignored
        """def my_path_probability(center_vec, outside_idx, node_vectors, tree):
    x = node_vectors[tree.paths[outside_idx]] @ center_vec
    return float(np.prod(w2v.sigmoid(x)))""",
        # the convention swapped
        """def my_path_probability(center_vec, outside_idx, node_vectors, tree):
    x = node_vectors[tree.paths[outside_idx]] @ center_vec
    return float(np.prod(w2v.sigmoid((2 * tree.codes[outside_idx] - 1) * x)))""",
        # the last step left out
        """def my_path_probability(center_vec, outside_idx, node_vectors, tree):
    path, code = tree.paths[outside_idx][:-1], tree.codes[outside_idx][:-1]
    return float(np.prod(w2v.sigmoid((1 - 2 * code) * (node_vectors[path] @ center_vec))))""",
    ],
    "hs-ex2": [
        # sign flipped
        """def my_hs(center_vec, outside_idx, node_vectors, tree):
    loss, gv, gN = w2v.hierarchical_softmax_loss_and_gradient(center_vec, outside_idx, node_vectors, tree)
    return loss, -gv, -gN""",
        # wrong loss, right gradients
        """def my_hs(center_vec, outside_idx, node_vectors, tree):
    loss, gv, gN = w2v.hierarchical_softmax_loss_and_gradient(center_vec, outside_idx, node_vectors, tree)
    return loss + 1.0, gv, gN""",
        # the code ignored
        """def my_hs(center_vec, outside_idx, node_vectors, tree):
    path = tree.paths[outside_idx]
    x = node_vectors[path] @ center_vec
    coef = w2v.sigmoid(x) - 1.0
    g = np.zeros_like(node_vectors); g[path] = np.outer(coef, center_vec)
    return float(np.sum(np.logaddexp(0.0, -x))), coef @ node_vectors[path], g""",
    ],
    "hs-ex3": [
        # a balanced tree: Kraft holds, but not optimal for skewed counts
        """def my_code_lengths(counts):
    return np.full(len(counts), int(np.ceil(np.log2(len(counts)))))""",
        # depth = rank: not a complete code
        """def my_code_lengths(counts):
    return np.argsort(np.argsort(-np.asarray(counts), kind="stable"), kind="stable") + 1""",
        "def my_code_lengths(counts):\n    return np.zeros(len(counts), dtype=int)",
    ],
}


@pytest.mark.parametrize("cid, k", [(c, k) for c, ws in WRONG_07.items() for k in range(len(ws))])
def test_notebook_07_self_checks_reject_wrong_answers(nb07, cid, k):
    ns, cells = nb07
    out = _run_check(ns, cells, cid, WRONG_07[cid][k])
    assert "passed: False" in out, out


@pytest.mark.parametrize("cid, k", [(c, k) for c, ws in WRONG_08.items() for k in range(len(ws))])
def test_notebook_08_self_checks_reject_wrong_answers(nb08, cid, k):
    ns, cells = nb08
    out = _run_check(ns, cells, cid, WRONG_08[cid][k])
    assert "passed: False" in out, out


@pytest.mark.parametrize("which, cid", [("07", c) for c in WRONG_07] + [("08", c) for c in WRONG_08])
def test_the_stored_solutions_pass(nb07, nb08, which, cid):
    ns, cells = nb07 if which == "07" else nb08
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(cells[cid], cid, "exec"), dict(ns))
    assert "passed: True" in out.getvalue()
