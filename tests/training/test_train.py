"""The numpy skip-gram trainer: the minibatch is the sum of part (d) gradients, the recipe, the API, the errors."""

import numpy as np
import pytest

from w2v_helpers import neg_sampling_loss_and_gradient
from w2v_helpers.training import (
    CorpusError,
    SkipGramModel,
    TrainConfig,
    TrainingDiverged,
    build_vocab,
    keep_probabilities,
    train,
    train_skipgram,
    window_batch_loss_and_gradient,
)
from w2v_helpers.training.cli import main
from w2v_helpers.training.objectives import draw_negatives as _draw_negatives
from w2v_helpers.training.objectives import noise_table as _noise_table
from w2v_helpers.training.scatter import scatter_add_rows

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


def per_pair_reference(W, U, window_words, idx, mask):
    """Sum of neg_sampling_loss_and_gradient over every pair the mask selects."""
    loss, gW, gU = 0.0, np.zeros_like(W), np.zeros_like(U)
    P, J = mask.shape
    for p in range(P):
        for j in range(J):
            if mask[p, j]:
                c = window_words[p + j]
                l, g_c, g_U = neg_sampling_loss_and_gradient(W[c], int(idx[p, 0]), U, idx[p, 1:])
                loss += l
                gW[c] += g_c
                gU += g_U
    return loss, gW, gU


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_minibatch_gradient_is_the_sum_of_per_pair_gradients(seed):
    rng = np.random.default_rng(seed)
    V, d, m, K, P = 5, 4, 2, 3, 6  # V = 5: words repeat everywhere
    W, U = rng.normal(size=(V, d)), rng.normal(size=(V, d))
    window_words = rng.integers(0, V, size=P + 2 * m)
    idx = rng.integers(0, V, size=(P, K + 1))
    idx[0, 1:] = idx[0, 0]  # even a negative equal to o: the formula still adds up
    idx[1, 2] = idx[1, 1]  # a negative drawn twice
    mask = rng.random((P, 2 * m + 1)) < 0.7
    mask[:, m] = False
    loss, gW, gU = window_batch_loss_and_gradient(W, U, window_words, idx, mask)
    ref_loss, ref_gW, ref_gU = per_pair_reference(W, U, window_words, idx, mask)
    assert loss == pytest.approx(ref_loss, rel=1e-12)
    np.testing.assert_allclose(gW, ref_gW, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(gU, ref_gU, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("block", [2, 3, 4])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_minibatch_with_negatives_shared_by_blocks_is_the_sum_of_per_pair_gradients(seed, block):
    rng = np.random.default_rng(seed)
    V, d, m, K, P = 6, 4, 2, 3, 7  # P = 7: the last block is short
    W, U = rng.normal(size=(V, d)), rng.normal(size=(V, d))
    window_words = rng.integers(0, V, size=P + 2 * m)
    idx = rng.integers(0, V, size=(P, K + 1))
    for b in range(0, P, block):
        idx[b : b + block, 1:] = rng.integers(0, V, size=K)
    idx[0, 1] = idx[0, 0]  # a negative equal to o
    idx[:block, 1] = idx[0, 1]
    mask = rng.random((P, 2 * m + 1)) < 0.7
    mask[:, m] = False
    loss, gW, gU = window_batch_loss_and_gradient(W, U, window_words, idx, mask, block=block)
    ref_loss, ref_gW, ref_gU = per_pair_reference(W, U, window_words, idx, mask)
    assert loss == pytest.approx(ref_loss, rel=1e-12)
    np.testing.assert_allclose(gW, ref_gW, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(gU, ref_gU, rtol=1e-10, atol=1e-12)
    # the same batch claimed with the wrong block size is refused, not silently mis-summed
    with pytest.raises(ValueError, match="same negatives"):
        window_batch_loss_and_gradient(W, U, window_words, idx, mask, block=3 if block != 3 else 2)


@pytest.mark.parametrize("wrong", ["no negative weight", "no sign", "no band"])
def test_per_pair_check_rejects_wrong_minibatches(wrong, monkeypatch):
    """The equality test above would fail for a step with a missing term, a sign error or a wrong band."""
    from w2v_helpers.training import objectives

    real = objectives._sigmoid_and_softplus

    def broken(S):
        G, sp = real(S)
        if wrong == "no negative weight":
            G[:, G.shape[1] // 2 :] = 0
        elif wrong == "no sign":
            G = -G
        else:
            G = np.ones_like(G) * G.mean()
        return G, sp

    monkeypatch.setattr(objectives, "_sigmoid_and_softplus", broken)
    rng = np.random.default_rng(0)
    V, d, m, K, P = 6, 4, 2, 2, 4
    W, U = rng.normal(size=(V, d)), rng.normal(size=(V, d))
    window_words = rng.integers(0, V, size=P + 2 * m)
    idx = rng.integers(0, V, size=(P, K + 1))
    mask = rng.random((P, 2 * m + 1)) < 0.7
    mask[:, m] = False
    _, gW, gU = window_batch_loss_and_gradient(W, U, window_words, idx, mask)
    _, ref_gW, ref_gU = per_pair_reference(W, U, window_words, idx, mask)
    assert not (np.allclose(gW, ref_gW) and np.allclose(gU, ref_gU))


def test_block_negatives_avoid_every_middle_word_of_the_block():
    from w2v_helpers.training.objectives import draw_block_negatives

    counts = np.array([400, 100, 50, 10, 1, 30])
    table = _noise_table(counts, 0.75, 10**5)
    rng = np.random.default_rng(0)
    middle = np.tile(np.array([0, 1, 2, 0], dtype=np.int32), 500)
    middle = np.append(middle, [5, 5])  # a last, short block
    negs = draw_block_negatives(rng, table, middle, 4, 4)
    assert negs.shape == (501, 4) and negs.dtype == np.int32
    assert np.isin(negs[:-1], [3, 4, 5]).all() and (negs[-1] != 5).all()
    freq = np.bincount(negs[:-1].ravel(), minlength=6)[[3, 4, 5]] / negs[:-1].size
    noise = counts[[3, 4, 5]] ** 0.75
    np.testing.assert_allclose(freq, noise / noise.sum(), atol=0.02)


def test_minibatch_with_nothing_masked_in_is_zero():
    rng = np.random.default_rng(0)
    W, U = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    loss, gW, gU = window_batch_loss_and_gradient(W, U, [0, 1, 2, 3], [[1, 2], [2, 3]], np.zeros((2, 3), bool))
    assert loss == 0.0 and not gW.any() and not gU.any()


def test_minibatch_argument_checks():
    W = np.zeros((4, 3))
    ok = dict(
        center_vectors=W,
        outside_vectors=W,
        window_words=[0, 1, 2, 3],
        outside_and_negatives=[[1, 2], [2, 3]],
        mask=[[True, False, True], [False, False, True]],
    )
    window_batch_loss_and_gradient(**ok)
    for key, bad, match in [
        ("outside_vectors", np.zeros((5, 3)), "same shape"),
        ("outside_and_negatives", [1, 2], r"\(P, K\+1\)"),
        ("outside_and_negatives", [[1, 9], [2, 3]], "outside_and_negatives"),
        ("mask", [[True, False], [False, True]], "odd"),
        ("mask", [[True, True, False], [False, False, True]], "own context"),
        ("window_words", [0, 1, 2], "P \\+ 2m"),
    ]:
        with pytest.raises(ValueError, match=match):
            window_batch_loss_and_gradient(**{**ok, key: bad})


def test_build_vocab_min_count_and_order():
    vocab = build_vocab([["b", "a", "b", "c"], ["a", "b", "d", "c"]], min_count=2)
    assert vocab.words == ["b", "a", "c"]  # by count, ties by first appearance
    assert vocab.counts.tolist() == [3, 2, 2]
    assert vocab.index == {"b": 0, "a": 1, "c": 2}
    assert vocab.total_words == 8 and len(vocab) == 3
    assert build_vocab([["b", "a", "b", "c"]], min_count=1, max_vocab_size=2).words == ["b", "a"]
    with pytest.raises(CorpusError, match="min_count = 5"):
        build_vocab([["a", "b"]], min_count=5)
    with pytest.raises(CorpusError, match="empty"):
        build_vocab([[], []])
    with pytest.raises(CorpusError, match="str tokens"):
        build_vocab([["ok", 3]])
    with pytest.raises(ValueError, match="min_count"):
        build_vocab([["a"]], min_count=0)


def test_keep_probabilities_is_word2vecs_formula():
    counts = np.array([1000, 100, 10, 1])
    total, sample = 10_000, 1e-3  # threshold t = 10
    p = keep_probabilities(counts, total, sample)
    expected = np.minimum(1, (np.sqrt(counts / 10) + 1) * 10 / counts)
    np.testing.assert_allclose(p, expected)
    assert p[0] == pytest.approx((10 + 1) * 0.01) and p[2] == 1 and p[3] == 1
    np.testing.assert_array_equal(keep_probabilities(counts, total, 0), 1.0)
    with pytest.raises(ValueError, match="sample"):
        keep_probabilities(counts, total, -1)


def test_noise_table_shares():
    counts = np.array([400, 100, 50, 10, 1])
    table = _noise_table(counts, 0.75, 1000)
    assert table.shape == (1000,) and table.dtype == np.int32
    noise = counts**0.75
    np.testing.assert_allclose(np.bincount(table, minlength=5), 1000 * noise / noise.sum(), atol=1)


def test_negatives_follow_the_noise_distribution_and_avoid_o():
    counts = np.array([400, 100, 50, 10, 1])
    table = _noise_table(counts, 0.75, 10**6)
    rng = np.random.default_rng(0)
    outside = np.zeros(20000, dtype=np.int32)  # o = word 0 always
    idx = _draw_negatives(rng, table, outside, 5)
    assert (idx[:, 0] == 0).all() and (idx[:, 1:] != 0).all()
    freq = np.bincount(idx[:, 1:].ravel(), minlength=5)[1:] / idx[:, 1:].size
    noise = counts[1:] ** 0.75
    np.testing.assert_allclose(freq, noise / noise.sum(), atol=0.01)  # P_n(w) / (1 - P_n(o))


def test_trains_and_loss_decreases():
    model = train_skipgram(
        TOY,
        dim=10,
        window=2,
        negatives=3,
        epochs=30,
        min_count=1,
        seed=0,
        sample=0,
        alpha=0.1,
        progress=False,
        report_every=50,
        batch_words=16,
    )
    assert isinstance(model, SkipGramModel)
    assert model.vectors.shape == (len(model.vocab), 10) and model.vectors.dtype == np.float32
    assert model.outside_vectors.shape == model.vectors.shape
    assert model.epoch_losses[-1] < 0.6 * model.epoch_losses[0]
    assert model.epoch_losses[0] < (3 + 1) * np.log(2) + 0.1  # starts near (K+1) log 2
    assert len(model.loss_history) == len(model.loss_history_words) > 10
    assert np.all(np.diff(model.loss_history_words) > 0)
    assert model.loss_history_words[-1] == model.total_words * 30
    assert model.pairs_trained > 0 and model.train_seconds > 0 and model.words_per_second > 0
    assert 0 < model.effective_words <= 30 * model.total_words and model.train_cpu_seconds > 0
    assert "SkipGramModel(V=" in repr(model)
    assert model.params["negatives"] == 3 and model.params["batch_words"] == 16


@pytest.mark.parametrize("seed", [0, 1])
def test_scatter_add_rows_is_np_add_at(seed):
    rng = np.random.default_rng(seed)
    out = rng.normal(size=(7, 3))
    rows = rng.integers(0, 7, size=40)  # many repeats
    values = rng.normal(size=(40, 3))
    expected = out.copy()
    np.add.at(expected, rows, -0.5 * values)
    scatter_add_rows(out, rows, values, -0.5)
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-12)
    before = out.copy()
    scatter_add_rows(out, rows[:0], values[:0], 1.0)  # nothing to add
    np.testing.assert_array_equal(out, before)
    # a wrong scatter (repeats counted once) is told apart
    once = before.copy()
    once[rows] += values
    again = before.copy()
    scatter_add_rows(again, rows, values)
    assert not np.allclose(once, again)


def test_same_seed_same_vectors_other_seed_different():
    kw = dict(dim=8, window=2, negatives=2, epochs=2, min_count=1, progress=False)
    a = train_skipgram(TOY, seed=3, **kw)
    b = train_skipgram(TOY, seed=3, **kw)
    c = train_skipgram(TOY, seed=4, **kw)
    np.testing.assert_array_equal(a.vectors, b.vectors)
    np.testing.assert_array_equal(a.loss_history, b.loss_history)
    assert not np.array_equal(a.vectors, c.vectors)


def test_random_window_shrink_gives_m_plus_one_pairs_per_word():
    # one long sentence, no subsampling: word i pairs with i +- j when b_i >= j, b ~ U{1..m},
    # so E[pairs per word] = 2 * sum_j P(b >= j) = m + 1 (minus the two ends)
    rng = np.random.default_rng(0)
    sentence = [f"w{k}" for k in rng.integers(0, 50, size=4000)]
    m = 4
    model = train_skipgram([sentence], dim=4, window=m, negatives=2, epochs=3, min_count=1, sample=0, progress=False)
    per_word = model.pairs_trained / (3 * len(sentence))
    assert per_word == pytest.approx(m + 1, rel=0.03)
    # windows never cross sentences: one-word sentences give no pairs at all
    model = train_skipgram(
        [["a"], ["b"]] * 5, dim=4, window=2, negatives=1, epochs=1, min_count=1, sample=0, progress=False
    )
    assert model.pairs_trained == 0


def test_subsampling_drops_frequent_words():
    sentence = (["the"] * 9 + ["cat"]) * 200
    dense = train_skipgram([sentence], dim=4, window=1, negatives=1, epochs=1, min_count=1, sample=0, progress=False)
    sparse = train_skipgram(
        [sentence], dim=4, window=1, negatives=1, epochs=1, min_count=1, sample=1e-3, progress=False
    )
    assert sparse.pairs_trained < 0.5 * dense.pairs_trained


def test_auto_batch_words_shrinks_for_a_dominant_word():
    from w2v_helpers.train import auto_batch_words

    flat = np.full(1000, 10)
    assert auto_batch_words(flat, np.ones(1000), 5) == 256
    skewed = np.array([900, 100])
    assert auto_batch_words(skewed, np.ones(2), 1) == 12  # 24 / (0.9 * 2) = 13, down to a multiple of 4
    assert auto_batch_words(np.array([900, 100]), np.ones(2), 2) == 8  # 8.9
    assert auto_batch_words(np.array([1]), np.ones(1), 50) == 1


def test_float64_and_builtin_toy_corpus():
    model = train_skipgram("toy", dim=6, window=2, negatives=2, epochs=1, min_count=2, dtype=np.float64, progress=False)
    assert model.vectors.dtype == np.float64
    assert "king" in model and "queen" in model
    assert model.wv.most_similar("king", topn=3)[0][0] != "king"


def test_file_path_and_progress_bar(tmp_path, capsys):
    p = tmp_path / "c.txt"
    p.write_text("\n".join(" ".join(s) for s in TOY) + "\n", encoding="utf-8")
    model = train_skipgram(str(p), dim=4, window=2, negatives=2, epochs=2, min_count=1, progress=True)
    assert "skip-gram" in capsys.readouterr().err
    assert len(model.vocab) == len({w for s in TOY for w in s})


def test_divergence_names_the_learning_rate():
    with pytest.raises(TrainingDiverged, match=r"alpha = 1e\+06"):
        train_skipgram(
            TOY,
            dim=8,
            window=2,
            negatives=2,
            epochs=5,
            min_count=1,
            alpha=1e6,
            min_alpha=1e6,
            progress=False,
            batch_words=8,
        )


def test_clear_errors_for_bad_input(tmp_path):
    with pytest.raises(FileNotFoundError, match="not found"):
        train_skipgram(str(tmp_path / "missing.txt"), progress=False)
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n")
    with pytest.raises(CorpusError, match="empty"):
        train_skipgram(str(empty), progress=False)
    with pytest.raises(CorpusError, match="empty"):
        train_skipgram([], progress=False)
    with pytest.raises(ValueError, match="one-shot iterator"):
        train_skipgram((s for s in TOY), progress=False)
    with pytest.raises(ValueError, match=r"only 3 words .* needs at least K \+ 1 = 6"):
        train_skipgram([["a", "b", "c"]], min_count=1, negatives=5, progress=False)
    with pytest.raises(CorpusError, match="in-vocabulary"):
        train_skipgram(
            [["a", "b"]],
            min_count=1,
            negatives=1,
            progress=False,
            max_vocab_size=2,
            vocab=build_vocab([["x", "y", "z"]], min_count=1),
        )
    for kw, match in [
        ({"dim": 0}, "dim"),
        ({"window": -1}, "window"),
        ({"alpha": 0}, "alpha"),
        ({"alpha": float("nan")}, "alpha"),
        ({"min_alpha": 1.0}, "min_alpha"),
        ({"dtype": np.int32}, "dtype"),
        ({"seed": 1.5}, "seed"),
        ({"sample": "x"}, "sample"),
        ({"batch_words": 0}, "batch_words"),
        ({"epochs": True}, "epochs"),
    ]:
        with pytest.raises(ValueError, match=match):
            train_skipgram(TOY, progress=False, **kw)


def test_queries_on_unknown_words_raise_keyerror():
    model = train_skipgram(TOY, dim=4, window=2, negatives=2, epochs=1, min_count=1, progress=False)
    wv = model.wv
    for call in (
        lambda: wv["unicorn"],
        lambda: wv.most_similar("unicorn"),
        lambda: wv.most_similar(positive=["unicorn", "queen"], negative=["king"]),
        lambda: wv.similarity("a", "zzz"),
    ):
        with pytest.raises(KeyError, match="unicorn|zzz"):
            call()


def test_save_word2vec_format_round_trip_through_gensim(tmp_path):
    from gensim.models import KeyedVectors

    model = train_skipgram(TOY, dim=5, window=2, negatives=2, epochs=2, min_count=1, progress=False)
    path = model.save_word2vec_format(tmp_path / "v.txt")
    kv = KeyedVectors.load_word2vec_format(str(path), binary=False)
    assert kv.index_to_key == model.vocab
    np.testing.assert_allclose(kv.vectors, model.vectors, rtol=1e-6, atol=1e-9)
    assert kv.most_similar("king", topn=3)[0][0] == model.wv.most_similar("king", topn=3)[0][0]


def test_command_line_writes_vectors_gensim_reads(tmp_path, capsys):
    from gensim.models import KeyedVectors

    corpus = tmp_path / "c.txt"
    corpus.write_text("\n".join(" ".join(s) for s in TOY) + "\n", encoding="utf-8")
    out = tmp_path / "vec.txt"
    rc = main(
        [
            "--corpus",
            str(corpus),
            "--out",
            str(out),
            "--dim",
            "7",
            "--window",
            "2",
            "--negatives",
            "2",
            "--epochs",
            "2",
            "--min-count",
            "1",
            "--seed",
            "1",
            "--no-progress",
            "--float64",
        ]
    )
    assert rc == 0
    assert "words x 7 dims written" in capsys.readouterr().out
    kv = KeyedVectors.load_word2vec_format(str(out))
    assert kv.vector_size == 7 and "king" in kv.key_to_index
    rc = main(["--corpus", str(tmp_path / "nope.txt"), "--out", str(out), "--no-progress"])
    assert rc == 2 and "not found" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "--batch-words" in capsys.readouterr().out


# ---------------------------------------------------------------------------
# w2v_helpers.plots_train: PCA, figures and the neighbour explorer of notebook 06
# ---------------------------------------------------------------------------
def test_pca_matches_the_covariance_eigenvectors():
    from w2v_helpers.training.plots import pca

    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 5)) @ np.diag([5, 3, 1, 0.5, 0.1]) + 7
    coords, comps, explained = pca(X, 3)
    np.testing.assert_allclose(comps @ comps.T, np.eye(3), atol=1e-12)
    evals, evecs = np.linalg.eigh(np.cov(X.T))
    order = np.argsort(evals)[::-1]
    for i in range(3):
        assert abs(comps[i] @ evecs[:, order[i]]) == pytest.approx(1.0, abs=1e-9)
        assert comps[i][np.argmax(np.abs(comps[i]))] > 0  # sign convention
    np.testing.assert_allclose(explained, evals[order][:3] / evals.sum(), rtol=1e-9)
    np.testing.assert_allclose(coords, (X - X.mean(0)) @ comps.T)
    assert np.all(np.diff(explained) <= 0)
    # rank-2 data is reproduced exactly by two components
    Y = rng.normal(size=(10, 2)) @ rng.normal(size=(2, 6))
    c2, p2, e2 = pca(Y, 2)
    np.testing.assert_allclose(c2 @ p2 + Y.mean(0), Y, atol=1e-10)
    assert e2.sum() == pytest.approx(1.0)
    _, _, zero = pca(np.ones((3, 2)), 1)
    assert zero.tolist() == [0.0]
    for bad, k in [(np.ones(3), 1), (np.ones((1, 3)), 1), (np.ones((3, 3)), 4), ([[1, np.nan], [1, 2]], 1)]:
        with pytest.raises(ValueError):
            pca(bad, k)


def test_figures_and_neighbour_text():
    from matplotlib.figure import Figure

    from w2v_helpers.training.plots import comparison_table, loss_curve_figure, neighbours_text, pca_figure

    model = train_skipgram(TOY, dim=6, window=2, negatives=2, epochs=3, min_count=1, progress=False, report_every=20)
    fig = loss_curve_figure(model.loss_history, model.loss_history_words, model.total_words, 3, reference=3 * np.log(2))
    assert isinstance(fig, Figure) and len(fig.axes[0].lines) == 1 + 2 + 1
    fig = pca_figure(
        model,
        ["king", "queen", "man", "woman", "cat", "dog"],
        groups={"people": ["king", "queen", "man", "woman"], "animals": ["cat", "dog"]},
        arrows=[("man", "king")],
    )
    assert isinstance(fig, Figure) and len(fig.axes[0].texts) == 6 + 1  # labels + arrow
    with pytest.raises(KeyError):
        pca_figure(model, ["king", "unicorn"])
    text = neighbours_text(model, " King ", 3)
    assert text.startswith("nearest to 'king'") and len(text.splitlines()) == 4
    assert "not in the vocabulary" in neighbours_text(model, "unicorn")
    assert neighbours_text(model, "") == "Type a word."
    lines = comparison_table({"ours": {"a": 0.1234, "b": 2.0}, "gensim": {"a": 0.5, "b": 1.0}})
    assert len(lines) == 3 and "0.123" in lines[1]
    assert comparison_table({}) == []


def test_neighbour_explorer_updates():
    import ipywidgets as widgets

    from w2v_helpers.training.plots import neighbour_explorer

    model = train_skipgram(TOY, dim=6, window=2, negatives=2, epochs=1, min_count=1, progress=False)
    ui = neighbour_explorer(model, word="king", topn=7)
    assert isinstance(ui, widgets.VBox)
    box, size = ui.children[0].children
    assert isinstance(box, widgets.Combobox) and isinstance(size, widgets.Dropdown)
    assert size.value == 10 and "king" in box.options
    box.value = "queen"
    size.value = 5


def test_stable_hash_is_the_same_in_every_process():
    import subprocess
    import sys

    from w2v_helpers.train import stable_hash

    code = "from w2v_helpers.train import stable_hash; print(stable_hash('word2vec0'))"
    runs = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() for _ in range(2)
    }
    assert runs == {str(stable_hash("word2vec0"))}
    assert stable_hash("a") != stable_hash("b")


# ---------------------------------------------------------------------------
# the configuration dataclass and the objective as a pluggable strategy
# ---------------------------------------------------------------------------
def test_config_is_one_checked_dataclass():
    c = TrainConfig(dim=8, dtype=np.float64)
    assert c.dtype == "float64" and c.as_dict()["dim"] == 8
    for kw, match in [
        ({"dim": 0}, "dim"),
        ({"negatives": 1.5}, "negatives"),
        ({"alpha": -1}, "alpha"),
        ({"min_alpha": 0.5}, "min_alpha"),
        ({"dtype": "int8"}, "dtype"),
        ({"ns_exponent": float("inf")}, "ns_exponent"),
        ({"max_vocab_size": 0}, "max_vocab_size"),
        ({"seed": "0"}, "seed"),
        ({"report_every": False}, "report_every"),
    ]:
        with pytest.raises(ValueError, match=match):
            TrainConfig(**kw)
    a = train(TOY, TrainConfig(dim=6, window=2, negatives=2, epochs=2, min_count=1, progress=False, seed=2))
    b = train_skipgram(TOY, dim=6, window=2, negatives=2, epochs=2, min_count=1, progress=False, seed=2)
    np.testing.assert_array_equal(a.vectors, b.vectors)
    assert a.config.dim == 6 and a.params["batch_words"] >= 1


def test_another_objective_plugs_into_the_loop():
    """A toy objective (pull each context vector toward its middle word's output vector) trains through train()."""
    from w2v_helpers.training.objectives import NegativeSampling, Objective

    class Pull(Objective):
        name = "pull"

        def output_rows(self, vocab):
            return len(vocab)

        def prepare(self, vocab, batch_words):
            self.prepared = len(vocab)

        def draw(self, rng, middle):
            return middle[:, None]

        def step(self, W, U, params, batch, draws, lr):
            m = batch.mask.shape[1] // 2
            P = batch.middle.shape[0]
            loss, n = 0.0, 0
            for p in range(P):
                for j in np.flatnonzero(batch.mask[p]):
                    c, o = batch.window_words[p + j], draws[p, 0]
                    diff = W[c] - (U[o] + 1.0)
                    loss += 0.5 * float(diff @ diff)
                    W[c] -= lr * diff
                    n += 1
            assert (batch.middle == batch.window_words[m : m + P]).all()
            return loss, n

        def reference_loss(self):
            return 0.0

    obj = Pull()
    model = train(
        TOY, TrainConfig(dim=3, window=2, epochs=3, min_count=1, sample=0, alpha=0.1, progress=False), objective=obj
    )
    assert obj.prepared == len(model.vocab)
    assert model.epoch_losses[-1] < 0.2 * model.epoch_losses[0]
    np.testing.assert_allclose(model.vectors[:3], 1.0, atol=0.1)  # frequent v_c pulled to u + 1 = 1
    assert NegativeSampling(3).reference_loss() == pytest.approx(4 * np.log(2))
    with pytest.raises(NotImplementedError):
        Objective().step(None, None, None, None, None, 0.1)
    with pytest.raises(ValueError, match="ns_exponent"):
        NegativeSampling(2, ns_exponent=-1)


def test_old_import_paths_and_python_m():
    import subprocess
    import sys

    import w2v_helpers.corpus
    import w2v_helpers.datasets
    import w2v_helpers.plots_train
    import w2v_helpers.train as old
    from w2v_helpers import training

    assert w2v_helpers.corpus is training.corpus and w2v_helpers.datasets is training.datasets
    assert w2v_helpers.plots_train is training.plots
    assert old.train_skipgram is training.train_skipgram and old.main is main
    for module in ("w2v_helpers.train", "w2v_helpers.training", "w2v_helpers.evaluate"):
        r = subprocess.run([sys.executable, "-m", module, "--help"], capture_output=True, text=True)
        assert r.returncode == 0 and "usage: python -m w2v_helpers." in r.stdout


def test_sigmoid_and_softplus_helper_is_stable_and_keeps_float32():
    from w2v_helpers import sigmoid
    from w2v_helpers.core import _sigmoid_and_softplus

    x = np.array([-1e4, -50.0, -1.0, 0.0, 1e-8, 2.0, 50.0, 1e4])
    s, sp = _sigmoid_and_softplus(x)
    np.testing.assert_allclose(s, sigmoid(x), rtol=1e-12, atol=0)
    np.testing.assert_allclose(sp, np.logaddexp(0.0, x), rtol=1e-12, atol=0)
    assert sp[0] == pytest.approx(np.exp(-1e4), abs=1e-300) and sp[-1] == 1e4
    s32, sp32 = _sigmoid_and_softplus(x.astype(np.float32))
    assert s32.dtype == np.float32 and sp32.dtype == np.float32
    np.testing.assert_allclose(s32, s, rtol=1e-6)
    assert not np.allclose(_sigmoid_and_softplus(-x)[0], s)  # not symmetric: a sign slip shows
