"""Slider latency in a real browser: keydown on a slider handle -> the figure in its cell changes.

Runs the browser-test harness (tests/browser/browser_harness.py): JupyterLab (and/or Voila) in
temporary directories, headless Debian Chromium via Playwright.  Each notebook is opened, run
with "Restart Kernel and Run All Cells", and every slider is moved --presses times by keyboard;
the time from the keydown event to the new figure in the page is measured in the page
(performance.now in a keydown listener and a MutationObserver).

Prints a markdown table with the median and p90 per notebook (project goal: median <= 100 ms,
p90 <= 150 ms) and writes every record to --json (default: browser_latency_bench.json in a
temp dir; a screenshot of any notebook the harness could not finish goes beside it).

    python bench/bench_browser_latency.py                 # every notebooks/NN_*.ipynb in JupyterLab
    python bench/bench_browser_latency.py 01 04 --presses 10 --frontend both
    python bench/bench_browser_latency.py --fixture       # the harness's own fixture notebook
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))

import browser_harness as bh  # noqa: E402


def pick_notebooks(keys: list[str], fixture: bool) -> list[Path]:
    nbs = bh.repo_notebooks()
    if keys:
        chosen = []
        for k in keys:
            p = Path(k)
            if p.suffix == ".ipynb" and p.exists():
                chosen.append(p.resolve())
                continue
            match = [nb for nb in nbs if nb.name.startswith(k) or nb.stem == k]
            if not match:
                sys.exit(f"no notebook matches {k!r} in {bh.NOTEBOOK_DIR}")
            chosen += match
        nbs = chosen
    if fixture or not nbs:
        nbs = [bh.FIXTURE_WIDGETS] + nbs
    return nbs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("notebooks", nargs="*", help="notebook numbers/names/paths (default: all)")
    ap.add_argument("--presses", type=int, default=5, help="key presses per slider (default 5)")
    ap.add_argument("--frontend", choices=["lab", "voila", "both"], default="lab")
    ap.add_argument("--fixture", action="store_true", help="also measure the harness's fixture notebook")
    ap.add_argument("--json", type=Path, help="where to write the records (default: artifacts dir)")
    args = ap.parse_args(argv)

    reason = bh.browser_missing_reason()
    if reason:
        print(f"cannot run the browser benchmark: {reason}", file=sys.stderr)
        return 2
    artifacts = Path(tempfile.mkdtemp(prefix="w2v-bench-browser-artifacts-"))
    notebooks = pick_notebooks(args.notebooks, args.fixture)
    frontends = ["lab", "voila"] if args.frontend == "both" else [args.frontend]

    base = Path(tempfile.mkdtemp(prefix="w2v-bench-browser-"))
    records: list[dict] = []
    reports: list[bh.NotebookReport] = []
    t_start = time.monotonic()
    try:
        root = bh.make_root_copy(base / "root")
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw, contextlib.closing(pw.chromium.launch(**bh.launch_args())) as browser:
            for fe in frontends:
                server = (bh.start_lab if fe == "lab" else bh.start_voila)(base / fe, root)
                try:
                    for nb in notebooks:
                        console: list[str] = []
                        context = browser.new_context(**bh.CONTEXT_ARGS)
                        bh.prepare_context(context)
                        page = context.new_page()
                        bh.record_console(page, console)
                        try:
                            rep = bh.check_notebook(
                                page,
                                server,
                                nb,
                                workspace=f"bench-{nb.stem}",
                                slider_presses=args.presses,
                                console=console,
                            )
                        except Exception as exc:  # keep going: one broken notebook is one row less
                            with contextlib.suppress(Exception):
                                page.screenshot(path=str(artifacts / f"{fe}-{nb.stem}-harness-error.png"))
                            print(f"{fe} {nb.name}: harness error: {exc}", file=sys.stderr)
                            continue
                        finally:
                            context.close()
                            server.shutdown_kernels()
                        reports.append(rep)
                        records += [r.as_dict() for r in rep.results]
                        print(
                            f"{fe} {nb.name}: run {rep.run_s:.1f}s, {len(rep.results)} actions, "
                            f"{len(rep.failures)} failed, {len(rep.errors)} errors",
                            file=sys.stderr,
                        )
                finally:
                    server.stop()
    finally:
        shutil.rmtree(base, ignore_errors=True)

    out = args.json or (artifacts / "browser_latency_bench.json")
    out.write_text(json.dumps(records, indent=1))
    print(
        f"\nSlider keydown -> updated figure, {args.presses} presses per slider "
        f"({time.monotonic() - t_start:.0f} s in all; records: {out})\n"
    )
    print(bh.latency_table(records))
    problems = [(rep, r) for rep in reports for r in rep.failures]
    if problems or any(rep.errors for rep in reports):
        print("\nNot measured / failing:")
        for rep, r in problems:
            print(f"- {rep.frontend} {rep.notebook}: {r.kind} {r.label!r}: {r.note}")
        for rep in reports:
            for e in rep.errors:
                print(f"- {rep.frontend} {rep.notebook}: {e.splitlines()[0][:200]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
