#!/usr/bin/env python
"""Kernel time of one widget update (compute + draw + PNG), for every explorer in the notebooks.

    python bench/bench_widgets.py

Every module in w2v_helpers.widgets lists its explorers in EXPLORERS; for each, every
control is moved through its range (sliders: 15 positions, dropdowns: every option)
and each update is timed with explorer.render(...), the function the widget calls.
Prints a markdown table (median, p90 and max in ms, and how many of the updates had to
redraw the whole figure instead of reusing its cached background); the goal is under 50 ms.
Timings on a shared machine are noisy: run it twice and report the range. The tests never
time anything; they count redraws (tests/widgets/test_*.py).

    python bench/bench_widgets.py --repeat 3      # each control sweep 3 times, all pooled
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import pkgutil
import platform
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


def time_explorer(explorer, repeat: int = 1) -> list[float]:
    times = []
    for _ in range(repeat):
        for cname, control in explorer.controls.items():
            original = control.value
            for value in control_values(control):
                start = time.perf_counter()
                explorer.render(**{cname: value})
                times.append((time.perf_counter() - start) * 1000)
            control.value = original
    return times


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="sweeps of every control (default 1)")
    args = parser.parse_args(argv)
    import ipywidgets
    import matplotlib

    print(
        f"{cpu_model()}; Python {platform.python_version()}, ipywidgets {ipywidgets.__version__}, "
        f"matplotlib {matplotlib.__version__}, numpy {np.__version__}\n"
    )
    print("| widget | updates | median (ms) | p90 (ms) | max (ms) | full redraws |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, factory in explorers():
        with contextlib.redirect_stdout(io.StringIO()):  # outside a notebook, display() prints a repr
            explorer = factory()
            explorer.render()  # first draw builds the cached background; not an update
            full = explorer.figure.full_draws
            times = time_explorer(explorer, args.repeat)
        if not times:
            continue
        print(
            f"| `{name}` | {len(times)} | {np.median(times):.1f} | {np.percentile(times, 90):.1f} "
            f"| {max(times):.1f} | {explorer.figure.full_draws - full} |"
        )


if __name__ == "__main__":
    main()
