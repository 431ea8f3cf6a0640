r"""Notebook 01 (part a): the sigmoid, its derivative, the tangent line and saturation.

:class:`SigmoidExplorer` (built by :func:`sigmoid_explorer`) shows, for a slider value :math:`x`:

* left: :math:`\sigma(t)` with the tangent line at :math:`x` (slope :math:`\sigma'(x)`), or,
  with the "log σ" view, :math:`\log\sigma(t)` with its tangent (slope
  :math:`1 - \sigma(x) = \sigma(-x)`, the factor part (d) uses);
* right: the slope as a function, :math:`\sigma'(t) = \sigma(t)(1-\sigma(t))` (or
  :math:`\sigma(-t)`), with the point at :math:`x`;
* shaded: the saturated region where :math:`\sigma'(t) <` :data:`SATURATION`, where a
  gradient flowing through a sigmoid almost vanishes.

The numbers come from :func:`sigmoid_state`, a pure function the tests check
against :func:`w2v_helpers.sigmoid` and :func:`w2v_helpers.sigmoid_grad`.
"""

from __future__ import annotations

import numpy as np

from ..core import _log_sigmoid, sigmoid, sigmoid_grad
from ..style import PALETTE
from ._base import Explorer, FastFigure, new_figure

__all__ = [
    "SATURATION",
    "X_RANGE",
    "VIEWS",
    "SigmoidExplorer",
    "saturation_threshold",
    "sigmoid_state",
    "sigmoid_explorer",
    "EXPLORERS",
]

#: σ′(x) below this counts as saturated (σ′ is at most 1/4, at x = 0).
SATURATION = 0.01
#: The x-range of the plots and of the slider.
X_RANGE = (-8.0, 8.0)
VIEWS = ("σ(x)", "log σ(x)")
SHADE = "#f7dccb"  # light vermillion: the saturated region


def saturation_threshold(level: float = SATURATION) -> float:
    r"""The :math:`x^* > 0` with :math:`\sigma'(\pm x^*) = ` ``level``; :math:`\sigma'(x) <` level iff :math:`|x| > x^*`.

    From :math:`s(1-s) = \text{level}`: :math:`s = (1 - \sqrt{1 - 4\,\text{level}})/2`,
    :math:`x^* = \log\frac{1-s}{s}`.
    """
    if not 0 < level < 0.25:
        raise ValueError(f"level must be in (0, 1/4), the range of σ′, got {level!r}")
    s = (1.0 - np.sqrt(1.0 - 4.0 * level)) / 2.0
    return float(np.log((1.0 - s) / s))


def sigmoid_state(x: float, view: str = VIEWS[0]) -> dict:
    r"""Everything the explorer shows at ``x``.

    Returns a dict with ``x``; ``sigma`` :math:`\sigma(x)`; ``dsigma``
    :math:`\sigma'(x)` (from :func:`~w2v_helpers.sigmoid_grad`); ``one_minus_sigma``
    :math:`1-\sigma(x)`; ``sigma_neg`` :math:`\sigma(-x)`; ``log_sigma`` :math:`\log\sigma(x)`;
    ``dlog_sigma`` :math:`\frac{d}{dx}\log\sigma(x) = \sigma(-x)`; ``saturated``
    (the slope of the curve in view is below :data:`SATURATION`: :math:`\sigma'(x)` for
    ``"σ(x)"``, :math:`\sigma(-x)` for ``"log σ(x)"``); ``view``; and the plotted tangent line
    ``tangent_t``, ``tangent_y`` (over :data:`X_RANGE`), with ``point`` (x, value) and
    ``slope`` of the curve shown on the left, and ``slope_point`` (x, slope) on the right.
    """
    if view not in VIEWS:
        raise ValueError(f"view must be one of {VIEWS}, got {view!r}")
    x = float(x)
    s = sigmoid(x)
    ds = sigmoid_grad(x)
    s_neg = sigmoid(-x)
    log_s = float(_log_sigmoid(x))
    if view == VIEWS[0]:
        value, slope = s, ds
    else:
        value, slope = log_s, s_neg
    t = np.array(X_RANGE)
    return {
        "x": x,
        "view": view,
        "sigma": s,
        "dsigma": ds,
        "one_minus_sigma": 1.0 - s,
        "sigma_neg": s_neg,
        "log_sigma": log_s,
        "dlog_sigma": s_neg,
        "saturated": bool(slope < SATURATION),
        "point": (x, value),
        "slope": slope,
        "slope_point": (x, slope),
        "tangent_t": t,
        "tangent_y": value + slope * (t - x),
    }


def _readout(st: dict) -> str:
    name = "σ′(x)" if st["view"] == VIEWS[0] else "the slope σ(−x) of log σ"
    sat = (
        f"<span style='color:{PALETTE['vermillion']}'><b>saturated</b>: {name} = {st['slope']:.1e} &lt; "
        f"{SATURATION}, so a gradient passing through here is scaled down by that much</span>"
        if st["saturated"]
        else f"not saturated: {name} = {st['slope']:.3f}"
    )
    cell = "padding:0 0.6em;line-height:1.3"
    return (
        "<table style='font-family:monospace'>"
        f"<tr><td style='{cell}'>x</td><td style='{cell}'>{st['x']:+.2f}</td>"
        f"<td style='{cell};padding-left:2em'>σ(x)</td><td style='{cell}'>{st['sigma']:.4f}</td>"
        f"<td style='{cell};padding-left:2em'>σ′(x) = σ(x)(1 − σ(x))</td><td style='{cell}'>{st['dsigma']:.4f}</td></tr>"
        f"<tr><td></td><td></td>"
        f"<td style='{cell};padding-left:2em'>1 − σ(x) = σ(−x)</td><td style='{cell}'>{st['sigma_neg']:.4f}</td>"
        f"<td style='{cell};padding-left:2em'>log σ(x), slope σ(−x)</td>"
        f"<td style='{cell}'>{st['log_sigma']:.4f}, {st['dlog_sigma']:.4f}</td></tr>"
        f"</table>{sat}"
    )


class SigmoidExplorer(Explorer):
    """Slide x: σ (or log σ) with its tangent at x, the slope curve, and the saturated region.

    Controls: ``x`` and ``view`` (:data:`VIEWS`). Each view's static curves are drawn once
    into their own cached background (``FastFigure.invalidate(key=view)``).
    """

    title = r"The sigmoid $\sigma(x)$, its slope $\sigma'(x)$, and saturation"

    def __init__(self, x: float = 1.0):
        import ipywidgets as W

        lo, hi = X_RANGE
        t = np.linspace(lo, hi, 401)
        x_star = saturation_threshold()
        fig, (ax_f, ax_d) = new_figure(9.6, 3.6, ncols=2)
        fig.subplots_adjust(left=0.07, right=0.98, bottom=0.14, top=0.9, wspace=0.22)
        # σ saturates on both sides; log σ only on the right (its slope → 1 on the left)
        self._left_shade = []
        for ax in (ax_f, ax_d):
            ax.set_xlim(lo, hi)
            self._left_shade.append(ax.axvspan(lo, -x_star, color=SHADE, alpha=0.7, lw=0))
            ax.axvspan(x_star, hi, color=SHADE, alpha=0.7, lw=0)
            ax.axvline(0, color="0.8", lw=0.8)
            ax.axhline(0, color="0.8", lw=0.8)
            ax.set_xlabel("x")
        sat_kw = dict(
            fontsize=8, color=PALETTE["vermillion"], ha="center", va="center", transform=ax_d.get_xaxis_transform()
        )
        self._left_shade.append(ax_d.text((lo - x_star) / 2, 0.5, "saturated", rotation=90, **sat_kw))
        ax_d.text((hi + x_star) / 2, 0.5, f"saturated:\nslope < {SATURATION}", rotation=90, **sat_kw)
        self._axes = (ax_f, ax_d)
        # Both views' static curves; the view toggles their visibility (and the y-limits).
        self._curves = {
            VIEWS[0]: (
                ax_f.plot(t, sigmoid(t), color=PALETTE["blue"], lw=2, label="σ(x)")[0],
                ax_d.plot(t, sigmoid_grad(t), color=PALETTE["orange"], lw=2)[0],
                (-0.1, 1.1),
                (-0.01, 0.27),
                "σ(x) and its tangent",
                "σ′(x) = σ(x)(1 − σ(x))",
            ),
            VIEWS[1]: (
                ax_f.plot(t, _log_sigmoid(t), color=PALETTE["green"], lw=2)[0],
                ax_d.plot(t, sigmoid(-t), color=PALETTE["vermillion"], lw=2)[0],
                (lo - 0.5, 1.0),
                (-0.05, 1.05),
                "log σ(x) and its tangent",
                "d/dx log σ(x) = 1 − σ(x) = σ(−x)",
            ),
        }
        self._sat_line = ax_d.axhline(SATURATION, color=PALETTE["vermillion"], lw=0.8, ls=":")
        box = dict(boxstyle="round", fc="white", ec="0.7")
        (self._tangent,) = ax_f.plot([], [], color="k", lw=1.2, ls="--")
        (self._point_f,) = ax_f.plot([], [], "o", color="k", ms=7, zorder=5)
        self._label_f = ax_f.text(0.03, 0.95, "", transform=ax_f.transAxes, va="top", fontsize=10, bbox=box)
        self._vline_d = ax_d.axvline(x, color="k", lw=0.8, ls="--")
        (self._point_d,) = ax_d.plot([], [], "o", color="k", ms=7, zorder=5)
        self._label_d = ax_d.text(0.97, 0.95, "", transform=ax_d.transAxes, va="top", ha="right", fontsize=10, bbox=box)
        figure = FastFigure(
            fig, [self._tangent, self._point_f, self._label_f, self._vline_d, self._point_d, self._label_d]
        )
        controls = {
            "x": W.FloatSlider(
                value=x,
                min=lo,
                max=hi,
                step=0.05,
                description="x",
                continuous_update=True,
                readout_format=".2f",
                layout=W.Layout(width="420px"),
            ),
            "view": W.ToggleButtons(
                options=list(VIEWS), value=VIEWS[0], description="curve", style={"button_width": "90px"}
            ),
        }
        super().__init__(controls, figure)
        for view in VIEWS[::-1]:  # draw both views' backgrounds once now, so a switch never waits
            self.render(view=view)

    def compute(self, x, view=VIEWS[0]) -> dict:
        """:func:`sigmoid_state` (pure)."""
        return sigmoid_state(x, view)

    def _set_view(self, view: str) -> None:
        ax_f, ax_d = self._axes
        for name, (cf, cd, ylim_f, ylim_d, title_f, title_d) in self._curves.items():
            cf.set_visible(name == view)
            cd.set_visible(name == view)
            if name == view:
                ax_f.set_ylim(*ylim_f)
                ax_d.set_ylim(*ylim_d)
                ax_f.set_title(title_f, fontsize=11)
                ax_d.set_title(title_d, fontsize=11)
        self._sat_line.set_visible(view == VIEWS[0])
        for a in self._left_shade:
            a.set_visible(view == VIEWS[0])
        self.figure.invalidate(key=view)  # each view's background is drawn once, then reused

    def draw(self, st: dict) -> None:
        if st["view"] != self.figure.key:
            self._set_view(st["view"])
        self._tangent.set_data(st["tangent_t"], st["tangent_y"])
        self._point_f.set_data([st["point"][0]], [st["point"][1]])
        self._vline_d.set_xdata([st["x"], st["x"]])
        self._point_d.set_data([st["slope_point"][0]], [st["slope_point"][1]])
        fname = "σ" if st["view"] == VIEWS[0] else "log σ"
        self._label_f.set_text(f"x = {st['x']:+.2f}\n{fname}(x) = {st['point'][1]:.4f}\nslope = {st['slope']:.4f}")
        dname = "σ′(x)" if st["view"] == VIEWS[0] else "σ(−x)"
        self._label_d.set_text(f"{dname} = {st['slope']:.4f}" + ("\nsaturated" if st["saturated"] else ""))
        self._label_d.set_color(PALETTE["vermillion"] if st["saturated"] else "k")

    def readout(self, st: dict) -> str:
        return _readout(st)


def sigmoid_explorer(x: float = 1.0) -> SigmoidExplorer:
    """Slide x: σ (or log σ) with its tangent at x, the slope curve, and the saturated region."""
    return SigmoidExplorer(x)


EXPLORERS = {"sigmoid": sigmoid_explorer}
