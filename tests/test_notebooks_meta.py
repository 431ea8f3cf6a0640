"""The notebooks as files: generated parts current, Colab cell inert, outputs committed and clean."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import make_nav  # noqa: E402

NOTEBOOKS = make_nav.notebook_paths()
IDS = [p.name for p in NOTEBOOKS]


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def src(cell) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def test_there_are_notebooks():
    assert NOTEBOOKS and NOTEBOOKS[0].name == "00_start_here.ipynb"


def test_navigation_colab_and_slides_are_current():
    """tools/make_nav.py --check: nothing would change (navigation is generated, never typed)."""
    assert make_nav.main(["--check"]) == 0


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_navigation_links_point_to_neighbours(path):
    cells = load(path)["cells"]
    top = next(c for c in cells if "nav-top" in c["metadata"].get("tags", []))
    bottom = next(c for c in cells if "nav-bottom" in c["metadata"].get("tags", []))
    i = NOTEBOOKS.index(path)
    for cell in (top, bottom):
        links = re.findall(r"\]\(([^)]+\.ipynb)[^)]*\)", src(cell))
        if i > 0:
            assert NOTEBOOKS[i - 1].name in links
        if i + 1 < len(NOTEBOOKS):
            assert NOTEBOOKS[i + 1].name in links
        for link in links:
            if "://" not in link:
                assert (path.parent / link).exists(), link
    assert make_nav.badges(path.name) in src(top)  # Colab + Binder, or "not published yet"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_colab_setup_cell_does_nothing_outside_colab(path, tmp_path, monkeypatch):
    cell = next(c for c in load(path)["cells"] if "colab-setup" in c["metadata"].get("tags", []))
    assert make_nav.repo_url() in src(cell)
    assert "google.colab" not in sys.modules
    calls = []
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: calls.append(a))
    monkeypatch.chdir(tmp_path)
    exec(compile(src(cell), "colab-setup", "exec"), {})
    assert calls == [] and Path.cwd() == tmp_path and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_structure_title_summary_exercises(path):
    cells = load(path)["cells"]
    md = "\n".join(src(c) for c in cells if c["cell_type"] == "markdown")
    assert re.search(r"^# \d\d · ", md, flags=re.M), "title '# NN · ...'"
    assert re.search(r"^## Summary", md, flags=re.M)
    assert re.search(r"^## Exercises", md, flags=re.M)
    assert "\\newcommand" not in md and "\\def\\" not in md, "no custom macros (GitHub/Colab lack them)"
    for c in cells:
        assert "slideshow" in c["metadata"], "slide metadata from make_nav"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_outputs_committed_deterministic_and_clean(path):
    for c in load(path)["cells"]:
        if c["cell_type"] != "code":
            continue
        s = src(c)
        assert c["execution_count"] is not None, f"cell not executed: {s[:60]!r}"
        for out in c["outputs"]:
            assert out["output_type"] != "error", f"error output in {s[:60]!r}"
            text = json.dumps(out.get("data", {}).get("text/plain", "")) + json.dumps(out.get("text", ""))
            assert not re.search(r" at 0x[0-9a-f]{6,}", text), f"memory address in output of {s[:60]!r}"
        if s.startswith("# NBVAL_IGNORE_OUTPUT"):
            lines = s.splitlines()
            widget = re.search(r"explorer|Explorer|interact|display\(", s)
            assert widget or (len(lines) > 1 and lines[1].startswith("#")), (
                f"an ignored output needs a comment saying why: {s[:80]!r}"
            )


def test_import_has_no_side_effects():
    """Importing the package leaves matplotlib's settings and numpy's global random state alone."""
    code = (
        "import numpy as np, matplotlib as mpl; np.random.seed(5); a = np.random.get_state()[1].copy();"
        "before = dict(mpl.rcParams);"
        "import w2v_helpers, w2v_helpers.checks, w2v_helpers.answer_sheet, w2v_helpers.widgets, w2v_helpers.plots;"
        "import w2v_helpers.style;"
        "assert (np.random.get_state()[1] == a).all(); assert dict(mpl.rcParams) == before; print('ok')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "ok", out.stderr
