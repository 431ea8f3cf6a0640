r"""Notebook 03 (part c): the naive-softmax gradient with respect to the outside vectors.

:class:`OutsideGradientExplorer` (:func:`outside_gradient_explorer`): the toy scene of notebook
02 with an arrow :math:`-\partial J/\partial u_w = -(\hat y_w - y_w) v_c` on every
:math:`u_w`, the (V, d) gradient matrix as a heat map next to the answer sheet's, and *Step*
moving every :math:`u_w`. The plotted numbers come from :func:`outside_state`, a pure function
the tests compare with :func:`w2v_helpers.naive_softmax_loss_and_gradient`.
"""

from __future__ import annotations

import numpy as np

from .._validate import as_positive_int
from ..answer_sheet import sheet_outside_gradient
from ..core import naive_softmax_loss_and_gradient, softmax
from . import _scene2d as S
from ._base import Explorer, FastFigure, new_figure
from ._scene2d import C_DESC, C_LABEL, C_O, C_SHEET, C_U, C_V, V_LIM

__all__ = ["ARROW_SCALE", "OutsideGradientExplorer", "outside_gradient_explorer", "outside_state", "EXPLORERS"]

#: The arrows on the u_w are drawn this many times the gradient's length (they are short).
ARROW_SCALE = 2.0


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

    title = (
        r"Part (c): the gradient with respect to the outside vectors, "
        r"$\partial J/\partial u_w = (\hat y_w - y_w)\,v_c$"
    )

    def __init__(self, scene=None, lr: float = 0.2):
        from matplotlib.patches import Rectangle

        scene = S.scene_2d(scene)
        self.scene = scene
        self.words = words = list(scene.words)
        self._U0 = U0 = np.asarray(scene.outside_vectors, dtype=np.float64)
        V = U0.shape[0]
        self._v_start = np.asarray(scene.center_vectors, dtype=np.float64)[scene.center_idx].copy()
        self._history = [U0.copy()]  # U after 0, 1, 2, ... steps; the last is the current

        fig, (ax, axg, axs) = new_figure(11.2, 4.8, ncols=3, gridspec_kw={"width_ratios": [2.3, 1, 1]})
        fig.subplots_adjust(left=0.045, right=0.965, bottom=0.1, top=0.83, wspace=0.32)
        S.plane(ax, V_LIM)
        ax.set_title(
            f"${ARROW_SCALE:g} \\times (-\\partial J/\\partial u_w) = {ARROW_SCALE:g}\\,"
            "(y_w - \\hat y_w)\\, v_c$ on every $u_w$",
            fontsize=10,
        )
        (self._vc_line,) = ax.plot([], [], "--", color=C_V, lw=0.8, zorder=1)  # the line through v_c
        self._vc_arrow = S.arrows(ax, 1, C_V)
        self._vc_txt = ax.text(0, 0, "$v_c$", fontsize=10, zorder=8)
        self._traces = [ax.plot([], [], "-", color=C_U, lw=1.2, zorder=2)[0] for _ in range(V)]
        self._dots = ax.scatter(U0[:, 0], U0[:, 1], s=40, c=C_U, zorder=4, edgecolors="white", linewidths=0.5)
        (self._ring,) = ax.plot([], [], "o", ms=13, mfc="none", mec=C_O, mew=2, zorder=5)
        (self._ghosts,) = ax.plot([], [], "o", ms=6, mfc="none", mec=C_U, mew=1.2, zorder=5, ls="none")
        self._labels = [ax.text(0, 0, w, fontsize=9, color=C_LABEL, zorder=7, ha="center", va="center") for w in words]
        self._desc = S.arrows(ax, V, C_DESC, zorder=7, scale=ARROW_SCALE)
        self._sheet_arrows = S.arrows(ax, V, C_SHEET, zorder=6, scale=ARROW_SCALE, alpha=0.8)
        vmax = 1.0
        self._heat, self._o_marks = {}, {}
        for name, axh, title in (
            ("grad", axg, "$\\partial J/\\partial U$ in code: (V, d)\nrow $w$ = $(\\hat y_w - y_w)\\,v_c^\\top$"),
            ("sheet", axs, "answer sheet's (c)\nevery row $-\\hat y_o v_c^\\top$"),
        ):
            self._heat[name] = axh.imshow(np.zeros((V, 2)), cmap="RdBu_r", vmin=-vmax, vmax=vmax, aspect="auto")
            axh.set_yticks(range(V), words, fontsize=9)
            axh.set_xticks([0, 1], ["d = 0", "d = 1"], fontsize=8)
            axh.set_title(title, fontsize=9)
        for name, axh in (("grad", axg), ("sheet", axs)):
            self._o_marks[name] = axh.add_patch(Rectangle((-0.5, -0.5), 2, 1, fill=False, ec=C_O, lw=2.5, zorder=5))
        fig.colorbar(self._heat["grad"], ax=[axg, axs], fraction=0.05, pad=0.04, shrink=0.9).ax.tick_params(labelsize=7)
        self._title_main = fig.text(0.5, 0.975, "", ha="center", va="top", fontsize=11)
        figure = FastFigure(
            fig,
            [
                self._vc_line,
                self._vc_arrow,
                self._vc_txt,
                *self._traces,
                self._dots,
                self._ring,
                self._ghosts,
                *self._labels,
                self._desc,
                self._sheet_arrows,
                self._heat["grad"],
                self._heat["sheet"],
                *self._o_marks.values(),
                self._title_main,
            ],
        )
        controls, buttons = S.stepping_controls(self._v_start, V_LIM, words, scene.outside_idx, lr, "(c)")
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
        st["next"] = U_T - lr * st["grad"]  # where Step moves the u_w
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
        self._title_main.set_text(
            f"o = {self.words[o]},   J = −log ŷ_o = {st['loss']:.3f},   steps taken: {st['steps']}"
        )

    def readout(self, st: dict) -> str:
        o = st["o"]
        yh = st["y_hat"]
        rows = "".join(
            f"<tr><td>{w}</td><td>{yh[i]:.3f}</td><td>{st['coef'][i]:+.3f}</td>"
            f"<td>{S.fmt(st['grad'][i])}</td><td>{S.fmt(st['sheet_grad'][i])}</td></tr>".replace(
                f"<td>{w}</td>", f"<td><b style='color:{C_O}'>{w} (o)</b></td>" if i == o else f"<td>{w}</td>"
            )
            for i, w in enumerate(self.words)
        )
        legend = [
            (
                C_DESC,
                "orange-red arrows",
                f"{ARROW_SCALE:g} × (−∂J/∂u_w): u_o pulled along +v_c by 1 − ŷ_o, the others pushed along −v_c by ŷ_w;",
            ),
            (C_V, "blue arrow", "v_c;"),
            (C_O, "ring", "u_o;"),
            (C_U, "hollow circles", "where Step moves the u_w, u_w − lr·∂J/∂u_w;"),
            (C_U, "dot area", "∝ ŷ_w"),
        ]
        if st["show_sheet"]:
            legend.append((C_SHEET, "grey", f"{ARROW_SCALE:g} × minus the sheet's row −ŷ_o v_c, the same on every u_w"))
        return S.compact(
            S.legend(legend) + "<table style='font-family:monospace;font-size:90%'>"
            "<tr><th>w</th><th>ŷ_w</th><th>ŷ_w − y_w</th><th>∂J/∂u_w</th>"
            "<th>sheet's row</th></tr>" + rows + "</table>"
            f"J = {st['loss']:.4f}; every row of ∂J/∂U is a multiple of v_c = {S.fmt(st['v_c'])}"
        )


def outside_gradient_explorer(scene=None, lr: float = 0.2) -> OutsideGradientExplorer:
    r"""Part (c)'s explorer (notebook 03): see :class:`OutsideGradientExplorer`."""
    return OutsideGradientExplorer(scene, lr)


EXPLORERS = {"outside_gradient": outside_gradient_explorer}
