"""Any string gives a result, never a traceback; a non-string raises ValueError."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from w2v_helpers import check_answer, check_derivation

VALID = [
    r"\frac{\partial J}{\partial v_c} = -u_o + \sum_{w\in V} \hat y_w u_w",
    r"\frac{\partial J}{\partial u_w} = \begin{cases} (\hat y_o - 1) v_c & \text{if } w = o \\ \hat y_w v_c & \text{otherwise} \end{cases}",
    r"\sigma'(x) = \sigma(x)(1-\sigma(x))",
]
FRAGMENTS = [
    r"\frac",
    "{",
    "}",
    "(",
    ")",
    "^",
    "_",
    r"\sum",
    r"\hat",
    "y",
    "u_o",
    "v_c",
    "=",
    "+",
    "-",
    r"\cdot",
    r"\sigma",
    r"\log",
    "e^{",
    r"\partial",
    "J",
    "&",
    r"\\",
    r"\begin{cases}",
    r"\end{cases}",
    "k",
    "|V|",
    r"\top",
    "T",
    "0",
    "1",
    r"\left(",
    r"\right)",
    r"\text{if }",
    r"\in",
    r"\{",
    r"\}",
    ",",
    "'",
]


def _ok(r):
    assert isinstance(r.readable, bool) and isinstance(r.passed, bool) and isinstance(r.diagnosis, str)
    if not r.readable:
        assert r.diagnosis


@pytest.mark.parametrize("bad", [None, 3, 1.5, b"x=1", ["x"], {"a": 1}])
def test_non_string_raises(bad):
    with pytest.raises(ValueError, match="string"):
        check_answer(bad)
    with pytest.raises(ValueError, match="string"):
        check_derivation(bad)


def test_unreadable_quotes_position_and_expected():
    r = check_answer(r"\frac{\partial J}{\partial v_c} = -u_o + ) \hat y")
    assert not r.readable
    assert "')" in r.diagnosis and "position" in r.diagnosis and "expected" in r.diagnosis
    assert r.position == r"\frac{\partial J}{\partial v_c} = -u_o + ) \hat y".index(")", 36)


def test_unknown_command_and_symbol_named():
    r = check_answer(r"\frac{\partial J}{\partial v_c} = \foo u_o")
    assert not r.readable and r"\foo" in r.diagnosis
    r = check_answer(r"\frac{\partial J}{\partial v_c} = q_o")
    assert not r.passed and "q" in r.diagnosis and r.kind == "unknown-symbol"


def test_empty_and_no_claim():
    assert not check_answer("").readable
    r = check_answer(r"-u_o + \sum_w \hat y_w u_w")
    assert r.readable and not r.passed and r.kind == "no-claim"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=40))
def test_random_text(s):
    _ok(check_answer(s))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=14))
def test_random_latex_fragments(parts):
    _ok(check_answer(" ".join(parts)))


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(VALID), st.integers(min_value=0, max_value=200))
def test_truncations(latex, n):
    _ok(check_answer(latex[:n]))
    _ok(check_derivation(latex[:n]))
