"""The notebooks and widgets in a Colab-like environment: only what Colab preinstalls.

Google Colab has numpy, matplotlib and ipywidgets, the inline matplotlib backend, and no
ipympl or custom widget manager. This builds a fresh virtual environment in a temp folder
with only ``numpy matplotlib ipywidgets ipykernel nbclient nbformat`` (pillow comes with
matplotlib) and the package installed from a copy of the repository with
``pip install --no-deps`` (as the notebooks' Colab set-up cell does, minus dependencies),
then, in that environment:

(a) runs each notebook's guarded Colab set-up cell and checks it does nothing there, and
    that it would clone, install and chdir if ``google.colab`` were loaded;
(b) runs notebooks 00-05 top to bottom with nbclient (cwd = notebooks/; 06 needs gensim)
    in a kernel of that environment, without errors and without the repository on sys.path;
(c) imports every module of w2v_helpers.widgets, builds every explorer of each ``EXPLORERS``,
    moves each control once with ``explorer.render(**{name: value})`` and checks PNG bytes
    come back and change.

Only with ``W2V_COLAB_ENV=1`` (it installs from PyPI, about a minute); skipped otherwise.
``W2V_COLAB_PINS`` may pin versions, e.g. ``"numpy==2.0.2 matplotlib==3.10.0"``.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
COLAB_PACKAGES = ["numpy", "matplotlib", "ipywidgets", "ipykernel", "nbclient", "nbformat"]
# what a package install needs from the repository (no tests, notebooks or data)
PACKAGE_FILES = ["pyproject.toml", "README.md", "LICENSE", "w2v_helpers"]

pytestmark = pytest.mark.skipif(
    os.environ.get("W2V_COLAB_ENV") != "1",
    reason="W2V_COLAB_ENV=1 not set: this builds a fresh venv from PyPI (about a minute)")

ALL_NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
RUN_NOTEBOOKS = [p for p in ALL_NOTEBOOKS if p.name[:2] in ("00", "01", "02", "03", "04", "05")]
WIDGET_MODULES = sorted(p.stem for p in (ROOT / "w2v_helpers" / "widgets").glob("*.py")
                        if not p.name.startswith("_"))


def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _env(base: Path) -> dict:
    """An environment that sees nothing of the host's Jupyter/IPython/matplotlib set-up."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("JUPYTER", "IPYTHON", "MPL", "PYTHON", "VIRTUAL_ENV"))}
    for name in ("jupyter-config", "jupyter-data", "jupyter-runtime", "ipython", "mpl"):
        (base / name).mkdir(parents=True, exist_ok=True)
    env.update(JUPYTER_CONFIG_DIR=str(base / "jupyter-config"), JUPYTER_DATA_DIR=str(base / "jupyter-data"),
               JUPYTER_RUNTIME_DIR=str(base / "jupyter-runtime"), IPYTHONDIR=str(base / "ipython"),
               MPLCONFIGDIR=str(base / "mpl"), JUPYTER_PLATFORM_DIRS="1", PYTHONNOUSERSITE="1",
               PIP_DISABLE_PIP_VERSION_CHECK="1")
    return env


class ColabEnv:
    def __init__(self, base: Path):
        self.base = base
        self.venv = base / "venv"
        self.python = self.venv / "bin" / "python"
        self.env = _env(base)

    def run(self, args, timeout=600, **kw):
        return subprocess.run(args, capture_output=True, text=True, env=self.env, timeout=timeout, **kw)

    def python_json(self, code: str, *args: str, cwd: Path | None = None, timeout=600) -> dict:
        """Run code in the venv's python; its last stdout line is JSON."""
        script = self.base / f"script_{abs(hash(code))}.py"
        script.write_text(textwrap.dedent(code), encoding="utf-8")
        proc = self.run([str(self.python), str(script), *args], cwd=str(cwd or self.base), timeout=timeout)
        assert proc.returncode == 0, f"exit {proc.returncode}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
        return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def colab(tmp_path_factory) -> ColabEnv:
    base = tmp_path_factory.mktemp("colab-env")
    env = ColabEnv(base)
    start = time.perf_counter()
    proc = env.run([sys.executable, "-m", "venv", str(env.venv)])
    assert proc.returncode == 0, proc.stderr
    pins = os.environ.get("W2V_COLAB_PINS", "").split()
    pinned = {re.split(r"[=<>!~ ]", p, maxsplit=1)[0].lower() for p in pins}
    packages = [p for p in COLAB_PACKAGES if p not in pinned] + pins
    proc = env.run([str(env.python), "-m", "pip", "install", "-q", *packages])
    assert proc.returncode == 0, f"pip install {' '.join(packages)} failed:\n{proc.stdout}\n{proc.stderr}"
    # a copy, so building the package writes nothing into the checkout
    src = base / "repo"
    src.mkdir()
    for name in PACKAGE_FILES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        elif path.is_file():
            shutil.copy2(path, src / name)
    proc = env.run([str(env.python), "-m", "pip", "install", "-q", "--no-deps", str(src)])
    assert proc.returncode == 0, f"pip install --no-deps <repo> failed:\n{proc.stdout}\n{proc.stderr}"
    freeze = env.run([str(env.python), "-m", "pip", "freeze"]).stdout
    print(f"\nColab-like venv in {time.perf_counter() - start:.1f} s:\n{freeze}")
    return env


def test_the_environment_is_colab_like(colab):
    info = colab.python_json("""
        import importlib.util, json, sys
        names = ["numpy", "matplotlib", "ipywidgets", "PIL", "w2v_helpers", "ipympl", "google.colab",
                 "scipy", "gensim", "jupyterlab", "pytest"]
        found = {}
        for n in names:
            try:
                found[n] = importlib.util.find_spec(n) is not None
            except ModuleNotFoundError:
                found[n] = False
        import w2v_helpers
        print(json.dumps({"found": found, "prefix": sys.prefix, "pkg": w2v_helpers.__file__}))
    """, cwd=NOTEBOOK_DIR)
    found = info["found"]
    assert all(found[n] for n in ("numpy", "matplotlib", "ipywidgets", "PIL", "w2v_helpers")), found
    assert not any(found[n] for n in ("ipympl", "google.colab", "scipy", "gensim", "jupyterlab", "pytest")), found
    # the installed package, not the checkout
    assert info["pkg"].startswith(info["prefix"]), info


# ----------------------------------------------------------------------------------------------
# (a) the Colab set-up cell
# ----------------------------------------------------------------------------------------------
_SETUP_CELL_CHECK = r"""
import json, os, subprocess, sys, types

source = open(sys.argv[1], encoding="utf-8").read()
calls = []
real = {"run": subprocess.run, "chdir": os.chdir, "isdir": os.path.isdir}

def patch():
    subprocess.run = lambda *a, **k: calls.append(["run", list(a[0]) if a else k.get("args")])
    os.chdir = lambda p: calls.append(["chdir", str(p)])

def unpatch():
    subprocess.run, os.chdir, os.path.isdir = real["run"], real["chdir"], real["isdir"]

# 1. here, as it is: nothing at all may happen
cwd, modules = os.getcwd(), set(sys.modules)
patch()
try:
    exec(compile(source, "colab-setup", "exec"), {"__name__": "__main__"})
finally:
    unpatch()
inert = {"calls": calls[:], "google_colab": "google.colab" in sys.modules, "cwd_same": os.getcwd() == cwd,
         "new_modules": sorted(m for m in set(sys.modules) - modules if not m.startswith("_"))}

# 2. control: pretend to be on Colab, with no clone yet; record what it would do
calls.clear()
google = types.ModuleType("google"); colab_mod = types.ModuleType("google.colab")
sys.modules["google"], sys.modules["google.colab"] = google, colab_mod
os.path.isdir = lambda p: False if str(p).startswith("/content") else real["isdir"](p)
patch()
try:
    exec(compile(source, "colab-setup", "exec"), {"__name__": "__main__"})
finally:
    unpatch()
print(json.dumps({"inert": inert, "on_colab": calls}))
"""


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=[p.name for p in ALL_NOTEBOOKS])
def test_colab_setup_cell_does_nothing_here(colab, path, tmp_path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if "colab-setup" in c.get("metadata", {}).get("tags", [])]
    assert len(cells) == 1, f"{path.name}: expected one colab-setup cell (run python tools/make_nav.py)"
    cell_file = tmp_path / "cell.py"
    cell_file.write_text(_source(cells[0]), encoding="utf-8")
    result = colab.python_json(_SETUP_CELL_CHECK, str(cell_file), cwd=NOTEBOOK_DIR)
    inert = result["inert"]
    assert inert["calls"] == [] and inert["cwd_same"] and not inert["google_colab"], inert
    # it imports sys and nothing else
    assert inert["new_modules"] == [], inert
    # ... but on Colab it would clone, pip install and move into notebooks/
    kinds = [c[0] for c in result["on_colab"]]
    assert kinds == ["run", "run", "chdir"], result["on_colab"]
    assert result["on_colab"][0][1][:2] == ["git", "clone"]
    assert "pip" in result["on_colab"][1][1] and "install" in result["on_colab"][1][1]
    assert result["on_colab"][2][1].endswith("/notebooks")


# ----------------------------------------------------------------------------------------------
# (b) the notebooks, top to bottom, in a kernel of the Colab-like venv
# ----------------------------------------------------------------------------------------------
_PROBE_CELL = """
import json as _json, sys as _sys, os as _os, importlib.util as _u, matplotlib as _mpl, w2v_helpers as _w
print("W2V_PROBE " + _json.dumps({"prefix": _sys.prefix, "cwd": _os.getcwd(), "backend": _mpl.get_backend(),
      "pkg": _w.__file__, "ipympl": _u.find_spec("ipympl") is not None, "colab": "google.colab" in _sys.modules}))
"""

_RUN_NOTEBOOK = r"""
import json, re, sys, time
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

path, workdir, probe = sys.argv[1], sys.argv[2], sys.argv[3]
nb = nbformat.read(path, as_version=4)
nb.cells.append(nbformat.v4.new_code_cell(open(probe, encoding="utf-8").read()))
start = time.perf_counter()
error = None
try:
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": workdir}}).execute()
except CellExecutionError as exc:
    error = re.sub(r"\x1b\[[0-9;]*m", "", str(exc))[-4000:]  # without the terminal colours
elapsed = time.perf_counter() - start
probe_out, stderr = None, []
for cell in nb.cells:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            for line in out.get("text", "").splitlines():
                if line.startswith("W2V_PROBE "):
                    probe_out = json.loads(line[len("W2V_PROBE "):])
            if out.get("name") == "stderr":
                stderr.append(out.get("text", "")[:500])
print(json.dumps({"error": error, "seconds": elapsed, "probe": probe_out, "stderr": stderr}))
"""


@pytest.mark.parametrize("path", RUN_NOTEBOOKS, ids=[p.name for p in RUN_NOTEBOOKS])
def test_notebook_runs_in_colab_like_env(colab, path, tmp_path):
    text = path.read_text(encoding="utf-8")
    assert "%matplotlib widget" not in text and "%matplotlib ipympl" not in text, "ipympl is not on Colab"
    probe = tmp_path / "probe.py"
    probe.write_text(_PROBE_CELL, encoding="utf-8")
    # a copy of the notebook in a temp folder, run with cwd = notebooks/ (the committed file is untouched)
    copy = tmp_path / path.name
    shutil.copy2(path, copy)
    result = colab.python_json(_RUN_NOTEBOOK, str(copy), str(NOTEBOOK_DIR), str(probe), timeout=900)
    print(f"{path.name}: {result['seconds']:.1f} s in the Colab-like kernel")
    for s in result["stderr"]:
        print(f"  stderr: {s.strip()[:300]}")
    assert result["error"] is None, f"{path.name} failed in the Colab-like environment:\n{result['error']}"
    p = result["probe"]
    assert p is not None, "the probe cell did not run"
    assert Path(p["prefix"]) == colab.venv, p  # the kernel is the Colab-like venv's python
    assert Path(p["cwd"]) == NOTEBOOK_DIR, p
    assert p["pkg"].startswith(p["prefix"]), p  # the installed package, not the checkout
    assert "inline" in p["backend"].lower(), p
    assert not p["ipympl"] and not p["colab"], p


# ----------------------------------------------------------------------------------------------
# (c) every widget module and explorer, every control moved once
# ----------------------------------------------------------------------------------------------
_DRIVE_WIDGETS = r"""
import contextlib, importlib, io, json, pkgutil, traceback
import w2v_helpers.widgets as pkg

PNG = b"\x89PNG\r\n\x1a\n"
SKIP, NO_FIGURE = "w2v-browser-skip", "w2v-browser-no-figure"


def other_value(control):
    value = control.value
    options = getattr(control, "options", None)
    if options:
        values = [o[1] if isinstance(o, tuple) else o for o in options]
        for v in values:
            if v != value:
                return v
        return None
    if isinstance(value, bool):
        return not value
    if isinstance(value, (int, float)) and hasattr(control, "min") and hasattr(control, "max"):
        lo, hi = control.min, control.max
        step = getattr(control, "step", None) or (1 if isinstance(value, int) else (hi - lo) / 100)
        for frac in (0.25, 0.75, 0.0, 1.0):
            v = lo + round(frac * (hi - lo) / step) * step
            v = type(value)(min(max(v, lo), hi))
            if v != value:
                return v
        return None
    if isinstance(value, (int, float)):
        return value + 1
    return None


report = {"modules": [], "explorers": []}
for info in pkgutil.iter_modules(pkg.__path__):
    if info.name.startswith("_"):
        continue
    report["modules"].append(info.name)
    module = importlib.import_module(f"w2v_helpers.widgets.{info.name}")
    for name, factory in getattr(module, "EXPLORERS", {}).items():
        entry = {"module": info.name, "name": name, "controls": [], "error": None}
        report["explorers"].append(entry)
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                explorer = factory()
            before = explorer.render()
            entry["first_png"] = before.startswith(PNG)
            for cname, control in explorer.controls.items():
                classes = list(getattr(control, "_dom_classes", ()))
                c = {"control": cname, "type": type(control).__name__, "skip": SKIP in classes,
                     "no_figure": NO_FIGURE in classes}
                entry["controls"].append(c)
                if c["skip"]:
                    continue
                value = other_value(control)
                c["from"], c["to"] = repr(control.value), repr(value)
                if value is None:
                    c["error"] = "no other value to move to"
                    continue
                base = explorer.render()
                after = explorer.render(**{cname: value})
                c["png"] = after.startswith(PNG) and base.startswith(PNG)
                c["changed"] = after != base
                c["bytes"] = len(after)
        except Exception:
            entry["error"] = traceback.format_exc()[-3000:]
print(json.dumps(report))
"""


@pytest.fixture(scope="module")
def widget_report(colab) -> dict:
    start = time.perf_counter()
    report = colab.python_json(_DRIVE_WIDGETS, cwd=colab.base)
    print(f"\nwidgets driven in the Colab-like venv in {time.perf_counter() - start:.1f} s")
    return report


def test_every_widget_module_is_installed(widget_report):
    assert sorted(widget_report["modules"]) == WIDGET_MODULES


@pytest.mark.parametrize("module", WIDGET_MODULES)
def test_widgets_render_and_respond(widget_report, module):
    explorers = [e for e in widget_report["explorers"] if e["module"] == module]
    for e in explorers:
        label = f"{module}.{e['name']}"
        assert e["error"] is None, f"{label}:\n{e['error']}"
        assert e["first_png"], f"{label}: render() did not return a PNG"
        assert e["controls"], f"{label} has no controls"
        for c in e["controls"]:
            if c["skip"]:
                continue
            where = f"{label}: control {c['control']} ({c['type']}) {c.get('from')} -> {c.get('to')}"
            assert c.get("error") is None, f"{where}: {c.get('error')}"
            assert c["png"], f"{where}: no PNG"
            if not c["no_figure"]:
                assert c["changed"], f"{where}: the figure did not change"
