"""The math core (w2v_helpers.core): gradients against gradcheck, stability, edge cases,
sampling and the skip-gram window.

References here are written from the formulas (with scipy and ``decimal`` for the
numerically delicate ones), never copied from the package's own output.
"""

from __future__ import annotations

import functools
import os
import pkgutil
import subprocess
import sys
import warnings
from contextlib import contextmanager
from decimal import Decimal, localcontext

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import special, stats

import w2v_helpers as w
from w2v_helpers import (
    context_window,
    gradcheck,
    naive_softmax_loss_and_gradient,
    neg_sampling_loss_and_gradient,
    noise_distribution,
    sample_negatives,
    sigmoid,
    sigmoid_grad,
    skipgram,
    softmax,
    window_offsets,
)

EPS = np.finfo(np.float64).eps

FAST = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
SLOW = settings(FAST, max_examples=20)


# --------------------------------------------------------------------------- helpers


@contextmanager
def strict_numerics():
    """Every warning is an error, and so is every floating-point event except underflow."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise", under="ignore"):
            yield


def reals(mag: float):
    return st.floats(-mag, mag, allow_nan=False, allow_infinity=False, allow_subnormal=False)


@st.composite
def scenes(draw, min_V=1, max_V=50, max_d=20, mag=10.0):
    """(center_vec (d,), outside_idx, outside_vectors (V, d)) with |entries| <= mag."""
    V = draw(st.integers(min_V, max_V))
    d = draw(st.integers(1, max_d))
    U = draw(hnp.arrays(np.float64, (V, d), elements=reals(mag)))
    v = draw(hnp.arrays(np.float64, (d,), elements=reals(mag)))
    o = draw(st.integers(0, V - 1))
    return v, o, U


@st.composite
def neg_scenes(draw, min_V=1, max_V=50, max_d=20, mag=10.0):
    """A scene plus K >= 1 negatives: repeats allowed, and the outside word may be among them."""
    v, o, U = draw(scenes(min_V, max_V, max_d, mag))
    V = U.shape[0]
    negs = draw(st.lists(st.integers(0, V - 1), min_size=1, max_size=12))
    if draw(st.booleans()):
        negs.insert(draw(st.integers(0, len(negs))), o)  # the outside word drawn as a negative
    return v, o, U, np.array(negs, dtype=np.int64)


def assert_gradcheck_ok(res):
    """Passed -- or vacuous because the true gradient is zero to rounding at this point,
    in which case the analytic gradient must be zero to rounding as well."""
    if res.kind == "vacuous":
        noise = 100 * EPS * max(1.0, abs(res.value)) / 1e-6
        assert np.all(np.abs(res.analytic) <= noise), repr(res)
        assert np.all(np.abs(res.numerical) <= noise), repr(res)
    else:
        assert res.passed, repr(res)


def one_hot(o, V):
    y = np.zeros(V)
    y[o] = 1.0
    return y


def dec_sigmoid(x: float) -> float:
    with localcontext() as ctx:
        ctx.prec = 60
        return float(1 / (1 + (-Decimal(x)).exp()))


def dec_sigmoid_grad(x: float) -> float:
    with localcontext() as ctx:
        ctx.prec = 60
        e = (-Decimal(x)).exp()
        return float(e / (1 + e) ** 2)


# --------------------------------------------------------------------------- package surface


def test_public_names_are_exported():
    for name in w.__all__:
        assert callable(getattr(w, name)), name


# Run in a fresh interpreter: snapshot numpy's global random state and matplotlib's rcParams,
# *then* import the modules, then compare. (A snapshot taken after `import w2v_helpers` could
# not see what that import changed.)
_SIDE_EFFECTS = """
import importlib, sys
import numpy as np, matplotlib
np.random.seed(123)
state = np.random.get_state()[1].copy()
rc = dict(matplotlib.rcParams)
for name in sys.argv[1:]:
    importlib.import_module(name)
found = []
if not (np.random.get_state()[1] == state).all():
    found.append("numpy.random's global state")
changed = sorted(k for k in rc if matplotlib.rcParams[k] != rc[k])
if changed:
    found.append("matplotlib.rcParams " + ", ".join(changed[:5]))
print("|".join(found))
"""


def _import_side_effects(modules: list[str], path: str | None = None) -> str:
    env = None
    if path is not None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([path, os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run(
        [sys.executable, "-c", _SIDE_EFFECTS, *modules], capture_output=True, text=True, check=True, env=env
    )
    return out.stdout.strip()


def _package_modules() -> list[str]:
    names = ["w2v_helpers"] + [m.name for m in pkgutil.walk_packages(w.__path__, "w2v_helpers.")]
    return [n for n in names if not n.endswith("__main__")]  # importing a __main__ would run a CLI


def test_importing_the_package_has_no_global_side_effects():
    modules = _package_modules()
    assert {"w2v_helpers.core", "w2v_helpers.style", "w2v_helpers.widgets"} <= set(modules)
    assert _import_side_effects(modules) == ""


@pytest.mark.parametrize(
    "body, found",
    [
        ("import matplotlib\nmatplotlib.rcParams['font.size'] = 3\n", "matplotlib.rcParams font.size"),
        ("import matplotlib.pyplot as plt\nplt.style.use('ggplot')\n", "matplotlib.rcParams"),
        ("import numpy as np\nnp.random.seed(0)\n", "numpy.random"),
        ("import numpy as np\nnp.random.random()\n", "numpy.random"),
    ],
)
def test_the_side_effect_check_sees_a_module_that_has_them(tmp_path, body, found):
    (tmp_path / "noisy_module.py").write_text(body)
    assert found in _import_side_effects(["noisy_module"], path=str(tmp_path))


# --------------------------------------------------------------------------- sigmoid (a)


@pytest.mark.parametrize("x", [-700.0, -50.0, -40.0, -10.0, -1.0, -1e-8, 0.0, 1e-8, 0.5, 3.0, 36.0, 40.0, 700.0])
def test_sigmoid_full_precision(x):
    with strict_numerics():
        got = sigmoid(x)
    assert got == pytest.approx(dec_sigmoid(x), rel=4 * EPS, abs=0)


def test_sigmoid_minus_50_against_exp_formula():
    ref = np.exp(-50.0) / (1.0 + np.exp(-50.0))
    with strict_numerics():
        assert sigmoid(-50.0) == pytest.approx(ref, rel=4 * EPS, abs=0)
        assert sigmoid(-50.0) > 0


@pytest.mark.parametrize("x", [-700.0, -100.0, -40.0, -5.0, -0.3, 0.0, 0.3, 5.0, 40.0, 100.0, 700.0])
def test_sigmoid_grad_full_precision(x):
    with strict_numerics():
        got = sigmoid_grad(x)
    assert got == pytest.approx(dec_sigmoid_grad(x), rel=8 * EPS, abs=0)
    assert got > 0


def test_sigmoid_grad_40_is_exp_minus_40():
    # sigma'(40) = e^-40 / (1 + e^-40)^2 = e^-40 (1 - 2e^-40 + ...): e^-40 to full precision,
    # which sigma(x)(1 - sigma(x)) computed naively loses entirely (1 - sigma(40) rounds to 0 or eps).
    with strict_numerics():
        assert sigmoid_grad(40.0) == pytest.approx(np.exp(-40.0), rel=4 * EPS, abs=0)
        assert sigmoid_grad(-40.0) == pytest.approx(np.exp(-40.0), rel=4 * EPS, abs=0)


@pytest.mark.parametrize("mag", [1e3, 1e4])
def test_sigmoid_and_grad_at_extremes_raise_no_warning(mag):
    x = np.array([-mag, mag])
    with strict_numerics():
        s = sigmoid(x)
        g = sigmoid_grad(x)
        s_scalar = (sigmoid(-mag), sigmoid(mag))
        g_scalar = (sigmoid_grad(-mag), sigmoid_grad(mag))
    np.testing.assert_array_equal(s, [0.0, 1.0])  # e^-1000 underflows: 0 and 1 are the correct roundings
    np.testing.assert_array_equal(g, [0.0, 0.0])
    assert s_scalar == (0.0, 1.0)
    assert g_scalar == (0.0, 0.0)
    assert np.all(np.isfinite(s)) and np.all(np.isfinite(g))


@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=3, max_side=5), elements=reals(1e4)))
@FAST
def test_sigmoid_properties(x):
    with strict_numerics():
        s = np.asarray(sigmoid(x))
        s_neg = np.asarray(sigmoid(-x))
        g = np.asarray(sigmoid_grad(x))
        g_neg = np.asarray(sigmoid_grad(-x))
    assert s.shape == x.shape and g.shape == x.shape
    assert np.all((s >= 0) & (s <= 1))
    np.testing.assert_allclose(s + s_neg, 1.0, rtol=0, atol=2 * EPS)  # sigma(-x) = 1 - sigma(x)
    np.testing.assert_array_equal(g, g_neg)  # sigma' is even
    assert np.all(g >= 0) and np.all(g <= 0.25 * (1 + 2 * EPS))
    # sigma' = sigma(x) sigma(-x): the product form keeps full precision on both sides
    np.testing.assert_allclose(g, s * s_neg, rtol=1e-13, atol=1e-300)


def test_scalar_in_float_out_array_in_array_out():
    for x in (0.5, -2, 3, np.float64(1.5), np.float32(0.25), np.int64(2), np.array(0.7)):
        assert type(sigmoid(x)) is float
        assert type(sigmoid_grad(x)) is float
    for shape in [(1,), (4,), (2, 3), (2, 1, 3), (0,)]:
        x = np.linspace(-3, 3, int(np.prod(shape))).reshape(shape)
        for fn in (sigmoid, sigmoid_grad):
            out = fn(x)
            assert isinstance(out, np.ndarray) and out.shape == shape and out.dtype == np.float64
    assert sigmoid([0.0, 0.0]).tolist() == [0.5, 0.5]
    assert sigmoid_grad([0.0]).tolist() == [0.25]


def test_sigmoid_does_not_modify_input():
    x = np.array([-3.0, 0.0, 2.0])
    before = x.copy()
    sigmoid(x)
    sigmoid_grad(x)
    np.testing.assert_array_equal(x, before)


@given(hnp.arrays(np.float64, st.integers(1, 30), elements=reals(50.0)))
@FAST
def test_sigmoid_grad_gradchecks(x):
    res = gradcheck(lambda z: (float(np.sum(sigmoid(z))), sigmoid_grad(z)), x)
    assert_gradcheck_ok(res)


@given(reals(30.0))
@FAST
def test_sigmoid_grad_gradchecks_scalar(x):
    res = gradcheck(lambda z: (sigmoid(z), sigmoid_grad(z)), x)
    assert_gradcheck_ok(res)


# --------------------------------------------------------------------------- softmax


def test_softmax_1d_scores_in_the_thousands():
    x = np.array([1000.0, 1001.0, 999.0, -3000.0])
    with strict_numerics():
        p = softmax(x)
    np.testing.assert_allclose(p, special.softmax(x), rtol=1e-14, atol=0)
    e = np.exp([0.0, 1.0, -1.0])
    np.testing.assert_allclose(p[:3], e / e.sum(), rtol=1e-14)
    assert p[3] == 0.0
    assert p.sum() == pytest.approx(1.0, abs=4 * EPS)


def test_softmax_2d_is_row_wise():
    x = np.array([[1000.0, 1001.0, 999.0], [-2000.0, -2000.0, -2000.0], [0.0, 5.0, -5.0]])
    with strict_numerics():
        p = softmax(x)
    assert p.shape == x.shape
    np.testing.assert_allclose(p, special.softmax(x, axis=1), rtol=1e-14, atol=0)
    np.testing.assert_allclose(p[1], [1 / 3] * 3, rtol=1e-15)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=0, atol=4 * EPS)
    for i in range(3):
        np.testing.assert_array_equal(p[i], softmax(x[i]))


@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=2, max_side=8), elements=reals(5e3)), reals(1e3))
@FAST
def test_softmax_properties(x, shift):
    with strict_numerics():
        p = softmax(x)
        q = softmax(x + shift)
    assert p.shape == x.shape
    assert np.all(p >= 0) and np.all(p <= 1)
    np.testing.assert_allclose(p.sum(axis=-1), 1.0, rtol=0, atol=1e-12)
    np.testing.assert_allclose(p, special.softmax(x, axis=-1), rtol=1e-10, atol=1e-300)
    np.testing.assert_allclose(p, q, rtol=1e-9, atol=1e-12)  # invariant to a constant shift
    # the largest score gets the largest probability
    np.testing.assert_array_equal(
        np.max(p, axis=-1), np.take_along_axis(p, np.argmax(x, axis=-1)[..., None], -1)[..., 0]
    )


# --------------------------------------------------------------------------- naive softmax (b, c)


@given(scenes(min_V=1))
@FAST
def test_naive_softmax_gradient_wrt_center_vec(scene):
    v, o, U = scene
    res = gradcheck(lambda x: naive_softmax_loss_and_gradient(x, o, U)[:2], v)
    assert_gradcheck_ok(res)


@given(scenes(min_V=1))
@FAST
def test_naive_softmax_gradient_wrt_outside_vectors(scene):
    v, o, U = scene
    res = gradcheck(lambda X: naive_softmax_loss_and_gradient(v, o, X)[::2], U)
    assert_gradcheck_ok(res)


@given(scenes(mag=1e3))
@FAST
def test_naive_softmax_matches_scipy_reference(scene):
    v, o, U = scene
    scores = U @ v
    with strict_numerics():
        loss, gv, gU = naive_softmax_loss_and_gradient(v, o, U)
    assert type(loss) is float
    assert np.isfinite(loss) and loss >= 0
    ref = special.logsumexp(scores) - scores[o]
    assert loss == pytest.approx(ref, rel=1e-9, abs=1e-9 * max(1.0, np.max(np.abs(scores))))
    delta = special.softmax(scores) - one_hot(o, U.shape[0])
    # y_hat = exp(score - log Z) carries a relative rounding error of about |log Z| eps
    # (see the report: scipy's e / sum(e) does not), so the tolerance grows with the scores.
    big = max(1.0, float(np.max(np.abs(scores))))
    rtol = max(1e-9, 10 * EPS * big)
    np.testing.assert_allclose(
        gv, U.T @ delta, rtol=rtol, atol=10 * EPS * (big + U.shape[0]) * max(1.0, np.max(np.abs(U)))
    )
    np.testing.assert_allclose(gU, np.outer(delta, v), rtol=rtol, atol=10 * EPS * big * max(1.0, np.max(np.abs(v))))
    assert gv.shape == v.shape and gU.shape == U.shape


def test_naive_softmax_scores_in_the_thousands():
    U = np.array([[10.0, 0.0], [0.0, 10.0], [-10.0, 5.0], [7.0, 7.0]])
    v = np.array([300.0, 200.0])  # scores 3000, 2000, -2000, 3500
    with strict_numerics():
        for o in range(4):
            loss, gv, gU = naive_softmax_loss_and_gradient(v, o, U)
            scores = U @ v
            assert loss == pytest.approx(special.logsumexp(scores) - scores[o], rel=1e-14)
            assert np.all(np.isfinite(gv)) and np.all(np.isfinite(gU))
    # o = 3 has the largest score by 500: y_hat = e_3 to double precision, so J = 0 and
    # grad = 0 exactly up to e^-500
    loss, gv, gU = naive_softmax_loss_and_gradient(v, 3, U)
    assert loss == pytest.approx(0.0, abs=1e-200)
    np.testing.assert_allclose(gv, 0.0, atol=1e-200)
    # o = 1 is 1500 below the best: J = 1500, dJ/dv_c = u_3 - u_1
    loss, gv, gU = naive_softmax_loss_and_gradient(v, 1, U)
    assert loss == pytest.approx(1500.0, rel=1e-15)
    np.testing.assert_allclose(gv, U[3] - U[1], rtol=1e-14)
    np.testing.assert_allclose(gU[1], -v, rtol=1e-14)
    np.testing.assert_allclose(gU[3], v, rtol=1e-14)


def test_naive_softmax_known_values():
    # U = 0: y_hat uniform, J = log V, dJ/dv_c = 0 - u_o = 0, dJ/du_w = (1/V - y_w) v_c
    V, d = 4, 3
    v = np.array([1.0, -2.0, 0.5])
    loss, gv, gU = naive_softmax_loss_and_gradient(v, 2, np.zeros((V, d)))
    assert loss == pytest.approx(np.log(V), rel=1e-15)
    np.testing.assert_array_equal(gv, np.zeros(d))
    expected = np.outer(np.full(V, 1 / V) - one_hot(2, V), v)
    np.testing.assert_allclose(gU, expected, rtol=1e-15)


def test_naive_softmax_single_word_vocabulary_is_zero_and_gradcheck_calls_it_vacuous():
    U = np.array([[0.3, -1.2, 2.0]])
    v = np.array([1.0, 2.0, -0.5])
    loss, gv, gU = naive_softmax_loss_and_gradient(v, 0, U)
    assert loss == 0.0
    np.testing.assert_array_equal(gv, np.zeros(3))
    np.testing.assert_array_equal(gU, np.zeros((1, 3)))
    for res in (
        gradcheck(lambda x: naive_softmax_loss_and_gradient(x, 0, U)[:2], v),
        gradcheck(lambda X: naive_softmax_loss_and_gradient(v, 0, X)[::2], U),
    ):
        assert not res.passed
        assert res.kind == "vacuous"
        assert "vacuous" in res.diagnosis.lower()


def test_naive_softmax_does_not_modify_inputs():
    rng = np.random.default_rng(5)
    v, U = rng.normal(size=3), rng.normal(size=(4, 3))
    v0, U0 = v.copy(), U.copy()
    naive_softmax_loss_and_gradient(v, 1, U)
    np.testing.assert_array_equal(v, v0)
    np.testing.assert_array_equal(U, U0)


def test_naive_softmax_accepts_lists_and_numpy_ints():
    loss, gv, gU = naive_softmax_loss_and_gradient([1.0, 0.0], np.int32(1), [[0.0, 1.0], [1.0, 0.0]])
    assert loss == pytest.approx(np.log1p(np.exp(-1.0)), rel=1e-15)  # scores (0, 1), o = 1
    assert gv.dtype == np.float64 and gU.shape == (2, 2)
    assert naive_softmax_loss_and_gradient([1.0, 0.0], np.array(1), [[0.0, 1.0], [1.0, 0.0]])[0] == loss


# --------------------------------------------------------------------------- negative sampling (d)


@given(neg_scenes())
@FAST
def test_neg_sampling_gradient_wrt_center_vec(scene):
    v, o, U, negs = scene
    res = gradcheck(lambda x: neg_sampling_loss_and_gradient(x, o, U, negs)[:2], v)
    assert_gradcheck_ok(res)


@given(neg_scenes())
@FAST
def test_neg_sampling_gradient_wrt_outside_vectors(scene):
    v, o, U, negs = scene
    res = gradcheck(lambda X: neg_sampling_loss_and_gradient(v, o, X, negs)[::2], U)
    assert_gradcheck_ok(res)


def neg_reference(v, o, U, negs):
    """J_neg and its gradients written term by term from the formula, with scipy's expit."""
    s_o = U[o] @ v
    loss = -special.log_expit(s_o)
    gv = -special.expit(-s_o) * U[o]
    gU = np.zeros_like(U)
    gU[o] += -special.expit(-s_o) * v
    for k in negs:  # one term per draw
        s_k = U[k] @ v
        loss += -special.log_expit(-s_k)
        gv = gv + special.expit(s_k) * U[k]
        gU[k] += special.expit(s_k) * v
    return loss, gv, gU


@given(neg_scenes(mag=1e3))
@FAST
def test_neg_sampling_matches_term_by_term_reference(scene):
    v, o, U, negs = scene
    with strict_numerics():
        loss, gv, gU = neg_sampling_loss_and_gradient(v, o, U, negs)
    assert type(loss) is float
    ref_loss, ref_gv, ref_gU = neg_reference(v, o, U, negs)
    assert np.isfinite(loss) and loss >= 0
    assert loss == pytest.approx(ref_loss, rel=1e-9, abs=1e-12)
    scale = max(1.0, np.max(np.abs(U)), np.max(np.abs(v))) * (len(negs) + 1)
    np.testing.assert_allclose(gv, ref_gv, rtol=1e-9, atol=1e-12 * scale)
    np.testing.assert_allclose(gU, ref_gU, rtol=1e-9, atol=1e-12 * scale)
    # only the rows of o and of the negatives are nonzero
    others = np.setdiff1d(np.arange(U.shape[0]), np.concatenate(([o], negs)))
    np.testing.assert_array_equal(gU[others], 0.0)


def test_neg_sampling_scores_in_the_thousands():
    U = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    v = np.array([2000.0, -3000.0])  # scores 2000, -3000, -1000
    with strict_numerics():
        loss, gv, gU = neg_sampling_loss_and_gradient(v, 1, U, [0, 2])
    # -log sigma(-3000) - log sigma(-2000) - log sigma(1000) = 3000 + 2000 + 0 (to double precision)
    assert loss == pytest.approx(5000.0, rel=1e-15)
    np.testing.assert_allclose(gv, -U[1] + U[0], rtol=1e-15)  # sigma(-s_o) = 1, sigma(s_0) = 1, sigma(s_2) = 0
    np.testing.assert_allclose(gU, [v, -v, [0.0, 0.0]], rtol=1e-15)


def test_repeated_negative_contributes_once_per_draw():
    rng = np.random.default_rng(3)
    V, d, o = 5, 4, 0
    U, v = rng.normal(size=(V, d)), rng.normal(size=d)
    l1, gv1, gU1 = neg_sampling_loss_and_gradient(v, o, U, [2])
    l3, gv3, gU3 = neg_sampling_loss_and_gradient(v, o, U, [2, 2, 2])
    lo = -special.log_expit(U[o] @ v)  # the outside word's term
    assert l3 - lo == pytest.approx(3 * (l1 - lo), rel=1e-13)
    np.testing.assert_allclose(gU3[2], 3 * gU1[2], rtol=1e-13)
    np.testing.assert_allclose(gU3[2], 3 * special.expit(U[2] @ v) * v, rtol=1e-13)
    np.testing.assert_allclose(gU3[o], gU1[o], rtol=1e-13)
    go = -special.expit(-(U[o] @ v)) * U[o]
    np.testing.assert_allclose(gv3 - go, 3 * (gv1 - go), rtol=1e-12, atol=1e-15)
    # and the order of the draws does not matter
    a = neg_sampling_loss_and_gradient(v, o, U, [1, 2, 2, 4])
    b = neg_sampling_loss_and_gradient(v, o, U, [2, 4, 1, 2])
    assert a[0] == pytest.approx(b[0], rel=1e-14)
    np.testing.assert_allclose(a[2], b[2], rtol=1e-14)


def test_outside_word_among_the_negatives_gets_both_terms():
    rng = np.random.default_rng(4)
    V, d, o = 4, 3, 1
    U, v = rng.normal(size=(V, d)), rng.normal(size=d)
    s = U[o] @ v
    loss, gv, gU = neg_sampling_loss_and_gradient(v, o, U, [o, 3])
    s3 = U[3] @ v
    assert loss == pytest.approx(np.log1p(np.exp(-s)) + np.log1p(np.exp(s)) + np.log1p(np.exp(s3)), rel=1e-13)
    # row o: -sigma(-s) v_c from being the outside word + sigma(s) v_c from being drawn
    np.testing.assert_allclose(gU[o], (-special.expit(-s) + special.expit(s)) * v, rtol=1e-12)
    np.testing.assert_allclose(gv, (special.expit(s) - special.expit(-s)) * U[o] + special.expit(s3) * U[3], rtol=1e-12)
    assert_gradcheck_ok(gradcheck(lambda X: neg_sampling_loss_and_gradient(v, o, X, [o, 3])[::2], U))
    assert_gradcheck_ok(gradcheck(lambda x: neg_sampling_loss_and_gradient(x, o, U, [o, 3])[:2], v))


def test_single_negative_k_equals_1():
    U = np.array([[1.0, 2.0], [0.5, -1.0], [3.0, 0.0]])
    v = np.array([0.2, -0.4])
    s_o, s_k = U[0] @ v, U[2] @ v
    loss, gv, gU = neg_sampling_loss_and_gradient(v, 0, U, [2])
    assert loss == pytest.approx(np.log1p(np.exp(-s_o)) + np.log1p(np.exp(s_k)), rel=1e-14)
    sig = lambda t: 1 / (1 + np.exp(-t))
    np.testing.assert_allclose(gv, -sig(-s_o) * U[0] + sig(s_k) * U[2], rtol=1e-14)
    np.testing.assert_allclose(gU, [-sig(-s_o) * v, [0.0, 0.0], sig(s_k) * v], rtol=1e-14)


def test_neg_sampling_single_word_vocabulary():
    # V = 1: the only negative is the outside word itself
    U, v = np.array([[0.7, -0.2]]), np.array([1.5, 2.0])
    s = float(U[0] @ v)
    loss, gv, gU = neg_sampling_loss_and_gradient(v, 0, U, [0])
    assert loss == pytest.approx(np.log1p(np.exp(-s)) + np.log1p(np.exp(s)), rel=1e-14)
    np.testing.assert_allclose(gU[0], (special.expit(s) - special.expit(-s)) * v, rtol=1e-13)
    assert_gradcheck_ok(gradcheck(lambda X: neg_sampling_loss_and_gradient(v, 0, X, [0])[::2], U))
    assert_gradcheck_ok(gradcheck(lambda x: neg_sampling_loss_and_gradient(x, 0, U, [0])[:2], v))


def test_neg_sampling_does_not_modify_inputs():
    rng = np.random.default_rng(6)
    v, U, negs = rng.normal(size=3), rng.normal(size=(5, 3)), np.array([2, 2, 4])
    copies = v.copy(), U.copy(), negs.copy()
    neg_sampling_loss_and_gradient(v, 1, U, negs)
    for a, b in zip((v, U, negs), copies):
        np.testing.assert_array_equal(a, b)


# --------------------------------------------------------------------------- noise distribution


@pytest.mark.parametrize("power", [0.75, 1.0, 0.0, 0.5, 2.0])
def test_noise_distribution_formula(power):
    counts = np.array([4, 0, 1, 9, 16])
    p = noise_distribution(counts, power)
    weights = np.array([4.0**power, 0.0, 1.0, 9.0**power, 16.0**power])
    np.testing.assert_allclose(p, weights / weights.sum(), rtol=1e-15)
    assert p[1] == 0.0
    assert p.sum() == pytest.approx(1.0, abs=4 * EPS)


def test_noise_distribution_special_powers():
    counts = [3, 0, 1, 6]
    np.testing.assert_allclose(noise_distribution(counts, 1), [0.3, 0.0, 0.1, 0.6], rtol=1e-15)
    np.testing.assert_allclose(noise_distribution(counts, 0), [1 / 3, 0.0, 1 / 3, 1 / 3], rtol=1e-15)
    # the default is word2vec's 3/4
    np.testing.assert_array_equal(noise_distribution(counts), noise_distribution(counts, 0.75))
    np.testing.assert_allclose(noise_distribution([2.5, 2.5]), [0.5, 0.5])  # float counts are fine


@given(
    st.lists(st.integers(0, 10**6), min_size=1, max_size=40).filter(lambda c: any(c)),
    st.sampled_from([0.0, 0.5, 0.75, 1.0]),
)
@FAST
def test_noise_distribution_properties(counts, power):
    c = np.array(counts, dtype=float)
    p = noise_distribution(counts, power)
    assert p.shape == c.shape
    assert p.sum() == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_array_equal(p == 0, c == 0)
    pos = np.flatnonzero(c > 0)
    i, j = pos[0], pos[-1]
    assert p[i] / p[j] == pytest.approx((c[i] / c[j]) ** power, rel=1e-12)


# --------------------------------------------------------------------------- sample_negatives


def test_sample_negatives_never_returns_the_outside_word():
    noise = noise_distribution([50, 1, 30, 2, 1000, 3])
    for o in range(6):
        draws = sample_negatives(o, noise, 5000, np.random.default_rng(o))
        assert draws.shape == (5000,) and draws.dtype == np.int64
        assert not np.any(draws == o)
        assert np.all((draws >= 0) & (draws < 6))


def test_sample_negatives_is_deterministic_for_a_seed():
    noise = noise_distribution(np.arange(1, 11))
    a = sample_negatives(3, noise, 50, np.random.default_rng(42))
    b = sample_negatives(3, noise, 50, np.random.default_rng(42))
    c = sample_negatives(3, noise, 50, np.random.default_rng(43))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    # consecutive calls on one generator advance it
    rng = np.random.default_rng(42)
    assert not np.array_equal(sample_negatives(3, noise, 50, rng), sample_negatives(3, noise, 50, rng))


def test_sample_negatives_uses_only_the_given_generator():
    np.random.seed(7)
    state = np.random.get_state()[1].copy()
    sample_negatives(0, noise_distribution([1, 2, 3]), 100, np.random.default_rng(0))
    np.testing.assert_array_equal(np.random.get_state()[1], state)


@pytest.mark.parametrize("o", [0, 2, 4])
def test_sample_negatives_frequencies_follow_renormalised_noise(o):
    noise = noise_distribution([10, 0, 40, 5, 200, 1, 60])
    n = 40_000
    draws = sample_negatives(o, noise, n, np.random.default_rng(1234 + o))
    expected = noise / (1 - noise[o])
    expected[o] = 0.0
    observed = np.bincount(draws, minlength=noise.size)
    assert observed[1] == 0  # zero count, zero probability
    support = expected > 0
    chi2 = float(np.sum((observed[support] - n * expected[support]) ** 2 / (n * expected[support])))
    assert chi2 < stats.chi2.ppf(0.999, df=int(support.sum()) - 1), (observed, n * expected)
    np.testing.assert_allclose(observed / n, expected, atol=0.01)


def test_sample_negatives_k_equals_1_and_two_words():
    # with two words and o = 0, every draw must be word 1
    draws = sample_negatives(0, np.array([0.9, 0.1]), 1, np.random.default_rng(0))
    np.testing.assert_array_equal(draws, [1])
    draws = sample_negatives(0, np.array([0.9, 0.1]), 20, np.random.default_rng(0))
    np.testing.assert_array_equal(draws, np.ones(20))


def test_sample_negatives_errors_when_only_the_outside_word_has_mass():
    with pytest.raises(ValueError, match="outside_idx"):
        sample_negatives(2, np.array([0.0, 0.0, 1.0]), 3, np.random.default_rng(0))
    with pytest.raises(ValueError, match="outside_idx"):
        sample_negatives(0, np.array([1.0]), 1, np.random.default_rng(0))


# --------------------------------------------------------------------------- skipgram (e)


class Counting:
    """Wraps a loss_and_gradient and records every call."""

    def __init__(self, fn):
        self.fn, self.calls = fn, []

    def __call__(self, center_vec, outside_idx, outside_vectors):
        self.calls.append((np.array(center_vec, copy=True), outside_idx, np.array(outside_vectors, copy=True)))
        return self.fn(center_vec, outside_idx, outside_vectors)


def small_world(V=6, d=4, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(V, d)), rng.normal(size=(V, d))


def test_skipgram_calls_loss_once_per_position_repeats_included():
    Vc, U = small_world()
    c, outs = 2, [1, 3, 1, 5, 1]
    spy = Counting(naive_softmax_loss_and_gradient)
    loss, gV, gU = skipgram(c, outs, Vc, U, spy)
    assert [call[1] for call in spy.calls] == outs
    for cv, _, Ux in spy.calls:
        np.testing.assert_array_equal(cv, Vc[c])
        np.testing.assert_array_equal(Ux, U)
    parts = [naive_softmax_loss_and_gradient(Vc[c], o, U) for o in outs]
    assert loss == pytest.approx(sum(p[0] for p in parts), rel=1e-14)
    np.testing.assert_allclose(gV[c], sum(p[1] for p in parts), rtol=1e-13)
    np.testing.assert_allclose(gU, sum(p[2] for p in parts), rtol=1e-13)
    # the word repeated 3 times counts 3 times
    single = skipgram(c, [1], Vc, U)[0]
    rest = skipgram(c, [3, 5], Vc, U)[0]
    assert loss == pytest.approx(3 * single + rest, rel=1e-13)


def test_skipgram_center_gradient_only_in_row_c():
    Vc, U = small_world()
    for c in range(6):
        loss, gV, gU = skipgram(c, [0, 4, 5], Vc, U)
        others = np.arange(6) != c
        np.testing.assert_array_equal(gV[others], 0.0)
        assert np.any(gV[c] != 0)
        assert gV.shape == Vc.shape and gU.shape == U.shape


def test_skipgram_empty_window():
    Vc, U = small_world()
    spy = Counting(naive_softmax_loss_and_gradient)
    for empty in ([], np.array([], dtype=np.int64), ()):
        loss, gV, gU = skipgram(1, empty, Vc, U, spy)
        assert loss == 0.0 and type(loss) is float
        np.testing.assert_array_equal(gV, np.zeros_like(Vc))
        np.testing.assert_array_equal(gU, np.zeros_like(U))
    assert spy.calls == []


def test_skipgram_with_neg_sampling_partial():
    Vc, U = small_world(V=7, d=3, seed=9)
    negs = np.array([0, 0, 6, 2])
    fn = functools.partial(neg_sampling_loss_and_gradient, negative_idxs=negs)
    c, outs = 4, [2, 5, 2]
    loss, gV, gU = skipgram(c, outs, Vc, U, fn)
    refs = [neg_reference(Vc[c], o, U, negs) for o in outs]
    assert loss == pytest.approx(sum(r[0] for r in refs), rel=1e-12)
    np.testing.assert_allclose(gV[c], sum(r[1] for r in refs), rtol=1e-12)
    np.testing.assert_allclose(gU, sum(r[2] for r in refs), rtol=1e-12)


def test_skipgram_default_is_naive_softmax():
    Vc, U = small_world()
    a = skipgram(0, [1, 2], Vc, U)
    b = skipgram(0, [1, 2], Vc, U, naive_softmax_loss_and_gradient)
    assert a[0] == b[0]
    np.testing.assert_array_equal(a[1], b[1])
    np.testing.assert_array_equal(a[2], b[2])


def test_skipgram_accepts_plain_list_gradients_from_loss_and_gradient():
    Vc, U = small_world(V=3, d=2)

    def as_lists(v, o, X):
        loss, gv, gX = naive_softmax_loss_and_gradient(v, o, X)
        return loss, gv.tolist(), gX.tolist()

    a = skipgram(1, [0, 2], Vc, U, as_lists)
    b = skipgram(1, [0, 2], Vc, U)
    np.testing.assert_allclose(a[1], b[1])
    np.testing.assert_allclose(a[2], b[2])


def test_skipgram_scores_in_the_thousands_both_losses():
    rng = np.random.default_rng(12)
    Vc, U = rng.normal(size=(6, 4)) * 40, rng.normal(size=(6, 4)) * 40  # scores ~ 1e3 to 1e4
    outs = [0, 5, 5, 2]
    negs = np.array([1, 3, 3])
    for fn, pair in (
        (naive_softmax_loss_and_gradient, lambda o: special.logsumexp(U @ Vc[4]) - U[o] @ Vc[4]),
        (
            functools.partial(neg_sampling_loss_and_gradient, negative_idxs=negs),
            lambda o: neg_reference(Vc[4], o, U, negs)[0],
        ),
    ):
        with strict_numerics():
            loss, gV, gU = skipgram(4, outs, Vc, U, fn)
        assert np.isfinite(loss) and np.all(np.isfinite(gV)) and np.all(np.isfinite(gU))
        assert loss == pytest.approx(sum(pair(o) for o in outs), rel=1e-12)


def test_skipgram_does_not_modify_inputs():
    Vc, U = small_world()
    copies = Vc.copy(), U.copy()
    skipgram(2, [1, 3], Vc, U)
    np.testing.assert_array_equal(Vc, copies[0])
    np.testing.assert_array_equal(U, copies[1])


@st.composite
def skipgram_scenes(draw, min_V=1, max_V=50, max_d=20, mag=10.0, max_window=3):
    V = draw(st.integers(min_V, max_V))
    d = draw(st.integers(1, max_d))
    Vc = draw(hnp.arrays(np.float64, (V, d), elements=reals(mag)))
    U = draw(hnp.arrays(np.float64, (V, d), elements=reals(mag)))
    c = draw(st.integers(0, V - 1))
    outs = draw(st.lists(st.integers(0, V - 1), min_size=1, max_size=max_window))
    negs = np.array(draw(st.lists(st.integers(0, V - 1), min_size=1, max_size=6)), dtype=np.int64)
    return c, outs, Vc, U, negs


def _loss_fn(kind, negs):
    if kind == "naive":
        return naive_softmax_loss_and_gradient
    return functools.partial(neg_sampling_loss_and_gradient, negative_idxs=negs)


@pytest.mark.parametrize("kind", ["naive", "neg"])
@given(scene=skipgram_scenes())
@SLOW
def test_skipgram_gradient_wrt_center_vectors(kind, scene):
    c, outs, Vc, U, negs = scene
    fn = _loss_fn(kind, negs)
    res = gradcheck(lambda X: skipgram(c, outs, X, U, fn)[:2], Vc)
    assert_gradcheck_ok(res)


@pytest.mark.parametrize("kind", ["naive", "neg"])
@given(scene=skipgram_scenes())
@SLOW
def test_skipgram_gradient_wrt_outside_vectors(kind, scene):
    c, outs, Vc, U, negs = scene
    fn = _loss_fn(kind, negs)
    res = gradcheck(lambda X: skipgram(c, outs, Vc, X, fn)[::2], U)
    assert_gradcheck_ok(res)


# --------------------------------------------------------------------------- window helpers


def test_window_offsets_values():
    assert window_offsets(1) == [-1, 1]
    assert window_offsets(2) == [-2, -1, 1, 2]
    assert window_offsets(np.int64(3)) == [-3, -2, -1, 1, 2, 3]


@given(st.integers(1, 200))
@FAST
def test_window_offsets_properties(m):
    offs = window_offsets(m)
    assert len(offs) == 2 * m
    assert 0 not in offs
    assert offs == sorted(offs)
    assert min(offs) == -m and max(offs) == m
    assert sorted(-j for j in offs) == offs
    assert all(type(j) is int for j in offs)


def test_context_window_clips_at_the_edges():
    sent = [10, 11, 12, 13, 14]
    assert context_window(sent, 2, 2).tolist() == [10, 11, 13, 14]
    assert context_window(sent, 0, 2).tolist() == [11, 12]
    assert context_window(sent, 4, 2).tolist() == [12, 13]
    assert context_window(sent, 1, 2).tolist() == [10, 12, 13]
    assert context_window(sent, 2, 10).tolist() == [10, 11, 13, 14]
    assert context_window([7], 0, 3).tolist() == []
    assert context_window(np.array([3, 3, 3]), 1, 1).tolist() == [3, 3]  # repeats kept
    assert context_window(sent, 2, 1).dtype == np.int64


@given(st.lists(st.integers(0, 30), min_size=1, max_size=25), st.data(), st.integers(1, 8))
@FAST
def test_context_window_properties(sent, data, m):
    t = data.draw(st.integers(0, len(sent) - 1))
    out = context_window(sent, t, m)
    n = len(sent)
    left, right = min(t, m), min(n - 1 - t, m)
    assert out.shape == (left + right,)
    # the words at t-left..t-1 then t+1..t+right, in order of j
    assert out.tolist() == sent[t - left : t] + sent[t + 1 : t + 1 + right]


def test_window_pieces_feed_skipgram():
    Vc, U = small_world(V=5, d=3)
    sent = [0, 1, 2, 3, 4, 2]
    t, m = 3, 2
    outs = context_window(sent, t, m)
    spy = Counting(naive_softmax_loss_and_gradient)
    skipgram(sent[t], outs, Vc, U, spy)
    assert [call[1] for call in spy.calls] == [1, 2, 4, 2]
