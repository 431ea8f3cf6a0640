"""Interactive explorers for the notebooks (core ipywidgets 7.7+ and 8 + matplotlib PNGs).

One module per notebook: ``sigmoid`` (01), ``softmax`` (02), ``outside`` (03),
``negsampling`` (04), ``skipgram`` (05), ``cbow`` (07),
``hierarchical`` (08). Each explorer is a small class on
:class:`~w2v_helpers.widgets._base.Explorer` (``compute`` pure and unit-tested, ``draw``,
``readout``, its buttons as methods); figure caching lives in ``_base`` (:class:`FastFigure`,
:class:`LayeredFigure`). Each module lists its explorers in ``EXPLORERS`` ``{name: factory}``,
which the benchmark and the tests drive.
"""

from ._base import Explorer, FastFigure, LayeredFigure, math_html, new_figure

__all__ = ["Explorer", "FastFigure", "LayeredFigure", "math_html", "new_figure"]
