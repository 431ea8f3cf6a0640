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


def good_center_4(v, o, U, Vc):          # the four-argument form a sheet formula may use
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
    return dict(center_vec=rng.normal(size=d), outside_idx=int(rng.integers(V)),
                outside_vectors=rng.normal(size=(V, d)))


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
    assert res.passed and res.kind == "ok"                # the formula is right where it is finite
    assert "not numerically stable" in res.diagnosis
    assert "x = -1000" in res.diagnosis and "nan" in res.diagnosis
    assert "-50" not in res.diagnosis and "1000 " not in res.diagnosis.replace("-1000", "")   # only -1000 fails


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
    res = check_sigmoid_grad(lambda x: np.exp(-x) / (1 + np.exp(-x)) ** 2)   # right, but overflows at -1000
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
    res = check_center_gradient(lambda v, o, U: w.softmax(U @ v) @ U)           # forgot -u_o
    assert res.kind == "terms" and "missing the term −u_o" in res.diagnosis
    res = check_center_gradient(lambda v, o, U: U[o] - w.softmax(U @ v) @ U)    # sign
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
    assert "·v_c)" in res.diagnosis                       # the repeated row is named as a multiple of v_c
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
    np.testing.assert_allclose(sheet.sheet_neg_sampling_center_gradient(v, o, U, negs),
                               w.neg_sampling_loss_and_gradient(v, o, U, negs)[1], rtol=1e-12)
    res = check_neg_sampling_center_gradient(sheet.sheet_neg_sampling_center_gradient)
    assert res.passed and res.kind == "ok"


@pytest.mark.parametrize("seed", SEEDS)
def test_sheet_neg_sampling_center_gradient_passes_random_scenes(seed):
    scene = random_scene(seed)
    negs = np.random.default_rng(seed).integers(0, 7, size=6)
    res = check_neg_sampling_center_gradient(sheet.sheet_neg_sampling_center_gradient, negative_idxs=negs, **scene)
    assert res.passed, repr(res)


def test_check_neg_sampling_center_gradient_fails_slips():
    def flipped(v, o, U, negs):                 # sigma(u_o.v_c) where sigma(-u_o.v_c) belongs
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
    res = check_neg_sampling_outside_gradient(sheet.sheet_neg_sampling_outside_gradient, negative_idxs=negs,
                                              **scene)
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

    res = check_neg_sampling_outside_gradient(once)       # the default negatives draw 4 twice
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
    sent = rng.permutation(10)            # all different words, so every position is its own term
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
    sent[0] = 6                                   # V = 7 for the skip-gram scene
    rep = check_skipgram(good_skipgram, sentence_idxs=sent, t=int(rng.integers(9)), m=int(rng.integers(1, 4)),
                         center_vectors=Vc, outside_vectors=scene["outside_vectors"])
    assert rep.passed, repr(rep)


# --------------------------------------------------------------------------- the report and scene helpers

def test_check_loss_and_gradient_report():
    def wrong_outside(v, o, U):
        loss, gv, gU = w.naive_softmax_loss_and_gradient(v, o, U)
        return loss, gv, 2 * gU

    rep = check_loss_and_gradient(wrong_outside)
    assert not rep.passed
    assert rep["∂J/∂v_c"].passed and rep["∂J/∂U"].kind == "factor"
    assert set(rep.results) == {"∂J/∂v_c", "∂J/∂U"}
    assert rep.diagnosis.splitlines()[0].startswith("∂J/∂v_c: ")
    assert "check FAILED" in repr(rep)
    page = rep._repr_html_()
    assert "<b>∂J/∂v_c</b>" in page and "<b>∂J/∂U</b>" in page and "failed" in page
    assert "check PASSED" in repr(check_loss_and_gradient(w.naive_softmax_loss_and_gradient))


def test_check_neg_sampling_gradients_checks_the_loss_too():
    def wrong_loss(v, o, U, negs):
        loss, gv, gU = w.neg_sampling_loss_and_gradient(v, o, U, negs)
        return loss + 1.0, gv, gU                   # gradients right, loss off by a constant

    rep = check_neg_sampling_gradients(wrong_loss)
    assert not rep.passed
    assert rep["∂J/∂v_c"].passed and rep["∂J/∂U"].passed
    assert isinstance(rep["J"], GradcheckResult) and not rep["J"].passed
    assert "The loss is" in rep["J"].diagnosis and "J_neg-sample" in rep["J"].diagnosis


def test_check_neg_sampling_gradients_on_sheet_pieces():
    def sheet_fn(v, o, U, negs):
        return (w.neg_sampling_loss_and_gradient(v, o, U, negs)[0],
                sheet.sheet_neg_sampling_center_gradient(v, o, U, negs),
                sheet.sheet_neg_sampling_outside_gradient(v, o, U, negs))

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
    v[0] = 100.0                                         # a copy, not a view of Vc
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
    res = check_neg_sampling_outside_gradient(sheet.sheet_neg_sampling_outside_gradient, outside_idx=0,
                                              outside_vectors=U2)
    assert res.wrong == (1,)


def test_checks_module_exports():
    for name in checks.__all__:
        assert hasattr(checks, name)
    for name in sheet.__all__:
        assert callable(getattr(sheet, name))
