"""Built-in corpora: cached outside the repository, offline (text8 from a local file:// zip)."""

import zipfile
from pathlib import Path

import pytest

from w2v_helpers.training import datasets
from w2v_helpers.training.corpus import CorpusError, LineSentences


@pytest.fixture
def cache(tmp_path, monkeypatch):
    d = tmp_path / "cache"
    monkeypatch.setenv("W2V_HELPERS_CACHE", str(d))
    return d


def test_cache_dir_resolution(tmp_path, monkeypatch):
    monkeypatch.setenv("W2V_HELPERS_CACHE", str(tmp_path / "env"))
    assert datasets.cache_dir() == tmp_path / "env" and (tmp_path / "env").is_dir()
    assert datasets.cache_dir(tmp_path / "arg") == tmp_path / "arg"
    monkeypatch.delenv("W2V_HELPERS_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert datasets.cache_dir() == tmp_path / "xdg" / "w2v_helpers"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert datasets.cache_dir() == tmp_path / "home" / ".cache" / "w2v_helpers"


def test_tokenize():
    assert datasets.tokenize("Hill Top, N.S.W. -- 4:00pm £500 Café km² ½x") == [
        "hill",
        "top",
        "n",
        "s",
        "w",
        "pm",
        "café",
        "km",
        "x",
    ]


def test_toy_corpus_is_package_data():
    p = datasets.corpus_path("toy")
    root = Path(__file__).resolve().parent.parent.parent
    assert p == root / "w2v_helpers" / "training" / "data" / "toy_corpus.txt"
    sents = list(LineSentences(p))
    assert 30 <= len(sents) <= 100 and all(s == [t.lower() for t in s] for s in sents)


def test_lee_is_tokenised_and_cached(cache):
    p = datasets.corpus_path("lee")
    assert p.parent == cache and p.exists()
    sents = list(LineSentences(p))
    assert len(sents) >= 300 and 55_000 < sum(map(len, sents)) < 70_000
    assert sents[0][:4] == ["hundreds", "of", "people", "have"]
    mtime = p.stat().st_mtime_ns
    assert datasets.lee_path() == p and p.stat().st_mtime_ns == mtime  # second call: cached


def test_wiki_extraction_and_concatenation(cache, monkeypatch):
    # the small markup dump shipped next to the real excerpt keeps this test fast
    monkeypatch.setattr(datasets, "WIKI_FILE", "enwiki-table-markup.xml.bz2")
    p = datasets.corpus_path("wiki")
    sents = list(LineSentences(p))
    assert sents and all(len(s) <= datasets.LINE_TOKENS for s in sents)
    assert all(t == t.lower() and t.isalpha() for s in sents for t in s)
    both = datasets.load_corpus("lee+wiki")
    n_lee = sum(1 for _ in LineSentences(datasets.lee_path()))
    assert sum(1 for _ in both) == n_lee + len(sents)
    assert datasets.corpus_path("lee+wiki") == both.path  # cached


def make_text8_zip(path, words, member="text8"):
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(member, " " + " ".join(words))  # text8 is one line starting with a space


def test_text8_downloads_from_a_url_and_is_read_by_gensim(cache, tmp_path):
    from gensim.models.word2vec import Text8Corpus

    words = [f"w{i % 13}" for i in range(50)]
    src = tmp_path / "text8.zip"
    make_text8_zip(src, words)
    with pytest.raises(FileNotFoundError, match="download=True"):
        datasets.text8_path()
    p = datasets.text8_path(download=True, url=src.as_uri())
    corpus = datasets.load_corpus("text8")  # cached, no download
    assert isinstance(corpus, Text8Corpus)
    assert sum(list(corpus), []) == words and sum(list(corpus), []) == words  # re-iterable
    assert datasets.text8_path() == p
    assert not list(cache.glob("*.part"))


def test_text8_large(cache, tmp_path):
    # longer than gensim's 8 KiB read size and its 10 000-word sentences
    words = ["abcdefgh"] * 30_000
    src = tmp_path / "text8.zip"
    make_text8_zip(src, words)
    datasets.text8_path(download=True, url=src.as_uri())
    sents = list(datasets.load_corpus("text8"))
    assert sum(len(s) for s in sents) == 30_000 and max(len(s) for s in sents) == 10_000


def test_text8_errors(cache, tmp_path):
    with pytest.raises(OSError, match="could not download"):
        datasets.text8_path(download=True, url=(tmp_path / "absent.zip").as_uri())
    assert not list(cache.glob("*.part"))
    wrong = tmp_path / "wrong.zip"
    make_text8_zip(wrong, ["a"], member="other")
    (cache / "text8.zip").write_bytes(wrong.read_bytes())
    with pytest.raises(CorpusError, match="no member 'text8'"):
        datasets.text8_path()


def test_unknown_names(cache, tmp_path):
    with pytest.raises(ValueError, match="unknown corpus"):
        datasets.corpus_path("shakespeare")
    with pytest.raises(ValueError, match="unknown evaluation set"):
        datasets.evaluation_path("men3000")
    with pytest.raises(FileNotFoundError):
        datasets.load_corpus(str(tmp_path / "nope.txt"))
    for name in datasets.EVALUATION_SETS:
        assert datasets.evaluation_path(name).exists()


def test_atomic_write_cleans_up_on_error(tmp_path):
    def boom():
        yield ["a"]
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        datasets._write_atomic(tmp_path / "x.txt", boom())
    assert list(tmp_path.iterdir()) == []
