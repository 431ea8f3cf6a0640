"""Helpers for the tests that build a Python environment of their own (Colab's versions, the
classic Notebook, nbgrader): a process environment that sees nothing of the host's set-up, and
the Python to build Colab's venv with."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path

_HOST_PREFIXES = ("JUPYTER", "IPYTHON", "MPL", "PYTHON", "VIRTUAL_ENV")


def isolated_env(base: Path, **extra: str) -> dict:
    """``os.environ`` without the host's Jupyter/IPython/matplotlib/Python settings, with fresh
    config, data and runtime folders under ``base``; ``extra`` is added last (e.g. PATH)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_HOST_PREFIXES)}
    for name in ("jupyter-config", "jupyter-data", "jupyter-runtime", "ipython", "mpl"):
        (base / name).mkdir(parents=True, exist_ok=True)
    env.update(
        JUPYTER_CONFIG_DIR=str(base / "jupyter-config"),
        JUPYTER_DATA_DIR=str(base / "jupyter-data"),
        JUPYTER_RUNTIME_DIR=str(base / "jupyter-runtime"),
        IPYTHONDIR=str(base / "ipython"),
        MPLCONFIGDIR=str(base / "mpl"),
        JUPYTER_PLATFORM_DIRS="1",
        PYTHONNOUSERSITE="1",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    env.update(extra)
    return env


def colab_python() -> str:
    """Python 3.13 like Colab's if this machine has one (W2V_COLAB_PYTHON, python3.13, pyenv's),
    else the running Python."""
    candidates = [
        os.environ.get("W2V_COLAB_PYTHON", ""),
        shutil.which("python3.13") or "",
        *sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.13*/bin/python3.13"))),
    ]
    for c in candidates:
        if c and subprocess.run([c, "-c", "import venv, ssl"], capture_output=True).returncode == 0:
            return c
    return sys.executable
