"""The instructor's round trip with nbgrader: student edition, autograding, feedback.

nbgrader pins its own JupyterLab and Notebook ranges, so it is never installed next to the
project's own environment: this builds a fresh virtual environment in a temp folder with the
package and its ``instructor`` extra (``pip install "<copy of the package>[instructor]"``), and in it

1. makes the student edition of every notebook with exercises, with ``tools/make_assignment.py``
   (course directory and gradebook in a temp folder), and checks that no solution line, hidden
   test or model answer of the source is in it, and that every other output is kept;
2. grades three submissions with nbgrader's CLI as an instructor would -- notebooks put in
   ``submitted/STUDENT/ASSIGNMENT/``, ``nbgrader autograde``, ``nbgrader generate_feedback``,
   ``nbgrader export`` -- : the reference solutions (the repository's notebooks) get every
   autograded point, the unfilled edition gets none, and a submission with the answer sheet's slips
   written as code gets some, with each diagnosis in the feedback HTML; and autograding the
   unfilled edition runs it top to bottom: its only errors are the self-checks' "not answered yet".

Only with ``W2V_INSTRUCTOR_ENV=1`` (it installs from PyPI and runs every notebook four times; a few
minutes). ``W2V_INSTRUCTOR_PYTHON=/path/to/python`` reuses an environment that has nbgrader (the
repository is then put on its PYTHONPATH instead of installed).
"""

from __future__ import annotations

import csv
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
from isolated_env import isolated_env

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import make_assignment  # noqa: E402

PACKAGE_FILES = ["pyproject.toml", "README.md", "LICENSE", "w2v_helpers"]
ASSIGNMENT = "w2v"

pytestmark = pytest.mark.skipif(
    os.environ.get("W2V_INSTRUCTOR_ENV") != "1",
    reason="W2V_INSTRUCTOR_ENV=1 not set: this builds a venv with nbgrader from PyPI and autogrades (a few minutes)",
)

TIMES: dict[str, float] = {}

# The answer sheet's slips (w2v_helpers/answer_sheet.py) written as a student's code, and for the
# exercises the sheet does not answer, the slips its notes warn about; some answers are right and
# some are left unanswered. Keyed by the answer cell's grade_id.
SLIPS = {
    # (a) the sheet's boxed σ(x)² e^{-x}: right, but it overflows -> passes, the instability named
    "nb01-ex1-answer": """
        def my_sigmoid_grad(x):
            s = w2v.sigmoid(x)
            return s ** 2 * np.exp(-x)
    """,
    "nb01-ex2-answer": """
        def log_sigmoid_grad(x):
            return w2v.sigmoid(x)
    """,
    # the chain rule's inner factor 2 forgotten
    "nb01-ex3-answer": """
        def tanh_grad(x):
            s = w2v.sigmoid(2 * x)
            return 2 * s * (1 - s)
    """,
    # (b) "observed minus expected": the sign of U(ŷ − y) flipped
    "nb02-ex1-answer": """
        def my_center_gradient(center_vec, outside_idx, outside_vectors):
            y_hat = w2v.softmax(outside_vectors @ center_vec)
            return outside_vectors[outside_idx] - y_hat @ outside_vectors
    """,
    "nb02-ex2-answer": """
        def soft_target_gradient(center_vec, y, outside_vectors):
            return (w2v.softmax(outside_vectors @ center_vec) - y) @ outside_vectors
    """,
    # (c) the sheet's −Σ_i y_i (v_c ŷ_i): the same row −ŷ_o v_c for every w
    "nb03-ex1-answer": """
        def my_outside_gradient(center_vec, outside_idx, outside_vectors):
            y_hat = w2v.softmax(outside_vectors @ center_vec)
            return np.tile(-y_hat[outside_idx] * center_vec, (outside_vectors.shape[0], 1))
    """,
    # the loss forgets −u_oᵀv_c; the gradients are right
    "nb03-ex2-answer": """
        def my_naive_softmax(center_vec, outside_idx, outside_vectors):
            scores = outside_vectors @ center_vec
            log_z = np.logaddexp.reduce(scores)
            delta = np.exp(scores - log_z)
            delta[outside_idx] -= 1.0
            return log_z, delta @ outside_vectors, np.outer(delta, center_vec)
    """,
    # (d) the sheet's center gradient, term by term: right
    "nb04-ex1-answer": """
        def my_neg_center_gradient(center_vec, outside_idx, outside_vectors, negative_idxs):
            u_o = outside_vectors[outside_idx]
            grad = -w2v.sigmoid(-u_o @ center_vec) * u_o
            for k in negative_idxs:
                grad = grad + w2v.sigmoid(outside_vectors[k] @ center_vec) * outside_vectors[k]
            return grad
    """,
    # (d) the sheet's ∂J/∂u_k = σ(u_kᵀv_c): no factor v_c
    "nb04-ex2-answer": """
        def my_neg_outside_gradient(center_vec, outside_idx, outside_vectors, negative_idxs):
            grad = np.zeros_like(outside_vectors)
            grad[outside_idx] += -w2v.sigmoid(-outside_vectors[outside_idx] @ center_vec) * center_vec
            for k in negative_idxs:
                grad[k] += w2v.sigmoid(outside_vectors[k] @ center_vec)
            return grad
    """,
    # a repeated negative counted once, in the loss and the gradients alike
    "nb04-ex3-answer": """
        def my_neg_sampling(center_vec, outside_idx, outside_vectors, negative_idxs):
            ks = np.unique(negative_idxs)
            u_o = outside_vectors[outside_idx]
            loss = float(np.logaddexp(0, -u_o @ center_vec) + np.sum(np.logaddexp(0, outside_vectors[ks] @ center_vec)))
            grad_c = -w2v.sigmoid(-u_o @ center_vec) * u_o
            grad_o = np.zeros_like(outside_vectors)
            grad_o[outside_idx] -= w2v.sigmoid(-u_o @ center_vec) * center_vec
            for k in ks:
                grad_c = grad_c + w2v.sigmoid(outside_vectors[k] @ center_vec) * outside_vectors[k]
                grad_o[k] += w2v.sigmoid(outside_vectors[k] @ center_vec) * center_vec
            return loss, grad_c, grad_o
    """,
    # (e) the sheet's window −m ≤ j < m, loss and gradients agreeing with each other
    "nb05-ex1-answer": """
        def my_window_loss(center_idx, sentence_idxs, t, m, center_vectors, outside_vectors, loss_and_gradient):
            loss = 0.0
            grad_center_vectors = np.zeros_like(center_vectors)
            grad_outside_vectors = np.zeros_like(outside_vectors)
            for j in range(-m, m):
                if j == 0 or not 0 <= t + j < len(sentence_idxs):
                    continue
                l, g_c, g_o = loss_and_gradient(center_vectors[center_idx], int(sentence_idxs[t + j]), outside_vectors)
                loss += l
                grad_center_vectors[center_idx] += g_c
                grad_outside_vectors += g_o
            return loss, grad_center_vectors, grad_outside_vectors
    """,
    "nb05-ex3-answer": """
        def my_sentence_loss(sentence_idxs, m, center_vectors, outside_vectors):
            loss, g_c, g_o = 0.0, np.zeros_like(center_vectors), np.zeros_like(outside_vectors)
            for t in range(len(sentence_idxs)):
                l, a, b = w2v.skipgram(int(sentence_idxs[t]), w2v.context_window(sentence_idxs, t, m),
                                       center_vectors, outside_vectors)
                loss, g_c, g_o = loss + l, g_c + a, g_o + b
            return loss, g_c, g_o
    """,
}
# what the slips submission's feedback must say, per notebook
SLIP_FEEDBACK = {
    "01": ["not numerically stable", "The formula is right, so the check passes", "Constant factor"],
    "02": ["Sign error"],
    "03": ["Every row of the analytic gradient is the same vector", "missing the term −u_oᵀv_c", "Wrong: the loss J."],
    "04": ["the vector factor is missing", "two draws"],
    "05": ["The window position j = +2 is left out of the sum", "not answered yet"],
}
# autograded points each notebook's slips get: the exercises above that are right
SLIP_POINTS = {"01": 2, "02": 2, "03": 0, "04": 2, "05": 2}


def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _env(base: Path, extra_path: str | None) -> dict:
    extra = {"PYTHONPATH": extra_path} if extra_path else {}
    return isolated_env(base, JUPYTER_PREFER_ENV_PATH="1", MPLBACKEND="Agg", **extra)


class Instructor:
    """An instructor's machine: a Python with nbgrader, a course directory, nbgrader's CLI."""

    def __init__(self, base: Path):
        self.base = base
        given = os.environ.get("W2V_INSTRUCTOR_PYTHON")
        self.env = _env(base, str(ROOT) if given else None)
        if given:
            self.python = Path(given)
        else:
            self.python = base / "venv" / "bin" / "python"
            self._build()
        self.env["PATH"] = os.pathsep.join([str(self.python.parent), self.env.get("PATH", "")])
        self.course = base / "course"
        self.student = base / "student"

    def run(self, args, cwd=None, timeout=1200) -> subprocess.CompletedProcess:
        proc = subprocess.run(
            [str(a) for a in args], cwd=cwd, env=self.env, capture_output=True, text=True, timeout=timeout
        )
        assert proc.returncode == 0, f"{args} failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
        return proc

    def _build(self):
        t0 = time.perf_counter()
        pkg = self.base / "pkg"
        pkg.mkdir()
        for name in PACKAGE_FILES:
            src = ROOT / name
            if src.is_dir():
                shutil.copytree(src, pkg / name, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(src, pkg / name)
        subprocess.run([sys.executable, "-m", "venv", str(self.base / "venv")], check=True)
        self.run([self.python, "-m", "pip", "install", "-q", f"{pkg}[instructor]"], timeout=1800)
        TIMES["build the instructor venv (pip install .[instructor])"] = time.perf_counter() - t0

    def nbgrader(self, *args) -> subprocess.CompletedProcess:
        return self.run([self.python, "-m", "nbgrader", *args], cwd=self.course)


GRADES = textwrap.dedent("""
    import json, sys
    from nbgrader.api import Gradebook
    out = {}
    with Gradebook(sys.argv[1]) as gb:
        for sub in gb.assignment_submissions(sys.argv[2]):
            for nb in sub.notebooks:
                out.setdefault(sub.student.id, {})[nb.name] = {
                    "code_score": nb.code_score, "max_code_score": nb.max_code_score,
                    "needs_manual_grade": nb.needs_manual_grade,
                    "cells": {g.name: [g.score, g.max_score, g.needs_manual_grade, g.cell_type]
                              for g in nb.grades}}
    print(json.dumps(out))
""")


def _fill(nb: dict, answers: dict) -> dict:
    for cell in nb["cells"]:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell["source"] = textwrap.dedent(answers[gid]).strip("\n")
    return nb


@pytest.fixture(scope="module")
def trip(tmp_path_factory):
    t_all = time.perf_counter()
    base = tmp_path_factory.mktemp("instructor")
    me = Instructor(base)
    notebooks = make_assignment.graded_notebooks()
    assert [p.name[:2] for p in notebooks][:5] == ["01", "02", "03", "04", "05"]

    t0 = time.perf_counter()
    me.run(
        [
            me.python,
            ROOT / "tools" / "make_assignment.py",
            "--out",
            me.student,
            "--course",
            me.course,
            "--assignment",
            ASSIGNMENT,
        ]
    )
    TIMES["make_assignment.py (nbgrader generate_assignment)"] = time.perf_counter() - t0

    submitted = me.course / "submitted"
    for student, make in (
        ("reference", lambda p: json.loads(p.read_text(encoding="utf-8"))),
        ("empty", lambda p: json.loads((me.student / p.name).read_text(encoding="utf-8"))),
        ("slips", lambda p: _fill(json.loads((me.student / p.name).read_text(encoding="utf-8")), SLIPS)),
    ):
        folder = submitted / student / ASSIGNMENT
        folder.mkdir(parents=True)
        for path in notebooks:
            (folder / path.name).write_text(json.dumps(make(path), ensure_ascii=False), encoding="utf-8")

    t0 = time.perf_counter()
    me.nbgrader("autograde", ASSIGNMENT)
    TIMES["nbgrader autograde (3 submissions)"] = time.perf_counter() - t0
    # A kernel that loses a message leaves a cell "CellTimeoutError" (seen once under heavy load, with
    # ipykernel 7): regrade that submission once, as an instructor would, and say so.
    for student in ("reference", "empty", "slips"):
        folder = me.course / "autograded" / student / ASSIGNMENT
        if any("CellTimeoutError" in p.read_text(encoding="utf-8") for p in folder.glob("*.ipynb")):
            print(f"\nnote: a cell of {student}'s submission timed out; autograding it again")
            t1 = time.perf_counter()
            me.nbgrader("autograde", ASSIGNMENT, "--student", student, "--force")
            TIMES[f"nbgrader autograde {student} again (a cell timed out)"] = time.perf_counter() - t1
    # autograding ran the unfilled edition top to bottom (with the hidden tests put back): its errors
    run_errors = {}
    for path in notebooks:
        nb = json.loads((me.course / "autograded" / "empty" / ASSIGNMENT / path.name).read_text(encoding="utf-8"))
        run_errors[path.name] = [
            {
                "grade_id": c.get("metadata", {}).get("nbgrader", {}).get("grade_id"),
                "ename": out["ename"],
                "evalue": out["evalue"],
                "traceback": out["traceback"],
            }
            for c in nb["cells"]
            for out in c.get("outputs", [])
            if out.get("output_type") == "error"
        ]
    t0 = time.perf_counter()
    me.nbgrader("generate_feedback", ASSIGNMENT)
    TIMES["nbgrader generate_feedback"] = time.perf_counter() - t0
    me.nbgrader("export", "--to", str(base / "grades.csv"))
    grades_script = base / "grades.py"
    grades_script.write_text(GRADES)
    proc = me.run([me.python, grades_script, f"sqlite:///{me.course / 'gradebook.db'}", ASSIGNMENT])
    TIMES["whole round trip"] = time.perf_counter() - t_all
    print("\nround-trip timings:\n" + "\n".join(f"  {k}: {v:.1f} s" for k, v in TIMES.items()))
    return {
        "me": me,
        "notebooks": notebooks,
        "run_errors": run_errors,
        "grades": json.loads(proc.stdout.strip().splitlines()[-1]),
        "csv": list(csv.DictReader(open(base / "grades.csv", encoding="utf-8"))),
    }


def _solution_lines(nb: dict) -> tuple[set, set]:
    """(lines inside solution regions, hidden tests and model answers; every other line of the notebook)."""
    inside, outside = set(), set()
    for cell in nb["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        lines = _source(cell).splitlines()
        if cell["cell_type"] == "markdown" and meta.get("solution"):
            inside.update(line.strip() for line in lines)
            continue
        region = False
        for line in lines:
            if "### BEGIN SOLUTION" in line or "### BEGIN HIDDEN TESTS" in line:
                region = True
            elif "### END SOLUTION" in line or "### END HIDDEN TESTS" in line:
                region = False
            elif region:
                inside.add(line.strip())
            else:
                outside.add(line.strip())
    return {s for s in inside if s and not s.startswith("#")}, outside


def test_the_student_edition_hides_every_solution_and_keeps_the_rest(trip):
    me = trip["me"]
    for path in trip["notebooks"]:
        source = json.loads(path.read_text(encoding="utf-8"))
        student = json.loads((me.student / path.name).read_text(encoding="utf-8"))
        secret, public = _solution_lines(source)
        assert secret, path.name
        text = "\n".join(_source(c) for c in student["cells"])
        lines = {line.strip() for line in text.splitlines()}
        leaked = sorted((secret - public) & lines)
        assert not leaked, f"{path.name}: solution lines in the student edition: {leaked}"
        assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text
        assert [c.get("id") for c in student["cells"]] == [c.get("id") for c in source["cells"]]
        for s_cell, cell in zip(source["cells"], student["cells"]):
            meta = cell.get("metadata", {}).get("nbgrader")
            if cell["cell_type"] != "code":
                if meta and meta.get("solution"):
                    assert _source(cell) == make_assignment.TEXT_STUB
                else:
                    assert _source(cell) == _source(s_cell)  # derivations intact
                continue
            if meta:
                assert cell["outputs"] == []  # exercise cells: outputs cleared
                if meta.get("solution"):
                    assert "raise NotImplementedError()" in _source(cell)
            else:
                assert cell["outputs"] == s_cell["outputs"]  # figures, widgets, prints kept
                assert _source(cell) == _source(s_cell)
        assert student["metadata"].get("widgets") == source["metadata"].get("widgets")


def test_the_student_edition_runs_top_to_bottom_with_only_not_answered_yet(trip):
    for path in trip["notebooks"]:
        errors = trip["run_errors"][path.name]
        source = json.loads(path.read_text(encoding="utf-8"))
        tests = [
            c["metadata"]["nbgrader"]["grade_id"]
            for c in source["cells"]
            if c.get("metadata", {}).get("nbgrader", {}).get("grade") and c["cell_type"] == "code"
        ]
        assert [e["grade_id"] for e in errors] == tests, path.name
        for e in errors:
            assert e["ename"] == "CheckFailed" and "not answered yet" in e["evalue"], e
            assert not any("Traceback" in line for line in e["traceback"]), e  # the diagnosis only


def _code(grades, student, nb):
    g = grades[student][nb]
    return g["code_score"], g["max_code_score"]


def test_reference_solutions_get_every_autograded_point(trip):
    for path in trip["notebooks"]:
        nb = path.stem
        score, max_score = _code(trip["grades"], "reference", nb)
        assert max_score == make_assignment.points(path)["auto"] > 0
        assert score == max_score, (nb, trip["grades"]["reference"][nb]["cells"])
        for name, (s, m, manual, _kind) in trip["grades"]["reference"][nb]["cells"].items():
            if name.endswith("-check"):
                assert s == m and not manual
            else:  # a model answer: an instructor reads it
                assert manual, name


def test_the_unfilled_edition_gets_zero(trip):
    for path in trip["notebooks"]:
        nb = path.stem
        assert _code(trip["grades"], "empty", nb)[0] == 0
        for name, (s, _m, manual, _kind) in trip["grades"]["empty"][nb]["cells"].items():
            assert s == 0 and not manual, name  # an untouched "YOUR ANSWER HERE" gets 0 too
    row = next(r for r in trip["csv"] if r["student_id"] == "empty")
    assert float(row["raw_score"]) == 0


def test_the_answer_sheets_slips_get_partial_marks_explained_in_the_feedback(trip):
    me = trip["me"]
    total = 0
    for path in trip["notebooks"]:
        nb, num = path.stem, path.name[:2]
        score, max_score = _code(trip["grades"], "slips", nb)
        assert score == SLIP_POINTS[num], (nb, trip["grades"]["slips"][nb]["cells"])
        total += score
        page = (me.course / "feedback" / "slips" / ASSIGNMENT / f"{nb}.html").read_text(encoding="utf-8")
        plain = re.sub(r"<[^>]+>", "", page).replace("&#34;", '"').replace("&quot;", '"').replace("&#39;", "'")
        for phrase in SLIP_FEEDBACK[num]:
            assert phrase in plain, f"{nb}: feedback lacks {phrase!r}"
        assert "Traceback (most recent call last)" not in plain
    auto_max = sum(make_assignment.points(p)["auto"] for p in trip["notebooks"])
    assert 0 < total < auto_max
    rows = {r["student_id"]: float(r["raw_score"]) for r in trip["csv"]}
    assert rows["slips"] == total and rows["reference"] == auto_max


def test_feedback_of_the_unfilled_edition_says_not_answered_yet(trip):
    me = trip["me"]
    for path in trip["notebooks"]:
        page = (me.course / "feedback" / "empty" / ASSIGNMENT / f"{path.stem}.html").read_text(encoding="utf-8")
        assert "not answered yet" in page and "Traceback (most recent call last)" not in page
