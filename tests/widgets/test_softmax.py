"""The part (b) explorer (notebook 02) and what it shares with part (c)'s (notebook 03): plotted numbers match w2v_helpers,
Step does gradient descent, the PNG follows the controls, an update redraws only what moves."""

import numpy as np
import pytest

from w2v_helpers import gradcheck, naive_softmax_loss_and_gradient, softmax
from w2v_helpers.answer_sheet import sheet_center_gradient
from w2v_helpers.scenes import toy_scene
from w2v_helpers.widgets import outside as ow
from w2v_helpers.widgets import softmax as sw

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SCENE = toy_scene()
U = SCENE.outside_vectors
VC = SCENE.center_vectors


FACTORIES = {**sw.EXPLORERS, **ow.EXPLORERS}


def test_registry():
    assert set(sw.EXPLORERS) == {"center_gradient"} and set(ow.EXPLORERS) == {"outside_gradient"}
    # the old import path of part (c)'s explorer keeps working
    assert sw.outside_gradient_explorer is ow.outside_gradient_explorer
    assert sw.outside_state is ow.outside_state
    for factory in FACTORIES.values():
        assert factory().render()[:8] == PNG_MAGIC


# --- the pure functions ---------------------------------------------------------------
@pytest.mark.parametrize("o", range(6))
def test_center_state_matches_core(o):
    v = np.array([0.3, -1.2])
    st = sw.center_state(v, o, U, VC)
    loss, g, _ = naive_softmax_loss_and_gradient(v, o, U)
    assert st["loss"] == pytest.approx(loss)
    np.testing.assert_allclose(st["grad"], g, atol=1e-12)
    np.testing.assert_allclose(st["descent"], -g, atol=1e-12)
    # expected minus observed: ∂J/∂v_c = Σ_w ŷ_w u_w − u_o
    np.testing.assert_allclose(st["expected"] - st["observed"], g, atol=1e-12)
    np.testing.assert_allclose(st["y_hat"], softmax(U @ v))
    assert st["y"][o] == 1.0 and st["y"].sum() == 1.0
    np.testing.assert_allclose(st["sheet_grad"], sheet_center_gradient(v, o, U, VC))
    assert sw.center_state(v, o, U)["sheet_grad"] is None


def test_loss_surface_matches_core_and_its_gradient():
    xs, ys = np.linspace(-2, 2, 5), np.linspace(-1, 1, 3)
    Z = sw.loss_surface(2, U, xs, ys)
    assert Z.shape == (3, 5)
    for i, y in enumerate(ys):
        for j, x in enumerate(xs):
            assert Z[i, j] == pytest.approx(naive_softmax_loss_and_gradient([x, y], 2, U)[0])
    # the contours' surface has gradient ∂J/∂v_c: check it on a fine grid around a point
    h = 1e-5
    v = np.array([0.4, 0.2])
    Zx = sw.loss_surface(2, U, [v[0] - h, v[0] + h], [v[1]])
    Zy = sw.loss_surface(2, U, [v[0]], [v[1] - h, v[1] + h])
    num = np.array([(Zx[0, 1] - Zx[0, 0]) / (2 * h), (Zy[1, 0] - Zy[0, 0]) / (2 * h)])
    np.testing.assert_allclose(num, naive_softmax_loss_and_gradient(v, 2, U)[1], rtol=1e-6)


def test_loss_surface_is_stable_for_large_scores():
    Z = sw.loss_surface(0, 100 * U, [-50.0, 50.0], [-50.0, 50.0])
    assert np.all(np.isfinite(Z)) and np.all(Z >= 0)


def test_descend_center_decreases_loss_and_stops_at_zero_gradient():
    # "coffee" (o = 0) lies inside the convex hull of the u_w: J has a finite minimum,
    # where Σ_w ŷ_w u_w = u_o and the gradient vanishes
    path = sw.descend_center(VC[0], 0, U, lr=0.5, steps=400)
    losses = [naive_softmax_loss_and_gradient(v, 0, U)[0] for v in path]
    assert np.all(np.diff(losses) <= 1e-12)
    g = naive_softmax_loss_and_gradient(path[-1], 0, U)[1]
    assert np.linalg.norm(g) < 1e-6
    st = sw.center_state(path[-1], 0, U)
    np.testing.assert_allclose(st["expected"], U[0], atol=1e-6)
    # "cup" is a corner of the hull: no finite minimum, v_c runs to the boundary of the box
    path = sw.descend_center(VC[0], 1, U, lr=0.5, steps=400)
    assert np.max(np.abs(path[-1])) == pytest.approx(sw.V_LIM)
    assert np.linalg.norm(naive_softmax_loss_and_gradient(path[-1], 1, U)[1]) > 0.01


# --- the part (b) explorer ------------------------------------------------------------
@pytest.fixture
def center():
    return sw.center_gradient_explorer()


def test_center_explorer_state(center):
    st = center.state(v1=1.0, v2=-0.5, o=3)
    loss, g, _ = naive_softmax_loss_and_gradient([1.0, -0.5], 3, U)
    assert st["loss"] == pytest.approx(loss)
    np.testing.assert_allclose(st["grad"], g)
    np.testing.assert_allclose(st["next"], np.array([1.0, -0.5]) - center.values()["lr"] * g)
    assert st["path"].shape == (1, 2)
    np.testing.assert_allclose(
        st["surface"], sw.loss_surface(3, U, np.linspace(-2.5, 2.5, sw.GRID), np.linspace(-2.5, 2.5, sw.GRID))
    )
    # the plotted gradient passes gradcheck against the plotted loss
    r = gradcheck(
        lambda v: (center.state(v1=v[0], v2=v[1], o=3)["loss"], center.state(v1=v[0], v2=v[1], o=3)["grad"]),
        np.array([1.0, -0.5]),
    )
    assert r.passed, r.diagnosis


def test_center_explorer_step_and_reset(center):
    v0 = np.array([center.controls["v1"].value, center.controls["v2"].value])
    o, lr = center.controls["o"].value, center.controls["lr"].value
    l0 = center.state()["loss"]
    center.step()
    v1 = np.array([center.controls["v1"].value, center.controls["v2"].value])
    np.testing.assert_allclose(v1, v0 - lr * naive_softmax_loss_and_gradient(v0, o, U)[1])
    st = center.state()
    assert st["path"].shape == (2, 2) and st["loss"] < l0
    center.step(10)
    st = center.state()
    assert st["path"].shape == (12, 2)
    np.testing.assert_allclose(st["path"], sw.descend_center(v0, o, U, lr, 11), atol=1e-12)
    # moving a slider by hand starts a new path; so does changing o
    center.controls["v1"].value = -1.0
    assert center.state()["path"].shape == (1, 2)
    center.step()
    assert center.state()["path"].shape == (2, 2)
    assert center.state(o=(o + 1) % 6)["path"].shape == (1, 2)
    center.reset()
    np.testing.assert_allclose([center.controls["v1"].value, center.controls["v2"].value], VC[0])
    assert center.state()["path"].shape == (1, 2)


def test_center_explorer_png_changes(center):
    a = center.render(v1=0.8, v2=0.5, o=1, sheet=False)
    b = center.render(v1=-0.3, v2=0.5, o=1, sheet=False)
    c = center.render(v1=-0.3, v2=0.5, o=4, sheet=False)
    d = center.render(v1=-0.3, v2=0.5, o=4, sheet=True)
    e = center.render(v1=0.8, v2=0.5, o=1, sheet=False)
    assert a[:8] == PNG_MAGIC
    assert len({a, b, c, d}) == 4
    assert a == e
    assert "Σ<sub>w</sub> ŷ<sub>w</sub> u<sub>w</sub>" in center.readout_view.value  # math as math


def test_refresh_and_set_values_draw_once(center, monkeypatch):
    calls = []
    monkeypatch.setattr(center, "render", lambda **kw: calls.append(kw) or PNG_MAGIC)
    center.set_values(v1=0.1, v2=0.2)
    assert len(calls) == 1
    assert calls[0]["v1"] == 0.1 and calls[0]["v2"] == 0.2


def test_two_d_only():
    from dataclasses import replace

    scene = replace(SCENE, outside_vectors=np.ones((6, 3)), center_vectors=np.ones((6, 3)))
    with pytest.raises(ValueError, match="2-D"):
        sw.center_gradient_explorer(scene)
    with pytest.raises(ValueError, match="2-D"):
        sw.outside_gradient_explorer(scene)


@pytest.mark.parametrize("name", ["center_gradient", "outside_gradient"])
def test_update_redraws_only_the_dynamic_artists(name):
    """What keeps an update fast, on any machine: moving v_c or o restores the cached
    background (the contours, tick labels, titles are not drawn again) and draws only the
    registered dynamic artists; the picture equals a full redraw."""
    ex = FACTORIES[name]()
    ff = ex.figure
    rng = np.random.default_rng(0)
    ex.render()
    full = ff.full_draws
    for i in range(15):
        kw = dict(v1=float(rng.uniform(-2.5, 2.5)), v2=float(rng.uniform(-2.5, 2.5)))
        if i % 5 == 0:
            kw["o"] = int(rng.integers(6))
        reuses = ff.reuses
        ex.render(**kw)
        assert ff.full_draws == full and ff.reuses == reuses + 1, kw
        assert ff.last_drawn and all(a in ff.dynamic for a in ff.last_drawn)
    assert sum(a.get_animated() for a in ff.fig.axes[0].get_children()) == len(
        [a for a in ff.dynamic if a.axes is ff.fig.axes[0]]
    )  # nothing else is animated
    png = ex.render(**kw)
    ff.invalidate()
    assert ex.render(**kw) == png and ff.full_draws == full + 1


# --- the static picture -----------------------------------------------------------------
def test_convex_hull():
    square = [[0, 0], [1, 0], [0, 1], [1, 1], [0.3, 0.4], [0.5, 0]]
    hull = sw.convex_hull(square)
    assert {tuple(p) for p in hull} == {(0, 0), (1, 0), (1, 1), (0, 1)}
    # counter-clockwise: positive signed area
    x, y = hull[:, 0], hull[:, 1]
    assert 0.5 * np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y) == pytest.approx(1.0)
    # in the toy scene, coffee is the only u_w inside the hull
    corners = {tuple(p) for p in sw.convex_hull(U)}
    inside = [w for w in SCENE.words if tuple(U[SCENE.index(w)]) not in corners]
    assert inside == ["coffee"]


def test_descent_paths_figure():
    fig = sw.descent_paths_figure(("coffee", "cup"), lr=0.5, steps=60)
    axes = fig.get_axes()
    assert len(axes) == 2
    assert "inside the hull" in axes[0].get_title() and "a corner" in axes[1].get_title()
    path = sw.descend_center(VC[0], 0, U, 0.5, 60, lim=None)
    loss = naive_softmax_loss_and_gradient(path[-1], 0, U)[0]
    assert f"J = {loss:.3f}" in axes[0].get_title()
    # the drawn path is descend_center's
    lines = [ln for ln in axes[1].get_lines() if len(ln.get_xdata()) == 61]
    np.testing.assert_allclose(lines[0].get_xydata(), sw.descend_center(VC[0], 1, U, 0.5, 60, lim=None))
    with pytest.raises(KeyError):
        sw.descent_paths_figure(("coffee", "tiger"))


def test_every_control_changes_the_picture():
    """The browser harness moves each control and expects the figure to change; lr moves the
    hollow 'next step' markers."""
    for name in ("center_gradient", "outside_gradient"):
        ex = FACTORIES[name]()
        base = ex.render()
        for cname, value in (("v1", 0.3), ("v2", -0.4), ("o", 3), ("lr", 1.5), ("sheet", True)):
            assert ex.render(**{cname: value}) != base, (name, cname)
            ex.render()


def test_next_step_markers():
    ex = sw.center_gradient_explorer()
    st = ex.state(v1=0.2, v2=0.1, o=2, lr=0.7)
    np.testing.assert_allclose(st["next"], sw.descend_center([0.2, 0.1], 2, U, 0.7, 1)[1])
    ex = sw.outside_gradient_explorer()
    st = ex.state(v1=0.2, v2=0.1, o=2, lr=0.7)
    np.testing.assert_allclose(st["next"], U - 0.7 * naive_softmax_loss_and_gradient([0.2, 0.1], 2, U)[2])


def test_buttons_drive_the_figure():
    """The Step / 10 steps / Reset buttons call the explorer's methods and change the picture."""
    for factory in (sw.center_gradient_explorer, sw.outside_gradient_explorer):
        ex = factory()
        assert set(ex.buttons) == {"step", "step10", "reset"}
        before = ex.render()
        ex.buttons["step"].click()
        after_one = ex.render()
        assert after_one != before
        ex.buttons["step10"].click()
        st = ex.state()
        steps = st["steps"] if "steps" in st else len(st["path"]) - 1
        assert steps == 11
        assert ex.render() != after_one
        ex.buttons["reset"].click()
        assert ex.render() == before


@pytest.mark.parametrize("o", [0, 1, 5])
def test_center_compute_is_pure(o):
    """compute depends on its arguments only: the explorer's path enters as an argument."""
    ex = sw.center_gradient_explorer()
    v = np.array([0.4, -0.6])
    path = (np.array([1.0, 1.0]), np.array([0.7, 0.2]), v)
    st = ex.compute(v1=v[0], v2=v[1], o=o, lr=0.5, sheet=False, path=path, path_o=o)
    np.testing.assert_allclose(st["path"], np.array(path))
    # the same arguments give the same numbers, whatever the explorer did in between
    ex.step(3)
    again = ex.compute(v1=v[0], v2=v[1], o=o, lr=0.5, sheet=False, path=path, path_o=o)
    for key in ("loss", "grad", "path", "next", "y_hat"):
        np.testing.assert_array_equal(st[key], again[key])
    # a path for another o, or one that does not end at v_c, is not shown
    assert ex.compute(v1=v[0], v2=v[1], o=o, lr=0.5, sheet=False, path=path, path_o=(o + 1) % 6)["path"].shape == (1, 2)
    assert ex.compute(v1=0.0, v2=0.0, o=o, lr=0.5, sheet=False, path=path, path_o=o)["path"].shape == (1, 2)
    np.testing.assert_allclose(
        st["surface"], sw.loss_surface(o, U, np.linspace(-2.5, 2.5, sw.GRID), np.linspace(-2.5, 2.5, sw.GRID))
    )


def test_descend_center_needs_a_positive_number_of_steps():
    with pytest.raises(ValueError, match="steps"):
        sw.descend_center(VC[0], 0, U, 0.5, steps=0)


def test_descent_paths_figure_needs_a_2d_scene():
    from dataclasses import replace

    scene = replace(SCENE, outside_vectors=np.ones((6, 3)), center_vectors=np.ones((6, 3)))
    with pytest.raises(ValueError, match="scene must be 2-D"):
        sw.descent_paths_figure(scene=scene)
