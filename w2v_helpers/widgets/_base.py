"""What every widget in the notebooks is built from.

An :class:`Explorer` is a set of core ipywidgets controls, a pure ``compute``
function (control values -> the numbers that get plotted, unit-tested) and a
``draw`` function that moves the artists of one persistent matplotlib figure.
The figure is shown through ``ipywidgets.interactive_output`` as a PNG, so it
works with the inline backend in JupyterLab, VS Code, Colab and Voila, without
any extra widget manager.

Speed: :class:`FastFigure` draws the static part (axes, loss contours) once,
caches it, and on each update only restores that background and draws the
artists that change, then encodes the PNG with fast compression.
"""
from __future__ import annotations

import io
from typing import Any, Callable, Iterable, Mapping

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

__all__ = ["Explorer", "FastFigure", "new_figure"]


def new_figure(width: float = 9.0, height: float = 3.6, dpi: int = 80, **subplots_kw):
    """A pyplot-free figure (no global state, no auto-display) and its axes."""
    fig = Figure(figsize=(width, height), dpi=dpi)
    FigureCanvasAgg(fig)
    axes = fig.subplots(**subplots_kw)
    return fig, axes


class FastFigure:
    """Render a figure to PNG, redrawing only the artists registered as dynamic.

    Args:
        fig: a matplotlib Figure with an Agg canvas (see :func:`new_figure`).
        dynamic: artists that change between updates (lines, arrows, bars, texts).
            Everything else is drawn once into a cached background.
    """

    def __init__(self, fig: Figure, dynamic: Iterable[Any] = ()):
        self.fig = fig
        if not isinstance(fig.canvas, FigureCanvasAgg):
            FigureCanvasAgg(fig)
        self.dynamic = list(dynamic)
        self._background = None
        self._key = None
        self._saved: dict = {}

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

    def render_rgba(self) -> np.ndarray:
        canvas = self.fig.canvas
        for a in self.dynamic:
            a.set_animated(True)
        if self._background is None:
            canvas.draw()  # draws everything that is not animated
            self._background = canvas.copy_from_bbox(self.fig.bbox)
            if self._key is not None:
                self._saved[self._key] = self._background
        else:
            canvas.restore_region(self._background)
        for a in self.dynamic:
            if a.get_visible():
                a.axes.draw_artist(a) if a.axes is not None else self.fig.draw_artist(a)
        return np.asarray(canvas.buffer_rgba())

    def render_png(self) -> bytes:
        from PIL import Image

        rgba = self.render_rgba()
        buf = io.BytesIO()
        Image.fromarray(rgba[..., :3]).save(buf, format="png", compress_level=1)
        return buf.getvalue()


class Explorer:
    """Controls + compute + draw, shown as one ipywidgets box.

    Args:
        controls: ``{name: widget}`` value widgets (sliders, dropdowns, ...), passed
            by name to ``compute``.
        compute: ``compute(**values) -> dict``: the numbers the figure shows. Pure.
        draw: ``draw(state) -> None``: moves the artists of ``figure`` to ``state``.
        figure: the :class:`FastFigure` to render.
        extra: more widgets shown above the figure (buttons, labels, HTML readouts).
        readout: optional ``readout(state) -> str`` of HTML shown under the controls.
    """

    def __init__(self, controls: Mapping[str, Any], compute: Callable[..., dict],
                 draw: Callable[[dict], None], figure: FastFigure,
                 extra: Iterable[Any] = (), readout: Callable[[dict], str] | None = None,
                 title: str = ""):
        import ipywidgets as W

        self.controls = dict(controls)
        self.compute = compute
        self.draw = draw
        self.figure = figure
        self.readout_fn = readout
        self.last_state: dict | None = None
        self.readout = W.HTML()
        self.output = W.interactive_output(self._update, self.controls)
        header = [W.HTML(f"<b>{title}</b>")] if title else []
        self.ui = W.VBox(header + [
            W.HBox(list(self.controls.values()) + list(extra),
                   layout=W.Layout(flex_flow="row wrap")),
            self.readout,
            self.output,
        ])

    # --- the parts tests and benchmarks drive -------------------------------------
    def values(self) -> dict:
        return {k: c.value for k, c in self.controls.items()}

    def state(self, **overrides) -> dict:
        """The numbers plotted for the current control values (or overridden ones)."""
        values = self.values()
        values.update(overrides)
        return self.compute(**values)

    def render(self, **values) -> bytes:
        """compute + draw + PNG for the given control values: one full update, no display."""
        state = self.compute(**{**self.values(), **values})
        self.last_state = state
        self.draw(state)
        if self.readout_fn is not None:
            self.readout.value = self.readout_fn(state)
        return self.figure.render_png()

    # --- what the notebook sees ----------------------------------------------------
    def _update(self, **values) -> None:
        from IPython.display import Image, display

        display(Image(data=self.render(**values), format="png"))

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.ui)
