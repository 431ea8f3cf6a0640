"""The notebooks on Google Colab: the set-up cell tools/make_nav.py writes, and Colab's own versions.

Always (fast, no network):

* the committed set-up cell, while the repository address is the placeholder, stops on Colab
  with a clear message and runs nothing; the badges are replaced by a sentence;
* for a real-looking address, make_nav writes a cell and badges that fetch exactly the release
  in pyproject.toml (``[tool.w2v] release``) and install with Colab's ``pip freeze`` as
  constraints.

Only with ``W2V_COLAB_ENV=1`` (it builds a venv from PyPI, a few minutes):

(a) a venv with Colab's preinstalled versions, ``pip install -r tests/constraints/colab.txt``
    (ipywidgets 7.7.1, IPython 7.34.0, ipykernel 6.17.1, numpy 2.1.3, matplotlib 3.10.0, ...),
    on Python 3.13 if this machine has one (``$W2V_COLAB_PYTHON``, ``python3.13``, pyenv's),
    else on the running Python;
(b) the set-up cell as make_nav writes it for a published release, run in that venv with
    ``google.colab`` faked: its commands run exactly as written, except that the two ``git``
    commands are replaced by a copy of this checkout and ``/content/w2v-gradients`` by a temp
    folder. ``pip freeze`` before and after: nothing preinstalled changed; notebooks 00-05's
    cell adds only the package, notebook 06's adds the package and gensim;
(c) notebooks 00-06 run top to bottom with nbclient in a kernel of that venv;
(d) every explorer of every widget module is built there and each control moved: the figure
    (PNG bytes) changes.
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
import types
from pathlib import Path

import pytest
from isolated_env import colab_python, isolated_env

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
CONSTRAINTS = ROOT / "tests" / "constraints" / "colab.txt"
sys.path.insert(0, str(ROOT / "tools"))
import make_nav  # noqa: E402

# what the copy of the repository standing in for the clone holds (the notebooks read data/)
REPO_ENTRIES = ["pyproject.toml", "README.md", "LICENSE", "w2v_helpers", "notebooks", "data"]
ALL_NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
WIDGET_MODULES = sorted(p.stem for p in (ROOT / "w2v_helpers" / "widgets").glob("*.py") if not p.name.startswith("_"))
PUBLISHED = make_nav.Published("https://github.com/example-org/w2v-notebooks", "v9.8.7")
GATED = pytest.mark.skipif(
    os.environ.get("W2V_COLAB_ENV") != "1",
    reason="W2V_COLAB_ENV=1 not set: this builds a venv with Colab's versions from PyPI",
)


def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _setup_cell(path: Path) -> dict:
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if "colab-setup" in c.get("metadata", {}).get("tags", [])]
    assert len(cells) == 1, f"{path.name}: expected one colab-setup cell (run python tools/make_nav.py)"
    return cells[0]


def _pins(path: Path = CONSTRAINTS) -> dict[str, str]:
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            pins[_norm(name)] = version
    return pins


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


class _FakeColab:
    """Run a set-up cell in this process as if on Colab, recording instead of running commands."""

    def __init__(self, monkeypatch, tmp_path):
        self.calls: list[list[str]] = []
        google = types.ModuleType("google")
        google.colab = types.ModuleType("google.colab")
        monkeypatch.setitem(sys.modules, "google", google)
        monkeypatch.setitem(sys.modules, "google.colab", google.colab)

        def run(args, **kw):
            self.calls.append(list(args))
            return subprocess.CompletedProcess(args, 0, stdout="numpy==2.1.3\nfoo @ file:///x\n", stderr="")

        monkeypatch.setattr(subprocess, "run", run)
        monkeypatch.setattr(os, "chdir", lambda p: self.calls.append(["chdir", str(p)]))
        self.here = tmp_path / "content-w2v"

    def exec(self, source: str):
        source = source.replace(make_nav.COLAB_DIR, str(self.here))
        exec(compile(source, "colab-setup", "exec"), {"__name__": "__main__"})


# ----------------------------------------------------------------------------------------------
# The set-up cell and badges as make_nav writes them (always run)
# ----------------------------------------------------------------------------------------------
def test_the_repository_address_is_still_the_placeholder():
    """If this fails, the address was changed: push the release tag, then update these tests."""
    assert make_nav.load_published().is_placeholder


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=[p.name for p in ALL_NOTEBOOKS])
def test_placeholder_cell_stops_on_colab_with_a_clear_message(path, monkeypatch, tmp_path):
    fake = _FakeColab(monkeypatch, tmp_path)
    with pytest.raises(RuntimeError) as err:
        fake.exec(_source(_setup_cell(path)))
    message = str(err.value)
    assert "not published yet" in message and make_nav.PLACEHOLDER_REPOSITORY in message, message
    assert "pip install -r requirements.txt" in message, message
    assert fake.calls == [] and not fake.here.exists()  # nothing cloned, installed or entered


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=[p.name for p in ALL_NOTEBOOKS])
def test_placeholder_badges_point_nowhere(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    top = next(c for c in nb["cells"] if "nav-top" in c["metadata"].get("tags", []))
    text = _source(top)
    assert "colab.research.google.com/github" not in text and "mybinder.org/v2" not in text, text
    assert "not published" in text and make_nav.README_SECTION in text, text
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(r"^#+ Colab, Binder and JupyterLab$", readme, flags=re.M), "README section the badge links"


@pytest.mark.parametrize("release", ["v9.8.7", "0123456789abcdef0123456789abcdef01234567"])
@pytest.mark.parametrize("name", ["02_softmax_center_gradient.ipynb", "06_training_skipgram.ipynb"])
def test_published_cell_installs_the_pinned_release_under_colab_constraints(name, release, monkeypatch, tmp_path):
    published = make_nav.Published("https://github.com/example-org/w2v-notebooks", release)
    fake = _FakeColab(monkeypatch, tmp_path)
    monkeypatch.setattr(os.path, "isdir", lambda p: False)
    fake.here.mkdir()  # the clone is recorded, not run: make the folder it would create
    fake.exec(make_nav.colab_cell(name, published)["source"])
    here, py = str(fake.here), sys.executable
    extra = "[train]" if name.startswith("06") else ""
    assert fake.calls == [
        ["git", "clone", "-q", "--no-checkout", published.repository, here],
        ["git", "-C", here, "checkout", "-q", release],
        [py, "-m", "pip", "freeze"],
        [py, "-m", "pip", "install", "-q", "-c", here + "/colab-preinstalled.txt", here + extra],
        ["chdir", here + "/notebooks"],
    ]
    # the constraints are what pip freeze listed, direct references left out (pip refuses them)
    assert (fake.here / "colab-preinstalled.txt").read_text() == "numpy==2.1.3\n"


def test_published_cell_does_nothing_when_already_set_up(monkeypatch, tmp_path):
    fake = _FakeColab(monkeypatch, tmp_path)
    fake.here.mkdir()
    fake.exec(make_nav.colab_cell("01_sigmoid.ipynb", PUBLISHED)["source"])
    assert fake.calls == [["chdir", str(fake.here) + "/notebooks"]]


def test_published_badges_open_the_release():
    text = make_nav.badges("04_negative_sampling.ipynb", PUBLISHED)
    assert (
        "https://colab.research.google.com/github/example-org/w2v-notebooks/blob/v9.8.7/"
        "notebooks/04_negative_sampling.ipynb"
    ) in text
    assert (
        "https://mybinder.org/v2/gh/example-org/w2v-notebooks/v9.8.7?labpath=notebooks%2F04_negative_sampling.ipynb"
        in text
    )
    assert "/main/" not in text and "not published" not in text


@pytest.mark.parametrize(
    "toml, expect",
    [
        (
            '[project.urls]\nRepository = "https://github.com/a/b"\n[tool.w2v]\nrelease = "v1"\n',
            ("https://github.com/a/b", "v1", False),
        ),
        (
            '[project.urls]\nRepository = "https://github.com/a/b/"\n',
            ("https://github.com/a/b", "", True),
        ),  # no release
        (
            '[project.urls]\nRepository = "https://github.com/w2v-gradients/w2v-gradients"\n[tool.w2v]\nrelease = "v1"\n',
            ("https://github.com/w2v-gradients/w2v-gradients", "v1", True),
        ),
    ],
)
def test_load_published(tmp_path, toml, expect):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n" + toml)
    p = make_nav.load_published(tmp_path / "pyproject.toml")
    assert (p.repository, p.release, p.is_placeholder) == expect


@pytest.mark.parametrize(
    "toml, word",
    [
        ('[project.urls]\nRepository = "https://gitlab.com/a/b"\n[tool.w2v]\nrelease = "v1"\n', "Repository"),
        ('[project.urls]\nRepository = "https://github.com/a/b"\n[tool.w2v]\nrelease = "v1; rm -rf /"\n', "release"),
        ('[project.urls]\nRepository = "https://github.com/a/b\\"]); import os #"\n', "Repository"),
    ],
)
def test_load_published_rejects_what_would_break_the_cell(tmp_path, toml, word):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n" + toml)
    with pytest.raises(ValueError, match=word):
        make_nav.load_published(tmp_path / "pyproject.toml")


def test_colab_constraints_hold_the_versions_the_issue_names():
    pins = _pins()
    expected = {
        "ipywidgets": "7.7.1",
        "widgetsnbextension": "3.6.10",
        "jupyterlab-widgets": "3.0.16",
        "ipython": "7.34.0",
        "ipykernel": "6.17.1",
        "jupyter-client": "7.4.9",
        "traitlets": "5.7.1",
        "notebook": "6.5.7",
        "numpy": "2.1.3",
        "matplotlib": "3.10.0",
        "scipy": "1.16.3",
        "pillow": "11.3.0",
        "nbclient": "0.10.4",
        "nbformat": "5.11.1",
        "lark": "1.3.1",
        "sympy": "1.14.0",
    }
    assert {k: pins.get(k) for k in expected} == expected
    assert "gensim" not in pins  # Colab has none: notebook 06's cell installs it
    header = CONSTRAINTS.read_text(encoding="utf-8")
    assert "googlecolab/backend-info" in header and "pip-freeze.txt" in header and "2026-08-19" in header


# ----------------------------------------------------------------------------------------------
# (a) a venv with Colab's versions (W2V_COLAB_ENV=1)
# ----------------------------------------------------------------------------------------------


class ColabEnv:
    def __init__(self, base: Path):
        self.base = base
        self.venv = base / "venv"
        self.python = self.venv / "bin" / "python"
        self.env = isolated_env(base)

    def run(self, args, timeout=900, **kw):
        return subprocess.run(args, capture_output=True, text=True, env=self.env, timeout=timeout, **kw)

    def python_json(self, code: str, *args: str, cwd: Path | None = None, timeout=900) -> dict:
        """Run code in the venv's python; its last stdout line is JSON."""
        script = self.base / f"script_{abs(hash(code))}.py"
        script.write_text(textwrap.dedent(code), encoding="utf-8")
        proc = self.run([str(self.python), str(script), *args], cwd=str(cwd or self.base), timeout=timeout)
        assert proc.returncode == 0, f"exit {proc.returncode}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
        return json.loads(proc.stdout.strip().splitlines()[-1])

    def freeze(self) -> dict[str, str]:
        out = self.run([str(self.python), "-m", "pip", "freeze", "--all"]).stdout
        return {_norm(re.split(r"==| @ ", line, maxsplit=1)[0]): line for line in out.splitlines() if line.strip()}


def build_colab_venv(base: Path) -> ColabEnv:
    env = ColabEnv(base)
    proc = env.run([colab_python(), "-m", "venv", str(env.venv)])
    assert proc.returncode == 0, proc.stderr
    proc = env.run([str(env.python), "-m", "pip", "install", "-q", "-r", str(CONSTRAINTS)])
    assert proc.returncode == 0, f"pip install -r {CONSTRAINTS} failed:\n{proc.stdout}\n{proc.stderr}"
    return env


@pytest.fixture(scope="module")
def colab(tmp_path_factory) -> ColabEnv:
    if os.environ.get("W2V_COLAB_ENV") != "1":
        pytest.skip("W2V_COLAB_ENV=1 not set: this builds a venv with Colab's versions from PyPI")
    start = time.perf_counter()
    env = build_colab_venv(tmp_path_factory.mktemp("colab-env"))
    print(f"\nvenv with Colab's versions in {time.perf_counter() - start:.1f} s")
    return env


@GATED
def test_the_venv_holds_colabs_versions(colab):
    freeze = colab.freeze()
    pins = _pins()
    versions = {k: freeze[k].split("==")[1] for k in pins if k in freeze and "==" in freeze[k]}
    assert versions == pins, {k: (versions.get(k), v) for k, v in pins.items() if versions.get(k) != v}
    info = colab.python_json("""
        import importlib.util, json, sys
        print(json.dumps({"found": {n: importlib.util.find_spec(n) is not None
                                    for n in ("w2v_helpers", "gensim", "ipympl", "jupyterlab", "google")},
                          "python": list(sys.version_info[:2])}))
    """)
    assert not any(info["found"].values()), info  # nothing of ours yet, no gensim, no ipympl
    print(f"Python {info['python']} (Colab: 3.13)")


# ----------------------------------------------------------------------------------------------
# (b) the set-up cell's own commands, with Colab's versions
# ----------------------------------------------------------------------------------------------
_RUN_SETUP_CELL = r"""
import importlib.metadata as md, json, os, shutil, subprocess, sys, types

cell, here, repo_copy = open(sys.argv[1], encoding="utf-8").read(), sys.argv[2], sys.argv[3]
# what a Colab kernel has imported before the first cell runs
import numpy, matplotlib, ipywidgets, IPython
before = {m: md.version(m) for m in ("numpy", "matplotlib", "ipywidgets", "ipython")}
google = types.ModuleType("google"); google.colab = types.ModuleType("google.colab")
sys.modules["google"], sys.modules["google.colab"] = google, google.colab
real_run, commands = subprocess.run, []

def run(args, *a, **kw):
    commands.append(list(args))
    if args[0] == "git":  # stand-ins for the clone: a copy of this checkout at the release
        if args[1] == "clone":
            shutil.copytree(repo_copy, args[-1])
        return subprocess.CompletedProcess(args, 0)
    return real_run(args, *a, **kw)

subprocess.run = run
exec(compile(cell.replace("/content/w2v-gradients", here), "colab-setup", "exec"), {"__name__": "__main__"})
subprocess.run = real_run
after = {m: md.version(m) for m in before}
print(json.dumps({"commands": commands, "cwd": os.getcwd(), "imported_before": before, "imported_after": after}))
"""


@pytest.fixture(scope="module")
def repo_copy(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("repo") / "w2v-gradients"
    dest.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", ".ipynb_checkpoints", "build")
    for name in REPO_ENTRIES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, dest / name, ignore=ignore)
        elif path.is_file():
            shutil.copy2(path, dest / name)
    return dest


def _run_setup_cell(colab: ColabEnv, repo_copy: Path, notebook: str, tmp_path: Path) -> tuple[dict, dict, dict]:
    cell = tmp_path / "cell.py"
    cell.write_text(make_nav.colab_cell(notebook, PUBLISHED)["source"], encoding="utf-8")
    before = colab.freeze()
    result = colab.python_json(_RUN_SETUP_CELL, str(cell), str(tmp_path / "content"), str(repo_copy))
    return before, colab.freeze(), result


@pytest.fixture(scope="module")
def setup_runs(colab, repo_copy, tmp_path_factory) -> dict:
    """The cell of notebook 02 (package only), then of notebook 06 (package + gensim)."""
    runs = {}
    for nb in ("02_softmax_center_gradient.ipynb", "06_training_skipgram.ipynb"):
        start = time.perf_counter()
        runs[nb[:2]] = _run_setup_cell(colab, repo_copy, nb, tmp_path_factory.mktemp(f"setup-{nb[:2]}"))
        print(f"\nset-up cell of {nb} in {time.perf_counter() - start:.1f} s")
    return runs


def _diff(before: dict, after: dict) -> tuple[set, set, set]:
    added = set(after) - set(before)
    removed = set(before) - set(after)
    changed = {k for k in set(before) & set(after) if before[k] != after[k]}
    return added, removed, changed


@GATED
@pytest.mark.parametrize("nb, new", [("02", {"w2v-helpers"}), ("06", {"gensim"})])
def test_setup_cell_changes_nothing_colab_has(setup_runs, nb, new):
    before, after, result = setup_runs[nb]
    added, removed, changed = _diff(before, after)
    # 02 runs first on a fresh venv; 06 then finds the package already there (reinstalled, same version)
    assert removed == set() and changed - {"w2v-helpers"} == set(), (
        removed,
        {k: (before[k], after[k]) for k in changed},
    )
    assert added == new, added
    assert after["w2v-helpers"].startswith("w2v-helpers @ file://"), after["w2v-helpers"]
    assert result["imported_after"] == result["imported_before"], result  # what the kernel imported is as it was
    kinds = [c[:2] if c[0] == "git" else c[1:4] for c in result["commands"]]
    assert kinds == [["git", "clone"], ["git", "-C"], ["-m", "pip", "freeze"], ["-m", "pip", "install"]], result[
        "commands"
    ]
    assert result["commands"][1][-1] == PUBLISHED.release
    assert result["cwd"].endswith("/notebooks"), result


@GATED
def test_setup_cell_refuses_rather_than_upgrades(colab, repo_copy, tmp_path):
    """Control: a dependency Colab cannot satisfy makes the cell fail, and changes nothing."""
    bad = tmp_path / "bad-repo"
    shutil.copytree(repo_copy, bad, ignore=shutil.ignore_patterns("notebooks", "data"))
    (bad / "notebooks").mkdir()
    pyproject = bad / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    assert '"ipywidgets>=7.7"' in text
    pyproject.write_text(text.replace('"ipywidgets>=7.7"', '"ipywidgets>=8"'), encoding="utf-8")
    cell = tmp_path / "cell.py"
    cell.write_text(make_nav.colab_cell("01_sigmoid.ipynb", PUBLISHED)["source"], encoding="utf-8")
    before = colab.freeze()
    script = tmp_path / "run.py"
    script.write_text(_RUN_SETUP_CELL, encoding="utf-8")
    proc = colab.run([str(colab.python), str(script), str(cell), str(tmp_path / "content"), str(bad)])
    assert proc.returncode != 0 and "ipywidgets" in proc.stdout + proc.stderr, proc.stdout + proc.stderr
    after = colab.freeze()
    assert {k: v for k, v in after.items() if k != "w2v-helpers"} == {
        k: v for k, v in before.items() if k != "w2v-helpers"
    }


# ----------------------------------------------------------------------------------------------
# (c) the notebooks, top to bottom, in a kernel of that venv
# ----------------------------------------------------------------------------------------------
_PROBE_CELL = """
import json as _json, sys as _sys, os as _os, importlib.util as _u, matplotlib as _mpl, w2v_helpers as _w
import ipywidgets as _ipw, IPython as _ip
print("W2V_PROBE " + _json.dumps({"prefix": _sys.prefix, "cwd": _os.getcwd(), "backend": _mpl.get_backend(),
      "pkg": _w.__file__, "ipympl": _u.find_spec("ipympl") is not None, "colab": "google.colab" in _sys.modules,
      "ipywidgets": _ipw.__version__, "ipython": _ip.__version__}))
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
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": workdir}}).execute()
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
        if out.get("output_type") == "error":
            error = error or f"{out.get('ename')}: {out.get('evalue')}"
print(json.dumps({"error": error, "seconds": elapsed, "probe": probe_out, "stderr": stderr}))
"""


@GATED
@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=[p.name for p in ALL_NOTEBOOKS])
def test_notebook_runs_with_colabs_versions(colab, setup_runs, repo_copy, path, tmp_path):
    text = path.read_text(encoding="utf-8")
    assert "%matplotlib widget" not in text and "%matplotlib ipympl" not in text, "ipympl is not on Colab"
    probe = tmp_path / "probe.py"
    probe.write_text(_PROBE_CELL, encoding="utf-8")
    copy = tmp_path / path.name  # the committed file is untouched
    shutil.copy2(path, copy)
    workdir = repo_copy / "notebooks"  # as on Colab: cwd is the clone's notebooks/
    result = colab.python_json(_RUN_NOTEBOOK, str(copy), str(workdir), str(probe), timeout=1200)
    print(f"{path.name}: {result['seconds']:.1f} s in a kernel with Colab's versions")
    for s in result["stderr"]:
        print(f"  stderr: {s.strip()[:300]}")
    assert result["error"] is None, f"{path.name} failed with Colab's versions:\n{result['error']}"
    p = result["probe"]
    assert p is not None, "the probe cell did not run"
    assert Path(p["prefix"]) == colab.venv, p  # the kernel is the venv's python
    assert p["pkg"].startswith(p["prefix"]), p  # the installed package, not the checkout
    assert "inline" in p["backend"].lower(), p
    assert not p["ipympl"] and not p["colab"], p
    assert (p["ipywidgets"], p["ipython"]) == (_pins()["ipywidgets"], _pins()["ipython"]), p


# ----------------------------------------------------------------------------------------------
# (d) every widget module and explorer, every control moved
# ----------------------------------------------------------------------------------------------
_DRIVE_WIDGETS = r"""
import contextlib, importlib, io, json, pkgutil, traceback
import w2v_helpers.widgets as pkg

PNG = b"\x89PNG\r\n\x1a\n"
SKIP, NO_FIGURE = "w2v-browser-skip", "w2v-browser-no-figure"


def other_values(control):
    value = control.value
    options = getattr(control, "options", None)
    if options:
        values = [o[1] if isinstance(o, tuple) else o for o in options]
        return [v for v in values if v != value]
    if isinstance(value, bool):
        return [not value]
    if isinstance(value, (int, float)) and hasattr(control, "min") and hasattr(control, "max"):
        lo, hi = control.min, control.max
        step = getattr(control, "step", None) or (1 if isinstance(value, int) else (hi - lo) / 100)
        out = []
        for frac in (0.0, 0.25, 0.75, 1.0):
            v = lo + round(frac * (hi - lo) / step) * step
            v = type(value)(min(max(v, lo), hi))
            if v != value and v not in out:
                out.append(v)
        return out
    if isinstance(value, (int, float)):
        return [value + 1]
    return []


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
            entry["first_png"] = explorer.render().startswith(PNG)
            for cname, control in explorer.controls.items():
                classes = list(getattr(control, "_dom_classes", ()))
                c = {"control": cname, "type": type(control).__name__, "skip": SKIP in classes,
                     "no_figure": NO_FIGURE in classes, "moves": []}
                entry["controls"].append(c)
                if c["skip"]:
                    continue
                values = other_values(control)
                if not values:
                    c["error"] = f"no other value to move to from {control.value!r}"
                for value in values:  # every option / several points of a slider's range
                    base = explorer.render()
                    after = explorer.render(**{cname: value})
                    c["moves"].append({"to": repr(value), "png": after.startswith(PNG) and base.startswith(PNG),
                                       "changed": after != base})
        except Exception:
            entry["error"] = traceback.format_exc()[-3000:]
print(json.dumps(report))
"""


@pytest.fixture(scope="module")
def widget_report(colab, setup_runs) -> dict:
    start = time.perf_counter()
    report = colab.python_json(_DRIVE_WIDGETS, cwd=colab.base)
    print(f"\nwidgets driven with Colab's versions in {time.perf_counter() - start:.1f} s")
    return report


@GATED
def test_every_widget_module_is_installed(widget_report):
    assert sorted(widget_report["modules"]) == WIDGET_MODULES


@GATED
@pytest.mark.parametrize("module", WIDGET_MODULES)
def test_widgets_render_and_respond_with_colabs_versions(widget_report, module):
    explorers = [e for e in widget_report["explorers"] if e["module"] == module]
    for e in explorers:
        label = f"{module}.{e['name']}"
        assert e["error"] is None, f"{label}:\n{e['error']}"
        assert e["first_png"], f"{label}: render() did not return a PNG"
        assert e["controls"], f"{label} has no controls"
        for c in e["controls"]:
            if c["skip"]:
                continue
            where = f"{label}: control {c['control']} ({c['type']})"
            assert c.get("error") is None, f"{where}: {c.get('error')}"
            for m in c["moves"]:
                assert m["png"], f"{where} -> {m['to']}: no PNG"
                if not c["no_figure"]:
                    assert m["changed"], f"{where} -> {m['to']}: the figure did not change"
