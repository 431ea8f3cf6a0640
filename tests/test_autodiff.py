"""An independent check of every analytic gradient: the losses are written again here in
autograd.numpy, straight from the formulas (log-sum-exp / logaddexp forms, so they stay
finite at large scores), and autograd's reverse-mode gradients must agree with ours to
1e-7 relative error.

Nothing here calls w2v_helpers to build the reference.
"""

from __future__ import annotations

import functools

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import elementwise_grad, grad
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from w2v_helpers import (
    naive_softmax_loss_and_gradient,
    neg_sampling_loss_and_gradient,
    sigmoid,
    sigmoid_grad,
    skipgram,
)

EPS = np.finfo(np.float64).eps
RTOL = 1e-7

FAST = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


# --------------------------------------------------------------------------- the formulas, in autograd


def ag_logsumexp(s):
    m = anp.max(s)
    return m + anp.log(anp.sum(anp.exp(s - m)))


def ag_log_sigmoid(z):
    # log sigma(z) = -log(1 + e^-z) = -logaddexp(0, -z): finite for every finite z
    return -anp.logaddexp(0.0, -z)


def ag_sigmoid(x):
    return anp.exp(ag_log_sigmoid(x))


def ag_naive_loss(v_c, U, o):
    """J = -log softmax(U v_c)_o = log sum_w exp(u_w . v_c) - u_o . v_c."""
    s = anp.dot(U, v_c)
    return ag_logsumexp(s) - s[o]


def ag_neg_loss(v_c, U, o, negs):
    """J = -log sigma(u_o . v_c) - sum_k log sigma(-u_k . v_c), one term per draw."""
    J = -ag_log_sigmoid(anp.dot(U[o], v_c))
    for k in negs:
        J = J - ag_log_sigmoid(-anp.dot(U[k], v_c))
    return J


def ag_skipgram_loss(Vc, U, c, outs, pair_loss):
    J = 0.0
    for o in outs:
        J = J + pair_loss(Vc[c], U, o)
    return J


# --------------------------------------------------------------------------- strategies


def reals(mag):
    return st.floats(-mag, mag, allow_nan=False, allow_infinity=False, allow_subnormal=False)


@st.composite
def scenes(draw, mag, min_V=1, max_V=50, max_d=20):
    V = draw(st.integers(min_V, max_V))
    d = draw(st.integers(1, max_d))
    U = draw(hnp.arrays(np.float64, (V, d), elements=reals(mag)))
    v = draw(hnp.arrays(np.float64, (d,), elements=reals(mag)))
    o = draw(st.integers(0, V - 1))
    negs = draw(st.lists(st.integers(0, V - 1), min_size=1, max_size=12))
    if draw(st.booleans()):
        negs.append(o)
    return v, o, U, np.array(negs, dtype=np.int64)


MAGS = [1.0, 10.0, 1e3]


def rounding_floor(*arrays, score=1.0, terms=1):
    """The absolute tolerance: float64 rounding of a sum of ``terms`` terms the size of
    ``arrays``' largest entry, some of which may cancel (e.g. -u_o + sum_w y_hat_w u_w when
    y_hat_o ~ 1). ``score`` is |log Z| for the naive softmax: our y_hat = exp(s - log Z)
    carries a relative error of about |log Z| eps (autograd's e / sum(e) does not), so the
    cancellation floor grows with it. Measured worst cases are < 13x this formula's eps part;
    the factor 16 keeps the tolerance at rounding level."""
    size = max([1.0] + [float(np.max(np.abs(a))) for a in arrays if np.size(a)])
    return 16 * EPS * size * max(1.0, abs(score)) * terms


# --------------------------------------------------------------------------- sigmoid


@given(hnp.arrays(np.float64, st.integers(1, 40), elements=reals(1e3)))
@FAST
def test_sigmoid_and_grad_match_autograd(x):
    ref_s = np.asarray(ag_sigmoid(x))
    ref_g = elementwise_grad(ag_sigmoid)(x)
    assert np.all(np.isfinite(ref_g))
    np.testing.assert_allclose(sigmoid(x), ref_s, rtol=RTOL, atol=1e-300)
    np.testing.assert_allclose(sigmoid_grad(x), ref_g, rtol=RTOL, atol=1e-300)


@pytest.mark.parametrize("x", [-1e4, -1e3, -700.0, -40.0, -1.0, 0.0, 2.5, 40.0, 700.0, 1e3, 1e4])
def test_sigmoid_grad_matches_autograd_at_fixed_points(x):
    ref = float(grad(ag_sigmoid)(x))
    assert sigmoid_grad(x) == pytest.approx(ref, rel=RTOL, abs=1e-300)


# --------------------------------------------------------------------------- naive softmax


@pytest.mark.parametrize("mag", MAGS)
@given(data=st.data())
@FAST
def test_naive_softmax_matches_autograd(mag, data):
    v, o, U, _ = data.draw(scenes(mag))
    loss, gv, gU = naive_softmax_loss_and_gradient(v, o, U)
    ref_loss = float(ag_naive_loss(v, U, o))
    ref_gv = grad(ag_naive_loss, 0)(v, U, o)
    ref_gU = grad(ag_naive_loss, 1)(v, U, o)
    assert np.isfinite(ref_loss) and np.all(np.isfinite(ref_gv)) and np.all(np.isfinite(ref_gU))
    lse = float(ag_logsumexp(U @ v))
    assert loss == pytest.approx(ref_loss, rel=RTOL, abs=rounding_floor(score=lse))
    np.testing.assert_allclose(gv, ref_gv, rtol=RTOL, atol=rounding_floor(U, score=lse, terms=2))
    np.testing.assert_allclose(gU, ref_gU, rtol=RTOL, atol=rounding_floor(v, score=lse))


# --------------------------------------------------------------------------- negative sampling


@pytest.mark.parametrize("mag", MAGS)
@given(data=st.data())
@FAST
def test_neg_sampling_matches_autograd(mag, data):
    v, o, U, negs = data.draw(scenes(mag))
    loss, gv, gU = neg_sampling_loss_and_gradient(v, o, U, negs)
    ref_loss = float(ag_neg_loss(v, U, o, negs))
    ref_gv = grad(ag_neg_loss, 0)(v, U, o, negs)
    ref_gU = grad(ag_neg_loss, 1)(v, U, o, negs)
    assert np.isfinite(ref_loss) and np.all(np.isfinite(ref_gv)) and np.all(np.isfinite(ref_gU))
    top = float(np.max(np.abs(U[np.r_[o, negs]] @ v)))
    K = len(negs) + 1
    assert loss == pytest.approx(ref_loss, rel=RTOL, abs=rounding_floor(score=top, terms=K))
    np.testing.assert_allclose(gv, ref_gv, rtol=RTOL, atol=rounding_floor(U, terms=K))
    np.testing.assert_allclose(gU, ref_gU, rtol=RTOL, atol=rounding_floor(v, terms=K))


def test_neg_sampling_repeats_and_outside_among_negatives_match_autograd():
    rng = np.random.default_rng(11)
    U, v = rng.normal(size=(5, 3)) * 3, rng.normal(size=3) * 3
    for negs in ([2, 2, 2], [1, 1, 4], [3], [1], [0, 1, 2, 3, 4, 4]):
        _, gv, gU = neg_sampling_loss_and_gradient(v, 1, U, negs)
        np.testing.assert_allclose(gv, grad(ag_neg_loss, 0)(v, U, 1, negs), rtol=RTOL, atol=1e-13)
        np.testing.assert_allclose(gU, grad(ag_neg_loss, 1)(v, U, 1, negs), rtol=RTOL, atol=1e-13)


# --------------------------------------------------------------------------- skipgram


@st.composite
def windows(draw, mag, max_V=30, max_d=12):
    V = draw(st.integers(1, max_V))
    d = draw(st.integers(1, max_d))
    Vc = draw(hnp.arrays(np.float64, (V, d), elements=reals(mag)))
    U = draw(hnp.arrays(np.float64, (V, d), elements=reals(mag)))
    c = draw(st.integers(0, V - 1))
    outs = draw(st.lists(st.integers(0, V - 1), min_size=0, max_size=6))
    negs = draw(st.lists(st.integers(0, V - 1), min_size=1, max_size=6))
    return c, outs, Vc, U, np.array(negs, dtype=np.int64)


@pytest.mark.parametrize("kind", ["naive", "neg"])
@pytest.mark.parametrize("mag", [10.0, 1e3])
@given(data=st.data())
@FAST
def test_skipgram_matches_autograd(kind, mag, data):
    c, outs, Vc, U, negs = data.draw(windows(mag))
    scores = U @ Vc[c]
    if kind == "naive":
        fn = naive_softmax_loss_and_gradient
        pair = lambda v, X, o: ag_naive_loss(v, X, o)
        K = 2
        loss_score = grad_score = abs(float(ag_logsumexp(scores)))
    else:
        fn = functools.partial(neg_sampling_loss_and_gradient, negative_idxs=negs)
        pair = lambda v, X, o: ag_neg_loss(v, X, o, negs)
        K = len(negs) + 1
        loss_score, grad_score = float(np.max(np.abs(scores))), 1.0  # sigmoid coefficients: eps-accurate
    loss, gV, gU = skipgram(c, outs, Vc, U, fn)
    ref_loss = float(ag_skipgram_loss(Vc, U, c, outs, pair))
    ref_gV = grad(ag_skipgram_loss, 0)(Vc, U, c, outs, pair) if outs else np.zeros_like(Vc)
    ref_gU = grad(ag_skipgram_loss, 1)(Vc, U, c, outs, pair) if outs else np.zeros_like(U)
    terms = K * max(1, len(outs))
    assert loss == pytest.approx(ref_loss, rel=RTOL, abs=rounding_floor(score=loss_score, terms=terms))
    np.testing.assert_allclose(gV, ref_gV, rtol=RTOL, atol=rounding_floor(U, score=grad_score, terms=terms))
    np.testing.assert_allclose(gU, ref_gU, rtol=RTOL, atol=rounding_floor(Vc, score=grad_score, terms=terms))
