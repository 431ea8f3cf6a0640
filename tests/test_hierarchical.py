"""Hierarchical softmax and the Huffman tree (w2v_helpers.hierarchical, notebook 08).

References are written here from the formulas: autograd for the gradients, a heap-built
Huffman code for optimality, a line-by-line transcription of word2vec.c's CreateBinaryTree for
the exact tree, and exhaustive leaf enumeration for the probabilities.
"""

from __future__ import annotations

import heapq
import itertools
import warnings

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import w2v_helpers as w
from w2v_helpers import (
    gradcheck,
    hierarchical_softmax_loss_and_gradient,
    hierarchical_softmax_probabilities,
    huffman_tree,
)
from w2v_helpers.checks_cbow_hs import check_hierarchical_softmax, hs_scene
from w2v_helpers.hierarchical import HuffmanTree, huffman_code_lengths_heapq

EPS = np.finfo(np.float64).eps
RTOL = 1e-7
FAST = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


def reals(mag):
    return st.floats(-mag, mag, allow_nan=False, allow_infinity=False, allow_subnormal=False)


@st.composite
def count_lists(draw, min_V=2, max_V=40):
    """Counts of every shape: random (ties likely), geometric (a path as deep as V - 1), all equal."""
    V = draw(st.integers(min_V, max_V))
    kind = draw(st.sampled_from(["random", "geometric", "equal", "zeros"]))
    if kind == "random":
        return np.array(draw(st.lists(st.integers(1, 50), min_size=V, max_size=V)), dtype=float)
    if kind == "geometric":
        base = draw(st.sampled_from([1.5, 2.0, 3.0]))
        c = base ** np.arange(V, dtype=float)
        return c[draw(st.permutations(list(range(V))))]
    if kind == "equal":
        return np.full(V, float(draw(st.integers(1, 9))))
    c = np.array(draw(st.lists(st.integers(0, 5), min_size=V, max_size=V)), dtype=float)
    return c


@st.composite
def hs_scenes(draw, mag, max_d=10):
    counts = draw(count_lists())
    tree = huffman_tree(counts)
    d = draw(st.integers(1, max_d))
    N = draw(hnp.arrays(np.float64, (tree.n_inner, d), elements=reals(mag)))
    v = draw(hnp.arrays(np.float64, (d,), elements=reals(mag)))
    deep = draw(st.booleans())
    o = int(np.argmax(tree.code_lengths)) if deep else draw(st.integers(0, tree.V - 1))
    return v, o, N, tree


# --------------------------------------------------------------------------- independent references


def ag_hs_loss(v, N, path, codes):
    """J = -sum_j log sigma((1 - 2 code_j) n_{path_j} . v), in autograd."""
    s = 1.0 - 2.0 * np.asarray(codes, dtype=float)
    z = s * anp.dot(N[np.asarray(path)], v)
    return anp.sum(anp.logaddexp(0.0, -z))


def word2vec_c_tree(sorted_counts):
    """word2vec.c's CreateBinaryTree, transcribed statement by statement (counts sorted decreasing)."""
    vocab_size = len(sorted_counts)
    count = [0] * (vocab_size * 2 + 1)
    binary = [0] * (vocab_size * 2 + 1)
    parent_node = [0] * (vocab_size * 2 + 1)
    for a in range(vocab_size):
        count[a] = sorted_counts[a]
    for a in range(vocab_size, vocab_size * 2):
        count[a] = 1e15
    pos1 = vocab_size - 1
    pos2 = vocab_size
    for a in range(vocab_size - 1):
        if pos1 >= 0:
            if count[pos1] < count[pos2]:
                min1i = pos1
                pos1 -= 1
            else:
                min1i = pos2
                pos2 += 1
        else:
            min1i = pos2
            pos2 += 1
        if pos1 >= 0:
            if count[pos1] < count[pos2]:
                min2i = pos1
                pos1 -= 1
            else:
                min2i = pos2
                pos2 += 1
        else:
            min2i = pos2
            pos2 += 1
        count[vocab_size + a] = count[min1i] + count[min2i]
        parent_node[min1i] = vocab_size + a
        parent_node[min2i] = vocab_size + a
        binary[min2i] = 1
    points, codes = [], []
    for a in range(vocab_size):
        b = a
        i = 0
        code, point = [], []
        while True:
            code.append(binary[b])
            point.append(b)
            i += 1
            b = parent_node[b]
            if b == vocab_size * 2 - 2:
                break
        vcode = [0] * i
        vpoint = [0] * (i + 1)
        vpoint[0] = vocab_size - 2
        for b in range(i):
            vcode[i - b - 1] = code[b]
            vpoint[i - b] = point[b] - vocab_size
        points.append(vpoint[:i])  # point[i] is the leaf itself (negative): never used
        codes.append(vcode)
    return points, codes


def heap_weighted_length(counts):
    heap = list(map(float, counts))
    heapq.heapify(heap)
    total = 0.0
    while len(heap) > 1:
        a, b = heapq.heappop(heap), heapq.heappop(heap)
        total += a + b  # every merge adds one bit to every leaf below it
        heapq.heappush(heap, a + b)
    return total


def rounding_floor(*arrays, terms=1):
    size = max([1.0] + [float(np.max(np.abs(a))) for a in arrays if np.size(a)])
    return 16 * EPS * size * terms


# --------------------------------------------------------------------------- the tree


def test_exported():
    for name in (
        "cbow",
        "huffman_tree",
        "hierarchical_softmax_loss_and_gradient",
        "hierarchical_softmax_probabilities",
    ):
        assert name in w.__all__ and callable(getattr(w, name))


def test_textbook_example():
    # CLRS's example: f:45 gets a 1-bit code, a:5 and b:9 4 bits, the others 3
    t = huffman_tree([5, 9, 12, 13, 16, 45])
    assert t.code_lengths.tolist() == [4, 4, 3, 3, 3, 1]
    assert t.V == 6 and t.n_inner == 5 and t.root == 4
    assert t.paths[5].tolist() == [4] and t.codes[5].tolist() == [0]
    assert t.paths[4].tolist() == [4, 3, 2] and t.codes[4].tolist() == [1, 1, 1]
    assert all(p[0] == t.root for p in t.paths)


@given(count_lists())
@FAST
def test_tree_is_exactly_word2vec_c_on_sorted_counts(counts):
    assume(counts.sum() < 1e15)  # word2vec.c's sentinel count for nodes not yet built
    counts = np.sort(counts)[::-1]
    t = huffman_tree(counts)
    points, codes = word2vec_c_tree(counts.tolist())
    for wd in range(len(counts)):
        assert t.paths[wd].tolist() == points[wd]
        assert t.codes[wd].tolist() == codes[wd]


@given(count_lists())
@FAST
def test_tree_of_unsorted_counts_is_the_sorted_tree_relabelled(counts):
    assume(counts.sum() < 1e15)
    t = huffman_tree(counts)
    order = np.argsort(-counts, kind="stable")
    points, codes = word2vec_c_tree(counts[order].tolist())
    for rank, wd in enumerate(order):
        assert t.paths[wd].tolist() == points[rank] and t.codes[wd].tolist() == codes[rank]


@given(count_lists())
@FAST
def test_code_is_prefix_free_complete_and_optimal(counts):
    t = huffman_tree(counts)
    V = len(counts)
    words = [tuple(c.tolist()) for c in t.codes]
    assert len(set(words)) == V
    for a, b in itertools.permutations(words, 2):
        assert b[: len(a)] != a, f"{a} is a prefix of {b}"
    L = t.code_lengths
    assert sum(2.0**-L) == pytest.approx(1.0, abs=1e-12)  # Kraft: a full binary tree
    assert np.dot(counts, L) == pytest.approx(heap_weighted_length(counts), rel=1e-12, abs=1e-9)
    assert np.dot(counts, L) == pytest.approx(np.dot(counts, huffman_code_lengths_heapq(counts)), rel=1e-12, abs=1e-9)
    # every inner node is used, each exactly once as the root of a subtree
    assert t.children.shape == (V - 1, 2)
    assert sorted(t.children.reshape(-1).tolist()) == sorted(set(range(2 * V - 1)) - {2 * V - 2})


@given(count_lists())
@FAST
def test_paths_follow_the_children(counts):
    t = huffman_tree(counts)
    V = t.V
    for wd in range(V):
        node = t.root
        for j, (n, code) in enumerate(zip(t.paths[wd], t.codes[wd])):
            assert n == node
            child = int(t.children[n, code])
            node = child - V if child >= V else None
            if j == len(t.paths[wd]) - 1:
                assert child == wd
            else:
                assert child >= V


@given(count_lists())
@FAST
def test_expected_code_length_within_a_bit_of_the_entropy(counts):
    if counts.sum() == 0:
        return
    t = huffman_tree(counts)
    p = counts / counts.sum()
    H = -np.sum(p[p > 0] * np.log2(p[p > 0]))
    assert H - 1e-9 <= t.expected_code_length() < H + 1 + 1e-9


def test_frequent_words_get_short_codes_and_skewed_counts_give_deep_paths():
    counts = 2.0 ** np.arange(20)
    t = huffman_tree(counts)
    assert t.code_lengths.max() == 19  # the rarest two words sit at depth V - 1
    assert np.all(np.diff(t.code_lengths[np.argsort(-counts)]) >= 0)
    t2 = huffman_tree(np.ones(1024))
    assert set(t2.code_lengths.tolist()) == {10}  # log2 V when all words are equally frequent


def test_tie_between_leaf_and_inner_node_takes_the_inner_node_first():
    # counts 2, 1, 1: merge (1, 1) -> inner node 0 with count 2; then leaf 2 vs inner 2: a tie,
    # and word2vec.c's strict "<" takes the inner node as the first (code 0) child
    t = huffman_tree([2, 1, 1])
    assert t.paths[0].tolist() == [1] and t.codes[0].tolist() == [1]
    assert t.children[1].tolist() == [3, 0]


def test_tree_is_immutable():
    t = huffman_tree([3, 2, 1])
    with pytest.raises(ValueError):
        t.paths[0][0] = 5
    with pytest.raises(ValueError):
        t.codes[0][0] = 1


@pytest.mark.parametrize(
    "bad, match",
    [
        ([1], "at least 2 words"),
        ([], "must not be empty"),
        ([3, -1], "non-negative"),
        ([[1, 2]], "1-D"),
        ([1, np.nan], "finite"),
        ("abc", "real number"),
    ],
)
def test_tree_validation(bad, match):
    with pytest.raises(ValueError, match=match):
        huffman_tree(bad)


# --------------------------------------------------------------------------- probabilities


@pytest.mark.parametrize("mag", [1.0, 10.0, 1e3])
@given(data=st.data())
@FAST
def test_leaf_probabilities_sum_to_one_for_any_vectors(mag, data):
    v, _, N, tree = data.draw(hs_scenes(mag))
    p = hierarchical_softmax_probabilities(v, N, tree)
    assert p.shape == (tree.V,) and np.all(p >= 0)
    assert p.sum() == pytest.approx(1.0, abs=1e-12 * tree.V)


def test_probabilities_match_the_loss_and_a_product_of_branches():
    v, o, N, tree = hs_scene()
    p = hierarchical_softmax_probabilities(v, N, tree)
    for wd in range(tree.V):
        prod = 1.0
        for n, code in zip(tree.paths[wd], tree.codes[wd]):
            x = N[n] @ v
            prod *= 1 / (1 + np.exp(-x)) if code == 0 else 1 / (1 + np.exp(x))
        assert p[wd] == pytest.approx(prod, rel=1e-12)
        assert hierarchical_softmax_loss_and_gradient(v, wd, N, tree)[0] == pytest.approx(-np.log(prod), rel=1e-12)


def test_code_zero_branch_has_probability_sigma_of_the_score():
    tree = huffman_tree([1, 1])  # one inner node: word 0 is code 0? check both
    N = np.array([[2.0]])
    v = np.array([1.0])
    p = hierarchical_softmax_probabilities(v, N, tree)
    zero_word = [wd for wd in range(2) if tree.codes[wd][0] == 0][0]
    assert p[zero_word] == pytest.approx(1 / (1 + np.exp(-2.0)), rel=1e-14)


# --------------------------------------------------------------------------- gradients


@pytest.mark.parametrize("mag", [1.0, 10.0, 1e3])
@given(data=st.data())
@FAST
def test_hs_matches_autograd(mag, data):
    v, o, N, tree = data.draw(hs_scenes(mag))
    path, codes = tree.paths[o], tree.codes[o]
    loss, gv, gN = hierarchical_softmax_loss_and_gradient(v, o, N, tree)
    ref = float(ag_hs_loss(v, N, path, codes))
    ref_gv = grad(ag_hs_loss, 0)(v, N, path, codes)
    ref_gN = grad(ag_hs_loss, 1)(v, N, path, codes)
    L = len(path)
    top = float(np.max(np.abs(N[path] @ v)))
    assert loss == pytest.approx(ref, rel=RTOL, abs=16 * EPS * max(1.0, top) * L)
    np.testing.assert_allclose(gv, ref_gv, rtol=RTOL, atol=rounding_floor(N, terms=L))
    np.testing.assert_allclose(gN, ref_gN, rtol=RTOL, atol=rounding_floor(v))


@given(hs_scenes(3.0, max_d=4))
@settings(FAST, max_examples=25)
def test_hs_gradients_pass_gradcheck(scene):
    v, o, N, tree = scene
    r1 = gradcheck(lambda x: hierarchical_softmax_loss_and_gradient(x, o, N, tree)[:2], v)
    r2 = gradcheck(lambda X: hierarchical_softmax_loss_and_gradient(v, o, X, tree)[::2], N)
    assert r1.passed or r1.kind == "vacuous", r1
    assert r2.passed or r2.kind == "vacuous", r2


def test_deep_path_matches_autograd():
    counts = 2.0 ** np.arange(30)
    tree = huffman_tree(counts)
    o = 0
    assert len(tree.paths[o]) == 29
    rng = np.random.default_rng(7)
    N, v = rng.normal(size=(29, 8)), rng.normal(size=8)
    _, gv, gN = hierarchical_softmax_loss_and_gradient(v, o, N, tree)
    np.testing.assert_allclose(gv, grad(ag_hs_loss, 0)(v, N, tree.paths[o], tree.codes[o]), rtol=RTOL, atol=1e-13)
    np.testing.assert_allclose(gN, grad(ag_hs_loss, 1)(v, N, tree.paths[o], tree.codes[o]), rtol=RTOL, atol=1e-13)


def test_only_the_path_is_read_and_touched():
    counts = np.arange(1, 65, dtype=float)
    tree = huffman_tree(counts)
    rng = np.random.default_rng(0)
    N, v = rng.normal(size=(63, 5)), rng.normal(size=5)
    for o in (0, 31, 63):
        path = tree.paths[o]
        loss, gv, gN = hierarchical_softmax_loss_and_gradient(v, o, N, tree)
        off = np.setdiff1d(np.arange(63), path)
        assert not np.any(gN[off]) and np.all(np.any(gN[path], axis=1))
        N2 = N.copy()
        N2[off] = rng.normal(size=(off.size, 5)) * 100  # change every node off the path
        loss2, gv2, gN2 = hierarchical_softmax_loss_and_gradient(v, o, N2, tree)
        assert loss2 == loss and np.array_equal(gv2, gv) and np.array_equal(gN2, gN)
        assert len(path) <= 2 * np.log2(64)  # O(log V) nodes for these counts


def test_stable_at_large_scores():
    tree = huffman_tree([5, 4, 3, 2, 1])
    N = np.full((4, 2), 1e4)
    v = np.array([1e4, -3e4])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise", under="ignore"):
            for o in range(5):
                loss, gv, gN = hierarchical_softmax_loss_and_gradient(v, o, N, tree)
                assert np.isfinite(loss) and np.all(np.isfinite(gv)) and np.all(np.isfinite(gN))
            p = hierarchical_softmax_probabilities(v, N, tree)
    assert p.sum() == pytest.approx(1.0)


def test_word2vec_c_update_is_minus_the_gradient():
    # word2vec.c: f = syn0 . syn1[l2]; g = (1 - code - sigmoid(f)) * alpha; syn1[l2] += g * syn0
    v, o, N, tree = hs_scene()
    _, _, gN = hierarchical_softmax_loss_and_gradient(v, o, N, tree)
    for n, code in zip(tree.paths[o], tree.codes[o]):
        f = N[n] @ v
        g = 1 - code - 1 / (1 + np.exp(-f))
        np.testing.assert_allclose(gN[n], -g * v, rtol=1e-12)


def test_does_not_modify_inputs_and_accepts_lists():
    v, o, N, tree = hs_scene()
    v0, N0 = v.copy(), N.copy()
    out = hierarchical_softmax_loss_and_gradient(v.tolist(), np.int64(o), N.tolist(), tree)
    assert np.array_equal(v, v0) and np.array_equal(N, N0)
    assert out[1].shape == v.shape and out[2].shape == N.shape


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(tree="tree"), "tree must be a HuffmanTree"),
        (dict(node_vectors=np.zeros((3, 6))), "one row per inner node"),
        (dict(center_vec=np.zeros(4)), "dimension"),
        (dict(outside_idx=8), "outside_idx must be in range 0..7"),
        (dict(outside_idx=1.5), "outside_idx must be an integer"),
        (dict(center_vec=[np.inf] * 6), "finite"),
    ],
)
def test_hs_validation(kwargs, match):
    v, o, N, tree = hs_scene()
    args = dict(center_vec=v, outside_idx=o, node_vectors=N, tree=tree)
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        hierarchical_softmax_loss_and_gradient(**args)


# --------------------------------------------------------------------------- the checker and wrong answers


def _sig(x):
    return 1 / (1 + np.exp(-x))


def make_hs(kind):
    """Candidate functions with one slip each."""

    def f(v, o, N, tree):
        path, codes = tree.paths[o], tree.codes[o].astype(float)
        x = N[path] @ v
        cd = codes.copy()
        if kind in ("ignore_code",):
            cd = 0 * cd
        if kind == "swap":
            cd = 1 - cd
        s = 1 - 2 * cd
        coef = _sig(x) - (1 - cd)
        loss = float(np.sum(np.logaddexp(0, -s * x)))
        if kind == "sign":
            coef = -coef
        if kind == "drop_root":
            coef = coef.copy()
            coef[0] = 0.0
            loss -= float(np.logaddexp(0, -s * x)[0])
        if kind == "sigma_z":  # d/dz log sigma(z) taken as sigma(z)
            coef = -s * _sig(s * x)
        if kind == "flip_last":  # one step's sign flipped
            coef = coef.copy()
            coef[-1] = -coef[-1]
        if kind == "wrong_loss":
            loss = loss + 0.5  # gradients consistent, loss off
        gN = np.zeros_like(N)
        gN[path] = np.outer(coef, v)
        gv = coef @ N[path]
        if kind == "zeros":
            gv, gN = 0 * gv, 0 * gN
        if kind == "all_nodes":
            gN = gN + 0.05 * np.outer(np.ones(len(N)), v)
        if kind == "no_v":  # the scalar, broadcast over the row
            gN = np.zeros_like(N)
            gN[path] = coef[:, None]
        return loss, gv, gN

    return f


def test_checker_accepts_the_right_answer():
    assert check_hierarchical_softmax(hierarchical_softmax_loss_and_gradient).passed


@pytest.mark.parametrize(
    "kind, part, words",
    [
        ("ignore_code", "∂J/∂v_c", ["code ignored", "Every step with code 1"]),
        ("swap", "∂J/∂v_c", ["convention is swapped"]),
        ("sign", "∂J/∂v_c", ["Sign error"]),
        ("drop_root", "∂J/∂v_c", ["step 1 (node 6", "missing"]),
        ("sigma_z", "∂J/∂v_c", ["σ(−s_j nᵀv_c) belongs"]),
        ("flip_last", "∂J/∂(node vectors)", ["step 5 (node 0, code 1): the wrong sign"]),
        ("zeros", "∂J/∂v_c", ["identically zero"]),
        ("all_nodes", "∂J/∂(node vectors)", ["not on o's path"]),
        ("no_v", "∂J/∂(node vectors)", ["vector factor is missing"]),
        ("wrong_loss", "J", ["true loss is"]),
    ],
)
def test_checker_names_the_slip(kind, part, words):
    rep = check_hierarchical_softmax(make_hs(kind))
    assert not rep.passed
    assert not rep[part].passed
    for word in words:
        assert word in rep[part].diagnosis, rep[part].diagnosis


@pytest.mark.parametrize(
    "kind, words",
    [
        ("ignore_code", "every code taken as 0"),
        ("swap", "convention swapped"),
        ("drop_root", "leaves out step 1"),
    ],
)
def test_checker_names_the_wrong_loss(kind, words):
    rep = check_hierarchical_softmax(make_hs(kind))
    assert words in rep["J"].diagnosis


def test_checker_wrong_loss_with_consistent_gradients():
    def f(v, o, N, tree):  # gradients of 2 J, loss 2 J: consistent, wrong
        loss, gv, gN = hierarchical_softmax_loss_and_gradient(v, o, N, tree)
        return 2 * loss, 2 * gv, 2 * gN

    rep = check_hierarchical_softmax(f)
    assert not rep["J"].passed and not rep["∂J/∂v_c"].passed and rep["∂J/∂v_c"].kind == "factor"


def test_checker_on_another_tree_uses_the_deepest_word():
    tree = huffman_tree(2.0 ** np.arange(8))
    rng = np.random.default_rng(1)
    N = rng.normal(size=(7, 8))
    assert check_hierarchical_softmax(hierarchical_softmax_loss_and_gradient, node_vectors=N, tree=tree).passed
    rep = check_hierarchical_softmax(make_hs("ignore_code"), node_vectors=N, tree=tree)
    assert not rep.passed


def test_checker_validation():
    with pytest.raises(ValueError, match="fn must be a function"):
        check_hierarchical_softmax(3)
    with pytest.raises(ValueError, match="pass tree together"):
        check_hierarchical_softmax(hierarchical_softmax_loss_and_gradient, node_vectors=np.zeros((7, 6)))
    with pytest.raises(ValueError, match="triple"):
        check_hierarchical_softmax(lambda v, o, N, t: (1.0, v))


def test_tree_repr():
    assert "V=6" in repr(huffman_tree([5, 9, 12, 13, 16, 45]))
    assert isinstance(hs_scene()[3], HuffmanTree)


# --------------------------------------------------------------------------- the explorer (notebook 08)

from w2v_helpers.widgets import hierarchical as hw  # noqa: E402


def test_explorer_state_matches_the_functions():
    scene = hw.hs_scene()
    for o in range(scene.V):
        st = hw.hs_state(o, 0.3, -1.2, scene)
        v = np.array([0.3, -1.2])
        loss, gv, gN = hierarchical_softmax_loss_and_gradient(v, o, scene.node_vectors, scene.tree)
        assert st["loss"] == loss and np.array_equal(st["grad_center_vec"], gv)
        assert np.array_equal(st["grad_node_vectors"], gN)
        assert st["path_p"] == pytest.approx(np.exp(-loss), rel=1e-12)
        assert st["leaf_p"][o] == pytest.approx(st["path_p"], rel=1e-12)
        assert st["leaf_p"].sum() == pytest.approx(1.0)
        for n, c, p in zip(st["path"], st["codes"], st["branch_p"]):
            p0 = st["node_p0"][n]
            assert p == pytest.approx(p0 if c == 0 else 1 - p0, rel=1e-12)


def test_tree_layout_puts_children_below_and_leaves_apart():
    tree = hw.hs_scene().tree
    leaf_xy, inner_xy = hw.tree_layout(tree)
    assert sorted(leaf_xy[:, 0].tolist()) == list(range(tree.V))
    for n in range(tree.n_inner):
        kids = [leaf_xy[c] if c < tree.V else inner_xy[c - tree.V] for c in tree.children[n]]
        assert all(k[1] == inner_xy[n, 1] - 1 for k in kids)
        assert kids[0][0] < inner_xy[n, 0] < kids[1][0]
    for word in range(tree.V):
        assert leaf_xy[word, 1] == -len(tree.paths[word])


def test_explorer_renders_every_control():
    e = hw.hierarchical_explorer()
    assert set(hw.EXPLORERS) == {"hierarchical_softmax"}
    for kw in [dict(outside=o) for o in range(8)] + [dict(v0=-2.5, v1=2.5), dict(v0=2.5, v1=-2.5)]:
        assert e.render(**kw)[:8] == b"\x89PNG\r\n\x1a\n"
    assert "inner nodes get a gradient" in e.readout_view.value


def test_counts_above_word2vec_c_sentinel_still_give_an_optimal_tree():
    counts = 3.0 ** np.arange(40)  # sums past word2vec.c's 1e15 sentinel
    t = huffman_tree(counts)
    assert np.dot(counts, t.code_lengths) == pytest.approx(heap_weighted_length(counts), rel=1e-12)
    assert t.code_lengths.max() == 39
