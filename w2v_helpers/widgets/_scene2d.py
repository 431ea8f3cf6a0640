"""What the explorers of notebooks 02 and 03 share: the 2-D toy scene's plane, arrows,
colours, controls and readout formatting (drawing only; the numbers are in
:mod:`~w2v_helpers.widgets.softmax` and :mod:`~w2v_helpers.widgets.outside`)."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import to_hex

from ..scenes import toy_scene
from ..style import PALETTE

#: The v_c sliders' range; the loss contours are drawn over this square.
V_LIM = 2.5
#: Colours: outside vectors, the observed word o, the center vector, the descent arrows, ...
#: (Okabe-Ito, as in notebook 04: o green, v_c blue.)
C_U, C_O, C_V = PALETTE["sky"], PALETTE["green"], PALETTE["blue"]
C_DESC, C_SHEET, C_EXP, C_LABEL = PALETTE["vermillion"], "#888888", PALETTE["purple"], "#333333"


# ----------------------------------------------------------------------------------------
# Drawing helpers
# ----------------------------------------------------------------------------------------
def plane(ax, lim: float) -> None:
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_aspect("equal")
    ax.axhline(0, color="0.85", lw=0.8, zorder=0)
    ax.axvline(0, color="0.85", lw=0.8, zorder=0)
    ax.tick_params(labelsize=8)


def arrows(ax, n: int, color, zorder: float = 6, scale: float = 1.0, **kw):
    """A quiver of n arrows in data units, drawn ``scale`` times the vector's length; move it
    with set_offsets/set_UVC."""
    return ax.quiver(
        np.zeros(n),
        np.zeros(n),
        np.zeros(n),
        np.zeros(n),
        color=color,
        angles="xy",
        scale_units="xy",
        scale=1.0 / scale,
        width=0.012,
        headwidth=3.5,
        headlength=4.0,
        headaxislength=3.5,
        zorder=zorder,
        **kw,
    )


def vector_controls(v0, lim: float, names=("v1", "v2"), label="v_c"):
    import ipywidgets as W

    return {
        name: W.FloatSlider(
            value=float(val),
            min=-lim,
            max=lim,
            step=0.01,
            description=f"{label}[{i}]",
            readout_format=".2f",
            continuous_update=True,
            layout=W.Layout(width="300px"),
        )
        for i, (name, val) in enumerate(zip(names, v0))
    }


def stepping_controls(v_start, lim, words, outside_idx, lr, part):
    """The controls notebooks 02 and 03 share: v_c sliders, o, lr, the answer-sheet switch, and
    the Step / 10 steps / Reset buttons."""
    import ipywidgets as W

    controls = vector_controls(v_start, lim)
    controls["o"] = W.Dropdown(
        options=[(w, i) for i, w in enumerate(words)],
        value=int(outside_idx),
        description="o",
        layout=W.Layout(width="170px"),
    )
    controls["lr"] = W.FloatSlider(
        value=lr, min=0.05, max=3.0, step=0.05, description="lr", readout_format=".2f", layout=W.Layout(width="260px")
    )
    controls["sheet"] = W.Checkbox(
        value=False, description=f"answer sheet's {part}", indent=False, layout=W.Layout(width="160px")
    )
    buttons = {
        "step": W.Button(description="Step", icon="arrow-right", layout=W.Layout(width="90px")),
        "step10": W.Button(description="10 steps", layout=W.Layout(width="90px")),
        "reset": W.Button(description="Reset", icon="undo", layout=W.Layout(width="90px")),
    }
    return controls, buttons


def scene_2d(scene):
    scene = toy_scene() if scene is None else scene
    if np.asarray(scene.outside_vectors).shape[1] != 2:
        raise ValueError(
            f"scene must be 2-D (the picture draws the vectors in the plane), got d = {np.asarray(scene.outside_vectors).shape[1]}"
        )
    return scene


def legend(items) -> str:
    """An HTML legend line: ``[(colour, what, meaning), ...]``."""
    return (
        "<div style='font-size:90%;margin:2px 0 4px 0'>"
        + " &nbsp; ".join(
            f"<span style='color:{to_hex(c)};font-weight:bold'>{what}</span> {meaning}" for c, what, meaning in items
        )
        + "</div>"
    )


_CELL = "padding:0 0.6em;line-height:1.3;text-align:left"


def compact(html: str) -> str:
    """Tight table cells: notebook front ends pad table cells generously."""
    for tag in ("td", "th"):
        html = html.replace(f"<{tag} style='", f"<{tag} style='{_CELL};")
        html = html.replace(f"<{tag}>", f"<{tag} style='{_CELL}'>")
    return html


def fmt(v) -> str:
    return "(" + ", ".join(f"{x:+.3f}" for x in np.atleast_1d(v)) + ")"
