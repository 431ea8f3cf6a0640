"""The evaluations (thin wrappers of gensim's KeyedVectors): the counts they add, their structure and errors."""

import numpy as np
import pytest
from scipy.stats import spearmanr

from w2v_helpers.training.datasets import evaluation_path, gensim_test_data
from w2v_helpers.training.evaluate import (
    evaluate_all,
    evaluate_analogies,
    evaluate_word_pairs,
    format_results,
    load_word2vec_format,
    main,
)
from w2v_helpers.training.model import keyed_vectors


def structured_vectors(seed=0, d=20, structured=True):
    """Vectors where capital - country and male - female are (noisy) constant offsets (or not at all)."""
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
    if structured:
        with open(path) as f:
            section = None
            for line in f:
                if line.startswith(":"):
                    section = line[1:].strip()
                elif section in ("capital-common-countries", "family"):
                    a, b = line.lower().split()[:2]
                    vecs[b] = vecs[a] + offset + rng.normal(size=d) * 0.3
    return keyed_vectors(words, np.array([vecs[w] for w in words], dtype=np.float32))


def questions_within(kv, restrict):
    known = {w.upper() for w in kv.index_to_key[:restrict]}
    with open(evaluation_path("questions-words")) as f:
        qs = [line.upper().split() for line in f if not line.startswith(":")]
    return sum(all(w in known for w in q) for q in qs if len(q) == 4)


@pytest.mark.parametrize("restrict", [300000, 60])
def test_analogy_counts(restrict):
    kv = structured_vectors()
    r = evaluate_analogies(kv, restrict_vocab=restrict)
    assert r.attempted == questions_within(kv, restrict) > 0
    assert r.oov + r.attempted == r.total == 19544
    assert sum(t for _, t in r.sections.values()) == r.attempted
    assert sum(g for g, _ in r.sections.values()) == r.correct


def test_analogies_find_structure_and_not_noise():
    good = evaluate_analogies(structured_vectors())
    noise = evaluate_analogies(structured_vectors(structured=False))
    assert good.accuracy > 0.3 and noise.accuracy < 0.05  # a check that can fail
    assert good.sections["capital-common-countries"][0] > 0.5 * good.sections["capital-common-countries"][1]


def test_word_pairs_are_spearman_of_cosines():
    kv = structured_vectors(1)
    r = evaluate_word_pairs(kv)
    gold, model = [], []
    with open(evaluation_path("wordsim353")) as f:
        for line in f:
            parts = line.split("\t")
            if line.startswith("#") or len(parts) != 3:
                continue
            a, b = parts[0].lower(), parts[1].lower()
            if a in kv.key_to_index and b in kv.key_to_index:
                gold.append(float(parts[2]))
                model.append(kv.similarity(a, b))
    assert r.pairs == len(gold) >= 2 and r.total == 353
    assert r.spearman == pytest.approx(spearmanr(gold, model)[0], abs=1e-6)
    assert r.spearman != pytest.approx(spearmanr(gold, model[::-1])[0], abs=1e-3)


def test_real_vectors_and_the_text_format(tmp_path):
    # fastText vectors trained on the Lee corpus, shipped with gensim's test data
    kv = load_word2vec_format(gensim_test_data("lee_fasttext.vec"))
    res = evaluate_all(kv)
    assert 0 < res["analogy"].attempted < 19544 and res["ws353"].pairs > 20
    assert "accuracy" in format_results(res)
    with pytest.raises(FileNotFoundError):
        load_word2vec_format(tmp_path / "none.txt")
    bad = tmp_path / "bad.txt"
    for text in ["x y\n", "1 3\na 1 2\n", "1 2\na 1 zz\n"]:
        bad.write_text(text)
        with pytest.raises(ValueError, match="word2vec text-format"):
            load_word2vec_format(bad)


def test_command_line(tmp_path, capsys):
    p = tmp_path / "v.txt"
    structured_vectors(d=8).save_word2vec_format(str(p))
    assert main([str(p)]) == 0
    out = capsys.readouterr().out
    assert "analogies" in out and "WordSim-353" in out and "SimLex-999" in out and "out of vocabulary" in out
    assert main([str(tmp_path / "missing.txt")]) == 2
    assert "not found" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main([str(p), "--restrict-vocab", "0"])


def test_evaluations_with_few_known_words(tmp_path):
    kv = keyed_vectors(["tiger", "cat"], np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32))
    r = evaluate_word_pairs(kv)
    assert r.pairs == 2 and r.spearman == pytest.approx(1.0)  # tiger-cat, tiger-tiger
    one = tmp_path / "one.tsv"
    one.write_text("tiger\tcat\t7\n")
    assert np.isnan(evaluate_word_pairs(kv, one).spearman)
    none = tmp_path / "none.tsv"
    none.write_text("lion\tdog\t7\n")
    r = evaluate_word_pairs(kv, none)
    assert np.isnan(r.spearman) and r.pairs == 0 and r.oov == 1
    a = evaluate_analogies(kv)
    assert a.attempted == 0 and a.accuracy == 0.0
    f = tmp_path / "pairs.tsv"
    f.write_text("# comment\ntiger\tcat\tnot-a-number\nbad line\nTiger\tcat\t3\ncat\ttiger\t5\n")
    assert evaluate_word_pairs(kv, f, case_insensitive=False).pairs == 1


def test_old_import_paths_still_work():
    import w2v_helpers.evaluate as old
    import w2v_helpers.training.evaluate as new

    assert old.evaluate_all is new.evaluate_all and old.main is new.main
