"""check_derivation line by line, and the answer-sheet CLI on the seed sheet, part by part."""

import subprocess
import sys
from pathlib import Path

from w2v_helpers import check_derivation
from w2v_helpers.check_sheet import check_sheet, format_report, main

SHEET = Path(__file__).resolve().parents[1] / "data" / "answer_sheet_seed.txt"


def test_chain_names_first_wrong_line():
    d = check_derivation(
        "\\frac{\\partial J}{\\partial v_c} = U(\\hat y - y) \\\\ = -u_o + \\sum_w \\hat y_w u_w "
        "\\\\ = u_o - \\sum_w \\hat y_w u_w"
    )
    assert [ln.result.passed for ln in d.lines] == [True, True, False]
    assert d.first_wrong == 3 and d.lines[2].follows is False
    assert "Line 3 is not equal to line 2" in d.lines[2].note


def test_aligned_environment():
    d = check_derivation(
        r"\begin{aligned} \frac{\partial J}{\partial u_w} &= (\hat y_w - y_w) v_c \\ "
        r"&= \hat y_w v_c - y_w v_c \end{aligned}"
    )
    assert len(d.lines) == 2 and d.passed and d.lines[1].follows is True


def test_aligned_wrong_step_is_named():
    d = check_derivation(
        r"\begin{aligned} \frac{\partial J}{\partial u_w} &= (\hat y_w - y_w) v_c \\ "
        r"&= \hat y_w v_c \end{aligned}"
    )
    assert d.first_wrong == 2 and d.lines[1].follows is False


def test_numbered_equations_substituted():
    d = check_derivation(r"""
$$\frac{\partial \hat y_o}{\partial v_c} = \hat y_o (u_o - \sum_w \hat y_w u_w) \quad \text{--- (1)}$$
$$\frac{\partial J}{\partial v_c} = -\sum_i \frac{y_i}{\hat y_i} \frac{\partial \hat y_i}{\partial v_c} \quad \text{--- (2)}$$
$$\frac{\partial J}{\partial v_c} = -\sum_i y_i (u_i - \sum_w \hat y_w u_w)$$
""")
    assert [ln.label for ln in d.lines] == ["(1)", "(2)", ""]
    assert d.passed and "follows from (1) and (2)" in d.lines[2].note


def _parts():
    parts = check_sheet(SHEET.read_text(encoding="utf-8"))
    return {p.name: p for p in parts}


def _marks(part):
    return [(ln.file_line, ln.result.passed, ln.result.conditional) for ln in part.result.lines]


def test_sheet_part_a_all_right_with_a_stability_remark():
    a = _parts()["a"]
    assert all(ln.result.passed for ln in a.result.lines)
    assert any("numerically stable" in ln.note for ln in a.result.lines)


def test_sheet_part_b():
    b = _parts()["b"]
    by_line = {ln.file_line: ln for ln in b.result.lines}
    assert by_line[19].result.conditional  # softmax with v_0, v_ω
    assert by_line[21].result.passed  # J = -Σ y log ŷ
    one = by_line[23]
    assert one.label == "(1)" and not one.result.passed and not one.result.conditional
    assert "factor ŷ_o is missing" in one.result.diagnosis
    assert by_line[25].result.passed  # (2)
    last = by_line[29]
    assert last.result.conditional and "does not follow from (1) and (2)" in last.note
    assert any("two names" in n for n in b.notes)


def test_sheet_part_c_names_the_slips():
    c = _parts()["c"]
    by_line = {ln.file_line: ln for ln in c.result.lines}
    assert by_line[41].result.passed  # the chain rule line is right
    assert not by_line[45].result.passed and "same vector" in by_line[45].result.diagnosis


def test_sheet_part_d():
    d = _parts()["d"]
    by_line = {ln.file_line: ln for ln in d.result.lines}
    assert by_line[49].result.conditional  # right with v_0, v_k as outside vectors
    assert "vector factor is missing" in by_line[53].result.diagnosis


def test_sheet_part_e_real_slips_and_no_complaint_about_c_plus_j():
    e = _parts()["e"]
    report = format_report([e])
    assert "leaves out j = +m" in report
    assert "∂J/∂v_w = 0 for every w ≠ c" in report
    assert "only for w = o" in report
    assert "mixes two losses" in report
    assert "c + j" not in " ".join(n for n in e.notes) and "t+j" not in report.replace("w_{t+j}", "")


def test_cli_prints_and_writes_html(tmp_path, capsys):
    out = tmp_path / "r.html"
    assert main([str(SHEET), "--html", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Part (a)" in printed and "Part (e)" in printed
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_cli_module_runs():
    p = subprocess.run([sys.executable, "-m", "w2v_helpers.check_sheet", str(SHEET)], capture_output=True, text=True)
    assert p.returncode == 0 and "Part (b)" in p.stdout


def test_cli_missing_file(capsys):
    assert main(["/nonexistent/sheet.md"]) == 2
