import pytest

from w2v_helpers.widgets.answer import answer_explorer, answer_view


def test_view_right_and_wrong():
    right = answer_view(r"\frac{\partial J}{\partial v_c} = U(\hat y - y)")
    wrong = answer_view(r"\frac{\partial J}{\partial v_c} = -U(\hat y - y)")
    assert right["passed"] and right["verdict"] == "right" and right["preview"].startswith("$$")
    assert not wrong["passed"] and "Sign" in wrong["diagnosis"] and wrong["colour"] != right["colour"]


def test_view_empty_and_unreadable():
    assert not answer_view("   ")["readable"]
    v = answer_view(r"\frac{\partial J}{")
    assert not v["readable"] and "could not be read" in v["verdict"]
    with pytest.raises(ValueError):
        answer_view(None)


def test_explorer_updates_live():
    box = answer_explorer()
    area, _, preview, result = box.children
    assert "verdict: right" in result.value
    area.value = r"\frac{\partial J}{\partial v_c} = u_o - \sum_w \hat y_w u_w"
    assert "verdict: wrong" in result.value and "$$" in preview.value
