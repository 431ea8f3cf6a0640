import matplotlib as mpl
import pytest

from w2v_helpers import style
from w2v_helpers.plots import context_window_figure


def test_presenter_on_and_off():
    base = mpl.rcParams["font.size"]
    try:
        style.presenter()
        assert mpl.rcParams["font.size"] > base
        assert mpl.rcParams["lines.linewidth"] >= 3
        assert mpl.rcParams["axes.prop_cycle"].by_key()["color"][0] == style.PALETTE["blue"]
    finally:
        style.presenter(False)
    assert mpl.rcParams["font.size"] == mpl.rcParamsDefault["font.size"]


def test_classroom_is_scoped():
    before = mpl.rcParams["font.size"]
    with style.classroom():
        assert mpl.rcParams["font.size"] == 15
    assert mpl.rcParams["font.size"] == before


def test_context_window_figure_highlights_the_window():
    fig = context_window_figure("a b c d e f".split(), t=2, m=2)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "center $w_t$ ($v_c$)" in texts
    assert sum("$j=" in t for t in texts) == 4  # j = -2, -1, +1, +2
    fig = context_window_figure("a b c".split(), t=0, m=2)  # clipped at the left edge
    assert sum("$j=" in t.get_text() for t in fig.axes[0].texts) == 2


@pytest.mark.parametrize("args, match", [((["a"], 1, 1), "t"), ((["a", "b"], 0, 0), "m"), (([], 0, 1), "words")])
def test_context_window_figure_bad_input(args, match):
    with pytest.raises(ValueError, match=match):
        context_window_figure(*args)
