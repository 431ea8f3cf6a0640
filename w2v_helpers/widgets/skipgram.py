r"""Widgets for notebook 05, skip-gram over a context window (part e).

:class:`SkipgramWindowExplorer` (:func:`skipgram_window_explorer`) slides the center position t and the window size m
over a real sentence (from the project's toy corpus, ``w2v_helpers/training/data/toy_corpus.txt``) and shows

* the sentence, the center word :math:`w_t` (orange) and its context words
  :math:`w_{t+j}`, :math:`0 < |j| \le m` (blue), with the positions the window loses at
  the sentence's edges drawn dashed;
* the (center, outside) pairs and the loss of each (HTML readout);
* the accumulated gradients as heat maps, computed with :func:`w2v_helpers.skipgram`:
  ``grad_center_vectors`` (only row c is nonzero) and ``grad_outside_vectors``;
* a choice of loss: naive softmax, or negative sampling with fixed, seeded negatives;
* a switch to the answer sheet's window :math:`-m \le j < m`, which drops :math:`j = +m`.

The numbers come from :func:`skipgram_window_state` (pure, tested in
``tests/widgets/test_skipgram.py``).
"""

from __future__ import annotations

import html

import numpy as np

from .._validate import as_index, as_positive_int
from ..answer_sheet import sheet_skipgram, sheet_window_offsets
from ..core import (
    context_window,
    naive_softmax_loss_and_gradient,
    neg_sampling_loss_and_gradient,
    noise_distribution,
    sample_negatives,
    skipgram,
    window_offsets,
)
from ..style import PALETTE
from ._base import Explorer, FastFigure, new_figure

__all__ = [
    "EXPLORERS",
    "LOSSES",
    "M_MAX",
    "WINDOWS",
    "SENTENCE",
    "SentenceScene",
    "SkipgramWindowExplorer",
    "colour_limit",
    "pair_negatives",
    "sentence_scene",
    "skipgram_window_explorer",
    "skipgram_window_state",
]

#: Line 14 of ``w2v_helpers/training/data/toy_corpus.txt``: 9 tokens, 7 word types ('the' and 'eats' occur twice).
SENTENCE = "the dog eats meat and the cat eats fish"
M_MAX = 4  #: largest window size the explorer offers
K_NEG = 3  #: negatives per (center, outside) pair
LOSSES = ("naive softmax", f"negative sampling (K = {K_NEG})")
WINDOWS = ("−m ≤ j ≤ m (right)", "−m ≤ j < m (answer sheet)")

_CENTER = PALETTE["orange"]
_CONTEXT = PALETTE["sky"]
_OTHER = "#eeeeee"
_LEFT_OUT = "#f4c7c3"


class SentenceScene:
    """A sentence, its vocabulary (in order of first occurrence) and small seeded vectors.

    Attributes:
        tokens: list of the sentence's words.
        words: the vocabulary, ``words[w]`` is word w.
        sentence_idxs: (n,) int64, the sentence as word indices.
        center_vectors, outside_vectors: (V, d), rows :math:`v_w` and :math:`u_w`.
        counts: (V,) how often each word occurs in the sentence (for the noise distribution).
    """

    def __init__(self, sentence: str = SENTENCE, d: int = 4, seed: int = 0, scale: float = 0.8):
        self.tokens = sentence.split()
        if not self.tokens:
            raise ValueError("sentence must hold at least one word")
        self.words = list(dict.fromkeys(self.tokens))
        index = {w: i for i, w in enumerate(self.words)}
        self.sentence_idxs = np.array([index[w] for w in self.tokens], dtype=np.int64)
        rng = np.random.default_rng(seed)
        V = len(self.words)
        self.center_vectors = scale * rng.standard_normal((V, d))
        self.outside_vectors = scale * rng.standard_normal((V, d))
        self.counts = np.bincount(self.sentence_idxs, minlength=V).astype(np.float64)
        self.d = d

    @property
    def V(self) -> int:
        return len(self.words)

    @property
    def n(self) -> int:
        return len(self.tokens)


def sentence_scene(sentence: str = SENTENCE, d: int = 4, seed: int = 0) -> SentenceScene:
    """The explorer's default :class:`SentenceScene` (deterministic)."""
    return SentenceScene(sentence, d=d, seed=seed)


def pair_negatives(scene: SentenceScene, t: int, j: int, k: int = K_NEG, seed: int = 0):
    r"""The fixed negatives of the pair (center at t, outside at t + j).

    Drawn by :func:`w2v_helpers.sample_negatives` from the sentence's
    :math:`\mathrm{count}^{3/4}` noise distribution with ``np.random.default_rng([seed, t, t + j])``:
    the same pair always gets the same K negatives (never its outside word).
    """
    o = int(scene.sentence_idxs[t + j])
    noise = noise_distribution(scene.counts, 0.75)
    return sample_negatives(o, noise, k, np.random.default_rng([seed, t, t + j]))


class _Recorder:
    """A single-pair loss function that uses pre-drawn negatives in call order and records each loss."""

    def __init__(self, negatives=None):
        self.negatives = list(negatives) if negatives is not None else None
        self.losses = []

    def __call__(self, center_vec, outside_idx, outside_vectors):
        if self.negatives is None:
            out = naive_softmax_loss_and_gradient(center_vec, outside_idx, outside_vectors)
        else:
            negs = self.negatives[len(self.losses)]
            out = neg_sampling_loss_and_gradient(center_vec, outside_idx, outside_vectors, negs)
        self.losses.append(out[0])
        return out


def skipgram_window_state(
    scene: SentenceScene, t: int, m: int, loss: str = LOSSES[0], window: str = WINDOWS[0]
) -> dict:
    r"""Everything the explorer shows for the center position t and window size m.

    Returns a dict with ``t``, ``m``, ``loss_name``, ``window``; ``center_idx`` c;
    ``offsets`` (the j of the window that fall inside the sentence, in order),
    ``clipped`` (the j of the window that fall outside it), ``positions`` (t + j),
    ``outside_idxs`` (the words there, :func:`w2v_helpers.context_window`);
    ``pairs``: a list of dicts (j, position, outside word index, its loss, its negatives,
    ``in_sum`` whether the chosen window adds its gradient); ``loss``, ``grad_center_vectors``,
    ``grad_outside_vectors``: :func:`w2v_helpers.skipgram` over the window (with the answer
    sheet's window, :func:`w2v_helpers.answer_sheet.sheet_skipgram`: same loss, gradients
    without j = +m).
    """
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {LOSSES}, got {loss!r}")
    if window not in WINDOWS:
        raise ValueError(f"window must be one of {WINDOWS}, got {window!r}")
    n = scene.n
    t = as_index(t, "t", n, size_name="sentence length")
    m = as_positive_int(m, "m")
    sent = scene.sentence_idxs
    c = int(sent[t])
    all_offsets = window_offsets(m)
    offsets = [j for j in all_offsets if 0 <= t + j < n]
    clipped = [j for j in all_offsets if not 0 <= t + j < n]
    outside_idxs = context_window(sent, t, m)
    negatives = [pair_negatives(scene, t, j) for j in offsets] if loss == LOSSES[1] else None
    rec = _Recorder(negatives)
    if window == WINDOWS[0]:
        total, g_center, g_outside = skipgram(c, outside_idxs, scene.center_vectors, scene.outside_vectors, rec)
        summed = set(offsets)
    else:
        total, g_center, g_outside = sheet_skipgram(c, sent, t, m, scene.center_vectors, scene.outside_vectors, rec)
        summed = set(sheet_window_offsets(m))
    pairs = [
        {
            "j": j,
            "position": t + j,
            "outside_idx": int(o),
            "loss": float(rec.losses[i]),
            "negatives": None if negatives is None else negatives[i],
            "in_sum": j in summed,
        }
        for i, (j, o) in enumerate(zip(offsets, outside_idxs))
    ]
    return {
        "t": t,
        "m": m,
        "loss_name": loss,
        "window": window,
        "center_idx": c,
        "offsets": offsets,
        "clipped": clipped,
        "positions": [t + j for j in offsets],
        "outside_idxs": outside_idxs,
        "pairs": pairs,
        "loss": float(total),
        "grad_center_vectors": g_center,
        "grad_outside_vectors": g_outside,
    }


def colour_limit(scene: SentenceScene, q: float = 50.0) -> float:
    """One fixed symmetric colour limit for the heat maps, the same for both losses (so their
    pictures compare): the q-th percentile, over every t, m and loss, of the largest
    |gradient entry|, rounded up to a multiple of 0.25. Larger entries saturate; the colour
    bar's arrows say so."""
    big = []
    for loss in LOSSES:
        for m in range(1, M_MAX + 1):
            for t in range(scene.n):
                st = skipgram_window_state(scene, t, m, loss)
                big.append(
                    max(float(np.abs(st["grad_center_vectors"]).max()), float(np.abs(st["grad_outside_vectors"]).max()))
                )
    return float(np.ceil(np.percentile(big, q) * 4) / 4)


class SkipgramWindowExplorer(Explorer):
    r"""Slide the center position t and the window size m over a real sentence.

    Controls: t, m, the loss (naive softmax or negative sampling with fixed negatives),
    the window (right, or the answer sheet's :math:`-m \le j < m`).
    Figure: the sentence with center and context highlighted (dashed boxes: window
    positions that fall off the sentence and are clipped); heat maps of the accumulated
    gradients, rows = words, columns = the d coordinates, fixed symmetric colour limits
    (:attr:`colour_limit`, from :func:`colour_limit`).
    """

    title = (
        r"Skip-gram over a window: "
        r"$J = \sum_{-m \le j \le m,\ j \ne 0} J(v_c, w_{t+j}, U)$"
    )

    def __init__(self, scene: SentenceScene | None = None, t: int = 3, m: int = 2):
        import ipywidgets as W
        from matplotlib.patches import FancyBboxPatch, Rectangle

        self.scene = scene = sentence_scene() if scene is None else scene
        n, V, d = scene.n, scene.V, scene.d
        self.colour_limit = lim = colour_limit(scene)

        fig = new_figure(11.0, 4.9, dpi=80)[0]
        fig.clear()
        gs = fig.add_gridspec(
            2, 2, height_ratios=[0.9, 2.3], hspace=0.36, wspace=0.35, left=0.07, right=0.89, top=0.95, bottom=0.08
        )
        ax_s = fig.add_subplot(gs[0, :])
        ax_c = fig.add_subplot(gs[1, 0])
        ax_o = fig.add_subplot(gs[1, 1])

        # ---- the sentence: boxes for the n words plus M_MAX ghost slots on each side ----
        ax_s.set_xlim(-M_MAX - 0.1, n + M_MAX + 0.1)
        ax_s.set_ylim(-0.95, 1.25)
        ax_s.set_axis_off()
        for i in range(n):
            ax_s.text(i + 0.5, -0.8, f"{i}", ha="center", va="center", fontsize=8, color="0.5")
        ax_s.text(-0.1, -0.8, "position", fontsize=8, color="0.5", va="center", ha="right")
        self._boxes = []
        for i in range(n):
            # the word and its frame are static; the coloured band under the word is dynamic
            # (it does not overlap the word, so the word need not be redrawn)
            ax_s.add_patch(
                FancyBboxPatch(
                    (i + 0.06, 0.1),
                    0.88,
                    0.8,
                    boxstyle="round,pad=0.02",
                    facecolor="none",
                    edgecolor="#333333",
                    linewidth=1.0,
                    zorder=3,
                )
            )
            ax_s.text(i + 0.5, 0.6, scene.tokens[i], ha="center", va="center", fontsize=11)
            box = Rectangle((i + 0.06, 0.1), 0.88, 0.24, facecolor=_OTHER, edgecolor="none")
            ax_s.add_patch(box)
            self._boxes.append(box)
        # one tag under every slot, sentence or not (-M_MAX .. n + M_MAX - 1)
        self._tags = {
            i: ax_s.text(i + 0.5, -0.3, "", ha="center", va="center", fontsize=9, linespacing=0.95)
            for i in range(-M_MAX, n + M_MAX)
        }
        self._ghosts = {}
        for i in list(range(-M_MAX, 0)) + list(range(n, n + M_MAX)):
            g = FancyBboxPatch(
                (i + 0.06, 0.1),
                0.88,
                0.8,
                boxstyle="round,pad=0.02",
                facecolor="none",
                edgecolor="0.55",
                linewidth=1.0,
                linestyle="--",
            )
            ax_s.add_patch(g)
            self._ghosts[i] = g
        self._title = ax_s.text(0.5 * n, 1.18, "", ha="center", va="center", fontsize=10)

        # ---- heat maps ------------------------------------------------------------------
        zeros = np.zeros((V, d))
        self._images = []
        for ax, name in (
            (ax_c, "grad_center_vectors: ∂J/∂v_w (row w)"),
            (ax_o, "grad_outside_vectors: ∂J/∂u_w (row w)"),
        ):
            im = ax.imshow(zeros, cmap="RdBu_r", vmin=-lim, vmax=lim, aspect="auto", interpolation="nearest")
            ax.set_xlim(-0.5, d - 0.5)
            ax.set_ylim(V - 0.5, -0.5)
            ax.set_yticks(range(V))
            ax.set_yticklabels(scene.words, fontsize=9)
            ax.set_xticks(range(d))
            ax.set_xticklabels([f"dim {k}" for k in range(d)], fontsize=8)
            ax.set_title(name, fontsize=10)
            for y in np.arange(V - 1) + 0.5:
                ax.axhline(y, color="white", lw=0.6)
            self._images.append(im)
        cax = fig.add_axes([0.925, 0.08, 0.012, 0.53])
        fig.colorbar(self._images[1], cax=cax, extend="both").ax.tick_params(labelsize=8)
        self._row_c = Rectangle((-0.5, -0.5), d, 1, fill=False, edgecolor=_CENTER, linewidth=2.5)
        ax_c.add_patch(self._row_c)
        # markers: which rows are outside words (×count) on the right heat map
        (self._marks,) = ax_o.plot([], [], "<", color=_CONTEXT, mec="#333333", ms=9, clip_on=False)
        self._row_o = Rectangle((-0.5, -0.5), d, 1, fill=False, edgecolor=_CENTER, linewidth=1.5, linestyle=":")
        ax_o.add_patch(self._row_o)
        ax_c.text(
            0.5,
            -0.1,
            "orange frame: row c. Only row c is nonzero: ∂J/∂v_w = 0 for w ≠ c",
            transform=ax_c.transAxes,
            ha="center",
            va="top",
            fontsize=8,
            color="0.25",
        )
        ax_o.text(
            0.5,
            -0.1,
            "▶ rows of outside words; dotted frame: row c (u_c, not v_c)",
            transform=ax_o.transAxes,
            ha="center",
            va="top",
            fontsize=8,
            color="0.25",
        )

        figure = FastFigure(
            fig,
            [
                *self._boxes,
                *self._tags.values(),
                *self._ghosts.values(),
                self._title,
                *self._images,
                self._row_c,
                self._row_o,
                self._marks,
            ],
        )
        controls = {
            "t": W.IntSlider(
                value=int(t),
                min=0,
                max=n - 1,
                description="center t",
                continuous_update=True,
                layout=W.Layout(width="330px"),
            ),
            "m": W.IntSlider(
                value=int(m),
                min=1,
                max=M_MAX,
                description="window m",
                continuous_update=True,
                layout=W.Layout(width="260px"),
            ),
            "loss": W.Dropdown(
                options=list(LOSSES), value=LOSSES[0], description="loss", layout=W.Layout(width="300px")
            ),
            "window": W.Dropdown(
                options=list(WINDOWS), value=WINDOWS[0], description="window", layout=W.Layout(width="320px")
            ),
        }
        super().__init__(controls, figure)

    def compute(self, t, m, loss=LOSSES[0], window=WINDOWS[0]) -> dict:
        """:func:`skipgram_window_state` on the explorer's sentence (pure)."""
        return skipgram_window_state(self.scene, t, m, loss, window)

    def draw(self, st) -> None:
        n, V, d = self.scene.n, self.scene.V, self.scene.d
        t, c = st["t"], st["center_idx"]
        inside = dict(zip(st["positions"], st["pairs"]))
        clipped = {t + j: j for j in st["clipped"]}
        text = {t: "center"}
        for i in range(n):
            if i == t:
                face = _CENTER
            elif i in inside:
                p = inside[i]
                face, text[i] = _CONTEXT, f"j={p['j']:+d}"
                if not p["in_sum"]:
                    face, text[i] = _LEFT_OUT, f"j={p['j']:+d}\nleft out"
            else:
                face = _OTHER
            self._boxes[i].set_facecolor(face)
        for i, j in clipped.items():
            text[i] = f"j={j:+d}\nclipped"
        for i, g in self._ghosts.items():
            g.set_visible(i in clipped)
        for i, tag in self._tags.items():
            tag.set_visible(i in text)
            if i in text:
                tag.set_text(text[i])
        self._title.set_text(f"t = {t}, m = {st['m']}: {len(st['pairs'])} pairs, J = {st['loss']:.3f}")
        self._images[0].set_data(st["grad_center_vectors"])
        self._images[1].set_data(st["grad_outside_vectors"])
        self._row_c.set_y(c - 0.5)
        self._row_o.set_y(c - 0.5)
        counts = np.bincount(st["outside_idxs"], minlength=V)
        rows = np.flatnonzero(counts)
        self._marks.set_data(np.full(rows.shape, d - 0.5 + 0.12), rows)

    def readout(self, st) -> str:
        scene = self.scene
        words, tokens = scene.words, scene.tokens
        c = st["center_idx"]
        cell = "padding:0 8px;text-align:left"
        rows = []
        for p in st["pairs"]:
            negs = "" if p["negatives"] is None else ", ".join(words[k] for k in p["negatives"])
            style = "" if p["in_sum"] else " style='color:#b42318;text-decoration:line-through'"
            rows.append(
                f"<tr{style}><td style='{cell}'>j = {p['j']:+d}</td>"
                f"<td style='{cell}'>({html.escape(words[c])}, {html.escape(tokens[p['position']])})</td>"
                f"<td style='{cell}'>J = {p['loss']:.3f}</td>"
                + (f"<td style='{cell}'>negatives: {html.escape(negs)}</td>" if negs else "")
                + "</tr>"
            )
        notes = []
        if st["clipped"]:
            notes.append("clipped at the sentence edge: j = " + ", ".join(f"{j:+d}" for j in st["clipped"]))
        counts = np.bincount(st["outside_idxs"], minlength=scene.V)
        rep = [f"'{words[w]}' ×{counts[w]}" for w in np.flatnonzero(counts > 1)]
        if rep:
            notes.append("repeated outside words (their gradients add up): " + ", ".join(rep))
        if c in set(int(o) for o in st["outside_idxs"]):
            notes.append(
                f"the center word '{words[c]}' is also an outside word here: v_c and u_c are different vectors"
            )
        left = [p for p in st["pairs"] if not p["in_sum"]]
        if left:
            notes.append(
                "<span style='color:#b42318'>answer sheet's window: j = +m is missing from the gradient sums</span>"
            )
        if st["loss_name"] == LOSSES[0]:
            notes.append("naive softmax: every row of ∂J/∂U is nonzero (ŷ_w v_c for w ≠ o)")
        else:
            notes.append("negative sampling: only the rows of the outside words and their negatives are nonzero")
        return (
            f"<div style='font-size:12px'><b>{len(st['pairs'])} pairs</b> "
            f"({html.escape(st['loss_name'])}), J<sub>skip-gram</sub> = {st['loss']:.3f}"
            f"<table>{''.join(rows)}</table>" + "<br>".join(notes) + "</div>"
        )


def skipgram_window_explorer(scene: SentenceScene | None = None, t: int = 3, m: int = 2) -> SkipgramWindowExplorer:
    r"""Notebook 05's explorer: see :class:`SkipgramWindowExplorer`."""
    return SkipgramWindowExplorer(scene, t, m)


EXPLORERS = {"skipgram_window": skipgram_window_explorer}
