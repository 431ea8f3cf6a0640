#!/usr/bin/env python
"""Write the generated parts of every notebook in notebooks/: navigation, Colab, slides.

For each ``notebooks/NN_*.ipynb`` (in order) this script owns:

* a top markdown cell (tag ``nav-top``): the "Open in Colab" badge and
  ``< previous | contents | next >`` links;
* a code cell right after the title (tag ``colab-setup``): on Google Colab it
  clones the repository and installs the package; anywhere else it does nothing;
* a bottom markdown cell (tag ``nav-bottom``) with the same links;
* slide metadata: a new slide at every ``#``/``##`` heading, the generated cells
  skipped, the rest continuing the current slide (``jupyter nbconvert --to slides``).

The repository address comes from one place: ``[project.urls] Repository`` in
pyproject.toml. Run it after adding, renaming or retitling a notebook::

    python tools/make_nav.py          # rewrite
    python tools/make_nav.py --check  # exit 1 if any notebook is out of date (used by the tests)
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
GENERATED = ("nav-top", "colab-setup", "nav-bottom")
CONTENTS = "00_start_here.ipynb"
# notebooks whose Colab set-up also installs the trainer's extra dependencies (gensim, tqdm)
NEEDS_TRAIN_EXTRA = ("06_",)


def repo_url() -> str:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return data["project"]["urls"]["Repository"].rstrip("/")


def colab_url(notebook: str) -> str:
    owner_name = repo_url().split("github.com/", 1)[1]
    return f"https://colab.research.google.com/github/{owner_name}/blob/main/notebooks/{notebook}"


def notebook_paths() -> list[Path]:
    return sorted(p for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _tags(cell) -> list:
    return cell.get("metadata", {}).get("tags", [])


def title_of(nb: dict, path: Path) -> str:
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown" and not set(_tags(cell)) & set(GENERATED):
            m = re.search(r"^#\s+(.+)$", _source(cell), flags=re.M)
            if m:
                return m.group(1).strip()
    return path.stem


def nav_links(paths: list[Path], titles: dict[str, str], i: int) -> str:
    parts = []
    if i > 0:
        prev = paths[i - 1].name
        parts.append(f"[< {titles[prev]}]({prev})")
    if paths[i].name != CONTENTS:
        parts.append(f"[Contents]({CONTENTS}#The-notebooks)")
    if i + 1 < len(paths):
        nxt = paths[i + 1].name
        parts.append(f"[{titles[nxt]} >]({nxt})")
    return " | ".join(parts)


def _markdown(text: str, tag: str) -> dict:
    return {"cell_type": "markdown", "metadata": {"tags": [tag]}, "source": text}


def colab_cell(name: str) -> dict:
    url = repo_url()
    extra = "[train]" if name.startswith(NEEDS_TRAIN_EXTRA) else ""
    source = f'''# Set-up for Google Colab only: clones the repository (notebooks, data, package) and installs
# w2v_helpers. Anywhere else -- JupyterLab, VS Code, Voila -- this cell does nothing.
import sys

if "google.colab" in sys.modules:
    import os, subprocess
    if not os.path.isdir("/content/w2v-gradients"):
        subprocess.run(["git", "clone", "--depth", "1", "{url}", "/content/w2v-gradients"], check=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "/content/w2v-gradients{extra}"], check=True)
    os.chdir("/content/w2v-gradients/notebooks")'''
    return {"cell_type": "code", "execution_count": None, "metadata": {"tags": ["colab-setup"]},
            "outputs": [], "source": source}


def _slide_type(cell) -> str:
    tags = set(_tags(cell))
    if tags & set(GENERATED):
        return "skip"
    if cell["cell_type"] == "markdown" and re.match(r"^\s*#{1,2}\s", _source(cell)):
        return "slide"
    current = cell.get("metadata", {}).get("slideshow", {}).get("slide_type")
    return current if current in ("subslide", "fragment", "notes") else "-"


def render(nb: dict, paths: list[Path], titles: dict[str, str], i: int) -> dict:
    name = paths[i].name
    cells = [c for c in nb["cells"] if not set(_tags(c)) & set(GENERATED)]
    old = {t: next((c for c in nb["cells"] if t in _tags(c)), None) for t in GENERATED}
    badge = (f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
             f"({colab_url(name)})")
    links = nav_links(paths, titles, i)
    top = _markdown(f"{badge} &nbsp; {links}", "nav-top")
    bottom = _markdown(links, "nav-bottom")
    setup = colab_cell(name)
    if old["colab-setup"] is not None and _source(old["colab-setup"]) == setup["source"]:
        setup = old["colab-setup"]  # keep its execution count and outputs
    title_at = next((k for k, c in enumerate(cells) if c["cell_type"] == "markdown"), -1)
    cells = [top] + cells[:title_at + 1] + [setup] + cells[title_at + 1:] + [bottom]
    for cell in cells:
        cell.setdefault("metadata", {})["slideshow"] = {"slide_type": _slide_type(cell)}
    out = dict(nb)
    out["cells"] = cells
    return out


def _normalise(nb: dict) -> dict:
    """A copy with every cell's source as one string and no cell ids, for comparison."""
    nb = json.loads(json.dumps(nb))
    for c in nb["cells"]:
        c["source"] = _source(c)
        c.pop("id", None)
    return nb


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report notebooks that are out of date")
    args = parser.parse_args(argv)
    paths = notebook_paths()
    books = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in paths}
    titles = {name: title_of(nb, NOTEBOOKS / name) for name, nb in books.items()}
    stale = []
    for i, path in enumerate(paths):
        nb = books[path.name]
        new = render(nb, paths, titles, i)
        if _normalise(new) != _normalise(nb):
            stale.append(path.name)
            if not args.check:
                write_notebook(path, new)
    if args.check:
        for name in stale:
            print(f"out of date: notebooks/{name} (run python tools/make_nav.py)")
        return 1 if stale else 0
    for name in stale:
        print(f"updated notebooks/{name}")
    return 0


def write_notebook(path: Path, nb: dict) -> None:
    """Write as Jupyter does (nbformat: sorted keys, indent 1), so re-saving changes nothing."""
    import nbformat

    _assign_ids(nb)
    node = nbformat.from_dict(nb)
    path.write_text(nbformat.writes(node), encoding="utf-8")


def _assign_ids(nb: dict) -> None:
    """nbformat 4.5 wants a unique id per cell: keep existing ones, derive new ones from the tag."""
    if nb.get("nbformat", 4) == 4 and nb.get("nbformat_minor", 0) >= 5:
        used = {c.get("id") for c in nb["cells"] if c.get("id")}
        for c in nb["cells"]:
            if not c.get("id"):
                base = (_tags(c) or ["cell"])[0]
                k, cid = 0, base
                while cid in used:
                    k += 1
                    cid = f"{base}-{k}"
                c["id"] = cid
                used.add(cid)


if __name__ == "__main__":
    sys.exit(main())
