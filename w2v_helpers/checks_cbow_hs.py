r"""Checkers for CBOW's and hierarchical softmax's gradients (notebooks 07 and 08).

Each checker compares a candidate's **loss and gradients** with the true ones
(:func:`~w2v_helpers.cbow`, :func:`~w2v_helpers.hierarchical_softmax_loss_and_gradient`)
through :func:`~w2v_helpers.gradcheck` -- central differences of the *true* loss -- and, when
something is wrong, names the slip: the 1/C of the mean forgotten or added, a repeated context
word counted once, a code's sign flipped, the code ignored, a step of the path missing, a loss
that disagrees even where the gradients are right.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

import numpy as np

from ._validate import as_callable, as_float_array, as_index, as_index_array
from .cbow import _check_bool, cbow
from .checks import Report
from .core import _sigmoid, naive_softmax_loss_and_gradient
from .gradcheck import GradcheckResult, _fmt_num, gradcheck
from .hierarchical import _check_hs_args, hierarchical_softmax_loss_and_gradient, huffman_tree

__all__ = ["check_cbow", "check_hierarchical_softmax", "cbow_scene", "hs_scene"]


def _loss_result(loss, true_loss, extra: str = "") -> GradcheckResult:
    ok = bool(np.isclose(loss, true_loss, rtol=1e-9, atol=1e-12))
    err = abs(loss - true_loss)
    if ok:
        msg = f"The loss {true_loss:.6g} is right."
    else:
        msg = f"The loss is {loss:.6g} but the true loss is {true_loss:.6g}." + (f" {extra}" if extra else "")
    return GradcheckResult(
        ok,
        err / max(abs(true_loss), 1e-300),
        err,
        np.array(true_loss),
        np.array(loss),
        loss,
        msg,
        "ok" if ok else "wrong",
        factor=1.0 if ok else None,
    )


def _as_loss(value, name="the loss") -> float:
    arr = np.asarray(value, dtype=np.float64)
    if arr.size != 1:
        raise ValueError(f"{name} must be a scalar, got shape {arr.shape}")
    return float(arr.reshape(()))


def _triple(out, what: str):
    if not isinstance(out, tuple) or len(out) != 3:
        raise ValueError(
            f"{what} must return a triple (loss, grad, grad), got "
            + (f"a tuple of length {len(out)}" if isinstance(out, tuple) else type(out).__name__)
        )
    return out


# --------------------------------------------------------------------------- CBOW


def cbow_scene(V: int = 7, d: int = 5, seed: int = 3):
    """``(center_idx, outside_idxs, center_vectors (V, d), outside_vectors (V, d))``: the middle
    word 0 and a context of C = 4 positions in which word 2 fills two."""
    rng = np.random.default_rng(seed)
    return 0, np.array([2, 5, 2, 3]), rng.normal(size=(V, d)), rng.normal(size=(V, d))


def check_cbow(
    fn: Callable,
    center_idx=None,
    outside_idxs=None,
    center_vectors=None,
    outside_vectors=None,
    loss_and_gradient=naive_softmax_loss_and_gradient,
    mean=True,
) -> Report:
    r"""Check a candidate CBOW ``fn(center_idx, outside_idxs, center_vectors, outside_vectors,
    loss_and_gradient, mean) -> (loss, grad_center_vectors (V, d), grad_outside_vectors (V, d))``.

    ``fn`` may leave out the ``loss_and_gradient`` and/or ``mean`` parameters (then it is
    called without them, and must compute the naive-softmax CBOW with the given ``mean``).
    The default scene (:func:`cbow_scene`) has a context word in two positions and
    ``mean=True``, so forgetting the 1/C, or counting the repeated word once, is caught.

    Returns:
        :class:`~w2v_helpers.checks.Report` with ``"J"``, ``"∂J/∂(center vectors)"`` and ``"∂J/∂U"``.
    """
    as_callable(
        fn,
        "fn",
        "fn(center_idx, outside_idxs, center_vectors, outside_vectors, "
        "loss_and_gradient, mean) -> (loss, grad_center_vectors, grad_outside_vectors)",
    )
    as_callable(loss_and_gradient, "loss_and_gradient", "like naive_softmax_loss_and_gradient")
    mean = _check_bool(mean, "mean")
    c0, o0, Vc0, U0 = cbow_scene()
    Vc = Vc0 if center_vectors is None else as_float_array(center_vectors, "center_vectors", ndim=2)
    U = U0 if outside_vectors is None else as_float_array(outside_vectors, "outside_vectors", ndim=2)
    if U.shape != Vc.shape:
        raise ValueError(f"outside_vectors must have the shape of center_vectors {Vc.shape}, got {U.shape}")
    c = c0 if center_idx is None else as_index(center_idx, "center_idx", Vc.shape[0])
    outs = o0 if outside_idxs is None else as_index_array(outside_idxs, "outside_idxs", Vc.shape[0])
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):  # pragma: no cover - builtins
        params = {}
    kwargs = {}
    if "loss_and_gradient" in params:
        kwargs["loss_and_gradient"] = loss_and_gradient
    if "mean" in params:
        kwargs["mean"] = mean

    def call(X, Y):
        return _triple(fn(c, outs, X, Y, **kwargs), "fn")

    def true_loss(X, Y):
        return cbow(c, outs, X, Y, loss_and_gradient, mean)[0]

    C = outs.size
    rc = gradcheck(lambda X: (true_loss(X, U), call(X, U)[1]), Vc)
    rU = gradcheck(lambda Y: (true_loss(Vc, Y), call(Vc, Y)[2]), U)
    loss = _as_loss(call(Vc, U)[0])
    truth = true_loss(Vc, U)
    other = cbow(c, outs, Vc, U, loss_and_gradient, not mean)[0]
    hint = ""
    if np.isclose(loss, other, rtol=1e-9, atol=1e-12):
        hint = (
            "It is the loss of the "
            + ("summed" if mean else "averaged")
            + " context vector: v̂ = "
            + ("(1/C) Σ_j v_{w_{t+j}} (mean=True)" if mean else "Σ_j v_{w_{t+j}} (mean=False)")
            + " must be used in the loss too."
        )
    elif np.isclose(loss, -truth, rtol=1e-9, atol=1e-12):
        hint = "It has the wrong sign: J = −log p(c | context) is positive."
    J = _loss_result(loss, truth, hint)

    if not rc.passed:
        f = rc.factor
        if rc.kind == "factor" and mean and f is not None and np.isclose(f, C):
            rc.diagnosis += (
                f" The factor {C} is C, the number of context positions: the 1/C of the mean "
                "is forgotten. With v̂ = (1/C) Σ_j v_{w_{t+j}}, ∂v̂/∂v_w = (n_w/C) I, so each "
                "context row gets (n_w/C) ∂J/∂v̂."
            )
        elif rc.kind == "factor" and f is not None and np.isclose(f, 1.0 / C):
            rc.diagnosis += (
                f" The factor 1/{C} is 1/C applied twice: v̂ already is the mean, and each "
                "context row gets (n_w/C) ∂J/∂v̂ with ∂J/∂v̂ taken at that mean."
                if mean
                else f" The factor 1/{C} is 1/C: the gradient is divided by C though v̂ is the "
                "sum of the context vectors (mean=False), so ∂v̂/∂v_w = n_w I."
            )
        if rc.kind in ("rows", "terms"):
            n = np.bincount(outs, minlength=Vc.shape[0])
            a = np.asarray(rc.analytic)
            if a.shape == Vc.shape and np.any(a[c]) and n[c] == 0:
                rc.diagnosis += (
                    f" Row {c}, the middle word c, gets a gradient, but in CBOW v_c is not used: "
                    "the context words' v's are the input, the middle word is predicted "
                    "through its u_c."
                )
            reps = [int(w) for w in np.flatnonzero(n > 1)]
            if reps:
                rc.diagnosis += (
                    " (Here word"
                    + ("s " if len(reps) > 1 else " ")
                    + ", ".join(map(str, reps))
                    + " fill"
                    + ("" if len(reps) > 1 else "s")
                    + f" {', '.join(str(int(n[w])) for w in reps)} positions of the context: "
                    "its row gets n_w times the per-position gradient.)"
                )
    return Report({"J": J, "∂J/∂(center vectors)": rc, "∂J/∂U": rU})


# --------------------------------------------------------------------------- hierarchical softmax

HS_COUNTS = (30, 20, 12, 9, 7, 5, 3, 2)


def hs_scene(d: int = 6, seed: int = 4):
    """``(center_vec (d,), outside_idx, node_vectors (V-1, d), tree)`` over the counts
    ``HS_COUNTS``; o = 6 has a path of 5 inner nodes with codes 1, 0, 0, 0, 1."""
    tree = huffman_tree(HS_COUNTS)
    rng = np.random.default_rng(seed)
    return rng.normal(size=d), 6, rng.normal(size=(tree.n_inner, d)), tree


def _step_variants(x, code):
    """The usual slips for the coefficient of one step (x = n^T v_c), most specific first."""
    s = 1.0 - 2.0 * code
    true = _sigmoid(x) - (1.0 - code)
    return true, [
        ("the wrong sign", -true),
        ("the code ignored (treated as code 0, σ(nᵀv_c), though the code is 1)", _sigmoid(x) - 1.0),
        ("the code ignored (treated as code 1, σ(−nᵀv_c), though the code is 0)", _sigmoid(x)),
        ("the convention swapped (code 0 taken as σ(−nᵀv_c), code 1 as σ(nᵀv_c))", _sigmoid(x) - code),
        (
            "σ(s_j nᵀv_c) where σ(−s_j nᵀv_c) belongs (the derivative of log σ(z) is σ(−z), not σ(z))",
            -s * _sigmoid(s * x),
        ),
        ("nothing: the step is missing", 0.0),
    ]


def _classify_steps(coefs, path, codes, xs):
    """Per step of the path: None if right, else the name of the slip (or the numbers)."""
    out = []
    for a, code, x in zip(coefs, codes, xs):
        true, variants = _step_variants(x, int(code))
        if np.isclose(a, true, rtol=1e-6, atol=1e-9):
            out.append(None)
            continue
        name = next((nm for nm, val in variants if np.isclose(a, val, rtol=1e-6, atol=1e-9)), None)
        out.append(name or f"{_fmt_num(a)} where {_fmt_num(true)} belongs")
    return out


def _whole_path_slip(coefs, codes, xs):
    """A slip that explains every step at once, or None."""
    codes = codes.astype(np.float64)
    swapped = _sigmoid(xs) - codes
    if np.allclose(coefs, swapped, rtol=1e-6, atol=1e-9):
        return (
            "the code convention is swapped at every step: code 0 is taken as σ(−nᵀv_c) and code 1 "
            "as σ(nᵀv_c), but word2vec.c's convention (used here) is the opposite, so the coefficient "
            "is σ(nᵀv_c) − (1 − code), not σ(nᵀv_c) − code."
        )
    return None


def _describe_steps(names, path, codes, what: str, coefs=None, xs=None) -> str:
    if coefs is not None and any(nm is not None for nm in names):
        whole = _whole_path_slip(np.asarray(coefs), codes, xs)
        if whole:
            return f" Along o's path, in the coefficients of {what}: {whole}"
    wrong = [(j, nm) for j, nm in enumerate(names) if nm is not None]
    if not wrong:
        return ""
    parts = [f"step {j + 1} (node {int(path[j])}, code {int(codes[j])}): {nm}" for j, nm in wrong]
    msg = f" Along o's path, the coefficient of {what} is wrong at " + "; ".join(parts) + "."
    steps_with = {int(codes[j]) for j, _ in wrong}
    if (
        len(wrong) == sum(1 for cd in codes if int(cd) in steps_with)
        and len(steps_with) == 1
        and len({nm for _, nm in wrong}) == 1
    ):
        msg += (
            f" Every step with code {steps_with.pop()} has it, and the others are right: at code 0 the "
            "branch probability is σ(nᵀv_c), at code 1 it is σ(−nᵀv_c), so the coefficient is "
            "σ(nᵀv_c) − (1 − code)."
        )
    return msg


def check_hierarchical_softmax(fn: Callable, center_vec=None, outside_idx=None, node_vectors=None, tree=None) -> Report:
    r"""Check a candidate ``fn(center_vec, outside_idx, node_vectors, tree) -> (loss,
    grad_center_vec (d,), grad_node_vectors (V - 1, d))``.

    The default scene (:func:`hs_scene`) has a path of 5 inner nodes with both codes (with your
    own ``tree`` and no ``outside_idx``: the deepest word whose code has both), and
    d = 6 so that the path's node vectors are linearly independent: each step's coefficient
    in :math:`\partial J/\partial v_c = \sum_j (\sigma(n_j^\top v_c) - (1 - \mathrm{code}_j))\, n_j`
    is read off and a wrong one is named (sign, code ignored, convention swapped, missing).

    Returns:
        :class:`~w2v_helpers.checks.Report` with ``"J"``, ``"∂J/∂v_c"`` and ``"∂J/∂(node vectors)"``.
    """
    as_callable(
        fn, "fn", "fn(center_vec, outside_idx, node_vectors, tree) -> (loss, grad_center_vec, grad_node_vectors)"
    )
    v0, o0, N0, t0 = hs_scene()
    if tree is None and node_vectors is not None:
        raise ValueError("pass tree together with node_vectors (its V - 1 rows belong to one tree)")
    tree = t0 if tree is None else tree
    N = N0 if node_vectors is None else node_vectors
    v = v0 if center_vec is None else center_vec
    if center_vec is None and node_vectors is not None:
        v = np.random.default_rng(5).normal(size=np.shape(node_vectors)[-1])
    v, N, tree = _check_hs_args(v, N, tree)
    o = o0 if outside_idx is None else as_index(outside_idx, "outside_idx", tree.V)
    if outside_idx is None and tree is not t0:
        # the deepest word whose code has both a 0 and a 1, so that ignoring the code is caught
        o = max(range(tree.V), key=lambda w: (len(set(tree.codes[w].tolist())), len(tree.paths[w]), -w))
    path, codes = tree.paths[o], tree.codes[o]

    def call(x, X):
        return _triple(fn(x, o, X, tree), "fn")

    def true_loss(x, X):
        return hierarchical_softmax_loss_and_gradient(x, o, X, tree)[0]

    rv = gradcheck(lambda x: (true_loss(x, N), call(x, N)[1]), v)
    rN = gradcheck(lambda X: (true_loss(v, X), call(v, X)[2]), N, known_vectors={"v_c": v})
    xs = N[path] @ v

    if not rv.passed and np.asarray(rv.analytic).shape == v.shape:
        a = np.asarray(rv.analytic)
        coefs, *_ = np.linalg.lstsq(N[path].T, a, rcond=None)
        if np.allclose(N[path].T @ coefs, a, rtol=1e-7, atol=1e-9):
            rv.diagnosis += _describe_steps(
                _classify_steps(coefs, path, codes, xs), path, codes, "n_j in ∂J/∂v_c", coefs, xs
            )
        else:
            rv.diagnosis += (
                " It is not a combination of the node vectors on o's path: ∂J/∂v_c must be "
                "Σ_j (σ(n_jᵀv_c) − (1 − code_j)) n_j over o's path only."
            )
    if not rN.passed and np.asarray(rN.analytic).shape == N.shape:
        A = np.asarray(rN.analytic)
        off = [int(r) for r in range(N.shape[0]) if r not in set(path.tolist()) and np.any(np.abs(A[r]) > 1e-12)]
        if off:
            rN.diagnosis += (
                f" Node{'s' if len(off) > 1 else ''} {', '.join(map(str, off))} "
                f"{'are' if len(off) > 1 else 'is'} not on o's path ({', '.join(map(str, path.tolist()))}) "
                "and must get zero gradient: J only involves the nodes on the path."
            )
        rows = A[path]
        vv = float(v @ v)
        betas = rows @ v / vv
        if vv > 0 and np.allclose(np.outer(betas, v), rows, rtol=1e-7, atol=1e-9):
            rN.diagnosis += _describe_steps(
                _classify_steps(betas, path, codes, xs), path, codes, "v_c in ∂J/∂n_j", betas, xs
            )
    loss = _as_loss(call(v, N)[0])
    truth = true_loss(v, N)
    s = 1.0 - 2.0 * codes
    hint = ""
    logs = np.logaddexp(0.0, -s * xs)  # -log sigma(s_j x_j), per step
    if np.isclose(loss, float(np.sum(np.logaddexp(0.0, s * xs))), rtol=1e-9):
        hint = "It is the loss with the code convention swapped: code 0 means σ(nᵀv_c), code 1 σ(−nᵀv_c)."
    elif np.isclose(loss, float(np.sum(np.logaddexp(0.0, -xs))), rtol=1e-9):
        hint = "It is the loss with every code taken as 0: the code's sign s_j = 1 − 2 code_j is missing."
    elif np.isclose(loss, -truth, rtol=1e-9):
        hint = "It has the wrong sign: J = −Σ_j log σ(s_j nᵀv_c) is positive."
    else:
        for j in range(len(path)):
            if np.isclose(loss, truth - logs[j], rtol=1e-9, atol=1e-12):
                hint = f"It leaves out step {j + 1} of the path (node {int(path[j])}): J sums over every inner node from the root to o."
                break
    return Report({"J": _loss_result(loss, truth, hint), "∂J/∂v_c": rv, "∂J/∂(node vectors)": rN})
