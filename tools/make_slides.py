#!/usr/bin/env python
"""Build reveal.js slides of the notebooks that work with no network at all.

``jupyter nbconvert --to slides`` writes HTML that loads reveal.js, MathJax, require.js,
jQuery, mermaid and the Jupyter widgets renderer from CDNs. This script builds the same
slides (nbconvert's ``reveal`` template, slide metadata from tools/make_nav.py) but points
every one of those at local copies, vendored from the npm registry once into the user cache
and copied next to the HTML, so the output folder is self-contained: open a
``*.slides.html`` file straight from disk, or serve the folder with
``python -m http.server``, on a machine with no network::

    python tools/make_slides.py                       # every notebook -> ~/.cache/w2v_helpers/slides
    python tools/make_slides.py 00 02 --out slides/   # notebooks starting with 00 or 02
    python tools/make_slides.py --presenter --no-code # larger fonts, input cells hidden

The output folder holds ``NN_*.slides.html``, an ``index.html`` listing them, and
``vendor/`` (reveal.js, MathJax 2, require.js, jQuery, the widgets HTML manager, with their
licences). Links between notebooks (``01_sigmoid.ipynb``) are rewritten to the sibling
slide decks. The build fails if any script, stylesheet or font would still come from the
network.

Why MathJax 2: nbconvert 7's reveal template configures MathJax through ``MathJax.Hub``
and re-renders with ``MathJax.Hub.Rerender`` on every slide change; that is MathJax 2's API
(MathJax 3 has no ``Hub``).

Vendoring needs ``npm`` the first time (``npm pack``: the package tarballs only, no
dependencies, no install scripts); afterwards the cache under
``$XDG_CACHE_HOME/w2v_helpers/vendor`` (``~/.cache/...``) is reused and nothing is fetched.
``--vendor-dir`` points at another copy of that cache (e.g. one prepared on a machine with
network).
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"

# Exact versions, so every build is the same. reveal.js 4 is what nbconvert 7's reveal
# template is written for (its default is reveal.js@4.0.2 from unpkg); MathJax 2 is what the
# template's JavaScript calls (MathJax.Hub); jQuery 2 and require.js 2 are nbconvert's own
# defaults; html-manager 1.x renders ipywidgets 8 widget state.
PACKAGES = {
    "reveal.js": "4.6.1",
    "mathjax": "2.7.9",
    "jquery": "2.2.4",
    "requirejs": "2.3.8",
    "@jupyter-widgets/html-manager": "1.0.15",
}

# Relative to the generated HTML.
VENDOR = "vendor"
REVEAL_PREFIX = f"{VENDOR}/reveal.js"
MATHJAX_URL = f"{VENDOR}/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"
REQUIRE_URL = f"{VENDOR}/require.js"
JQUERY_URL = f"{VENDOR}/jquery.min.js"
WIDGETS_URL = f"{VENDOR}/html-manager/embed-amd.js"

# The parts of each package the slides use (paths inside the npm package).
REVEAL_FILES = ["LICENSE", "dist/reveal.css", "dist/reveal.js", "dist/theme", "plugin/notes/notes.js"]
# MathJax 2 with the TeX-AMS_CHTML-full configuration: the combined config, the TeX input
# and CommonHTML output jax, every extension (TeX extensions load on demand, e.g.
# \require{cancel}, \color), and the TeX web fonts that CommonHTML uses. About 6 MB of the
# package's 63 MB (the rest is other outputs, fonts and unpacked sources).
MATHJAX_FILES = [
    "LICENSE",
    "MathJax.js",
    "config/TeX-AMS_CHTML-full.js",
    "config/Safe.js",
    "extensions",
    "jax/input/TeX",
    "jax/element",
    "jax/output/CommonHTML",
    "fonts/HTML-CSS/TeX/woff",
    "fonts/HTML-CSS/TeX/otf",
    "localization/en",
]
THEMES_DIR = "dist/theme"

PRESENTER_CSS = """
:root {
    --jp-ui-font-size1: 28px;
    --jp-content-font-size1: 28px;
    --jp-code-font-size: 25px;
}
.jp-RenderedHTMLCommon table { font-size: 24px; }
.jp-OutputArea-output pre { font-size: 24px; line-height: 1.3; }
"""

# Extends nbconvert's reveal template (index.html.j2 resolves to reveal/index.html.j2).
TEMPLATE = r"""{%- extends 'index.html.j2' -%}

{#- The reveal template imports mermaid from a CDN in a <script type="module"> on every page;
    a module script cannot be loaded from file:// anyway. No notebook here has a diagram. -#}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}

{%- block html_head_js_requirejs -%}
{{ super() }}
<script>
// The widgets renderer (vendor/html-manager/embed-amd.js) defines its AMD modules inline and
// derives where its icon fonts are from each module's URL; map those ids into vendor/ so the
// fonts are found next to it, not under ./@jupyter-widgets/.
require.config({paths: {
  "@jupyter-widgets/base": "@@WIDGETS@@/base",
  "@jupyter-widgets/base7": "@@WIDGETS@@/base7",
  "@jupyter-widgets/controls": "@@WIDGETS@@/controls",
  "@jupyter-widgets/controls7": "@@WIDGETS@@/controls7",
  "@jupyter-widgets/html-manager": "@@WIDGETS@@/html-manager",
  "@jupyter-widgets/html-manager/dist": "@@WIDGETS@@"
}});
</script>
{%- endblock html_head_js_requirejs -%}

{%- block html_head_css -%}
{{ super() }}
<style type="text/css">
/* w2v_helpers slides */
.reveal .slides { text-align: left; }
.jp-OutputArea-output img { max-width: 100%; height: auto; }
@@EXTRA_CSS@@
</style>
{%- endblock html_head_css -%}

{% block footer_js %}
{{ super() }}
<script>
// The template loads reveal.js as an AMD module, which defines no global; expose the same
// instance as window.Reveal so the deck can be driven and inspected (keyboard, tests).
// Also give a slide taller than the screen its scroll bar when the deck opens on it (the
// template does this only on a slide change).
require(["{{ resources.reveal.url_prefix }}/dist/reveal.js"], function (Reveal) {
  window.Reveal = Reveal;
  var scroll = {{ resources.reveal.scroll | json_dumps }};
  function fit() {
    if (!scroll) return;
    var h = $('.reveal').height() * 0.95;
    $('section.present').find('section').filter(function () { return $(this).height() > h; })
      .css('height', 'calc(95vh)').css('overflow-y', 'scroll').css('margin-top', '20px');
  }
  if (Reveal.isReady()) { fit(); } else { Reveal.on('ready', fit); }
});
</script>
{% endblock footer_js %}
"""

# What may not be left in the HTML: anything that makes the browser fetch from a network.
_REMOTE_PATTERNS = [
    re.compile(r"""<script\b[^>]*\bsrc\s*=\s*["']?\s*(?:https?:)?//""", re.I),
    re.compile(r"""<link\b[^>]*\bhref\s*=\s*["']?\s*(?:https?:)?//""", re.I),
    re.compile(r"""<img\b[^>]*\bsrc\s*=\s*["']?\s*(?:https?:)?//""", re.I),
    re.compile(r"""<iframe\b[^>]*\bsrc\s*=\s*["']?\s*(?:https?:)?//""", re.I),
    re.compile(r"""@import\s+(?:url\()?\s*["']?(?:https?:)?//""", re.I),
    re.compile(r"""url\(\s*["']?(?:https?:)?//""", re.I),
    re.compile(r"""\bimport\b[^;'"]*["'](?:https?:)?//""", re.I),
    re.compile(r"""\.src\s*=\s*["'](?:https?:)?//""", re.I),
    re.compile(
        r"""["']https?://(?:unpkg\.com|cdnjs\.cloudflare\.com|cdn\.jsdelivr\.net|fonts\.googleapis\.com)""", re.I
    ),
]


def default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "w2v_helpers"


def log(msg: str) -> None:
    print(msg, flush=True)


# --------------------------------------------------------------------------------------------
# Vendoring: npm pack -> <cache>/vendor/<name>-<version>/ (the unpacked package)
# --------------------------------------------------------------------------------------------
def _pkg_dir(vendor_dir: Path, name: str) -> Path:
    return vendor_dir / f"{name.replace('/', '__').lstrip('@')}-{PACKAGES[name]}"


def ensure_vendor(vendor_dir: Path) -> dict[str, Path]:
    """Unpacked npm packages, downloaded with ``npm pack`` the first time."""
    vendor_dir.mkdir(parents=True, exist_ok=True)
    dirs = {name: _pkg_dir(vendor_dir, name) for name in PACKAGES}
    missing = [name for name, d in dirs.items() if not (d / ".complete").is_file()]
    if not missing:
        return dirs
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit(
            f"npm is needed once to fetch {', '.join(missing)} into {vendor_dir} "
            "(or pass --vendor-dir with a prepared copy)"
        )
    specs = [f"{name}@{PACKAGES[name]}" for name in missing]
    log(f"fetching from the npm registry: {' '.join(specs)}")
    with tempfile.TemporaryDirectory(prefix="w2v-npm-") as tmp:
        proc = subprocess.run(
            [npm, "pack", "--json", "--pack-destination", tmp, *specs], cwd=tmp, capture_output=True, text=True
        )
        if proc.returncode != 0:
            raise SystemExit(f"npm pack failed:\n{proc.stderr}")
        packed = json.loads(proc.stdout)
        for entry in packed:
            name = entry["name"]
            if name not in dirs:
                continue
            dest = dirs[name]
            if dest.exists():
                shutil.rmtree(dest)
            staging = Path(tmp) / f"x-{entry['filename']}"
            with tarfile.open(Path(tmp) / entry["filename"], "r:gz") as tar:
                kwargs = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
                tar.extractall(staging, **kwargs)
            shutil.move(str(staging / "package"), str(dest))
            (dest / ".complete").write_text(json.dumps({"id": entry["id"], "integrity": entry.get("integrity")}) + "\n")
    still = [name for name, d in dirs.items() if not (d / ".complete").is_file()]
    if still:
        raise SystemExit(f"npm pack did not deliver {still}")
    return dirs


def _copy(src: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    if src.is_dir():
        shutil.copytree(src, dest, dirs_exist_ok=True)
    else:
        shutil.copy2(src, dest)


def strip_remote_imports(css: str) -> tuple[str, list[str]]:
    """Remove ``@import url(https://...)`` (web fonts) from a reveal.js theme."""
    pattern = re.compile(r"""@import\s+url\(\s*["']?(?:https?:)?//[^)]*\)\s*;?""", re.I)
    removed = pattern.findall(css)
    return pattern.sub("/* remote web font removed for offline use */", css), removed


def install_vendor(packages: dict[str, Path], out: Path, widgets: bool) -> dict[str, list[str]]:
    """Copy the needed parts of the packages to out/vendor; returns {theme: removed imports}."""
    vendor_out = out / VENDOR
    stamp = vendor_out / "VERSIONS.txt"
    want = "".join(f"{name}@{version}\n" for name, version in PACKAGES.items())
    want += f"widgets={widgets}\nreveal: {' '.join(REVEAL_FILES)}\nmathjax: {' '.join(MATHJAX_FILES)}\n"
    reveal, mathjax = packages["reveal.js"], packages["mathjax"]
    themes_removed = {}
    for css in sorted((reveal / THEMES_DIR).glob("*.css")):
        _, removed = strip_remote_imports(css.read_text(encoding="utf-8"))
        themes_removed[css.stem] = removed
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == want:
        return themes_removed
    if vendor_out.exists():
        if not stamp.is_file():
            raise SystemExit(f"{vendor_out} exists and was not made by this script; choose another --out")
        shutil.rmtree(vendor_out)
    for rel in REVEAL_FILES:
        _copy(reveal / rel, vendor_out / "reveal.js" / rel)
    for css in (vendor_out / "reveal.js" / THEMES_DIR).glob("*.css"):
        text, _ = strip_remote_imports(css.read_text(encoding="utf-8"))
        css.write_text(text, encoding="utf-8")
    for rel in MATHJAX_FILES:
        _copy(mathjax / rel, vendor_out / "mathjax" / rel)
    _copy(packages["requirejs"] / "require.js", vendor_out / "require.js")
    _copy(packages["requirejs"] / "package.json", vendor_out / "licences" / "requirejs-package.json")
    _copy(packages["jquery"] / "dist/jquery.min.js", vendor_out / "jquery.min.js")
    _copy(packages["jquery"] / "LICENSE.txt", vendor_out / "licences" / "jquery-LICENSE.txt")
    if widgets:
        manager = packages["@jupyter-widgets/html-manager"] / "dist"
        for f in manager.iterdir():
            if f.suffix in (".js", ".woff", ".woff2", ".ttf", ".eot", ".svg", ".txt") and not f.name.startswith(
                "libembed"
            ):
                _copy(f, vendor_out / "html-manager" / f.name)
        _copy(manager.parent / "package.json", vendor_out / "licences" / "html-manager-package.json")
    stamp.write_text(want, encoding="utf-8")
    return themes_removed


# --------------------------------------------------------------------------------------------
# Building
# --------------------------------------------------------------------------------------------
def notebook_paths(selectors: list[str]) -> list[Path]:
    all_paths = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    if not selectors:
        return all_paths
    chosen: list[Path] = []
    for sel in selectors:
        p = Path(sel)
        if p.suffix == ".ipynb" and p.is_file():
            matches = [p.resolve()]
        else:
            matches = [q for q in all_paths if q.name.startswith(sel)]
        if not matches:
            raise SystemExit(f"no notebook matches {sel!r}")
        chosen += [m for m in matches if m not in chosen]
    return chosen


def make_exporter(theme: str, no_code: bool, presenter: bool, scroll: bool, transition: str):
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    c = Config()
    c.SlidesExporter.reveal_url_prefix = REVEAL_PREFIX
    c.SlidesExporter.reveal_theme = theme
    c.SlidesExporter.reveal_transition = transition
    c.SlidesExporter.reveal_scroll = scroll
    c.HTMLExporter.mathjax_url = MATHJAX_URL
    c.HTMLExporter.require_js_url = REQUIRE_URL
    c.HTMLExporter.jquery_url = JQUERY_URL
    c.HTMLExporter.widget_renderer_url = WIDGETS_URL
    c.HTMLExporter.jupyter_widgets_base_url = f"{VENDOR}/"  # unused with widget_renderer_url
    if no_code:
        c.TemplateExporter.exclude_input = True
        c.TemplateExporter.exclude_input_prompt = True
        c.TemplateExporter.exclude_output_prompt = True
    exporter = SlidesExporter(config=c)
    exporter.raw_template = TEMPLATE.replace("@@EXTRA_CSS@@", PRESENTER_CSS if presenter else "").replace(
        "@@WIDGETS@@", WIDGETS_URL.rsplit("/", 1)[0]
    )
    return exporter


_IPYNB_LINK = re.compile(r'href="((\d\d_[^"/#?]*)\.ipynb)(#[^"]*)?"')


def rewrite_notebook_links(text: str, decks: set[str]) -> str:
    """``href="01_sigmoid.ipynb#x"`` -> ``href="01_sigmoid.slides.html"`` when that deck exists."""

    def sub(m):
        stem = m.group(2)
        if f"{stem}.slides.html" in decks:
            return f'href="{stem}.slides.html"'
        return m.group(0)

    return _IPYNB_LINK.sub(sub, text)


def remote_references(text: str) -> list[str]:
    """Every place in the HTML that would make the browser fetch from the network."""
    hits = []
    for pattern in _REMOTE_PATTERNS:
        for m in pattern.finditer(text):
            start = max(0, m.start() - 20)
            hits.append(text[start : m.end() + 60].replace("\n", " "))
    return hits


def with_slide_metadata(path: Path, nb):
    """The notebook as tools/make_nav.py would write it (slide breaks at #/## headings).

    Applied in memory, so a notebook being written, not yet run through make_nav, still
    splits into slides; the file is not touched.
    """
    import nbformat

    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import make_nav
    finally:
        sys.path.pop(0)
    paths = make_nav.notebook_paths()
    if path.resolve() not in [p.resolve() for p in paths]:
        return nb
    i = [p.resolve() for p in paths].index(path.resolve())
    titles = {}
    for p in paths:
        try:
            titles[p.name] = make_nav.title_of(json.loads(p.read_text(encoding="utf-8")), p)
        except (OSError, ValueError):
            titles[p.name] = p.stem
    new = make_nav.render(json.loads(nbformat.writes(nb)), paths, titles, i)
    make_nav._assign_ids(new)
    return nbformat.reads(json.dumps(new), as_version=4)


def uses_widgets(nb) -> bool:
    return "widgets" in nb.metadata


def write_index(out: Path) -> None:
    decks = sorted(out.glob("*.slides.html"))
    items = "\n".join(
        f'<li><a href="{html.escape(d.name)}">{html.escape(d.name[: -len(".slides.html")])}</a></li>' for d in decks
    )
    (out / "index.html").write_text(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>word2vec gradients: slides</title></head>\n<body>\n"
        "<h1>word2vec gradients: slides</h1>\n<ul>\n" + items + "\n</ul>\n"
        "<p>Arrow keys or space to move, <kbd>Esc</kbd> for the overview, <kbd>S</kbd> for the "
        "speaker view. The widgets show the state they were saved in; they need a running "
        "notebook to respond.</p>\n</body></html>\n",
        encoding="utf-8",
    )


def build(
    paths: list[Path],
    out: Path,
    vendor_dir: Path,
    theme: str = "white",
    no_code: bool = False,
    presenter: bool = False,
    scroll: bool = True,
    transition: str = "slide",
) -> list[Path]:
    import nbformat

    books = {p: with_slide_metadata(p, nbformat.read(p, as_version=4)) for p in paths}
    widgets = any(uses_widgets(nb) for nb in books.values()) or (out / VENDOR / "html-manager").is_dir()
    packages = ensure_vendor(vendor_dir)
    themes = sorted(p.stem for p in (packages["reveal.js"] / THEMES_DIR).glob("*.css"))
    if theme not in themes:
        raise SystemExit(f"unknown reveal.js theme {theme!r}; choose from {', '.join(themes)}")
    out.mkdir(parents=True, exist_ok=True)
    themes_removed = install_vendor(packages, out, widgets)
    if themes_removed[theme]:
        log(
            f"note: theme {theme!r} imports web fonts from the network ({len(themes_removed[theme])} "
            "@import); offline they are left out and the browser uses installed fonts instead"
        )
    exporter = make_exporter(theme, no_code, presenter, scroll, transition)
    decks = {p.with_suffix("").name + ".slides.html" for p in paths}
    decks |= {d.name for d in out.glob("*.slides.html")}
    written = []
    for path, nb in books.items():
        if any("text/vnd.mermaid" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", [])) or any(
            c.cell_type == "markdown" and "```mermaid" in c.source for c in nb.cells
        ):
            log(f"note: {path.name} has a mermaid diagram; offline slides show its source")
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": path.stem, "path": str(path.parent)}})
        body = rewrite_notebook_links(body, decks)
        remote = remote_references(body)
        if remote:
            raise SystemExit(f"{path.name}: the slides would still load from the network:\n  " + "\n  ".join(remote))
        target = out / f"{path.stem}.slides.html"
        target.write_text(body, encoding="utf-8")
        written.append(target)
    write_index(out)
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "notebooks", nargs="*", help="notebook files, or name prefixes such as 00 02 (default: every notebook)"
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="output folder (default: <user cache>/w2v_helpers/slides)"
    )
    parser.add_argument(
        "--theme",
        default="white",
        help="reveal.js theme (default white; themes that import web fonts lose them offline)",
    )
    parser.add_argument("--transition", default="slide", help="reveal.js transition (default slide)")
    parser.add_argument("--no-code", action="store_true", help="hide the input cells, show only outputs")
    parser.add_argument("--presenter", action="store_true", help="larger fonts for a projector")
    parser.add_argument(
        "--no-scroll",
        action="store_true",
        help="clip slides taller than the screen instead of giving them a scroll bar",
    )
    parser.add_argument(
        "--vendor-dir",
        type=Path,
        default=None,
        help="where the npm packages are cached (default: <user cache>/w2v_helpers/vendor)",
    )
    args = parser.parse_args(argv)
    out = (args.out or default_cache() / "slides").resolve()
    vendor_dir = (args.vendor_dir or default_cache() / "vendor").resolve()
    paths = notebook_paths(args.notebooks)
    if not paths:
        log("no notebooks found")
        return 1
    start = time.perf_counter()
    written = build(
        paths,
        out,
        vendor_dir,
        theme=args.theme,
        no_code=args.no_code,
        presenter=args.presenter,
        scroll=not args.no_scroll,
        transition=args.transition,
    )
    for w in written:
        log(f"wrote {w}")
    log(f"{len(written)} deck(s) in {time.perf_counter() - start:.1f} s; open {out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
