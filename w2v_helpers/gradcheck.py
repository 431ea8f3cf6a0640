r"""A gradient checker that says *what kind* of mistake a wrong gradient has.

``gradcheck(f, x)`` compares the analytic gradient that ``f`` returns with a
central-difference estimate

.. math:: \frac{\partial f}{\partial x_i} \approx \frac{f(x + h_i e_i) - f(x - h_i e_i)}{2 h_i},
          \qquad h_i = h \cdot \max(1, |x_i|)

and, when they disagree, names the kind of mistake: a sign error, a constant
factor, a wrong or transposed shape, some rows or coordinates right and others
wrong (with what is wrong in them), an identically zero gradient, non-finite
values -- or, given named ``terms``, which term is missing, extra or swapped.
"""

from __future__ import annotations

import html
import numbers
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from ._validate import as_float_array

__all__ = ["gradcheck", "GradcheckResult"]

_EPS = np.finfo(np.float64).eps


@dataclass
class GradcheckResult:
    """What :func:`gradcheck` found.

    Attributes:
        passed: True when every entry agrees within tolerance (and the check is not vacuous).
        max_relative_error: max over entries of ``|a - n| / max(|a|, |n|, atol/rtol)``;
            ``inf`` when the shapes differ or values are not finite.
        max_abs_error: max over entries of ``|a - n|``.
        numerical: the central-difference gradient, shaped like ``x``.
        analytic: the gradient ``f`` returned (as a float array, its own shape).
        value: ``f(x)``.
        diagnosis: a plain-English sentence saying what agrees or what is wrong.
        kind: a short machine-readable label: ``"ok"``, ``"vacuous"``, ``"zero"``,
            ``"nonfinite"``, ``"shape"``, ``"transposed"``, ``"sign"``, ``"factor"``,
            ``"terms"``, ``"rows"``, ``"row-factors"``, ``"coordinates"``, ``"same-rows"`` or
            ``"wrong"``.
        wrong: indices of the wrong rows (2-D and up) or coordinates (1-D).
        factor: the constant factor analytic/numerical, when there is one.
    """

    passed: bool
    max_relative_error: float
    max_abs_error: float
    numerical: np.ndarray
    analytic: np.ndarray
    value: float
    diagnosis: str
    kind: str
    wrong: tuple = field(default_factory=tuple)
    factor: float | None = None
    rtol: float = 1e-5

    def error_text(self) -> str:
        """The max relative error as printed: a bound (rtol/10 or rtol) when it passed, so notebook
        outputs do not change with the last bits of floating point; else 3 digits."""
        return _error_text(self.max_relative_error, self.passed, self.rtol)

    def __repr__(self) -> str:
        status = "PASSED" if self.passed else "FAILED"
        return (
            f"gradcheck {status}: max relative error {self.error_text()} "
            f"(tolerance {self.rtol:.0e}), kind '{self.kind}'\n{self.diagnosis}"
        )

    def _repr_html_(self) -> str:
        colour = "#1a7f37" if self.passed else "#b42318"
        status = "passed" if self.passed else "failed"
        rows = [
            ("max relative error", f"{self.error_text()} (tolerance {self.rtol:.0e})"),
            ("kind", self.kind),
            ("diagnosis", self.diagnosis),
        ]
        body = "".join(
            f"<tr><th style='text-align:left;padding-right:1em'>{html.escape(k)}</th>"
            f"<td style='text-align:left'>{html.escape(v)}</td></tr>"
            for k, v in rows
        )
        return f"<div><strong style='color:{colour}'>gradcheck {status}</strong><table>{body}</table></div>"


def _error_text(err: float, below: bool, rtol: float = 1e-5) -> str:
    """A passing error is printed only as a bound, rtol/10 or rtol, so that printed results do not
    change with the last bits of floating point from one machine or BLAS to another."""
    if not np.isfinite(err):
        return "inf"
    if below:
        if err <= 0:
            return "0"
        return f"< {rtol / 10:.0e}" if err < rtol / 10 else f"< {rtol:.0e}"
    return f"{err:.3g}"


def _fmt_num(c: float) -> str:
    """A coefficient as a short fraction when it is one (2, 1/2, -1/2), else 3 significant digits."""
    frac = Fraction(c).limit_denominator(12)
    if abs(float(frac) - c) <= 1e-6 * max(1.0, abs(c)):
        return str(frac.numerator) if frac.denominator == 1 else f"{frac.numerator}/{frac.denominator}"
    return f"{c:.3g}"


def _fmt_coef(c: float, name: str) -> str:
    s = _fmt_num(c).replace("-", "−")
    if s == "1":
        return name
    if s == "−1":
        return f"−{name}"
    return f"{s}·{name}"


def _fmt_list(items, limit: int = 8) -> str:
    items = [str(i) for i in items]
    if len(items) > limit:
        return ", ".join(items[:limit]) + f", … ({len(items)} in all)"
    return ", ".join(items)


def _fmt_vec(v: np.ndarray) -> str:
    if v.size > 6:
        return "(" + ", ".join(f"{x:.3g}" for x in v[:6]) + ", …)"
    return "(" + ", ".join(f"{x:.3g}" for x in v) + ")"


def _call(f: Callable, x: np.ndarray):
    out = f(x.copy())
    if not isinstance(out, tuple) or len(out) != 2:
        raise ValueError(
            "f must return a pair (value, grad); got "
            + (f"a tuple of length {len(out)}" if isinstance(out, tuple) else type(out).__name__)
            + " -- wrap a triple-returning function, e.g. lambda v: loss_fn(v, o, U)[:2]"
        )
    value, grad = out
    if value is None or isinstance(value, (str, bytes, bool, np.bool_)):
        raise ValueError(f"f must return a real scalar value first, got {type(value).__name__} {value!r}")
    value_arr = np.asarray(value, dtype=np.float64)
    if value_arr.size != 1:
        raise ValueError(f"f must return a scalar value, got shape {value_arr.shape}")
    return float(value_arr.reshape(())), np.asarray(grad, dtype=np.float64)


def _numerical_gradient(f: Callable, x: np.ndarray, h: float) -> np.ndarray:
    grad = np.empty_like(x)
    flat_x = x.reshape(-1)
    flat_g = grad.reshape(-1)
    for i in range(flat_x.size):
        step = h * max(1.0, abs(flat_x[i]))
        xp = x.copy()
        xp.reshape(-1)[i] += step
        xm = x.copy()
        xm.reshape(-1)[i] -= step
        fp = _call(f, xp)[0]
        fm = _call(f, xm)[0]
        flat_g[i] = (fp - fm) / ((flat_x[i] + step) - (flat_x[i] - step))
    return grad


class _Ctx:
    """The numbers every diagnosis rule looks at."""

    def __init__(self, a, n, rtol, atol):
        self.a, self.n, self.rtol, self.atol = a, n, rtol, atol

    def close(self, a, n) -> np.ndarray:
        return np.abs(a - n) <= self.rtol * np.maximum(np.abs(a), np.abs(n)) + self.atol

    def is_zero(self, v) -> bool:
        return bool(np.all(np.abs(v) <= self.atol))

    def factor(self, a, n):
        """c with a ≈ c·n everywhere, else None."""
        nn = float(np.vdot(n, n))
        if nn == 0.0:
            return None
        c = float(np.vdot(a, n)) / nn
        return c if np.all(self.close(a, c * n)) else None


def _diagnose_shape(a: np.ndarray, n: np.ndarray, ctx: _Ctx) -> tuple[str, str]:
    want, got = n.shape, a.shape
    if a.ndim == 2 and a.T.shape == want and want != got:
        if np.all(ctx.close(a.T, n)):
            return "transposed", (
                f"The gradient is transposed: it has shape {got} but x has shape {want}; its "
                f"transpose matches the numerical gradient. Return the gradient in x's layout "
                f"(e.g. (V, d) for outside_vectors, not U's d×|V|)."
            )
        return "shape", (
            f"Wrong shape: the gradient has shape {got}, the transpose of x's {want}, and even "
            f"transposed it does not match the numerical gradient."
        )
    if a.size == n.size:
        if np.all(ctx.close(a.reshape(want), n)):
            return "shape", (
                f"Right numbers, wrong shape: the gradient has shape {got} but must have x's shape {want}."
            )
    if len(want) >= 2 and got == want[:1]:
        return "shape", (
            f"Wrong shape: the gradient has shape {got}, one number per row, but x has shape "
            f"{want}: each row's gradient must be a {want[1]}-vector. A scalar factor (such as "
            f"σ(u_kᵀv_c)) is probably missing its vector factor (such as v_c)."
        )
    return "shape", f"Wrong shape: the gradient has shape {got} but must have x's shape {want}."


def _name_vector(r: np.ndarray, known: Mapping[str, np.ndarray], ctx: _Ctx) -> str | None:
    for name, vec in known.items():
        vec = np.asarray(vec, dtype=np.float64)
        if vec.shape == r.shape:
            c = ctx.factor(r, vec)
            if c is not None and abs(c) > 0:
                return _fmt_coef(c, name)
    return None


def _diagnose_terms(a, n, terms: Mapping[str, Any], ctx: _Ctx) -> str | None:
    names = list(terms)
    T = np.stack([np.broadcast_to(np.asarray(terms[k], dtype=np.float64), n.shape).reshape(-1) for k in names], axis=1)
    coef_n, _, rank, _ = np.linalg.lstsq(T, n.reshape(-1), rcond=None)
    if rank < len(names):
        return None
    coef_a = np.linalg.lstsq(T, a.reshape(-1), rcond=None)[0]
    fit_n = (T @ coef_n).reshape(n.shape)
    fit_a = (T @ coef_a).reshape(n.shape)
    tol = _Ctx(a, n, max(ctx.rtol, 1e-6) * 10, ctx.atol * 10)
    if not np.all(tol.close(fit_n, n)):
        return None  # the named terms do not make up the true gradient
    if not np.all(tol.close(fit_a, a)):
        return None
    diffs = []
    for name, ca, cn in zip(names, coef_a, coef_n):
        ca = 0.0 if abs(ca) < 1e-6 else float(ca)
        cn = 0.0 if abs(cn) < 1e-6 else float(cn)
        if _fmt_num(ca) != _fmt_num(cn):
            diffs.append((name, ca, cn))
    if not diffs:
        return None
    missing = [d for d in diffs if d[1] == 0.0]
    extra = [d for d in diffs if d[2] == 0.0]
    if len(diffs) == 2 and len(missing) == 1 and len(extra) == 1 and _fmt_num(missing[0][2]) == _fmt_num(extra[0][1]):
        parts = [
            f"it uses {_fmt_coef(extra[0][1], extra[0][0])} where {_fmt_coef(missing[0][2], missing[0][0])} belongs"
        ]
    else:
        parts = []
        for name, ca, cn in diffs:
            if ca == 0.0:
                parts.append(f"it is missing the term {_fmt_coef(cn, name)}")
            elif cn == 0.0:
                parts.append(f"it has an extra term {_fmt_coef(ca, name)}")
            else:
                parts.append(f"it has {_fmt_coef(ca, name)} where the true gradient has {_fmt_coef(cn, name)}")

    def combo(coefs):
        used = [_fmt_coef(c, k) for k, c in zip(names, coefs) if abs(c) >= 1e-6]
        return " + ".join(used).replace("+ −", "− ") if used else "0"

    return (
        "In terms of the named pieces, " + "; ".join(parts) + ". "
        f"Analytic gradient = {combo(coef_a)}; true gradient = {combo(coef_n)}."
    )


def _diagnose_rows(a, n, bad_rows, ctx: _Ctx, known, kind_word="row") -> str:
    notes = []
    factors = {}
    zero_rows, spurious_rows, const_rows = [], [], []
    ratios = []
    for r in bad_rows:
        ar, nr = a[r].reshape(-1), n[r].reshape(-1)
        if ctx.is_zero(nr):
            spurious_rows.append(r)
            continue
        if ctx.is_zero(ar):
            zero_rows.append(r)
            continue
        c = ctx.factor(ar, nr)
        if c is not None:
            factors[r] = c
            continue
        if ar.size > 1 and np.allclose(ar, ar[0], rtol=1e-12, atol=0):
            const_rows.append(r)
        if np.all(np.abs(ar) > ctx.atol) and np.all(np.abs(nr) > ctx.atol):
            ratios.append(nr / ar)
    if factors:
        desc = _fmt_list(f"{r} ({_fmt_num(c)}×)" for r, c in factors.items())
        notes.append(f"{kind_word}s {desc} are the true {kind_word} times a factor")
        inv = [1.0 / c for c in factors.values()]
        if all(abs(x - round(x)) < 1e-6 and round(x) >= 2 for x in inv):
            notes.append(
                f"a factor 1/k means the {kind_word} got one contribution where it needs k of them: "
                "a word that occurs several times (e.g. drawn more than once among the negative "
                "samples, or repeated in the window) must add its term once per occurrence, not once"
            )
        elif all(abs(c + 1) < 1e-6 for c in factors.values()):
            notes.append(f"those {kind_word}s have the wrong sign")
    if zero_rows:
        notes.append(f"{kind_word}s {_fmt_list(zero_rows)} are zero but should not be (a term is missing)")
    if spurious_rows:
        notes.append(f"{kind_word}s {_fmt_list(spurious_rows)} should be zero but are not")
    if const_rows:
        notes.append(
            f"{kind_word}s {_fmt_list(const_rows)} hold the same number in every coordinate, while the "
            "true row is a number times a vector: the vector factor is missing"
        )
    if len(ratios) >= 2 and all(np.allclose(q, ratios[0], rtol=1e-6) for q in ratios):
        r0 = ratios[0]
        if not np.allclose(r0, r0[0], rtol=1e-6):
            named = _name_vector(r0, known, ctx)
            notes.append(
                "every wrong row misses the same elementwise factor " + (f"{named}" if named else _fmt_vec(r0))
            )
    return "; ".join(notes)


def _diagnose_mismatch(a, n, x_ndim, bad, ctx: _Ctx, terms, known) -> tuple[str, str, tuple, float | None]:
    c = ctx.factor(a, n)
    if c is not None:
        if abs(c + 1) < 1e-6:
            return (
                "sign",
                (
                    "Sign error: the analytic gradient is exactly −1 × the numerical one, so a "
                    "gradient-descent step would climb the loss. Check the sign of each term "
                    "(e.g. −u_o versus +u_o, σ(x) versus σ(−x))."
                ),
                (),
                c,
            )
        s = _fmt_num(c)
        extra = " and the wrong sign" if c < 0 else ""
        return (
            "factor",
            (
                f"Constant factor: the analytic gradient is {s} × the numerical one everywhere "
                f"(off by a factor of {_fmt_num(abs(c))}{extra}). Look for a missing or extra constant "
                "such as 2 or 1/2, or a term counted the wrong number of times."
            ),
            (),
            c,
        )
    if terms:
        msg = _diagnose_terms(a, n, terms, ctx)
        if msg:
            kind2, msg2, wrong2, _ = _diagnose_mismatch(a, n, x_ndim, bad, ctx, None, known)
            lead = msg2 + " " if kind2 in ("same-rows", "rows") else ""
            return "terms", lead + msg, wrong2, None
    if x_ndim >= 2:
        bad_rows = np.flatnonzero(np.any(bad.reshape(bad.shape[0], -1), axis=1))
        n_rows = bad.shape[0]
        if 0 < len(bad_rows) < n_rows:
            detail = _diagnose_rows(a, n, bad_rows, ctx, known)
            good = n_rows - len(bad_rows)
            return (
                "rows",
                (
                    f"Some rows right, others wrong: row{'s' if len(bad_rows) > 1 else ''} "
                    f"{_fmt_list(bad_rows)} of {n_rows} disagree{'s' if len(bad_rows) == 1 else ''}, "
                    + ("the other one matches." if good == 1 else f"the other {good} match.")
                    + (f" In detail: {detail}." if detail else "")
                ),
                tuple(int(r) for r in bad_rows),
                None,
            )
        if (
            n_rows > 1
            and np.allclose(a, a[0:1], rtol=1e-12, atol=0)
            and not np.allclose(n, n[0:1], rtol=ctx.rtol, atol=ctx.atol)
        ):
            named = _name_vector(a[0].reshape(-1), known, ctx) if a[0].ndim == 1 else None
            return (
                "same-rows",
                (
                    "Every row of the analytic gradient is the same vector"
                    + (f" ({named})" if named else f" {_fmt_vec(a[0].reshape(-1))}")
                    + ", but the true rows differ: the gradient with respect to row w must depend on w "
                    "-- e.g. ∂J/∂u_w = (ŷ_w − y_w) v_c, not a sum over all i that comes out the same for "
                    "every w."
                ),
                tuple(range(n_rows)),
                None,
            )
        per_row = [ctx.factor(a[r].reshape(-1), n[r].reshape(-1)) for r in range(n_rows)]
        if n_rows > 1 and all(f is not None for f in per_row):
            return (
                "row-factors",
                (
                    "Every row is parallel to the true row but scaled by a different factor "
                    f"({_fmt_list(_fmt_num(f) for f in per_row)}): the scalar coefficient of each "
                    "row is wrong while its direction is right."
                ),
                tuple(range(n_rows)),
                None,
            )
    elif x_ndim == 1:
        bad_idx = np.flatnonzero(bad)
        if 0 < len(bad_idx) < bad.size:
            return (
                "coordinates",
                (
                    f"Some coordinates right, others wrong: coordinate{'s' if len(bad_idx) > 1 else ''} "
                    f"{_fmt_list(bad_idx)} of {bad.size} disagree, the others match."
                ),
                tuple(int(i) for i in bad_idx),
                None,
            )
    na, nn = np.linalg.norm(a), np.linalg.norm(n)
    cos = float(np.vdot(a, n) / (na * nn)) if na > 0 and nn > 0 else 0.0
    n_bad = int(np.count_nonzero(bad))
    return (
        "wrong",
        (
            f"Wrong in {n_bad} of {bad.size} entries, and not a sign, constant-factor, shape or "
            f"row slip: cosine similarity with the true gradient {cos:.3f}, length ratio "
            f"{na / nn if nn > 0 else float('inf'):.3g}. Recheck the derivation term by term "
            "(pass terms=... to gradcheck to have it name the term)."
        ),
        tuple(int(i) for i in np.flatnonzero(bad.reshape(-1))),
        None,
    )


def _positive_number(val, name: str, allow_zero: bool = False) -> float:
    ok = isinstance(val, numbers.Real) and not isinstance(val, (bool, np.bool_))
    if ok:
        val = float(val)
        ok = np.isfinite(val) and (val >= 0 if allow_zero else val > 0)
    if not ok:
        want = "a non-negative" if allow_zero else "a positive"
        raise ValueError(f"{name} must be {want} finite real number, got {val!r}")
    return val


def _check_named_arrays(named, name: str, shape, broadcast: bool):
    if named is None:
        return None
    if not isinstance(named, Mapping):
        raise ValueError(f"{name} must be a dict {{name: array}}, got {type(named).__name__}")
    out = {}
    for key, value in named.items():
        arr = as_float_array(value, f"{name}[{key!r}]")
        if broadcast:
            try:
                np.broadcast_to(arr, shape)
            except ValueError:
                raise ValueError(
                    f"{name}[{key!r}] must have x's shape {shape} (or broadcast to it), got shape {arr.shape}"
                ) from None
        out[str(key)] = arr
    return out


def gradcheck(
    f: Callable[[np.ndarray], tuple],
    x,
    *,
    h: float = 1e-6,
    rtol: float = 1e-5,
    atol: float = 1e-8,
    terms: Mapping[str, Any] | None = None,
    known_vectors: Mapping[str, Any] | None = None,
) -> GradcheckResult:
    r"""Check ``f``'s analytic gradient at ``x`` against central differences, and diagnose.

    Args:
        f: ``f(x) -> (value, grad)``: a scalar value and its gradient with respect to
            ``x`` (same shape as ``x``). It receives copies; ``x`` itself is never changed.
        x: the point, a float or an array of any shape, e.g. ``center_vec`` (d,) or
            ``outside_vectors`` (V, d).
        h: relative step; coordinate i uses :math:`h_i = h \max(1, |x_i|)`.
        rtol, atol: entry i agrees when :math:`|a_i - n_i| \le \text{rtol}\max(|a_i|,|n_i|) + \text{atol}'`,
            with :math:`\text{atol}' = \max(\text{atol}, 100\,\epsilon \max(1,|f(x)|)/h)`,
            the rounding noise of the difference quotient.
        terms: optional ``{name: array}`` of pieces that gradients here are made of
            (each shaped like ``x`` or broadcastable to it), e.g.
            ``{"u_o": ..., "Σ_w ŷ_w u_w": ..., "Σ_w ŷ_w v_w": ...}``. When the analytic
            gradient is wrong, the diagnosis says which term is missing, extra or swapped.
        known_vectors: optional ``{name: vector}`` used to name a vector factor that is
            missing from, or repeated in, the wrong rows (e.g. ``{"v_c": v_c}``).

    Returns:
        :class:`GradcheckResult` with ``passed``, ``max_relative_error``, ``numerical``,
        ``analytic``, ``diagnosis`` and more. It does not pass when both gradients are
        identically zero: such a check cannot tell anything.
    """
    if not callable(f):
        raise ValueError(f"f must be callable, returning (value, grad); got {type(f).__name__}")
    x0 = np.array(
        as_float_array(x, "x"), dtype=np.float64, order="C", copy=True
    )  # C order: flat views below write through
    h = _positive_number(h, "h")
    rtol = _positive_number(rtol, "rtol")
    atol = _positive_number(atol, "atol", allow_zero=True)
    terms = _check_named_arrays(terms, "terms", x0.shape, broadcast=True)
    known = _check_named_arrays(known_vectors, "known_vectors", None, broadcast=False) or {}

    value, a = _call(f, x0)
    numerical = _numerical_gradient(f, x0, h)
    atol_eff = max(atol, 100 * _EPS * max(1.0, abs(value) if np.isfinite(value) else 1.0) / h)

    def result(passed, kind, diagnosis, rel=np.inf, abs_err=np.inf, wrong=(), factor=None):
        return GradcheckResult(
            bool(passed), float(rel), float(abs_err), numerical, a, value, diagnosis, kind, tuple(wrong), factor, rtol
        )

    if not np.isfinite(value) or not np.all(np.isfinite(a)):
        where = "the value" if not np.isfinite(value) else "the analytic gradient"
        return result(
            False,
            "nonfinite",
            (
                f"Non-finite numbers: {where} holds NaN or inf at this x. Look for an overflow "
                "(exp of a large score: use log-sum-exp or a stable sigmoid), a log of 0 or a 0/0."
            ),
        )
    if not np.all(np.isfinite(numerical)):
        return result(
            False,
            "nonfinite",
            (
                "Non-finite numbers: f is NaN or inf at a point within h of x, so the numerical "
                "gradient is not finite. Make f numerically stable or check at another point."
            ),
        )
    ctx = _Ctx(None, numerical, rtol, atol_eff)
    if a.shape != x0.shape:
        kind, msg = _diagnose_shape(a, numerical, ctx)
        return result(False, kind, msg)
    ctx.a = a

    err = np.abs(a - numerical)
    scale = np.maximum(np.maximum(np.abs(a), np.abs(numerical)), atol_eff / rtol)
    rel = err / scale
    max_rel = float(np.max(rel)) if rel.size else 0.0
    max_abs = float(np.max(err)) if err.size else 0.0
    bad = ~ctx.close(a, numerical)
    a_zero, n_zero = ctx.is_zero(a), ctx.is_zero(numerical)

    if a_zero and n_zero:
        if value == 0.0 and not np.any(a):
            msg = (
                "Vacuous check: f returned value 0 and gradient 0, and the numerical gradient is "
                "0 too. A function that is identically zero passes nothing -- is it still a stub?"
            )
        else:
            msg = (
                "Vacuous check: both the analytic and the numerical gradient are zero at this x, "
                "so the check cannot tell a right gradient from a missing one. Try another x."
            )
        return result(False, "vacuous", msg, max_rel, max_abs)
    if not np.any(bad):
        return result(
            True,
            "ok",
            (
                f"The analytic gradient matches the numerical one: max relative error "
                f"{_error_text(max_rel, True, rtol)} (tolerance {rtol:.0e})."
            ),
            max_rel,
            max_abs,
            factor=1.0,
        )
    if a_zero:
        return result(
            False,
            "zero",
            (
                "The analytic gradient is identically zero, but the numerical one is not (largest "
                f"entry {float(np.max(np.abs(numerical))):.3g}): the gradient is never filled in, or it "
                "is reset or overwritten before it is returned."
            ),
            max_rel,
            max_abs,
            tuple(int(i) for i in np.flatnonzero(bad.reshape(-1))),
        )
    kind, msg, wrong, factor = _diagnose_mismatch(a, numerical, x0.ndim, bad, ctx, terms, known)
    return result(False, kind, msg, max_rel, max_abs, wrong, factor)
