r"""Part-by-part checkers: run :func:`~w2v_helpers.gradcheck.gradcheck` on a candidate
gradient with the pieces of that part's formulas named, so a wrong answer is
told *which* term is missing, extra or swapped.

Each checker builds a small fixed random scene unless you pass your own
(V = 6 words, d = 5 dimensions: enough dimensions that the named terms are
linearly independent), and returns a result with ``passed`` and ``diagnosis``.

Honest checks: every gradient is compared with central differences of the *true*
loss (never of the candidate's own loss), and every checker of a whole function
also compares the candidate's loss value with the true loss at several scenes,
naming the slip (zero, sign, factor, constant, a missing or extra term). So a wrong
loss with gradients that agree with it fails, and the report says which is wrong.

For notebooks and autograders: :func:`verdict` prints a passed check and raises
:class:`CheckFailed` (an ``AssertionError`` shown as the diagnosis alone, without a
traceback) for a failed one; a candidate that still raises ``NotImplementedError``
(an unfilled stub) gets the diagnosis "not answered yet"; :func:`forbid` makes a check
fail when the candidate calls the reference function it is meant to replace.
"""

from __future__ import annotations

import functools
import inspect
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from . import core as _core
from ._validate import as_callable, as_float_array, as_index, as_index_array, check_vector_matrix
from .core import (
    _log_sigmoid,
    _sigmoid,
    _softmax,
    context_window,
    naive_softmax_loss_and_gradient,
    neg_sampling_loss_and_gradient,
    sigmoid,
    skipgram,
    window_offsets,
)
from .gradcheck import GradcheckResult, _fmt_coef, _fmt_num, gradcheck

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
    "check_log_sigmoid_grad",
    "check_tanh_grad",
    "check_soft_target_gradient",
    "check_sentence_loss",
    "check_loss",
    "verdict",
    "forbid",
    "CheckFailed",
]


@dataclass
class Report:
    """Several gradcheck results under one name (e.g. the gradient w.r.t. v_c and w.r.t. U)."""

    results: dict

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results.values())

    @property
    def kind(self) -> str:
        """``"ok"`` when every part passed, else the kind of the first failed part."""
        return next((r.kind for r in self.results.values() if not r.passed), "ok")

    @property
    def wrong(self) -> list:
        """The names of the parts that failed, e.g. ``["J", "∂J/∂U"]``."""
        return [name for name, r in self.results.items() if not r.passed]

    @property
    def diagnosis(self) -> str:
        if list(self.results) == ["answer"]:  # not answered yet, or a forbidden call
            return self.results["answer"].diagnosis
        lines = [f"{name}: {r.diagnosis}" for name, r in self.results.items()]
        if self.wrong and len(self.results) > 1:
            lines.insert(0, "Wrong: " + ", ".join(_part_name(n) for n in self.wrong) + ".")
        return "\n".join(lines)

    def __getitem__(self, name: str) -> GradcheckResult:
        return self.results[name]

    def __repr__(self) -> str:
        status = "PASSED" if self.passed else "FAILED"
        return f"check {status}\n" + self.diagnosis

    def _repr_html_(self) -> str:
        return "".join(f"<p><b>{name}</b></p>{r._repr_html_()}" for name, r in self.results.items())


def _part_name(name: str) -> str:
    return "the loss J" if name == "J" else f"the gradient {name}"


def default_scene(V: int = 6, d: int = 5, seed: int = 0):
    """A fixed random scene: ``(center_vec (d,), outside_idx, outside_vectors (V, d), center_vectors (V, d))``."""
    rng = np.random.default_rng(seed)
    outside_vectors = rng.normal(size=(V, d))
    center_vectors = rng.normal(size=(V, d))
    return center_vectors[0].copy(), 1, outside_vectors, center_vectors


# --------------------------------------------------------------------------- stubs and forbidden calls


class CheckFailed(AssertionError):
    """A failed self-check. In Jupyter it shows as its message -- the diagnosis -- without a traceback,
    so a student (and nbgrader's feedback) sees what is wrong, not where in the checker it was found."""

    def _render_traceback_(self):
        lines = str(self).splitlines() or ["check failed"]
        return ["\x1b[1;31m" + lines[0] + "\x1b[0m"] + lines[1:]


class _BadAnswer(Exception):
    """The candidate's output cannot be checked at all (None, not a triple): a diagnosis, not a traceback."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind, self.message = kind, message


class _ForbiddenCall(Exception):
    def __init__(self, who: str, called: str, names: tuple):
        super().__init__(called)
        self.who, self.called, self.names = who, called, names


def _fn_name(fn) -> str:
    name = getattr(fn, "__name__", None)
    return "your function" if not name or name == "<lambda>" else name


def _failed(kind: str, diagnosis: str) -> GradcheckResult:
    return GradcheckResult(False, np.inf, np.inf, np.asarray([]), np.asarray([]), np.nan, diagnosis, kind)


def _guarded(report: bool):
    """Turn a candidate's NotImplementedError (an unfilled stub) into "not answered yet", and a call to a
    forbidden reference function (see :func:`forbid`) into a failed check naming it."""

    def deco(checker):
        @functools.wraps(checker)
        def wrapper(fn, *args, **kwargs):
            candidate = fn
            if callable(fn):

                @functools.wraps(fn)  # keeps the signature (the checkers read it)
                def candidate(*a, **k):
                    out = fn(*a, **k)
                    if out is None:
                        raise _BadAnswer(
                            "return",
                            (
                                f"{_fn_name(fn)} returned None: it has no `return` line, or returns nothing. "
                                "Return the value (e.g. `return grad`)."
                            ),
                        )
                    return out

            try:
                return checker(candidate, *args, **kwargs)
            except _BadAnswer as exc:
                res = _failed(exc.kind, exc.message)
            except NotImplementedError:
                res = _failed(
                    "unanswered",
                    (
                        f"Not answered yet: {_fn_name(fn)} still raises NotImplementedError. Replace the lines "
                        "`# YOUR CODE HERE` and `raise NotImplementedError()` with your code, run that cell, "
                        "then run this check again."
                    ),
                )
            except _ForbiddenCall as exc:
                res = _failed(
                    "forbidden",
                    (
                        f"{exc.who} calls w2v.{exc.called}, the function this exercise asks you to write "
                        f"yourself (it is not to call {', '.join('w2v.' + n for n in exc.names)}): the check "
                        "cannot count a copy of the reference as your answer. Write it from the formula."
                    ),
                )
            return Report({"answer": res}) if report else res

        return wrapper

    return deco


_TWINS = {
    "sigmoid_grad": ("_sigmoid_grad",),
    "naive_softmax_loss_and_gradient": ("_naive_softmax",),
    "neg_sampling_loss_and_gradient": ("_neg_sampling",),
    "softmax": ("_softmax",),
    "sigmoid": ("_sigmoid",),
}


def _resolve(name: str):
    import w2v_helpers

    short = name.split(".")[-1]
    obj = getattr(w2v_helpers, short, None) or getattr(_core, short, None)
    if not callable(obj) or not hasattr(obj, "__code__"):
        raise ValueError(f"forbid: {name!r} is not a function of w2v_helpers")
    return short, obj


def forbid(fn: Callable, *names: str) -> Callable:
    r"""Wrap a candidate so that a check of it fails if it calls one of the named w2v_helpers functions.

    Where an exercise says "without calling ``w2v.skipgram``", returning the reference under another
    name must not pass: ``check_skipgram(forbid(my_window_loss, "skipgram", "context_window"))``
    fails with a diagnosis naming the call. Only calls made by the candidate's own code count (the
    library's internal calls do not), also through an alias such as ``from w2v_helpers import
    skipgram as sg``, and a function's private twin (e.g. ``core._naive_softmax``) counts as it.

    Args:
        fn: the candidate function.
        names: names of public w2v_helpers functions, e.g. ``"sigmoid_grad"``.

    Returns:
        a function like ``fn`` (same name), watching its calls while it runs.
    """
    as_callable(fn, "fn", "the candidate function")
    if not names:
        raise ValueError("forbid needs at least one function name, e.g. forbid(fn, 'skipgram')")
    codes = {}
    shorts = []
    for name in names:
        short, obj = _resolve(name)
        shorts.append(short)
        codes[obj.__code__] = short
        for twin in _TWINS.get(short, ()):
            codes[getattr(_core, twin).__code__] = short
    shorts = tuple(shorts)

    @functools.wraps(fn)
    def watched(*args, **kwargs):
        calls = []
        old = sys.getprofile()

        def profile(frame, event, arg):
            if event == "call" and frame.f_code in codes:
                caller = frame.f_back
                module = caller.f_globals.get("__name__", "") if caller is not None else ""
                if not str(module).startswith("w2v_helpers"):
                    calls.append(codes[frame.f_code])
            if old is not None:
                old(frame, event, arg)

        sys.setprofile(profile)
        try:
            out = fn(*args, **kwargs)
        finally:
            sys.setprofile(old)
        if calls:
            raise _ForbiddenCall(_fn_name(fn), calls[0], shorts)
        return out

    return watched


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


def _check_elementwise(grad_fn, f, true_grad, x, name: str, stable_hint: str) -> GradcheckResult:
    """gradcheck of a candidate elementwise derivative on sum_i f(x_i), then a look at extreme x."""
    x = np.linspace(-6.0, 6.0, 13) if x is None else as_float_array(x, "x", ndim=1)
    result = gradcheck(lambda z: (float(np.sum(f(z))), grad_fn(z)), x)
    extreme = np.array([-1000.0, -50.0, 50.0, 1000.0])
    with np.errstate(all="ignore"):
        try:
            got = np.asarray(grad_fn(extreme.copy()), dtype=np.float64)
        except (FloatingPointError, OverflowError):
            got = np.full(extreme.shape, np.nan)
    if got.shape != extreme.shape:
        return result
    want = true_grad(extreme)
    if not np.all(np.isfinite(got)):
        bad = ~np.isfinite(got)
        result.diagnosis += (
            f" But it is not numerically stable: at x = {_fmt_points(extreme[bad])} it returns "
            f"{_fmt_points(got[bad])} where {name} is {_fmt_points(want[bad])} in float64 ({stable_hint}). "
            "The formula is right, so the check passes; the instability is named here because "
            "a real model meets such x."
        )
    elif result.passed and not np.allclose(got, want, rtol=1e-6, atol=1e-12):
        bad = ~np.isclose(got, want, rtol=1e-6, atol=1e-12)
        result.passed = False
        result.kind = "wrong"
        result.diagnosis = (
            f"Right at -6..6, but wrong at large |x|: at x = {_fmt_points(extreme[bad])} it returns "
            f"{_fmt_points(got[bad])} where {name} is {_fmt_points(want[bad])}."
        )
    return result


@_guarded(report=False)
def check_sigmoid_grad(grad_fn: Callable, x=None) -> GradcheckResult:
    r"""(a) Check a candidate :math:`\sigma'(x)` elementwise at points ``x`` (default -6..6).

    Runs gradcheck on :math:`f(x) = \sum_i \sigma(x_i)`, whose gradient is the vector of
    :math:`\sigma'(x_i)`, then evaluates the candidate at x = ±50, ±1000. A formula that is right
    but overflows there (NaN or inf, e.g. :math:`\sigma(x)^2 e^{-x}` at x = -1000) *passes* --
    the mathematics is right -- and the diagnosis names the instability; a finite but wrong value
    there fails.
    """
    as_callable(grad_fn, "grad_fn", "grad_fn(x) -> the elementwise derivative")
    return _check_elementwise(
        grad_fn,
        sigmoid,
        _core._sigmoid_grad,
        x,
        "σ'(x)",
        "an exponential overflows; use σ(x)(1 − σ(x)) with a stable σ",
    )


@_guarded(report=False)
def check_log_sigmoid_grad(grad_fn: Callable, x=None) -> GradcheckResult:
    r"""(a) Check a candidate :math:`\frac{d}{dx}\log\sigma(x) = 1 - \sigma(x) = \sigma(-x)`, elementwise.

    gradcheck on :math:`\sum_i \log\sigma(x_i)` (computed stably), then the values at x = ±50, ±1000
    (an overflow passes with the instability named, as in :func:`check_sigmoid_grad`).
    """
    as_callable(grad_fn, "grad_fn", "grad_fn(x) -> the elementwise derivative of log σ")
    return _check_elementwise(
        grad_fn,
        _log_sigmoid,
        lambda z: _sigmoid(-z),
        x,
        "(log σ)'(x)",
        "an exponential overflows; use σ(−x) with a stable σ",
    )


@_guarded(report=False)
def check_tanh_grad(grad_fn: Callable, x=None) -> GradcheckResult:
    r"""Check a candidate :math:`\tanh'(x) = 4\sigma'(2x) = 1 - \tanh^2 x`, elementwise.

    gradcheck on :math:`\sum_i \tanh(x_i)`, then the values at x = ±50, ±1000.
    """
    as_callable(grad_fn, "grad_fn", "grad_fn(x) -> the elementwise derivative of tanh")
    return _check_elementwise(
        grad_fn,
        np.tanh,
        lambda z: 4.0 * _core._sigmoid_grad(2.0 * z),
        x,
        "tanh'(x)",
        "an exponential overflows; use a stable σ",
    )


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


@_guarded(report=False)
def check_center_gradient(
    grad_fn: Callable, center_vec=None, outside_idx=None, outside_vectors=None, center_vectors=None
) -> GradcheckResult:
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


@_guarded(report=False)
def check_outside_gradient(
    grad_fn: Callable, center_vec=None, outside_idx=None, outside_vectors=None
) -> GradcheckResult:
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
    return gradcheck(
        lambda X: (naive_softmax_loss_and_gradient(v, o, X)[0], grad_fn(v, o, X)),
        U,
        terms=terms,
        known_vectors={"v_c": v},
    )


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


@_guarded(report=False)
def check_neg_sampling_center_gradient(
    grad_fn: Callable, center_vec=None, outside_idx=None, outside_vectors=None, negative_idxs=None
) -> GradcheckResult:
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
    return gradcheck(
        lambda x: (neg_sampling_loss_and_gradient(x, o, U, negs)[0], grad_fn(x, o, U, negs)), v, terms=terms
    )


@_guarded(report=False)
def check_neg_sampling_outside_gradient(
    grad_fn: Callable, center_vec=None, outside_idx=None, outside_vectors=None, negative_idxs=None
) -> GradcheckResult:
    r"""(d) Check a candidate :math:`\partial J_{\text{neg}}/\partial U`, (V, d), row w is :math:`\partial J/\partial u_w`.

    The default negatives repeat one word, so a gradient that counts a repeated
    negative once is caught (its row is off by a factor 1/2).
    """
    v, o, U, negs = _neg_scene(grad_fn, center_vec, outside_idx, outside_vectors, negative_idxs)
    return gradcheck(
        lambda X: (neg_sampling_loss_and_gradient(v, o, X, negs)[0], grad_fn(v, o, X, negs)),
        U,
        known_vectors={"v_c": v},
    )


def _neg_center_terms(v, o, U, negs) -> dict:
    s_o = U[o] @ v
    terms = {
        "σ(−u_oᵀv_c) u_o": _sigmoid(-s_o) * U[o],
        "Σ_k σ(u_kᵀv_c) u_k": _sigmoid(U[negs] @ v) @ U[negs],
        "Σ_k σ(−u_kᵀv_c) u_k": _sigmoid(-(U[negs] @ v)) @ U[negs],
    }
    n_o = int(np.count_nonzero(negs == o))
    if n_o and U.shape[1] > len(terms) + 1:  # fewer terms than dimensions, or any vector would fit
        terms["σ(u_oᵀv_c) u_o for each draw of o among the negatives"] = n_o * _sigmoid(s_o) * U[o]
    return terms


def _outside_terms(v, o, U) -> dict:
    y_hat = _softmax(U @ v)
    y = np.zeros_like(y_hat)
    y[o] = 1.0
    return {
        "ŷ_w v_c (row w)": np.outer(y_hat, v),
        "y_w v_c (row w)": np.outer(y, v),
        "ŷ_o v_c (in every row)": np.tile(y_hat[o] * v, (U.shape[0], 1)),
    }


def _triple(out):
    """A whole function's output, checked to be a triple (loss, gradient, gradient)."""
    if not isinstance(out, (tuple, list)) or len(out) != 3:
        got = f"a {type(out).__name__} of length {len(out)}" if isinstance(out, (tuple, list)) else type(out).__name__
        raise _BadAnswer(
            "return",
            (
                f"It must return three things, (loss, grad_center, grad_outside), e.g. `return loss, grad_a, grad_b`; "
                f"it returned {got}."
            ),
        )
    return out


def _grad_of(fn, i):
    def pick(*args):
        return _triple(fn(*args))[i]

    return pick


def _full_report(fn, v, o, U, Vc, negs, reference) -> Report:
    """Loss, ∂J/∂v_c and ∂J/∂U of a whole candidate, each against the true function."""
    if negs is None:
        call = lambda x, X: fn(x, o, X)  # noqa: E731
        true_loss = lambda x, X: reference(x, o, X)[0]  # noqa: E731
        center_terms, outside_terms = _softmax_terms(v, o, U, Vc), _outside_terms(v, o, U)
    else:
        call = lambda x, X: fn(x, o, X, negs.copy())  # noqa: E731
        true_loss = lambda x, X: reference(x, o, X, negs)[0]  # noqa: E731
        center_terms, outside_terms = _neg_center_terms(v, o, U, negs), None
    return Report(
        {
            "J": _loss_check_softmax_like(fn, v, o, U, reference, negs),
            "∂J/∂v_c": gradcheck(lambda x: (true_loss(x, U), _grad_of(call, 1)(x, U)), v, terms=center_terms),
            "∂J/∂U": gradcheck(
                lambda X: (true_loss(v, X), _grad_of(call, 2)(v, X)), U, terms=outside_terms, known_vectors={"v_c": v}
            ),
        }
    )


@_guarded(report=True)
def check_loss_and_gradient(
    fn: Callable, center_vec=None, outside_idx=None, outside_vectors=None, reference: Callable | None = None, **kwargs
) -> Report:
    r"""Check a whole ``fn(center_vec, outside_idx, outside_vectors, **kwargs) -> (loss, grad_center_vec, grad_outside_vectors)``.

    Everything is compared with the *true* function, never with ``fn``'s own loss: the loss value
    (``"J"``, at the scene and 8 perturbed scenes, slips named: a zero, a sign, a factor, a
    constant, a missing or extra term such as the −u_oᵀv_c of the naive softmax), and both
    gradients against central differences of the true loss (``"∂J/∂v_c"``, ``"∂J/∂U"``).

    Args:
        fn: the candidate.
        center_vec, outside_idx, outside_vectors: the scene; defaults from :func:`default_scene`.
        reference: the true function; default :func:`~w2v_helpers.naive_softmax_loss_and_gradient`,
            or :func:`~w2v_helpers.neg_sampling_loss_and_gradient` when ``negative_idxs`` is given.
        **kwargs: ``negative_idxs`` (K,) for negative sampling.

    Returns:
        :class:`Report` with parts ``"J"``, ``"∂J/∂v_c"``, ``"∂J/∂U"``; its diagnosis starts with
        "Wrong: ..." naming the failed parts.
    """
    as_callable(
        fn, "fn", "fn(center_vec, outside_idx, outside_vectors) -> (loss, grad_center_vec, grad_outside_vectors)"
    )
    unknown = set(kwargs) - {"negative_idxs"}
    if unknown:
        raise ValueError(
            f"check_loss_and_gradient takes negative_idxs as its only extra argument, got {', '.join(sorted(unknown))}"
        )
    v, o, U, Vc = _scene(center_vec, outside_idx, outside_vectors)
    negs = None
    if "negative_idxs" in kwargs:
        negs = as_index_array(kwargs["negative_idxs"], "negative_idxs", U.shape[0])
        reference = neg_sampling_loss_and_gradient if reference is None else reference
    reference = naive_softmax_loss_and_gradient if reference is None else reference
    as_callable(reference, "reference", "the true function, e.g. naive_softmax_loss_and_gradient")
    return _full_report(fn, v, o, U, Vc, negs, reference)


def _o_among_negatives(o: int, V: int) -> np.ndarray:
    other = 4 if V > 4 and o != 4 else (o + 1) % V
    return np.array([other, o, other], dtype=np.int64)


@_guarded(report=True)
def check_neg_sampling_gradients(
    fn: Callable, center_vec=None, outside_idx=None, outside_vectors=None, negative_idxs=None
) -> Report:
    r"""(d) Check a whole negative-sampling ``fn(center_vec, outside_idx, outside_vectors, negative_idxs)``.

    The loss must be :math:`J_{\text{neg-sample}}` (compared with
    :func:`~w2v_helpers.neg_sampling_loss_and_gradient` at the scene and at 8 other scenes
    whose negatives contain o and repeat a word); both gradients are checked against central
    differences of the true loss. With the default negatives (which repeat a word) the gradients
    are checked a second time with o among the negatives (e.g. 4, o, 4), so a gradient that
    drops or overwrites o's negative term is caught.
    """
    v, o, U, negs = _neg_scene(fn, center_vec, outside_idx, outside_vectors, negative_idxs)
    Vc = _scene(center_vec, outside_idx, outside_vectors)[3]
    report = _full_report(fn, v, o, U, Vc, negs, neg_sampling_loss_and_gradient)
    if negative_idxs is None and U.shape[0] > 1:
        negs2 = _o_among_negatives(o, U.shape[0])
        second = _full_report(fn, v, o, U, Vc, negs2, neg_sampling_loss_and_gradient)
        for part in ("∂J/∂v_c", "∂J/∂U"):
            r = second[part]
            if report[part].passed and not r.passed:
                r.diagnosis = (
                    f"With o among the negatives (negative_idxs = {_fmt_points(negs2)}, o = {o}): " + r.diagnosis
                )
                report.results[part] = r
    return report


@_guarded(report=True)
def check_skipgram(
    fn: Callable,
    sentence_idxs=None,
    t=None,
    m=None,
    center_vectors=None,
    outside_vectors=None,
    loss_and_gradient=naive_softmax_loss_and_gradient,
) -> Report:
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
    as_callable(
        fn,
        "fn",
        "fn(center_idx, sentence_idxs, t, m, center_vectors, outside_vectors, "
        "loss_and_gradient) -> (loss, grad_center_vectors, grad_outside_vectors)",
    )
    as_callable(loss_and_gradient, "loss_and_gradient", "like naive_softmax_loss_and_gradient")
    rng = np.random.default_rng(2)
    if sentence_idxs is None:
        sent = np.arange(8)
    else:
        if isinstance(sentence_idxs, (str, bytes)):
            raise ValueError(
                f"sentence_idxs must be a 1-D sequence of word indices, got {type(sentence_idxs).__name__}"
            )
        sent = np.asarray(sentence_idxs)
    t = 3 if t is None else t
    m = 2 if m is None else m
    outs = context_window(sent, t, m)  # validates sentence_idxs, t and m
    V = int(sent.max()) + 1
    Vc = rng.normal(size=(V, 5)) if center_vectors is None else as_float_array(center_vectors, "center_vectors", ndim=2)
    U = (
        rng.normal(size=Vc.shape)
        if outside_vectors is None
        else as_float_array(outside_vectors, "outside_vectors", ndim=2)
    )
    if Vc.shape[0] < V:
        raise ValueError(
            f"center_vectors must have a row for every word of sentence_idxs (at least {V}), got shape {Vc.shape}"
        )
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

    report = Report(
        {
            "J": _window_loss_check(fn, c, sent, t, m, Vc, U, loss_and_gradient, by_word, true_loss),
            "∂J/∂(center vectors)": gradcheck(
                lambda X: (true_loss(X, U), _grad_of(fn, 1)(c, sent, t, m, X, U, loss_and_gradient)),
                Vc,
                terms=center_terms,
            ),
            "∂J/∂U": gradcheck(
                lambda X: (true_loss(Vc, X), _grad_of(fn, 2)(c, sent, t, m, Vc, X, loss_and_gradient)),
                U,
                terms=outside_terms,
            ),
        }
    )
    for r in report.results.values():
        if r.kind != "terms":
            continue
        named = r.diagnosis.split("Analytic gradient =")[0].split("Your loss =")[0]  # the named differences
        for j in (m, -m):
            if re.search(r"missing the term [^;]*?\(j = [^)]*?" + re.escape(f"{j:+d}") + r"[,)]", named):
                r.diagnosis += (
                    f" The window position j = {j:+d} is left out of the sum: it must run over "
                    f"−m ≤ j ≤ m, j ≠ 0 (here {_fmt_points(window_offsets(m))})."
                )
                break
    return report


# --------------------------------------------------------------------------- the loss value itself


def _combo(names, coefs) -> str:
    parts = []
    for k, c in zip(names, coefs):
        if abs(c) < 1e-6:
            continue
        parts.append(_fmt_num(c).replace("-", "−") if k == "1" else _fmt_coef(c, k))
    return " + ".join(parts).replace("+ −", "− ") if parts else "0"


def _loss_terms_diagnosis(a, n, terms, hints) -> str | None:
    names = list(terms) + ["1"]
    T = np.column_stack([np.asarray(terms[k], dtype=np.float64) for k in terms] + [np.ones_like(n)])
    coef_n, _, rank, _ = np.linalg.lstsq(T, n, rcond=None)
    if rank < T.shape[1]:
        return None
    coef_a = np.linalg.lstsq(T, a, rcond=None)[0]
    scale = max(1.0, float(np.max(np.abs(n))), float(np.max(np.abs(a))))
    if np.max(np.abs(T @ coef_n - n)) > 1e-7 * scale or np.max(np.abs(T @ coef_a - a)) > 1e-7 * scale:
        return None  # the named pieces do not make up the candidate (or the true) loss
    coef_a = np.where(np.abs(coef_a) < 1e-6, 0.0, coef_a)
    coef_n = np.where(np.abs(coef_n) < 1e-6, 0.0, coef_n)
    diffs = [
        (k, float(ca), float(cn))
        for k, ca, cn in zip(names, coef_a, coef_n)
        if _fmt_num(float(ca)) != _fmt_num(float(cn))
    ]
    if not diffs:
        return None

    def term(c, k):
        return _fmt_num(c).replace("-", "−") if k == "1" else _fmt_coef(c, k)

    missing = [d for d in diffs if d[1] == 0.0]
    extra = [d for d in diffs if d[2] == 0.0]
    if len(diffs) == 2 and len(missing) == 1 and len(extra) == 1:
        parts = [f"it uses {term(extra[0][1], extra[0][0])} where {term(missing[0][2], missing[0][0])} belongs"]
    else:
        parts = []
        for k, ca, cn in diffs:
            if k == "1":
                parts.append(f"it adds a constant {_fmt_num(ca - cn).replace('-', '−')}")
            elif ca == 0.0:
                parts.append(f"it is missing the term {term(cn, k)}")
            elif cn == 0.0:
                parts.append(f"it has an extra term {term(ca, k)}")
            else:
                parts.append(f"it has {term(ca, k)} where the true loss has {term(cn, k)}")
    notes = [hints[k] for k, _, _ in diffs if k in hints]
    return (
        "In terms of the named pieces, " + "; ".join(parts) + ". "
        f"Your loss = {_combo(names, coef_a)}; true loss = {_combo(names, coef_n)}."
        + ("".join(" " + h for h in dict.fromkeys(notes)))
    )


def check_loss(
    got,
    want,
    terms: Mapping | None = None,
    *,
    name: str = "J",
    hints: Mapping | None = None,
    rtol: float = 1e-6,
    atol: float = 1e-9,
) -> GradcheckResult:
    r"""Compare a candidate's loss values with the true loss at P test points, and name the slip.

    A loss is a number, so one point cannot tell a missing term from a constant; the
    checkers evaluate it at several scenes (P >= 8) and fit it by the named pieces.

    Args:
        got: (P,) the candidate's loss at P scenes; the first is the scene reported.
        want: (P,) the true loss at the same scenes.
        terms: optional ``{name: (P,)}``, the pieces losses here are made of, at each scene
            (e.g. ``"log Σ_w exp(u_wᵀv_c)"`` and ``"u_oᵀv_c"``); with them a wrong loss is
            told which term is missing, extra or has the wrong coefficient.
        name: the true loss's name in the diagnosis, e.g. ``"J_neg-sample"``.
        hints: optional ``{term name: sentence}`` added when that term is the one that differs.
        rtol, atol: values agree when ``|a - n| <= rtol * max(|a|, |n|) + atol``.

    Returns:
        :class:`~w2v_helpers.gradcheck.GradcheckResult` with ``numerical`` the true losses,
        ``analytic`` the candidate's, ``value`` the first candidate loss and ``kind`` one of
        ``"ok"``, ``"shape"``, ``"nonfinite"``, ``"zero"``, ``"sign"``, ``"factor"``,
        ``"offset"``, ``"terms"``, ``"wrong"``.
    """
    n = np.asarray(want, dtype=np.float64).reshape(-1)
    vals = []
    for g in got:
        try:
            arr = np.asarray(g, dtype=np.float64)
        except (TypeError, ValueError):
            arr = None
        if arr is None or arr.size != 1:
            shape = "a " + type(g).__name__ if arr is None else f"shape {arr.shape}"
            return GradcheckResult(
                False,
                np.inf,
                np.inf,
                n,
                np.asarray([]),
                np.nan,
                (
                    f"The loss must be one number (a float), but it is {shape}: "
                    "add the terms up (e.g. float(np.sum(...)))."
                ),
                "shape",
                rtol=rtol,
            )
        vals.append(float(arr.reshape(())))
    a = np.asarray(vals)

    def result(passed, kind, diagnosis, factor=None):
        err = np.abs(a - n)
        rel = err / np.maximum(np.maximum(np.abs(a), np.abs(n)), atol / rtol)
        mx = float(np.max(rel)) if np.all(np.isfinite(rel)) else np.inf
        return GradcheckResult(
            bool(passed),
            mx,
            float(np.max(err)) if np.all(np.isfinite(err)) else np.inf,
            n,
            a,
            float(a[0]),
            diagnosis,
            kind,
            tuple(int(i) for i in np.flatnonzero(~close(a, n))),
            factor,
            rtol,
        )

    def close(x, y):
        with np.errstate(invalid="ignore"):
            return np.abs(x - y) <= rtol * np.maximum(np.abs(x), np.abs(y)) + atol

    P = n.size
    if not np.all(np.isfinite(a)):
        k = int(np.count_nonzero(~np.isfinite(a)))
        return result(
            False,
            "nonfinite",
            (
                f"The loss is NaN or inf at {k} of {P} test points (true {name} there: "
                f"{n[~np.isfinite(a)][0]:.6g}). Look for an overflow -- exp of a large score: use "
                "log-sum-exp or np.logaddexp -- or a log of 0."
            ),
        )
    if np.all(close(a, n)):
        err = float(np.max(np.abs(a - n) / np.maximum(np.maximum(np.abs(a), np.abs(n)), atol / rtol)))
        bound = f"< {rtol / 10:.0e}" if err < rtol / 10 else f"< {rtol:.0e}"  # a bound: no last-bit noise
        return result(
            True,
            "ok",
            f"The loss matches the true {name} at all {P} test points: max relative "
            f"error {bound} (tolerance {rtol:.0e}).",
            1.0,
        )
    if np.all(np.abs(a) <= atol):
        return result(
            False,
            "zero",
            (
                f"The loss is 0 at every test point, but the true {name} is not ({n[0]:.6g} at the first): "
                "the loss is never computed, or it is left at 0. Right gradients do not make the loss right."
            ),
        )
    c = float(a @ n) / float(n @ n) if float(n @ n) > 0 else None
    if c is not None and np.all(close(a, c * n)):
        if abs(c + 1) < 1e-6:
            return result(
                False,
                "sign",
                (
                    f"Sign error in the loss: it is −{name} at every test point ({a[0]:.6g} instead of "
                    f"{n[0]:.6g}). A loss to be minimized is −log of a probability, not +log."
                ),
                c,
            )
        return result(
            False,
            "factor",
            (
                f"The loss is {_fmt_num(c)} × the true {name} at every test point ({a[0]:.6g} instead of "
                f"{n[0]:.6g}): a constant factor such as 2 or 1/2, or every term counted the wrong number of "
                "times."
            ),
            c,
        )
    d = a - n
    if np.allclose(d, d[0], rtol=1e-6, atol=10 * atol):
        return result(
            False,
            "offset",
            (
                f"The loss is the true {name} plus a constant {d[0]:.6g} at every test point ({a[0]:.6g} "
                f"instead of {n[0]:.6g}): the gradients cannot see a constant, but the value is wrong. Look "
                "for a term that does not depend on the vectors (a stray + 1, a wrong normalizer)."
            ),
        )
    if terms:
        msg = _loss_terms_diagnosis(a, n, terms, hints or {})
        if msg:
            return result(False, "terms", msg)
    bad = int(np.count_nonzero(~close(a, n)))
    return result(
        False,
        "wrong",
        (
            f"The loss is {a[0]:.6g} but the true {name} is {n[0]:.6g} (at the first test point; {bad} of {P} "
            "points disagree), and not a zero, sign, factor, constant or named-term slip. Recheck the formula "
            "of the loss term by term."
        ),
    )


def _perturbed(rng, *arrays, scale=0.6):
    return [a + scale * rng.normal(size=a.shape) for a in arrays]


def _softmax_loss_terms(v, o, U) -> dict:
    scores = U @ v
    log_z = float(np.logaddexp.reduce(scores))
    return {"log Σ_w exp(u_wᵀv_c)": log_z, "u_oᵀv_c": float(scores[o]), "ŷ_o": float(np.exp(scores[o] - log_z))}


_NEG_HINTS = {
    "Σ_{distinct k} log σ(−u_kᵀv_c)": "A word drawn twice among the negatives is two draws: its term counts twice.",
    "Σ_{k = o} log σ(−u_oᵀv_c)": (
        "A draw of the outside word o among the negatives is a negative like any "
        "other: it adds −log σ(−u_oᵀv_c) as well as the −log σ(u_oᵀv_c) of the "
        "observed pair."
    ),
    "Σ_k log σ(u_kᵀv_c)": "The negatives' scores enter with a minus sign: σ(−u_kᵀv_c).",
}


def _neg_loss_terms(v, o, U, negs) -> dict:
    negs = np.asarray(negs, dtype=np.int64)
    s_k = U[negs] @ v
    distinct = np.unique(negs)
    return {
        "log σ(u_oᵀv_c)": float(_log_sigmoid(U[o] @ v)),
        "Σ_k log σ(−u_kᵀv_c)": float(np.sum(_log_sigmoid(-s_k))),
        "Σ_{distinct k} log σ(−u_kᵀv_c)": float(np.sum(_log_sigmoid(-(U[distinct] @ v)))),
        "Σ_k log σ(u_kᵀv_c)": float(np.sum(_log_sigmoid(s_k))),
        "Σ_{k = o} log σ(−u_oᵀv_c)": float(np.count_nonzero(negs == o) * _log_sigmoid(-(U[o] @ v))),
    }


def _other_negatives(rng, o, V, negs, i):
    """Negatives for test scene i >= 1: some contain o, some repeat a word, all have K >= 3."""
    k = max(len(negs), 3)
    ns = rng.integers(0, V, size=k)
    if i % 2 == 1:
        ns[0] = o
    if i % 3 != 0:
        ns[-1] = ns[-2]
    return ns


def _loss_of(out):
    return _triple(out)[0]


def _loss_check_softmax_like(fn, v, o, U, reference, negs, points=9, seed=3) -> GradcheckResult:
    """The candidate's loss against the true one at the scene and ``points - 1`` perturbed scenes."""
    rng = np.random.default_rng(seed)
    V = U.shape[0]
    got, want, terms = [], [], {}
    for i in range(points):
        if i == 0:
            vi, oi, Ui, ni = v, o, U, negs
        else:
            vi, Ui = _perturbed(rng, v, U)
            oi = (o + i) % V
            ni = None if negs is None else _other_negatives(rng, oi, V, negs, i)
        if negs is None:
            got.append(_loss_of(fn(vi.copy(), oi, Ui.copy())))
            want.append(reference(vi, oi, Ui)[0])
            t = _softmax_loss_terms(vi, oi, Ui)
        else:
            got.append(_loss_of(fn(vi.copy(), oi, Ui.copy(), np.array(ni))))
            want.append(reference(vi, oi, Ui, ni)[0])
            t = _neg_loss_terms(vi, oi, Ui, ni)
        for k, val in t.items():
            terms.setdefault(k, []).append(val)
    if negs is None:
        return check_loss(got, want, terms, name="J = −log ŷ_o")
    return check_loss(got, want, terms, name="J_neg-sample", hints=_NEG_HINTS)


def verdict(result, what: str | None = None) -> None:
    r"""A self-check's outcome for a notebook or an autograder: print it when it passed, raise when not.

    Args:
        result: a :class:`Report` or :class:`~w2v_helpers.gradcheck.GradcheckResult` from a checker.
        what: optional label, e.g. ``"exercise 1"``.

    Raises:
        CheckFailed: an ``AssertionError`` whose message is the diagnosis ("not answered yet" for an
            unfilled stub); Jupyter shows the message without a traceback.
    """
    if not hasattr(result, "passed") or not hasattr(result, "diagnosis"):
        raise ValueError(f"verdict needs the result of a checker, got {type(result).__name__}")
    label = f"{what}: " if what else ""
    if result.passed:
        print(f"{label}passed")
        print(result.diagnosis)
        return
    head = "not answered yet" if getattr(result, "kind", "") == "unanswered" else "not passed"
    raise CheckFailed(f"{label}{head}\n{result.diagnosis}")


def _window_loss_check(
    fn, c, sent, t, m, Vc, U, loss_and_gradient, by_word, true_loss, points=12, seed=4
) -> GradcheckResult:
    """The window function's loss against the true window loss, with one named term per window
    word, plus the center word itself (j = 0) and the words just outside the window (j = ±(m+1))."""
    extra = {}
    for j in (0, -(m + 1), m + 1):
        if 0 <= t + j < sent.size:
            extra.setdefault(int(sent[t + j]), []).append(j)
    groups = {w: list(js) for w, js in by_word.items()}
    for w, js in extra.items():
        groups.setdefault(w, []).extend(js)
    rng = np.random.default_rng(seed)
    got, want, terms = [], [], {}
    for i in range(max(points, len(groups) + 4)):  # more test points than named terms
        Vi, Ui = (Vc, U) if i == 0 else _perturbed(rng, Vc, U)
        got.append(_loss_of(fn(c, sent.copy(), t, m, Vi.copy(), Ui.copy(), loss_and_gradient)))
        want.append(true_loss(Vi, Ui))
        for w, js in groups.items():
            label = "J(v_c, w_{t" + f"{js[0]:+d}" + "}) (j = " + ", ".join(f"{j:+d}" for j in js) + ")"
            terms.setdefault(label, []).append(float(loss_and_gradient(Vi[c], w, Ui)[0]))
    hints = {k: "j = 0 is the center word itself, not one of its outside words." for k in terms if "+0" in k}
    hints.update(
        {
            k: f"The window is −m ≤ j ≤ m (here m = {m}); a word further away is not in it."
            for k in terms
            if f"{m + 1:+d}" in k or f"{-(m + 1):+d}" in k
        }
    )
    return check_loss(got, want, terms, name="J_skip-gram", hints=hints)


@_guarded(report=False)
def check_soft_target_gradient(grad_fn: Callable, center_vec=None, y=None, outside_vectors=None) -> GradcheckResult:
    r"""(b) Check a candidate :math:`\partial J/\partial v_c` for a soft target: :math:`J = -\sum_w y_w \log\hat y_w`.

    The true gradient is :math:`U(\hat y - y) = \sum_w \hat y_w u_w - \sum_w y_w u_w`
    (it uses :math:`\sum_w y_w = 1`).

    Args:
        grad_fn: ``grad_fn(center_vec, y, outside_vectors) -> (d,)``.
        center_vec: (d,) :math:`v_c`; outside_vectors: (V, d); defaults from :func:`default_scene`.
        y: (V,) a probability vector (default: 0.1, 0.6, 0.2, 0.1, 0, 0, ... spread over the words).

    Named terms: :math:`\sum_w y_w u_w`, :math:`\sum_w \hat y_w u_w`, :math:`u_o` for the most likely
    word of y (the one-hot answer of part b).
    """
    as_callable(grad_fn, "grad_fn", "grad_fn(center_vec, y, outside_vectors) -> (d,)")
    v, _, U, _ = _scene(center_vec, None, outside_vectors)
    V = U.shape[0]
    if y is None:
        base = np.array([0.1, 0.6, 0.2, 0.1])
        y = np.zeros(V)
        y[: min(V, 4)] = base[: min(V, 4)]
        y /= y.sum()
    y = as_float_array(y, "y", ndim=1)
    if y.shape != (V,):
        raise ValueError(f"y must have one entry per word, shape ({V},), got {y.shape}")
    if np.any(y < 0) or not np.isclose(y.sum(), 1.0):
        raise ValueError(f"y must be a probability vector (non-negative, sum 1), got sum {y.sum():.6g}")
    y_hat = _softmax(U @ v)
    o = int(np.argmax(y))
    terms = {"Σ_w y_w u_w": y @ U, "Σ_w ŷ_w u_w": y_hat @ U, f"u_o (o = {o}, the largest y_w)": U[o]}

    def f(x):
        scores = U @ x
        return float(np.logaddexp.reduce(scores) * y.sum() - y @ scores), grad_fn(x, y.copy(), U)

    if np.count_nonzero(y) == 1:
        terms.pop(f"u_o (o = {o}, the largest y_w)")
    return gradcheck(f, v, terms=terms)


def _sentence_scene(sentence_idxs, m, center_vectors, outside_vectors):
    sent = np.array([0, 1, 2, 3, 0, 4, 2, 5]) if sentence_idxs is None else np.asarray(sentence_idxs)
    context_window(sent, 0, m)  # validates sentence_idxs and m
    V = int(sent.max()) + 1
    rng = np.random.default_rng(5)
    Vc = (
        rng.normal(size=(max(V, 6), 5))
        if center_vectors is None
        else as_float_array(center_vectors, "center_vectors", ndim=2)
    )
    U = (
        rng.normal(size=Vc.shape)
        if outside_vectors is None
        else as_float_array(outside_vectors, "outside_vectors", ndim=2)
    )
    if Vc.shape[0] < V or U.shape != Vc.shape:
        raise ValueError(
            f"center_vectors and outside_vectors must both be (V, d) with a row for every word of "
            f"sentence_idxs (V >= {V}), got {Vc.shape} and {U.shape}"
        )
    return sent, Vc, U


@_guarded(report=True)
def check_sentence_loss(
    fn: Callable,
    sentence_idxs=None,
    m=2,
    center_vectors=None,
    outside_vectors=None,
    loss_and_gradient=naive_softmax_loss_and_gradient,
) -> Report:
    r"""(e) Check a candidate loss of a whole sentence: the sum over every position t of the window loss.

    .. math:: J = \sum_{t} \sum_{-m \le j \le m,\ j \ne 0} J(v_{w_t}, w_{t+j}, U) \quad\text{(windows clipped at the edges)}

    Args:
        fn: ``fn(sentence_idxs, m, center_vectors, outside_vectors) -> (loss, grad_center_vectors (V, d),
            grad_outside_vectors (V, d))``.
        sentence_idxs: (n,) ints (default: 8 positions, words 0 and 2 twice); m: the window size.

    The loss (at 12 scenes or more) and both gradients are compared with the true ones; the named terms
    are the windows of each position t, so a position left out (or counted twice) is named.
    """
    as_callable(
        fn,
        "fn",
        "fn(sentence_idxs, m, center_vectors, outside_vectors) -> (loss, grad_center_vectors, grad_outside_vectors)",
    )
    sent, Vc, U = _sentence_scene(sentence_idxs, m, center_vectors, outside_vectors)

    def window(t, Vx, Ux):
        return skipgram(int(sent[t]), context_window(sent, t, m), Vx, Ux, loss_and_gradient)

    def true(Vx, Ux):
        return sum(window(t, Vx, Ux)[0] for t in range(sent.size))

    rng = np.random.default_rng(6)
    got, want, terms = [], [], {}
    for i in range(max(12, sent.size + 4)):  # more test points than named terms
        Vi, Ui = (Vc, U) if i == 0 else _perturbed(rng, Vc, U)
        got.append(_loss_of(fn(sent.copy(), m, Vi.copy(), Ui.copy())))
        want.append(true(Vi, Ui))
        for t in range(sent.size):
            terms.setdefault(f"J_window(t = {t})", []).append(window(t, Vi, Ui)[0])
    center_terms = {f"J_window(t = {t})": window(t, Vc, U)[1] for t in range(sent.size)}
    outside_terms = {f"J_window(t = {t})": window(t, Vc, U)[2] for t in range(sent.size)}
    return Report(
        {
            "J": check_loss(got, want, terms, name="J (sum over the sentence)"),
            "∂J/∂(center vectors)": gradcheck(
                lambda X: (true(X, U), _grad_of(lambda X_: fn(sent.copy(), m, X_, U), 1)(X)), Vc, terms=center_terms
            ),
            "∂J/∂U": gradcheck(
                lambda X: (true(Vc, X), _grad_of(lambda X_: fn(sent.copy(), m, Vc, X_), 2)(X)), U, terms=outside_terms
            ),
        }
    )
