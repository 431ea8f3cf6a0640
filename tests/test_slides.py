"""The slides from tools/make_slides.py work with no network.

Builds notebook 00's deck into a temp folder, checks the HTML references nothing on the
network and every local file it references exists, then opens it in Debian's Chromium with
every non-local request aborted -- from disk (file://) and served by ``python -m http.server``
-- and checks that reveal.js started, MathJax typeset every formula (no raw ``$$`` left), no
request was blocked or failed and no script error was raised.

Needs npm (once, to vendor reveal.js/MathJax into the user cache; not needed when that cache
is already filled), and for the browser tests pytest-playwright with Chromium at
/usr/bin/chromium (or $W2V_CHROMIUM; never ``playwright install``), launched by the fixtures in
tests/conftest.py. Without them the tests are skipped with the reason, unless
``W2V_REQUIRE_BROWSER=1`` (CI), when they fail instead.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "00_start_here.ipynb"

sys.path.insert(0, str(ROOT / "tools"))
import make_slides  # noqa: E402

sys.path.pop(0)


def _skip_or_fail(reason: str) -> None:
    if os.environ.get("W2V_REQUIRE_BROWSER") == "1":
        pytest.fail(f"W2V_REQUIRE_BROWSER=1 but the slides test cannot run: {reason}")
    pytest.skip(reason)


def _build_missing_reason() -> str | None:
    vendor = make_slides.default_cache() / "vendor"
    cached = all((make_slides._pkg_dir(vendor, name) / ".complete").is_file() for name in make_slides.PACKAGES)
    if not cached and shutil.which("npm") is None:
        return f"npm not found and no vendored reveal.js/MathJax in {vendor} (install Node.js/npm)"
    if not NOTEBOOK.is_file():
        return f"{NOTEBOOK} does not exist"
    return None


def _build(out: Path, *options: str) -> Path:
    reason = _build_missing_reason()
    if reason:
        _skip_or_fail(reason)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "make_slides.py"), "00", "--out", str(out), *options],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, f"make_slides.py failed:\n{proc.stdout}\n{proc.stderr}"
    print(f"make_slides.py 00 {' '.join(options)}: {time.perf_counter() - start:.1f} s")
    deck = out / "00_start_here.slides.html"
    assert deck.is_file(), proc.stdout
    return deck


@pytest.fixture(scope="module")
def deck(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("slides"))


@pytest.fixture(scope="module")
def presenter_deck(tmp_path_factory) -> Path:
    # "simple" imports Google web fonts: the build must strip them
    return _build(tmp_path_factory.mktemp("slides-presenter"), "--presenter", "--no-code", "--theme", "simple")


class _Refs(HTMLParser):
    """Every URL the browser would load by itself: script src, link href, img/iframe/source src."""

    def __init__(self):
        super().__init__()
        self.loads: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "audio", "video", "embed") and a.get("src"):
            self.loads.append(a["src"])
        if tag == "link" and a.get("href"):
            self.loads.append(a["href"])


def _loads(html: str) -> list[str]:
    parser = _Refs()
    parser.feed(html)
    return parser.loads


def _expected_slides(path: Path) -> int:
    import nbformat

    nb = make_slides.with_slide_metadata(path, nbformat.read(path, as_version=4))
    return sum(1 for c in nb.cells if c.metadata.get("slideshow", {}).get("slide_type") == "slide")


# ----------------------------------------------------------------------------------------------
# The HTML
# ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("which", ["default", "presenter"])
def test_html_loads_nothing_from_the_network(which, deck, presenter_deck):
    path = deck if which == "default" else presenter_deck
    html = path.read_text(encoding="utf-8")
    loads = _loads(html)
    assert loads, "no script or stylesheet at all?"
    remote = [u for u in loads if re.match(r"^\s*(https?:)?//", u, re.I)]
    assert remote == [], f"scripts/stylesheets still loaded from the network: {remote}"
    assert make_slides.remote_references(html) == []
    for name in ("unpkg.com", "cdnjs.cloudflare.com", "cdn.jsdelivr.net", "fonts.googleapis.com"):
        assert name not in html, f"{name} still appears in {path.name}"
    for u in loads:
        if u.startswith("data:"):
            continue
        local = path.parent / urlsplit(u).path
        assert local.is_file(), f"{path.name} loads {u}, which is not in the output folder"


def test_vendored_css_loads_nothing_from_the_network(deck):
    vendor = deck.parent / make_slides.VENDOR
    for css in vendor.rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="replace")
        assert not re.search(r"""@import\s+url\(\s*["']?(https?:)?//""", text), css


def test_options_change_the_html(deck, presenter_deck):
    default, presenter = deck.read_text(encoding="utf-8"), presenter_deck.read_text(encoding="utf-8")
    assert '<div class="highlight hl-ipython3">' in default  # the code cells ...
    assert '<div class="highlight hl-ipython3">' not in presenter  # ... hidden by --no-code
    assert "--jp-content-font-size1: 28px" in presenter and "--jp-content-font-size1: 28px" not in default
    assert "dist/theme/simple.css" in presenter and "dist/theme/white.css" in default


def test_links_between_notebooks_point_to_the_decks():
    html = (
        '<a href="01_sigmoid.ipynb">x</a> <a href="02_softmax_center_gradient.ipynb#Summary">y</a> '
        '<a href="05_skipgram_window.ipynb">z</a> <a href="https://example.org/a.ipynb">w</a>'
    )
    out = make_slides.rewrite_notebook_links(html, {"01_sigmoid.slides.html", "02_softmax_center_gradient.slides.html"})
    assert 'href="01_sigmoid.slides.html"' in out
    assert 'href="02_softmax_center_gradient.slides.html"' in out
    assert 'href="05_skipgram_window.ipynb"' in out  # no deck built for it: left alone
    assert 'href="https://example.org/a.ipynb"' in out


# ----------------------------------------------------------------------------------------------
# In Chromium, no network
# ----------------------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def http_server(deck):
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(deck.parent)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base, timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("python -m http.server did not start")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


_TEXT_WITH_DOLLARS = """() => {
  const walker = document.createTreeWalker(document.querySelector('.reveal .slides'), NodeFilter.SHOW_TEXT);
  const bad = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (el.closest('script, style, pre, code, .MathJax_CHTML, .MJX_Assistive_MathML, .jp-InputArea, .jp-OutputArea')) continue;
    if (/\\$|\\\\\\(|\\\\\\[/.test(n.textContent)) bad.push(n.textContent.trim().slice(0, 80));
  }
  return bad;
}"""


def _open_deck(page, url: str, allowed_prefix: str, tag: str) -> dict:
    """Open a deck in pytest-playwright's page, every request outside allowed_prefix aborted."""
    page.set_viewport_size({"width": 1280, "height": 800})
    blocked, failed, errors = [], [], []

    def route(r):
        u = r.request.url
        if u.startswith(allowed_prefix) or u.startswith("data:"):
            r.continue_()
        else:
            blocked.append(u)
            r.abort()

    page.route("**/*", route)
    page.on("requestfailed", lambda r: failed.append(f"{r.url}: {r.failure}"))
    page.on("pageerror", lambda e: errors.append(str(e)))
    start = time.perf_counter()
    page.goto(url)
    try:
        page.wait_for_function("window.Reveal && window.Reveal.isReady && window.Reveal.isReady()", timeout=30_000)
        page.wait_for_function(
            "window.MathJax && MathJax.Hub && MathJax.Hub.queue && "
            "MathJax.Hub.queue.pending === 0 && !MathJax.Hub.queue.running",
            timeout=30_000,
        )
    except Exception as exc:
        raise AssertionError(
            f"{tag}: reveal.js or MathJax did not start ({exc}); blocked: {blocked}; "
            f"failed: {failed}; script errors: {errors}"
        ) from None
    ready = time.perf_counter() - start
    total = page.evaluate("Reveal.getTotalSlides()")
    shots, leftover, math_slides = [], [], 0
    for i in range(total):
        page.evaluate(f"Reveal.slide({i})")
        page.wait_for_function("MathJax.Hub.queue.pending === 0 && !MathJax.Hub.queue.running")
        page.wait_for_timeout(400)  # the slide transition
        on_slide = page.evaluate("Reveal.getCurrentSlide().querySelectorAll('.MathJax_CHTML').length")
        if on_slide:
            math_slides += 1
            if math_slides == 1:  # the first slide with formulas: is anything drawn at all?
                shots.append(page.screenshot())
    leftover = page.evaluate(_TEXT_WITH_DOLLARS)
    info = page.evaluate("""() => ({
        math: document.querySelectorAll('.reveal .MathJax_CHTML').length,
        math_errors: document.querySelectorAll('.MathJax_Error, .mjx-merror, .noError, .mjx-noError').length,
        tex_scripts: document.querySelectorAll('script[type^="math/tex"]').length,
        fonts_failed: Array.from(document.fonts).filter(f => f.status === 'error' && /w$/.test(f.family)).map(f => f.family),
    })""")
    print(f"{tag}: ready in {ready:.2f} s, {total} slides, {info['math']} formulas")
    return dict(
        info,
        total=total,
        blocked=blocked,
        failed=failed,
        errors=errors,
        leftover=leftover,
        shots=shots,
        ready=ready,
        math_slides=math_slides,
    )


def _check(result: dict) -> None:
    assert result["blocked"] == [], f"requests to the network: {result['blocked']}"
    assert result["failed"] == [], f"requests that failed: {result['failed']}"
    assert result["errors"] == [], f"script errors: {result['errors']}"
    assert result["total"] == _expected_slides(NOTEBOOK)
    assert result["math"] > 0 and result["math_slides"] > 0, "MathJax rendered nothing"
    assert result["math"] == result["tex_scripts"], "a formula was left untypeset"
    assert result["math_errors"] == 0
    assert result["leftover"] == [], f"raw TeX left in the slides: {result['leftover']}"
    # MathJax's web fonts (the families ending in "w") must load from the vendored copy
    assert result["fonts_failed"] == []
    for shot in result["shots"]:
        assert len(shot) > 10_000, "the first slide with formulas looks blank"


def test_deck_offline_from_disk(page, deck):
    _check(_open_deck(page, deck.as_uri(), "file://", "file"))


def test_deck_offline_over_http(page, deck, http_server):
    _check(_open_deck(page, http_server + deck.name, http_server, "http"))


def test_presenter_deck_offline(page, presenter_deck):
    _check(_open_deck(page, presenter_deck.as_uri(), "file://", "presenter"))
