"""The trainer's CBOW and hierarchical-softmax objectives: a minibatch is the sum of the core functions."""

import functools

import numpy as np
import pytest

from w2v_helpers import cbow, hierarchical_softmax_loss_and_gradient, huffman_tree, neg_sampling_loss_and_gradient
from w2v_helpers.training import TrainConfig, train
from w2v_helpers.training.cli import main
from w2v_helpers.training.objectives_cbow_hs import (
    CBOWHierarchicalSoftmax,
    CBOWNegativeSampling,
    HierarchicalSoftmax,
    cbow_batch_loss_and_gradient,
    padded_paths,
    tree_batch_loss_and_gradient,
)

TOY = [
    s.split()
    for s in [
        "the king rules the kingdom",
        "the queen rules the kingdom",
        "a man walks to the castle",
        "a woman walks to the castle",
        "the cat sat on the mat",
        "the dog sat on the rug",
        "the king and the queen eat dinner",
        "the man and the woman eat bread",
    ]
] * 3


def random_case(seed, V=6, d=4, m=2, P=7, skewed=True):
    rng = np.random.default_rng(seed)
    W = rng.normal(size=(V, d))
    window_words = rng.integers(0, V, size=P + 2 * m)
    window_words[:3] = window_words[3]  # a word repeated inside one window
    mask = rng.random((P, 2 * m + 1)) < 0.7
    mask[:, m] = False
    mask[1] = False  # an empty window: no term
    counts = (2.0 ** np.arange(V))[::-1] if skewed else rng.integers(1, 50, size=V)  # 2^k: depth V - 1
    return rng, W, window_words, mask, counts


def contexts(window_words, mask, p):
    return [int(window_words[p + j]) for j in np.flatnonzero(mask[p])]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("exact", [True, False])
def test_cbow_negative_sampling_batch_is_the_sum_of_cbow(seed, exact):
    rng, W, ww, mask, _ = random_case(seed)
    V, d = W.shape
    P, K = mask.shape[0], 3
    U = rng.normal(size=(V, d))
    middle = ww[2 : 2 + P]
    negs = rng.integers(0, V, size=(P, K))
    negs[0, 1] = negs[0, 0]  # a negative drawn twice
    loss, gW, gU = cbow_batch_loss_and_gradient(W, U, ww, mask, middle, negatives=negs, exact_gradient=exact)
    ref, rW, rU = 0.0, np.zeros_like(W), np.zeros_like(U)
    for p in range(P):
        ctx = contexts(ww, mask, p)
        if not ctx:
            continue
        f = functools.partial(neg_sampling_loss_and_gradient, negative_idxs=negs[p])
        lp, g_w, g_u = cbow(int(middle[p]), ctx, W, U, loss_and_gradient=f, mean=True)
        ref += lp
        rW += g_w * (1.0 if exact else len(ctx))  # word2vec.c: the full dJ/dv_hat per context word
        rU += g_u
    assert loss == pytest.approx(ref, rel=1e-12)
    np.testing.assert_allclose(gW, rW, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(gU, rU, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("skewed", [True, False])
def test_cbow_hs_batch_is_the_sum_of_cbow_with_hs(seed, skewed):
    rng, W, ww, mask, counts = random_case(seed, V=9, skewed=skewed)
    V, d = W.shape
    tree = huffman_tree(counts)
    if skewed:
        assert max(len(p) for p in tree.paths) == V - 1  # deep paths: the padding is exercised
    N = rng.normal(size=(V - 1, d))
    P = mask.shape[0]
    middle = ww[2 : 2 + P]
    loss, gW, gN = cbow_batch_loss_and_gradient(W, N, ww, mask, middle, tree=tree)
    ref, rW, rN = 0.0, np.zeros_like(W), np.zeros_like(N)
    for p in range(P):
        ctx = contexts(ww, mask, p)
        if not ctx:
            continue
        v_hat = W[ctx].mean(axis=0)
        lp, g_v, g_n = hierarchical_softmax_loss_and_gradient(v_hat, int(middle[p]), N, tree)
        ref += lp
        for c in ctx:
            rW[c] += g_v / len(ctx)
        rN += g_n
    assert loss == pytest.approx(ref, rel=1e-12)
    np.testing.assert_allclose(gW, rW, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(gN, rN, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("skewed", [True, False])
def test_skipgram_hs_batch_is_the_sum_of_hs_per_pair(seed, skewed):
    rng, W, ww, mask, counts = random_case(seed, V=9, skewed=skewed)
    V, d = W.shape
    tree = huffman_tree(counts)
    N = rng.normal(size=(V - 1, d))
    P = mask.shape[0]
    middle = ww[2 : 2 + P]
    loss, gW, gN = tree_batch_loss_and_gradient(W, N, ww, mask, middle, tree)
    ref, rW, rN = 0.0, np.zeros_like(W), np.zeros_like(N)
    for p in range(P):
        for c in contexts(ww, mask, p):
            lp, g_v, g_n = hierarchical_softmax_loss_and_gradient(W[c], int(middle[p]), N, tree)
            ref += lp
            rW[c] += g_v
            rN += g_n
    assert loss == pytest.approx(ref, rel=1e-12)
    np.testing.assert_allclose(gW, rW, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(gN, rN, rtol=1e-10, atol=1e-12)


def test_the_batch_checks_reject_wrong_references():
    """The comparisons above are not vacuous: a flipped code, a sum instead of a mean, a lost repeat all differ."""
    rng, W, ww, mask, counts = random_case(0, V=9)
    V, d = W.shape
    tree = huffman_tree(counts)
    N = rng.normal(size=(V - 1, d))
    P = mask.shape[0]
    middle = ww[2 : 2 + P]
    loss, gW, gN = cbow_batch_loss_and_gradient(W, N, ww, mask, middle, tree=tree)
    wrong_sum, wrong_flip, wrong_set = 0.0, 0.0, 0.0
    for p in range(P):
        ctx = contexts(ww, mask, p)
        if not ctx:
            continue
        o = int(middle[p])
        wrong_sum += hierarchical_softmax_loss_and_gradient(W[ctx].sum(axis=0), o, N, tree)[0]
        wrong_flip += hierarchical_softmax_loss_and_gradient(-W[ctx].mean(axis=0), o, N, tree)[0]
        wrong_set += hierarchical_softmax_loss_and_gradient(W[sorted(set(ctx))].mean(axis=0), o, N, tree)[0]
    for wrong in (wrong_sum, wrong_flip, wrong_set):
        assert abs(wrong - loss) > 1e-6
    # the word2vec.c update is not the gradient (unless every window has one word)
    _, gW_w2v, _ = cbow_batch_loss_and_gradient(W, N, ww, mask, middle, tree=tree, exact_gradient=False)
    assert not np.allclose(gW_w2v, gW)
    np.testing.assert_allclose(_, gN)


def test_padded_paths_match_the_tree():
    tree = huffman_tree([50, 20, 10, 5, 5, 1])
    paths, signs = padded_paths(tree)
    for w in range(tree.V):
        L = len(tree.paths[w])
        np.testing.assert_array_equal(paths[w, :L], tree.paths[w])
        np.testing.assert_array_equal(signs[w, :L], 1 - 2 * tree.codes[w].astype(float))
        assert np.all(signs[w, L:] == 0)


def test_batch_functions_reject_bad_input():
    rng, W, ww, mask, counts = random_case(0)
    V, d = W.shape
    tree = huffman_tree(counts)
    P = mask.shape[0]
    middle = ww[2 : 2 + P]
    with pytest.raises(ValueError, match="exactly one"):
        cbow_batch_loss_and_gradient(W, W, ww, mask, middle)
    with pytest.raises(ValueError, match="outside_vectors"):
        cbow_batch_loss_and_gradient(W, W, ww, mask, middle, tree=tree)  # V rows, tree needs V - 1
    with pytest.raises(ValueError, match="negatives"):
        cbow_batch_loss_and_gradient(W, W, ww, mask, middle, negatives=np.zeros((P + 1, 2), int))
    with pytest.raises(ValueError, match="middle"):
        tree_batch_loss_and_gradient(W, W[1:], ww, mask, middle[1:], tree)
    bad = mask.copy()
    bad[0, mask.shape[1] // 2] = True
    with pytest.raises(ValueError, match="own context"):
        tree_batch_loss_and_gradient(W, W[1:], ww, bad, middle, tree)
    with pytest.raises(ValueError, match="tree"):
        tree_batch_loss_and_gradient(W, W[1:], ww, mask, middle, "not a tree")


@pytest.mark.parametrize("cbow_, hs", [(True, False), (False, True), (True, True)])
def test_config_selects_the_objective(cbow_, hs):
    obj = TrainConfig(cbow=cbow_, hs=hs).objective()
    expected = {
        (True, False): CBOWNegativeSampling,
        (False, True): HierarchicalSoftmax,
        (True, True): CBOWHierarchicalSoftmax,
    }[(cbow_, hs)]
    assert type(obj) is expected
    with pytest.raises(ValueError, match="cbow"):
        TrainConfig(cbow="yes")
    with pytest.raises(ValueError, match="hs"):
        TrainConfig(hs=1)


def _cfg(**kw):
    base = dict(
        dim=16,
        window=2,
        negatives=3,
        epochs=30,
        min_count=1,
        sample=0,
        batch_words=8,
        seed=3,
        progress=False,
        report_every=50,
        dtype="float64",
        alpha=0.05,
    )
    base.update(kw)
    return TrainConfig(**base)


@pytest.mark.parametrize("cbow_, hs", [(True, False), (False, True), (True, True)])
def test_training_on_the_toy_corpus_lowers_the_loss(cbow_, hs):
    model = train(TOY, _cfg(cbow=cbow_, hs=hs))
    assert model.epoch_losses[-1] < 0.8 * model.epoch_losses[0]
    assert np.all(np.isfinite(model.vectors))
    V = len(model.vocab)
    assert model.outside_vectors.shape == ((V - 1) if hs else V, 16)


@pytest.mark.parametrize("cbow_, hs", [(True, False), (False, True), (True, True)])
def test_training_is_deterministic_with_a_seed(cbow_, hs):
    a = train(TOY, _cfg(cbow=cbow_, hs=hs, epochs=3))
    b = train(TOY, _cfg(cbow=cbow_, hs=hs, epochs=3))
    c = train(TOY, _cfg(cbow=cbow_, hs=hs, epochs=3, seed=4))
    np.testing.assert_array_equal(a.vectors, b.vectors)
    np.testing.assert_array_equal(a.outside_vectors, b.outside_vectors)
    assert not np.array_equal(a.vectors, c.vectors)


def test_hs_needs_two_words():
    with pytest.raises(ValueError, match="at least 2 words"):
        train([["a", "a", "a"]], _cfg(hs=True))


@pytest.mark.parametrize("flags", [["--cbow"], ["--hs"], ["--cbow", "--hs"]])
def test_cli_flags_train_on_the_toy_corpus(flags, tmp_path, capsys):
    out = tmp_path / "v.txt"
    rc = main(
        [
            "--corpus",
            "toy",
            "--out",
            str(out),
            "--dim",
            "8",
            "--epochs",
            "2",
            "--min-count",
            "1",
            "--no-progress",
            *flags,
        ]
    )
    assert rc == 0, capsys.readouterr().err
    header = out.read_text().splitlines()[0].split()
    assert int(header[1]) == 8 and int(header[0]) > 10
    assert "final loss" in capsys.readouterr().out


@pytest.mark.parametrize("cbow_mode", [False, True])
def test_the_node_budget_scales_only_rows_with_more_terms(cbow_mode):
    """A node row with n > budget terms moves by budget / n times its sum; other rows and W are untouched."""
    from w2v_helpers.training.objectives_cbow_hs import _cbow_step, _skipgram_tree_step

    rng, W, ww, mask, counts = random_case(1, V=9, P=12)
    V, d = W.shape
    tree = huffman_tree(counts)
    N = rng.normal(size=(V - 1, d))
    P = mask.shape[0]
    middle = ww[2 : 2 + P]
    paths, signs = padded_paths(tree)
    outputs, s = paths[middle], signs[middle]
    msk = mask.astype(float)
    n = np.zeros(V - 1)  # terms per node, counted pair by pair
    for p in range(P):
        per_row = (1 if mask[p].any() else 0) if cbow_mode else int(mask[p].sum())
        for node in tree.paths[middle[p]]:
            n[node] += per_row
    budget = (n[n > 0].min() + n.max()) / 2  # some rows above it, some below
    assert (n > budget).any() and ((n > 0) & (n <= budget)).any()
    grads = []
    for b in (None, budget):
        g = np.zeros((2 * V - 1, d))
        if cbow_mode:
            _cbow_step(W, N, ww, outputs, s, msk, -1.0, g, budget=b)
        else:
            _skipgram_tree_step(W, N, ww, outputs, s, msk, -1.0, g, budget=b)
        grads.append(g)
    plain, capped = grads
    np.testing.assert_allclose(capped[:V], plain[:V], rtol=1e-12)
    scale = np.minimum(1.0, budget / np.maximum(n, 1))
    np.testing.assert_allclose(capped[V:], plain[V:] * scale[:, None], rtol=1e-10, atol=1e-12)
    assert not np.allclose(capped[V:], plain[V:])


@pytest.mark.parametrize("budget", [0, -1.0, float("nan"), True, "96"])
def test_a_bad_budget_is_rejected(budget):
    with pytest.raises(ValueError, match="budget"):
        HierarchicalSoftmax(budget=budget)
    with pytest.raises(ValueError, match="budget"):
        CBOWHierarchicalSoftmax(budget=budget)


def test_a_flipped_code_changes_the_skipgram_hs_batch():
    """A wrong reference (codes flipped: sigma(-n.v) for code 0) must not match the batch."""
    rng, W, ww, mask, counts = random_case(2, V=9)
    V, d = W.shape
    tree = huffman_tree(counts)
    N = rng.normal(size=(V - 1, d))
    P = mask.shape[0]
    middle = ww[2 : 2 + P]
    loss, _, _ = tree_batch_loss_and_gradient(W, N, ww, mask, middle, tree)
    flipped = 0.0
    for p in range(P):
        for c in contexts(ww, mask, p):
            path, code = tree.paths[middle[p]], tree.codes[middle[p]]
            z = (2.0 * code - 1.0) * (N[path] @ W[c])
            flipped += float(np.sum(np.logaddexp(0, -z)))
    assert abs(flipped - loss) > 1e-6
