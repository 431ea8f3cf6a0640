"""Colours and the presenter style.

The palette is Okabe & Ito's, distinguishable with the common forms of colour
blindness and on a washed-out projector. Nothing here runs at import; call
:func:`presenter` to switch the presenter style on for figures made afterwards.
"""

from __future__ import annotations

import contextlib

import matplotlib as mpl

__all__ = ["PALETTE", "presenter", "classroom"]

#: Okabe-Ito colours by role; widgets take their colours from here.
PALETTE = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}

_PRESENTER_RC = {
    "font.size": 15,
    "axes.titlesize": 17,
    "axes.labelsize": 16,
    "xtick.labelsize": 14,
    "ytick.labelsize": 14,
    "legend.fontsize": 14,
    "lines.linewidth": 3.0,
    "lines.markersize": 9,
    "axes.linewidth": 1.6,
    "axes.edgecolor": "#000000",
    "axes.labelcolor": "#000000",
    "text.color": "#000000",
    "xtick.color": "#000000",
    "ytick.color": "#000000",
    "grid.color": "#777777",
    "image.cmap": "cividis",
    "axes.prop_cycle": mpl.cycler(
        color=[PALETTE[k] for k in ("blue", "orange", "green", "vermillion", "purple", "sky", "black")]
    ),
}


def presenter(on: bool = True) -> None:
    """Switch the presenter style on (or back to matplotlib's defaults with ``on=False``).

    Larger fonts, thicker lines, black text and the colour-blind-safe palette, for
    every figure and widget created afterwards -- one call at the top of a lecture::

        import w2v_helpers.style
        w2v_helpers.style.presenter()
    """
    if on:
        mpl.rcParams.update(_PRESENTER_RC)
    else:
        mpl.rcParams.update({k: mpl.rcParamsDefault[k] for k in _PRESENTER_RC})


@contextlib.contextmanager
def classroom():
    """The presenter style for the figures made inside a ``with`` block only."""
    with mpl.rc_context(_PRESENTER_RC):
        yield
