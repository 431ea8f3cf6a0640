"""Shared test settings.

Hypothesis keeps no example database and its cache lives in the temp folder (nothing is written
into the working directory), and
under CI (CI=true) it is derandomized, so a CI run tries the same examples every time.
"""
import os
import tempfile
from pathlib import Path

from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir

# hypothesis caches some data on disk: keep it out of the repository
set_hypothesis_home_dir(str(Path(tempfile.gettempdir()) / "w2v-helpers-hypothesis"))

settings.register_profile("w2v", database=None)
settings.register_profile("w2v-ci", database=None, derandomize=True)
settings.load_profile("w2v-ci" if os.environ.get("CI") else "w2v")
