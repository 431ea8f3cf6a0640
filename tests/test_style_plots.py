import matplotlib as mpl
import numpy as np
import pytest

from w2v_helpers import style
from w2v_helpers.plots import context_window_figure
from w2v_helpers.widgets import Explorer, FastFigure, new_figure


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
    assert sum("$j=" in t for t in texts) == 4          # j = -2, -1, +1, +2
    fig = context_window_figure("a b c".split(), t=0, m=2)   # clipped at the left edge
    assert sum("$j=" in t.get_text() for t in fig.axes[0].texts) == 2


@pytest.mark.parametrize("args, match", [((["a"], 1, 1), "t"), ((["a", "b"], 0, 0), "m"), (([], 0, 1), "words")])
def test_context_window_figure_bad_input(args, match):
    with pytest.raises(ValueError, match=match):
        context_window_figure(*args)


def test_explorer_renders_png_that_follows_the_controls():
    import ipywidgets as W

    fig, ax = new_figure(4, 3)
    (line,) = ax.plot([0, 1], [0, 0])
    ax.set_ylim(-1, 1)
    ff = FastFigure(fig)
    ff.add_dynamic(line)
    slider = W.FloatSlider(value=0.0, min=-1, max=1)
    ex = Explorer({"a": slider}, compute=lambda a: {"y": [0.0, a]},
                  draw=lambda s: line.set_ydata(s["y"]), figure=ff,
                  readout=lambda s: f"a = {s['y'][1]:.2f}")
    assert ex.state() == {"y": [0.0, 0.0]} and ex.state(a=0.5) == {"y": [0.0, 0.5]}
    png0 = ex.render()
    png1 = ex.render(a=0.8)
    assert png0[:8] == b"\x89PNG\r\n\x1a\n" and png0 != png1
    assert ex.readout.value == "a = 0.80"
    assert ex.render(a=0.0) == png0          # the cached background gives the same picture back
    ff.invalidate()
    assert ex.render(a=0.0) == png0
    rgba = ff.render_rgba()
    assert rgba.shape[2] == 4 and np.asarray(rgba).dtype == np.uint8


def test_keyed_backgrounds_are_reused_and_match_a_fresh_draw():
    import ipywidgets as W

    fig, ax = new_figure(4, 3)
    (line,) = ax.plot([0, 1], [0, 0])
    (static,) = ax.plot([0, 1], [1, -1])
    ff = FastFigure(fig)
    ff.add_dynamic(line)
    views = {"up": (-1, 1), "down": (1, -1)}

    def draw(state):
        if state["view"] != ff._key:
            static.set_ydata(views[state["view"]])
            ff.invalidate(key=state["view"])
        line.set_ydata([0, state["a"]])

    ex = Explorer({"a": W.FloatSlider(value=0.0, min=-1, max=1),
                   "view": W.Dropdown(options=list(views), value="up")},
                  compute=lambda a, view: {"a": a, "view": view}, draw=draw, figure=ff)
    up = ex.render()
    down = ex.render(view="down")
    assert down != up
    saved = dict(ff._saved)
    assert ex.render(view="up") == up and ff._saved["up"] is saved["up"]   # reused, not redrawn
    ff.invalidate()                                                          # a full redraw agrees
    assert ex.render(view="up") == up
