"""CBOW (w2v_helpers.cbow, notebook 07): gradients against autograd and gradcheck, sum vs mean,
repeated context words, validation, and the checker against wrong answers.

The autograd reference writes the CBOW loss from the formula, without w2v_helpers.
"""

from __future__ import annotations

import functools

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from w2v_helpers import (
    cbow,
    gradcheck,
    naive_softmax_loss_and_gradient,
    neg_sampling_loss_and_gradient,
)
from w2v_helpers.cbow import cbow_context_vector
from w2v_helpers.checks_cbow_hs import cbow_scene, check_cbow

EPS = np.finfo(np.float64).eps
RTOL = 1e-7
FAST = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


def reals(mag):
    return st.floats(-mag, mag, allow_nan=False, allow_infinity=False, allow_subnormal=False)


@st.composite
def windows(draw, mag, max_V=25, max_d=10):
    V = draw(st.integers(1, max_V))
    d = draw(st.integers(1, max_d))
    Vc = draw(hnp.arrays(np.float64, (V, d), elements=reals(mag)))
    U = draw(hnp.arrays(np.float64, (V, d), elements=reals(mag)))
    c = draw(st.integers(0, V - 1))
    outs = draw(st.lists(st.integers(0, V - 1), min_size=1, max_size=8))
    if draw(st.booleans()):
        outs = outs + outs[:1]  # a context word in two positions
    if draw(st.booleans()):
        outs.append(c)  # the middle word also in its context
    negs = draw(st.lists(st.integers(0, V - 1), min_size=1, max_size=6))
    return c, np.array(outs), Vc, U, np.array(negs)


def ag_logsumexp(s):
    m = anp.max(s)
    return m + anp.log(anp.sum(anp.exp(s - m)))


def ag_cbow_loss(Vc, U, c, outs, kind, mean, negs):
    v_hat = Vc[outs[0]]
    for w in outs[1:]:
        v_hat = v_hat + Vc[w]
    if mean:
        v_hat = v_hat / len(outs)
    s = anp.dot(U, v_hat)
    if kind == "naive":
        return ag_logsumexp(s) - s[c]
    J = anp.logaddexp(0.0, -s[c])
    for k in negs:
        J = J + anp.logaddexp(0.0, s[k])
    return J


def floor(*arrays, score=1.0, terms=1):
    size = max([1.0] + [float(np.max(np.abs(a))) for a in arrays if np.size(a)])
    return 16 * EPS * size * max(1.0, abs(score)) * terms


@pytest.mark.parametrize("kind", ["naive", "neg"])
@pytest.mark.parametrize("mean", [False, True])
@pytest.mark.parametrize("mag", [1.0, 10.0, 1e3])
@given(data=st.data())
@FAST
def test_cbow_matches_autograd(kind, mean, mag, data):
    c, outs, Vc, U, negs = data.draw(windows(mag))
    fn = (
        naive_softmax_loss_and_gradient
        if kind == "naive"
        else functools.partial(neg_sampling_loss_and_gradient, negative_idxs=negs)
    )
    loss, gV, gU = cbow(c, outs, Vc, U, fn, mean=mean)
    args = (c, outs, kind, mean, negs)
    ref = float(ag_cbow_loss(Vc, U, *args))
    ref_gV = grad(ag_cbow_loss, 0)(Vc, U, *args)
    ref_gU = grad(ag_cbow_loss, 1)(Vc, U, *args)
    C = len(outs)
    v_hat = cbow_context_vector(outs, Vc, mean)
    scores = U @ v_hat
    score = float(ag_logsumexp(scores)) if kind == "naive" else float(np.max(np.abs(scores)))
    K = 2 if kind == "naive" else len(negs) + 1
    assert loss == pytest.approx(ref, rel=RTOL, abs=floor(score=score, terms=K * C))
    gscore = score if kind == "naive" else 1.0
    np.testing.assert_allclose(gV, ref_gV, rtol=RTOL, atol=floor(U, score=gscore, terms=K * C))
    np.testing.assert_allclose(gU, ref_gU, rtol=RTOL, atol=floor(Vc, score=gscore, terms=K * C))


@pytest.mark.parametrize("mean", [False, True])
@given(windows(3.0, max_V=8, max_d=4))
@settings(FAST, max_examples=25)
def test_cbow_gradients_pass_gradcheck(mean, scene):
    c, outs, Vc, U, _ = scene
    r1 = gradcheck(lambda X: cbow(c, outs, X, U, mean=mean)[:2], Vc)
    r2 = gradcheck(lambda X: cbow(c, outs, Vc, X, mean=mean)[::2], U)
    assert r1.passed or r1.kind == "vacuous", r1
    assert r2.passed or r2.kind == "vacuous", r2


def test_every_context_position_gets_the_same_gradient_and_repeats_count_twice():
    c, outs, Vc, U = cbow_scene()  # context 2, 5, 2, 3
    for mean in (False, True):
        v_hat = cbow_context_vector(outs, Vc, mean)
        _, g_hat, gU_pair = naive_softmax_loss_and_gradient(v_hat, c, U)
        _, gV, gU = cbow(c, outs, Vc, U, mean=mean)
        per = g_hat / 4 if mean else g_hat
        np.testing.assert_allclose(gV[5], per, rtol=1e-14)
        np.testing.assert_allclose(gV[3], per, rtol=1e-14)
        np.testing.assert_allclose(gV[2], 2 * per, rtol=1e-14)
        assert not np.any(gV[[0, 1, 4, 6]])  # the middle word's v_c is not used
        np.testing.assert_allclose(gU, gU_pair, rtol=1e-14)


def test_mean_is_sum_over_C():
    c, outs, Vc, U = cbow_scene()
    np.testing.assert_allclose(cbow_context_vector(outs, Vc, True), cbow_context_vector(outs, Vc) / 4)
    np.testing.assert_allclose(cbow_context_vector(outs, Vc), Vc[2] * 2 + Vc[5] + Vc[3])


def test_loss_is_the_pair_loss_of_v_hat_predicting_the_middle_word():
    c, outs, Vc, U = cbow_scene()
    v_hat = Vc[outs].mean(axis=0)
    assert cbow(c, outs, Vc, U, mean=True)[0] == pytest.approx(
        naive_softmax_loss_and_gradient(v_hat, c, U)[0], rel=1e-14
    )


def test_single_context_word_cbow_equals_the_pair_loss_and_mean_changes_nothing():
    c, _, Vc, U = cbow_scene()
    a = cbow(c, [4], Vc, U, mean=False)
    b = cbow(c, [4], Vc, U, mean=True)
    assert a[0] == b[0]
    np.testing.assert_allclose(a[1], b[1])


def test_scores_in_the_thousands_no_warning():
    import warnings

    c, outs, Vc, U = cbow_scene()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise", under="ignore"):
            loss, gV, gU = cbow(c, outs, Vc * 1e4, U * 1e4)
            negs = functools.partial(neg_sampling_loss_and_gradient, negative_idxs=[1, 1, 4])
            loss2, gV2, gU2 = cbow(c, outs, Vc * 1e4, U * 1e4, negs, mean=True)
    assert all(np.all(np.isfinite(x)) for x in (loss, gV, gU, loss2, gV2, gU2))


def test_does_not_modify_inputs_and_accepts_lists():
    c, outs, Vc, U = cbow_scene()
    Vc0, U0 = Vc.copy(), U.copy()
    loss, gV, gU = cbow(np.int64(c), outs.tolist(), Vc.tolist(), U.tolist(), mean=True)
    assert np.array_equal(Vc, Vc0) and np.array_equal(U, U0)
    assert gV.shape == Vc.shape and gU.shape == U.shape and isinstance(loss, float)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(outside_idxs=[]), "outside_idxs must hold at least one index"),
        (dict(outside_idxs=[1, 7]), r"outside_idxs must hold indices in range 0\.\.6"),
        (dict(outside_idxs=[1.0]), "integer word indices"),
        (dict(center_idx=9), "center_idx must be in range"),
        (dict(center_vectors=np.zeros((7, 4))), "same shape"),
        (dict(mean=1), "mean must be True or False"),
        (dict(loss_and_gradient=3), "loss_and_gradient must be callable"),
        (dict(loss_and_gradient=lambda v, o, U: (1.0, v)), "must return a triple"),
        (dict(loss_and_gradient=lambda v, o, U: (1.0, v[:1], U)), "gradients of shapes"),
    ],
)
def test_cbow_validation(kwargs, match):
    c, outs, Vc, U = cbow_scene()
    args = dict(center_idx=c, outside_idxs=outs, center_vectors=Vc, outside_vectors=U)
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        cbow(**args)


# --------------------------------------------------------------------------- checker and wrong answers


def make_cbow(kind):
    def f(
        center_idx,
        outside_idxs,
        center_vectors,
        outside_vectors,
        loss_and_gradient=naive_softmax_loss_and_gradient,
        mean=False,
    ):
        loss, gV, gU = cbow(center_idx, outside_idxs, center_vectors, outside_vectors, loss_and_gradient, mean)
        n = np.bincount(outside_idxs, minlength=len(center_vectors))
        C = len(outside_idxs)
        if kind == "forget_mean":
            gV = gV * C if mean else gV
        if kind == "extra_mean":
            gV = gV / C
        if kind == "once":
            gV = gV / np.maximum(n, 1)[:, None]
        if kind == "sum_loss":
            loss = cbow(center_idx, outside_idxs, center_vectors, outside_vectors, loss_and_gradient, not mean)[0]
        if kind == "skipgram_row":
            g = np.zeros_like(gV)
            g[center_idx] = gV.sum(axis=0)
            gV = g
        if kind == "zeros":
            gV = np.zeros_like(gV)
        if kind == "sign":
            gV = -gV
        if kind == "wrong_loss":
            loss = loss + 1.0
        if kind == "consistent_wrong":  # loss and gradients of 2 J
            loss, gV, gU = 2 * loss, 2 * gV, 2 * gU
        if kind == "missing_word":  # one context word's row left out
            gV = gV.copy()
            gV[int(outside_idxs[1])] = 0.0
        return loss, gV, gU

    return f


def test_checker_accepts_the_right_answer_sum_and_mean():
    assert check_cbow(cbow).passed
    assert check_cbow(cbow, mean=False).passed
    negs = functools.partial(neg_sampling_loss_and_gradient, negative_idxs=[1, 1, 6])
    assert check_cbow(cbow, loss_and_gradient=negs).passed


@pytest.mark.parametrize(
    "kind, mean, part, words",
    [
        ("forget_mean", True, "∂J/∂(center vectors)", ["1/C of the mean is forgotten"]),
        ("extra_mean", True, "∂J/∂(center vectors)", ["1/C applied twice"]),
        ("extra_mean", False, "∂J/∂(center vectors)", ["divided by C"]),
        ("once", True, "∂J/∂(center vectors)", ["1/2×", "fills 2 positions"]),
        ("sum_loss", True, "J", ["loss of the summed context vector"]),
        ("sum_loss", False, "J", ["loss of the averaged context vector"]),
        ("skipgram_row", True, "∂J/∂(center vectors)", ["the middle word c, gets a gradient"]),
        ("zeros", True, "∂J/∂(center vectors)", ["identically zero"]),
        ("sign", True, "∂J/∂(center vectors)", ["Sign error"]),
        ("wrong_loss", True, "J", ["true loss is"]),
        ("consistent_wrong", True, "J", ["true loss is"]),
        ("missing_word", True, "∂J/∂(center vectors)", ["rows 5 are zero but should not be"]),
    ],
)
def test_checker_names_the_slip(kind, mean, part, words):
    rep = check_cbow(make_cbow(kind), mean=mean)
    assert not rep.passed and not rep[part].passed
    for word in words:
        assert word in rep[part].diagnosis, rep[part].diagnosis


def test_checker_forgotten_mean_passes_only_when_sum_is_asked():
    assert check_cbow(make_cbow("forget_mean"), mean=False).passed  # nothing to forget


def test_checker_calls_a_function_without_optional_parameters():
    def my_cbow(center_idx, outside_idxs, center_vectors, outside_vectors):
        return cbow(center_idx, outside_idxs, center_vectors, outside_vectors, mean=True)

    assert check_cbow(my_cbow).passed
    assert not check_cbow(my_cbow, mean=False).passed


def test_checker_validation():
    with pytest.raises(ValueError, match="fn must be a function"):
        check_cbow("cbow")
    with pytest.raises(ValueError, match="mean must be True or False"):
        check_cbow(cbow, mean="yes")
    with pytest.raises(ValueError, match="triple"):
        check_cbow(lambda *a, **k: 1.0)


# --------------------------------------------------------------------------- the explorer (notebook 07)

from w2v_helpers.widgets import cbow as cw  # noqa: E402


def test_explorer_state_matches_cbow():
    scene = cw.cbow_scene()
    st = cw.cbow_state((0, cw.EMPTY, 3, 0), 1, True, scene)
    assert st["outs"].tolist() == [0, 3, 0] and st["C"] == 3 and st["n"][0] == 2
    loss, gV, gU = cbow(1, [0, 3, 0], scene.center_vectors, scene.outside_vectors, mean=True)
    assert st["loss"] == loss
    np.testing.assert_array_equal(st["grad_center_vectors"], gV)
    np.testing.assert_array_equal(st["grad_outside_vectors"], gU)
    np.testing.assert_allclose(st["v_hat"], scene.center_vectors[[0, 3, 0]].mean(axis=0))
    np.testing.assert_allclose(gV[3], st["per_position"], rtol=1e-14)
    np.testing.assert_allclose(gV[0], 2 * st["per_position"], rtol=1e-14)
    np.testing.assert_allclose(st["per_position"] * 3, st["grad_v_hat"], rtol=1e-14)
    assert st["y_hat"].sum() == pytest.approx(1.0)


def test_explorer_sum_and_empty_context():
    st = cw.cbow_state((2, 2, cw.EMPTY, cw.EMPTY), 0, False)
    np.testing.assert_allclose(st["per_position"], st["grad_v_hat"])
    empty = cw.cbow_state((cw.EMPTY,) * 4, 0, True)
    assert empty["empty"] and not np.any(empty["grad_center_vectors"])


def test_explorer_renders_every_control():
    e = cw.cbow_explorer()
    assert set(cw.EXPLORERS) == {"cbow"}
    for kw in (
        dict(ctx0=cw.EMPTY),
        dict(ctx1=5, ctx2=5),
        dict(center=6),
        dict(mean=False),
        dict(ctx0=cw.EMPTY, ctx1=cw.EMPTY, ctx2=cw.EMPTY, ctx3=cw.EMPTY),
    ):
        assert e.render(**kw)[:8] == b"\x89PNG\r\n\x1a\n"
    e.render(ctx0=2, ctx1=2)
    assert "repeated: sat ×2" in e.readout_view.value


def test_input_vector_updates_counts():
    from w2v_helpers.cbow import input_vector_updates

    sents = [[0, 1, 2, 1], [3]]
    up = input_vector_updates(sents, 1, 5)
    # skip-gram: center 0 -> [1]; 1 -> [0, 2]; 2 -> [1, 1]; 1 -> [2]; 3 alone: no pair
    assert up["skipgram_terms"].tolist() == [1, 3, 2, 0, 0]
    # CBOW windows: t=0 [1]; t=1 [0,2]; t=2 [1,1]; t=3 [2]
    assert up["cbow_windows"].tolist() == [1, 2, 2, 0, 0]
    np.testing.assert_allclose(up["cbow_share"], [0.5, 1 + 1.0, 0.5 + 1, 0, 0])
    assert up["count"].tolist() == [1, 2, 1, 1, 0]
    # every CBOW window hands out exactly one full dJ/dv_hat in total
    assert up["cbow_share"].sum() == pytest.approx(4)
    with pytest.raises(ValueError, match="sentences_idxs\\[0\\]"):
        input_vector_updates([[0, 9]], 1, 5)
