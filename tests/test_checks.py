"""The answer sheet's claims, implemented literally, each get a specific and correct
diagnosis from the part-by-part checkers -- and the correct functions pass every checker."""

from __future__ import annotations

import functools

import numpy as np
import pytest
from scipy import special

import w2v_helpers as w
from w2v_helpers import answer_sheet as sheet
from w2v_helpers import checks
from w2v_helpers.checks import (
    Report,
    check_center_gradient,
    check_loss_and_gradient,
    check_neg_sampling_center_gradient,
    check_neg_sampling_gradients,
    check_neg_sampling_outside_gradient,
    check_outside_gradient,
    check_sigmoid_grad,
    check_skipgram,
    default_scene,
)
from w2v_helpers.gradcheck import GradcheckResult

# --------------------------------------------------------------------------- correct candidates


def good_center(v, o, U):
    return w.naive_softmax_loss_and_gradient(v, o, U)[1]


def good_center_4(v, o, U, Vc):  # the four-argument form a sheet formula may use
    return w.naive_softmax_loss_and_gradient(v, o, U)[1]


def good_outside(v, o, U):
    return w.naive_softmax_loss_and_gradient(v, o, U)[2]


def good_neg_center(v, o, U, negs):
    return w.neg_sampling_loss_and_gradient(v, o, U, negs)[1]


def good_neg_outside(v, o, U, negs):
    return w.neg_sampling_loss_and_gradient(v, o, U, negs)[2]


def good_skipgram(c, sent, t, m, Vc, U, loss_and_gradient=w.naive_softmax_loss_and_gradient):
    return w.skipgram(c, w.context_window(sent, t, m), Vc, U, loss_and_gradient)


def random_scene(seed, V=7, d=6):
    rng = np.random.default_rng(seed)
    return dict(
        center_vec=rng.normal(size=d), outside_idx=int(rng.integers(V)), outside_vectors=rng.normal(size=(V, d))
    )


SEEDS = [11, 12, 13]


# --------------------------------------------------------------------------- (a) sigmoid'


def test_sheet_sigmoid_grad_is_mathematically_right_at_moderate_x():
    x = np.linspace(-20, 20, 81)
    np.testing.assert_allclose(sheet.sheet_sigmoid_grad(x), special.expit(x) * special.expit(-x), rtol=1e-12)
    assert type(sheet.sheet_sigmoid_grad(0.0)) is float and sheet.sheet_sigmoid_grad(0.0) == 0.25


def test_sheet_sigmoid_grad_overflows_at_minus_1000():
    with pytest.warns(RuntimeWarning) as record:
        out = sheet.sheet_sigmoid_grad(np.array([-1000.0, 0.0]))
    assert any("overflow" in str(r.message) for r in record)
    assert np.isnan(out[0]) and out[1] == 0.25


def test_check_sigmoid_grad_on_the_sheet_passes_but_reports_the_nan():
    res = check_sigmoid_grad(sheet.sheet_sigmoid_grad)
    assert res.passed and res.kind == "ok"  # the formula is right where it is finite
    assert "not numerically stable" in res.diagnosis
    assert "x = -1000" in res.diagnosis and "nan" in res.diagnosis
    assert "-50" not in res.diagnosis and "1000 " not in res.diagnosis.replace("-1000", "")  # only -1000 fails


def test_check_sigmoid_grad_on_the_real_one_is_clean():
    res = check_sigmoid_grad(w.sigmoid_grad)
    assert res.passed and res.kind == "ok"
    assert "stable" not in res.diagnosis
    res = check_sigmoid_grad(w.sigmoid_grad, x=[-3.0, 0.5, 2.0])
    assert res.passed and res.numerical.shape == (3,)


def test_check_sigmoid_grad_catches_the_classic_slips():
    res = check_sigmoid_grad(lambda x: w.sigmoid(x) * (1 + w.sigmoid(x)))
    assert not res.passed
    res = check_sigmoid_grad(lambda x: -w.sigmoid_grad(x))
    assert res.kind == "sign"
    res = check_sigmoid_grad(lambda x: np.exp(-x) / (1 + np.exp(-x)) ** 2)  # right, but overflows at -1000
    assert res.passed and "x = -1000" in res.diagnosis


# --------------------------------------------------------------------------- (b) dJ/dv_c


def test_sheet_center_gradient_is_the_expectation_over_center_vectors():
    v, o, U, Vc = default_scene()
    yh = special.softmax(U @ v)
    np.testing.assert_allclose(sheet.sheet_center_gradient(v, o, U, Vc), -U[o] + yh @ Vc, rtol=1e-12)


def test_check_center_gradient_on_the_sheet_names_the_swapped_term():
    res = check_center_gradient(sheet.sheet_center_gradient)
    assert not res.passed and res.kind == "terms"
    assert "it uses Σ_w ŷ_w v_w where Σ_w ŷ_w u_w belongs" in res.diagnosis
    assert "Analytic gradient = −u_o + Σ_w ŷ_w v_w" in res.diagnosis
    assert "true gradient = −u_o + Σ_w ŷ_w u_w" in res.diagnosis


@pytest.mark.parametrize("seed", SEEDS)
def test_check_center_gradient_on_the_sheet_random_scenes(seed):
    scene = random_scene(seed)
    Vc = np.random.default_rng(seed + 100).normal(size=scene["outside_vectors"].shape)
    res = check_center_gradient(sheet.sheet_center_gradient, center_vectors=Vc, **scene)
    assert res.kind == "terms" and "Σ_w ŷ_w v_w where Σ_w ŷ_w u_w belongs" in res.diagnosis


def test_check_center_gradient_other_slips():
    res = check_center_gradient(lambda v, o, U: w.softmax(U @ v) @ U)  # forgot -u_o
    assert res.kind == "terms" and "missing the term −u_o" in res.diagnosis
    res = check_center_gradient(lambda v, o, U: U[o] - w.softmax(U @ v) @ U)  # sign
    assert res.kind == "sign"


# --------------------------------------------------------------------------- (c) dJ/du_w


def test_sheet_outside_gradient_has_every_row_equal():
    v, o, U, _ = default_scene()
    g = sheet.sheet_outside_gradient(v, o, U)
    yh = special.softmax(U @ v)
    np.testing.assert_allclose(g, np.tile(-yh[o] * v, (U.shape[0], 1)), rtol=1e-12)


def test_check_outside_gradient_on_the_sheet_says_same_rows_and_names_terms():
    res = check_outside_gradient(sheet.sheet_outside_gradient)
    assert not res.passed and res.kind == "terms"
    assert res.diagnosis.startswith("Every row of the analytic gradient is the same vector")
    assert "·v_c)" in res.diagnosis  # the repeated row is named as a multiple of v_c
    assert "∂J/∂u_w = (ŷ_w − y_w) v_c" in res.diagnosis
    assert "missing the term ŷ_w v_c (row w)" in res.diagnosis
    assert "missing the term −y_w v_c (row w)" in res.diagnosis
    assert "extra term −ŷ_o v_c (in every row)" in res.diagnosis
    assert res.wrong == tuple(range(6))
    # the multiple of v_c printed is -y_hat_o
    v, o, U, _ = default_scene()
    assert f"{-special.softmax(U @ v)[o]:.3g}·v_c".replace("-", "−") in res.diagnosis


@pytest.mark.parametrize("seed", SEEDS)
def test_check_outside_gradient_on_the_sheet_random_scenes(seed):
    res = check_outside_gradient(sheet.sheet_outside_gradient, **random_scene(seed))
    assert res.kind == "terms"
    assert "same vector" in res.diagnosis and "missing the term ŷ_w v_c (row w)" in res.diagnosis


def test_check_outside_gradient_transposed_slip():
    res = check_outside_gradient(lambda v, o, U: good_outside(v, o, U).T)
    assert res.kind == "transposed"


# --------------------------------------------------------------------------- (d) negative sampling


def test_sheet_neg_sampling_center_gradient_is_right():
    v, o, U, _ = default_scene()
    negs = [2, 4, 4, 5, 3]
    np.testing.assert_allclose(
        sheet.sheet_neg_sampling_center_gradient(v, o, U, negs),
        w.neg_sampling_loss_and_gradient(v, o, U, negs)[1],
        rtol=1e-12,
    )
    res = check_neg_sampling_center_gradient(sheet.sheet_neg_sampling_center_gradient)
    assert res.passed and res.kind == "ok"


@pytest.mark.parametrize("seed", SEEDS)
def test_sheet_neg_sampling_center_gradient_passes_random_scenes(seed):
    scene = random_scene(seed)
    negs = np.random.default_rng(seed).integers(0, 7, size=6)
    res = check_neg_sampling_center_gradient(sheet.sheet_neg_sampling_center_gradient, negative_idxs=negs, **scene)
    assert res.passed, repr(res)


def test_check_neg_sampling_center_gradient_fails_slips():
    def flipped(v, o, U, negs):  # sigma(u_o.v_c) where sigma(-u_o.v_c) belongs
        s_o = U[o] @ v
        return -special.expit(s_o) * U[o] + special.expit(U[negs] @ v) @ U[negs]

    def negatives_counted_once(v, o, U, negs):
        k = np.unique(negs)
        return -special.expit(-(U[o] @ v)) * U[o] + special.expit(U[k] @ v) @ U[k]

    for slip in (flipped, negatives_counted_once):
        assert not check_neg_sampling_center_gradient(slip).passed
    assert check_neg_sampling_center_gradient(lambda *a: -good_neg_center(*a)).kind == "sign"


def test_check_neg_sampling_outside_gradient_on_the_sheet_names_rows_and_missing_v_c():
    res = check_neg_sampling_outside_gradient(sheet.sheet_neg_sampling_outside_gradient)
    assert not res.passed and res.kind == "rows"
    # the default scene: o = 1, negatives (2, 4, 4, 5, 3): exactly the negatives' rows are wrong
    assert res.wrong == (2, 3, 4, 5)
    assert "rows 2, 3, 4, 5 of 6 disagree" in res.diagnosis
    assert "vector factor is missing" in res.diagnosis
    assert "misses the same elementwise factor v_c" in res.diagnosis


def test_sheet_neg_sampling_outside_gradient_counts_repeats():
    # the sheet's slip is only the missing v_c: a row drawn twice gets twice the scalar
    v, o, U, _ = default_scene()
    g = sheet.sheet_neg_sampling_outside_gradient(v, o, U, [4, 4])
    np.testing.assert_allclose(g[4], np.full(U.shape[1], 2 * special.expit(U[4] @ v)), rtol=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
def test_check_neg_sampling_outside_gradient_on_the_sheet_random_scenes(seed):
    scene = random_scene(seed)
    o = scene["outside_idx"]
    negs = np.array([w_ for w_ in np.random.default_rng(seed).integers(0, 7, size=5) if w_ != o] or [(o + 1) % 7])
    res = check_neg_sampling_outside_gradient(sheet.sheet_neg_sampling_outside_gradient, negative_idxs=negs, **scene)
    assert res.kind == "rows"
    assert res.wrong == tuple(sorted(set(negs.tolist())))
    assert "misses the same elementwise factor v_c" in res.diagnosis or len(set(negs.tolist())) == 1
    assert "vector factor is missing" in res.diagnosis


def test_neg_sampling_repeat_counted_once_is_diagnosed_via_the_checker():
    def once(v, o, U, negs):
        out = np.zeros_like(U)
        out[o] = -special.expit(-(U[o] @ v)) * v
        for k in set(np.asarray(negs).tolist()):
            out[k] += special.expit(U[k] @ v) * v
        return out

    res = check_neg_sampling_outside_gradient(once)  # the default negatives draw 4 twice
    assert res.kind == "rows" and res.wrong == (4,)
    assert "4 (1/2×)" in res.diagnosis and "once per occurrence" in res.diagnosis


# --------------------------------------------------------------------------- (e) skip-gram


def test_sheet_window_offsets_misses_plus_m():
    for m in range(1, 6):
        assert sheet.sheet_window_offsets(m) == [j for j in w.window_offsets(m) if j != m]
        assert m not in sheet.sheet_window_offsets(m) and -m in sheet.sheet_window_offsets(m)


def test_sheet_skipgram_loss_is_the_true_window_loss_and_gradient_misses_plus_m():
    rng = np.random.default_rng(5)
    Vc, U = rng.normal(size=(8, 4)), rng.normal(size=(8, 4))
    sent, t, m = np.arange(8), 3, 2
    loss, gV, gU = sheet.sheet_skipgram(3, sent, t, m, Vc, U)
    true_loss, true_gV, true_gU = w.skipgram(3, w.context_window(sent, t, m), Vc, U)
    assert loss == pytest.approx(true_loss, rel=1e-13)
    missing = w.naive_softmax_loss_and_gradient(Vc[3], int(sent[t + m]), U)
    np.testing.assert_allclose(gV[3] + missing[1], true_gV[3], rtol=1e-12)
    np.testing.assert_allclose(gU + missing[2], true_gU, rtol=1e-12, atol=1e-15)


def test_check_skipgram_on_the_sheet_says_plus_m_is_missing():
    rep = check_skipgram(sheet.sheet_skipgram)
    assert isinstance(rep, Report) and not rep.passed
    for name in ("∂J/∂(center vectors)", "∂J/∂U"):
        r = rep[name]
        assert not r.passed and r.kind == "terms"
        assert "missing the term ∂J(v_c, w_{t+2})" in r.diagnosis
        assert "The window position j = +2 is left out of the sum" in r.diagnosis
        assert "−m ≤ j ≤ m, j ≠ 0 (here -2, -1, 1, 2)" in r.diagnosis
    assert "j = +2 is left out" in rep.diagnosis and "FAILED" in repr(rep)


@pytest.mark.parametrize("m", [1, 2, 3])
def test_check_skipgram_on_the_sheet_other_windows(m):
    rng = np.random.default_rng(m)
    sent = rng.permutation(10)  # all different words, so every position is its own term
    rep = check_skipgram(sheet.sheet_skipgram, sentence_idxs=sent, t=4, m=m)
    assert not rep.passed
    assert f"j = +{m} is left out" in rep.diagnosis


def test_check_skipgram_at_the_right_edge_the_sheet_is_right():
    # when t + m is past the end of the sentence, the clipped window has no j = +m to miss
    rep = check_skipgram(sheet.sheet_skipgram, sentence_idxs=np.arange(8), t=7, m=2)
    assert rep.passed


def test_check_skipgram_names_a_missing_minus_m():
    def no_minus_m(c, sent, t, m, Vc, U, loss_and_gradient):
        outs = [sent[t + j] for j in w.window_offsets(m) if j != -m and 0 <= t + j < len(sent)]
        _, gV, gU = w.skipgram(c, outs, Vc, U, loss_and_gradient)
        return good_skipgram(c, sent, t, m, Vc, U, loss_and_gradient)[0], gV, gU

    rep = check_skipgram(no_minus_m)
    assert "j = -2 is left out" in rep.diagnosis and "j = +2 is left out" not in rep.diagnosis
    assert "missing the term ∂J(v_c, w_{t-2})" in rep.diagnosis


def test_check_skipgram_with_neg_sampling_loss():
    fn = functools.partial(w.neg_sampling_loss_and_gradient, negative_idxs=[0, 5, 5])
    assert check_skipgram(good_skipgram, loss_and_gradient=fn).passed
    rep = check_skipgram(sheet.sheet_skipgram, loss_and_gradient=fn)
    assert not rep.passed and "j = +2 is left out" in rep.diagnosis


# --------------------------------------------------------------------------- correct functions pass


def test_correct_functions_pass_every_checker_on_the_default_scene():
    assert check_sigmoid_grad(w.sigmoid_grad).passed
    assert check_center_gradient(good_center).passed
    assert check_center_gradient(good_center_4).passed
    assert check_outside_gradient(good_outside).passed
    assert check_neg_sampling_center_gradient(good_neg_center).passed
    assert check_neg_sampling_outside_gradient(good_neg_outside).passed
    assert check_loss_and_gradient(w.naive_softmax_loss_and_gradient).passed
    assert check_loss_and_gradient(w.neg_sampling_loss_and_gradient, negative_idxs=[2, 2, 0]).passed
    assert check_neg_sampling_gradients(w.neg_sampling_loss_and_gradient).passed
    assert check_skipgram(good_skipgram).passed


@pytest.mark.parametrize("seed", SEEDS)
def test_correct_functions_pass_every_checker_on_random_scenes(seed):
    scene = random_scene(seed)
    rng = np.random.default_rng(seed + 1)
    negs = rng.integers(0, 7, size=5)
    Vc = rng.normal(size=scene["outside_vectors"].shape)
    assert check_sigmoid_grad(w.sigmoid_grad, x=rng.uniform(-8, 8, size=9)).passed
    assert check_center_gradient(good_center, **scene).passed
    assert check_center_gradient(good_center_4, center_vectors=Vc, **scene).passed
    assert check_outside_gradient(good_outside, **scene).passed
    assert check_neg_sampling_center_gradient(good_neg_center, negative_idxs=negs, **scene).passed
    assert check_neg_sampling_outside_gradient(good_neg_outside, negative_idxs=negs, **scene).passed
    assert check_loss_and_gradient(w.naive_softmax_loss_and_gradient, **scene).passed
    assert check_loss_and_gradient(w.neg_sampling_loss_and_gradient, negative_idxs=negs, **scene).passed
    assert check_neg_sampling_gradients(w.neg_sampling_loss_and_gradient, negative_idxs=negs, **scene).passed
    sent = rng.integers(0, 7, size=9)
    sent[0] = 6  # V = 7 for the skip-gram scene
    rep = check_skipgram(
        good_skipgram,
        sentence_idxs=sent,
        t=int(rng.integers(9)),
        m=int(rng.integers(1, 4)),
        center_vectors=Vc,
        outside_vectors=scene["outside_vectors"],
    )
    assert rep.passed, repr(rep)


# --------------------------------------------------------------------------- the report and scene helpers


def test_check_loss_and_gradient_report():
    def wrong_outside(v, o, U):
        loss, gv, gU = w.naive_softmax_loss_and_gradient(v, o, U)
        return loss, gv, 2 * gU

    rep = check_loss_and_gradient(wrong_outside)
    assert not rep.passed
    assert rep["∂J/∂v_c"].passed and rep["∂J/∂U"].kind == "factor"
    assert set(rep.results) == {"J", "∂J/∂v_c", "∂J/∂U"} and rep["J"].passed
    assert rep.diagnosis.splitlines()[0] == "Wrong: the gradient ∂J/∂U."
    assert rep.diagnosis.splitlines()[1].startswith("J: ")
    assert "check FAILED" in repr(rep)
    page = rep._repr_html_()
    assert "<b>∂J/∂v_c</b>" in page and "<b>∂J/∂U</b>" in page and "failed" in page
    assert "check PASSED" in repr(check_loss_and_gradient(w.naive_softmax_loss_and_gradient))


def test_check_neg_sampling_gradients_checks_the_loss_too():
    def wrong_loss(v, o, U, negs):
        loss, gv, gU = w.neg_sampling_loss_and_gradient(v, o, U, negs)
        return loss + 1.0, gv, gU  # gradients right, loss off by a constant

    rep = check_neg_sampling_gradients(wrong_loss)
    assert not rep.passed
    assert rep["∂J/∂v_c"].passed and rep["∂J/∂U"].passed
    assert isinstance(rep["J"], GradcheckResult) and not rep["J"].passed
    assert "The loss is" in rep["J"].diagnosis and "J_neg-sample" in rep["J"].diagnosis


def test_check_neg_sampling_gradients_on_sheet_pieces():
    def sheet_fn(v, o, U, negs):
        return (
            w.neg_sampling_loss_and_gradient(v, o, U, negs)[0],
            sheet.sheet_neg_sampling_center_gradient(v, o, U, negs),
            sheet.sheet_neg_sampling_outside_gradient(v, o, U, negs),
        )

    rep = check_neg_sampling_gradients(sheet_fn)
    assert rep["∂J/∂v_c"].passed and not rep["∂J/∂U"].passed
    assert "v_c" in rep["∂J/∂U"].diagnosis


def test_default_scene():
    v, o, U, Vc = default_scene()
    assert v.shape == (5,) and U.shape == (6, 5) and Vc.shape == (6, 5) and o == 1
    np.testing.assert_array_equal(v, Vc[0])
    v2, _, U2, _ = default_scene()
    np.testing.assert_array_equal(U, U2)
    assert not np.array_equal(default_scene(seed=1)[2], U)
    assert default_scene(V=3, d=2)[2].shape == (3, 2)
    v[0] = 100.0  # a copy, not a view of Vc
    assert Vc[0, 0] != 100.0


def test_checkers_do_not_modify_the_scene_passed_in():
    scene = random_scene(3)
    copies = {k: np.copy(val) for k, val in scene.items()}
    check_outside_gradient(sheet.sheet_outside_gradient, **scene)
    check_center_gradient(good_center, **scene)
    for k in scene:
        np.testing.assert_array_equal(scene[k], copies[k])


def test_neg_scene_default_negatives_avoid_the_outside_word():
    # with o = 4 the default negatives (2, 4, 4, 5, 3) drop the 4s
    res = check_neg_sampling_outside_gradient(sheet.sheet_neg_sampling_outside_gradient, outside_idx=4)
    assert res.wrong == (2, 3, 5)
    # with a 2-word vocabulary none of the defaults fit: the other word is used
    U2 = np.array([[0.5, -1.0, 0.2, 0.3, 0.1], [1.0, 0.3, -0.4, 0.2, 0.6]])
    res = check_neg_sampling_outside_gradient(good_neg_outside, outside_idx=0, outside_vectors=U2)
    assert res.passed
    res = check_neg_sampling_outside_gradient(
        sheet.sheet_neg_sampling_outside_gradient, outside_idx=0, outside_vectors=U2
    )
    assert res.wrong == (1,)


def test_checks_module_exports():
    for name in checks.__all__:
        assert hasattr(checks, name)
    for name in sheet.__all__:
        assert callable(getattr(sheet, name))


# =========================================================================== honest checks
# Every checker of a whole function compares the loss itself with the true loss, and every gradient
# with central differences of the true loss -- so a wrong loss whose gradients agree with it fails,
# and the report says which part is wrong. Each kind of wrong answer is tried below.

from scipy.special import expit, log_expit, logsumexp  # noqa: E402

from w2v_helpers.checks import (  # noqa: E402
    CheckFailed,
    check_log_sigmoid_grad,
    check_loss,
    check_sentence_loss,
    check_soft_target_gradient,
    check_tanh_grad,
    forbid,
    verdict,
)


def _yhat(v, U):
    return special.softmax(U @ v)


def _delta(v, o, U):
    d = _yhat(v, U)
    d[o] -= 1.0
    return d


# ---------------------------------------------------------------- naive softmax, whole function


def forgot_minus_z_o(v, o, U):
    """J = log Σ exp(u_wᵀv_c), forgetting −u_oᵀv_c -- with the gradients of that wrong loss."""
    yh = _yhat(v, U)
    return logsumexp(U @ v), yh @ U, np.outer(yh, v)


def loss_zero(v, o, U):
    _, gv, gU = w.naive_softmax_loss_and_gradient(v, o, U)
    return 0.0, gv, gU


def loss_twice(v, o, U):
    loss, gv, gU = w.naive_softmax_loss_and_gradient(v, o, U)
    return 2 * loss, gv, gU


def loss_negated(v, o, U):
    loss, gv, gU = w.naive_softmax_loss_and_gradient(v, o, U)
    return -loss, gv, gU


def loss_plus_one(v, o, U):
    loss, gv, gU = w.naive_softmax_loss_and_gradient(v, o, U)
    return loss + 1.0, gv, gU


def all_scaled(v, o, U):  # the true function's result, scaled
    return tuple(2.0 * np.asarray(x) for x in w.naive_softmax_loss_and_gradient(v, o, U))


def all_zeros(v, o, U):
    return 0.0, np.zeros_like(v), np.zeros_like(U)


def softmax_sign_consistent(v, o, U):  # J = −log ŷ_o with +: log ŷ_o, and its gradients
    loss, gv, gU = w.naive_softmax_loss_and_gradient(v, o, U)
    return -loss, -gv, -gU


def index_zero_for_o(v, o, U):  # the sheet's u_0 read literally: word 0 instead of o
    return w.naive_softmax_loss_and_gradient(v, 0, U)


def right_loss_wrong_center_sign(v, o, U):
    loss, gv, gU = w.naive_softmax_loss_and_gradient(v, o, U)
    return loss, -gv, gU


@pytest.mark.parametrize("seed", [None, 11, 12])
def test_softmax_wrong_loss_with_consistent_gradients_fails_on_the_loss(seed):
    scene = {} if seed is None else random_scene(seed)
    rep = check_loss_and_gradient(forgot_minus_z_o, **scene)
    assert not rep.passed and not rep["J"].passed
    assert rep["J"].kind == "terms" and "missing the term −u_oᵀv_c" in rep["J"].diagnosis
    assert not rep["∂J/∂v_c"].passed and "missing the term −u_o" in rep["∂J/∂v_c"].diagnosis
    assert rep.diagnosis.startswith("Wrong: the loss J, the gradient ∂J/∂v_c, the gradient ∂J/∂U.")


@pytest.mark.parametrize(
    "fn, kind, text",
    [
        (loss_zero, "zero", "The loss is 0 at every test point"),
        (loss_twice, "factor", "The loss is 2 × the true"),
        (loss_negated, "sign", "Sign error in the loss"),
        (loss_plus_one, "offset", "plus a constant 1"),
    ],
)
def test_softmax_wrong_loss_right_gradients_names_only_the_loss(fn, kind, text):
    rep = check_loss_and_gradient(fn)
    assert not rep.passed and rep.wrong == ["J"]
    assert rep["J"].kind == kind and text in rep["J"].diagnosis
    assert rep["∂J/∂v_c"].passed and rep["∂J/∂U"].passed
    assert rep.diagnosis.startswith("Wrong: the loss J.")


def test_softmax_scaled_zero_sign_and_index_slips():
    rep = check_loss_and_gradient(all_scaled)
    assert rep["J"].kind == "factor" and rep["∂J/∂v_c"].kind == "factor" and rep["∂J/∂U"].kind == "factor"
    rep = check_loss_and_gradient(all_zeros)
    assert rep["J"].kind == "zero" and rep["∂J/∂v_c"].kind == "zero" and rep["∂J/∂U"].kind == "zero"
    rep = check_loss_and_gradient(softmax_sign_consistent)
    assert rep["J"].kind == "sign" and rep["∂J/∂v_c"].kind == "sign" and rep["∂J/∂U"].kind == "sign"
    rep = check_loss_and_gradient(index_zero_for_o)
    assert rep.wrong == ["J", "∂J/∂v_c", "∂J/∂U"]
    rep = check_loss_and_gradient(right_loss_wrong_center_sign)
    assert rep.wrong == ["∂J/∂v_c"] and rep["∂J/∂v_c"].kind == "sign"


def test_softmax_loss_that_overflows_is_caught():
    def naive(v, o, U):
        e = np.exp(U @ v)
        return float(-np.log(e[o] / e.sum())), *w.naive_softmax_loss_and_gradient(v, o, U)[1:]

    with np.errstate(all="ignore"):
        rep = check_loss_and_gradient(naive, center_vec=1000 * default_scene()[0])
    assert rep["J"].kind == "nonfinite" and "log-sum-exp" in rep["J"].diagnosis


def test_check_loss_and_gradient_compares_with_the_reference_not_itself():
    # a consistent function for another loss -- the negative-sampling one -- is not the naive softmax
    negs = [2, 3]
    fn = functools.partial(w.neg_sampling_loss_and_gradient, negative_idxs=negs)
    rep = check_loss_and_gradient(lambda v, o, U: fn(v, o, U))
    assert rep.wrong == ["J", "∂J/∂v_c", "∂J/∂U"]
    with pytest.raises(ValueError, match="negative_idxs"):
        check_loss_and_gradient(w.naive_softmax_loss_and_gradient, negatives=[1])


# ---------------------------------------------------------------- negative sampling, whole function


def _neg_parts(
    v,
    o,
    U,
    negs,
    *,
    unique=False,
    skip_o=False,
    sign_inside=False,
    no_negatives=False,
    loss_scale=1.0,
    overwrite_o=False,
):
    """A negative-sampling function with a slip, its loss and gradients consistent with each other."""
    negs = np.asarray(negs)
    ks = np.unique(negs) if unique else negs
    if skip_o:
        ks = ks[ks != o]
    if no_negatives:
        ks = ks[:0]
    s_o, s_k = U[o] @ v, U[ks] @ v
    sgn = -1.0 if sign_inside else 1.0
    loss = -log_expit(s_o) - np.sum(log_expit(-sgn * s_k))
    coef_k = sgn * expit(sgn * s_k)  # d/ds_k of −log σ(−sgn s_k)
    gv = -expit(-s_o) * U[o] + coef_k @ U[ks]
    gU = np.zeros_like(U)
    for k, c in zip(ks, coef_k):
        gU[k] += c * v
    if overwrite_o:
        gU[o] = -expit(-s_o) * v
    else:
        gU[o] += -expit(-s_o) * v
    return loss_scale * loss, gv, gU


@pytest.mark.parametrize("checker", ["full", "generic"])
def test_neg_repeated_negatives_counted_once(checker):
    fn = functools.partial(_neg_parts, unique=True)
    rep = (
        check_neg_sampling_gradients(fn)
        if checker == "full"
        else check_loss_and_gradient(fn, negative_idxs=[2, 4, 4, 5, 3])
    )
    assert rep["J"].kind == "terms"
    assert "Σ_{distinct k} log σ(−u_kᵀv_c)" in rep["J"].diagnosis and "two draws" in rep["J"].diagnosis
    assert rep["∂J/∂U"].kind == "rows" and "4 (1/2×)" in rep["∂J/∂U"].diagnosis
    assert not rep["∂J/∂v_c"].passed


def test_neg_o_among_the_negatives_skipped():
    fn = functools.partial(_neg_parts, skip_o=True)
    rep = check_neg_sampling_gradients(fn)  # default negatives have no o: the second scene has
    assert rep.wrong == ["J", "∂J/∂v_c", "∂J/∂U"]
    assert "Σ_{k = o} log σ(−u_oᵀv_c)" in rep["J"].diagnosis and "a negative like any other" in rep["J"].diagnosis
    assert rep["∂J/∂U"].diagnosis.startswith("With o among the negatives (negative_idxs = 4, 1, 4, o = 1)")
    assert rep["∂J/∂U"].wrong == (1,)


def test_neg_o_row_overwritten_is_caught_by_the_second_scene():
    rep = check_neg_sampling_gradients(functools.partial(_neg_parts, overwrite_o=True))
    assert rep.wrong == ["∂J/∂U"] and "With o among the negatives" in rep["∂J/∂U"].diagnosis


def test_neg_wrong_losses_with_consistent_gradients():
    rep = check_neg_sampling_gradients(functools.partial(_neg_parts, no_negatives=True))
    assert rep["J"].kind == "terms" and "missing the term −Σ_k log σ(−u_kᵀv_c)" in rep["J"].diagnosis
    rep = check_neg_sampling_gradients(functools.partial(_neg_parts, sign_inside=True))
    assert rep["J"].kind == "terms"
    assert "it uses −Σ_k log σ(u_kᵀv_c) where −Σ_k log σ(−u_kᵀv_c) belongs" in rep["J"].diagnosis
    assert "enter with a minus sign" in rep["J"].diagnosis
    assert rep["∂J/∂v_c"].kind == "terms"
    rep = check_neg_sampling_gradients(functools.partial(_neg_parts, loss_scale=2.0))
    assert rep.wrong == ["J"] and rep["J"].kind == "factor"
    rep = check_neg_sampling_gradients(functools.partial(_neg_parts, loss_scale=0.0))
    assert rep.wrong == ["J"] and rep["J"].kind == "zero"
    rep = check_neg_sampling_gradients(
        lambda v, o, U, n: tuple(-np.asarray(x) for x in w.neg_sampling_loss_and_gradient(v, o, U, n))
    )
    assert rep["J"].kind == "sign" and rep["∂J/∂v_c"].kind == "sign"


@pytest.mark.parametrize("seed", SEEDS)
def test_neg_right_function_passes_and_slips_fail_on_random_scenes(seed):
    scene = random_scene(seed)
    negs = np.random.default_rng(seed).integers(0, 7, size=5)
    negs[1] = negs[0]
    assert check_neg_sampling_gradients(_neg_parts, negative_idxs=negs, **scene).passed
    assert check_neg_sampling_gradients(w.neg_sampling_loss_and_gradient, negative_idxs=negs, **scene).passed
    rep = check_neg_sampling_gradients(functools.partial(_neg_parts, unique=True), negative_idxs=negs, **scene)
    assert not rep["J"].passed and not rep["∂J/∂U"].passed


# ---------------------------------------------------------------- skip-gram window


def window_fn(offsets):
    """A window function over the given offsets(m), loss and gradients consistent."""

    def fn(c, sent, t, m, Vc, U, loss_and_gradient=w.naive_softmax_loss_and_gradient):
        outs = [int(sent[t + j]) for j in offsets(m) if 0 <= t + j < len(sent)]
        return w.skipgram(c, outs, Vc, U, loss_and_gradient)

    return fn


sheet_window = window_fn(lambda m: [j for j in range(-m, m) if j != 0])  # −m ≤ j < m
with_center = window_fn(lambda m: list(range(-m, m + 1)))  # j = 0 included
too_wide = window_fn(lambda m: [j for j in range(-m - 1, m + 2) if j != 0])  # −m−1 ≤ j ≤ m+1
right_window = window_fn(w.window_offsets)


def test_skipgram_window_off_by_one_with_consistent_loss_fails_on_the_loss():
    rep = check_skipgram(sheet_window)
    assert rep.wrong == ["J", "∂J/∂(center vectors)", "∂J/∂U"]
    assert rep["J"].kind == "terms" and "missing the term J(v_c, w_{t+2}) (j = +2)" in rep["J"].diagnosis
    assert "The window position j = +2 is left out of the sum" in rep["J"].diagnosis


def test_skipgram_other_window_slips():
    rep = check_skipgram(with_center)
    assert "extra term J(v_c, w_{t+0}) (j = +0)" in rep["J"].diagnosis and "center word itself" in rep["J"].diagnosis
    rep = check_skipgram(too_wide)
    assert "extra term J(v_c, w_{t-3}) (j = -3)" in rep["J"].diagnosis
    assert "extra term J(v_c, w_{t+3}) (j = +3)" in rep["J"].diagnosis and "not in it" in rep["J"].diagnosis
    assert "left out" not in rep["J"].diagnosis


@pytest.mark.parametrize("scale, kind", [(0.0, "zero"), (2.0, "factor"), (-1.0, "sign")])
def test_skipgram_wrong_loss_right_gradients(scale, kind):
    def fn(*args):
        loss, gV, gU = good_skipgram(*args)
        return scale * loss, gV, gU

    rep = check_skipgram(fn)
    assert rep.wrong == ["J"] and rep["J"].kind == kind


def test_skipgram_scaled_zeros_and_overwritten_loss():
    rep = check_skipgram(lambda *a: tuple(3.0 * np.asarray(x) for x in good_skipgram(*a)))
    assert all(rep[k].kind == "factor" for k in rep.results)
    rep = check_skipgram(lambda c, s, t, m, Vc, U, lg: (0.0, np.zeros_like(Vc), np.zeros_like(U)))
    assert all(rep[k].kind == "zero" for k in rep.results)

    def last_only(c, sent, t, m, Vc, U, lg):  # loss = instead of loss +=
        loss, gV, gU = good_skipgram(c, sent, t, m, Vc, U, lg)
        return lg(Vc[c], int(sent[t + m]), U)[0], gV, gU

    rep = check_skipgram(last_only)
    assert rep.wrong == ["J"] and rep["J"].kind == "terms" and "missing the term J(v_c, w_{t-2})" in rep["J"].diagnosis


def test_skipgram_right_windows_pass_at_the_edges_and_with_neg_sampling():
    for t in (0, 3, 7):
        assert check_skipgram(right_window, t=t).passed
    fn = functools.partial(w.neg_sampling_loss_and_gradient, negative_idxs=[0, 5, 5])
    assert check_skipgram(right_window, loss_and_gradient=fn).passed
    rep = check_skipgram(sheet_window, loss_and_gradient=fn)
    assert "j = +2 is left out" in rep["J"].diagnosis


# ---------------------------------------------------------------- a whole sentence


def sentence_fn(positions=None, scale=1.0):
    def fn(sent, m, Vc, U):
        loss, gV, gU = 0.0, np.zeros_like(Vc), np.zeros_like(U)
        for t in range(len(sent)) if positions is None else positions(len(sent)):
            l_, a, b = w.skipgram(int(sent[t]), w.context_window(sent, t, m), Vc, U)
            loss, gV, gU = loss + l_, gV + a, gU + b
        return scale * loss, gV, gU

    return fn


def test_check_sentence_loss():
    assert check_sentence_loss(sentence_fn()).passed
    rep = check_sentence_loss(sentence_fn(lambda n: range(1, n)))  # first position left out
    assert rep.wrong == ["J", "∂J/∂(center vectors)", "∂J/∂U"]
    assert "missing the term J_window(t = 0)" in rep["J"].diagnosis
    rep = check_sentence_loss(sentence_fn(scale=0.0))
    assert rep.wrong == ["J"] and rep["J"].kind == "zero"
    rep = check_sentence_loss(sentence_fn(lambda n: range(n - 1)))
    assert "missing the term J_window(t = 7)" in rep["J"].diagnosis


# ---------------------------------------------------------------- elementwise derivatives


def test_log_sigmoid_and_tanh_checkers():
    assert check_log_sigmoid_grad(lambda x: w.sigmoid(-x)).passed
    assert check_log_sigmoid_grad(lambda x: 1 - w.sigmoid(x)).passed
    assert not check_log_sigmoid_grad(lambda x: w.sigmoid(x)).passed
    assert check_log_sigmoid_grad(lambda x: -w.sigmoid(-x)).kind == "sign"
    assert check_log_sigmoid_grad(lambda x: np.zeros_like(x)).kind == "zero"
    with np.errstate(all="ignore"):
        res = check_log_sigmoid_grad(lambda x: np.exp(-x) / (1 + np.exp(-x)))  # right, overflows
    assert res.passed and "not numerically stable" in res.diagnosis and "x = -1000" in res.diagnosis
    assert check_tanh_grad(lambda x: 4 * w.sigmoid_grad(2 * x)).passed
    assert check_tanh_grad(lambda x: 1 - np.tanh(x) ** 2).passed
    res = check_tanh_grad(lambda x: 2 * w.sigmoid_grad(2 * x))  # the chain rule's 2 forgotten
    assert res.kind == "factor" and "1/2" in res.diagnosis
    assert check_tanh_grad(lambda x: w.sigmoid_grad(x)).kind == "wrong"


def test_sigmoid_grad_right_near_zero_but_wrong_far_out_fails():
    res = check_sigmoid_grad(lambda x: np.where(np.abs(x) > 20, 0.25, w.sigmoid_grad(x)))
    assert not res.passed and "wrong at large |x|" in res.diagnosis
    assert check_sigmoid_grad(lambda x: np.zeros_like(x)).kind == "zero"
    assert check_sigmoid_grad(lambda x: w.sigmoid(x) ** 2).kind in ("wrong", "coordinates")


def test_unstable_but_right_sigmoid_grad_passes_with_the_instability_named():
    res = check_sigmoid_grad(sheet.sheet_sigmoid_grad)
    assert res.passed
    assert "not numerically stable" in res.diagnosis and "The formula is right, so the check passes" in res.diagnosis


# ---------------------------------------------------------------- soft target


def test_check_soft_target_gradient():
    def right(v, y, U):
        return (_yhat(v, U) - y) @ U

    def one_hot(v, y, U):  # part (b)'s answer with o = argmax y
        d = _yhat(v, U)
        d[np.argmax(y)] -= 1.0
        return d @ U

    assert check_soft_target_gradient(right).passed
    res = check_soft_target_gradient(one_hot)
    assert res.kind == "terms" and "where −Σ_w y_w u_w belongs" in res.diagnosis
    assert check_soft_target_gradient(lambda v, y, U: -right(v, y, U)).kind == "sign"
    assert check_soft_target_gradient(lambda v, y, U: np.zeros_like(v)).kind == "zero"
    scene = random_scene(5)
    y = np.random.default_rng(5).dirichlet(np.ones(7))
    assert check_soft_target_gradient(right, scene["center_vec"], y, scene["outside_vectors"]).passed
    with pytest.raises(ValueError, match="probability vector"):
        check_soft_target_gradient(right, y=np.ones(6))


# ---------------------------------------------------------------- the loss comparer itself


def test_check_loss_kinds():
    n = np.array([1.0, 2.0, 3.5, 0.5])
    assert check_loss(n + 1e-12, n).passed
    assert check_loss(np.zeros(4), n).kind == "zero"
    assert check_loss(-n, n).kind == "sign"
    assert check_loss(0.5 * n, n).kind == "factor"
    assert check_loss(n - 2, n).kind == "offset"
    assert check_loss([np.ones(2)] * 4, n).kind == "shape"
    assert check_loss([np.nan, 1, 2, 3], n).kind == "nonfinite"
    assert check_loss(n**2, n).kind == "wrong"


# ---------------------------------------------------------------- stubs, verdicts, forbidden calls


def _stub(*args, **kwargs):
    raise NotImplementedError()


@pytest.mark.parametrize(
    "checker",
    [
        check_sigmoid_grad,
        check_log_sigmoid_grad,
        check_tanh_grad,
        check_center_gradient,
        check_outside_gradient,
        check_neg_sampling_center_gradient,
        check_neg_sampling_outside_gradient,
        check_loss_and_gradient,
        check_neg_sampling_gradients,
        check_skipgram,
        check_soft_target_gradient,
        check_sentence_loss,
    ],
)
def test_an_unfilled_stub_is_not_answered_yet(checker):
    res = checker(_stub)
    assert not res.passed and res.kind == "unanswered"
    assert res.diagnosis.startswith("Not answered yet: _stub still raises NotImplementedError")
    with pytest.raises(CheckFailed, match="not answered yet") as info:
        verdict(res)
    assert isinstance(info.value, AssertionError)
    rendered = info.value._render_traceback_()
    assert "not answered yet" in rendered[0] and not any("Traceback" in line for line in rendered)


def test_verdict_prints_a_pass_and_raises_the_diagnosis(capsys):
    verdict(check_center_gradient(good_center), "exercise 1")
    out = capsys.readouterr().out
    assert out.startswith("exercise 1: passed\n") and "matches" in out
    with pytest.raises(CheckFailed) as info:
        verdict(check_loss_and_gradient(forgot_minus_z_o))
    text = str(info.value)
    assert text.startswith("not passed\nWrong: the loss J") and "missing the term −u_oᵀv_c" in text
    with pytest.raises(ValueError, match="verdict needs the result of a checker"):
        verdict(True)


def test_forbid_catches_the_reference_under_another_name():
    from w2v_helpers import sigmoid_grad as my_alias

    def calls_reference(x):
        return my_alias(x)

    def calls_private_twin(x):
        return w.core._sigmoid_grad(x)

    def own(x):
        s = w.sigmoid(x)
        return s * (1 - s)

    for fn in (calls_reference, calls_private_twin, lambda x: w.sigmoid_grad(x)):
        res = check_sigmoid_grad(forbid(fn, "sigmoid_grad"))
        assert not res.passed and res.kind == "forbidden" and "calls w2v.sigmoid_grad" in res.diagnosis
    assert check_sigmoid_grad(forbid(own, "sigmoid_grad")).passed  # w2v.sigmoid is allowed
    assert check_sigmoid_grad(calls_reference).passed  # without forbid it is just right
    import sys

    assert sys.getprofile() is None


def test_forbid_in_the_window_exercise():
    def via_skipgram(c, sent, t, m, Vc, U, lg):
        return w.skipgram(c, w.context_window(sent, t, m), Vc, U, lg)

    def own(c, sent, t, m, Vc, U, lg):  # calls the loss it is given: allowed
        loss, gV, gU = 0.0, np.zeros_like(Vc), np.zeros_like(U)
        for j in range(-m, m + 1):
            if j and 0 <= t + j < len(sent):
                l_, a, b = lg(Vc[c], int(sent[t + j]), U)
                loss, gV[c], gU = loss + l_, gV[c] + a, gU + b
        return loss, gV, gU

    rep = check_skipgram(forbid(via_skipgram, "skipgram", "context_window"))
    assert not rep.passed and rep.kind == "forbidden"
    assert "calls w2v.context_window" in rep.diagnosis or "calls w2v.skipgram" in rep.diagnosis
    assert check_skipgram(forbid(own, "skipgram", "context_window")).passed
    with pytest.raises(ValueError, match="not a function of w2v_helpers"):
        forbid(own, "no_such_function")


# ---------------------------------------------------------------- the single-gradient checkers: generic slips

SINGLE = [
    (check_center_gradient, good_center, {}),
    (check_outside_gradient, good_outside, {}),
    (check_neg_sampling_center_gradient, good_neg_center, {}),
    (check_neg_sampling_outside_gradient, good_neg_outside, {}),
    (check_neg_sampling_center_gradient, good_neg_center, {"outside_idx": 1, "negative_idxs": [4, 1, 4]}),
    (check_neg_sampling_outside_gradient, good_neg_outside, {"outside_idx": 1, "negative_idxs": [4, 1, 4]}),
]


@pytest.mark.parametrize("checker, good, kw", SINGLE)
def test_single_gradient_checkers_reject_zeros_sign_and_scaled_reference(checker, good, kw):
    assert checker(good, **kw).passed
    assert checker(lambda *a: np.zeros_like(good(*a)), **kw).kind == "zero"
    assert checker(lambda *a: -good(*a), **kw).kind == "sign"
    res = checker(lambda *a: 2.0 * good(*a), **kw)
    assert res.kind == "factor" and res.factor == pytest.approx(2.0)
    assert checker(lambda *a: good(*a) + 0.1, **kw).kind != "ok"
    assert checker(_stub, **kw).kind == "unanswered"


def test_neg_single_checkers_with_o_among_the_negatives_dropped():
    def center_without_o_negative(v, o, U, negs):
        negs = np.asarray(negs)
        return good_neg_center(v, o, U, negs[negs != o])

    def outside_overwriting_o(v, o, U, negs):
        g = good_neg_outside(v, o, U, negs)
        g[o] = -special.expit(-(U[o] @ v)) * v  # the o row of the observed pair only
        return g

    kw = {"outside_idx": 1, "negative_idxs": [4, 1, 4]}
    assert not check_neg_sampling_center_gradient(center_without_o_negative, **kw).passed
    res = check_neg_sampling_outside_gradient(outside_overwriting_o, **kw)
    assert res.kind == "rows" and res.wrong == (1,)


@pytest.mark.parametrize("checker, good, kw", SINGLE[:4])
def test_single_gradient_checkers_with_forbid(checker, good, kw):
    name = (
        "naive_softmax_loss_and_gradient"
        if checker in (check_center_gradient, check_outside_gradient)
        else "neg_sampling_loss_and_gradient"
    )
    res = checker(forbid(good, name), **kw)  # good_* call the reference: forbidden
    assert res.kind == "forbidden" and f"calls w2v.{name}" in res.diagnosis


def test_long_sentences_and_wide_windows_still_name_the_missing_term():
    sent = np.random.default_rng(9).permutation(14)
    rep = check_skipgram(sheet_window, sentence_idxs=sent, t=7, m=5)
    assert "j = +5 is left out" in rep["J"].diagnosis
    rep = check_sentence_loss(sentence_fn(lambda n: range(1, n)), sentence_idxs=sent[:13], m=2)
    assert "missing the term J_window(t = 0)" in rep["J"].diagnosis


@pytest.mark.parametrize(
    "checker",
    [
        check_sigmoid_grad,
        check_center_gradient,
        check_outside_gradient,
        check_neg_sampling_outside_gradient,
        check_loss_and_gradient,
        check_neg_sampling_gradients,
        check_skipgram,
        check_sentence_loss,
        check_soft_target_gradient,
    ],
)
def test_a_function_without_return_gets_a_diagnosis_not_a_traceback(checker):
    def forgot_return(*args):
        _ = args

    res = checker(forgot_return)
    assert not res.passed and res.kind == "return"
    assert "forgot_return returned None: it has no `return` line" in res.diagnosis


@pytest.mark.parametrize(
    "checker", [check_loss_and_gradient, check_neg_sampling_gradients, check_skipgram, check_sentence_loss]
)
def test_a_whole_function_returning_a_pair_is_told_to_return_three_things(checker):
    res = checker(lambda *a: (1.0, 2.0))
    assert res.kind == "return" and "It must return three things" in res.diagnosis
    assert "a tuple of length 2" in res.diagnosis


def test_the_guard_keeps_the_signature_for_the_four_argument_form():
    assert check_center_gradient(good_center_4).passed
    assert check_center_gradient(sheet.sheet_center_gradient).kind == "terms"
