r"""Notebooks 02 and 03 (parts b and c): the naive-softmax gradients on the 2-D toy scene.

* :class:`CenterGradientExplorer` (part b, :func:`center_gradient_explorer`): move :math:`v_c`, pick the outside word
  :math:`o`; see :math:`\hat y` as bars, the loss :math:`J = -\log\hat y_o`, the loss
  contours over :math:`v_c`, the expected outside vector :math:`\sum_w \hat y_w u_w`, and the
  descent direction :math:`-\partial J/\partial v_c = u_o - \sum_w \hat y_w u_w` ("observed
  minus expected") at :math:`v_c`. *Step* takes a gradient-descent step and traces the path.
* :class:`OutsideGradientExplorer` (part c, :func:`outside_gradient_explorer`): the same scene with an arrow
  :math:`-\partial J/\partial u_w = -(\hat y_w - y_w) v_c` on every :math:`u_w`, the (V, d)
  gradient matrix as a heat map next to the answer sheet's, and *Step* moving every
  :math:`u_w`.

The plotted numbers come from :func:`center_state` and :func:`outside_state`, pure
functions of their arguments that the tests compare with
:func:`w2v_helpers.naive_softmax_loss_and_gradient`.
"""
from __future__ import annotations

import numpy as np

from ..answer_sheet import sheet_center_gradient, sheet_outside_gradient
from .._validate import as_positive_int
from ..core import _naive_softmax_losses, naive_softmax_loss_and_gradient, softmax
from ..scenes import toy_scene
from ..style import PALETTE
from matplotlib.colors import Normalize, to_hex

from ._base import Explorer, FastFigure, new_figure

__all__ = [
    "center_state",
    "outside_state",
    "loss_surface",
    "descend_center",
    "convex_hull",
    "descent_paths_figure",
    "CenterGradientExplorer",
    "OutsideGradientExplorer",
    "center_gradient_explorer",
    "outside_gradient_explorer",
    "EXPLORERS",
]

#: The v_c sliders' range; the loss contours are drawn over this square.
V_LIM = 2.5
#: Grid points per side of the precomputed loss surface.
GRID = 121
#: Part (c)'s arrows on the u_w are drawn this many times the gradient's length (they are short).
ARROW_SCALE = 2.0
#: Colours: outside vectors, the observed word o, the center vector, the descent arrows, ...
#: (Okabe-Ito, as in notebook 04: o green, v_c blue.)
C_U, C_O, C_V = PALETTE["sky"], PALETTE["green"], PALETTE["blue"]
C_DESC, C_SHEET, C_EXP, C_LABEL = PALETTE["vermillion"], "#888888", PALETTE["purple"], "#333333"


# ----------------------------------------------------------------------------------------
# The numbers (pure functions, unit-tested)
# ----------------------------------------------------------------------------------------
def center_state(center_vec, outside_idx: int, outside_vectors, center_vectors=None) -> dict:
    r"""Part (b) at one point: the loss, :math:`\hat y`, and :math:`\partial J/\partial v_c` in pieces.

    Args:
        center_vec: (d,) :math:`v_c`.
        outside_idx: :math:`o`.
        outside_vectors: (V, d), row w is :math:`u_w`.
        center_vectors: optional (V, d) :math:`v_w`, only for the answer sheet's (b).

    Returns:
        dict with ``v_c`` (d,), ``o``, ``loss`` :math:`J`, ``y_hat`` (V,), ``y`` (V,) one-hot,
        ``observed`` :math:`u_o`, ``expected`` :math:`\sum_w \hat y_w u_w`, ``grad``
        :math:`\partial J/\partial v_c` (from :func:`~w2v_helpers.naive_softmax_loss_and_gradient`),
        ``descent`` :math:`-\partial J/\partial v_c`, ``grad_norm``, and ``sheet_grad`` (the
        sheet's :math:`-u_o + \sum_w \hat y_w v_w`, or None without ``center_vectors``).
    """
    v_c = np.asarray(center_vec, dtype=np.float64)
    U_T = np.asarray(outside_vectors, dtype=np.float64)
    loss, grad, _ = naive_softmax_loss_and_gradient(v_c, outside_idx, U_T)
    y_hat = softmax(U_T @ v_c)
    y = np.zeros_like(y_hat)
    y[outside_idx] = 1.0
    sheet = (None if center_vectors is None
             else sheet_center_gradient(v_c, outside_idx, U_T, center_vectors))
    return {
        "v_c": v_c,
        "o": int(outside_idx),
        "loss": loss,
        "y_hat": y_hat,
        "y": y,
        "observed": U_T[outside_idx].copy(),
        "expected": y_hat @ U_T,
        "grad": grad,
        "descent": -grad,
        "grad_norm": float(np.linalg.norm(grad)),
        "sheet_grad": sheet,
    }


def outside_state(center_vec, outside_idx: int, outside_vectors) -> dict:
    r"""Part (c) at one point: :math:`\partial J/\partial U` in the code's (V, d) layout, and the sheet's.

    Returns:
        dict with ``v_c``, ``o``, ``loss``, ``y_hat``, ``y``, ``outside_vectors`` (V, d),
        ``coef`` (V,) :math:`\hat y_w - y_w`, ``grad`` (V, d) row w is
        :math:`\partial J/\partial u_w = (\hat y_w - y_w) v_c` (from
        :func:`~w2v_helpers.naive_softmax_loss_and_gradient`), ``descent`` = ``-grad``, and
        ``sheet_grad`` (V, d), the answer sheet's rows :math:`-\hat y_o v_c`.
    """
    v_c = np.asarray(center_vec, dtype=np.float64)
    U_T = np.asarray(outside_vectors, dtype=np.float64)
    loss, _, grad = naive_softmax_loss_and_gradient(v_c, outside_idx, U_T)
    y_hat = softmax(U_T @ v_c)
    y = np.zeros_like(y_hat)
    y[outside_idx] = 1.0
    return {
        "v_c": v_c,
        "o": int(outside_idx),
        "loss": loss,
        "y_hat": y_hat,
        "y": y,
        "outside_vectors": U_T.copy(),
        "coef": y_hat - y,
        "grad": grad,
        "descent": -grad,
        "sheet_grad": sheet_outside_gradient(v_c, outside_idx, U_T),
    }


def loss_surface(outside_idx: int, outside_vectors, xs, ys) -> np.ndarray:
    r""":math:`J(v_c) = \log\sum_w e^{u_w^\top v_c} - u_o^\top v_c` on the grid ``v_c = (xs[j], ys[i])``.

    Returns:
        (len(ys), len(xs)) array, row i is ``ys[i]`` (as ``imshow``/``contour`` expect).
    """
    U_T = np.asarray(outside_vectors, dtype=np.float64)
    X, Y = np.meshgrid(np.asarray(xs, float), np.asarray(ys, float))
    return _naive_softmax_losses(np.stack([X, Y], axis=-1), int(outside_idx), U_T)


def descend_center(center_vec, outside_idx: int, outside_vectors, lr: float, steps: int = 1,
                   lim: float | None = V_LIM) -> np.ndarray:
    r"""Gradient descent on :math:`v_c`: ``steps`` updates :math:`v_c \leftarrow v_c - \text{lr}\,\partial J/\partial v_c`.

    Each iterate is clipped to the square :math:`[-\text{lim}, \text{lim}]^d` (the sliders'
    range) unless ``lim`` is None.

    Returns:
        (steps + 1, d): the start and every iterate.
    """
    v = np.asarray(center_vec, dtype=np.float64).copy()
    path = [v.copy()]
    for _ in range(as_positive_int(steps, "steps")):
        v = v - lr * naive_softmax_loss_and_gradient(v, outside_idx, outside_vectors)[1]
        if lim is not None:
            v = np.clip(v, -lim, lim)
        path.append(v.copy())
    return np.array(path)


def convex_hull(points) -> np.ndarray:
    """The corners of the convex hull of 2-D ``points``, counter-clockwise (Andrew's monotone chain).

    Returns:
        (k, 2) array of the hull's corners; points on an edge are not corners.
    """
    pts = sorted(map(tuple, np.asarray(points, dtype=np.float64)))
    if len(pts) <= 2:
        return np.array(pts)

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower, upper = [], []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return np.array(lower[:-1] + upper[:-1])


def descent_paths_figure(words=("coffee", "cup"), lr: float = 0.5, steps: int = 60, scene=None):
    r"""Gradient descent on :math:`v_c` for a few outside words, one panel each (a static picture).

    Each panel: the contours of :math:`J(v_c)` for that :math:`o`, the :math:`u_w` with the
    convex hull of them shaded, and the path of :func:`descend_center` from the scene's
    :math:`v_c`. When :math:`u_o` lies inside the hull the path stops where
    :math:`\sum_w \hat y_w u_w = u_o`; when it is a corner, the path runs off.

    Returns:
        a matplotlib Figure.
    """
    scene = toy_scene() if scene is None else scene
    U_T = np.asarray(scene.outside_vectors, dtype=np.float64)
    if U_T.shape[1] != 2:
        raise ValueError(f"the figure draws a 2-D scene, got d = {U_T.shape[1]}")
    idx = [scene.index(w) for w in words]
    fig, axes = new_figure(4.3 * len(idx), 4.3, ncols=len(idx), squeeze=False)
    fig.subplots_adjust(left=0.06, right=0.98, bottom=0.1, top=0.88, wspace=0.15)
    grid = np.linspace(-V_LIM, V_LIM, GRID)
    hull = convex_hull(U_T)
    v0 = np.asarray(scene.center_vectors, dtype=np.float64)[scene.center_idx]
    for ax, o in zip(axes[0], idx):
        _plane(ax, V_LIM)
        ax.contour(grid, grid, loss_surface(o, U_T, grid, grid), levels=12, cmap="viridis",
                   linewidths=0.8, zorder=1)
        ax.fill(hull[:, 0], hull[:, 1], color=C_U, alpha=0.15, lw=0, zorder=0)
        ax.scatter(U_T[:, 0], U_T[:, 1], s=25, c=C_U, zorder=4)
        for w, name in enumerate(scene.words):
            ax.annotate(name, U_T[w], xytext=(4, 4), textcoords="offset points", fontsize=9,
                        color=C_LABEL)
        ax.plot(*U_T[o], "o", ms=12, mfc="none", mec=C_O, mew=2, zorder=5)
        path = descend_center(v0, o, U_T, lr, steps, lim=None)   # unclipped: it may leave the plot
        ax.plot(path[:, 0], path[:, 1], ".-", color=C_V, lw=1.2, ms=4, zorder=6)
        ax.plot(*path[0], "o", color=C_V, ms=6, zorder=6)
        loss, grad, _ = naive_softmax_loss_and_gradient(path[-1], o, U_T)
        inside = not np.any(np.all(np.isclose(hull, U_T[o]), axis=1))
        ax.set_title(f"o = {scene.words[o]} ({'inside the hull' if inside else 'a corner'}): "
                     f"after {steps} steps\nJ = {loss:.3f}, |∂J/∂v_c| = {np.linalg.norm(grad):.3f}",
                     fontsize=10)
    return fig


# ----------------------------------------------------------------------------------------
# Drawing helpers
# ----------------------------------------------------------------------------------------
def _plane(ax, lim: float) -> None:
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_aspect("equal")
    ax.axhline(0, color="0.85", lw=0.8, zorder=0)
    ax.axvline(0, color="0.85", lw=0.8, zorder=0)
    ax.tick_params(labelsize=8)


def _arrows(ax, n: int, color, zorder: float = 6, scale: float = 1.0, **kw):
    """A quiver of n arrows in data units, drawn ``scale`` times the vector's length; move it
    with set_offsets/set_UVC."""
    return ax.quiver(np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n), color=color,
                     angles="xy", scale_units="xy", scale=1.0 / scale, width=0.012,
                     headwidth=3.5, headlength=4.0, headaxislength=3.5, zorder=zorder, **kw)


def _vector_controls(v0, lim: float, names=("v1", "v2"), label="v_c"):
    import ipywidgets as W

    return {
        name: W.FloatSlider(value=float(val), min=-lim, max=lim, step=0.01,
                            description=f"{label}[{i}]", readout_format=".2f",
                            continuous_update=True, layout=W.Layout(width="300px"))
        for i, (name, val) in enumerate(zip(names, v0))
    }



def _stepping_controls(v_start, lim, words, outside_idx, lr, part):
    """The controls notebooks 02 and 03 share: v_c sliders, o, lr, the answer-sheet switch, and
    the Step / 10 steps / Reset buttons."""
    import ipywidgets as W

    controls = _vector_controls(v_start, lim)
    controls["o"] = W.Dropdown(options=[(w, i) for i, w in enumerate(words)],
                               value=int(outside_idx), description="o",
                               layout=W.Layout(width="170px"))
    controls["lr"] = W.FloatSlider(value=lr, min=0.05, max=3.0, step=0.05, description="lr",
                                   readout_format=".2f", layout=W.Layout(width="260px"))
    controls["sheet"] = W.Checkbox(value=False, description=f"answer sheet's {part}", indent=False,
                                   layout=W.Layout(width="160px"))
    buttons = {"step": W.Button(description="Step", icon="arrow-right", layout=W.Layout(width="90px")),
               "step10": W.Button(description="10 steps", layout=W.Layout(width="90px")),
               "reset": W.Button(description="Reset", icon="undo", layout=W.Layout(width="90px"))}
    return controls, buttons


def _scene_2d(scene):
    scene = toy_scene() if scene is None else scene
    if np.asarray(scene.outside_vectors).shape[1] != 2:
        raise ValueError(f"the explorer draws a 2-D scene, got d = {np.asarray(scene.outside_vectors).shape[1]}")
    return scene

def _legend(items) -> str:
    """An HTML legend line: ``[(colour, what, meaning), ...]``."""
    return "<div style='font-size:90%;margin:2px 0 4px 0'>" + " &nbsp; ".join(
        f"<span style='color:{to_hex(c)};font-weight:bold'>{what}</span> {meaning}"
        for c, what, meaning in items) + "</div>"


_CELL = "padding:0 0.6em;line-height:1.3;text-align:left"


def _compact(html: str) -> str:
    """Tight table cells: notebook front ends pad table cells generously."""
    for tag in ("td", "th"):
        html = html.replace(f"<{tag} style='", f"<{tag} style='{_CELL};")
        html = html.replace(f"<{tag}>", f"<{tag} style='{_CELL}'>")
    return html


def _fmt(v) -> str:
    return "(" + ", ".join(f"{x:+.3f}" for x in np.atleast_1d(v)) + ")"


# ----------------------------------------------------------------------------------------
# Part (b): the gradient with respect to the center vector
# ----------------------------------------------------------------------------------------
class CenterGradientExplorer(Explorer):
    r"""Move :math:`v_c` and pick :math:`o`: loss contours, :math:`\hat y`, and :math:`-\partial J/\partial v_c`.

    Controls: ``v1``, ``v2`` (the two coordinates of :math:`v_c`), ``o`` (the outside word),
    ``lr`` (the learning rate of *Step*), ``sheet`` (also draw the answer sheet's (b)).
    Buttons: *Step*, *10 steps* (gradient descent on :math:`v_c`, the path is traced) and
    *Reset*: the methods :meth:`step` and :meth:`reset`. The traced path is the explorer's
    state; :meth:`compute` takes it as the arguments ``path`` and ``path_o``.
    """

    title = (r"Part (b): the gradient with respect to the center vector, "
             r"$\partial J/\partial v_c = U(\hat y - y)$")

    def __init__(self, scene=None, lr: float = 0.5):
        scene = _scene_2d(scene)
        self.scene = scene
        self.words = list(scene.words)
        self._U_T = U_T = np.asarray(scene.outside_vectors, dtype=np.float64)
        self._Vc = np.asarray(scene.center_vectors, dtype=np.float64)
        V = U_T.shape[0]
        self._v_start = self._Vc[scene.center_idx].copy()
        grid = np.linspace(-V_LIM, V_LIM, GRID)
        #: (V, GRID, GRID): J(v_c) over the sliders' square, one surface per outside word o
        self._surfaces = np.stack([loss_surface(o, U_T, grid, grid) for o in range(V)])
        self._path: list = []          # the traced iterates of Step, for outside word _path_o
        self._path_o = None

        fig, (ax, axb) = new_figure(10.4, 4.6, ncols=2, gridspec_kw={"width_ratios": [1.15, 1]})
        fig.subplots_adjust(left=0.06, right=0.98, bottom=0.12, top=0.9, wspace=0.18)
        _plane(ax, V_LIM)
        ax.set_xlabel("$v_c$[0]", fontsize=9)
        ax.set_ylabel("$v_c$[1]", fontsize=9)
        ax.set_title("contours of $J(v_c)$ (darker: lower), outside vectors $u_w$", fontsize=10)
        # One contour set per o, made once, coloured by level (dark = low loss); only the current
        # o's is visible. (A filled image would cost ~6 ms per update; lines cost under 1 ms.)
        levels = np.array([0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0,
                           5.0, 6.0, 8.0])
        self._contours = []
        for o in range(V):
            cs = ax.contour(grid, grid, self._surfaces[o], levels=levels, cmap="viridis",
                            norm=Normalize(0.0, 10.0), linewidths=0.9, zorder=1)
            cs.set_visible(False)
            self._contours.append(cs)
        self._dots = ax.scatter(U_T[:, 0], U_T[:, 1], s=40, c=C_U, zorder=4, edgecolors="white",
                                linewidths=0.5)
        for w in range(V):
            ax.annotate(self.words[w], U_T[w], xytext=(4, 4), textcoords="offset points",
                        fontsize=9, color=C_LABEL, zorder=7)
        self._ring, = ax.plot([], [], "o", ms=13, mfc="none", mec=C_O, mew=2, zorder=5)
        self._exp_pt, = ax.plot([], [], "*", ms=13, color=C_EXP, mec="white", mew=0.6, zorder=6)
        self._exp_txt = ax.text(0, 0, "expected", fontsize=8, color=C_EXP, zorder=7, ha="right")
        self._obs_minus_exp, = ax.plot([], [], ":", color=C_EXP, lw=1.5, zorder=5)
        self._path_line, = ax.plot([], [], "-", color=C_V, lw=1.2, zorder=5, marker=".", ms=4)
        self._vc_pt, = ax.plot([], [], "o", ms=8, color=C_V, zorder=8)
        self._next_line, = ax.plot([], [], "-", color=C_V, lw=0.8, alpha=0.6, zorder=7)
        self._next_pt, = ax.plot([], [], "o", ms=8, mfc="none", mec=C_V, mew=1.5, zorder=8)
        self._vc_txt = ax.text(0, 0, "$v_c$", fontsize=10, zorder=8)
        self._desc = _arrows(ax, 1, C_DESC)
        self._sheet_arrow = _arrows(ax, 1, C_SHEET)
        x = np.arange(V)
        self._bars = axb.bar(x, np.zeros(V), color="0.65", zorder=2)
        self._target = axb.bar([0], [1.0], fill=False, edgecolor=C_O, lw=1.5, ls="--", zorder=3)[0]
        axb.set_xticks(x, self.words, fontsize=9)
        axb.set_ylim(0, 1.08)
        axb.set_ylabel("probability", fontsize=9)
        axb.tick_params(labelsize=8)
        axb.grid(axis="y", color="0.9", zorder=0)
        self._title_b = axb.text(0.5, 1.02, "", transform=axb.transAxes, ha="center", fontsize=10)
        axb.text(0.02, 0.96, "$J = -\\log \\hat y_o$", transform=axb.transAxes, va="top",
                 fontsize=10)
        axb.text(0.98, 0.96, "bars: $\\hat y = \\mathrm{softmax}(U^\\top v_c)$\n"
                 "dashed: $y$ (one-hot at $o$)", transform=axb.transAxes, ha="right", va="top",
                 fontsize=8, bbox=dict(boxstyle="round", fc="white", ec="0.8"))
        figure = FastFigure(fig, [*self._contours, self._dots, self._ring, self._exp_pt,
                                  self._exp_txt, self._obs_minus_exp, self._path_line, self._vc_pt,
                                  self._next_line, self._next_pt, self._vc_txt, self._desc,
                                  self._sheet_arrow, *self._bars, self._target, self._title_b])
        controls, buttons = _stepping_controls(self._v_start, V_LIM, self.words, scene.outside_idx,
                                               lr, "(b)")
        buttons["step"].on_click(lambda _: self.step(1))
        buttons["step10"].on_click(lambda _: self.step(10))
        buttons["reset"].on_click(lambda _: self.reset())
        super().__init__(controls, figure, buttons)

    # --- numbers ---------------------------------------------------------------------
    def compute(self, v1, v2, o, lr, sheet, path=(), path_o=None) -> dict:
        r""":func:`center_state` at :math:`v_c` = (v1, v2), plus what the figure needs: ``path``
        (the traced iterates if ``path`` ends at :math:`v_c` for this ``o``, else just
        :math:`v_c`), ``next`` (where Step goes, clipped to the square), ``lr``,
        ``show_sheet``, ``surface`` (:func:`loss_surface` for ``o``). Pure."""
        v = np.array([v1, v2], dtype=np.float64)
        st = center_state(v, o, self._U_T, self._Vc)
        # the sliders round to 0.01: a path still counts if it ends within that of v
        if path_o == o and len(path) and np.allclose(path[-1], v, atol=6e-3, rtol=0):
            st["path"] = np.vstack(list(path[:-1]) + [v])
        else:
            st["path"] = v[None, :]
        st["lr"] = float(lr)
        st["next"] = np.clip(v - lr * st["grad"], -V_LIM, V_LIM)
        st["show_sheet"] = bool(sheet)
        st["surface"] = self._surfaces[int(o)]
        return st

    def _state_inputs(self) -> dict:
        return {"path": tuple(self._path), "path_o": self._path_o}

    # --- buttons ---------------------------------------------------------------------
    def step(self, n: int = 1) -> None:
        """*Step* / *10 steps*: ``n`` gradient-descent steps on :math:`v_c`, traced."""
        vals = self.values()
        o = vals["o"]
        p = self.state()["path"]
        new = descend_center(p[-1], o, self._U_T, vals["lr"], n, V_LIM)
        self._path_o = o
        self._path = list(p[:-1]) + list(new)
        self.set_values(v1=float(new[-1, 0]), v2=float(new[-1, 1]))

    def reset(self) -> None:
        """*Reset*: back to the scene's :math:`v_c`, no path."""
        self._path_o, self._path = None, []
        self.set_values(v1=float(self._v_start[0]), v2=float(self._v_start[1]))

    # --- picture and readout ---------------------------------------------------------
    def draw(self, st: dict) -> None:
        U_T = self._U_T
        o, v, yh = st["o"], st["v_c"], st["y_hat"]
        for w, cs in enumerate(self._contours):
            cs.set_visible(w == o)
        self._dots.set_sizes(12 + 300 * yh)          # marker area ∝ ŷ_w: the weights of the average
        self._ring.set_data([U_T[o, 0]], [U_T[o, 1]])
        e = st["expected"]
        self._exp_pt.set_data([e[0]], [e[1]])
        self._exp_txt.set_position((e[0] - 0.1, e[1] + 0.1))
        self._obs_minus_exp.set_data([e[0], U_T[o, 0]], [e[1], U_T[o, 1]])
        p = st["path"]
        self._path_line.set_data(p[:, 0], p[:, 1])
        self._vc_pt.set_data([v[0]], [v[1]])
        nx = st["next"]
        self._next_line.set_data([v[0], nx[0]], [v[1], nx[1]])
        self._next_pt.set_data([nx[0]], [nx[1]])
        self._vc_txt.set_position((v[0] - 0.3, v[1] + 0.12))
        self._desc.set_offsets([v])
        self._desc.set_UVC([st["descent"][0]], [st["descent"][1]])
        self._sheet_arrow.set_visible(st["show_sheet"])
        if st["show_sheet"]:
            self._sheet_arrow.set_offsets([v])
            self._sheet_arrow.set_UVC([-st["sheet_grad"][0]], [-st["sheet_grad"][1]])
        for w, bar in enumerate(self._bars):
            bar.set_height(yh[w])
            bar.set_color(C_O if w == o else "0.65")
        self._target.set_x(o - self._target.get_width() / 2)
        self._title_b.set_text(f"o = {self.words[o]}:  J = −log {yh[o]:.3f} = {st['loss']:.3f}")

    def readout(self, st: dict) -> str:
        words = self.words
        o = st["o"]
        rows = [
            ("o (observed word)", words[o]),
            ("ŷ = softmax(Uᵀv_c)", " ".join(f"{words[w]} {st['y_hat'][w]:.3f}" for w in range(len(words)))),
            ("J = −log ŷ_o", f"{st['loss']:.4f}"),
            ("u_o (observed)", _fmt(st["observed"])),
            ("Σ_w ŷ_w u_w (expected)", _fmt(st["expected"])),
            ("∂J/∂v_c = expected − observed", f"{_fmt(st['grad'])}, length {st['grad_norm']:.4f}"),
            ("path", f"{len(st['path']) - 1} steps, lr = {st['lr']:.2f}"),
        ]
        legend = [(C_DESC, "orange-red arrow", "−∂J/∂v_c = u_o − Σ_w ŷ_w u_w (true length),"),
                  (C_EXP, "star", "the expected outside vector Σ_w ŷ_w u_w; dotted: star → u_o,"),
                  (C_O, "ring", "u_o;"), (C_V, "v_c", "and its path; hollow: where Step goes, "
                   "v_c − lr·∂J/∂v_c;"), (C_U, "dot area", "∝ ŷ_w")]
        if st["show_sheet"]:
            rows.append(("answer sheet's ∂J/∂v_c", _fmt(st["sheet_grad"])))
            legend.append((C_SHEET, "grey arrow", "minus the sheet's −u_o + Σ_w ŷ_w v_w"))
        return _compact(_legend(legend) + "<table style='font-family:monospace;font-size:90%'>"
                        + "".join(f"<tr><td>{k}</td><td>{v}</td></tr>" for k, v in rows)
                        + "</table>")


def center_gradient_explorer(scene=None, lr: float = 0.5) -> CenterGradientExplorer:
    r"""Part (b)'s explorer (notebook 02): see :class:`CenterGradientExplorer`."""
    return CenterGradientExplorer(scene, lr)


# ----------------------------------------------------------------------------------------
# Part (c): the gradient with respect to the outside vectors
# ----------------------------------------------------------------------------------------
class OutsideGradientExplorer(Explorer):
    r"""An arrow :math:`-\partial J/\partial u_w` on every :math:`u_w`; the (V, d) gradient as a heat map.

    Controls: ``v1``, ``v2`` (:math:`v_c`), ``o``, ``lr`` (of *Step*), ``sheet`` (also draw the
    answer sheet's (c) arrows). Buttons: *Step* / *10 steps* (gradient descent on every
    :math:`u_w` at once, paths traced) and *Reset*: the methods :meth:`step` and
    :meth:`reset`. The outside vectors after 0, 1, 2, ... steps are the explorer's state
    (:meth:`outside_vectors` is the current one); :meth:`compute` takes them as ``history``,
    or ``outside_vectors=`` to evaluate elsewhere.
    """

    title = (r"Part (c): the gradient with respect to the outside vectors, "
             r"$\partial J/\partial u_w = (\hat y_w - y_w)\,v_c$")

    def __init__(self, scene=None, lr: float = 0.2):
        from matplotlib.patches import Rectangle

        scene = _scene_2d(scene)
        self.scene = scene
        self.words = words = list(scene.words)
        self._U0 = U0 = np.asarray(scene.outside_vectors, dtype=np.float64)
        V = U0.shape[0]
        self._v_start = np.asarray(scene.center_vectors, dtype=np.float64)[scene.center_idx].copy()
        self._history = [U0.copy()]      # U after 0, 1, 2, ... steps; the last is the current

        fig, (ax, axg, axs) = new_figure(11.2, 4.8, ncols=3,
                                         gridspec_kw={"width_ratios": [2.3, 1, 1]})
        fig.subplots_adjust(left=0.045, right=0.965, bottom=0.1, top=0.83, wspace=0.32)
        _plane(ax, V_LIM)
        ax.set_title(f"${ARROW_SCALE:g} \\times (-\\partial J/\\partial u_w) = {ARROW_SCALE:g}\\,"
                     "(y_w - \\hat y_w)\\, v_c$ on every $u_w$", fontsize=10)
        self._vc_line, = ax.plot([], [], "--", color=C_V, lw=0.8, zorder=1)   # the line through v_c
        self._vc_arrow = _arrows(ax, 1, C_V)
        self._vc_txt = ax.text(0, 0, "$v_c$", fontsize=10, zorder=8)
        self._traces = [ax.plot([], [], "-", color=C_U, lw=1.2, zorder=2)[0] for _ in range(V)]
        self._dots = ax.scatter(U0[:, 0], U0[:, 1], s=40, c=C_U, zorder=4, edgecolors="white",
                                linewidths=0.5)
        self._ring, = ax.plot([], [], "o", ms=13, mfc="none", mec=C_O, mew=2, zorder=5)
        self._ghosts, = ax.plot([], [], "o", ms=6, mfc="none", mec=C_U, mew=1.2, zorder=5,
                                ls="none")
        self._labels = [ax.text(0, 0, w, fontsize=9, color=C_LABEL, zorder=7, ha="center",
                                va="center") for w in words]
        self._desc = _arrows(ax, V, C_DESC, zorder=7, scale=ARROW_SCALE)
        self._sheet_arrows = _arrows(ax, V, C_SHEET, zorder=6, scale=ARROW_SCALE, alpha=0.8)
        vmax = 1.0
        self._heat, self._o_marks = {}, {}
        for name, axh, title in (("grad", axg, "$\\partial J/\\partial U$ in code: (V, d)\n"
                                               "row $w$ = $(\\hat y_w - y_w)\\,v_c^\\top$"),
                                 ("sheet", axs, "answer sheet's (c)\nevery row $-\\hat y_o v_c^\\top$")):
            self._heat[name] = axh.imshow(np.zeros((V, 2)), cmap="RdBu_r", vmin=-vmax, vmax=vmax,
                                          aspect="auto")
            axh.set_yticks(range(V), words, fontsize=9)
            axh.set_xticks([0, 1], ["d = 0", "d = 1"], fontsize=8)
            axh.set_title(title, fontsize=9)
        for name, axh in (("grad", axg), ("sheet", axs)):
            self._o_marks[name] = axh.add_patch(Rectangle((-0.5, -0.5), 2, 1, fill=False, ec=C_O,
                                                          lw=2.5, zorder=5))
        fig.colorbar(self._heat["grad"], ax=[axg, axs], fraction=0.05, pad=0.04,
                     shrink=0.9).ax.tick_params(labelsize=7)
        self._title_main = fig.text(0.5, 0.975, "", ha="center", va="top", fontsize=11)
        figure = FastFigure(fig, [self._vc_line, self._vc_arrow, self._vc_txt, *self._traces,
                                  self._dots, self._ring, self._ghosts, *self._labels, self._desc,
                                  self._sheet_arrows, self._heat["grad"], self._heat["sheet"],
                                  *self._o_marks.values(), self._title_main])
        controls, buttons = _stepping_controls(self._v_start, V_LIM, words, scene.outside_idx, lr,
                                               "(c)")
        buttons["step"].on_click(lambda _: self.step(1))
        buttons["step10"].on_click(lambda _: self.step(10))
        buttons["reset"].on_click(lambda _: self.reset())
        super().__init__(controls, figure, buttons)

    # --- numbers ---------------------------------------------------------------------
    def compute(self, v1, v2, o, lr, sheet, history=None, outside_vectors=None) -> dict:
        r""":func:`outside_state` at :math:`v_c` = (v1, v2) for the last outside vectors of
        ``history`` (or for ``outside_vectors``), plus ``lr``, ``next`` (where Step moves the
        :math:`u_w`), ``show_sheet``, ``history`` (steps + 1, V, d) and ``steps``. Pure."""
        if outside_vectors is not None:
            hist = np.asarray(outside_vectors, dtype=np.float64)[None]
        else:
            hist = np.array(self._U0[None] if history is None else history, dtype=np.float64)
        U_T = hist[-1]
        st = outside_state(np.array([v1, v2], dtype=np.float64), o, U_T)
        st["lr"] = float(lr)
        st["next"] = U_T - lr * st["grad"]          # where Step moves the u_w
        st["show_sheet"] = bool(sheet)
        st["history"] = hist
        st["steps"] = hist.shape[0] - 1
        return st

    def _state_inputs(self) -> dict:
        return {"history": tuple(self._history)}

    def outside_vectors(self) -> np.ndarray:
        """The current (V, d) outside vectors (after the steps taken)."""
        return self._history[-1].copy()

    # --- buttons ---------------------------------------------------------------------
    def step(self, n: int = 1) -> None:
        """*Step* / *10 steps*: ``n`` gradient-descent steps on every :math:`u_w`."""
        vals = self.values()
        v = np.array([vals["v1"], vals["v2"]])
        U_T = self._history[-1]
        for _ in range(as_positive_int(n, "n")):
            U_T = U_T - vals["lr"] * naive_softmax_loss_and_gradient(v, vals["o"], U_T)[2]
            self._history.append(U_T)
        self.refresh()

    def reset(self) -> None:
        """*Reset*: the scene's outside vectors, no steps."""
        self._history = [self._U0.copy()]
        self.refresh()

    # --- picture and readout ---------------------------------------------------------
    def draw(self, st: dict) -> None:
        o, v, U_T, yh = st["o"], st["v_c"], st["outside_vectors"], st["y_hat"]
        n = np.linalg.norm(v)
        if n > 0:
            far = 2 * V_LIM * v / n
            self._vc_line.set_data([-far[0], far[0]], [-far[1], far[1]])
        self._vc_arrow.set_UVC([v[0]], [v[1]])
        self._vc_txt.set_position((v[0] * 1.05 + 0.05, v[1] * 1.05 + 0.05))
        h = st["history"]
        # labels sit beside each u_w, across the line of v_c, away from the arrows along it
        side = np.array([-v[1], v[0]]) / n if n > 0 else np.array([0.0, 1.0])
        for w, (trace, label) in enumerate(zip(self._traces, self._labels)):
            trace.set_data(h[:, w, 0], h[:, w, 1])
            label.set_position(U_T[w] + 0.24 * side)
        self._dots.set_offsets(U_T)
        self._dots.set_sizes(12 + 200 * yh)
        self._ring.set_data([U_T[o, 0]], [U_T[o, 1]])
        self._ghosts.set_data(st["next"][:, 0], st["next"][:, 1])
        self._desc.set_offsets(U_T)
        self._desc.set_UVC(st["descent"][:, 0], st["descent"][:, 1])
        self._sheet_arrows.set_visible(st["show_sheet"])
        if st["show_sheet"]:
            self._sheet_arrows.set_offsets(U_T)
            self._sheet_arrows.set_UVC(-st["sheet_grad"][:, 0], -st["sheet_grad"][:, 1])
        for name in ("grad", "sheet"):
            self._heat[name].set_data(st[name if name == "grad" else "sheet_grad"])
            self._o_marks[name].set_y(o - 0.5)
        self._title_main.set_text(f"o = {self.words[o]},   J = −log ŷ_o = {st['loss']:.3f},   "
                                  f"steps taken: {st['steps']}")

    def readout(self, st: dict) -> str:
        o = st["o"]
        yh = st["y_hat"]
        rows = "".join(
            f"<tr><td>{w}</td><td>{yh[i]:.3f}</td><td>{st['coef'][i]:+.3f}</td>"
            f"<td>{_fmt(st['grad'][i])}</td><td>{_fmt(st['sheet_grad'][i])}</td></tr>"
            .replace(f"<td>{w}</td>", f"<td><b style='color:{C_O}'>{w} (o)</b></td>" if i == o
                     else f"<td>{w}</td>")
            for i, w in enumerate(self.words))
        legend = [(C_DESC, "orange-red arrows", f"{ARROW_SCALE:g} × (−∂J/∂u_w): u_o pulled along +v_c by 1 − ŷ_o, "
                   "the others pushed along −v_c by ŷ_w;"), (C_V, "blue arrow", "v_c;"), (C_O, "ring", "u_o;"),
                  (C_U, "hollow circles", "where Step moves the u_w, u_w − lr·∂J/∂u_w;"),
                  (C_U, "dot area", "∝ ŷ_w")]
        if st["show_sheet"]:
            legend.append((C_SHEET, "grey", f"{ARROW_SCALE:g} × minus the sheet's row −ŷ_o v_c, "
                           "the same on every u_w"))
        return _compact(_legend(legend) + "<table style='font-family:monospace;font-size:90%'>"
                        "<tr><th>w</th><th>ŷ_w</th><th>ŷ_w − y_w</th><th>∂J/∂u_w</th>"
                        "<th>sheet's row</th></tr>" + rows + "</table>"
                        f"J = {st['loss']:.4f}; every row of ∂J/∂U is a multiple of v_c = {_fmt(st['v_c'])}")


def outside_gradient_explorer(scene=None, lr: float = 0.2) -> OutsideGradientExplorer:
    r"""Part (c)'s explorer (notebook 03): see :class:`OutsideGradientExplorer`."""
    return OutsideGradientExplorer(scene, lr)


EXPLORERS = {
    "center_gradient": center_gradient_explorer,
    "outside_gradient": outside_gradient_explorer,
}
