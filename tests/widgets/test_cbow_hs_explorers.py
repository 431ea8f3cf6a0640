"""Notebook 07's CBOW and notebook 08's hierarchical-softmax explorers on the shared base:
``compute`` is the pure state function, each control changes the picture, the readout follows."""

import numpy as np
import pytest

from w2v_helpers.cbow import cbow
from w2v_helpers.hierarchical import hierarchical_softmax_loss_and_gradient
from w2v_helpers.widgets import cbow as cw
from w2v_helpers.widgets import hierarchical as hw
from w2v_helpers.widgets._base import Explorer

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_cbow_compute_is_cbow_state_and_pure():
    ex = cw.cbow_explorer()
    assert isinstance(ex, cw.CbowExplorer) and isinstance(ex, Explorer)
    assert set(ex.controls) == {"ctx0", "ctx1", "ctx2", "ctx3", "center", "mean"}
    st = ex.compute(ctx0=2, ctx1=cw.EMPTY, ctx2=2, ctx3=4, center=6, mean=False)
    again = ex.compute(ctx0=2, ctx1=cw.EMPTY, ctx2=2, ctx3=4, center=6, mean=False)
    loss, gV, gU = cbow(6, [2, 2, 4], ex.scene.center_vectors, ex.scene.outside_vectors, mean=False)
    assert st["loss"] == loss == again["loss"]
    np.testing.assert_array_equal(st["grad_center_vectors"], gV)
    np.testing.assert_array_equal(st["grad_outside_vectors"], gU)
    assert ex.values() == {"ctx0": 0, "ctx1": 2, "ctx2": 3, "ctx3": 4, "center": 1, "mean": True}


def test_cbow_every_control_changes_the_picture_and_the_readout_follows():
    ex = cw.cbow_explorer()
    base = ex.render()
    for kw in (dict(ctx0=cw.EMPTY), dict(ctx1=5), dict(ctx2=6), dict(ctx3=0), dict(center=6), dict(mean=False)):
        assert ex.render(**kw) != base, kw
    assert ex.render() == base
    ex.render(ctx0=2, ctx1=2)
    assert "repeated: sat ×2" in ex.readout_view.value
    ex.render(ctx0=cw.EMPTY, ctx1=cw.EMPTY, ctx2=cw.EMPTY, ctx3=cw.EMPTY)
    assert "at least one context word" in ex.readout_view.value


def test_cbow_moving_a_control_updates_last_state():
    ex = cw.cbow_explorer()
    ex.controls["center"].value = 6
    assert ex.last_state["center"] == 6


@pytest.mark.parametrize("outside", range(8))
def test_hs_compute_is_hs_state_and_pure(outside):
    ex = hw.hierarchical_explorer()
    assert isinstance(ex, hw.HierarchicalExplorer)
    st = ex.compute(outside=outside, v0=-1.0, v1=0.7)
    loss, gv, gN = hierarchical_softmax_loss_and_gradient(
        np.array([-1.0, 0.7]), outside, ex.scene.node_vectors, ex.scene.tree
    )
    assert st["loss"] == loss == ex.compute(outside=outside, v0=-1.0, v1=0.7)["loss"]
    np.testing.assert_array_equal(st["grad_center_vec"], gv)
    np.testing.assert_array_equal(st["grad_node_vectors"], gN)
    assert st["leaf_p"].sum() == pytest.approx(1.0)


def test_hs_every_control_changes_the_picture():
    ex = hw.hierarchical_explorer()
    base = ex.render()
    assert base[:8] == PNG_MAGIC
    for kw in (dict(outside=0), dict(v0=-2.0), dict(v1=2.0)):
        assert ex.render(**kw) != base, kw
    assert ex.render() == base
    ex.render(outside=7)
    assert "aardvark" in ex.readout_view.value and "inner nodes get a gradient" in ex.readout_view.value
