"""Interactive explorers for the notebooks (core ipywidgets + matplotlib PNGs).

Each topic module (``sigmoid``, ``softmax``, ``negsampling``, ``skipgram``, ...) builds
its explorers from :class:`~w2v_helpers.widgets._base.Explorer` and lists them in a
module-level ``EXPLORERS`` dict ``{name: factory}`` that the benchmark and tests drive.
"""
from ._base import Explorer, FastFigure, LayeredFigure, math_html, new_figure

__all__ = ["Explorer", "FastFigure", "LayeredFigure", "math_html", "new_figure"]
