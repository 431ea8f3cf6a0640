"""Regression tests for bugs found while testing the math core (each failed before its fix)."""

import numpy as np
import pytest
from scipy import special

import w2v_helpers as w
from w2v_helpers import answer_sheet as sheet
from w2v_helpers import gradcheck
from w2v_helpers.checks import (
    check_center_gradient,
    check_neg_sampling_center_gradient,
    check_neg_sampling_gradients,
    check_skipgram,
)


def test_neg_center_checker_names_a_missing_term():
    # the named terms sigma(-u_o.v_c) u_o and sigma(u_o.v_c) u_o are both multiples of u_o: rank-deficient
    def missing_o(v, o, U, negs):
        return special.expit(U[negs] @ v) @ U[negs]

    res = check_neg_sampling_center_gradient(missing_o)
    assert res.kind == "terms" and "missing the term −σ(−u_oᵀv_c) u_o" in res.diagnosis


def test_check_neg_sampling_gradients_with_zero_true_loss():
    U = np.array([[1000.0, 0.0], [-1000.0, 0.0], [-1000.0, 0.0]])
    v = np.array([1.0, 0.0])

    def wrong_loss(v, o, U, negs):
        loss, a, b = w.neg_sampling_loss_and_gradient(v, o, U, negs)
        return loss + 1.0, a, b

    rep = check_neg_sampling_gradients(
        wrong_loss, center_vec=v, outside_idx=0, outside_vectors=U, negative_idxs=[1, 2]
    )  # raised ZeroDivisionError
    assert not rep["J"].passed


def test_check_skipgram_names_plus_m_when_a_word_repeats_in_the_window():
    rep = check_skipgram(sheet.sheet_skipgram, sentence_idxs=[1, 2, 3, 2, 5, 0], t=2, m=2)
    assert "j = +2 is left out" in rep.diagnosis


def test_naive_softmax_gradient_exact_for_a_tie():
    # two identical rows, o = 0: y_hat = (1/2, 1/2) exactly, dJ/dv_c = -u_0 + (u_0 + u_1)/2 = 0
    _, gv, _ = w.naive_softmax_loss_and_gradient([725.0], 0, [[181.0], [181.0]])
    assert gv[0] == 0.0  # was -2.3e-9: y_hat = exp(s - log Z) lost |log Z|*eps


@pytest.mark.parametrize(
    "call,arg",
    [
        (lambda: check_center_gradient(3), "grad_fn"),
        (lambda: check_center_gradient(sheet.sheet_center_gradient, center_vec=[1.0, 2.0]), "center_vec"),
        (lambda: check_center_gradient(sheet.sheet_center_gradient, center_vectors=np.zeros((2, 2))), "center_vectors"),
        (lambda: check_skipgram(sheet.sheet_skipgram, center_vectors=np.zeros((3, 5))), "center_vectors"),
        (lambda: check_skipgram(sheet.sheet_skipgram, sentence_idxs=[]), "sentence_idxs"),
        (lambda: check_skipgram(sheet.sheet_skipgram, sentence_idxs="abc"), "sentence_idxs"),
        (lambda: check_skipgram(3), "fn"),
        (lambda: w.neg_sampling_loss_and_gradient(np.ones(3), 0, np.ones((4, 3)), [[1], [1, 2]]), "negative_idxs"),
        (lambda: w.skipgram(0, [1], np.ones((4, 3)), np.ones((4, 3)), lambda a, b, c: (0.0, a)), "loss_and_gradient"),
        (
            lambda: gradcheck(
                lambda x: (x @ x, 2 * x + np.array([1.0, 0, 0])), np.array([1.0, 2.0, 3.0]), terms={"a": np.ones(7)}
            ),
            "terms",
        ),
        (
            lambda: gradcheck(
                lambda x: (x @ x, 2 * x + np.array([1.0, 0, 0])),
                np.array([1.0, 2.0, 3.0]),
                terms={"a": np.full(3, np.nan)},
            ),
            "terms",
        ),
        (lambda: sheet.sheet_skipgram(0, [0, 1, 2], 1, 1, np.ones((2, 3)), np.ones((4, 3))), "center_vectors"),
        (lambda: w.sigmoid(True), "x"),
        (lambda: w.noise_distribution([True, False]), "counts"),
        (lambda: gradcheck(lambda x: (x @ x, 2 * x), np.ones(2), h=True), "h"),
    ],
)
def test_missing_validation(call, arg):
    with pytest.raises(ValueError, match=arg):
        call()


def test_gradcheck_accepts_numpy_float_h():
    # was: ValueError "h must be a positive finite number, got np.float32(1e-06)"
    assert gradcheck(lambda x: (float(x @ x), 2 * x), np.ones(2), h=np.float32(1e-6)).passed


def test_neg_sampling_loss_is_not_negative_zero():
    U = np.array([[1000.0, 0.0], [-1000.0, 0.0]])
    loss = w.neg_sampling_loss_and_gradient([1.0, 0.0], 0, U, [1])[0]
    assert np.copysign(1.0, loss) == 1.0  # was -0.0


def test_gradcheck_noise_floor_covers_cancellation_in_the_loss():
    """Found by hypothesis in CI: a loss of ~1e-9 computed as log Z - u_o.v_c with log Z ~ 126
    carries ~eps*126 rounding, so the numerical gradient of the nearly-zero rows is noise at the
    1e-9 level; the noise floor must not call a correct gradient wrong there."""
    center = np.full((10, 6), 3.0)
    outside = np.full((10, 6), 7.0)
    outside[1:3, 0] = 0.0
    res = gradcheck(lambda X: w.skipgram(0, [0], center, X)[::2], outside)
    assert res.passed, repr(res)


def test_gradcheck_on_a_transposed_view():
    # a non-C-contiguous x (e.g. U.T) once gave a numerical gradient of garbage: the flat view was a copy
    import numpy as np

    from w2v_helpers import gradcheck

    M = np.random.default_rng(0).normal(size=(4, 3))
    x = M.T  # (3, 4), F-contiguous
    result = gradcheck(lambda z: (float(np.sum(z**2)), 2 * z), x)
    assert result.passed
    np.testing.assert_allclose(result.numerical, 2 * x, rtol=1e-6)
    assert not gradcheck(lambda z: (float(np.sum(z**2)), z), x).passed
