"""The widget tests under another Python environment, e.g. Colab's ipywidgets 7.7.1.

    W2V_WIDGETS_PYTHON=/path/to/venv/bin/python pytest tests/widgets/test_compat.py

runs every other ``tests/widgets/test_*.py`` with that interpreter (the package must be
importable there, e.g. ``pip install --no-deps -e .`` plus pytest and hypothesis) and fails
with its output if any fails. Without the variable the test is skipped. The widget tests
themselves need no plugin (``-o addopts=""`` drops nbval), so the same command works in any
environment that has the package's dependencies:

    python -m pytest -o addopts="" -p no:cacheprovider tests/widgets
"""

import os
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def widget_test_files() -> list[str]:
    return sorted(str(p) for p in HERE.glob("test_*.py") if p.name != Path(__file__).name)


def test_widget_tests_pass_in_another_environment():
    python = os.environ.get("W2V_WIDGETS_PYTHON")
    if not python:
        pytest.skip("set W2V_WIDGETS_PYTHON to an interpreter to run the widget tests there")
    if not Path(python).exists():
        pytest.fail(f"W2V_WIDGETS_PYTHON={python} does not exist")
    probe = subprocess.run(
        [
            python,
            "-c",
            "import ipywidgets, IPython, matplotlib, numpy; "
            "print(ipywidgets.__version__, IPython.__version__, "
            "matplotlib.__version__, numpy.__version__)",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert probe.returncode == 0, f"{python} cannot import the widget stack:\n{probe.stderr}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [
            python,
            "-m",
            "pytest",
            "-q",
            "-o",
            "addopts=",
            "-p",
            "no:cacheprovider",
            "-W",
            "error::RuntimeWarning",
            *widget_test_files(),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=1800,
    )
    print(f"ipywidgets, IPython, matplotlib, numpy there: {probe.stdout.strip()}")
    print(run.stdout[-2000:])
    assert run.returncode == 0, f"widget tests failed under {python}:\n{run.stdout[-6000:]}\n{run.stderr[-2000:]}"


def test_the_command_lists_every_widget_test():
    names = [Path(p).name for p in widget_test_files()]
    assert "test_base.py" in names and "test_compat.py" not in names
    assert len(names) >= 5
