r"""Notebook 07: CBOW -- choose the context words, watch :math:`\hat v` and the gradients.

:class:`CbowExplorer` (built by :func:`cbow_explorer`) shows a 2-D scene of seven words. Four dropdowns fill the context
positions :math:`w_{t-2}, w_{t-1}, w_{t+1}, w_{t+2}` (or leave one empty), a fifth picks the
middle word c that CBOW predicts, and a checkbox switches between the sum and the mean.

* left: the input vectors :math:`v_w` of the context words (dots), their sum or mean
  :math:`\hat v` (star), the outside vectors :math:`u_w` (squares, :math:`u_c` ringed), and
  arrows :math:`-\eta\,\partial J/\partial v_w` on every context word -- all the same arrow,
  twice as long for a word in two positions;
* right: :math:`\hat y = \mathrm{softmax}(U^\top \hat v)`, the middle word's bar highlighted.

The numbers come from :func:`cbow_state`, pure and unit-tested against :func:`w2v_helpers.cbow`.
This explorer is built on the ``Explorer``/``FastFigure`` base of :mod:`._base` with the same
compute / draw / readout split as the other explorers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..cbow import cbow
from ..core import _softmax, naive_softmax_loss_and_gradient
from ..style import PALETTE
from ._base import Explorer, FastFigure, new_figure

__all__ = ["CbowExplorer", "CbowScene", "cbow_scene", "cbow_state", "cbow_explorer", "EXPLORERS", "POSITIONS", "EMPTY"]

WORDS = ("the", "cat", "sat", "on", "mat", "dog", "ran")
POSITIONS = ("w_{t-2}", "w_{t-1}", "w_{t+1}", "w_{t+2}")
EMPTY = -1
STEP = 1.5  # arrow length: -STEP * gradient


@dataclass(frozen=True)
class CbowScene:
    words: tuple
    center_vectors: np.ndarray  # (V, 2), row w is v_w
    outside_vectors: np.ndarray  # (V, 2), row w is u_w

    @property
    def V(self) -> int:
        return len(self.words)


def cbow_scene(seed: int = 0) -> CbowScene:
    """Seven words with seeded 2-D input and output vectors (deterministic)."""
    rng = np.random.default_rng(seed)
    Vc = rng.normal(scale=0.8, size=(len(WORDS), 2))
    U = rng.normal(scale=1.2, size=(len(WORDS), 2))
    return CbowScene(WORDS, Vc, U)


def cbow_state(context, center: int, mean: bool, scene: CbowScene | None = None) -> dict:
    r"""Everything the explorer shows for one window.

    Args:
        context: the context positions' word indices; :data:`EMPTY` (-1) leaves a position out.
        center: int c, the middle word (predicted).
        mean: bool, average instead of sum.

    Returns:
        dict with ``outs`` (C,) the filled positions; ``v_hat`` (2,); ``loss``; ``y_hat`` (V,);
        ``grad_v_hat`` (2,) :math:`\partial J/\partial \hat v`; ``grad_center_vectors`` (V, 2);
        ``grad_outside_vectors`` (V, 2); ``n`` (V,) positions per word; ``per_position`` (2,), the
        gradient one position contributes; ``C``; ``mean``; ``center``; ``empty`` (no context word).
    """
    scene = scene or cbow_scene()
    outs = np.array([int(w) for w in context if int(w) != EMPTY], dtype=np.int64)
    st = {
        "outs": outs,
        "C": int(outs.size),
        "mean": bool(mean),
        "center": int(center),
        "empty": outs.size == 0,
        "n": np.bincount(outs, minlength=scene.V),
    }
    if outs.size == 0:
        z = np.zeros(2)
        st.update(
            v_hat=z,
            loss=float("nan"),
            y_hat=np.full(scene.V, np.nan),
            grad_v_hat=z,
            per_position=z,
            grad_center_vectors=np.zeros((scene.V, 2)),
            grad_outside_vectors=np.zeros((scene.V, 2)),
        )
        return st
    loss, gV, gU = cbow(center, outs, scene.center_vectors, scene.outside_vectors, mean=mean)
    v_hat = scene.center_vectors[outs].sum(axis=0) / (outs.size if mean else 1)
    g_hat = naive_softmax_loss_and_gradient(v_hat, center, scene.outside_vectors)[1]
    st.update(
        v_hat=v_hat,
        loss=loss,
        y_hat=_softmax(scene.outside_vectors @ v_hat),
        grad_v_hat=g_hat,
        per_position=g_hat / outs.size if mean else g_hat,
        grad_center_vectors=gV,
        grad_outside_vectors=gU,
    )
    return st


def _readout(st: dict, words) -> str:
    if st["empty"]:
        return "<i>Choose at least one context word: with no context, v̂ is undefined.</i>"
    ctx = ", ".join(words[w] for w in st["outs"])
    how = f"(1/{st['C']}) Σ" if st["mean"] else "Σ"
    rep = [f"{words[w]} ×{int(k)}" for w, k in enumerate(st["n"]) if k > 1]
    rep_txt = (
        " &nbsp; repeated: " + ", ".join(rep) + " (its row gets that many times the per-position gradient)"
        if rep
        else ""
    )
    g = st["per_position"]
    return (
        f"<div style='font-family:monospace'>context: {ctx} → predict <b>{words[st['center']]}</b> &nbsp; "
        f"v̂ = {how} v = ({st['v_hat'][0]:+.3f}, {st['v_hat'][1]:+.3f}) &nbsp; J = {st['loss']:.3f} &nbsp; "
        f"ŷ_c = {st['y_hat'][st['center']]:.3f}<br>∂J/∂v̂ = ({st['grad_v_hat'][0]:+.3f}, {st['grad_v_hat'][1]:+.3f})"
        f" &nbsp; each position's ∂J/∂v_w = ({g[0]:+.3f}, {g[1]:+.3f})" + rep_txt + "</div>"
    )


class CbowExplorer(Explorer):
    """Choose the context words and the middle word; watch v̂, ŷ and every context row's gradient.

    Controls: ``ctx0`` .. ``ctx3`` (the positions :data:`POSITIONS`, :data:`EMPTY` leaves one
    out), ``center`` (the middle word c) and ``mean`` (average instead of sum).
    """

    title = (
        r"CBOW: the context's $\hat v$ (the sum of its $v_w$, or their mean with $1/C$) "
        r"predicts the middle word $c$"
    )

    def __init__(self, context=(0, 2, 3, 4), center: int = 1, mean: bool = True, seed: int = 0):
        import ipywidgets as W

        self.scene = scene = cbow_scene(seed)
        words = scene.words
        Vc, U = scene.center_vectors, scene.outside_vectors
        fig, (ax, axb) = new_figure(9.6, 3.9, ncols=2, gridspec_kw={"width_ratios": [1.15, 1]})
        fig.subplots_adjust(left=0.06, right=0.98, bottom=0.16, top=0.9, wspace=0.22)
        self._lim = lim = 1.15 * max(np.abs(Vc).max(), np.abs(U).max()) + 0.6
        ax.set_xlim(-lim, lim)
        ax.set_ylim(-lim, lim)
        ax.set_aspect("equal")
        ax.axhline(0, color="0.85", lw=0.8)
        ax.axvline(0, color="0.85", lw=0.8)
        ax.set_title("input vectors v (dots), v̂ (star), outside u (squares)", fontsize=10)
        ax.scatter(U[:, 0], U[:, 1], marker="s", s=28, color="0.65", zorder=2)
        for w, name in enumerate(words):
            ax.annotate(name, U[w], xytext=(4, -9), textcoords="offset points", fontsize=8, color="0.45")
        axb.set_ylim(0, 1)
        axb.set_title("ŷ = softmax(Uᵀv̂); the middle word c in orange", fontsize=10)
        axb.set_xticks(range(scene.V))
        axb.set_xticklabels(words, fontsize=9)
        self._bars = axb.bar(range(scene.V), np.zeros(scene.V), color=PALETTE["sky"])
        self._dots = ax.scatter(np.zeros(4), np.zeros(4), s=40, color=PALETTE["blue"], zorder=4)
        self._dot_labels = [ax.text(0, 0, "", fontsize=9, color=PALETTE["blue"]) for _ in range(scene.V)]
        (self._star,) = ax.plot([], [], "*", ms=15, color=PALETTE["vermillion"], zorder=5)
        (self._ring,) = ax.plot([], [], "o", ms=14, mfc="none", mec=PALETTE["orange"], mew=2, zorder=3)
        (self._spokes,) = ax.plot([], [], color=PALETTE["vermillion"], lw=0.8, ls=":")
        z = np.zeros(scene.V)
        self._arrows = ax.quiver(
            z, z, z, z, angles="xy", scale_units="xy", scale=1, color=PALETTE["green"], width=0.006, zorder=6
        )
        self._note = ax.text(0.02, 0.02, "", transform=ax.transAxes, fontsize=8, color=PALETTE["green"])
        figure = FastFigure(fig)
        figure.add_dynamic(
            self._dots, *self._dot_labels, self._star, self._ring, self._spokes, self._arrows, self._note, *self._bars
        )
        opts = [("—", EMPTY)] + [(name, i) for i, name in enumerate(words)]
        controls = {}
        for k, (pos, w) in enumerate(zip(POSITIONS, context)):
            controls[f"ctx{k}"] = W.Dropdown(
                options=opts,
                value=int(w),
                description=pos.replace("_", "").replace("{", "").replace("}", ""),
                layout=W.Layout(width="150px"),
                style={"description_width": "48px"},
            )
        controls["center"] = W.Dropdown(
            options=[(name, i) for i, name in enumerate(words)],
            value=int(center),
            description="predict c",
            layout=W.Layout(width="170px"),
            style={"description_width": "64px"},
        )
        controls["mean"] = W.Checkbox(
            value=bool(mean), description="mean (1/C)", indent=False, layout=W.Layout(width="110px")
        )
        super().__init__(controls, figure)

    def compute(self, ctx0, ctx1, ctx2, ctx3, center, mean) -> dict:
        """:func:`cbow_state` of the four positions (pure)."""
        return cbow_state((ctx0, ctx1, ctx2, ctx3), center, mean, self.scene)

    def draw(self, st: dict) -> None:
        words, Vc, U = self.scene.words, self.scene.center_vectors, self.scene.outside_vectors
        outs = st["outs"]
        uniq = np.flatnonzero(st["n"])
        self._dots.set_offsets(Vc[uniq] if uniq.size else np.empty((0, 2)))
        for w, t in enumerate(self._dot_labels):
            if st["n"][w]:
                t.set_position(Vc[w] + 0.06)
                t.set_text(words[w] + (f" ×{int(st['n'][w])}" if st["n"][w] > 1 else ""))
            t.set_visible(bool(st["n"][w]))
        c = st["center"]
        self._ring.set_data([U[c, 0]], [U[c, 1]])
        if st["empty"]:
            self._star.set_data([], [])
            self._spokes.set_data([], [])
        else:
            self._star.set_data([st["v_hat"][0]], [st["v_hat"][1]])
            xs, ys = [], []
            for w in outs:
                xs += [Vc[w, 0], st["v_hat"][0], np.nan]
                ys += [Vc[w, 1], st["v_hat"][1], np.nan]
            self._spokes.set_data(xs, ys)
        g = -STEP * st["grad_center_vectors"]
        off = np.where(st["n"][:, None] > 0, Vc, 10 * self._lim)  # no arrow (not even a dot) off the context
        self._arrows.set_offsets(off)
        self._arrows.set_UVC(g[:, 0], g[:, 1])
        self._note.set_text(
            f"arrows: −{STEP}·∂J/∂v_w"
            + (f" = −{STEP}·(n_w/{st['C']})·∂J/∂v̂" if st["mean"] else f" = −{STEP}·n_w·∂J/∂v̂")
        )
        for w, b in enumerate(self._bars):
            b.set_height(0.0 if st["empty"] else float(st["y_hat"][w]))
            b.set_color(PALETTE["orange"] if w == c else PALETTE["sky"])

    def readout(self, st: dict) -> str:
        return _readout(st, self.scene.words)


def cbow_explorer(context=(0, 2, 3, 4), center: int = 1, mean: bool = True, seed: int = 0) -> CbowExplorer:
    """Choose the context words and the middle word; watch v̂, ŷ and every context row's gradient."""
    return CbowExplorer(context, center, mean, seed)


EXPLORERS = {"cbow": cbow_explorer}
