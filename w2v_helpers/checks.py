r"""Part-by-part checkers: run :func:`~w2v_helpers.gradcheck.gradcheck` on a candidate
gradient with the pieces of that part's formulas named, so a wrong answer is
told *which* term is missing, extra or swapped.

Each checker builds a small fixed random scene unless you pass your own
(V = 6 words, d = 5 dimensions: enough dimensions that the named terms are
linearly independent), and returns a result with ``passed`` and ``diagnosis``.
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Callable

import numpy as np

from ._validate import as_callable, as_float_array, as_index, as_index_array, check_vector_matrix
from .core import (
    _sigmoid,
    _softmax,
    context_window,
    naive_softmax_loss_and_gradient,
    neg_sampling_loss_and_gradient,
    sigmoid,
    skipgram,
    window_offsets,
)
from .gradcheck import GradcheckResult, gradcheck

__all__ = [
    "Report",
    "default_scene",
    "check_sigmoid_grad",
    "check_center_gradient",
    "check_outside_gradient",
    "check_neg_sampling_center_gradient",
    "check_neg_sampling_outside_gradient",
    "check_loss_and_gradient",
    "check_neg_sampling_gradients",
    "check_skipgram",
]


@dataclass
class Report:
    """Several gradcheck results under one name (e.g. the gradient w.r.t. v_c and w.r.t. U)."""

    results: dict

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results.values())

    @property
    def diagnosis(self) -> str:
        return "\n".join(f"{name}: {r.diagnosis}" for name, r in self.results.items())

    def __getitem__(self, name: str) -> GradcheckResult:
        return self.results[name]

    def __repr__(self) -> str:
        status = "PASSED" if self.passed else "FAILED"
        return f"check {status}\n" + self.diagnosis

    def _repr_html_(self) -> str:
        return "".join(f"<p><b>{name}</b></p>{r._repr_html_()}" for name, r in self.results.items())


def default_scene(V: int = 6, d: int = 5, seed: int = 0):
    """A fixed random scene: ``(center_vec (d,), outside_idx, outside_vectors (V, d), center_vectors (V, d))``."""
    rng = np.random.default_rng(seed)
    outside_vectors = rng.normal(size=(V, d))
    center_vectors = rng.normal(size=(V, d))
    return center_vectors[0].copy(), 1, outside_vectors, center_vectors


def _scene(center_vec, outside_idx, outside_vectors, center_vectors=None):
    c0, o0, U0, V0 = default_scene()
    U = U0 if outside_vectors is None else as_float_array(outside_vectors, "outside_vectors", ndim=2)
    if center_vec is None:
        v = c0 if outside_vectors is None else np.random.default_rng(1).normal(size=U.shape[1])
    else:
        v = as_float_array(center_vec, "center_vec", ndim=1)
    check_vector_matrix(v, U)
    o = o0 if outside_idx is None else as_index(outside_idx, "outside_idx", U.shape[0])
    Vc = V0 if center_vectors is None and outside_vectors is None else center_vectors
    if Vc is None:
        Vc = np.random.default_rng(1).normal(size=U.shape)
    Vc = as_float_array(Vc, "center_vectors", ndim=2)
    if Vc.shape != U.shape:
        raise ValueError(f"center_vectors must have the shape of outside_vectors {U.shape}, got {Vc.shape}")
    return v, o, U, Vc


def _n_params(fn: Callable) -> int:
    try:
        return len(inspect.signature(fn).parameters)
    except (TypeError, ValueError):  # pragma: no cover - builtins
        return 3


def check_sigmoid_grad(grad_fn: Callable, x=None) -> GradcheckResult:
    r"""Check a candidate :math:`\sigma'(x)` elementwise at points ``x`` (default -6..6).

    Runs gradcheck on :math:`f(x) = \sum_i \sigma(x_i)`, whose gradient is the
    vector of :math:`\sigma'(x_i)`.
    """
    as_callable(grad_fn, "grad_fn", "grad_fn(x) -> the elementwise derivative")
    x = np.linspace(-6.0, 6.0, 13) if x is None else as_float_array(x, "x", ndim=1)
    result = gradcheck(lambda z: (float(np.sum(sigmoid(z))), grad_fn(z)), x)
    extreme = np.array([-1000.0, -50.0, 50.0, 1000.0])
    with np.errstate(all="ignore"):
        got = np.asarray(grad_fn(extreme.copy()), dtype=np.float64)
    if got.shape == extreme.shape and not np.all(np.isfinite(got)):
        bad = extreme[~np.isfinite(got)]
        result.diagnosis += (
            f" But it is not numerically stable: at x = {_fmt_points(bad)} it returns "
            f"{_fmt_points(got[~np.isfinite(got)])} where σ'(x) is a tiny positive number "
            "(an exponential overflows; use σ(x)(1 − σ(x)) with a stable σ)."
        )
    return result


def _fmt_points(values) -> str:
    return ", ".join(f"{v:g}" for v in np.asarray(values).reshape(-1))


def _softmax_terms(v, o, U, Vc):
    y_hat = _softmax(U @ v)
    return {
        "u_o": U[o],
        "Σ_w ŷ_w u_w": y_hat @ U,
        "Σ_w ŷ_w v_w": y_hat @ Vc,
        "v_c": v,
    }


def check_center_gradient(grad_fn: Callable, center_vec=None, outside_idx=None,
                          outside_vectors=None, center_vectors=None) -> GradcheckResult:
    r"""(b) Check a candidate :math:`\partial J/\partial v_c` of the naive-softmax loss.

    Args:
        grad_fn: ``grad_fn(center_vec, outside_idx, outside_vectors) -> (d,)``, or with a
            fourth argument ``center_vectors`` (V, d) for formulas that use :math:`v_w`.
        center_vec, outside_idx, outside_vectors, center_vectors: the scene; defaults
            from :func:`default_scene`.

    Named terms: :math:`u_o`, :math:`\sum_w \hat y_w u_w`, :math:`\sum_w \hat y_w v_w`, :math:`v_c`.
    """
    as_callable(grad_fn, "grad_fn", "grad_fn(center_vec, outside_idx, outside_vectors[, center_vectors]) -> (d,)")
    v, o, U, Vc = _scene(center_vec, outside_idx, outside_vectors, center_vectors)
    four = _n_params(grad_fn) >= 4

    def f(x):
        loss = naive_softmax_loss_and_gradient(x, o, U)[0]
        return loss, (grad_fn(x, o, U, Vc) if four else grad_fn(x, o, U))

    return gradcheck(f, v, terms=_softmax_terms(v, o, U, Vc))


def check_outside_gradient(grad_fn: Callable, center_vec=None, outside_idx=None,
                           outside_vectors=None) -> GradcheckResult:
    r"""(c) Check a candidate :math:`\partial J/\partial U` of the naive-softmax loss, in the code's (V, d) layout.

    Args:
        grad_fn: ``grad_fn(center_vec, outside_idx, outside_vectors) -> (V, d)``, row w
            is :math:`\partial J/\partial u_w`.

    Named terms (rows w): :math:`\hat y_w v_c`, :math:`y_w v_c`, and :math:`\hat y_o v_c`
    in every row.
    """
    as_callable(grad_fn, "grad_fn", "grad_fn(center_vec, outside_idx, outside_vectors) -> (V, d)")
    v, o, U, _ = _scene(center_vec, outside_idx, outside_vectors)
    y_hat = _softmax(U @ v)
    y = np.zeros_like(y_hat)
    y[o] = 1.0
    terms = {
        "ŷ_w v_c (row w)": np.outer(y_hat, v),
        "y_w v_c (row w)": np.outer(y, v),
        "ŷ_o v_c (in every row)": np.tile(y_hat[o] * v, (U.shape[0], 1)),
    }
    return gradcheck(lambda X: (naive_softmax_loss_and_gradient(v, o, X)[0], grad_fn(v, o, X)), U,
                     terms=terms, known_vectors={"v_c": v})


def _neg_scene(fn, center_vec, outside_idx, outside_vectors, negative_idxs):
    as_callable(fn, "grad_fn", "taking (center_vec, outside_idx, outside_vectors, negative_idxs)")
    v, o, U, _ = _scene(center_vec, outside_idx, outside_vectors)
    if negative_idxs is None:
        negs = np.array([w for w in (2, 4, 4, 5, 3) if w != o and w < U.shape[0]], dtype=np.int64)
        if negs.size == 0:
            negs = np.array([(o + 1) % U.shape[0]])
    else:
        negs = as_index_array(negative_idxs, "negative_idxs", U.shape[0])
    return v, o, U, negs


def check_neg_sampling_center_gradient(grad_fn: Callable, center_vec=None, outside_idx=None,
                                       outside_vectors=None, negative_idxs=None) -> GradcheckResult:
    r"""(d) Check a candidate :math:`\partial J_{\text{neg}}/\partial v_c`.

    Args:
        grad_fn: ``grad_fn(center_vec, outside_idx, outside_vectors, negative_idxs) -> (d,)``.
        negative_idxs: (K,) ints; the default has a repeated word (4 twice).
    """
    v, o, U, negs = _neg_scene(grad_fn, center_vec, outside_idx, outside_vectors, negative_idxs)
    s_o = U[o] @ v
    terms = {
        "σ(−u_oᵀv_c) u_o": _sigmoid(-s_o) * U[o],
        "Σ_k σ(u_kᵀv_c) u_k": _sigmoid(U[negs] @ v) @ U[negs],
        "Σ_k σ(−u_kᵀv_c) u_k": _sigmoid(-(U[negs] @ v)) @ U[negs],
    }
    return gradcheck(lambda x: (neg_sampling_loss_and_gradient(x, o, U, negs)[0], grad_fn(x, o, U, negs)),
                     v, terms=terms)


def check_neg_sampling_outside_gradient(grad_fn: Callable, center_vec=None, outside_idx=None,
                                        outside_vectors=None, negative_idxs=None) -> GradcheckResult:
    r"""(d) Check a candidate :math:`\partial J_{\text{neg}}/\partial U`, (V, d), row w is :math:`\partial J/\partial u_w`.

    The default negatives repeat one word, so a gradient that counts a repeated
    negative once is caught (its row is off by a factor 1/2).
    """
    v, o, U, negs = _neg_scene(grad_fn, center_vec, outside_idx, outside_vectors, negative_idxs)
    return gradcheck(lambda X: (neg_sampling_loss_and_gradient(v, o, X, negs)[0], grad_fn(v, o, X, negs)),
                     U, known_vectors={"v_c": v})


def check_loss_and_gradient(fn: Callable, center_vec=None, outside_idx=None, outside_vectors=None,
                            **kwargs) -> Report:
    r"""Check a full ``fn(center_vec, outside_idx, outside_vectors, **kwargs) -> (loss, grad_center_vec, grad_outside_vectors)``.

    Both gradients are checked against central differences of ``fn``'s own loss.
    """
    as_callable(fn, "fn", "fn(center_vec, outside_idx, outside_vectors) -> (loss, grad_center_vec, "
                          "grad_outside_vectors)")
    v, o, U, _ = _scene(center_vec, outside_idx, outside_vectors)
    return Report({
        "∂J/∂v_c": gradcheck(lambda x: fn(x, o, U, **kwargs)[:2], v),
        "∂J/∂U": gradcheck(lambda X: fn(v, o, X, **kwargs)[::2], U, known_vectors={"v_c": v}),
    })


def check_neg_sampling_gradients(fn: Callable, center_vec=None, outside_idx=None, outside_vectors=None,
                                 negative_idxs=None) -> Report:
    r"""(d) Check a full negative-sampling ``fn(center_vec, outside_idx, outside_vectors, negative_idxs)``.

    The loss must be :math:`J_{\text{neg}}` (compared with
    :func:`~w2v_helpers.neg_sampling_loss_and_gradient`); both gradients are checked, and the
    default negatives repeat a word.
    """
    v, o, U, negs = _neg_scene(fn, center_vec, outside_idx, outside_vectors, negative_idxs)
    report = Report({
        "∂J/∂v_c": gradcheck(lambda x: (neg_sampling_loss_and_gradient(x, o, U, negs)[0],
                                        fn(x, o, U, negs)[1]), v),
        "∂J/∂U": gradcheck(lambda X: (neg_sampling_loss_and_gradient(v, o, X, negs)[0],
                                      fn(v, o, X, negs)[2]), U, known_vectors={"v_c": v}),
    })
    loss, true_loss = float(fn(v, o, U, negs)[0]), neg_sampling_loss_and_gradient(v, o, U, negs)[0]
    if not np.isclose(loss, true_loss, rtol=1e-9, atol=1e-12):
        report.results["J"] = GradcheckResult(False, abs(loss - true_loss) / max(abs(true_loss), 1e-300),
                                              abs(loss - true_loss),
                                              np.array(true_loss), np.array(loss), loss,
                                              f"The loss is {loss:.6g} but J_neg-sample is {true_loss:.6g}.",
                                              "wrong")
    return report


def check_skipgram(fn: Callable, sentence_idxs=None, t=None, m=None, center_vectors=None,
                   outside_vectors=None, loss_and_gradient=naive_softmax_loss_and_gradient) -> Report:
    r"""(e) Check a candidate skip-gram window function.

    Args:
        fn: ``fn(center_idx, sentence_idxs, t, m, center_vectors, outside_vectors,
            loss_and_gradient) -> (loss, grad_center_vectors (V, d), grad_outside_vectors (V, d))``,
            e.g. :func:`w2v_helpers.answer_sheet.sheet_skipgram`.
        sentence_idxs, t, m: the window (default: 8 different words, t = 3, m = 2).

    The true loss is :func:`w2v_helpers.skipgram` over :func:`w2v_helpers.context_window`;
    the named terms are each window position's gradient, so a position left out
    of the sum (or counted twice) is named.
    """
    as_callable(fn, "fn", "fn(center_idx, sentence_idxs, t, m, center_vectors, outside_vectors, "
                          "loss_and_gradient) -> (loss, grad_center_vectors, grad_outside_vectors)")
    as_callable(loss_and_gradient, "loss_and_gradient", "like naive_softmax_loss_and_gradient")
    rng = np.random.default_rng(2)
    if sentence_idxs is None:
        sent = np.arange(8)
    else:
        if isinstance(sentence_idxs, (str, bytes)):
            raise ValueError(f"sentence_idxs must be a 1-D sequence of word indices, got {type(sentence_idxs).__name__}")
        sent = np.asarray(sentence_idxs)
    t = 3 if t is None else t
    m = 2 if m is None else m
    outs = context_window(sent, t, m)          # validates sentence_idxs, t and m
    V = int(sent.max()) + 1
    Vc = rng.normal(size=(V, 5)) if center_vectors is None else as_float_array(center_vectors, "center_vectors", ndim=2)
    U = rng.normal(size=Vc.shape) if outside_vectors is None else as_float_array(outside_vectors, "outside_vectors", ndim=2)
    if Vc.shape[0] < V:
        raise ValueError(f"center_vectors must have a row for every word of sentence_idxs (at least {V}), "
                         f"got shape {Vc.shape}")
    if U.shape != Vc.shape:
        raise ValueError(f"outside_vectors must have the shape of center_vectors {Vc.shape}, got {U.shape}")
    c = int(sent[t])
    positions = [j for j in window_offsets(m) if 0 <= t + j < sent.size]
    # one named term per distinct outside word, so a word that fills two positions stays one term
    by_word: dict[int, list[int]] = {}
    for j in positions:
        by_word.setdefault(int(sent[t + j]), []).append(j)
    center_terms, outside_terms = {}, {}
    for word, js in by_word.items():
        _, gc, go = loss_and_gradient(Vc[c], word, U)
        gcm = np.zeros_like(Vc)
        gcm[c] = gc
        label = "j = " + ", ".join(f"{j:+d}" for j in js)
        center_terms[f"∂J(v_c, w_{{t{js[0]:+d}}})/∂V ({label})"] = gcm
        outside_terms[f"∂J(v_c, w_{{t{js[0]:+d}}})/∂U ({label})"] = go

    def true_loss(Vx, Ux):
        return skipgram(c, outs, Vx, Ux, loss_and_gradient)[0]

    report = Report({
        "∂J/∂(center vectors)": gradcheck(
            lambda X: (true_loss(X, U), fn(c, sent, t, m, X, U, loss_and_gradient)[1]), Vc, terms=center_terms),
        "∂J/∂U": gradcheck(
            lambda X: (true_loss(Vc, X), fn(c, sent, t, m, Vc, X, loss_and_gradient)[2]), U, terms=outside_terms),
    })
    for r in report.results.values():
        if r.kind != "terms":
            continue
        named = r.diagnosis.split("Analytic gradient =")[0]   # the sentence naming the differences
        for j in (m, -m):
            if f"{j:+d})" in named or f"{j:+d}," in named:
                r.diagnosis += (f" The window position j = {j:+d} is left out of the sum: it must run over "
                                f"−m ≤ j ≤ m, j ≠ 0 (here {_fmt_points(window_offsets(m))}).")
                break
    return report
