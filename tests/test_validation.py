"""Bad inputs: every public function checks its arguments before computing and raises
ValueError naming the argument, what was expected ("must ...") and what was given."""

from __future__ import annotations

import functools
import re

import numpy as np
import pytest

import w2v_helpers as w
from w2v_helpers import answer_sheet as sheet
from w2v_helpers import checks, gradcheck

V, D = 4, 3
RNG = np.random.default_rng(0)
U = RNG.normal(size=(V, D))
VC = RNG.normal(size=(V, D))
v = RNG.normal(size=D)
Q = np.full(V, 1 / V)
NAN_V = np.array([0.1, np.nan, 0.2])
INF_U = U.copy()
INF_U[2, 1] = np.inf


def gen():
    return np.random.default_rng(0)


def ok_f(x):
    x = np.asarray(x, dtype=float)
    return float(np.sum(x**2)), 2 * x


CASES = []


def case(id, fn, *args, arg, given, **kwargs):
    CASES.append(pytest.param(functools.partial(fn, *args, **kwargs), arg, given, id=id))


# --- sigmoid, sigmoid_grad, softmax: the argument is x
for name, fn in (("sigmoid", w.sigmoid), ("sigmoid_grad", w.sigmoid_grad)):
    case(f"{name}-string", fn, "0.5", arg="x", given="'0.5'")
    case(f"{name}-None", fn, None, arg="x", given="None")
    case(f"{name}-nan", fn, NAN_V, arg="x", given=r"NaN or inf.*index 1")
    case(f"{name}-inf-scalar", fn, np.inf, arg="x", given="NaN or inf")
    case(f"{name}-minus-inf", fn, [-np.inf], arg="x", given="NaN or inf")
    case(f"{name}-complex", fn, 1 + 2j, arg="x", given="complex")
    case(f"{name}-object", fn, np.array([1.0, None]), arg="x", given="object")
    case(f"{name}-ragged", fn, [[1.0, 2.0], [3.0]], arg="x", given="list")
case("softmax-0d", w.softmax, 3.0, arg="x", given="0-D")
case("softmax-3d", w.softmax, np.zeros((2, 2, 2)), arg="x", given=r"3-D.*\(2, 2, 2\)")
case("softmax-empty", w.softmax, [], arg="x", given=r"empty.*\(0,\)")
case("softmax-empty-rows", w.softmax, np.zeros((2, 0)), arg="x", given=r"\(2, 0\)")
case("softmax-no-rows", w.softmax, np.zeros((0, 3)), arg="x", given=r"\(0, 3\)")
case("softmax-nan", w.softmax, NAN_V, arg="x", given="NaN or inf")
case("softmax-inf-2d", w.softmax, INF_U, arg="x", given=r"NaN or inf.*\(2, 1\)")
case("softmax-string", w.softmax, "abc", arg="x", given="'abc'")

# --- the two losses share (center_vec, outside_idx, outside_vectors)
NEG = functools.partial(w.neg_sampling_loss_and_gradient, negative_idxs=[1, 2])
for name, fn in (("naive", w.naive_softmax_loss_and_gradient), ("neg", NEG)):
    case(f"{name}-wrong-d", fn, v[:2], 0, U, arg="center_vec", given=r"d = 2.*expected center_vec of shape \(3,\)")
    case(f"{name}-wrong-d-long", fn, np.ones(5), 0, U, arg="center_vec", given="d = 5")
    case(f"{name}-center-2d", fn, U, 0, U, arg="center_vec", given=r"1-D.*2-D")
    case(f"{name}-center-scalar", fn, 1.0, 0, U, arg="center_vec", given="0-D")
    case(f"{name}-center-empty", fn, np.zeros(0), 0, np.zeros((V, 0)), arg="center_vec", given="empty")
    case(f"{name}-center-nan", fn, NAN_V, 0, U, arg="center_vec", given="NaN or inf")
    case(f"{name}-center-string", fn, "v", 0, U, arg="center_vec", given="'v'")
    case(f"{name}-outside-idx-too-big", fn, v, V, U, arg="outside_idx", given=r"0\.\.3.*got 4")
    case(f"{name}-outside-idx-negative", fn, v, -1, U, arg="outside_idx", given="got -1")
    case(f"{name}-outside-idx-float", fn, v, 1.0, U, arg="outside_idx", given=r"float 1\.0")
    case(f"{name}-outside-idx-np-float", fn, v, np.float64(1.0), U, arg="outside_idx", given="float64")
    case(f"{name}-outside-idx-bool", fn, v, True, U, arg="outside_idx", given="bool True")
    case(f"{name}-outside-idx-np-bool", fn, v, np.True_, U, arg="outside_idx", given="True")
    case(f"{name}-outside-idx-string", fn, v, "1", U, arg="outside_idx", given="str '1'")
    case(f"{name}-outside-idx-None", fn, v, None, U, arg="outside_idx", given="None")
    case(f"{name}-outside-idx-array", fn, v, np.array([1]), U, arg="outside_idx", given=r"shape \(1,\)")
    case(f"{name}-outside-vectors-1d", fn, v, 0, v, arg="outside_vectors", given="1-D")
    case(f"{name}-outside-vectors-3d", fn, v, 0, U[None], arg="outside_vectors", given="3-D")
    case(f"{name}-outside-vectors-empty", fn, v, 0, np.zeros((0, D)), arg="outside_vectors", given=r"empty.*\(0, 3\)")
    case(f"{name}-outside-vectors-inf", fn, v, 0, INF_U, arg="outside_vectors", given=r"\(2, 1\)")
    case(f"{name}-outside-vectors-nan", fn, v, 0, U * np.nan, arg="outside_vectors", given="NaN")

for given_negs, given in (
    ([], "empty"),
    ([1.0], "float64"),
    ([True, False], "bool"),
    ("12", "str '12'"),
    (["1"], "<U1"),
    ([1, V], r"got 4 at position 1"),
    ([-1], "got -1"),
    ([[1, 2]], r"shape \(1, 2\)"),
    (2, r"shape \(\)"),
    (None, "None"),
):
    case(
        f"neg-negatives-{given_negs!r}",
        w.neg_sampling_loss_and_gradient,
        v,
        0,
        U,
        given_negs,
        arg="negative_idxs",
        given=given,
    )

# --- noise_distribution
case("noise-negative-count", w.noise_distribution, [3, -1, 2], arg="counts", given=r"-1.*index 1")
case("noise-all-zero", w.noise_distribution, [0, 0, 0], arg="counts", given="all zeros")
case("noise-counts-2d", w.noise_distribution, [[1, 2]], arg="counts", given="2-D")
case("noise-counts-empty", w.noise_distribution, [], arg="counts", given="empty")
case("noise-counts-nan", w.noise_distribution, [1.0, np.nan], arg="counts", given="NaN or inf")
case("noise-counts-inf", w.noise_distribution, [1.0, np.inf], arg="counts", given="NaN or inf")
case("noise-counts-string", w.noise_distribution, "123", arg="counts", given="'123'")
case("noise-power-negative", w.noise_distribution, [1, 2], -0.5, arg="power", given=r"-0\.5")
case("noise-power-nan", w.noise_distribution, [1, 2], np.nan, arg="power", given="NaN or inf")
case("noise-power-array", w.noise_distribution, [1, 2], [0.5, 1.0], arg="power", given="1-D")
case("noise-power-string", w.noise_distribution, [1, 2], "3/4", arg="power", given="'3/4'")

# --- sample_negatives
SN = w.sample_negatives
case("sample-outside-idx-range", SN, V, Q, 2, gen(), arg="outside_idx", given="got 4")
case("sample-outside-idx-float", SN, 1.0, Q, 2, gen(), arg="outside_idx", given="1.0")
case("sample-outside-idx-bool", SN, False, Q, 2, gen(), arg="outside_idx", given="False")
case("sample-outside-idx-string", SN, "0", Q, 2, gen(), arg="outside_idx", given="'0'")
case("sample-noise-sum-2", SN, 0, 2 * Q, 2, gen(), arg="noise", given="sum 2")
case("sample-noise-sum-half", SN, 0, Q / 2, 2, gen(), arg="noise", given=r"sum 0\.5")
case("sample-noise-negative", SN, 0, np.array([1.5, -0.5]), 1, gen(), arg="noise", given="negative")
case("sample-noise-nan", SN, 0, np.array([np.nan, 1.0]), 1, gen(), arg="noise", given="NaN or inf")
case("sample-noise-2d", SN, 0, Q[None], 1, gen(), arg="noise", given="2-D")
case("sample-noise-empty", SN, 0, [], 1, gen(), arg="noise", given="empty")
case(
    "sample-only-outside-has-mass",
    SN,
    1,
    np.array([0.0, 1.0, 0.0]),
    1,
    gen(),
    arg="outside_idx",
    given="all its probability",
)
for bad_k, given in (
    (0, "got 0"),
    (-3, "got -3"),
    (2.0, "float 2.0"),
    (True, "bool True"),
    ("2", "'2'"),
    (None, "None"),
):
    case(f"sample-k-{bad_k!r}", SN, 0, Q, bad_k, gen(), arg="k", given=given)
for bad_rng, given in (
    (0, "got int"),
    (None, "NoneType"),
    (np.random.RandomState(0), "RandomState"),
    (np.random, "module"),
):
    case(f"sample-rng-{type(bad_rng).__name__}", SN, 0, Q, 2, bad_rng, arg="rng", given=given)

# --- skipgram
SG = w.skipgram
case("skipgram-center-idx-range", SG, V, [1], VC, U, arg="center_idx", given="got 4")
case("skipgram-center-idx-float", SG, 1.0, [1], VC, U, arg="center_idx", given="1.0")
case("skipgram-center-idx-bool", SG, True, [1], VC, U, arg="center_idx", given="True")
case("skipgram-center-idx-string", SG, "1", [1], VC, U, arg="center_idx", given="'1'")
case("skipgram-outside-range", SG, 0, [1, 9], VC, U, arg="outside_idxs", given="got 9 at position 1")
case("skipgram-outside-negative", SG, 0, [-2], VC, U, arg="outside_idxs", given="got -2")
case("skipgram-outside-float", SG, 0, [1.0], VC, U, arg="outside_idxs", given="float64")
case("skipgram-outside-bool", SG, 0, [True], VC, U, arg="outside_idxs", given="bool")
case("skipgram-outside-scalar", SG, 0, 1, VC, U, arg="outside_idxs", given=r"shape \(\)")
case("skipgram-outside-2d", SG, 0, [[1, 2]], VC, U, arg="outside_idxs", given=r"shape \(1, 2\)")
case("skipgram-outside-string", SG, 0, "12", VC, U, arg="outside_idxs", given="'12'")
case("skipgram-wrong-d", SG, 0, [1], VC[:, :2], U, arg="center_vectors", given=r"\(4, 2\) and \(4, 3\)")
case("skipgram-wrong-V", SG, 0, [1], VC[:3], U, arg="outside_vectors", given=r"\(3, 3\) and \(4, 3\)")
case("skipgram-center-vectors-1d", SG, 0, [1], v, U, arg="center_vectors", given="1-D")
case("skipgram-center-vectors-nan", SG, 0, [1], VC * np.nan, U, arg="center_vectors", given="NaN")
case("skipgram-center-vectors-empty", SG, 0, [1], np.zeros((0, D)), U, arg="center_vectors", given="empty")
case("skipgram-outside-vectors-inf", SG, 0, [1], VC, INF_U, arg="outside_vectors", given="NaN or inf")
case("skipgram-outside-vectors-3d", SG, 0, [1], VC, U[None], arg="outside_vectors", given="3-D")
case("skipgram-loss-not-callable", SG, 0, [1], VC, U, "naive", arg="loss_and_gradient", given="str")
case(
    "skipgram-loss-wrong-shapes",
    SG,
    0,
    [1],
    VC,
    U,
    lambda c, o, X: (0.0, np.zeros(D + 1), np.zeros((V, D))),
    arg="loss_and_gradient",
    given=r"\(4,\)",
)
case(
    "skipgram-loss-transposed",
    SG,
    0,
    [1],
    VC,
    U,
    lambda c, o, X: (0.0, np.zeros(D), np.zeros((D, V))),
    arg="loss_and_gradient",
    given=r"\(3, 4\)",
)

# --- window_offsets, context_window
for bad_m, given in (
    (0, "got 0"),
    (-1, "got -1"),
    (1.0, "float 1.0"),
    (True, "bool True"),
    ("2", "'2'"),
    (None, "None"),
):
    case(f"window-offsets-m-{bad_m!r}", w.window_offsets, bad_m, arg="m", given=given)
SENT = [5, 6, 7, 8]
case("context-sentence-2d", w.context_window, [SENT], 0, 1, arg="sentence_idxs", given=r"\(1, 4\)")
case("context-sentence-empty", w.context_window, [], 0, 1, arg="sentence_idxs", given=r"\(0,\)")
case("context-sentence-float", w.context_window, [1.0, 2.0], 0, 1, arg="sentence_idxs", given="float64")
case("context-sentence-bool", w.context_window, [True, False], 0, 1, arg="sentence_idxs", given="bool")
case("context-sentence-negative", w.context_window, [3, -2], 0, 1, arg="sentence_idxs", given="-2")
case("context-sentence-string", w.context_window, "abc", 0, 1, arg="sentence_idxs", given=r"\(\)")
case("context-t-range", w.context_window, SENT, 4, 1, arg="t", given=r"0\.\.3.*got 4")
case("context-t-negative", w.context_window, SENT, -1, 1, arg="t", given="got -1")
case("context-t-float", w.context_window, SENT, 1.0, 1, arg="t", given="1.0")
case("context-t-bool", w.context_window, SENT, True, 1, arg="t", given="True")
case("context-m-zero", w.context_window, SENT, 1, 0, arg="m", given="got 0")
case("context-m-float", w.context_window, SENT, 1, 2.0, arg="m", given="2.0")

# --- gradcheck
case("gradcheck-f-not-callable", gradcheck, 3, v, arg="f", given="int")
case("gradcheck-x-nan", gradcheck, ok_f, NAN_V, arg="x", given="NaN or inf")
case("gradcheck-x-inf", gradcheck, ok_f, np.inf, arg="x", given="NaN or inf")
case("gradcheck-x-string", gradcheck, ok_f, "1.0", arg="x", given="'1.0'")
case("gradcheck-x-empty", gradcheck, ok_f, [], arg="x", given="empty")
for param, val in (
    ("h", 0),
    ("h", -1e-6),
    ("h", np.nan),
    ("h", np.inf),
    ("h", "1e-6"),
    ("h", None),
    ("rtol", 0.0),
    ("rtol", -1.0),
    ("rtol", np.nan),
    ("atol", -1e-8),
    ("atol", np.inf),
    ("atol", "0"),
):
    case(f"gradcheck-{param}-{val!r}", gradcheck, ok_f, v, arg=param, given=re.escape(repr(val)), **{param: val})
case("gradcheck-f-returns-triple", gradcheck, lambda x: (0.0, x, x), v, arg="f", given="tuple of length 3")
case("gradcheck-f-returns-scalar", gradcheck, lambda x: 0.0, v, arg="f", given="got float")
case("gradcheck-f-returns-vector-value", gradcheck, lambda x: (x, x), v, arg="f", given=r"shape \(3,\)")

# --- cbow, huffman_tree, hierarchical softmax (notebooks 07, 08)
CB = w.cbow
case("cbow-empty-context", CB, 0, [], VC, U, arg="outside_idxs", given="empty sequence")
case("cbow-outside-range", CB, 0, [1, 9], VC, U, arg="outside_idxs", given="got 9 at position 1")
case("cbow-center-idx-range", CB, V, [1], VC, U, arg="center_idx", given="got 4")
case("cbow-wrong-shape", CB, 0, [1], VC[:, :2], U, arg="center_vectors", given=r"\(4, 2\) and \(4, 3\)")
case("cbow-mean-int", CB, 0, [1], VC, U, mean=1, arg="mean", given="int 1")
case("cbow-loss-not-callable", CB, 0, [1], VC, U, "naive", arg="loss_and_gradient", given="str")
case("huffman-one-word", w.huffman_tree, [3], arg="counts", given="V = 1")
case("huffman-negative", w.huffman_tree, [3, -1], arg="counts", given="-1.0 at index 1")
case("huffman-nan", w.huffman_tree, [3, np.nan], arg="counts", given="NaN")
TREE = w.huffman_tree([4, 3, 2, 1])
N3 = RNG.normal(size=(3, D))
HS = w.hierarchical_softmax_loss_and_gradient
case("hs-tree-type", HS, v, 0, N3, "tree", arg="tree", given="got str")
case("hs-node-rows", HS, v, 0, U, TREE, arg="node_vectors", given=r"got shape \(4, 3\)")
case("hs-center-dim", HS, v[:2], 0, N3, TREE, arg="center_vec", given="dimension d = 2")
case("hs-outside-range", HS, v, 4, N3, TREE, arg="outside_idx", given="got 4")
case("hs-node-nan", HS, v, 0, N3 * np.nan, TREE, arg="node_vectors", given="NaN")
case("hs-probs-tree-type", w.hierarchical_softmax_probabilities, v, N3, None, arg="tree", given="NoneType")

# --- checkers and the answer sheet (the arguments they validate)
case(
    "check-center-outside-idx",
    checks.check_center_gradient,
    sheet.sheet_center_gradient,
    outside_idx=9,
    arg="outside_idx",
    given="got 9",
)
case(
    "check-center-center-vec-nan",
    checks.check_center_gradient,
    sheet.sheet_center_gradient,
    center_vec=np.full(5, np.nan),
    arg="center_vec",
    given="NaN",
)
case(
    "check-outside-outside-vectors-1d",
    checks.check_outside_gradient,
    sheet.sheet_outside_gradient,
    outside_vectors=np.ones(5),
    arg="outside_vectors",
    given="1-D",
)
case(
    "check-neg-center-negatives-range",
    checks.check_neg_sampling_center_gradient,
    sheet.sheet_neg_sampling_center_gradient,
    negative_idxs=[9],
    arg="negative_idxs",
    given="got 9",
)
case(
    "check-neg-outside-negatives-float",
    checks.check_neg_sampling_outside_gradient,
    sheet.sheet_neg_sampling_outside_gradient,
    negative_idxs=[1.0],
    arg="negative_idxs",
    given="float64",
)
case(
    "check-neg-gradients-outside-idx",
    checks.check_neg_sampling_gradients,
    w.neg_sampling_loss_and_gradient,
    outside_idx=1.5,
    arg="outside_idx",
    given="1.5",
)
case(
    "check-loss-outside-idx",
    checks.check_loss_and_gradient,
    w.naive_softmax_loss_and_gradient,
    outside_idx=-1,
    arg="outside_idx",
    given="got -1",
)
case("check-skipgram-t", checks.check_skipgram, sheet.sheet_skipgram, t=20, arg="t", given="got 20")
case("check-skipgram-m", checks.check_skipgram, sheet.sheet_skipgram, m=0, arg="m", given="got 0")
case(
    "check-skipgram-sentence",
    checks.check_skipgram,
    sheet.sheet_skipgram,
    sentence_idxs=[[1, 2]],
    arg="sentence_idxs",
    given=r"\(1, 2\)",
)
case(
    "sheet-center-center-vectors", sheet.sheet_center_gradient, v, 0, U, VC[:2], arg="center_vectors", given=r"\(2, 3\)"
)
case("sheet-center-center-vectors-1d", sheet.sheet_center_gradient, v, 0, U, v, arg="center_vectors", given="1-D")
case("sheet-center-outside-idx", sheet.sheet_center_gradient, v, 9, U, VC, arg="outside_idx", given="got 9")
case("sheet-outside-outside-idx", sheet.sheet_outside_gradient, v, 1.0, U, arg="outside_idx", given="1.0")
case("sheet-outside-wrong-d", sheet.sheet_outside_gradient, v[:2], 1, U, arg="center_vec", given="d = 2")
case(
    "sheet-neg-center-negatives-empty",
    sheet.sheet_neg_sampling_center_gradient,
    v,
    0,
    U,
    [],
    arg="negative_idxs",
    given="empty",
)
case(
    "sheet-neg-outside-negatives-range",
    sheet.sheet_neg_sampling_outside_gradient,
    v,
    0,
    U,
    [7],
    arg="negative_idxs",
    given="got 7",
)
case("sheet-window-offsets-m", sheet.sheet_window_offsets, 0, arg="m", given="got 0")
case("sheet-skipgram-t", sheet.sheet_skipgram, 0, [0, 1, 2], 5, 1, VC, U, arg="t", given="got 5")
case("sheet-skipgram-m", sheet.sheet_skipgram, 0, [0, 1, 2], 1, 0, VC, U, arg="m", given="got 0")
case("sheet-skipgram-center-idx", sheet.sheet_skipgram, 9, [0, 1, 2], 1, 1, VC, U, arg="center_idx", given="got 9")
case("sheet-skipgram-center-vectors", sheet.sheet_skipgram, 0, [0, 1, 2], 1, 1, v, U, arg="center_vectors", given="1-D")

case("check-answer-latex", w.check_answer, 3, arg="latex", given="int")
case("check-answer-loss", w.check_answer, "x = 1", loss="bogus", arg="loss", given="'bogus'")
case("check-answer-notation", w.check_answer, "x = 1", notation="v", arg="notation", given="'v'")
case("check-derivation-text", w.check_derivation, None, arg="text", given="NoneType")


@pytest.mark.parametrize("call,arg,given", CASES)
def test_bad_input_raises_value_error_naming_the_argument(call, arg, given):
    with pytest.raises(ValueError, match=rf"(?<![\w]){re.escape(arg)}(?![\w])") as info:
        call()
    msg = str(info.value)
    assert re.search("must|expected|no other word can be drawn", msg), msg  # what was expected
    assert re.search(given, msg), f"{given!r} not in {msg!r}"  # what was given


def test_every_public_core_function_has_bad_input_cases():
    ids = " ".join(p.id for p in CASES)
    prefixes = {
        "cbow": "cbow-",
        "huffman_tree": "huffman-",
        "hierarchical_softmax_loss_and_gradient": "hs-",
        "hierarchical_softmax_probabilities": "hs-probs-",
        "sigmoid": "sigmoid-",
        "sigmoid_grad": "sigmoid_grad-",
        "softmax": "softmax-",
        "naive_softmax_loss_and_gradient": "naive-",
        "neg_sampling_loss_and_gradient": "neg-",
        "noise_distribution": "noise-",
        "sample_negatives": "sample-",
        "skipgram": "skipgram-",
        "window_offsets": "window-offsets-",
        "context_window": "context-",
        "gradcheck": "gradcheck-",
        "check_answer": "check-answer-",
        "check_derivation": "check-derivation-",
    }
    for name in w.__all__:
        if name == "GradcheckResult":
            continue
        assert prefixes[name] in ids, name


def test_validation_happens_before_any_computation():
    calls = []

    def spy(c, o, X):
        calls.append(o)
        return w.naive_softmax_loss_and_gradient(c, o, X)

    with pytest.raises(ValueError, match="outside_idxs"):
        w.skipgram(0, [1, 2, 9], VC, U, spy)  # the bad index is last: no position may run first
    assert calls == []
    f_calls = []

    def f(x):
        f_calls.append(1)
        return ok_f(x)

    with pytest.raises(ValueError, match="rtol"):
        gradcheck(f, v, rtol=-1)
    assert f_calls == []


def test_errors_are_value_errors_not_type_or_index_errors():
    # a sample of inputs that numpy alone would reject with TypeError / IndexError
    for call in (
        lambda: w.sigmoid({"a": 1}),
        lambda: w.naive_softmax_loss_and_gradient(v, 2.5, U),
        lambda: w.neg_sampling_loss_and_gradient(v, 0, U, [0, 99]),
        lambda: w.skipgram(0, [object()], VC, U),
        lambda: w.window_offsets([2]),
    ):
        with pytest.raises(ValueError):
            call()


def test_valid_edge_inputs_are_accepted():
    # numpy integer scalars and 0-d integer arrays are valid indices; lists are valid arrays
    assert w.naive_softmax_loss_and_gradient(list(v), np.int8(3), U.tolist())[1].shape == (D,)
    assert w.naive_softmax_loss_and_gradient(v, np.array(3), U)[2].shape == (V, D)
    assert w.neg_sampling_loss_and_gradient(v, 0, U, (np.uint8(1), 3))[2].shape == (V, D)
    assert w.sample_negatives(np.int64(0), Q, np.int32(3), gen()).shape == (3,)
    assert w.window_offsets(np.int16(2)) == [-2, -1, 1, 2]
    assert w.context_window(np.array([1, 2, 3], dtype=np.uint8), np.int64(1), 1).tolist() == [1, 3]
    # noise that sums to 1 only up to rounding is accepted
    q = np.array([0.7, 0.2, 0.1])
    assert q.sum() != 1.0
    assert w.sample_negatives(0, q, 5, gen()).shape == (5,)
    # sigmoid accepts an empty array (elementwise of nothing)
    assert w.sigmoid(np.zeros((0, 3))).shape == (0, 3)
