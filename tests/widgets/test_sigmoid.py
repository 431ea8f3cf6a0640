"""The sigmoid explorer (notebook 01): its numbers match w2v_helpers, its PNG follows the controls."""

import numpy as np
import pytest

from w2v_helpers import sigmoid, sigmoid_grad
from w2v_helpers.widgets import sigmoid as sw

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def explorer():
    return sw.sigmoid_explorer()


def test_explorers_registry():
    assert set(sw.EXPLORERS) == {"sigmoid"}
    for factory in sw.EXPLORERS.values():
        assert factory().render()[:8] == PNG_MAGIC


@pytest.mark.parametrize("x", [-7.5, -2.0, 0.0, 0.35, 3.0, 8.0])
def test_sigma_view_numbers(explorer, x):
    st = explorer.state(x=x, view="σ(x)")
    assert st["sigma"] == pytest.approx(sigmoid(x), rel=1e-12)
    assert st["dsigma"] == pytest.approx(sigmoid_grad(x), rel=1e-12)
    # σ′ = σ(1 − σ), and 1 − σ(x) = σ(−x)
    assert st["dsigma"] == pytest.approx(st["sigma"] * (1 - st["sigma"]), rel=1e-9, abs=1e-15)
    assert st["one_minus_sigma"] == pytest.approx(st["sigma_neg"], rel=1e-9, abs=1e-15)
    assert st["point"] == pytest.approx((x, sigmoid(x)))
    assert st["slope"] == pytest.approx(sigmoid_grad(x))
    # the drawn tangent goes through (x, σ(x)) with slope σ′(x)
    t, y = st["tangent_t"], st["tangent_y"]
    assert (y[1] - y[0]) / (t[1] - t[0]) == pytest.approx(sigmoid_grad(x), rel=1e-9, abs=1e-14)
    assert np.interp(x, t, y) == pytest.approx(sigmoid(x), abs=1e-12)
    assert st["saturated"] == (sigmoid_grad(x) < sw.SATURATION)


@pytest.mark.parametrize("x", [-6.0, -1.0, 0.5, 5.0])
def test_log_view_numbers(explorer, x):
    st = explorer.state(x=x, view="log σ(x)")
    assert st["log_sigma"] == pytest.approx(np.log(sigmoid(x)), rel=1e-12)
    # d/dx log σ(x) = 1 − σ(x) = σ(−x), checked against a central difference
    h = 1e-6
    num = (np.log(sigmoid(x + h)) - np.log(sigmoid(x - h))) / (2 * h)
    assert st["dlog_sigma"] == pytest.approx(num, rel=1e-6)
    assert st["slope"] == pytest.approx(sigmoid(-x), rel=1e-12)
    assert st["point"] == pytest.approx((x, np.log(sigmoid(x))))
    assert st["saturated"] == (sigmoid(-x) < sw.SATURATION)


def test_log_sigma_does_not_saturate_on_the_left(explorer):
    assert explorer.state(x=-8.0, view="σ(x)")["saturated"]
    assert not explorer.state(x=-8.0, view="log σ(x)")["saturated"]
    assert explorer.state(x=8.0, view="log σ(x)")["saturated"]


def test_saturation_threshold():
    x_star = sw.saturation_threshold()
    assert sigmoid_grad(x_star) == pytest.approx(sw.SATURATION, rel=1e-9)
    assert sigmoid_grad(-x_star) == pytest.approx(sw.SATURATION, rel=1e-9)
    assert sigmoid_grad(x_star + 0.01) < sw.SATURATION < sigmoid_grad(x_star - 0.01)
    with pytest.raises(ValueError, match="level"):
        sw.saturation_threshold(0.3)


def test_bad_view_raises():
    with pytest.raises(ValueError, match="view"):
        sw.sigmoid_state(0.0, view="tanh")


def test_render_png_changes_with_controls(explorer):
    a = explorer.render(x=-1.0, view="σ(x)")
    b = explorer.render(x=2.0, view="σ(x)")
    c = explorer.render(x=2.0, view="log σ(x)")
    d = explorer.render(x=-1.0, view="σ(x)")
    assert a[:8] == PNG_MAGIC
    assert a != b and b != c
    assert a == d  # same controls, same picture (the cached background is reused correctly)
    assert explorer.last_state["x"] == -1.0
    assert "σ′(x)" in explorer.readout_view.value


def test_readout_mentions_saturation(explorer):
    explorer.render(x=-7.0, view="σ(x)")
    assert "saturated" in explorer.readout_view.value and "not saturated" not in explorer.readout_view.value
    explorer.render(x=0.0, view="σ(x)")
    assert "not saturated" in explorer.readout_view.value


def test_update_redraws_only_the_dynamic_artists():
    """Moving x restores the view's cached background and draws only the tangent, points and
    labels; switching the view back reuses the background drawn for it before. (What keeps an
    update fast, checked by counting, never by a clock.)"""
    ex = sw.sigmoid_explorer()
    ff = ex.figure
    assert ff.full_draws == 2  # both views' backgrounds were drawn when it was built
    ex.render(x=0.0, view="σ(x)")
    for x in np.linspace(-7, 7, 15):
        reuses = ff.reuses
        ex.render(x=float(x))
        assert ff.full_draws == 2 and ff.reuses == reuses + 1
        assert set(map(id, ff.last_drawn)) <= set(map(id, ff.dynamic)) and len(ff.last_drawn) == 6
    ex.render(view="log σ(x)")
    ex.render(view="σ(x)")
    assert ff.full_draws == 2  # no view switch redraws the whole figure


def test_compute_is_sigmoid_state(explorer):
    for x, view in ((0.3, "σ(x)"), (-4.0, "log σ(x)")):
        a, b = explorer.compute(x=x, view=view), sw.sigmoid_state(x, view)
        assert a.keys() == b.keys() and a["slope"] == b["slope"] and a["point"] == b["point"]


def test_log_sigma_is_stable_far_out():
    st = sw.sigmoid_state(-1e4, "log σ(x)")  # pytest turns RuntimeWarnings into errors
    assert st["log_sigma"] == pytest.approx(-1e4) and st["dlog_sigma"] == pytest.approx(1.0)
    st = sw.sigmoid_state(1e4, "σ(x)")
    assert st["sigma"] == 1.0 and st["dsigma"] == 0.0 and st["saturated"]


def test_every_control_changes_the_picture(explorer):
    base = explorer.render(x=1.0, view="σ(x)")
    assert explorer.render(x=1.5, view="σ(x)") != base
    assert explorer.render(x=1.0, view="log σ(x)") != base


@pytest.mark.parametrize("x, view", [(-2.0, "σ(x)"), (0.7, "log σ(x)"), (5.0, "σ(x)")])
def test_drawn_artists_follow_the_state(x, view):
    """The picture shows the numbers: a dynamic line is the tangent at x, a point sits at
    (x, value) and another at (x, slope), and the labels print them."""
    from matplotlib.lines import Line2D

    ex = sw.sigmoid_explorer()
    ex.render(x=x, view=view)
    st = ex.last_state
    lines = [a for a in ex.figure.dynamic if isinstance(a, Line2D)]
    data = [(np.asarray(ln.get_xdata(), float), np.asarray(ln.get_ydata(), float)) for ln in lines]
    assert any(
        xs.shape == st["tangent_t"].shape and np.allclose(xs, st["tangent_t"]) and np.allclose(ys, st["tangent_y"])
        for xs, ys in data
    )
    assert any(xs.tolist() == [x] and np.allclose(ys, [st["point"][1]]) for xs, ys in data)
    assert any(xs.tolist() == [x] and np.allclose(ys, [st["slope"]]) for xs, ys in data)
    texts = " ".join(a.get_text() for a in ex.figure.dynamic if hasattr(a, "get_text"))
    assert f"x = {x:+.2f}" in texts and f"{st['slope']:.4f}" in texts
