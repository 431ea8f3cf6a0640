#!/usr/bin/env python
"""Re-execute notebooks top to bottom and store their outputs (the committed outputs nbval compares).

    python tools/run_notebooks.py                 # every notebook in notebooks/
    python tools/run_notebooks.py 02 04           # only those whose name starts with 02 or 04

It first brings navigation, Colab cells and slide metadata up to date
(tools/make_nav.py), then runs each notebook in a fresh kernel with notebooks/
as the working directory, as JupyterLab and nbval do, and prints the time each took.

The stored notebooks are made deterministic, so that re-running an unchanged notebook
changes nothing in git: the per-cell execution timestamps are dropped, consecutive prints to one
stream are stored as one output (the kernel chunks them differently from run to run), and the
widget model ids (random UUIDs) are renumbered in the order the widgets were created.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_nav  # noqa: E402


def _merge_streams(outputs):
    """Join consecutive stream outputs of one name (how the kernel chunks a print varies run to run)."""
    merged = []
    for out in outputs:
        if (
            out.get("output_type") == "stream"
            and merged
            and merged[-1].get("output_type") == "stream"
            and merged[-1].get("name") == out.get("name")
        ):
            merged[-1]["text"] = merged[-1]["text"] + out["text"]
        else:
            merged.append(out)
    return merged


def make_deterministic(nb, name: str):
    """Drop execution timestamps and give widget models ids that depend only on their order."""
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = _merge_streams(cell.outputs)
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    ids = list(state.get("state", {}))
    if not ids:
        return nb
    new = {old: hashlib.md5(f"{name}:{i}".encode()).hexdigest() for i, old in enumerate(ids)}
    text = re.sub("|".join(map(re.escape, ids)), lambda m: new[m.group(0)], nbformat.writes(nb))
    return nbformat.reads(text, as_version=4)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prefixes", nargs="*", help="run only notebooks whose name starts with one of these")
    parser.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell (default 600)")
    args = parser.parse_args(argv)
    make_nav.main([])
    paths = [p for p in make_nav.notebook_paths() if not args.prefixes or p.name.startswith(tuple(args.prefixes))]
    if not paths:
        print("no notebook matches", args.prefixes)
        return 1
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        NotebookClient(
            nb, timeout=args.timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
        ).execute()
        nbformat.write(make_deterministic(nb, path.name), path)
        print(f"{path.name}: {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
