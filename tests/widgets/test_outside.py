"""The part (c) explorer (notebook 03): plotted numbers match w2v_helpers, Step does gradient
descent on every u_w, the PNG follows the controls."""

import numpy as np
import pytest

from w2v_helpers import naive_softmax_loss_and_gradient
from w2v_helpers.answer_sheet import sheet_outside_gradient
from w2v_helpers.scenes import toy_scene
from w2v_helpers.widgets import outside as sw

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SCENE = toy_scene()
U = SCENE.outside_vectors
VC = SCENE.center_vectors


@pytest.mark.parametrize("o", [0, 1, 4])
def test_outside_state_matches_core(o):
    v = np.array([-0.7, 0.9])
    st = sw.outside_state(v, o, U)
    loss, _, G = naive_softmax_loss_and_gradient(v, o, U)
    assert st["loss"] == pytest.approx(loss)
    np.testing.assert_allclose(st["grad"], G, atol=1e-12)
    np.testing.assert_allclose(st["grad"], np.outer(st["y_hat"] - st["y"], v), atol=1e-12)
    np.testing.assert_allclose(st["coef"], st["y_hat"] - st["y"])
    np.testing.assert_allclose(st["sheet_grad"], sheet_outside_gradient(v, o, U))
    # the sheet's rows are all −ŷ_o v_c
    np.testing.assert_allclose(st["sheet_grad"], np.tile(-st["y_hat"][o] * v, (6, 1)))


@pytest.fixture
def outside():
    return sw.outside_gradient_explorer()


def test_outside_explorer_state(outside):
    st = outside.state(v1=0.5, v2=1.5, o=2)
    _, _, G = naive_softmax_loss_and_gradient([0.5, 1.5], 2, U)
    np.testing.assert_allclose(st["grad"], G)
    np.testing.assert_allclose(st["outside_vectors"], U)
    assert st["steps"] == 0
    U2 = U + 0.3
    st2 = outside.state(v1=0.5, v2=1.5, o=2, outside_vectors=U2)
    np.testing.assert_allclose(st2["grad"], naive_softmax_loss_and_gradient([0.5, 1.5], 2, U2)[2])


def test_outside_explorer_step_and_reset(outside):
    vals = outside.values()
    v = np.array([vals["v1"], vals["v2"]])
    l0 = outside.state()["loss"]
    outside.step()
    U1 = U - vals["lr"] * naive_softmax_loss_and_gradient(v, vals["o"], U)[2]
    np.testing.assert_allclose(outside.outside_vectors(), U1)
    st = outside.state()
    assert st["steps"] == 1 and st["history"].shape == (2, 6, 2) and st["loss"] < l0
    # u_o moved along +v_c, every other u_w along −v_c
    moved = U1 - U
    for w in range(6):
        cos = moved[w] @ v / (np.linalg.norm(moved[w]) * np.linalg.norm(v))
        assert cos == pytest.approx(1.0 if w == vals["o"] else -1.0)
    outside.step(10)
    assert outside.state()["steps"] == 11
    outside.reset()
    np.testing.assert_allclose(outside.outside_vectors(), U)
    assert outside.state()["steps"] == 0


def test_outside_explorer_png_changes(outside):
    a = outside.render(v1=0.8, v2=0.5, o=1, sheet=False)
    b = outside.render(v1=0.8, v2=-0.5, o=1, sheet=False)
    c = outside.render(v1=0.8, v2=-0.5, o=1, sheet=True)
    outside.step()
    d = outside.render(v1=0.8, v2=-0.5, o=1, sheet=True)
    assert a[:8] == PNG_MAGIC
    assert len({a, b, c, d}) == 4
    assert "ŷ<sub>w</sub> − y<sub>w</sub>" in outside.readout_view.value


def test_outside_compute_is_pure():
    ex = sw.outside_gradient_explorer()
    U1 = U - 0.1
    st = ex.compute(v1=0.3, v2=0.9, o=2, lr=0.4, sheet=True, history=(U, U1))
    assert st["steps"] == 1
    np.testing.assert_allclose(st["outside_vectors"], U1)
    np.testing.assert_allclose(st["grad"], naive_softmax_loss_and_gradient([0.3, 0.9], 2, U1)[2])
    np.testing.assert_allclose(st["next"], U1 - 0.4 * st["grad"])
    assert st["show_sheet"] is True
    ex.step(2)
    again = ex.compute(v1=0.3, v2=0.9, o=2, lr=0.4, sheet=True, history=(U, U1))
    np.testing.assert_array_equal(again["grad"], st["grad"])
