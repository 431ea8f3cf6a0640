"""The shared explorer base: caching counted (never timed), one redraw per button, math in
readouts, and a display bundle that shows one thing in every front end."""

import base64
import importlib
import pkgutil

import numpy as np
import pytest

import w2v_helpers.widgets as widgets_pkg
from w2v_helpers.widgets._base import (
    OFFLINE_NOTE,
    WIDGET_VIEW_MIME,
    Explorer,
    FastFigure,
    LayeredFigure,
    math_html,
    new_figure,
)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class Line(Explorer):
    """The smallest explorer: a slider moves one end of a line; a button doubles it."""

    title = r"A line $y = a\,x$"

    def __init__(self, a=0.0, views=None):
        import ipywidgets as W

        fig, ax = new_figure(4, 3)
        (self.line,) = ax.plot([0, 1], [0, 0])
        (self.static,) = ax.plot([0, 1], [1, -1])
        ax.set_ylim(-1, 1)
        self.views = views or {"up": (-1, 1), "down": (1, -1)}
        controls = {
            "a": W.FloatSlider(value=a, min=-1, max=1),
            "view": W.Dropdown(options=list(self.views), value="up"),
        }
        button = W.Button(description="double")
        button.on_click(lambda _: self.double())
        self.draws = 0
        super().__init__(controls, FastFigure(fig, [self.line]), {"double": button})

    def compute(self, a, view):
        return {"y": [0.0, a], "view": view}

    def draw(self, st):
        self.draws += 1
        if st["view"] != self.figure.key:
            self.static.set_ydata(self.views[st["view"]])
            self.figure.invalidate(key=st["view"])
        self.line.set_ydata(st["y"])

    def readout(self, st):
        return f"a_1 = {st['y'][1]:.2f}"

    def double(self):
        self.set_values(a=max(-1.0, min(1.0, 2 * self.controls["a"].value)))


def test_explorer_renders_png_that_follows_the_controls():
    ex = Line()
    assert ex.state() == {"y": [0.0, 0.0], "view": "up"} and ex.state(a=0.5)["y"] == [0.0, 0.5]
    png0 = ex.render()
    png1 = ex.render(a=0.8)
    assert png0[:8] == PNG_MAGIC and png0 != png1
    assert ex.readout_view.value == "a<sub>1</sub> = 0.80"
    assert ex.render(a=0.0) == png0  # the cached background gives the same picture back
    ex.figure.invalidate()
    assert ex.render(a=0.0) == png0
    rgba = ex.figure.render_rgba()
    assert rgba.shape[2] == 4 and np.asarray(rgba).dtype == np.uint8


def test_keyed_backgrounds_are_reused_and_match_a_fresh_draw():
    ex = Line()
    ff = ex.figure
    up = ex.render()
    down = ex.render(view="down")
    assert down != up
    full, saved = ff.full_draws, dict(ff._saved)
    assert ex.render(view="up") == up and ff._saved["up"] is saved["up"]  # reused, not redrawn
    assert ff.full_draws == full
    ff.invalidate()  # a full redraw agrees
    assert ex.render(view="up") == up and ff.full_draws == full + 1


def test_counters_see_a_background_that_is_not_reused():
    """The counting tests can fail: an explorer that invalidates on every update shows up."""
    ex = Line()
    ex.render()
    full = ex.figure.full_draws
    for a in (0.1, 0.2, 0.3):
        ex.figure.invalidate()
        ex.render(a=a)
    assert ex.figure.full_draws == full + 3 and ex.figure.last_drawn == [ex.line]


def test_a_button_redraws_once_and_set_values_holds_the_observers():
    ex = Line(a=0.25)
    start = ex.draws
    ex.buttons["double"].click()
    assert ex.controls["a"].value == 0.5
    assert ex.draws == start + 1  # one redraw, not one per control
    ex.set_values(a=-0.2, view="down")
    assert ex.draws == start + 2 and ex.last_state == {"y": [0.0, -0.2], "view": "down"}


def test_title_is_typeset_math():
    import ipywidgets as W

    ex = Line()
    title = ex.ui.children[0]
    assert isinstance(title, W.HTMLMath) and "$y = a\\,x$" in title.value


def test_display_bundle_shows_one_thing_everywhere():
    ex = Line(a=0.5)
    ex.render(a=-0.9)  # whatever was drawn last, the bundle shows the controls' state
    bundle = ex.mimebundle()
    assert set(bundle) == {WIDGET_VIEW_MIME, "image/png", "text/plain"}
    assert bundle[WIDGET_VIEW_MIME]["model_id"] == ex.ui.model_id
    assert bundle[WIDGET_VIEW_MIME]["version_major"] == 2
    png = base64.b64decode(bundle["image/png"])
    assert png[:8] == PNG_MAGIC
    assert ex.last_state["y"] == [0.0, 0.5]
    assert OFFLINE_NOTE in bundle["text/plain"] and "VBox" not in bundle["text/plain"]
    # nbconvert (GitHub-like static HTML) picks the PNG when no widget state is saved, the
    # widget when it is -- never both
    nbconvert = pytest.importorskip("nbconvert")
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    config = nbconvert.HTMLExporter().default_config  # its priority: the widget view first
    no_state = WidgetsDataTypeFilter(notebook_metadata={"": {}}, config=config)
    assert no_state.display_data_priority[0] == WIDGET_VIEW_MIME
    assert no_state(bundle) == ["image/png"]
    saved = {"": {"widgets": {"application/vnd.jupyter.widget-state+json": {"state": {ex.ui.model_id: {}}}}}}
    assert WidgetsDataTypeFilter(notebook_metadata=saved, config=config)(bundle) == [WIDGET_VIEW_MIME]


def test_display_sends_the_bundle(monkeypatch):
    import IPython.display

    sent = []
    monkeypatch.setattr(IPython.display, "display", lambda *a, **kw: sent.append((a, kw)))
    ex = Line()
    ex._ipython_display_()
    (data,), kw = sent[-1]
    assert kw == {"raw": True} and set(data) == {WIDGET_VIEW_MIME, "image/png", "text/plain"}


@pytest.mark.parametrize(
    "text, want",
    [
        ("u_o", "u<sub>o</sub>"),
        ("Σ_w ŷ_w u_w", "Σ<sub>w</sub> ŷ<sub>w</sub> u<sub>w</sub>"),
        ("w_{t+j}", "w<sub>t+j</sub>"),
        ("u_oᵀv_c", "u<sub>o</sub>ᵀv<sub>c</sub>"),
        ("grad_center_vectors", "grad_center_vectors"),
        ("<td style='a_b'>x_1</td>", "<td style='a_b'>x<sub>1</sub></td>"),
        ("2_3 and _x", "2_3 and _x"),
    ],
)
def test_math_html(text, want):
    assert math_html(text) == want


def test_layered_figure_caches_each_layer():
    fig, (a1, a2) = new_figure(6, 3, ncols=2)
    (dyn,) = a1.plot([0, 1], [0, 1])
    (mid,) = a2.plot([0, 1], [1, 0])
    ff = LayeredFigure(fig, [dyn])
    ff.add_layer("right", mid, region=(0.5, 1.0))
    first = ff.render_png()
    assert ff.full_draws == 1 and ff.layer_draws == 1
    dyn.set_ydata([0, 0.5])
    second = ff.render_png()
    assert second != first and ff.full_draws == 1 and ff.layer_draws == 1  # layer restored
    mid.set_ydata([0.5, 0.5])
    ff.invalidate_layer("right")
    third = ff.render_png()
    assert third != second and ff.layer_draws == 2 and ff.full_draws == 1
    ff.invalidate()
    assert ff.render_png() == third and ff.full_draws == 2


def _explorers():
    for info in pkgutil.iter_modules(widgets_pkg.__path__):
        if not info.name.startswith("_"):
            module = importlib.import_module(f"w2v_helpers.widgets.{info.name}")
            yield from getattr(module, "EXPLORERS", {}).items()


@pytest.mark.parametrize("name, factory", list(_explorers()))
def test_every_explorer_is_a_class_with_its_parts(name, factory):
    """Each explorer is built from the base: compute/draw/readout are methods, nothing is
    attached after construction, and its display bundle has a PNG of its initial state."""
    ex = factory()
    assert isinstance(ex, Explorer) and type(ex) is not Explorer
    for method in ("compute", "draw", "readout"):
        assert getattr(type(ex), method) is not getattr(Explorer, method), method
    attrs = set(vars(ex))
    ex.render()
    ex.mimebundle()
    for b in ex.buttons.values():
        b.click()
    assert set(vars(ex)) == attrs  # no attribute added later
    assert ex.title and "$" in ex.title  # a title with math, typeset by HTMLMath
    initial = factory().mimebundle()["image/png"]
    assert base64.b64decode(initial)[:8] == PNG_MAGIC


def test_widgets_use_only_what_ipywidgets_7_and_8_share():
    """Traits that ipywidgets 7.7 lacks (tabbable, tooltip on non-buttons) are not set."""
    import ipywidgets as W

    for name, factory in _explorers():
        ex = factory()
        for widget in list(ex.controls.values()):
            if not isinstance(widget, W.Button):
                assert not widget.get_state().get("tooltip"), (name, widget)
            assert widget.get_state().get("tabbable") in (None,), (name, widget)


def test_figure_is_an_image_widget_that_follows_the_controls():
    """No ipywidgets.Output anywhere (the classic Notebook's ipywidgets-7 front end cannot
    create one): the picture is an Image whose PNG is replaced when a control moves."""
    import ipywidgets as W

    ex = Line(a=0.25)
    assert isinstance(ex.output, W.Image) and ex.output.format == "png"
    assert ex.output in ex.ui.children
    assert not any(isinstance(c, W.Output) for c in ex.ui.children)
    first = bytes(ex.output.value)
    assert first == ex.render(a=0.25)
    ex.controls["a"].value = -0.5
    assert bytes(ex.output.value) == ex.render(a=-0.5) != first
    assert ex.readout_view.value == "a<sub>1</sub> = -0.50"
    start = ex.draws
    ex.buttons["double"].click()
    assert ex.draws == start + 1 and bytes(ex.output.value) == ex.render(a=-1.0)
    ex.controls["view"].value = "down"
    assert bytes(ex.output.value) == ex.render(a=-1.0, view="down")


@pytest.mark.parametrize("name, factory", list(_explorers()))
def test_every_explorer_shows_its_picture_in_an_image(name, factory):
    import ipywidgets as W

    ex = factory()
    assert isinstance(ex.output, W.Image)
    assert bytes(ex.output.value) == ex.render()
    (control,) = [c for c in ex.controls.values() if hasattr(c, "options") or hasattr(c, "max")][:1]
    values = (
        [o[1] if isinstance(o, tuple) else o for o in control.options]
        if hasattr(control, "options")
        else [control.min, control.max]
    )
    new = next(v for v in values if v != control.value)
    key = next(k for k, c in ex.controls.items() if c is control)
    control.value = new
    assert bytes(ex.output.value) == ex.render(**{key: new})
