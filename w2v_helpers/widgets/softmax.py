r"""Notebook 02 (part b): the naive-softmax gradient with respect to the center vector.

* :class:`CenterGradientExplorer` (:func:`center_gradient_explorer`): move :math:`v_c`, pick
  the outside word :math:`o`; see :math:`\hat y` as bars, the loss :math:`J = -\log\hat y_o`,
  the loss contours over :math:`v_c`, the expected outside vector :math:`\sum_w \hat y_w u_w`,
  and the descent direction :math:`-\partial J/\partial v_c = u_o - \sum_w \hat y_w u_w` at
  :math:`v_c`. *Step* takes a gradient-descent step and traces the path.
* :func:`descent_paths_figure`: the static picture of descent paths and the convex hull.

The plotted numbers come from :func:`center_state`, a pure function the tests compare with
:func:`w2v_helpers.naive_softmax_loss_and_gradient`. Part (c)'s explorer (notebook 03) lives in
:mod:`~w2v_helpers.widgets.outside`; its names are importable from here too, as before.
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import Normalize

from .._validate import as_positive_int
from ..answer_sheet import sheet_center_gradient
from ..core import _naive_softmax_losses, naive_softmax_loss_and_gradient, softmax
from . import _scene2d as S
from ._base import Explorer, FastFigure, new_figure
from ._scene2d import C_DESC, C_EXP, C_LABEL, C_O, C_SHEET, C_U, C_V, V_LIM
from .outside import OutsideGradientExplorer, outside_gradient_explorer, outside_state

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

#: Grid points per side of the precomputed loss surface.
GRID = 121


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
    sheet = None if center_vectors is None else sheet_center_gradient(v_c, outside_idx, U_T, center_vectors)
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


def loss_surface(outside_idx: int, outside_vectors, xs, ys) -> np.ndarray:
    r""":math:`J(v_c) = \log\sum_w e^{u_w^\top v_c} - u_o^\top v_c` on the grid ``v_c = (xs[j], ys[i])``.

    Returns:
        (len(ys), len(xs)) array, row i is ``ys[i]`` (as ``imshow``/``contour`` expect).
    """
    U_T = np.asarray(outside_vectors, dtype=np.float64)
    X, Y = np.meshgrid(np.asarray(xs, float), np.asarray(ys, float))
    return _naive_softmax_losses(np.stack([X, Y], axis=-1), int(outside_idx), U_T)


def descend_center(
    center_vec, outside_idx: int, outside_vectors, lr: float, steps: int = 1, lim: float | None = V_LIM
) -> np.ndarray:
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
    scene = S.scene_2d(scene)
    U_T = np.asarray(scene.outside_vectors, dtype=np.float64)
    idx = [scene.index(w) for w in words]
    fig, axes = new_figure(4.3 * len(idx), 4.3, ncols=len(idx), squeeze=False)
    fig.subplots_adjust(left=0.06, right=0.98, bottom=0.1, top=0.88, wspace=0.15)
    grid = np.linspace(-V_LIM, V_LIM, GRID)
    hull = convex_hull(U_T)
    v0 = np.asarray(scene.center_vectors, dtype=np.float64)[scene.center_idx]
    for ax, o in zip(axes[0], idx):
        S.plane(ax, V_LIM)
        ax.contour(grid, grid, loss_surface(o, U_T, grid, grid), levels=12, cmap="viridis", linewidths=0.8, zorder=1)
        ax.fill(hull[:, 0], hull[:, 1], color=C_U, alpha=0.15, lw=0, zorder=0)
        ax.scatter(U_T[:, 0], U_T[:, 1], s=25, c=C_U, zorder=4)
        for w, name in enumerate(scene.words):
            ax.annotate(name, U_T[w], xytext=(4, 4), textcoords="offset points", fontsize=9, color=C_LABEL)
        ax.plot(*U_T[o], "o", ms=12, mfc="none", mec=C_O, mew=2, zorder=5)
        path = descend_center(v0, o, U_T, lr, steps, lim=None)  # unclipped: it may leave the plot
        ax.plot(path[:, 0], path[:, 1], ".-", color=C_V, lw=1.2, ms=4, zorder=6)
        ax.plot(*path[0], "o", color=C_V, ms=6, zorder=6)
        loss, grad, _ = naive_softmax_loss_and_gradient(path[-1], o, U_T)
        inside = not np.any(np.all(np.isclose(hull, U_T[o]), axis=1))
        ax.set_title(
            f"o = {scene.words[o]} ({'inside the hull' if inside else 'a corner'}): "
            f"after {steps} steps\nJ = {loss:.3f}, |∂J/∂v_c| = {np.linalg.norm(grad):.3f}",
            fontsize=10,
        )
    return fig


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

    title = (
        r"Part (b): the gradient with respect to the center vector, "
        r"$\partial J/\partial v_c = U(\hat y - y)$"
    )

    def __init__(self, scene=None, lr: float = 0.5):
        scene = S.scene_2d(scene)
        self.scene = scene
        self.words = list(scene.words)
        self._U_T = U_T = np.asarray(scene.outside_vectors, dtype=np.float64)
        self._Vc = np.asarray(scene.center_vectors, dtype=np.float64)
        V = U_T.shape[0]
        self._v_start = self._Vc[scene.center_idx].copy()
        grid = np.linspace(-V_LIM, V_LIM, GRID)
        #: (V, GRID, GRID): J(v_c) over the sliders' square, one surface per outside word o
        self._surfaces = np.stack([loss_surface(o, U_T, grid, grid) for o in range(V)])
        self._path: list = []  # the traced iterates of Step, for outside word _path_o
        self._path_o = None

        fig, (ax, axb) = new_figure(10.4, 4.6, ncols=2, gridspec_kw={"width_ratios": [1.15, 1]})
        fig.subplots_adjust(left=0.06, right=0.98, bottom=0.12, top=0.9, wspace=0.18)
        S.plane(ax, V_LIM)
        ax.set_xlabel("$v_c$[0]", fontsize=9)
        ax.set_ylabel("$v_c$[1]", fontsize=9)
        ax.set_title("contours of $J(v_c)$ (darker: lower), outside vectors $u_w$", fontsize=10)
        # One contour set per o, made once, coloured by level (dark = low loss); only the current
        # o's is visible. (A filled image would cost ~6 ms per update; lines cost under 1 ms.)
        levels = np.array([0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0])
        self._contours = []
        for o in range(V):
            cs = ax.contour(
                grid,
                grid,
                self._surfaces[o],
                levels=levels,
                cmap="viridis",
                norm=Normalize(0.0, 10.0),
                linewidths=0.9,
                zorder=1,
            )
            cs.set_visible(False)
            self._contours.append(cs)
        self._dots = ax.scatter(U_T[:, 0], U_T[:, 1], s=40, c=C_U, zorder=4, edgecolors="white", linewidths=0.5)
        for w in range(V):
            ax.annotate(
                self.words[w], U_T[w], xytext=(4, 4), textcoords="offset points", fontsize=9, color=C_LABEL, zorder=7
            )
        (self._ring,) = ax.plot([], [], "o", ms=13, mfc="none", mec=C_O, mew=2, zorder=5)
        (self._exp_pt,) = ax.plot([], [], "*", ms=13, color=C_EXP, mec="white", mew=0.6, zorder=6)
        self._exp_txt = ax.text(0, 0, "expected", fontsize=8, color=C_EXP, zorder=7, ha="right")
        (self._obs_minus_exp,) = ax.plot([], [], ":", color=C_EXP, lw=1.5, zorder=5)
        (self._path_line,) = ax.plot([], [], "-", color=C_V, lw=1.2, zorder=5, marker=".", ms=4)
        (self._vc_pt,) = ax.plot([], [], "o", ms=8, color=C_V, zorder=8)
        (self._next_line,) = ax.plot([], [], "-", color=C_V, lw=0.8, alpha=0.6, zorder=7)
        (self._next_pt,) = ax.plot([], [], "o", ms=8, mfc="none", mec=C_V, mew=1.5, zorder=8)
        self._vc_txt = ax.text(0, 0, "$v_c$", fontsize=10, zorder=8)
        self._desc = S.arrows(ax, 1, C_DESC)
        self._sheet_arrow = S.arrows(ax, 1, C_SHEET)
        x = np.arange(V)
        self._bars = axb.bar(x, np.zeros(V), color="0.65", zorder=2)
        self._target = axb.bar([0], [1.0], fill=False, edgecolor=C_O, lw=1.5, ls="--", zorder=3)[0]
        axb.set_xticks(x, self.words, fontsize=9)
        axb.set_ylim(0, 1.08)
        axb.set_ylabel("probability", fontsize=9)
        axb.tick_params(labelsize=8)
        axb.grid(axis="y", color="0.9", zorder=0)
        self._title_b = axb.text(0.5, 1.02, "", transform=axb.transAxes, ha="center", fontsize=10)
        axb.text(0.02, 0.96, "$J = -\\log \\hat y_o$", transform=axb.transAxes, va="top", fontsize=10)
        axb.text(
            0.98,
            0.96,
            "bars: $\\hat y = \\mathrm{softmax}(U^\\top v_c)$\ndashed: $y$ (one-hot at $o$)",
            transform=axb.transAxes,
            ha="right",
            va="top",
            fontsize=8,
            bbox=dict(boxstyle="round", fc="white", ec="0.8"),
        )
        figure = FastFigure(
            fig,
            [
                *self._contours,
                self._dots,
                self._ring,
                self._exp_pt,
                self._exp_txt,
                self._obs_minus_exp,
                self._path_line,
                self._vc_pt,
                self._next_line,
                self._next_pt,
                self._vc_txt,
                self._desc,
                self._sheet_arrow,
                *self._bars,
                self._target,
                self._title_b,
            ],
        )
        controls, buttons = S.stepping_controls(self._v_start, V_LIM, self.words, scene.outside_idx, lr, "(b)")
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
        self._dots.set_sizes(12 + 300 * yh)  # marker area ∝ ŷ_w: the weights of the average
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
            ("u_o (observed)", S.fmt(st["observed"])),
            ("Σ_w ŷ_w u_w (expected)", S.fmt(st["expected"])),
            ("∂J/∂v_c = expected − observed", f"{S.fmt(st['grad'])}, length {st['grad_norm']:.4f}"),
            ("path", f"{len(st['path']) - 1} steps, lr = {st['lr']:.2f}"),
        ]
        legend = [
            (C_DESC, "orange-red arrow", "−∂J/∂v_c = u_o − Σ_w ŷ_w u_w (true length),"),
            (C_EXP, "star", "the expected outside vector Σ_w ŷ_w u_w; dotted: star → u_o,"),
            (C_O, "ring", "u_o;"),
            (C_V, "v_c", "and its path; hollow: where Step goes, v_c − lr·∂J/∂v_c;"),
            (C_U, "dot area", "∝ ŷ_w"),
        ]
        if st["show_sheet"]:
            rows.append(("answer sheet's ∂J/∂v_c", S.fmt(st["sheet_grad"])))
            legend.append((C_SHEET, "grey arrow", "minus the sheet's −u_o + Σ_w ŷ_w v_w"))
        return S.compact(
            S.legend(legend)
            + "<table style='font-family:monospace;font-size:90%'>"
            + "".join(f"<tr><td>{k}</td><td>{v}</td></tr>" for k, v in rows)
            + "</table>"
        )


def center_gradient_explorer(scene=None, lr: float = 0.5) -> CenterGradientExplorer:
    r"""Part (b)'s explorer (notebook 02): see :class:`CenterGradientExplorer`."""
    return CenterGradientExplorer(scene, lr)


#: Part (c)'s explorer is listed in :mod:`~w2v_helpers.widgets.outside`.
EXPLORERS = {"center_gradient": center_gradient_explorer}
