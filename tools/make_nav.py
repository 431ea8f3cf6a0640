#!/usr/bin/env python
"""Write the generated parts of every notebook in notebooks/: navigation, Colab, Binder, slides.

For each ``notebooks/NN_*.ipynb`` (in order) this script owns:

* a top markdown cell (tag ``nav-top``): the "Open in Colab" and "launch binder" badges and
  ``< previous | contents | next >`` links;
* a code cell right after the title (tag ``colab-setup``): on Google Colab it fetches the
  pinned release of the repository and installs the package -- for notebook 06 also the
  trainer's extra dependencies (gensim) -- with every package Colab already has pinned to its
  installed version (its ``pip freeze`` as a constraints file): nothing preinstalled is
  upgraded, downgraded or removed, so Colab has no reason to ask for a restart. Anywhere else
  it does nothing;
* a bottom markdown cell (tag ``nav-bottom``) with the same links;
* slide metadata: a new slide at every ``#``/``##`` heading, the generated cells
  skipped, the rest continuing the current slide (``jupyter nbconvert --to slides``).

What the badges and the set-up cell point to comes from one place, pyproject.toml:
``[project.urls] Repository`` (the GitHub address) and ``[tool.w2v] release`` (the tag or
commit they open and install). While the address is ``PLACEHOLDER_REPOSITORY`` or no release
is set, nothing is published: the badges are replaced by a sentence saying so, and on Colab the
set-up cell stops with a clear message instead of cloning an address nobody here owns.
Run it after adding, renaming or retitling a notebook, or after changing the release::

    python tools/make_nav.py          # rewrite
    python tools/make_nav.py --check  # exit 1 if any notebook is out of date (used by the tests)
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
GENERATED = ("nav-top", "colab-setup", "nav-bottom")
CONTENTS = "00_start_here.ipynb"
# notebooks whose Colab set-up also installs the trainer's extra dependencies (gensim, ...)
NEEDS_TRAIN_EXTRA = ("06_",)
# the address pyproject.toml was written with: nobody here owns it, so nothing may point at it
PLACEHOLDER_REPOSITORY = "https://github.com/w2v-gradients/w2v-gradients"
# where the set-up cell puts the repository on Colab
COLAB_DIR = "/content/w2v-gradients"
README_SECTION = "../README.md#colab-binder-and-jupyterlab"


@dataclass(frozen=True)
class Published:
    """Where the notebooks are published: a GitHub address and a release (tag or commit) of it."""

    repository: str
    release: str

    @property
    def is_placeholder(self) -> bool:
        return self.repository == PLACEHOLDER_REPOSITORY or not self.release

    @property
    def owner_name(self) -> str:
        m = re.fullmatch(r"https://github\.com/([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)", self.repository)
        if not m:
            raise ValueError(
                "[project.urls] Repository in pyproject.toml must be "
                f"https://github.com/OWNER/NAME, got {self.repository!r}"
            )
        return m.group(1)


def load_published(pyproject: Path | None = None) -> Published:
    """The repository address and release from pyproject.toml (the one place they are written)."""
    data = tomllib.loads((pyproject or ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    repository = data["project"]["urls"]["Repository"].rstrip("/")
    release = str(data.get("tool", {}).get("w2v", {}).get("release", "")).strip()
    if release and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._/-]*", release):
        raise ValueError(f"[tool.w2v] release in pyproject.toml must be a tag or a commit, got {release!r}")
    published = Published(repository, release)
    published.owner_name  # noqa: B018 - raises for an address that is not a GitHub repository
    return published


def repo_url() -> str:
    return load_published().repository


def colab_url(notebook: str, published: Published | None = None) -> str:
    p = published or load_published()
    return f"https://colab.research.google.com/github/{p.owner_name}/blob/{p.release}/notebooks/{notebook}"


def binder_url(notebook: str, published: Published | None = None) -> str:
    p = published or load_published()
    return f"https://mybinder.org/v2/gh/{p.owner_name}/{p.release}?labpath=notebooks%2F{notebook}"


def badges(notebook: str, published: Published | None = None) -> str:
    """The Colab and Binder badges; while nothing is published, a sentence saying so instead."""
    p = published or load_published()
    if p.is_placeholder:
        return f"*Colab and Binder: not published yet ([README]({README_SECTION}))*"
    return (
        f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
        f"({colab_url(notebook, p)}) "
        f"[![launch binder](https://mybinder.org/badge_logo.svg)]({binder_url(notebook, p)})"
    )


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


_SETUP_PUBLISHED = """\
# Set-up for Google Colab only; anywhere else (JupyterLab, VS Code, Voila, Binder) it does nothing.
# On Colab it fetches release {release} of the repository (notebooks, data, package) and installs
# w2v_helpers{what} with every package Colab already has pinned to the version it has:
# nothing preinstalled is upgraded, downgraded or removed, so no restart is needed.
import sys

if "google.colab" in sys.modules:
    import os, subprocess
    REPO, RELEASE, HERE = "{repository}", "{release}", "{colab_dir}"
    if not os.path.isdir(HERE):
        subprocess.run(["git", "clone", "-q", "--no-checkout", REPO, HERE], check=True)
        subprocess.run(["git", "-C", HERE, "checkout", "-q", RELEASE], check=True)
        freeze = subprocess.run([sys.executable, "-m", "pip", "freeze"], capture_output=True, text=True, check=True)
        with open(HERE + "/colab-preinstalled.txt", "w") as f:
            f.write("\\n".join(line for line in freeze.stdout.splitlines() if "==" in line) + "\\n")
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "-c", HERE + "/colab-preinstalled.txt",
                        HERE + "{extra}"], check=True)
    os.chdir(HERE + "/notebooks")"""

_SETUP_PLACEHOLDER = """\
# Set-up for Google Colab only; anywhere else (JupyterLab, VS Code, Voila, Binder) it does nothing.
# The notebooks are not published yet: the repository address in pyproject.toml,
# {repository}, is a placeholder, so on Colab this cell stops
# instead of installing from it (see the README, "Colab, Binder and JupyterLab").
import sys

if "google.colab" in sys.modules:
    raise RuntimeError("w2v-gradients is not published yet, so this cell cannot install it on Colab: "
                       "{repository} is a placeholder address. Run the notebooks on your "
                       "own machine instead: pip install -r requirements.txt && jupyter lab notebooks/")"""


def colab_cell(name: str, published: Published | None = None) -> dict:
    p = published or load_published()
    train = name.startswith(NEEDS_TRAIN_EXTRA)
    if p.is_placeholder:
        source = _SETUP_PLACEHOLDER.format(repository=p.repository)
    else:
        source = _SETUP_PUBLISHED.format(
            release=p.release,
            repository=p.repository,
            colab_dir=COLAB_DIR,
            extra="[train]" if train else "",
            what=" and what this notebook needs that Colab lacks (gensim)," if train else ",",
        )
    return {
        "cell_type": "code",
        "execution_count": None,
        "metadata": {"tags": ["colab-setup"]},
        "outputs": [],
        "source": source,
    }


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
    badge = badges(name)
    links = nav_links(paths, titles, i)
    top = _markdown(f"{badge} &nbsp; {links}", "nav-top")
    bottom = _markdown(links, "nav-bottom")
    setup = colab_cell(name)
    if old["colab-setup"] is not None and _source(old["colab-setup"]) == setup["source"]:
        setup = old["colab-setup"]  # keep its execution count and outputs
    title_at = next((k for k, c in enumerate(cells) if c["cell_type"] == "markdown"), -1)
    cells = [top] + cells[: title_at + 1] + [setup] + cells[title_at + 1 :] + [bottom]
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
