r"""Widgets and figures for notebook 04, negative sampling (part d).

* :class:`NegativeSamplingExplorer` (:func:`negative_sampling_explorer`): move :math:`v_c` on the 2-D toy scene, pick the
  outside word o and K, resample the negatives; see each term of the loss, the
  gradient arrows on :math:`v_c`, :math:`u_o` and every :math:`u_k`, and the loss
  surface over :math:`v_c` beside the naive-softmax one.
* :func:`plot_noise_distributions`: the noise distribution for powers 1, 3/4 and 0.
* :func:`neg_sampling_sparse_loss_and_gradient` and :func:`time_losses`: the O(Kd)
  update as real word2vec does it (only K+1 rows), and a timing of the three against |V|.

Everything the figures show comes from :mod:`w2v_helpers` (``compute`` is pure and
unit-tested in ``tests/widgets/test_negsampling.py``).
"""

from __future__ import annotations

import html
import time
from collections.abc import Sequence

import numpy as np

from .._validate import as_positive_int
from ..core import (
    _log_sigmoid,
    _naive_softmax_losses,
    _neg_sampling_losses,
    _sigmoid,
    naive_softmax_loss_and_gradient,
    neg_sampling_loss_and_gradient,
    noise_distribution,
    sample_negatives,
)
from ..scenes import toy_scene
from ..style import PALETTE
from ._base import Explorer, LayeredFigure, new_figure

__all__ = [
    "EXPLORERS",
    "K_MAX",
    "LayeredFigure",
    "NegativeSamplingExplorer",
    "draw_negatives",
    "negative_sampling_explorer",
    "naive_softmax_loss_grid",
    "neg_sampling_loss_grid",
    "neg_sampling_sparse_loss_and_gradient",
    "plot_noise_distributions",
    "plot_timings",
    "time_losses",
]

K_MAX = 5  #: most negatives the explorer offers
ARROW_SCALE = 0.35  #: arrows are drawn as -ARROW_SCALE x gradient (a descent step)
LIMIT = 2.2  #: the scene panels show [-LIMIT, LIMIT]^2
GRID_N = 61  #: loss surfaces are evaluated on a GRID_N x GRID_N grid
STEP_LR = 0.25  #: learning rate of the explorer's "Step" button

_GREEN = PALETTE["green"]  # the outside word o
_RED = PALETTE["vermillion"]  # the negatives
_BLUE = PALETTE["blue"]  # the center vector v_c


# --------------------------------------------------------------------------------------
# numbers
# --------------------------------------------------------------------------------------
def neg_sampling_loss_grid(points, outside_idx, outside_vectors, negative_idxs):
    r"""The negative-sampling loss J at many center vectors at once.

    Args:
        points: (n, d) candidate center vectors :math:`v_c`.
        outside_idx: int o.
        outside_vectors: (V, d), row w is :math:`u_w`.
        negative_idxs: (K,) ints, repeats allowed.

    Returns:
        (n,) :math:`J(v) = -\log\sigma(u_o^\top v) - \sum_k \log\sigma(-u_k^\top v)` for each row v.
    """
    P = np.asarray(points, dtype=np.float64)
    U_T = np.asarray(outside_vectors, dtype=np.float64)
    negs = np.asarray(negative_idxs, dtype=np.int64).reshape(-1)
    return _neg_sampling_losses(P, int(outside_idx), U_T, negs)


def naive_softmax_loss_grid(points, outside_idx, outside_vectors):
    r"""The naive-softmax loss :math:`J(v) = \log\sum_w e^{u_w^\top v} - u_o^\top v` at many v.

    Args:
        points: (n, d); outside_idx: int o; outside_vectors: (V, d).

    Returns:
        (n,) losses.
    """
    P = np.asarray(points, dtype=np.float64)
    U_T = np.asarray(outside_vectors, dtype=np.float64)
    return _naive_softmax_losses(P, int(outside_idx), U_T)


def neg_sampling_sparse_loss_and_gradient(center_vec, outside_idx, outside_vectors, negative_idxs):
    r"""Negative sampling as word2vec runs it: touch only the K+1 rows involved.

    Same numbers as :func:`w2v_helpers.neg_sampling_loss_and_gradient`, but the
    outside-vector gradient is returned as ``(rows, grads)`` instead of a dense
    (V, d) matrix, so the cost is O(Kd) whatever |V| is.

    Args:
        center_vec: (d,) :math:`v_c`; outside_idx: int o; outside_vectors: (V, d);
        negative_idxs: (K,) ints.

    Returns:
        (loss, grad_center_vec (d,), rows (K+1,) ints, grad_rows (K+1, d)):
        row i of ``grad_rows`` is the term for word ``rows[i]`` (o first, then each
        draw w_k); a word drawn twice appears twice, and its gradient is the sum
        of its rows (``np.add.at(grad, rows, grad_rows)`` scatters them).
    """
    v_c = np.asarray(center_vec, dtype=np.float64)
    negs = np.asarray(negative_idxs, dtype=np.int64).reshape(-1)
    rows = np.concatenate(([int(outside_idx)], negs))
    U_rows = outside_vectors[rows]  # (K+1, d): the only rows read
    sign = np.ones(rows.shape[0])
    sign[1:] = -1.0
    z = sign * (U_rows @ v_c)
    loss = float(-_log_sigmoid(z).sum())
    coef = -sign * _sigmoid(-z)  # -sigma(-u_o.v_c), +sigma(u_k.v_c)
    return loss, coef @ U_rows, rows, np.outer(coef, v_c)


def draw_negatives(outside_idx, counts, k, draw=0, exclude_outside=True, power=0.75, k_max=K_MAX):
    r"""The explorer's negatives: the first k of k_max draws from :math:`P_n \propto \mathrm{count}^{power}`.

    Seeded by ``draw`` (``np.random.default_rng(draw)``), so the same controls give the
    same negatives, and raising K adds a draw without changing the earlier ones.
    With ``exclude_outside`` the draws skip o (:func:`w2v_helpers.sample_negatives`);
    without it they come from the full noise distribution, so o itself can be drawn.

    Returns:
        (k,) int64 word indices.
    """
    if not 1 <= as_positive_int(k, "k") <= k_max:
        raise ValueError(f"k must be in 1..{k_max}, got {k}")
    noise = noise_distribution(counts, power)
    rng = np.random.default_rng(int(draw))
    if exclude_outside:
        draws = sample_negatives(outside_idx, noise, k_max, rng)
    else:
        draws = rng.choice(noise.shape[0], size=k_max, p=noise).astype(np.int64)
    return draws[: int(k)]


# --------------------------------------------------------------------------------------
# the explorer
# --------------------------------------------------------------------------------------
def _grid(limit=LIMIT, n=GRID_N):
    xs = np.linspace(-limit, limit, n)
    X, Y = np.meshgrid(xs, xs)
    return X, Y, np.column_stack([X.ravel(), Y.ravel()])


def _levels(Z, n=14):
    lo, hi = float(Z.min()), float(np.quantile(Z, 0.97))
    if hi <= lo:
        hi = lo + 1.0
    return np.linspace(lo, hi, n)


class NegativeSamplingExplorer(Explorer):
    r"""Negative sampling on the 2-D toy scene, term by term.

    Controls: the outside word o, K (1..5), the center vector :math:`v_c` (two sliders),
    "sample #" (the seed of the negatives; the *Resample* button adds one), "never draw o".
    Buttons: *Resample*, *Step* (a gradient-descent step on :math:`v_c` with learning rate
    0.25), *Reset*: the methods :meth:`resample`, :meth:`step`, :meth:`reset`.

    The figure: (1) the scene over the negative-sampling loss surface
    :math:`J(v_c)` -- green :math:`u_o`, red rings on the negatives, and arrows
    :math:`-0.35\times` gradient on :math:`v_c` (blue) and on every :math:`u_w` the loss
    touches (green for o, red for negatives): the direction a descent step moves each
    vector; (2) the naive-softmax surface over :math:`v_c` on the same scene with its
    :math:`-\partial J/\partial v_c`; (3) one bar per term of J:
    :math:`-\log\sigma(u_o^\top v_c)` and each :math:`-\log\sigma(-u_k^\top v_c)`.
    The surfaces are recomputed only when o or the negatives change.

    Args:
        scene: a :class:`~w2v_helpers.scenes.ToyScene` (default :func:`toy_scene`).
        k: initial K.
        draw: initial seed of the negatives.
    """

    title = (
        r"Negative sampling: $J = -\log\sigma(u_o^\top v_c) "
        r"- \sum_{k=1}^{K} \log\sigma(-u_k^\top v_c)$"
    )

    def __init__(self, scene=None, k=3, draw=0):
        import ipywidgets as W

        self._initial_draw = int(draw)
        self.scene = scene = toy_scene() if scene is None else scene
        self.words = words = list(scene.words)
        self._U_T = U_T = np.asarray(scene.outside_vectors, dtype=np.float64)
        V = U_T.shape[0]
        self._v0 = v0 = np.asarray(scene.center_vectors[scene.center_idx], dtype=np.float64)
        cname = words[scene.center_idx]
        controls = {
            "outside": W.Dropdown(
                options=[(w, i) for i, w in enumerate(words)],
                value=int(scene.outside_idx),
                description="outside o",
                layout=W.Layout(width="180px"),
            ),
            "K": W.IntSlider(
                value=int(k), min=1, max=K_MAX, description="K", continuous_update=True, layout=W.Layout(width="220px")
            ),
            "vx": W.FloatSlider(
                value=float(v0[0]),
                min=-2.0,
                max=2.0,
                step=0.05,
                description="v_c[0]",
                readout_format=".2f",
                layout=W.Layout(width="260px"),
            ),
            "vy": W.FloatSlider(
                value=float(v0[1]),
                min=-2.0,
                max=2.0,
                step=0.05,
                description="v_c[1]",
                readout_format=".2f",
                layout=W.Layout(width="260px"),
            ),
            "draw": W.IntText(value=int(draw), description="sample #", layout=W.Layout(width="150px")),
            "exclude_o": W.Checkbox(
                value=True, description="never draw o", indent=False, layout=W.Layout(width="120px")
            ),
        }

        # ---- figure: three panels ---------------------------------------------------
        fig, axes = new_figure(12.6, 4.3, dpi=80, ncols=3, gridspec_kw={"width_ratios": [1, 1, 1.05]})
        fig.subplots_adjust(left=0.04, right=0.985, top=0.86, bottom=0.13, wspace=0.22)
        ax_ns, ax_sm, ax_bar = axes
        self._ax_ns, self._ax_sm = ax_ns, ax_sm
        self._X, self._Y, self._P = _grid()
        scene_artists = {}  # per panel: drawn above the changing contours, in that panel's layer
        for ax, title in (
            (ax_ns, f"negative sampling: J over v_c  (c = '{cname}')"),
            (ax_sm, "naive softmax: J over v_c, same scene"),
        ):
            ax.set_xlim(-LIMIT, LIMIT)
            ax.set_ylim(-LIMIT, LIMIT)
            ax.set_aspect("equal")
            ax.set_title(title, fontsize=10)
            ax.tick_params(labelsize=8)
            arts = ax.plot(U_T[:, 0], U_T[:, 1], "o", color="0.25", ms=5, zorder=3)
            arts += [
                ax.text(x + 0.06, y + 0.06, w, fontsize=8, color="0.15", zorder=4) for w, (x, y) in zip(words, U_T)
            ]
            scene_artists[ax] = arts
        fig.text(
            0.04,
            0.015,
            f"arrows: −{ARROW_SCALE}×gradient, the way a descent step moves each "
            "vector (blue on v_c, green on u_o, red on each u_k). Dots: u_w; star: v_c; rings: green o, red negatives.",
            fontsize=8,
            color="0.3",
        )
        # what the middle layers show now: the key (o, negatives) and the two contour sets
        self._surface_key = None
        self._surface_o = None
        self._contour_ns = None
        self._contour_sm = None

        # artists that change only with o or the negatives: the middle layers of the
        # LayeredFigure, re-cached only when they change (_update_layers)
        ring = dict(ms=14, mfc="none", mew=2.2, zorder=5)
        (self._ring_o,) = ax_ns.plot([], [], "o", mec=_GREEN, **ring)
        (self._ring_k,) = ax_ns.plot([], [], "o", mec=_RED, **ring)
        (self._ring_o2,) = ax_sm.plot([], [], "o", mec=_GREEN, **ring)

        ax_bar.set_xlim(-0.6, K_MAX + 0.6)
        ax_bar.set_ylim(0, 6.0)
        ax_bar.set_xticks([])
        ax_bar.tick_params(labelsize=8)
        ax_bar.set_ylabel("contribution to J", fontsize=9)
        ax_bar.set_title("the K+1 terms of J:\n−log σ(u_oᵀv_c) (green), each −log σ(−u_kᵀv_c) (red)", fontsize=9)
        ax_bar.axvline(0.5, color="0.75", lw=0.8)
        self._bars = ax_bar.bar(np.arange(K_MAX + 1), np.zeros(K_MAX + 1), width=0.7, color=[_GREEN] + [_RED] * K_MAX)
        # one two-line label per bar: the word, then which term it is (o, k=1, ...)
        self._bar_words = [
            ax_bar.text(i, -0.12, "", ha="center", va="top", fontsize=8, clip_on=False, linespacing=1.3)
            for i in range(K_MAX + 1)
        ]

        # dynamic artists: redrawn on every update
        (self._vc_dot,) = ax_ns.plot([], [], "*", ms=16, color=_BLUE, mec="white", zorder=7)
        (self._vc_dot2,) = ax_sm.plot([], [], "*", ms=16, color=_BLUE, mec="white", zorder=7)
        zeros_V = np.zeros(V)
        quiver = dict(angles="xy", scale_units="xy", scale=1, zorder=8, minlength=0)
        self._q_u = ax_ns.quiver(
            U_T[:, 0], U_T[:, 1], zeros_V, zeros_V, width=0.011, color=[_RED] * V, **{**quiver, "zorder": 6}
        )
        self._q_v = ax_ns.quiver([v0[0]], [v0[1]], [0.0], [0.0], width=0.013, color=_BLUE, **quiver)
        self._q_v2 = ax_sm.quiver([v0[0]], [v0[1]], [0.0], [0.0], width=0.013, color=_BLUE, **quiver)
        self._sm_title = ax_sm.text(
            0.02,
            0.02,
            "",
            transform=ax_sm.transAxes,
            fontsize=9,
            color="0.1",
            zorder=9,
            bbox=dict(boxstyle="round", fc="white", ec="0.7", alpha=0.85),
        )
        self._bar_vals = [ax_bar.text(i, 0, "", ha="center", va="bottom", fontsize=8) for i in range(K_MAX + 1)]
        self._total_txt = ax_bar.text(
            0.98,
            0.97,
            "",
            transform=ax_bar.transAxes,
            ha="right",
            va="top",
            fontsize=10,
            bbox=dict(boxstyle="round", fc="white", ec="0.7"),
        )
        self._ymax = ax_bar.get_ylim()[1]

        figure = LayeredFigure(fig)
        # one layer per panel, each in its own column of the figure
        edges = (
            [0.0]
            + [(a.get_position().x1 + b.get_position().x0) / 2 for a, b in ((ax_ns, ax_sm), (ax_sm, ax_bar))]
            + [1.0]
        )
        figure.add_layer("ns", *scene_artists[ax_ns], self._ring_o, self._ring_k, region=(edges[0], edges[1]))
        figure.add_layer("sm", *scene_artists[ax_sm], self._ring_o2, region=(edges[1], edges[2]))
        figure.add_layer("bar", *self._bar_words, region=(edges[2], edges[3]))
        figure.add_dynamic(
            self._q_u,
            self._q_v,
            self._q_v2,
            self._vc_dot,
            self._vc_dot2,
            self._sm_title,
            *self._bars,
            *self._bar_vals,
            self._total_txt,
        )

        buttons = {
            "resample": W.Button(
                description="Resample", tooltip="draw new negatives (sample # + 1)", layout=W.Layout(width="95px")
            ),
            "step": W.Button(
                description="Step", tooltip=f"v_c ← v_c − {STEP_LR}·∂J/∂v_c", layout=W.Layout(width="70px")
            ),
            "reset": W.Button(description="Reset", layout=W.Layout(width="70px")),
        }
        buttons["resample"].on_click(lambda _: self.resample())
        buttons["step"].on_click(lambda _: self.step())
        buttons["reset"].on_click(lambda _: self.reset())
        super().__init__(controls, figure, buttons)

    # --- numbers ---------------------------------------------------------------------
    def compute(self, outside, K, vx, vy, draw, exclude_o=True, negatives=None) -> dict:
        r"""Everything the figure shows; pure. ``negatives`` overrides the seeded draw
        (:func:`draw_negatives`). Returns ``center_vec``, ``outside_idx``, ``negatives``,
        ``loss``, ``grad_center_vec``, ``grad_outside_vectors`` (from
        :func:`w2v_helpers.neg_sampling_loss_and_gradient`), ``score_o``, ``scores_k``,
        ``term_o`` :math:`-\log\sigma(u_o^\top v_c)`, ``terms_k`` each
        :math:`-\log\sigma(-u_k^\top v_c)`, ``naive_loss``, ``naive_grad_center_vec``."""
        U_T = self._U_T
        o = int(outside)
        v_c = np.array([vx, vy], dtype=np.float64)
        if negatives is None:
            negs = draw_negatives(o, self.scene.counts, K, draw, exclude_outside=exclude_o)
        else:
            negs = np.asarray(negatives, dtype=np.int64).reshape(-1)
        loss, g_center, g_outside = neg_sampling_loss_and_gradient(v_c, o, U_T, negs)
        s_o = float(U_T[o] @ v_c)
        s_k = U_T[negs] @ v_c
        nloss, ng_center, _ = naive_softmax_loss_and_gradient(v_c, o, U_T)
        return {
            "center_vec": v_c,
            "outside_idx": o,
            "negatives": negs,
            "loss": loss,
            "grad_center_vec": g_center,
            "grad_outside_vectors": g_outside,
            "score_o": s_o,
            "scores_k": s_k,
            "term_o": float(-_log_sigmoid(s_o)),
            "terms_k": -_log_sigmoid(-s_k),
            "naive_loss": nloss,
            "naive_grad_center_vec": ng_center,
        }

    # --- buttons ---------------------------------------------------------------------
    def resample(self) -> None:
        """*Resample*: new negatives (sample # + 1)."""
        self.controls["draw"].value = int(self.controls["draw"].value) + 1

    def step(self) -> None:
        r"""*Step*: :math:`v_c \leftarrow v_c - 0.25\,\partial J/\partial v_c` (kept in the sliders' box)."""
        g = self.state()["grad_center_vec"]
        c = self.controls
        self.set_values(
            vx=float(np.clip(c["vx"].value - STEP_LR * g[0], -2, 2)),
            vy=float(np.clip(c["vy"].value - STEP_LR * g[1], -2, 2)),
        )

    def reset(self) -> None:
        """*Reset*: the scene's :math:`v_c` and the first sample of negatives."""
        self.set_values(vx=float(self._v0[0]), vy=float(self._v0[1]), draw=self._initial_draw)

    # --- picture and readout ---------------------------------------------------------
    def _update_layers(self, state) -> None:
        """Recompute the loss surfaces and the labels that depend on o and the negatives,
        only when they change."""
        U_T, ff = self._U_T, self.figure
        o, negs = state["outside_idx"], state["negatives"]
        key = (o, tuple(int(n) for n in negs))
        if self._surface_key == key:
            return
        if self._contour_ns is not None:
            ff.remove_from_layer("ns", self._contour_ns)
            self._contour_ns.remove()
        Z = neg_sampling_loss_grid(self._P, o, U_T, negs).reshape(self._X.shape)
        self._contour_ns = self._ax_ns.contourf(
            self._X, self._Y, Z, levels=_levels(Z), cmap="Greys", alpha=0.6, extend="max", zorder=0
        )
        ff.add_layer("ns", self._contour_ns)
        if self._surface_o != o:
            # the softmax surface (and its ring) depend on o only
            if self._contour_sm is not None:
                ff.remove_from_layer("sm", self._contour_sm)
                self._contour_sm.remove()
            Zs = naive_softmax_loss_grid(self._P, o, U_T).reshape(self._X.shape)
            self._contour_sm = self._ax_sm.contourf(
                self._X, self._Y, Zs, levels=_levels(Zs), cmap="Greys", alpha=0.6, extend="max", zorder=0
            )
            self._ring_o2.set_data([U_T[o, 0]], [U_T[o, 1]])
            ff.add_layer("sm", self._contour_sm)
            self._surface_o = o
        self._ring_o.set_data([U_T[o, 0]], [U_T[o, 1]])
        self._ring_k.set_data(U_T[negs, 0], U_T[negs, 1])
        labels = [self.words[o]] + [self.words[n] for n in negs]
        kinds = ["o"] + [f"k={i + 1}" for i in range(len(negs))]
        for i, (bar, tw) in enumerate(zip(self._bars, self._bar_words)):
            on = i < len(labels)
            bar.set_visible(on)
            tw.set_text(f"{labels[i]}\n{kinds[i]}" if on else "")
        self._surface_key = key
        ff.invalidate_layer("ns")
        ff.invalidate_layer("bar")

    def draw(self, state) -> None:
        self._update_layers(state)
        v_c, o = state["center_vec"], state["outside_idx"]
        self._vc_dot.set_data([v_c[0]], [v_c[1]])
        self._vc_dot2.set_data([v_c[0]], [v_c[1]])
        g = -ARROW_SCALE * state["grad_outside_vectors"]
        self._q_u.set_UVC(g[:, 0], g[:, 1])
        colours = [_RED] * self._U_T.shape[0]
        colours[o] = _GREEN
        self._q_u.set_facecolor(colours)
        gc = -ARROW_SCALE * state["grad_center_vec"]
        self._q_v.set_offsets([v_c])
        self._q_v.set_UVC([gc[0]], [gc[1]])
        gs = -ARROW_SCALE * state["naive_grad_center_vec"]
        self._q_v2.set_offsets([v_c])
        self._q_v2.set_UVC([gs[0]], [gs[1]])
        self._sm_title.set_text(f"naive softmax J = {state['naive_loss']:.3f}")
        heights = [state["term_o"]] + list(state["terms_k"])
        ymax = self._ymax
        for i, (bar, tv) in enumerate(zip(self._bars, self._bar_vals)):
            on = i < len(heights)
            bar.set_visible(on)
            tv.set_visible(on)
            if on:
                h = float(heights[i])
                bar.set_height(min(h, ymax))
                tv.set_text(f"{h:.2f}")
                tv.set_position((i, min(h, ymax - 0.35) + 0.05))
        self._total_txt.set_text(f"J = {state['loss']:.3f}")

    def readout(self, state) -> str:
        words = self.words
        o, negs, v_c = state["outside_idx"], state["negatives"], state["center_vec"]
        rows = [("o", words[o], state["score_o"], _sigmoid(state["score_o"]), state["term_o"], "−σ(−u_oᵀv_c) v_c")]
        for i, (n, s, t) in enumerate(zip(negs, state["scores_k"], state["terms_k"])):
            rows.append((f"k={i + 1}", words[n], s, _sigmoid(-s), t, f"+σ(u_{i + 1}ᵀv_c) v_c"))
        cell = "padding:0 8px;text-align:right"
        body = "".join(
            f"<tr><td style='{cell}'>{r}</td><td style='{cell}'>{html.escape(w)}</td>"
            f"<td style='{cell}'>{s:+.3f}</td><td style='{cell}'>{p:.3f}</td>"
            f"<td style='{cell}'>{t:.3f}</td><td style='{cell}'>{g}</td></tr>"
            for r, w, s, p, t, g in rows
        )
        repeats = [words[w] for w in np.unique(negs) if np.count_nonzero(negs == w) > 1]
        notes = []
        if repeats:
            notes.append(
                "drawn more than once: "
                + ", ".join(repeats)
                + " (each draw adds its own term; their ∂J/∂u rows add up)"
            )
        if o in set(int(n) for n in negs):
            notes.append(
                f"o = '{words[o]}' is also a negative: its row of ∂J/∂U holds "
                "−σ(−u_oᵀv_c)v_c plus a +σ(u_oᵀv_c)v_c per draw"
            )
        gc = state["grad_center_vec"]
        head = (
            f"<th style='{cell}'></th><th style='{cell}'>word</th><th style='{cell}'>u·v_c</th>"
            f"<th style='{cell}'>σ(±u·v_c)</th><th style='{cell}'>term of J</th>"
            f"<th style='{cell}'>∂J/∂u</th>"
        )
        return (
            f"<div style='font-size:12px'><table><tr>{head}</tr>{body}</table>"
            f"v_c = ({v_c[0]:+.2f}, {v_c[1]:+.2f}) &nbsp; J = {state['loss']:.3f} &nbsp; "
            f"∂J/∂v_c = ({gc[0]:+.3f}, {gc[1]:+.3f}) &nbsp; | &nbsp; naive softmax J = "
            f"{state['naive_loss']:.3f}" + "".join(f"<br>{html.escape(n)}" for n in notes) + "</div>"
        )


def negative_sampling_explorer(scene=None, k=3, draw=0) -> NegativeSamplingExplorer:
    r"""Notebook 04's explorer: see :class:`NegativeSamplingExplorer`."""
    return NegativeSamplingExplorer(scene, k, draw)


# --------------------------------------------------------------------------------------
# static figures and timing for the notebook
# --------------------------------------------------------------------------------------
def plot_noise_distributions(counts, words, powers: Sequence[float] = (1.0, 0.75, 0.0)):
    r"""Grouped bars of :math:`P_n(w) \propto \mathrm{count}(w)^{p}` for each power p.

    Returns:
        a pyplot-free :class:`matplotlib.figure.Figure` (display it, or ``fig.savefig``).
    """
    counts = np.asarray(counts, dtype=np.float64)
    fig, ax = new_figure(7.5, 3.0, dpi=90)
    n = len(powers)
    width = 0.8 / n
    x = np.arange(len(words))
    colours = ["#7f7f7f", _BLUE, PALETTE["orange"], PALETTE["purple"]]
    for i, p in enumerate(powers):
        q = noise_distribution(counts, p)
        label = {1.0: "p = 1 (unigram)", 0.75: "p = 3/4 (word2vec)", 0.0: "p = 0 (uniform)"}.get(float(p), f"p = {p:g}")
        ax.bar(x + (i - (n - 1) / 2) * width, q, width, label=label, color=colours[i % 4])
    ax.set_xticks(x)
    ax.set_xticklabels([f"{w}\n({int(c)})" for w, c in zip(words, counts)], fontsize=9)
    ax.set_ylabel(r"$P_n(w)$")
    ax.set_title(r"noise distribution $P_n(w) \propto \mathrm{count}(w)^p$ (counts in brackets)", fontsize=10)
    ax.legend(fontsize=8, frameon=False, ncols=3, loc="upper center", bbox_to_anchor=(0.5, -0.22))
    fig.subplots_adjust(bottom=0.33, top=0.88, left=0.1, right=0.98)
    return fig


def time_losses(vocab_sizes=(100, 1_000, 10_000, 100_000), d=50, k=5, repeats=5, seed=0, budget=3.0):
    r"""Seconds per call of the three losses for each |V| (the best of ``repeats`` runs).

    * naive softmax (:func:`w2v_helpers.naive_softmax_loss_and_gradient`): O(|V|d),
    * negative sampling returning a dense (V, d) gradient
      (:func:`w2v_helpers.neg_sampling_loss_and_gradient`): O(Kd) arithmetic, but
      checking that the (V, d) input is finite and allocating the (V, d) output is
      O(|V|d) memory traffic,
    * negative sampling touching only the K+1 rows
      (:func:`neg_sampling_sparse_loss_and_gradient`): O(Kd).

    Stops early if the total time exceeds ``budget`` seconds. If ``threadpoolctl`` is
    installed, BLAS runs on one thread while timing: a per-call comparison, and no
    thread contention on a busy machine (which can make a 10 000 x 50 product 20x slower).

    Returns:
        dict with "V" (list of sizes) and, for "naive softmax", "neg. sampling (dense)",
        "neg. sampling (K+1 rows)", lists of seconds per call.
    """
    rng = np.random.default_rng(seed)
    fns = {
        "naive softmax": lambda v, o, U, negs: naive_softmax_loss_and_gradient(v, o, U),
        "neg. sampling (dense)": neg_sampling_loss_and_gradient,
        "neg. sampling (K+1 rows)": neg_sampling_sparse_loss_and_gradient,
    }
    out = {"V": []}
    out.update({name: [] for name in fns})
    try:
        from threadpoolctl import threadpool_limits

        limits = threadpool_limits(limits=1, user_api="blas")
    except ImportError:  # optional
        limits = None
    try:
        _time_into(out, fns, vocab_sizes, d, k, repeats, rng, budget)
    finally:
        if limits is not None:
            limits.restore_original_limits()
    return out


def _time_into(out, fns, vocab_sizes, d, k, repeats, rng, budget):
    start = time.perf_counter()
    for V in vocab_sizes:
        U = rng.normal(scale=0.1, size=(V, d))
        v = rng.normal(scale=0.1, size=d)
        negs = rng.integers(1, V, size=k)
        out["V"].append(int(V))
        for name, fn in fns.items():
            fn(v, 0, U, negs)  # warm up
            n_inner = max(1, min(200, int(2e5 // V)))
            best = np.inf
            for _ in range(repeats):
                t0 = time.perf_counter()
                for _ in range(n_inner):
                    fn(v, 0, U, negs)
                best = min(best, (time.perf_counter() - t0) / n_inner)
            out[name].append(best)
        if time.perf_counter() - start > budget:
            break


def plot_timings(timings):
    """Log-log plot of :func:`time_losses` output; returns a pyplot-free Figure."""
    fig, ax = new_figure(6.0, 3.4, dpi=90)
    V = np.asarray(timings["V"], dtype=float)
    styles = {
        "naive softmax": ("o-", "#7f7f7f"),
        "neg. sampling (dense)": ("s--", PALETTE["orange"]),
        "neg. sampling (K+1 rows)": ("^-", _BLUE),
    }
    for name, (style, colour) in styles.items():
        t = np.asarray(timings[name], dtype=float) * 1e6
        ax.loglog(V, t, style, color=colour, label=name)
    ref = np.asarray(timings["naive softmax"], dtype=float) * 1e6
    ax.loglog(V, ref[-1] * V / V[-1], ":", color="0.6", lw=1, label="∝ |V| (slope 1)")
    ax.set_xlabel("|V| (vocabulary size)")
    ax.set_ylabel("µs per call")
    ax.set_title("time per (center, outside) pair, d = 50, K = 5", fontsize=10)
    ax.legend(fontsize=8, frameon=False)
    ax.grid(True, which="major", alpha=0.3)
    fig.subplots_adjust(left=0.14, right=0.97, bottom=0.16, top=0.9)
    return fig


EXPLORERS = {"negative_sampling": negative_sampling_explorer}
