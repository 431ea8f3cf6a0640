"""Shared test settings: hypothesis profiles, the `browser`/`colab`/`slow` markers, Chromium for
pytest-playwright.

Hypothesis keeps no example database and its cache lives in the temp folder (nothing is written
into the working directory), and under CI (CI=true) it is derandomized, so a CI run tries the
same examples every time.

Markers (registered in pyproject.toml) are set here by path, so a new test file in the right place
needs no decorator: the fast suite is ``pytest -m "not browser and not colab and not slow"``.

Browser tests use pytest-playwright's ``browser``/``context``/``page`` fixtures; the launch
arguments below point it at Debian's Chromium (never ``playwright install``). Without Chromium
the browser tests are skipped with the reason, unless W2V_REQUIRE_BROWSER=1 (CI): then they fail.
"""

import os
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS / "browser"))
import browser_harness as bh  # noqa: E402

# hypothesis caches some data on disk: keep it out of the repository
set_hypothesis_home_dir(str(Path(tempfile.gettempdir()) / "w2v-helpers-hypothesis"))

settings.register_profile("w2v", database=None)
settings.register_profile("w2v-ci", database=None, derandomize=True)
settings.load_profile("w2v-ci" if os.environ.get("CI") else "w2v")

# ------------------------------------------------------------------------------------ markers
# Fixtures that start a browser (pytest-playwright's).
BROWSER_FIXTURES = {"browser", "context", "new_context", "page"}
# Tests that build an environment like Google Colab's.
COLAB_FILES = {"test_colab_env.py", "test_classic_notebook.py"}
# Tests that take more than a few seconds (file names under tests/, notebook name prefixes):
# the slide decks (nbconvert, npm), the nbgrader round trip.
SLOW_FILES = {"test_slides.py", "test_assignment.py"}
SLOW_NOTEBOOKS = ("06_",)  # notebook 06 trains word vectors


def _kind(item) -> set[str]:
    path = Path(str(item.path))
    kinds = set()
    if "browser" in path.parts[-2:-1] or BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
        kinds.add("browser")
    if path.name in COLAB_FILES:
        kinds.add("colab")
    if path.name in SLOW_FILES or (path.suffix == ".ipynb" and path.name.startswith(SLOW_NOTEBOOKS)):
        kinds.add("slow")
    return kinds


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects
def pytest_collection_modifyitems(config, items):
    """Mark every test by what it needs, and run the browser tests last.

    Last, because pytest-playwright's Playwright instance lives from the first browser test to
    the end of the session, and while it lives asyncio sees a running event loop (so
    ``asyncio.run`` in a later test would fail).
    """
    for item in items:
        for name in _kind(item):
            item.add_marker(name)
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)  # stable


# ----------------------------------------------------------------------- browser (playwright)
def pytest_configure(config):
    # pytest-playwright writes screenshots and traces of failed tests to --output, which it
    # empties first; its default is ./test-results. Ours is a folder in the temp dir.
    if getattr(config.option, "output", None) == "test-results":
        config.option.output = str(Path(tempfile.gettempdir()) / f"w2v-test-artifacts-{os.getpid()}")


def pytest_report_header(config):
    if getattr(config.option, "output", None):
        return f"playwright artifacts (screenshots, traces of failed browser tests): {config.option.output}"
    return None


def skip_or_fail(reason: str):
    """Skip a browser test, or fail it when W2V_REQUIRE_BROWSER=1 (CI)."""
    if bh.browser_required():
        pytest.fail(f"W2V_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, headless, with no network of its own (see browser_harness.CHROMIUM_ARGS)."""
    reason = bh.browser_missing_reason()
    if reason:
        skip_or_fail(reason)
    return {**bh.launch_args(), **browser_type_launch_args}  # --headed still works


try:
    import pytest_playwright  # noqa: F401
except ImportError:  # pragma: no cover - depends on the environment

    @pytest.fixture
    def page():
        skip_or_fail("pytest-playwright is not installed (pip install -e .[test])")

    @pytest.fixture
    def browser():
        skip_or_fail("pytest-playwright is not installed (pip install -e .[test])")


@pytest.fixture(scope="session")
def artifacts(pytestconfig) -> Path:
    """Where browser tests put what they record besides pytest-playwright's artifacts
    (server logs, latency records): pytest-playwright's --output folder."""
    path = Path(pytestconfig.getoption("--output", default=None) or tempfile.mkdtemp(prefix="w2v-test-artifacts-"))
    path.mkdir(parents=True, exist_ok=True)
    return path
