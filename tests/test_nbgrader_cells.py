"""The notebooks' exercises are well-formed nbgrader cells (checked without nbgrader installed).

The full round trip with nbgrader itself is tests/test_assignment.py (W2V_INSTRUCTOR_ENV=1).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import make_assignment  # noqa: E402

GRADED = make_assignment.graded_notebooks()
IDS = [p.name[:2] for p in GRADED]
KEYS = {"grade", "grade_id", "locked", "schema_version", "solution", "task"}


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def src(cell):
    s = cell.get("source", "")
    return "".join(s) if isinstance(s, list) else s


def test_notebooks_01_to_05_have_exercises_in_nbgrader_format():
    assert IDS[:5] == ["01", "02", "03", "04", "05"]


@pytest.mark.parametrize("path", GRADED, ids=IDS)
def test_nbgrader_metadata(path):
    cells = make_assignment.nbgrader_cells(load(path))
    seen = set()
    for cell in cells:
        meta = cell["metadata"]["nbgrader"]
        assert KEYS <= set(meta) and meta["schema_version"] == 3, meta
        assert re.fullmatch(r"nb\d\d-ex\d+-(answer|check)", meta["grade_id"]), meta["grade_id"]
        assert meta["grade_id"] not in seen
        seen.add(meta["grade_id"])
        assert cell.get("id"), "cells keep ids"
        s = src(cell)
        if meta["grade"]:
            assert meta["points"] > 0
        if cell["cell_type"] == "code" and meta["solution"]:  # autograded answer
            assert not meta["grade"] and not meta["locked"]
            assert s.count("### BEGIN SOLUTION") == 1 == s.count("### END SOLUTION")
            assert s.index("### BEGIN SOLUTION") < s.index("### END SOLUTION")
            assert re.search(r'def \w+\(.*\):\n    """.+"""\n    ### BEGIN SOLUTION', s), (
                "the stub goes under a docstring that says what to write"
            )
        elif cell["cell_type"] == "code":  # autograded test
            assert meta["grade"] and meta["locked"] and not meta["solution"]
            assert "checks.verdict(" in s and "BEGIN SOLUTION" not in s
            assert s.count("### BEGIN HIDDEN TESTS") == s.count("### END HIDDEN TESTS") <= 1
        else:  # manually graded answer
            assert meta["grade"] and meta["solution"] and not meta["locked"]
            assert "<details><summary><b>Model answer</b>" in s


@pytest.mark.parametrize("path", GRADED, ids=IDS)
def test_every_answer_is_followed_by_its_test(path):
    cells = [c for c in load(path)["cells"] if "nbgrader" in c.get("metadata", {})]
    for a, b in zip(cells, cells[1:]):
        ga, gb = a["metadata"]["nbgrader"]["grade_id"], b["metadata"]["nbgrader"]["grade_id"]
        if ga.endswith("-answer") and a["cell_type"] == "code":
            assert gb == ga.replace("-answer", "-check"), (ga, gb)


@pytest.mark.parametrize("path", GRADED, ids=IDS)
def test_no_old_solution_marker_is_left(path):
    assert "# --- solution (replace with your own) ---" not in path.read_text(encoding="utf-8")


def test_the_points_table_in_the_instructor_notes_is_up_to_date():
    out = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "make_assignment.py"), "--points"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip() in (ROOT / "docs" / "instructors.md").read_text(encoding="utf-8")
    assert "docs/instructors.md" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_clear_exercise_outputs_keeps_the_other_outputs():
    nb = load(GRADED[0])
    before = [
        (c.get("id"), c.get("outputs"))
        for c in nb["cells"]
        if c["cell_type"] == "code" and "nbgrader" not in c["metadata"]
    ]
    nb = make_assignment.clear_exercise_outputs(nb)
    for cell in make_assignment.nbgrader_cells(nb):
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
    assert before == [
        (c.get("id"), c.get("outputs"))
        for c in nb["cells"]
        if c["cell_type"] == "code" and "nbgrader" not in c["metadata"]
    ]
    assert any(out for _, out in before)


def test_make_assignment_refuses_to_write_in_the_repository(tmp_path):
    with pytest.raises(SystemExit, match="inside the repository"):
        make_assignment.make_assignment(GRADED[:1], ROOT / "student")
    with pytest.raises(SystemExit, match="inside the repository"):
        make_assignment.make_assignment(GRADED[:1], tmp_path / "out", course=ROOT / "course")
    with pytest.raises(SystemExit, match="no notebook 99"):
        make_assignment.select(["99"])
    assert make_assignment.select(["4"]) == [p for p in GRADED if p.name.startswith("04_")]


def test_write_course(tmp_path):
    source = make_assignment.write_course(tmp_path / "c", GRADED[:2], "hw")
    assert sorted(p.name for p in source.iterdir()) == sorted(p.name for p in GRADED[:2])
    config = (tmp_path / "c" / "nbgrader_config.py").read_text()
    assert "sqlite:///" + str(tmp_path / "c" / "gradebook.db") in config
    assert "raise NotImplementedError()" in config and "c.ClearOutput.enabled = False" in config
    ns = {"get_config": lambda: __import__("traitlets.config", fromlist=["Config"]).Config()}
    exec(config, ns)  # valid Python, as nbgrader reads it
    assert ns["c"].ClearSolutions.code_stub == {"python": make_assignment.CODE_STUB}
