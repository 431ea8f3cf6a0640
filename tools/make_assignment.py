#!/usr/bin/env python
"""Make the student edition of the notebooks with nbgrader: solutions out, self-checks as graded tests.

    python tools/make_assignment.py [NN ...] --out DIR [--course COURSE] [--assignment NAME]

Needs nbgrader (the ``instructor`` extra: ``pip install ".[instructor]"``, in its own environment:
nbgrader pins its own JupyterLab and Notebook ranges). Without NN it takes every notebook that has
nbgrader cells (01-05 today, and any later one that gets them).

What it does:

1. sets up an nbgrader course directory in a temporary folder -- or in COURSE, to keep it for
   grading -- with its ``nbgrader_config.py`` and its gradebook (an SQLite file in that folder);
   nothing is written in the repository;
2. copies the notebooks into ``source/NAME/`` with the outputs of the exercise cells cleared (every
   other output -- derivations, figures, widget state -- stays);
3. runs ``nbgrader generate_assignment NAME``: each solution between ``### BEGIN SOLUTION`` and
   ``### END SOLUTION`` becomes a stub that raises ``NotImplementedError`` (the self-check then
   says "not answered yet"), each on-paper answer becomes "YOUR ANSWER HERE", hidden tests
   (``### BEGIN HIDDEN TESTS`` ... ``### END HIDDEN TESTS``) are removed, test cells are locked;
4. copies the student notebooks from ``release/NAME/`` to DIR.

To grade, keep the course (``--course``), put each student's notebooks in
``COURSE/submitted/STUDENT/NAME/`` and run ``nbgrader autograde NAME`` and
``nbgrader generate_feedback NAME`` in COURSE (see docs/instructors.md).
``--points`` prints the points of each notebook and exits.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
DEFAULT_ASSIGNMENT = "w2v-gradients"
CODE_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"
TEXT_STUB = "YOUR ANSWER HERE"

CONFIG = """\
# nbgrader configuration written by tools/make_assignment.py
c = get_config()
c.CourseDirectory.root = {root!r}
c.CourseDirectory.db_url = {db_url!r}
c.CourseDirectory.course_id = "w2v-gradients"
# the stub that replaces each solution: the self-check turns its NotImplementedError into "not answered yet"
c.ClearSolutions.code_stub = {{"python": {code_stub!r}}}
c.ClearSolutions.text_stub = {text_stub!r}
# keep the derivations' outputs (figures, widget state): the exercise cells' outputs are cleared beforehand
c.ClearOutput.enabled = False
# autograding runs each notebook top to bottom; a cell takes seconds, so a cell still running after
# 3 minutes is stuck (rarely a kernel loses a message): it is marked CellTimeoutError and grading goes on
c.Execute.timeout = 180
"""


def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def nbgrader_cells(nb: dict) -> list:
    return [c for c in nb["cells"] if "nbgrader" in c.get("metadata", {})]


def graded_notebooks() -> list[Path]:
    """Every notebook of notebooks/ with at least one nbgrader cell, in order."""
    out = []
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        if nbgrader_cells(json.loads(path.read_text(encoding="utf-8"))):
            out.append(path)
    return out


def select(numbers: list[str]) -> list[Path]:
    graded = graded_notebooks()
    if not numbers:
        return graded
    chosen = []
    for num in numbers:
        num = num.zfill(2)
        match = [p for p in graded if p.name.startswith(num + "_")]
        if not match:
            have = ", ".join(p.name[:2] for p in graded)
            raise SystemExit(
                f"make_assignment: no notebook {num} with exercises in nbgrader's format (notebooks with them: {have})"
            )
        chosen += match
    return chosen


def points(path: Path) -> dict:
    """{"auto": points of the autograded test cells, "manual": of the manually graded answers}."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    auto = manual = 0.0
    for cell in nbgrader_cells(nb):
        meta = cell["metadata"]["nbgrader"]
        if meta.get("grade"):
            if meta.get("solution"):
                manual += float(meta["points"])
            else:
                auto += float(meta["points"])
    return {"auto": auto, "manual": manual}


def clear_exercise_outputs(nb: dict) -> dict:
    """The outputs of the nbgrader cells (answers and tests) cleared; every other output kept."""
    for cell in nbgrader_cells(nb):
        if cell["cell_type"] == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    return nb


def _inside_repo(path: Path) -> bool:
    try:
        path.resolve().relative_to(ROOT)
        return True
    except ValueError:
        return False


def nbgrader_command() -> list[str]:
    try:
        import nbgrader  # noqa: F401
    except ImportError as exc:
        raise SystemExit(
            "make_assignment: nbgrader is not installed in this environment. Install the "
            'instructor extra in an environment of its own:  pip install ".[instructor]"'
        ) from exc
    return [sys.executable, "-m", "nbgrader"]


def write_course(course: Path, notebooks: list[Path], assignment: str) -> Path:
    """Set up an nbgrader course directory in ``course`` with the notebooks as ``source/assignment``."""
    course.mkdir(parents=True, exist_ok=True)
    db = course / "gradebook.db"
    (course / "nbgrader_config.py").write_text(
        CONFIG.format(root=str(course), db_url=f"sqlite:///{db}", code_stub=CODE_STUB, text_stub=TEXT_STUB),
        encoding="utf-8",
    )
    source = course / "source" / assignment
    if source.exists():
        shutil.rmtree(source)
    source.mkdir(parents=True)
    for path in notebooks:
        nb = clear_exercise_outputs(json.loads(path.read_text(encoding="utf-8")))
        (source / path.name).write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return source


def run_nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    # nbgrader runs `alembic` (its database migrations) from PATH: put this environment's scripts first
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    proc = subprocess.run(nbgrader_command() + list(args), cwd=course, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"make_assignment: `nbgrader {' '.join(args)}` failed (exit {proc.returncode})")
    return proc


def make_assignment(
    notebooks: list[Path], out: Path, course: Path | None = None, assignment: str = DEFAULT_ASSIGNMENT
) -> list[Path]:
    """Generate the student edition of ``notebooks`` into ``out``; returns the written notebooks."""
    for name, path in (("--out", out), ("--course", course)):
        if path is not None and _inside_repo(path):
            raise SystemExit(
                f"make_assignment: {name} {path} is inside the repository; choose a folder "
                "outside it (nothing is written in the repository)"
            )
    with tempfile.TemporaryDirectory(prefix="w2v-course-") as tmp:
        root = Path(course) if course is not None else Path(tmp) / "course"
        write_course(root, notebooks, assignment)
        run_nbgrader(root, "generate_assignment", assignment, "--force")
        release = root / "release" / assignment
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for path in notebooks:
            target = out / path.name
            shutil.copyfile(release / path.name, target)
            written.append(target)
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("numbers", nargs="*", help="notebook numbers, e.g. 02 04 (default: all with exercises)")
    parser.add_argument("--out", type=Path, help="folder for the student notebooks")
    parser.add_argument(
        "--course",
        type=Path,
        default=None,
        help="keep the nbgrader course directory (with its gradebook) here, to autograde "
        "later; default: a temporary folder, removed afterwards",
    )
    parser.add_argument(
        "--assignment", default=DEFAULT_ASSIGNMENT, help=f"assignment name (default {DEFAULT_ASSIGNMENT})"
    )
    parser.add_argument("--points", action="store_true", help="print the points per notebook and exit")
    args = parser.parse_args(argv)
    notebooks = select(args.numbers)
    if args.points:
        total = {"auto": 0.0, "manual": 0.0}
        print("| notebook | autograded | graded by hand | total |")
        print("|---|---:|---:|---:|")
        for path in notebooks:
            p = points(path)
            total = {k: total[k] + p[k] for k in total}
            print(f"| {path.name} | {p['auto']:g} | {p['manual']:g} | {p['auto'] + p['manual']:g} |")
        print(f"| all | {total['auto']:g} | {total['manual']:g} | {total['auto'] + total['manual']:g} |")
        return 0
    if args.out is None:
        parser.error("--out DIR is required (or --points)")
    written = make_assignment(notebooks, args.out, args.course, args.assignment)
    for path in written:
        print("student edition:", path)
    if args.course is None:
        print("(the nbgrader course directory was temporary; pass --course DIR to keep it for autograding)")
    else:
        print(f"course directory (gradebook, source, release): {args.course}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
