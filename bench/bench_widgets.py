#!/usr/bin/env python
"""Kernel time of one widget update (compute + draw + PNG), for every explorer in the notebooks.

    python bench/bench_widgets.py

Every module in w2v_helpers.widgets lists its explorers in EXPLORERS; for each, every
control is moved through its range (sliders: 15 positions, dropdowns: every option)
and each update is timed with explorer.render(...), the function the widget calls.
Prints a markdown table (median, p90 and max in ms); the goal is under 50 ms.
"""
from __future__ import annotations

import contextlib
import importlib
import io
import pkgutil
import time

import numpy as np

import w2v_helpers.widgets as widgets_pkg


def control_values(control) -> list:
    if hasattr(control, "options") and len(getattr(control, "options", ())) > 0:
        opts = list(control.options)
        return [o[1] if isinstance(o, tuple) else o for o in opts]
    if hasattr(control, "min") and hasattr(control, "max"):
        vals = np.linspace(control.min, control.max, 15)
        return [type(control.value)(v) for v in vals]
    if isinstance(getattr(control, "value", None), bool):
        return [True, False]
    return []


def explorers():
    for info in pkgutil.iter_modules(widgets_pkg.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"w2v_helpers.widgets.{info.name}")
        for name, factory in getattr(module, "EXPLORERS", {}).items():
            yield f"{info.name}.{name}", factory


def time_explorer(explorer) -> list[float]:
    explorer.render()  # first draw builds the cached background; not an update
    times = []
    for cname, control in explorer.controls.items():
        original = control.value
        for value in control_values(control):
            start = time.perf_counter()
            explorer.render(**{cname: value})
            times.append((time.perf_counter() - start) * 1000)
        control.value = original
    return times


def main() -> None:
    print("| widget | updates | median (ms) | p90 (ms) | max (ms) |")
    print("|---|---:|---:|---:|---:|")
    for name, factory in explorers():
        with contextlib.redirect_stdout(io.StringIO()):  # outside a notebook, display() prints a repr
            explorer = factory()
        times = time_explorer(explorer)
        if not times:
            continue
        print(f"| `{name}` | {len(times)} | {np.median(times):.1f} | {np.percentile(times, 90):.1f} "
              f"| {max(times):.1f} |")


if __name__ == "__main__":
    main()
