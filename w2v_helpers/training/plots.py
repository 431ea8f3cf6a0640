r"""Pictures and a widget for trained word vectors (notebook 06): loss curve, PCA map, neighbour explorer.

Figures are pyplot-free (``matplotlib.figure.Figure`` with an Agg canvas): no
global state, nothing shown until the notebook displays the returned figure.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

__all__ = [
    "pca",
    "loss_curve_figure",
    "pca_figure",
    "neighbours_text",
    "neighbour_explorer",
    "neighbours_html",
    "comparison_table",
]

_BLUE, _ORANGE, _GREY = "#0072B2", "#E69F00", "#999999"


def _kv(wv):
    """The gensim ``KeyedVectors`` of a trained model (its ``.wv``) or the ``KeyedVectors`` itself."""
    return getattr(wv, "wv", wv)


def _figure(width: float, height: float, dpi: int = 80):
    fig = Figure(figsize=(width, height), dpi=dpi)
    FigureCanvasAgg(fig)
    return fig, fig.subplots()


def pca(X, n_components: int = 2) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Principal component analysis by the SVD of the centered data.

    Written out in numpy (not sklearn) because it is short and shows the method.

    .. math:: X - \bar x = U \Sigma V^\top, \qquad
              \text{coords} = (X - \bar x)\, V_{:, :k} = U_{:, :k} \Sigma_{:k}

    Each component's sign is fixed so that its largest-magnitude entry is
    positive, so the picture does not flip between runs or libraries.

    Args:
        X: (n, d) real data, one row per point, n >= 2.
        n_components: int k, 1 <= k <= min(n, d).

    Returns:
        (coords (n, k), components (k, d) orthonormal rows, explained (k,) the share
        of the total variance along each component, decreasing).
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] < 2:
        raise ValueError(f"X must be 2-D with at least 2 rows, got shape {X.shape}")
    if not np.all(np.isfinite(X)):
        raise ValueError("X must be finite")
    k = int(n_components)
    if not 1 <= k <= min(X.shape):
        raise ValueError(f"n_components must be in 1..{min(X.shape)}, got {n_components!r}")
    Xc = X - X.mean(axis=0)
    _, s, vt = np.linalg.svd(Xc, full_matrices=False)
    comps = vt[:k]
    signs = np.sign(comps[np.arange(k), np.argmax(np.abs(comps), axis=1)])
    comps = comps * signs[:, None]
    var = s**2
    total = var.sum()
    explained = var[:k] / total if total > 0 else np.zeros(k)
    return Xc @ comps.T, comps, explained


def loss_curve_figure(
    loss_history,
    loss_history_words,
    total_words: int,
    epochs: int,
    reference=None,
    width: float = 9.0,
    height: float = 3.4,
):
    r"""The training loss (mean :math:`J_{\text{neg-sample}}` per pair) against corpus words processed.

    Args:
        loss_history, loss_history_words: from a :class:`~w2v_helpers.training.model.SkipGramModel`.
        total_words: corpus size; epochs: number of epochs (dotted lines between epochs).
        reference: optional float drawn as a horizontal line, e.g. :math:`(K+1)\log 2`,
            the loss of all-zero scores.

    Returns:
        a matplotlib Figure.
    """
    fig, ax = _figure(width, height)
    x = np.asarray(loss_history_words, dtype=float) / 1e6
    ax.plot(x, loss_history, color=_BLUE, lw=1.5, label="mean loss per pair")
    for e in range(1, epochs):
        ax.axvline(e * total_words / 1e6, color=_GREY, ls=":", lw=1)
    if reference is not None:
        ax.axhline(reference, color=_ORANGE, ls="--", lw=1.2, label=f"all scores 0: {reference:.3f}")
    ax.set_xlabel("corpus words processed (millions); dotted lines: epochs")
    ax.set_ylabel(r"$J_{\mathrm{neg}}$ per pair")
    ax.legend(loc="upper right", frameon=False)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def pca_figure(
    wv,
    words: Sequence[str],
    groups: dict[str, Sequence[str]] | None = None,
    arrows: Sequence[tuple[str, str]] = (),
    width: float = 7.0,
    height: float = 5.5,
):
    r"""The chosen words' unit vectors projected on their first two principal components.

    Args:
        wv: a trained model or gensim ``KeyedVectors``.
        words: the words to show; unknown words raise ``KeyError``.
        groups: optional name -> words, each group in its own colour.
        arrows: optional (from, to) word pairs joined by an arrow, e.g. country -> capital.

    Returns:
        a matplotlib Figure.
    """
    kv = _kv(wv)
    words = list(dict.fromkeys(words))
    X = np.array([kv[w] for w in words], dtype=np.float64)
    X /= np.maximum(np.linalg.norm(X, axis=1, keepdims=True), 1e-300)  # unit vectors: cosine geometry
    coords, _, explained = pca(X, 2)
    where = dict(zip(words, coords))
    colours = [_BLUE, _ORANGE, "#009E73", "#D55E00", "#CC79A7", "#56B4E9"]
    colour_of = {}
    for i, (name, members) in enumerate((groups or {}).items()):
        for w in members:
            colour_of[w] = (colours[i % len(colours)], name)
    fig, ax = _figure(width, height)
    seen = set()
    for w, (x, y) in where.items():
        colour, name = colour_of.get(w, (_GREY, None))
        label = name if name and name not in seen else None
        seen.add(name)
        ax.scatter([x], [y], color=colour, s=30, label=label, zorder=3)
        ax.annotate(w, (x, y), xytext=(4, 3), textcoords="offset points", fontsize=10)
    for a, b in arrows:
        (x0, y0), (x1, y1) = where[a], where[b]
        ax.annotate("", xy=(x1, y1), xytext=(x0, y0), arrowprops=dict(arrowstyle="->", color=_GREY, lw=1))
    ax.set_xlabel(f"PC 1 ({explained[0]:.0%} of the variance)")
    ax.set_ylabel(f"PC 2 ({explained[1]:.0%})")
    if groups:
        ax.legend(loc="best", frameon=False, fontsize=9)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def neighbours_text(wv, word: str, topn: int = 10) -> str:
    """The ``topn`` nearest words by cosine, one per line, or a message for an unknown word."""
    kv = _kv(wv)
    word = (word or "").strip().lower()
    if not word:
        return "Type a word."
    if word not in kv.key_to_index:
        return f"'{word}' is not in the vocabulary ({len(kv)} words, min_count applied)."
    lines = [f"nearest to '{word}' (cosine):"]
    lines += [f"  {w:<16s} {s:6.3f}" for w, s in kv.most_similar(word, topn=topn)]
    return "\n".join(lines)


def neighbours_html(wv, word: str, topn: int = 10) -> str:
    """:func:`neighbours_text` as HTML (a ``<pre>`` block), what the explorer's HTML widget shows."""
    import html

    return f"<pre style='margin:0;line-height:1.3'>{html.escape(neighbours_text(wv, word, topn))}</pre>"


_NEIGHBOUR_BOX = None


def _neighbour_box_class():
    """A VBox whose display bundle also carries a static list (built once, on first use)."""
    global _NEIGHBOUR_BOX
    if _NEIGHBOUR_BOX is None:
        import ipywidgets as widgets

        from ..widgets._base import WIDGET_VIEW_MIME

        class NeighbourBox(widgets.VBox):
            """The explorer's box. Displayed, it sends the widget view, the current list as
            HTML and as text: a front end with a kernel shows the widget, one without (an
            untrusted notebook, nbconvert without widget state) the list, never a VBox repr."""

            def mimebundle(self) -> dict:
                view = {"version_major": 2, "version_minor": 0, "model_id": self.model_id}
                if hasattr(self, "_handle_displayed"):  # ipywidgets 7: its on_displayed hooks
                    self._handle_displayed()
                listing = self.children[1]
                return {WIDGET_VIEW_MIME: view, "text/html": listing.value, "text/plain": self._w2v_text()}

            def _ipython_display_(self) -> None:
                from IPython.display import display

                display(self.mimebundle(), raw=True)

        _NEIGHBOUR_BOX = NeighbourBox
    return _NEIGHBOUR_BOX


def neighbour_explorer(wv, word: str = "king", topn: int = 10, choices: int = 2000):
    r"""An interactive nearest-neighbour list: a word box (with suggestions) and a size menu.

    Built from core ipywidgets (``Combobox``, ``Dropdown``, ``HTML``): the list is an
    ``HTML`` widget whose value is replaced when the word or the size changes (each control
    is observed), so it works in JupyterLab, the classic Notebook, Colab and Voila on
    ipywidgets 7.7 and 8 (no ``Output`` widget, which the classic Notebook's ipywidgets-7
    front end cannot create). Read without a kernel, the notebook shows the list as text.

    Args:
        wv: word vectors. word: the first word shown. topn: initial list size.
        choices: how many of the most frequent words the box suggests (any word can be typed).

    Returns:
        an ``ipywidgets.VBox`` ``[HBox([word box, size menu]), HTML list]``.
    """
    import ipywidgets as widgets

    box = widgets.Combobox(
        value=word,
        options=list(_kv(wv).index_to_key[:choices]),
        ensure_option=False,
        placeholder="type a word",
        description="word",
    )
    size = widgets.Dropdown(options=[5, 10, 20], value=topn if topn in (5, 10, 20) else 10, description="neighbours")
    listing = widgets.HTML(value=neighbours_html(wv, box.value, size.value))

    def show(_change=None):
        listing.value = neighbours_html(wv, box.value, size.value)

    box.observe(show, names="value")
    size.observe(show, names="value")
    ui = _neighbour_box_class()([widgets.HBox([box, size]), listing])
    ui._w2v_text = lambda: neighbours_text(wv, box.value, size.value)
    return ui


def comparison_table(rows: dict[str, dict[str, float]], ndigits: int = 3) -> list[str]:
    """Lines of a fixed-width table: one row per trainer, one column per score (rounded)."""
    if not rows:
        return []
    keys = list(next(iter(rows.values())).keys())
    head = f"{'':24s}" + "".join(f"{k:>14s}" for k in keys)
    lines = [head]
    for name, vals in rows.items():
        lines.append(f"{name:24s}" + "".join(f"{vals[k]:>14.{ndigits}f}" for k in keys))
    return lines
