"""gradcheck itself: the central differences, the result object, and one test per kind
of diagnosis (each built from a deliberately broken gradient whose mistake we know)."""

from __future__ import annotations

import html

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from w2v_helpers import GradcheckResult, gradcheck, naive_softmax_loss_and_gradient, neg_sampling_loss_and_gradient

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

RNG = np.random.default_rng(0)
V, D, O = 6, 5, 1
U = RNG.normal(size=(V, D))
v = RNG.normal(size=D)
VC = RNG.normal(size=(V, D))


def sig(t):
    return 1 / (1 + np.exp(-t))


def y_hat(x=v, X=U):
    s = X @ x
    e = np.exp(s - s.max())
    return e / e.sum()


def loss_v(x):
    return naive_softmax_loss_and_gradient(x, O, U)[0]


def loss_U(X):
    return naive_softmax_loss_and_gradient(v, O, X)[0]


def true_gv(x):
    return -U[O] + y_hat(x) @ U


def true_gU(X):
    delta = y_hat(v, X).copy()
    delta[O] -= 1
    return np.outer(delta, v)


def with_grad(loss, grad):
    """f(x) -> (loss(x), grad(x)): a candidate gradient checked against a true loss."""
    return lambda x: (loss(x), grad(x))


# --------------------------------------------------------------------------- central differences


def test_numerical_gradient_of_known_functions():
    x = np.array([-2.0, -0.3, 0.0, 0.7, 3.0])
    res = gradcheck(lambda z: (float(np.sum(np.sin(z))), np.cos(z)), x)
    np.testing.assert_allclose(res.numerical, np.cos(x), rtol=1e-8, atol=1e-9)
    assert res.passed and res.kind == "ok"

    A = np.array([[2.0, 1.0, 0.0], [0.0, 3.0, -1.0], [4.0, 0.0, 1.0]])
    z = np.array([0.5, -1.0, 2.0])
    res = gradcheck(lambda t: (float(t @ A @ t), (A + A.T) @ t), z)
    np.testing.assert_allclose(res.numerical, (A + A.T) @ z, rtol=1e-8)  # exact for a quadratic, up to rounding
    assert res.passed

    res = gradcheck(lambda t: (float(np.exp(t)), float(np.exp(t))), 1.5)
    assert res.numerical.shape == () and res.numerical == pytest.approx(np.exp(1.5), rel=1e-8)
    assert res.passed


def test_step_is_h_times_max_1_abs_x():
    # for f = x^3 the central difference is exactly 3x^2 + h_i^2, which reveals h_i
    x = np.array([0.5, 1.0, 10.0, -100.0])
    res = gradcheck(lambda t: (float(np.sum(t**3)), 3 * t**2), x, h=1e-2)
    h_i = 1e-2 * np.maximum(1.0, np.abs(x))
    np.testing.assert_allclose(res.numerical, 3 * x**2 + h_i**2, rtol=1e-9, atol=1e-7)  # h_i^2 >= 1e-4


@given(
    hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=0, max_dims=3, max_side=4),
        elements=st.floats(-5, 5, allow_nan=False, allow_subnormal=False),
    )
)
@FAST
def test_numerical_gradient_is_accurate_on_random_points(x):
    # f = sum(exp(x)/2 + x^2): gradient exp(x)/2 + 2x, any shape
    res = gradcheck(lambda t: (float(np.sum(np.exp(t) / 2 + t**2)), np.exp(t) / 2 + 2 * t), x)
    assert res.numerical.shape == x.shape
    np.testing.assert_allclose(res.numerical, np.exp(x) / 2 + 2 * x, rtol=1e-6, atol=1e-6)
    assert res.passed, repr(res)


def test_never_changes_x():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    before = x.copy()

    def vandal(z):
        value = float(np.sum(z**2))
        g = 2 * z
        z[...] = 99.0  # f scribbles over its argument
        return value, g

    res = gradcheck(vandal, x)
    np.testing.assert_array_equal(x, before)
    assert res.passed  # and f saw an intact copy each time
    gradcheck(lambda z: (float(np.sum(z)), -np.ones_like(z)), x)  # a failing check leaves x alone too
    np.testing.assert_array_equal(x, before)


def test_x_may_be_a_list_or_int_array():
    res = gradcheck(lambda z: (float(z @ z), 2 * z), [1, 2, 3])
    assert res.passed
    np.testing.assert_allclose(res.numerical, [2.0, 4.0, 6.0], rtol=1e-8)


def test_result_fields():
    res = gradcheck(lambda x: naive_softmax_loss_and_gradient(x, O, U)[:2], v)
    assert isinstance(res, GradcheckResult)
    assert res.passed is True and res.kind == "ok"
    assert isinstance(res.max_relative_error, float) and 0 <= res.max_relative_error < 1e-5
    assert isinstance(res.max_abs_error, float) and res.max_abs_error >= 0
    assert res.value == pytest.approx(loss_v(v))
    np.testing.assert_allclose(res.analytic, true_gv(v), rtol=1e-12)
    np.testing.assert_allclose(res.numerical, true_gv(v), rtol=1e-6, atol=1e-8)
    assert res.numerical.shape == v.shape
    assert isinstance(res.diagnosis, str) and "matches" in res.diagnosis
    assert res.wrong == () and res.factor == 1.0 and res.rtol == 1e-5
    # max_relative_error is |a - n| / max(|a|, |n|, atol'/rtol), as documented
    err = np.abs(res.analytic - res.numerical)
    assert res.max_abs_error == pytest.approx(float(err.max()))
    assert res.max_relative_error <= float(np.max(err / np.maximum(np.abs(res.analytic), np.abs(res.numerical))))


def test_rtol_and_atol_are_used():
    off = lambda z: (float(z @ z), 2 * z * (1 + 1e-4))  # 1e-4 relative error
    x = np.array([1.0, 2.0])
    assert not gradcheck(off, x).passed
    assert gradcheck(off, x, rtol=1e-3).passed
    res = gradcheck(off, x, rtol=1e-3)
    assert res.max_relative_error == pytest.approx(1e-4 / (1 + 1e-4), rel=1e-3)
    shifted = lambda z: (float(z @ z), 2 * z + 1e-3)  # an absolute error of 1e-3
    assert not gradcheck(shifted, x).passed
    assert gradcheck(shifted, x, atol=1e-2).passed


def test_accepts_numpy_scalar_values_and_list_gradients():
    res = gradcheck(lambda z: (np.float64(z @ z), list(2 * z)), np.array([1.0, -1.0]))
    assert res.passed
    res = gradcheck(lambda z: (np.array([z @ z]), 2 * z), np.array([1.0, -1.0]))  # a 1-element value
    assert res.passed


def test_f_returning_the_wrong_tuple_raises():
    triple = lambda x: naive_softmax_loss_and_gradient(x, O, U)
    with pytest.raises(ValueError, match=r"pair \(value, grad\).*length 3.*\[:2\]"):
        gradcheck(triple, v)
    with pytest.raises(ValueError, match="pair"):
        gradcheck(lambda x: [loss_v(x), true_gv(x)], v)  # a list, not a tuple
    with pytest.raises(ValueError, match="pair.*length 1"):
        gradcheck(lambda x: (loss_v(x),), v)
    with pytest.raises(ValueError, match="scalar value"):
        gradcheck(lambda x: (x, x), v)


# --------------------------------------------------------------------------- repr


def test_repr_and_html_contain_status_and_diagnosis():
    good = gradcheck(with_grad(loss_v, true_gv), v)
    bad = gradcheck(with_grad(loss_v, lambda x: -true_gv(x)), v)
    assert "PASSED" in repr(good) and "FAILED" not in repr(good)
    assert "FAILED" in repr(bad) and "PASSED" not in repr(bad)
    for res in (good, bad):
        text = repr(res)
        assert res.diagnosis in text and res.kind in text
        assert "\n" in text  # status line, then the diagnosis
        page = res._repr_html_()
        assert html.escape(res.diagnosis) in page
        assert res.kind in page
        assert page.startswith("<div") and page.endswith("</div>")
    assert "passed" in good._repr_html_() and "failed" in bad._repr_html_()
    assert good._repr_html_() != bad._repr_html_()
    assert "1e-05" in repr(good)  # the tolerance is shown


def test_html_escapes_the_diagnosis():
    res = gradcheck(with_grad(loss_v, true_gv), v)
    res.diagnosis = "a < b & c"
    page = res._repr_html_()
    assert "a &lt; b &amp; c" in page and "a < b" not in page


def test_repr_of_a_non_finite_error():
    res = gradcheck(lambda x: (loss_v(x), np.full_like(x, np.inf)), v)
    assert "inf" in repr(res) and "FAILED" in repr(res)


# --------------------------------------------------------------------------- vacuous


def test_identically_zero_function_is_vacuous_not_passed():
    res = gradcheck(lambda x: (0.0, np.zeros_like(x)), v)
    assert res.passed is False
    assert res.kind == "vacuous"
    assert "vacuous" in res.diagnosis.lower() and "stub" in res.diagnosis
    assert "FAILED" in repr(res)


def test_constant_function_is_vacuous_and_suggests_another_point():
    res = gradcheck(lambda x: (3.0, np.zeros_like(x)), v)
    assert not res.passed and res.kind == "vacuous"
    assert "another x" in res.diagnosis


def test_naive_softmax_with_one_word_is_vacuous():
    res = gradcheck(lambda x: naive_softmax_loss_and_gradient(x, 0, U[:1])[:2], v)
    assert not res.passed and res.kind == "vacuous"


# --------------------------------------------------------------------------- each kind of mistake


def test_sign_error():
    res = gradcheck(with_grad(loss_v, lambda x: -true_gv(x)), v)
    assert not res.passed and res.kind == "sign"
    assert res.factor == pytest.approx(-1.0, rel=1e-6)
    assert "Sign error" in res.diagnosis and "−1" in res.diagnosis


@pytest.mark.parametrize("c,text", [(2.0, "2 ×"), (0.5, "1/2 ×"), (-0.5, "-1/2 ×"), (3.0, "3 ×"), (-2.0, "-2 ×")])
def test_constant_factor(c, text):
    res = gradcheck(with_grad(loss_v, lambda x: c * true_gv(x)), v)
    assert not res.passed and res.kind == "factor"
    assert res.factor == pytest.approx(c, rel=1e-6)
    assert text in res.diagnosis
    assert ("wrong sign" in res.diagnosis) == (c < 0)
    # the factor is also named on a matrix argument
    res = gradcheck(with_grad(loss_U, lambda X: c * true_gU(X)), U)
    assert res.kind == "factor" and res.factor == pytest.approx(c, rel=1e-6)


def test_transposed():
    res = gradcheck(with_grad(loss_U, lambda X: true_gU(X).T), U)
    assert not res.passed and res.kind == "transposed"
    assert "(5, 6)" in res.diagnosis and "(6, 5)" in res.diagnosis
    assert "transpose" in res.diagnosis
    assert res.max_relative_error == np.inf


def test_transposed_shape_but_wrong_numbers():
    res = gradcheck(with_grad(loss_U, lambda X: 2 * true_gU(X).T), U)
    assert not res.passed and res.kind == "shape"
    assert "even transposed it does not match" in res.diagnosis


def test_one_number_per_row_gradient_for_a_matrix():
    # a (V,) gradient for a (V, d) x: the per-row scalar without its vector factor
    res = gradcheck(with_grad(loss_U, lambda X: y_hat(v, X) - np.eye(V)[O]), U)
    assert not res.passed and res.kind == "shape"
    assert "(6,)" in res.diagnosis and "(6, 5)" in res.diagnosis
    assert "one number per row" in res.diagnosis and "vector factor" in res.diagnosis


def test_right_numbers_wrong_shape():
    res = gradcheck(with_grad(loss_U, lambda X: true_gU(X).reshape(-1)), U)
    assert not res.passed and res.kind == "shape"
    assert "Right numbers, wrong shape" in res.diagnosis and "(30,)" in res.diagnosis


def test_plain_wrong_shape():
    res = gradcheck(with_grad(loss_v, lambda x: true_gv(x)[:3]), v)
    assert not res.passed and res.kind == "shape"
    assert "(3,)" in res.diagnosis and "(5,)" in res.diagnosis
    res = gradcheck(with_grad(loss_v, lambda x: np.ones(5 * 2)), v)  # same size is not enough
    assert res.kind == "shape" and "Right numbers" not in res.diagnosis


def test_identically_zero_gradient():
    res = gradcheck(with_grad(loss_v, np.zeros_like), v)
    assert not res.passed and res.kind == "zero"
    assert "identically zero" in res.diagnosis
    assert res.wrong == tuple(range(D))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_gradient(bad):
    def g(x):
        out = true_gv(x)
        out[2] = bad
        return out

    res = gradcheck(with_grad(loss_v, g), v)
    assert not res.passed and res.kind == "nonfinite"
    assert "analytic gradient holds NaN or inf" in res.diagnosis


def test_non_finite_value():
    res = gradcheck(lambda x: (np.inf, true_gv(x)), v)
    assert not res.passed and res.kind == "nonfinite"
    assert "the value holds NaN or inf" in res.diagnosis


def test_non_finite_numerical_gradient():
    # finite at x = 1 but NaN just to the right of it
    f = lambda z: (float(z) if z <= 1.0 else float("nan"), 1.0)
    res = gradcheck(f, 1.0)
    assert not res.passed and res.kind == "nonfinite"
    assert "numerical gradient is not finite" in res.diagnosis


def test_some_coordinates_right():
    def g(x):
        out = true_gv(x)
        out[[1, 3]] *= 1.7
        return out

    res = gradcheck(with_grad(loss_v, g), v)
    assert not res.passed and res.kind == "coordinates"
    assert res.wrong == (1, 3)
    assert "coordinates 1, 3 of 5" in res.diagnosis


def test_one_coordinate_wrong_is_singular():
    def g(x):
        out = true_gv(x)
        out[4] += 1.0
        return out

    res = gradcheck(with_grad(loss_v, g), v)
    assert res.kind == "coordinates" and res.wrong == (4,)
    assert "coordinate 4 of 5" in res.diagnosis


def test_some_rows_right_with_factors():
    def g(X):
        out = true_gU(X)
        out[[2, 4]] *= 2.0
        return out

    res = gradcheck(with_grad(loss_U, g), U)
    assert not res.passed and res.kind == "rows"
    assert res.wrong == (2, 4)
    assert "rows 2, 4 of 6 disagree" in res.diagnosis and "other 4 match" in res.diagnosis
    assert "2 (2×)" in res.diagnosis and "4 (2×)" in res.diagnosis


def test_rows_with_the_wrong_sign():
    def g(X):
        out = true_gU(X)
        out[[0, 3]] *= -1
        return out

    res = gradcheck(with_grad(loss_U, g), U)
    assert res.kind == "rows" and res.wrong == (0, 3)
    assert "wrong sign" in res.diagnosis


def test_rows_missing_and_spurious():
    def g(X):
        out = true_gU(X)
        out[2] = 0.0  # a row that should be there is missing
        return out

    res = gradcheck(with_grad(loss_U, g), U)
    assert res.kind == "rows" and res.wrong == (2,)
    assert "row 2 of 6" in res.diagnosis
    assert "2 are zero but should not be" in res.diagnosis

    negs = [2, 3]
    f_neg = lambda X: neg_sampling_loss_and_gradient(v, O, X, negs)[0]

    def g2(X):
        out = neg_sampling_loss_and_gradient(v, O, X, negs)[2]
        out[5] = v  # row 5 is neither o nor a negative: must be zero
        return out

    res = gradcheck(with_grad(f_neg, g2), U)
    assert res.kind == "rows" and res.wrong == (5,)
    assert "5 should be zero but are not" in res.diagnosis


def test_repeated_negative_counted_once_gives_factor_half_on_its_row():
    negs = np.array([2, 4, 4, 5])

    def counted_once(X):
        s_o = X[O] @ v
        out = np.zeros_like(X)
        out[O] = -sig(-s_o) * v
        for k in set(negs.tolist()):  # the slip: each word once
            out[k] += sig(X[k] @ v) * v
        return out

    res = gradcheck(with_grad(lambda X: neg_sampling_loss_and_gradient(v, O, X, negs)[0], counted_once), U)
    assert not res.passed and res.kind == "rows"
    assert res.wrong == (4,)
    assert "row 4 of 6" in res.diagnosis
    assert "4 (1/2×)" in res.diagnosis
    assert "once per occurrence" in res.diagnosis and "more than once" in res.diagnosis


def test_rows_missing_their_vector_factor_are_named():
    negs = np.array([2, 3, 5])
    v_pos = np.abs(v) + 0.5  # no zero coordinates, so the ratio is defined everywhere

    def no_vc(X):
        out = np.zeros_like(X)
        out[O] = -sig(-(X[O] @ v_pos)) * v_pos
        for k in negs:
            out[k] += sig(X[k] @ v_pos)  # a scalar spread over the row
        return out

    f = with_grad(lambda X: neg_sampling_loss_and_gradient(v_pos, O, X, negs)[0], no_vc)
    res = gradcheck(f, U, known_vectors={"v_c": v_pos})
    assert res.kind == "rows" and res.wrong == (2, 3, 5)
    assert "same number in every coordinate" in res.diagnosis
    assert "misses the same elementwise factor v_c" in res.diagnosis
    # without the name, the factor is printed as numbers
    res = gradcheck(f, U)
    assert "misses the same elementwise factor (" in res.diagnosis


def test_same_rows():
    res = gradcheck(with_grad(loss_U, lambda X: np.tile(0.25 * v, (V, 1))), U, known_vectors={"v_c": v})
    assert not res.passed and res.kind == "same-rows"
    assert "Every row of the analytic gradient is the same vector (1/4·v_c)" in res.diagnosis
    assert res.wrong == tuple(range(V))
    res = gradcheck(with_grad(loss_U, lambda X: np.tile(np.arange(1.0, D + 1), (V, 1))), U)
    assert res.kind == "same-rows" and "(1, 2, 3, 4, 5)" in res.diagnosis


def test_row_factors():
    scale = np.arange(2.0, V + 2.0)[:, None]
    res = gradcheck(with_grad(loss_U, lambda X: true_gU(X) * scale), U)
    assert not res.passed and res.kind == "row-factors"
    assert "2, 3, 4, 5, 6, 7" in res.diagnosis


def test_wrong_with_no_pattern():
    noise = np.random.default_rng(7).normal(size=(V, D))
    res = gradcheck(with_grad(loss_U, lambda X: true_gU(X) + noise), U)
    assert not res.passed and res.kind == "wrong"
    assert "cosine similarity" in res.diagnosis and "terms=" in res.diagnosis
    assert len(res.wrong) == V * D


def test_long_lists_are_shortened():
    big = np.random.default_rng(3).normal(size=(12, 3))
    xv = np.array([0.3, -0.2, 0.5])

    def f(X):
        loss, _, g = naive_softmax_loss_and_gradient(xv, 0, X)
        g = g.copy()
        g[1:11] *= 2.0  # 10 rows wrong
        return loss, g

    res = gradcheck(f, big)
    assert res.kind == "rows"
    assert "(10 in all)" in res.diagnosis


def test_long_vectors_are_shortened():
    x = np.random.default_rng(4).normal(size=(3, 8))
    res = gradcheck(lambda X: (float(np.sum(X**2)), np.tile(np.arange(8.0), (3, 1))), x)
    assert res.kind == "same-rows" and "…" in res.diagnosis


# --------------------------------------------------------------------------- terms

TERMS = {
    "u_o": U[O],
    "Σ_w ŷ_w u_w": y_hat() @ U,
    "Σ_w ŷ_w v_w": y_hat() @ VC,
    "v_c": v,
}


@pytest.mark.parametrize(
    "grad,expect",
    [
        (lambda x: y_hat(x) @ U, ["missing the term −u_o"]),
        (lambda x: -U[O] + y_hat(x) @ U + x, ["extra term v_c"]),
        (lambda x: -U[O] + y_hat(x) @ VC, ["uses Σ_w ŷ_w v_w where Σ_w ŷ_w u_w belongs"]),
        (lambda x: -2 * U[O] + y_hat(x) @ U, ["has −2·u_o where the true gradient has −u_o"]),
        (
            lambda x: U[O] + y_hat(x) @ VC,
            ["has u_o where the true gradient has −u_o", "missing the term Σ_w ŷ_w u_w", "extra term Σ_w ŷ_w v_w"],
        ),
    ],
)
def test_terms_name_what_is_missing_extra_or_swapped(grad, expect):
    res = gradcheck(with_grad(loss_v, grad), v, terms=TERMS)
    assert not res.passed and res.kind == "terms"
    for text in expect:
        assert text in res.diagnosis, res.diagnosis
    assert "true gradient = −u_o + Σ_w ŷ_w u_w" in res.diagnosis


def test_terms_do_not_override_a_constant_factor():
    res = gradcheck(with_grad(loss_v, lambda x: 2 * true_gv(x)), v, terms=TERMS)
    assert res.kind == "factor"


def test_terms_that_cannot_explain_the_gradient_are_ignored():
    rng = np.random.default_rng(9)
    junk = {"a": rng.normal(size=D), "b": rng.normal(size=D)}
    wrong = lambda x: true_gv(x) + np.array([1.0, 0, 0, 0, 0])
    res = gradcheck(with_grad(loss_v, wrong), v, terms=junk)  # the true gradient is not in their span
    assert res.kind == "coordinates"
    dependent = {"u_o": U[O], "2 u_o": 2 * U[O], "Σ_w ŷ_w u_w": y_hat() @ U}
    res = gradcheck(with_grad(loss_v, lambda x: y_hat(x) @ U), v, terms=dependent)  # rank-deficient
    assert res.kind != "terms"
    res = gradcheck(with_grad(loss_v, lambda x: true_gv(x) + rng.normal(size=D)), v, terms=TERMS)
    assert res.kind != "terms"  # analytic outside the span


def test_terms_on_a_matrix_lead_with_the_row_diagnosis():
    yh = y_hat()
    terms = {"ŷ_w v_c": np.outer(yh, v), "y_w v_c": np.outer(np.eye(V)[O], v)}
    res = gradcheck(with_grad(loss_U, lambda X: np.outer(y_hat(v, X), v)), U, terms=terms)
    assert res.kind == "terms"
    assert res.diagnosis.startswith("Some rows right")  # row O is the wrong one
    assert res.wrong == (O,)
    assert "missing the term −y_w v_c" in res.diagnosis


def test_a_broadcast_term_is_allowed():
    # a (d,) term broadcast over the rows of a (V, d) gradient
    terms = {"ŷ_w v_c": np.outer(y_hat(), v), "y_w v_c": np.outer(np.eye(V)[O], v), "v_c (every row)": v}
    res = gradcheck(with_grad(loss_U, lambda X: true_gU(X) + v), U, terms=terms)
    assert res.kind == "terms" and "extra term v_c (every row)" in res.diagnosis


# --------------------------------------------------------------------------- correct gradients pass


@given(st.integers(2, 12), st.integers(1, 6), st.integers(0, 2**32 - 1))
@FAST
def test_correct_gradients_pass_and_broken_ones_fail(V_, d_, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(V_, d_))
    x = rng.normal(size=d_)
    o = int(rng.integers(V_))
    good = gradcheck(lambda z: naive_softmax_loss_and_gradient(z, o, X)[:2], x)
    assert good.passed or good.kind == "vacuous", repr(good)
    if good.passed and np.max(np.abs(good.numerical)) > 1e-3:
        bad = gradcheck(lambda z: (lambda r: (r[0], -r[1]))(naive_softmax_loss_and_gradient(z, o, X)), x)
        assert not bad.passed and bad.kind == "sign"


# --------------------------------------------------------------------------- less common paths


def test_exact_agreement_prints_zero_error():
    # f(x) = x: the difference quotient divides by the very step it took, so it is exactly 1
    res = gradcheck(lambda z: (float(z), 1.0), 3.0)
    assert res.passed and res.max_relative_error == 0.0
    assert "max relative error 0 " in repr(res)


def test_passing_error_is_printed_as_a_coarse_bound():
    """A passing error prints as < rtol/10 (or < rtol), so notebook outputs are machine-independent."""
    res = gradcheck(lambda x: naive_softmax_loss_and_gradient(x, O, U)[:2], v)
    bound = float(repr(res).split("max relative error < ")[1].split()[0])
    assert res.max_relative_error < bound and np.isclose(bound, res.rtol / 10)
    from w2v_helpers.gradcheck import _error_text

    assert _error_text(3e-6, True, 1e-5) == "< 1e-05" and _error_text(3e-9, True, 1e-5) == "< 1e-06"
    assert _error_text(0.123456, False) == "0.123" and _error_text(np.inf, False) == "inf"


def test_gradient_where_the_true_one_is_zero():
    # at the minimum of x^2 the true derivative is 0; claiming 1 is simply wrong
    res = gradcheck(lambda z: (float(z) ** 2, 1.0), 0.0)
    assert not res.passed and res.kind == "wrong"
    assert "cosine similarity with the true gradient 0.000" in res.diagnosis
    res = gradcheck(lambda z: (3.0, np.ones_like(z)), v)  # a constant with a made-up gradient
    assert not res.passed and res.kind == "wrong" and res.factor is None


def test_same_size_wrong_shape_wrong_numbers():
    res = gradcheck(with_grad(loss_U, lambda X: 2 * true_gU(X).reshape(3, 10)), U)
    assert res.kind == "shape" and "Right numbers" not in res.diagnosis
    assert "(3, 10)" in res.diagnosis and "(6, 5)" in res.diagnosis


def test_known_vectors_of_other_shapes_or_directions_are_skipped():
    known = {"wrong shape": np.ones(3), "u_o": U[O], "v_c": v}
    res = gradcheck(with_grad(loss_U, lambda X: np.tile(-2 * v, (V, 1))), U, known_vectors=known)
    assert res.kind == "same-rows" and "(−2·v_c)" in res.diagnosis


def test_terms_whose_coefficients_agree_to_print_precision_are_not_named():
    # -1.0001 u_o prints like -u_o: the terms cannot name the slip, another rule does
    res = gradcheck(with_grad(loss_v, lambda x: -1.0001 * U[O] + y_hat(x) @ U), v, terms=TERMS)
    assert not res.passed and res.kind != "terms"


def test_a_wrong_row_with_no_pattern_gets_no_detail():
    def g(X):
        out = true_gU(X)
        out[2] = [0.0, 1.0, -2.0, 3.0, 0.5]
        return out

    res = gradcheck(with_grad(loss_U, g), U)
    assert res.kind == "rows" and res.wrong == (2,)
    assert "row 2 of 6 disagree" in res.diagnosis and "In detail" not in res.diagnosis


def test_three_dimensional_x_is_checked_row_by_row():
    x = np.random.default_rng(8).normal(size=(3, 2, 2))
    f = lambda z: (float(np.sum(z**3)), 3 * z**2 * np.array([1.0, 2.0, 1.0])[:, None, None])
    res = gradcheck(f, x)
    assert res.kind == "rows" and res.wrong == (1,)
    assert "1 (2×)" in res.diagnosis
