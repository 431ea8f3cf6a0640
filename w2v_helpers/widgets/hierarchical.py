r"""Notebook 08: hierarchical softmax -- the Huffman tree, o's path lit, move :math:`v_c`.

:class:`HierarchicalExplorer` (built by :func:`hierarchical_explorer`) shows eight words with word2vec-like skewed counts, their
Huffman tree (:func:`w2v_helpers.huffman_tree`) and 2-D node vectors.

* left: the tree. Every inner node shows :math:`\sigma(n^\top v_c)`, the probability of its
  code-0 branch (drawn to the left); every leaf shows :math:`p(w \mid c)`; the path from the
  root to o is lit, each of its edges labelled with the probability of the branch taken;
* right: the plane: :math:`v_c` (star), the node vectors of o's path (numbered dots) and
  arrows :math:`-\eta\,\partial J/\partial v_c` on :math:`v_c` and
  :math:`-\eta\,\partial J/\partial n` on each path node (every other node gets none).

The numbers come from :func:`hs_state`, pure and unit-tested against
:func:`w2v_helpers.hierarchical_softmax_loss_and_gradient`. Built on the
``Explorer``/``FastFigure`` base of :mod:`._base` (compute / draw / readout).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core import _sigmoid
from ..hierarchical import (
    HuffmanTree,
    hierarchical_softmax_loss_and_gradient,
    hierarchical_softmax_probabilities,
    huffman_tree,
)
from ..style import PALETTE
from ._base import Explorer, FastFigure, new_figure

__all__ = [
    "HierarchicalExplorer",
    "HsScene",
    "hs_scene",
    "hs_state",
    "tree_layout",
    "hierarchical_explorer",
    "EXPLORERS",
    "zipf_counts",
    "work_per_pair",
    "time_pair_losses",
    "plot_costs",
]

WORDS = ("the", "of", "cat", "sat", "mat", "dog", "ran", "aardvark")
COUNTS = (60, 40, 12, 9, 7, 5, 3, 1)
STEP = 0.8
V_RANGE = (-2.5, 2.5)


@dataclass(frozen=True)
class HsScene:
    words: tuple
    counts: np.ndarray
    tree: HuffmanTree
    node_vectors: np.ndarray  # (V - 1, 2)

    @property
    def V(self) -> int:
        return len(self.words)


def hs_scene(seed: int = 0) -> HsScene:
    """Eight words, their Huffman tree and seeded 2-D node vectors (deterministic)."""
    rng = np.random.default_rng(seed)
    tree = huffman_tree(COUNTS)
    return HsScene(WORDS, np.array(COUNTS, float), tree, rng.normal(scale=1.0, size=(tree.n_inner, 2)))


def tree_layout(tree: HuffmanTree):
    """Positions for drawing: leaves left to right in depth-first order (code 0 first), each
    inner node above the middle of its children, depth downwards.

    Returns:
        (leaf_xy (V, 2), inner_xy (V - 1, 2)), y = -depth.
    """
    V = tree.V
    leaf_xy = np.zeros((V, 2))
    inner_xy = np.zeros((V - 1, 2))
    counter = [0]

    def place(node: int, depth: int) -> float:  # node in word2vec.c numbering
        if node < V:
            leaf_xy[node] = (counter[0], -depth)
            counter[0] += 1
            return leaf_xy[node, 0]
        n = node - V
        x = (place(int(tree.children[n, 0]), depth + 1) + place(int(tree.children[n, 1]), depth + 1)) / 2
        inner_xy[n] = (x, -depth)
        return x

    place(V + tree.root, 0)
    return leaf_xy, inner_xy


def hs_state(outside: int, v0: float, v1: float, scene: HsScene | None = None) -> dict:
    r"""Everything the explorer shows for o = ``outside`` and :math:`v_c = (v_0, v_1)`.

    Returns:
        dict with ``v_c`` (2,); ``outside``; ``path``, ``codes``; ``node_p0`` (V-1,)
        :math:`\sigma(n^\top v_c)` at every node; ``branch_p`` (L,) the probability of the branch
        taken at each step; ``path_p`` their product :math:`p(o \mid c)`; ``leaf_p`` (V,)
        every :math:`p(w \mid c)` (sums to 1); ``loss``; ``grad_center_vec`` (2,);
        ``grad_node_vectors`` (V-1, 2), nonzero only on the path.
    """
    scene = scene or hs_scene()
    tree, N = scene.tree, scene.node_vectors
    v = np.array([float(v0), float(v1)])
    o = int(outside)
    loss, gv, gN = hierarchical_softmax_loss_and_gradient(v, o, N, tree)
    path, codes = tree.paths[o], tree.codes[o]
    x = N @ v
    branch = _sigmoid((1.0 - 2.0 * codes) * x[path])
    return {
        "v_c": v,
        "outside": o,
        "path": path,
        "codes": codes,
        "node_p0": _sigmoid(x),
        "branch_p": branch,
        "path_p": float(np.prod(branch)),
        "leaf_p": hierarchical_softmax_probabilities(v, N, tree),
        "loss": loss,
        "grad_center_vec": gv,
        "grad_node_vectors": gN,
    }


def _readout(st: dict, words) -> str:
    steps = " · ".join(
        f"σ({'+' if c == 0 else '−'}n{int(n)}ᵀv_c) = {p:.3f}"
        for n, c, p in zip(st["path"], st["codes"], st["branch_p"])
    )
    return (
        f"<div style='font-family:monospace'>o = <b>{words[st['outside']]}</b>, code "
        f"{''.join(str(int(c)) for c in st['codes'])}, path {', '.join(str(int(n)) for n in st['path'])}"
        f"<br>p(o | c) = {steps} = {st['path_p']:.4f} &nbsp; J = −log p = {st['loss']:.3f} &nbsp; "
        f"Σ_w p(w | c) = {st['leaf_p'].sum():.6f}<br>∂J/∂v_c = ({st['grad_center_vec'][0]:+.3f}, "
        f"{st['grad_center_vec'][1]:+.3f}) &nbsp; {len(st['path'])} of {len(st['node_p0'])} inner nodes get "
        "a gradient</div>"
    )


class HierarchicalExplorer(Explorer):
    """Pick o and move v_c: the tree with o's path lit, each node's probability, the gradient arrows.

    Controls: ``outside`` (o) and ``v0``, ``v1`` (the two coordinates of :math:`v_c`).
    """

    title = r"Hierarchical softmax: $p(o \mid c)$ is a product of $\sigma(\pm n^\top v_c)$ along o's path"

    def __init__(self, outside: int = 5, v_c=(0.8, -0.5), seed: int = 0):
        import ipywidgets as W
        from matplotlib.collections import LineCollection

        self.scene = scene = hs_scene(seed)
        tree, N, words = scene.tree, scene.node_vectors, scene.words
        leaf_xy, inner_xy = tree_layout(tree)
        fig, (ax, axp) = new_figure(10.0, 4.2, ncols=2, gridspec_kw={"width_ratios": [1.35, 1]})
        fig.subplots_adjust(left=0.02, right=0.98, bottom=0.1, top=0.9, wspace=0.12)
        self._depth = depth = int(tree.code_lengths.max())
        ax.set_xlim(-0.8, tree.V - 0.2)
        ax.set_ylim(-depth - 0.9, 0.6)
        ax.axis("off")
        ax.set_title("Huffman tree: σ(nᵀv_c) at inner nodes, p(w | c) at leaves", fontsize=10)
        edges, edge_of = [], {}
        for n in range(tree.n_inner):
            for b in (0, 1):
                child = int(tree.children[n, b])
                xy = leaf_xy[child] if child < tree.V else inner_xy[child - tree.V]
                edge_of[(n, b)] = len(edges)
                edges.append([inner_xy[n], xy])
        self._edges, self._edge_of = edges, edge_of
        ax.add_collection(LineCollection(edges, colors="0.8", lw=1.2, zorder=1))
        ax.scatter(inner_xy[:, 0], inner_xy[:, 1], s=260, color="white", edgecolors="0.5", zorder=2)
        for n, (x, y) in enumerate(inner_xy):
            ax.text(x - 0.32, y + 0.18, f"n{n}", fontsize=7, color="0.5", ha="right")
        for w, (x, y) in enumerate(leaf_xy):
            ax.text(x, y - 0.42, words[w], fontsize=8, ha="center", va="top")
        self._lit = LineCollection([], colors=PALETTE["vermillion"], lw=3.0, zorder=1.5)
        ax.add_collection(self._lit)
        self._node_txt = [ax.text(x, y, "", fontsize=7, ha="center", va="center", zorder=3) for x, y in inner_xy]
        self._leaf_txt = [
            ax.text(
                x,
                y - 0.12,
                "",
                fontsize=7,
                ha="center",
                va="center",
                bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="0.7"),
                zorder=3,
            )
            for x, y in leaf_xy
        ]
        self._edge_txt = [
            ax.text(0, 0, "", fontsize=7, color=PALETTE["vermillion"], ha="center", zorder=4) for _ in range(depth)
        ]

        lo, hi = V_RANGE
        axp.set_xlim(lo - 0.5, hi + 0.5)
        axp.set_ylim(lo - 0.5, hi + 0.5)
        axp.set_aspect("equal")
        axp.axhline(0, color="0.85", lw=0.8)
        axp.axvline(0, color="0.85", lw=0.8)
        axp.set_title("v_c (star), o's path nodes; arrows −η·gradient", fontsize=10)
        axp.scatter(N[:, 0], N[:, 1], s=18, color="0.75", zorder=2)
        z = np.zeros(depth)
        self._pts = axp.scatter(z, z, s=40, color=PALETTE["blue"], zorder=3)
        self._pt_txt = [axp.text(0, 0, "", fontsize=8, color=PALETTE["blue"]) for _ in range(depth)]
        (self._star,) = axp.plot([], [], "*", ms=15, color=PALETTE["vermillion"], zorder=5)
        self._arr_v = axp.quiver(
            [0],
            [0],
            [0],
            [0],
            angles="xy",
            scale_units="xy",
            scale=1,
            color=PALETTE["vermillion"],
            width=0.008,
            zorder=6,
        )
        self._arr_n = axp.quiver(
            z, z, z, z, angles="xy", scale_units="xy", scale=1, color=PALETTE["green"], width=0.006, zorder=6
        )
        figure = FastFigure(fig)
        figure.add_dynamic(
            self._lit,
            *self._node_txt,
            *self._leaf_txt,
            *self._edge_txt,
            self._pts,
            *self._pt_txt,
            self._star,
            self._arr_v,
            self._arr_n,
        )
        self._far = 10 * hi
        slider = dict(
            min=lo, max=hi, step=0.05, continuous_update=True, readout_format=".2f", layout=W.Layout(width="300px")
        )
        controls = {
            "outside": W.Dropdown(
                options=[(f"{w} ({int(c)})", i) for i, (w, c) in enumerate(zip(words, COUNTS))],
                value=int(outside),
                description="o (count)",
                layout=W.Layout(width="220px"),
            ),
            "v0": W.FloatSlider(value=float(v_c[0]), description="v_c[0]", **slider),
            "v1": W.FloatSlider(value=float(v_c[1]), description="v_c[1]", **slider),
        }
        super().__init__(controls, figure)

    def compute(self, outside, v0, v1) -> dict:
        """:func:`hs_state` (pure)."""
        return hs_state(outside, v0, v1, self.scene)

    def draw(self, st: dict) -> None:
        N, depth = self.scene.node_vectors, self._depth
        path, codes = st["path"], st["codes"]
        segs = [self._edges[self._edge_of[(int(n), int(b))]] for n, b in zip(path, codes)]
        self._lit.set_segments(segs)
        on_path = set(path.tolist())
        for n, t in enumerate(self._node_txt):
            t.set_text(f"{st['node_p0'][n]:.2f}")
            t.set_fontweight("bold" if n in on_path else "normal")
        for w, t in enumerate(self._leaf_txt):
            t.set_text(f"{st['leaf_p'][w]:.3f}")
            t.get_bbox_patch().set_edgecolor(PALETTE["vermillion"] if w == st["outside"] else "0.7")
        for j, t in enumerate(self._edge_txt):
            if j < len(path):
                (x0, y0), (x1, y1) = segs[j]
                t.set_position(((x0 + x1) / 2 + (0.25 if codes[j] else -0.25), (y0 + y1) / 2))
                t.set_text(f"{st['branch_p'][j]:.2f}")
            t.set_visible(j < len(path))
        L = len(path)
        xy = np.full((depth, 2), self._far)
        xy[:L] = N[path]
        self._pts.set_offsets(xy)
        for j, t in enumerate(self._pt_txt):
            if j < L:
                t.set_position(N[path[j]] + 0.08)
                t.set_text(f"n{int(path[j])}")
            t.set_visible(j < L)
        v = st["v_c"]
        self._star.set_data([v[0]], [v[1]])
        g = -STEP * st["grad_center_vec"]
        self._arr_v.set_offsets([v])
        self._arr_v.set_UVC([g[0]], [g[1]])
        gn = np.zeros((depth, 2))
        gn[:L] = -STEP * st["grad_node_vectors"][path]
        self._arr_n.set_offsets(xy)
        self._arr_n.set_UVC(gn[:, 0], gn[:, 1])

    def readout(self, st: dict) -> str:
        return _readout(st, self.scene.words)


def hierarchical_explorer(outside: int = 5, v_c=(0.8, -0.5), seed: int = 0) -> HierarchicalExplorer:
    """Pick o and move v_c: the tree with o's path lit, each node's probability, the gradient arrows."""
    return HierarchicalExplorer(outside, v_c, seed)


EXPLORERS = {"hierarchical_softmax": hierarchical_explorer}


# --------------------------------------------------------------------------- the cost against |V|


def zipf_counts(V: int, s: float = 1.0, top: float = 1e6) -> np.ndarray:
    r"""Zipf-like counts :math:`\mathrm{count}(r) = \mathrm{top} / r^s` for ranks r = 1..V (deterministic)."""
    V = int(V)
    if V < 2:
        raise ValueError(f"V must be at least 2, got {V}")
    return top / np.arange(1, V + 1, dtype=float) ** float(s)


def work_per_pair(vocab_sizes=(100, 1_000, 10_000, 100_000), k: int = 5, s: float = 1.0) -> dict:
    r"""Inner products :math:`w^\top v_c` one (center, outside) pair needs, for Zipf counts.

    * naive softmax: |V| (every score, for the normaliser);
    * negative sampling: K + 1;
    * hierarchical softmax: L(o), o's code length -- ``"hs mean"`` is its average over the
      corpus (count-weighted, what training pays per pair), ``"hs max"`` the deepest word.

    The gradients cost the same number of d-vector operations again. Returns a dict of lists.
    """
    out = {"V": [], "naive softmax": [], "neg. sampling": [], "hs mean": [], "hs max": [], "log2 V": []}
    for V in vocab_sizes:
        tree = huffman_tree(zipf_counts(V, s))
        out["V"].append(int(V))
        out["naive softmax"].append(int(V))
        out["neg. sampling"].append(int(k) + 1)
        out["hs mean"].append(tree.expected_code_length())
        out["hs max"].append(int(tree.code_lengths.max()))
        out["log2 V"].append(float(np.log2(V)))
    return out


def time_pair_losses(
    vocab_sizes=(100, 1_000, 10_000, 100_000), d: int = 50, k: int = 5, repeats: int = 5, seed: int = 0
) -> dict:
    r"""Seconds per (center, outside) pair of the three losses' arithmetic (best of ``repeats``).

    The unchecked computations are timed, with the outputs word2vec uses: the naive softmax
    (dense, O(|V| d)); negative sampling's K + 1 rows; hierarchical softmax's L(o) path rows,
    averaged over outside words drawn from the Zipf counts. The machine decides the numbers;
    only their growth with |V| is the point.
    """
    import time

    from ..core import _naive_softmax, _neg_sampling
    from ..hierarchical import _hs_path

    rng = np.random.default_rng(seed)
    out = {"V": [], "naive softmax": [], "neg. sampling": [], "hierarchical softmax": []}
    for V in vocab_sizes:
        counts = zipf_counts(V)
        tree = huffman_tree(counts)
        U = rng.normal(scale=0.1, size=(V, d))
        N = rng.normal(scale=0.1, size=(V - 1, d))
        v = rng.normal(scale=0.1, size=d)
        outs = rng.choice(V, size=64, p=counts / counts.sum())
        negs = rng.integers(1, V, size=k)
        small = U[np.r_[0, negs]]  # the K + 1 rows negative sampling reads
        fns = {
            "naive softmax": lambda v=v, U=U: _naive_softmax(v, 0, U),
            "neg. sampling": lambda v=v, small=small: _neg_sampling(v, 0, small, np.arange(1, k + 1)),
            "hierarchical softmax": lambda v=v, N=N, tree=tree, outs=outs: [_hs_path(v, int(o), N, tree) for o in outs],
        }
        per = {"naive softmax": 1, "neg. sampling": 1, "hierarchical softmax": len(outs)}
        out["V"].append(int(V))
        for name, fn in fns.items():
            fn()
            n_inner = max(1, min(100, int(2e5 // (V * per[name]) if name == "naive softmax" else 20)))
            best = np.inf
            for _ in range(repeats):
                t0 = time.perf_counter()
                for _ in range(n_inner):
                    fn()
                best = min(best, (time.perf_counter() - t0) / (n_inner * per[name]))
            out[name].append(best)
    return out


def plot_costs(work: dict, timings: dict | None = None):
    """Log-log plots of :func:`work_per_pair` (and :func:`time_pair_losses`); a pyplot-free Figure."""
    ncols = 2 if timings else 1
    fig, axes = new_figure(4.6 * ncols + 0.6, 3.4, dpi=90, ncols=ncols, squeeze=False)
    styles = {
        "naive softmax": ("o-", "#7f7f7f"),
        "neg. sampling": ("s--", PALETTE["orange"]),
        "hs mean": ("^-", PALETTE["blue"]),
        "hierarchical softmax": ("^-", PALETTE["blue"]),
    }
    ax = axes[0, 0]
    V = np.asarray(work["V"], float)
    for name in ("naive softmax", "neg. sampling", "hs mean"):
        style, colour = styles[name]
        ax.loglog(
            V, work[name], style, color=colour, label="hierarchical softmax (mean L)" if name == "hs mean" else name
        )
    ax.set_xlabel("|V|")
    ax.set_ylabel("inner products per pair")
    ax.set_title("work per (center, outside) pair", fontsize=10)
    ax.legend(fontsize=8, frameon=False)
    ax.grid(True, which="major", alpha=0.3)
    if timings:
        ax = axes[0, 1]
        Vt = np.asarray(timings["V"], float)
        for name in ("naive softmax", "neg. sampling", "hierarchical softmax"):
            style, colour = styles[name]
            ax.loglog(Vt, np.asarray(timings[name]) * 1e6, style, color=colour, label=name)
        ax.set_xlabel("|V|")
        ax.set_ylabel("µs per pair")
        ax.set_title("measured time per pair (this machine)", fontsize=10)
        ax.legend(fontsize=8, frameon=False)
        ax.grid(True, which="major", alpha=0.3)
    fig.subplots_adjust(left=0.1, right=0.98, bottom=0.16, top=0.9, wspace=0.3)
    return fig
