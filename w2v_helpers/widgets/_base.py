r"""What every explorer in the notebooks is built from.

An explorer is a small class on :class:`Explorer`:

* ``compute(**inputs) -> dict`` -- pure: the control values (and the explorer's own state,
  e.g. a descent path, passed in as arguments by :meth:`Explorer.inputs`) to the numbers
  that get plotted. Unit-tested against :mod:`w2v_helpers`.
* ``draw(state)`` -- moves the artists of one persistent matplotlib figure to ``state``.
* ``readout(state) -> str`` -- the HTML under the controls.
* its buttons' methods (``step``, ``reset``, ...), which change the explorer's state and
  redraw once.

The figure is shown as a PNG in an ``ipywidgets.Image`` whose ``value`` is replaced when a
control changes (each control is observed), so it works in JupyterLab, the classic Notebook,
VS Code, Colab and Voila, on ipywidgets 7.7 and 8, without any extra widget manager or
matplotlib backend. (Not an ``ipywidgets.Output``: the classic Notebook's ipywidgets-7 front
end, widgetsnbextension 3.6, cannot create one -- "n._deserialize_state is not a function"
-- and would show nothing.)

Speed, in one place: :class:`FastFigure` draws the static part (axes, contours) once,
caches it, and on each update only restores that background and draws the artists that
change; :class:`LayeredFigure` adds middle layers that change now and then. Both count
what they draw (:attr:`FastFigure.full_draws`, :attr:`FastFigure.reuses`,
:attr:`FastFigure.last_drawn`), so tests check the caching without a clock.

Read without a kernel (an untrusted notebook in JupyterLab, nbconvert without widget state,
a renderer without widgets), an explorer shows a PNG of its initial state instead of a
``VBox(...)`` repr: the display bundle holds the widget view, ``image/png`` and a one-line
``text/plain``, and a front end shows one of them (see :meth:`Explorer.mimebundle`).
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

__all__ = ["Explorer", "FastFigure", "LayeredFigure", "math_html", "new_figure", "OFFLINE_NOTE", "WIDGET_VIEW_MIME"]

WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"
#: The text/plain of an explorer's display bundle (shown where neither widgets nor images are).
OFFLINE_NOTE = (
    "Interactive explorer (ipywidgets): run the notebook with a kernel to move its "
    "controls; the picture shows its initial state."
)


def new_figure(width: float = 9.0, height: float = 3.6, dpi: int = 80, **subplots_kw):
    """A pyplot-free figure (no global state, no auto-display) and its axes."""
    fig = Figure(figsize=(width, height), dpi=dpi)
    FigureCanvasAgg(fig)
    axes = fig.subplots(**subplots_kw)
    return fig, axes


def _encode_png(rgba: np.ndarray, compress_level: int = 1) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(rgba[..., :3]).save(buf, format="png", compress_level=compress_level)
    return buf.getvalue()


def _draw_artist(fig: Figure, artist) -> None:
    artist.axes.draw_artist(artist) if artist.axes is not None else fig.draw_artist(artist)


class FastFigure:
    """Render a figure to PNG, redrawing only the artists registered as dynamic.

    Args:
        fig: a matplotlib Figure with an Agg canvas (see :func:`new_figure`).
        dynamic: artists that change between updates (lines, arrows, bars, texts).
            Everything else is drawn once into a cached background.

    Counters (for tests: the caching is checked by counting, never by timing):
        full_draws: how many times the whole figure was drawn (a background was made).
        reuses: how many renders restored a cached background instead.
        last_drawn: the artists drawn on top of the background in the last render.
    """

    def __init__(self, fig: Figure, dynamic: Iterable[Any] = ()):
        self.fig = fig
        if not isinstance(fig.canvas, FigureCanvasAgg):
            FigureCanvasAgg(fig)
        self.dynamic: list = []
        self._background = None
        self._key = None
        self._saved: dict = {}
        self.full_draws = 0
        self.reuses = 0
        self.last_drawn: list = []
        self.add_dynamic(*dynamic)

    @property
    def key(self):
        """The key of the background in use (see :meth:`invalidate`)."""
        return self._key

    def add_dynamic(self, *artists) -> None:
        for a in artists:
            a.set_animated(True)
            self.dynamic.append(a)
        self._background = None
        self._saved.clear()

    def invalidate(self, key=None) -> None:
        """Call after changing anything static (limits, contours, labels).

        With a ``key`` (e.g. the name of a view), the background is remembered under it:
        switching back to a key seen before reuses that background instead of redrawing,
        so the static artists must be in the same state whenever the same key is used.
        Without a key, every remembered background is dropped too.
        """
        if key is None:
            self._saved.clear()
        self._key = key
        self._background = self._saved.get(key) if key is not None else None

    def _restore_background(self) -> bool:
        """Restore the cached background, or draw and cache it; True if it was drawn."""
        canvas = self.fig.canvas
        for a in self.dynamic:
            a.set_animated(True)
        if self._background is None:
            canvas.draw()  # draws everything that is not animated
            self._background = canvas.copy_from_bbox(self.fig.bbox)
            if self._key is not None:
                self._saved[self._key] = self._background
            self.full_draws += 1
            return True
        canvas.restore_region(self._background)
        self.reuses += 1
        return False

    def _draw_dynamic(self) -> None:
        for a in self.dynamic:
            if a.get_visible():
                _draw_artist(self.fig, a)
                self.last_drawn.append(a)

    def render_rgba(self) -> np.ndarray:
        self.last_drawn = []
        self._restore_background()
        self._draw_dynamic()
        return np.asarray(self.fig.canvas.buffer_rgba())

    def render_png(self, compress_level: int = 1) -> bytes:
        """The figure as PNG bytes (fast compression by default)."""
        return _encode_png(self.render_rgba(), compress_level)


class _Layer:
    """Artists that change now and then, confined to a region of the figure, cached apart."""

    def __init__(self, region):
        self.artists: list = []
        self.region = region  # (x0, x1) in figure fractions, full height; None: whole figure
        self.cache = None


class LayeredFigure(FastFigure):
    """A :class:`FastFigure` with named middle layers between the static background and
    the dynamic artists: artists that change only now and then (loss contours, labels that
    depend on the negatives), each layer confined to its own region of the figure.

    The fully static part (axes, ticks, titles) is drawn once. Each layer is drawn on top
    of it in its region and that region is cached, again only after
    :meth:`invalidate_layer`; so changing one panel's contours costs that panel's artists,
    not a full redraw of every tick label. Regions must not overlap, and a layer's artists
    must stay inside its region. :meth:`invalidate` still redraws everything.

    Counter: ``layer_draws`` counts layers drawn (not restored from their cache).
    """

    def __init__(self, fig, dynamic=()):
        super().__init__(fig, dynamic)
        self.layers: dict[str, _Layer] = {}
        self.layer_draws = 0

    def add_layer(self, name: str, *artists, region=None) -> None:
        """Add artists to layer ``name``; ``region`` is its (x0, x1) in figure fractions
        (full height), set when the layer is first created (default: the whole figure)."""
        layer = self.layers.setdefault(name, _Layer(region))
        for a in artists:
            a.set_animated(True)
            layer.artists.append(a)
        layer.cache = None

    def remove_from_layer(self, name: str, artist) -> None:
        """Forget an artist of layer ``name`` (e.g. a ContourSet about to be replaced)."""
        layer = self.layers[name]
        layer.artists = [a for a in layer.artists if a is not artist]
        layer.cache = None

    def invalidate_layer(self, name: str) -> None:
        """Call after changing an artist of layer ``name``."""
        self.layers[name].cache = None

    def invalidate(self, key=None) -> None:
        super().invalidate(key)
        for layer in self.layers.values():
            layer.cache = None

    def _bbox(self, region):
        from matplotlib.transforms import Bbox

        fb = self.fig.bbox
        if region is None:
            return fb
        x0, x1 = region
        return Bbox.from_extents(fb.x0 + x0 * fb.width, fb.y0, fb.x0 + x1 * fb.width, fb.y1)

    def render_rgba(self) -> np.ndarray:
        canvas = self.fig.canvas
        self.last_drawn = []
        for layer in self.layers.values():
            for a in layer.artists:
                a.set_animated(True)
        if self._restore_background():
            for layer in self.layers.values():
                layer.cache = None
        for layer in self.layers.values():
            if layer.cache is None:
                for a in sorted(layer.artists, key=lambda a: a.get_zorder()):
                    if a.get_visible():
                        _draw_artist(self.fig, a)
                layer.cache = canvas.copy_from_bbox(self._bbox(layer.region))
                self.layer_draws += 1
            else:
                canvas.restore_region(layer.cache)
        self._draw_dynamic()
        return np.asarray(canvas.buffer_rgba())


_TAG = re.compile(r"(<[^>]*>)")
_SUB = re.compile(r"(?<=[^\W\d_]|[′)\]])_(\{[^{}]*\}|[A-Za-z0-9]{1,2}(?![A-Za-z0-9_]))")  # after a letter


def math_html(text: str) -> str:
    """Readout text with math as math: ``u_o`` -> u<sub>o</sub>, ``w_{t+j}`` -> w<sub>t+j</sub>.

    Only text outside HTML tags is changed, so attributes and styles are left alone.
    (Readouts change on every update; HTML subscripts cost nothing to typeset.)
    """
    parts = _TAG.split(text)
    for i in range(0, len(parts), 2):
        parts[i] = _SUB.sub(lambda m: f"<sub>{m.group(1).strip('{}')}</sub>", parts[i])
    return "".join(parts)


class Explorer:
    r"""Controls, a pure ``compute``, ``draw``, ``readout`` and buttons, shown as one box.

    A subclass sets up everything ``compute``/``draw`` need, then calls
    ``super().__init__(controls, figure, buttons)`` last: building the box draws the
    first picture. It defines

    * ``title``: HTML, with LaTeX between ``$...$`` (shown with ``HTMLMath``);
    * ``compute(**inputs) -> dict``: pure;
    * ``draw(state)`` and ``readout(state) -> str``;
    * ``_state_inputs() -> dict``: the explorer's own state that ``compute`` takes as
      arguments besides the control values (default: none).

    Args:
        controls: ``{name: widget}`` value widgets (sliders, dropdowns, ...), passed by
            name to ``compute``.
        figure: the :class:`FastFigure` that ``draw`` moves.
        buttons: ``{name: ipywidgets.Button}``, shown after the controls (their
            ``on_click`` is wired by the subclass to its methods).
    """

    title = ""

    def __init__(self, controls: Mapping[str, Any], figure: FastFigure, buttons: Mapping[str, Any] | None = None):
        import ipywidgets as W

        self.controls = dict(controls)
        self.buttons = dict(buttons or {})
        self.figure = figure
        self.last_state: dict | None = None
        self._hold = False
        self.readout_view = W.HTML()
        self.output = W.Image(format="png", value=self.render())
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        header = [W.HTMLMath(value=f"<b>{self.title}</b>")] if self.title else []
        self.ui = W.VBox(
            header
            + [
                W.HBox(
                    list(self.controls.values()) + list(self.buttons.values()), layout=W.Layout(flex_flow="row wrap")
                ),
                self.readout_view,
                self.output,
            ]
        )

    # --- to be defined by each explorer --------------------------------------------
    def compute(self, **inputs) -> dict:  # pragma: no cover - abstract
        raise NotImplementedError

    def draw(self, state: dict) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def readout(self, state: dict) -> str:
        return ""

    def _state_inputs(self) -> dict:
        return {}

    # --- the parts tests and benchmarks drive -------------------------------------
    def values(self) -> dict:
        """The current control values, ``{name: value}``."""
        return {k: c.value for k, c in self.controls.items()}

    def inputs(self) -> dict:
        """Everything ``compute`` takes now: the control values and the explorer's state."""
        return {**self.values(), **self._state_inputs()}

    def state(self, **overrides) -> dict:
        """The numbers plotted for the current inputs (or overridden ones)."""
        return self.compute(**{**self.inputs(), **overrides})

    def _apply(self, **values) -> dict:
        state = self.state(**values)
        self.last_state = state
        self.draw(state)
        self.readout_view.value = math_html(self.readout(state))
        return state

    def render(self, **values) -> bytes:
        """compute + draw + readout + PNG for the given inputs: one full update, no display."""
        self._apply(**values)
        return self.figure.render_png()

    def set_values(self, **values) -> None:
        """Set several controls with one redraw (observing each control would redraw once per
        control, the first time half-moved)."""
        self._hold = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._hold = False
        self.refresh()

    def refresh(self) -> None:
        """Redraw for the current inputs (after a change of the explorer's own state)."""
        self.output.value = self.render(**self.values())

    # --- what the notebook sees ----------------------------------------------------
    def _on_change(self, _change=None) -> None:
        if not self._hold:
            self.refresh()

    def mimebundle(self) -> dict:
        """The display bundle: the widget view, a PNG of the current picture, a text note.

        A front end shows one item of a bundle, the one it ranks first among those it can
        render. With a kernel, JupyterLab and Voila render the widget view (it outranks
        images; checked in Chromium), as does the classic Notebook's widget extension. Where
        the widget cannot be drawn the PNG shows instead: JupyterLab for an untrusted
        notebook (it renders only "safe" types there: checked), nbconvert without saved
        widget state (its ``WidgetsDataTypeFilter``: tested), and renderers without a widget
        manager. Text-only readers get the note. So the picture never appears twice.
        (Colab's and GitHub's renderers were not available to check here.)
        """
        # what ipywidgets 7's _ipython_display_ and 8's _repr_mimebundle_ both send
        view = {"version_major": 2, "version_minor": 0, "model_id": self.ui.model_id}
        if hasattr(self.ui, "_handle_displayed"):  # ipywidgets 7: its on_displayed hooks
            self.ui._handle_displayed()
        self._apply()
        png = _encode_png(self.figure.render_rgba(), 9)
        return {WIDGET_VIEW_MIME: view, "image/png": base64.b64encode(png).decode("ascii"), "text/plain": OFFLINE_NOTE}

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.mimebundle(), raw=True)
