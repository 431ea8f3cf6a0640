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
    assert area.continuous_update  # every key press reaches the checker, not only leaving the box
    area.value = r"\frac{\partial J}{\partial v_c} = u_o - \sum_w \hat y_w u_w"
    assert "verdict: wrong" in result.value and "$$" in preview.value


@pytest.mark.parametrize("half", [r"\frac{\partial J}{", r"\frac{\partial J}{\partial v_c}} = u_o", "\\sigma'(x) = \\"])
def test_view_half_typed_answer_previews_its_source(half):
    """MathJax cannot typeset an open brace (it would leave raw $$...$$): the preview shows the
    source as code and says why, and the verdict still explains what could not be read."""
    v = answer_view(half)
    assert not v["readable"] and "$$" not in v["preview"]
    assert "<code>" in v["preview"] and "braces" in v["preview"]


@pytest.mark.parametrize(
    "ok",
    [
        r"\frac{\partial J}{\partial u_k} = \sigma(",
        r"\sigma'(x) = \{ x \}",
        r"\frac{\partial J}{\partial v_c} = U(\hat y - y)",
    ],
)
def test_view_balanced_answer_is_typeset(ok):
    assert answer_view(ok)["preview"] == f"$${ok}$$"


def test_explorer_is_marked_as_text_only_for_the_browser_harness():
    from w2v_helpers.widgets.answer import answer_explorer

    assert "w2v-browser-no-figure" in answer_explorer()._dom_classes
