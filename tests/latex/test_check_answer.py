"""check_answer on a table of right and wrong answers in many notations (tests/data/latex_answers.tsv)."""

from pathlib import Path

import pytest

import w2v_helpers
from w2v_helpers import check_answer

DATA = Path(__file__).resolve().parents[1] / "data"


def _table():
    rows = []
    for line in (DATA / "latex_answers.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        latex, loss, verdict, words = line.split("\t")
        rows.append(pytest.param(latex, loss or None, verdict, words, id=latex[:60]))
    return rows


@pytest.mark.parametrize("latex, loss, verdict, words", _table())
def test_table(latex, loss, verdict, words):
    r = check_answer(latex, loss=loss)
    text = r.kind + " " + r.diagnosis
    if verdict == "right":
        assert r.passed, r.diagnosis
    elif verdict == "notation":
        assert not r.passed and r.conditional, r.diagnosis
    elif verdict == "unreadable-or-wrong":
        assert not r.passed
    else:
        assert r.readable and not r.passed and not r.conditional, r.diagnosis
    assert any(w.strip() in text for w in words.split("|")), text


def test_top_level_and_reading():
    r = w2v_helpers.check_answer(r"\frac{\partial J}{\partial v_c} = -u_o + \sum_{w\in V} \hat y_w v_w")
    assert r.reading == "∂J/∂v_c = −u_o + Σ_{w∈V} ŷ_w v_w"
    assert r.readings == {"the question's notation": False, "v_w read as the outside vectors u_w": True}
    assert "<table>" in r._repr_html_()


def test_loss_inferred_and_said():
    r = check_answer(
        r"\frac{\partial J}{\partial v_c} = -\sigma(-u_o^\top v_c) u_o + \sum_{k=1}^K \sigma(u_k^\top v_c) u_k"
    )
    assert r.loss == "neg_sampling" and r.loss_inferred
    assert "inferred" in r.diagnosis and "negative" in r.diagnosis
    r2 = check_answer(r"\frac{\partial J}{\partial v_c} = U(\hat y - y)", loss="naive_softmax")
    assert not r2.loss_inferred and r2.passed


def test_subscript_zero_read_as_o_and_said():
    r = check_answer(r"\frac{\partial J}{\partial u_0} = (\hat y_0 - 1) v_c")
    assert r.passed and "Subscript 0 is read as o" in r.diagnosis


def test_transposed_names_both_shapes():
    r = check_answer(r"\frac{\partial J}{\partial U} = (\hat y - y) v_c^\top")
    assert r.kind == "transposed"
    assert "d×|V|" in r.diagnosis and "|V|×d" in r.diagnosis


def test_details_are_gradcheck_results():
    r = check_answer(r"\frac{\partial J}{\partial v_c} = U(\hat y - y)")
    assert r.details and all(isinstance(d, w2v_helpers.GradcheckResult) for d in r.details)
    assert len(r.details) == 3  # every scene checked


def test_each_scene_must_pass():
    # right only where u_o happens to be ... : a wrong answer is wrong on some scene
    r = check_answer(r"\frac{\partial J}{\partial v_c} = -u_o + \hat y_o u_o")
    assert not r.passed


def test_chain_of_equalities_checks_every_side():
    r = check_answer(r"\frac{\partial J}{\partial v_c} = U(\hat y - y) = u_o - \sum_w \hat y_w u_w")
    assert not r.passed and "second side" in r.diagnosis or "third side" in r.diagnosis


def test_stability_remark_does_not_fail():
    r = check_answer(r"\sigma'(x) = \frac{e^{-x}}{(1+e^{-x})^2}")
    assert r.passed


def test_unknown_option_values():
    with pytest.raises(ValueError, match="loss"):
        check_answer("x = 1", loss="bogus")
    with pytest.raises(ValueError, match="notation"):
        check_answer("x = 1", notation="bogus")


def test_notation_v_outside_as_primary():
    r = check_answer(r"\frac{\partial J}{\partial v_c} = -v_o + \sum_w \hat y_w v_w", notation="v_outside")
    assert r.passed
