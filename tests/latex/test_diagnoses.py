"""Every diagnosis kind, from a wrong LaTeX answer: sign, factor, missing / extra / swapped term,
u vs v, a missing v_c factor, a repeated negative counted once, a window position left out,
transposed and mis-shaped answers, zeros, a wrong loss; and both readings of v_w."""

import pytest

from w2v_helpers import check_answer

D = r"\frac{\partial J}{\partial v_c}"
DU = r"\frac{\partial J}{\partial U}"
DUW = r"\frac{\partial J}{\partial u_w}"


@pytest.mark.parametrize(
    "latex, loss, kind, words",
    [
        (D + r" = u_o - \sum_w \hat y_w u_w", None, "sign", "Sign error"),
        (DU + r" = v_c(y - \hat y)^\top", None, "sign", "Sign error"),
        (r"\sigma'(x) = \sigma(x)(\sigma(x) - 1)", None, "sign", "Sign error"),
        (D + r" = 2U(\hat y - y)", None, "factor", "factor of 2"),
        (D + r" = \frac{1}{2}\left(-u_o + \sum_w \hat y_w u_w\right)", None, "factor", "1/2"),
        (D + r" = \sum_w \hat y_w u_w", None, "terms", "missing the term −u_o"),
        (D + r" = -u_o + \sum_w \hat y_w u_w + v_c", None, "terms", "extra term v_c"),
        (
            D + r" = -\sigma(-u_o^\top v_c) u_o + \sum_{k=1}^K \sigma(-u_k^\top v_c) u_k",
            None,
            "terms",
            "uses Σ_k σ(−u_kᵀv_c) u_k where Σ_k σ(u_kᵀv_c) u_k belongs",
        ),
        (
            D + r" = -\sigma(u_o^\top v_c) u_o + \sum_{k=1}^K \sigma(u_k^\top v_c) u_k",
            None,
            "terms",
            "the answer is −σ(u_oᵀv_c) u_o + Σ_k σ(u_kᵀv_c) u_k",
        ),
        (r"\frac{\partial J}{\partial u_o} = \hat y_o v_c", None, "factor", "the true gradient is (ŷ_o − 1) v_c"),
        (DUW + r" = \hat y_w - y_w", None, "wrong", "a vector factor (such as v_c) is missing"),
        (
            DUW + r" = \begin{cases} -\sigma(-u_o^\top v_c) v_c & \text{if } w = o \\ \sigma(u_w^\top v_c) & "
            r"\text{if } w \in \{w_1, \dots, w_K\} \end{cases}",
            None,
            "rows",
            "the vector factor is missing",
        ),
        (
            DUW + r" = \begin{cases} -\sigma(-u_o^\top v_c) v_c & \text{if } w = o \\ \sigma(u_w^\top v_c) v_c & "
            r"\text{if } w \in \{w_1, \dots, w_K\} \\ 0 & \text{otherwise} \end{cases}",
            None,
            "rows",
            "once per occurrence",
        ),
        (
            D + r" = \sum_{-m \le j < m, j \ne 0} \frac{\partial J(v_c, w_{t+j}, U)}{\partial v_c}",
            None,
            "terms",
            "left out of the sum",
        ),
        (
            DU + r" = \sum_{-m < j \le m, j \ne 0} \frac{\partial J(v_c, w_{t+j}, U)}{\partial U}",
            None,
            "terms",
            "missing the term",
        ),
        (DU + r" = (\hat y - y) v_c^\top", None, "transposed", "it is transposed"),
        (D + r" = \hat y - y", None, "shape", "must be a column d-vector"),
        (DU + r" = \hat y - y", None, "shape", "d×|V| matrix"),
        (r"\frac{\partial J}{\partial u_o} = -\sigma(-u_o^\top v_c)", None, "shape", "scalar"),
        (DU + r" = 0", None, "zero", "identically zero"),
        (r"\sigma'(x) = 0", None, "zero", "identically zero"),
        (DUW + r" = -\sum_i y_i \hat y_i v_c", None, "terms", "same vector"),
        (D + r" = U(\hat y - y)", "neg_sampling", "wrong-loss", "gradient of the naive-softmax loss"),
        (
            D + r" = -\sigma(-u_o^\top v_c) u_o + \sum_{k=1}^K \sigma(u_k^\top v_c) u_k",
            "naive_softmax",
            "wrong-loss",
            "negative-sampling loss",
        ),
        (r"\frac{\partial J}{\partial v_w} = \frac{\partial J}{\partial v_c}", "skipgram", "rows", "should be zero"),
    ],
)
def test_wrong_answer_named(latex, loss, kind, words):
    r = check_answer(latex, loss=loss)
    assert r.readable and not r.passed, r
    assert r.kind == kind, (r.kind, r.diagnosis)
    assert words in r.diagnosis, r.diagnosis


def test_both_readings_when_v_is_written_for_outside_vectors():
    r = check_answer(r"\frac{\partial J}{\partial v_c} = -v_o + \sum_{w=1}^{W} \hat y_w v_w")
    assert not r.passed and r.conditional and r.kind == "notation"
    assert "Wrong as written with the question's notation" in r.diagnosis
    assert "Right if v_w means the outside vector u_w" in r.diagnosis
    assert r.readings == {"the question's notation": False, "v_w read as the outside vectors u_w": True}


def test_mixed_names_said():
    r = check_answer(r"\frac{\partial J}{\partial v_c} = -u_o + \sum_{w} \hat y_w v_w")
    assert r.conditional and "two names" in r.diagnosis


def test_wrong_under_both_readings_gives_both_diagnoses():
    r = check_answer(
        r"\frac{\partial \hat y_0}{\partial v_c} = u_0 \hat y_0 - \sum_{\omega=1}^W v_\omega \hat y_\omega"
    )
    assert not r.passed and not r.conditional
    assert "Read with v_w as the outside vectors" in r.diagnosis and "factor ŷ_o is missing" in r.diagnosis


def test_right_with_question_notation_is_not_called_notation():
    r = check_answer(r"\frac{\partial J}{\partial v_c} = -u_o + \sum_{w} \hat y_w u_w")
    assert r.passed and not r.conditional and len(r.readings) == 1


def test_a_wrong_loss_value_is_rejected():
    # the loss of part (d) without its negative samples: consistent with its own gradient, but not J_neg
    r = check_answer(r"J = -\log\sigma(u_o^\top v_c)", loss="neg_sampling")
    assert not r.passed
    r = check_answer(r"J = -\log \hat y_o", loss="neg_sampling")
    assert not r.passed


def test_lucky_scene_cannot_pass():
    # right for the first scene's o only if u_o had a special value: checked on three scenes of different sizes
    r = check_answer(r"\frac{\partial J}{\partial v_c} = -u_o + \sum_{w=1}^{7} \hat y_w u_w")
    assert not r.passed
