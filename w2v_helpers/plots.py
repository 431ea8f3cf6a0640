"""Static pictures used by the notebooks (pyplot-free figures: no global state)."""

from __future__ import annotations

from collections.abc import Sequence

from ._validate import as_index, as_positive_int
from .core import window_offsets
from .style import PALETTE
from .widgets._base import new_figure

__all__ = ["context_window_figure"]


def context_window_figure(words: Sequence[str], t: int, m: int, width: float = 10.0):
    r"""Draw a sentence with the center word :math:`w_t` and its window :math:`w_{t+j}`, :math:`0 < |j| \le m`.

    Args:
        words: the sentence's tokens.
        t: int position of the center word.
        m: int window size.

    Returns:
        a matplotlib Figure (display it, or ``fig.savefig(...)``).
    """
    words = list(words)
    if not words or not all(isinstance(w, str) for w in words):
        raise ValueError("words must be a non-empty sequence of strings")
    t = as_index(t, "t", len(words), size_name="sentence length")
    m = as_positive_int(m, "m")
    fig, ax = new_figure(width, 1.9)
    inside = {t + j: j for j in window_offsets(m) if 0 <= t + j < len(words)}
    for i, word in enumerate(words):
        if i == t:
            face, label = PALETTE["orange"], "center $w_t$ ($v_c$)"
        elif i in inside:
            face, label = PALETTE["sky"], f"$j={inside[i]:+d}$ ($u_o$)"
        else:
            face, label = "#eeeeee", ""
        ax.add_patch(_box(i, face))
        ax.text(i + 0.5, 0.5, word, ha="center", va="center", fontsize=11)
        if label:
            ax.text(i + 0.5, -0.35, label, ha="center", va="center", fontsize=9)
    ax.set_xlim(-0.1, len(words) + 0.1)
    ax.set_ylim(-0.7, 1.2)
    ax.set_axis_off()
    ax.set_title(f"skip-gram: the center word predicts each word within m = {m} positions", fontsize=11)
    fig.subplots_adjust(left=0.01, right=0.99, top=0.85, bottom=0.02)
    return fig


def _box(i: int, face: str):
    from matplotlib.patches import FancyBboxPatch

    return FancyBboxPatch(
        (i + 0.05, 0.1), 0.9, 0.8, boxstyle="round,pad=0.02", facecolor=face, edgecolor="#333333", linewidth=1.0
    )
