"""The answer sheet's claims under both readings of its v_w, and the references they are graded against."""

from __future__ import annotations

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad

from w2v_helpers import answer_sheet as sheet
from w2v_helpers import gradcheck, naive_softmax_loss_and_gradient, softmax
from w2v_helpers.checks import check_center_gradient, default_scene


def scene(seed=0, V=6, d=5):
    rng = np.random.default_rng(seed)
    return rng.normal(size=d), int(rng.integers(V)), rng.normal(size=(V, d)), rng.normal(size=(V, d))


@pytest.mark.parametrize("seed", range(5))
def test_outside_prob_center_gradient_matches_autograd_and_central_differences(seed):
    v, o, U, _ = scene(seed)

    def ag_prob(x):
        s = anp.dot(U, x)
        e = anp.exp(s - anp.max(s))
        return (e / anp.sum(e))[o]

    np.testing.assert_allclose(sheet.outside_prob_center_gradient(v, o, U), grad(ag_prob)(v), rtol=1e-9, atol=1e-14)
    res = gradcheck(lambda x: (float(softmax(U @ x)[o]), sheet.outside_prob_center_gradient(x, o, U)), v)
    assert res.passed, res.diagnosis


@pytest.mark.parametrize("seed", range(5))
def test_sheet_equation_1_lacks_the_factor_y_hat_o_under_both_readings(seed):
    v, o, U, Vc = scene(seed)
    y_hat = softmax(U @ v)
    true = sheet.outside_prob_center_gradient(v, o, U)
    outside = sheet.sheet_prob_center_gradient(v, o, U, reading="outside")
    np.testing.assert_allclose(outside, y_hat[o] * U[o] - y_hat @ U, rtol=1e-12)
    assert not np.allclose(outside, true)
    question = sheet.sheet_prob_center_gradient(v, o, U, Vc, reading="question")
    np.testing.assert_allclose(question, y_hat[o] * U[o] - y_hat @ Vc, rtol=1e-12)
    assert not np.allclose(question, true)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("reading", ["question", "outside"])
def test_the_final_line_does_not_follow_from_1_and_2(seed, reading):
    v, o, U, Vc = scene(seed)
    y_hat = softmax(U @ v)
    X = Vc if reading == "question" else U
    from_12 = sheet.sheet_center_gradient_from_1_and_2(v, o, U, Vc, reading=reading)
    np.testing.assert_allclose(from_12, -U[o] + (y_hat @ X) / y_hat[o], rtol=1e-12)
    final = (
        sheet.sheet_center_gradient(v, o, U, Vc)
        if reading == "question"
        else sheet.sheet_center_gradient_outside_reading(v, o, U)
    )
    assert not np.allclose(from_12, final)
    assert not check_center_gradient(
        lambda a, b, c: sheet.sheet_center_gradient_from_1_and_2(a, b, c, Vc, reading=reading),
        center_vec=v,
        outside_idx=o,
        outside_vectors=U,
    ).passed


def test_final_line_right_with_v_as_outside_vectors_wrong_with_v_as_center_vectors():
    assert check_center_gradient(sheet.sheet_center_gradient_outside_reading).passed
    res = check_center_gradient(sheet.sheet_center_gradient)
    assert not res.passed and "Σ_w ŷ_w v_w" in res.diagnosis
    v, o, U, _ = default_scene()
    np.testing.assert_allclose(
        sheet.sheet_center_gradient_outside_reading(v, o, U), naive_softmax_loss_and_gradient(v, o, U)[1], rtol=1e-12
    )


def test_readings_are_validated():
    v, o, U, Vc = scene()
    with pytest.raises(ValueError, match="reading"):
        sheet.sheet_prob_center_gradient(v, o, U, Vc, reading="center")
    with pytest.raises(ValueError, match="center_vectors"):
        sheet.sheet_prob_center_gradient(v, o, U)
    with pytest.raises(ValueError, match="center_vectors"):
        sheet.sheet_center_gradient_from_1_and_2(v, o, U, Vc[:, :2])


def test_sheet_window_outside_gradient_covers_only_the_window_words():
    rng = np.random.default_rng(3)
    V, d = 7, 4
    Vc, U = rng.normal(size=(V, d)), rng.normal(size=(V, d))
    sent = np.array([0, 1, 2, 3, 4, 2, 5])  # word 6 never occurs, word 2 twice
    t, m = 3, 2  # sheet window j = -2, -1, 1: words 1, 2, 4 (5 at +2 missing)
    g = sheet.sheet_window_outside_gradient(3, sent, t, m, Vc, U)
    y_hat = softmax(U @ Vc[3])
    covered = [w for w in range(V) if not np.isnan(g[w]).any()]
    assert covered == [1, 2, 4]
    for w in covered:
        np.testing.assert_allclose(g[w], -y_hat[w] * Vc[3], rtol=1e-12)
    # the true window gradient has no nan and differs on every covered row
    true = sum(naive_softmax_loss_and_gradient(Vc[3], int(sent[t + j]), U)[2] for j in (-2, -1, 1, 2))
    assert np.isfinite(true).all()
    assert not any(np.allclose(g[w], true[w]) for w in covered)
