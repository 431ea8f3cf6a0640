"""Our numpy evaluation against gensim's own, on the same vectors."""
import numpy as np
import pytest

from w2v_helpers.datasets import evaluation_path, gensim_test_data
from w2v_helpers.evaluate import (
    WordVectors,
    cosine_similarity,
    evaluate_all,
    evaluate_analogies,
    evaluate_word_pairs,
    format_results,
    load_word2vec_format,
    main,
    spearman,
)

gensim_kv = pytest.importorskip("gensim.models.keyedvectors")


def structured_vectors(seed=0, d=20):
    """Vectors where capital - country and male - female are (noisy) constant offsets."""
    rng = np.random.default_rng(seed)
    path = evaluation_path("questions-words")
    words, seen = [], set()
    with open(path) as f:
        section = None
        for line in f:
            if line.startswith(":"):
                section = line[1:].strip()
                continue
            if section not in ("capital-common-countries", "family", "gram2-opposite"):
                continue
            for w in line.split():
                if w.lower() not in seen:
                    seen.add(w.lower())
                    words.append(w.lower())
    words += ["tiger", "cat", "love", "sex", "computer", "keyboard", "money", "cash", "king", "queen"]
    words = list(dict.fromkeys(words))
    vecs = {w: rng.normal(size=d) for w in words}
    offset = rng.normal(size=d) * 2
    with open(path) as f:
        section = None
        for line in f:
            if line.startswith(":"):
                section = line[1:].strip()
            elif section in ("capital-common-countries", "family"):
                a, b = line.lower().split()[:2]
                vecs[b] = vecs[a] + offset + rng.normal(size=d) * 0.3
    return WordVectors(words, np.array([vecs[w] for w in words], dtype=np.float32))


def to_gensim(wv):
    kv = gensim_kv.KeyedVectors(vector_size=wv.vectors.shape[1])
    kv.add_vectors(wv.vocab, wv.vectors)
    return kv


@pytest.mark.parametrize("restrict", [300000, 60])
def test_analogies_match_gensim(restrict):
    wv = structured_vectors()
    ours = evaluate_analogies(wv, restrict_vocab=restrict)
    score, sections = to_gensim(wv).evaluate_word_analogies(str(evaluation_path("questions-words")),
                                                            restrict_vocab=restrict)
    total = sections[-1]
    assert ours.correct == len(total["correct"])
    assert ours.attempted == len(total["correct"]) + len(total["incorrect"])
    assert ours.accuracy == pytest.approx(score)
    assert ours.oov + ours.attempted == ours.total == 19544
    if restrict == 300000:
        assert ours.accuracy > 0.3                       # the structure is found
    for sec in sections[:-1]:
        good, tried = ours.sections[sec["section"]]
        assert good == len(sec["correct"]) and tried == good + len(sec["incorrect"])


def test_analogies_and_pairs_match_gensim_on_real_vectors(tmp_path):
    # fastText vectors trained on the Lee corpus, shipped with gensim's test data
    vec = gensim_test_data("lee_fasttext.vec")
    wv = load_word2vec_format(vec)
    kv = gensim_kv.KeyedVectors.load_word2vec_format(str(vec))
    assert wv.vocab == kv.index_to_key
    ours = evaluate_analogies(wv)
    score, sections = kv.evaluate_word_analogies(str(evaluation_path("questions-words")))
    assert ours.correct == len(sections[-1]["correct"]) and ours.accuracy == pytest.approx(score)
    for name in ("wordsim353", "simlex999"):
        r = evaluate_word_pairs(wv, evaluation_path(name))
        pearson, spear, oov_ratio = kv.evaluate_word_pairs(str(evaluation_path(name)))
        assert r.spearman == pytest.approx(spear[0], abs=1e-6)
        assert r.pearson == pytest.approx(pearson[0], abs=1e-6)
        assert 100.0 * r.oov / r.total == pytest.approx(oov_ratio)


def test_word_pairs_match_gensim_structured():
    wv = structured_vectors(1)
    r = evaluate_word_pairs(wv)
    pearson, spear, oov_ratio = to_gensim(wv).evaluate_word_pairs(str(evaluation_path("wordsim353")))
    assert r.pairs >= 2
    assert r.spearman == pytest.approx(spear[0], abs=1e-6)
    assert 100.0 * r.oov / r.total == pytest.approx(oov_ratio)


def test_spearman_matches_scipy_with_ties():
    from scipy.stats import spearmanr

    rng = np.random.default_rng(0)
    x = rng.integers(0, 5, 50).astype(float)
    y = x + rng.normal(size=50)
    assert spearman(x, y) == pytest.approx(spearmanr(x, y)[0], abs=1e-12)
    assert np.isnan(spearman([1, 1, 1], [1, 2, 3]))
    with pytest.raises(ValueError, match="same length"):
        spearman([1, 2], [1, 2, 3])


def test_word_vectors_queries():
    wv = WordVectors(["a", "b", "c", "d"], np.array([[1, 0], [0.9, 0.1], [0, 1], [-1, 0]], dtype=float))
    assert wv.most_similar("a", topn=2) == [("b", pytest.approx(0.9 / np.hypot(0.9, 0.1))), ("c", 0.0)]
    assert wv.most_similar(np.array([0.0, 1.0]), topn=1)[0][0] == "c"
    assert wv.most_similar("a", topn=10)[-1][0] == "d" and len(wv.most_similar("a", topn=10)) == 3
    assert wv.most_similar("a", topn=3, restrict_vocab=2) == [("b", pytest.approx(0.99388373))]
    assert wv.similarity("a", "d") == pytest.approx(-1.0)
    assert wv.analogy("a", "b", "c") == "d"
    assert wv.analogy("a", "b", "c", topn=3)[0][0] == "d"
    assert wv.analogy("a", "b", "c", restrict_vocab=3) is None          # only a, b, c to choose from
    assert len(wv) == 4 and "a" in wv and "z" not in wv
    np.testing.assert_array_equal(wv["c"], [0, 1])
    with pytest.raises(KeyError, match="'z' is not in the vocabulary"):
        wv["z"]
    with pytest.raises(ValueError, match="topn"):
        wv.most_similar("a", topn=0)
    with pytest.raises(ValueError, match="query vector"):
        wv.most_similar(np.zeros(3))
    wv.vectors[0] = [0, 2]
    wv.invalidate()
    assert wv.similarity("a", "c") == pytest.approx(1.0)


def test_word_vectors_checks():
    with pytest.raises(ValueError, match="shape"):
        WordVectors(["a"], np.zeros((2, 3)))
    with pytest.raises(ValueError, match="floats"):
        WordVectors(["a"], np.zeros((1, 3), dtype=int))
    with pytest.raises(ValueError, match="twice"):
        WordVectors(["a", "a"], np.zeros((2, 3)))
    with pytest.raises(ValueError, match="whitespace"):
        WordVectors(["a b"], np.zeros((1, 3)))


def test_cosine_similarity():
    assert cosine_similarity([1, 0], [1, 1]) == pytest.approx(2 ** -0.5)
    assert cosine_similarity([0, 0], [1, 1]) == 0.0
    with pytest.raises(ValueError, match="same shape"):
        cosine_similarity([1, 0], [1, 0, 0])


def test_word2vec_format_round_trip_and_errors(tmp_path):
    wv = structured_vectors(d=4)
    p = wv.save_word2vec_format(tmp_path / "v.txt")
    back = load_word2vec_format(p)
    assert back.vocab == wv.vocab
    np.testing.assert_allclose(back.vectors, wv.vectors, rtol=1e-6)
    with pytest.raises(FileNotFoundError):
        load_word2vec_format(tmp_path / "none.txt")
    bad = tmp_path / "bad.txt"
    for text, match in [("x y\n", "header"), ("2 3\na 1 2 3\n", "ends after 1"), ("1 3\na 1 2\n", "line 2"),
                        ("1 2\na 1 zz\n", "not a number")]:
        bad.write_text(text)
        with pytest.raises(ValueError, match=match):
            load_word2vec_format(bad)


def test_command_line(tmp_path, capsys):
    p = structured_vectors(d=8).save_word2vec_format(tmp_path / "v.txt")
    assert main([str(p)]) == 0
    out = capsys.readouterr().out
    assert "analogies" in out and "WordSim-353" in out and "SimLex-999" in out and "out of vocabulary" in out
    assert main([str(tmp_path / "missing.txt")]) == 2
    assert "not found" in capsys.readouterr().err
    res = evaluate_all(structured_vectors(d=8), restrict_vocab=1000)
    assert "accuracy" in format_results(res)


def test_evaluations_with_few_known_words(tmp_path):
    wv = WordVectors(["tiger", "cat"], np.array([[1.0, 0.0], [0.0, 1.0]]))
    r = evaluate_word_pairs(wv)
    assert r.pairs == 2 and r.spearman == pytest.approx(1.0)            # tiger-cat, tiger-tiger
    one = tmp_path / "one.tsv"
    one.write_text("tiger\tcat\t7\n")
    assert np.isnan(evaluate_word_pairs(wv, one).spearman)
    a = evaluate_analogies(wv)
    assert a.attempted == 0 and a.accuracy == 0.0
    f = tmp_path / "pairs.tsv"
    f.write_text("# comment\ntiger\tcat\tnot-a-number\nbad line\nTiger\tcat\t3\ncat\ttiger\t5\n")
    assert evaluate_word_pairs(wv, f, case_insensitive=False).pairs == 1
