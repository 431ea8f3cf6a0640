r"""The corpora and evaluation sets, offline first.

Everything here works without a network, except :func:`text8_path` with
``download=True``:

============  =====================================================================
name          what
============  =====================================================================
``toy``       ``w2v_helpers/training/data/toy_corpus.txt``, package data: a few dozen
              short English sentences written for the notebooks and tests.
``lee``       the Lee news corpus shipped in gensim's test data (``lee_background.cor``
              and ``lee.cor``, about 64 000 words), tokenised and cached.
``wiki``      the English Wikipedia excerpt shipped in gensim's test data (106
              articles, about 450 000 words), text extracted with
              ``gensim.corpora.WikiCorpus``, tokenised and cached.
``lee+wiki``  both, Lee first (about 515 000 words): the default training corpus.
``text8``     the first 10^8 bytes of an English Wikipedia dump, cleaned by Matt
              Mahoney (17 million words); downloaded on request only, read by
              gensim's ``Text8Corpus``.
============  =====================================================================

Tokenisation of the built-in corpora (:func:`tokenize`): lower-case runs of
letters, so "New South Wales." gives ``new south wales``; digits and punctuation
are dropped. The cached files are plain UTF-8 text, one sentence per line (long
articles are cut into lines of at most 1000 tokens), read by
:class:`w2v_helpers.training.corpus.LineSentences`.

The cache directory is, in order: the ``cache_dir`` argument, the environment
variable ``W2V_HELPERS_CACHE``, ``$XDG_CACHE_HOME/w2v_helpers``, and
``~/.cache/w2v_helpers``. Nothing is written inside the repository.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import urllib.request
import zipfile
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path

from .corpus import CorpusError, LineSentences

__all__ = [
    "CORPORA",
    "EVALUATION_SETS",
    "TEXT8_URL",
    "cache_dir",
    "corpus_path",
    "evaluation_path",
    "gensim_test_data",
    "load_corpus",
    "lee_path",
    "text8_path",
    "tokenize",
    "toy_corpus_path",
    "wiki_path",
]

TEXT8_URL = "http://mattmahoney.net/dc/text8.zip"
CORPORA = ("toy", "lee", "wiki", "lee+wiki", "text8")
EVALUATION_SETS = {
    "questions-words": "questions-words.txt",
    "wordsim353": "wordsim353.tsv",
    "simlex999": "simlex999.txt",
}
WIKI_FILE = "enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2"
LEE_FILES = ("lee_background.cor", "lee.cor")
LINE_TOKENS = 1000  # tokens per line in the cached files
_CACHE_VERSION = "v2"  # bump when the tokenisation changes

_WORD = re.compile(r"[^\W\d_]+")


def tokenize(text: str) -> list[str]:
    """Lower-case runs of letters (any script): ``"Hill Top, N.S.W."`` -> ``['hill', 'top', 'n', 's', 'w']``.

    Digits, punctuation and other number signs (``²``, ``½``) separate tokens and are dropped.
    """
    out: list[str] = []
    for tok in _WORD.findall(text.lower()):
        if tok.isalpha():
            out.append(tok)
        else:  # \w also matches number signs such as ² and ½: split them out
            out.extend("".join(ch if ch.isalpha() else " " for ch in tok).split())
    return out


def cache_dir(path=None) -> Path:
    r"""The directory for cached corpora, created if needed.

    Args:
        path: optional explicit directory; otherwise ``$W2V_HELPERS_CACHE``,
            else ``$XDG_CACHE_HOME/w2v_helpers``, else ``~/.cache/w2v_helpers``.

    Returns:
        The directory as a :class:`pathlib.Path`.
    """
    if path is None:
        env = os.environ.get("W2V_HELPERS_CACHE")
        if env:
            path = env
        else:
            xdg = os.environ.get("XDG_CACHE_HOME")
            base = Path(xdg) if xdg else Path.home() / ".cache"
            path = base / "w2v_helpers"
    p = Path(os.fspath(path)).expanduser()
    p.mkdir(parents=True, exist_ok=True)
    return p


def gensim_test_data(name: str) -> Path:
    """Path of a file shipped in gensim's test data (``gensim.test.utils.datapath``)."""
    try:
        from gensim.test.utils import datapath
    except ImportError as exc:  # pragma: no cover - gensim is a project requirement
        raise ImportError(
            "the built-in corpora and evaluation sets come with gensim's test data: pip install gensim"
        ) from exc
    p = Path(datapath(name))
    if not p.exists():  # pragma: no cover - only with a stripped gensim install
        raise FileNotFoundError(f"gensim test data file not found: {str(p)!r}")
    return p


def evaluation_path(name: str) -> Path:
    """Path of an evaluation set: ``'questions-words'``, ``'wordsim353'`` or ``'simlex999'``."""
    if name not in EVALUATION_SETS:
        raise ValueError(f"unknown evaluation set {name!r}; expected one of {sorted(EVALUATION_SETS)}")
    return gensim_test_data(EVALUATION_SETS[name])


def toy_corpus_path() -> Path:
    """The toy corpus, package data of ``w2v_helpers.training`` (``data/toy_corpus.txt``), found with importlib.resources."""
    resource = resources.files("w2v_helpers.training").joinpath("data", "toy_corpus.txt")
    if not isinstance(resource, Path):  # pragma: no cover - only when imported from a zip file
        raise FileNotFoundError("the toy corpus is inside a zip archive; install w2v_helpers as a directory")
    return resource


def _chunks(tokens: list[str], size: int = LINE_TOKENS) -> Iterator[list[str]]:
    for start in range(0, len(tokens), size):
        yield tokens[start : start + size]


def _write_atomic(path: Path, sentences: Iterable[list[str]]) -> Path:
    """Write token lists one per line to ``path`` via a temporary file and rename."""
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            for tokens in sentences:
                if tokens:
                    f.write(" ".join(tokens))
                    f.write("\n")
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def _lee_sentences() -> Iterator[list[str]]:
    for name in LEE_FILES:
        # The Lee files are Windows-1252 (one pound sign); every line is a news document.
        with open(gensim_test_data(name), encoding="cp1252") as f:
            for line in f:
                yield from _chunks(tokenize(line))


def _wiki_tokenizer(text, token_min_len, token_max_len, lower):
    return [t for t in tokenize(text) if len(t) <= token_max_len]


def _wiki_sentences() -> Iterator[list[str]]:
    from gensim.corpora import WikiCorpus

    wiki = WikiCorpus(
        str(gensim_test_data(WIKI_FILE)),
        processes=1,
        dictionary={},
        tokenizer_func=_wiki_tokenizer,
        token_max_len=20,
    )
    for tokens in wiki.get_texts():
        yield from _chunks(list(tokens))


def lee_path(cache_dir_=None) -> Path:
    """The tokenised Lee corpus, cached as ``lee-v2.txt`` (created on first use)."""
    p = cache_dir(cache_dir_) / f"lee-{_CACHE_VERSION}.txt"
    return p if p.exists() else _write_atomic(p, _lee_sentences())


def wiki_path(cache_dir_=None) -> Path:
    """The tokenised Wikipedia excerpt, cached as ``wiki-v2.txt`` (a few seconds the first time)."""
    p = cache_dir(cache_dir_) / f"wiki-{_CACHE_VERSION}.txt"
    return p if p.exists() else _write_atomic(p, _wiki_sentences())


def _lee_wiki_path(cache_dir_=None) -> Path:
    p = cache_dir(cache_dir_) / f"lee+wiki-{_CACHE_VERSION}.txt"
    if p.exists():
        return p
    parts = [lee_path(cache_dir_), wiki_path(cache_dir_)]

    def both():
        for part in parts:
            yield from LineSentences(part)

    return _write_atomic(p, both())


def _extract_text8(zip_file: Path, out: Path) -> Path:
    """Unpack the single file ``text8`` of ``zip_file`` to ``out`` (via a temporary file)."""
    with zipfile.ZipFile(zip_file) as zf:
        names = zf.namelist()
        if "text8" not in names:
            raise CorpusError(f"{str(zip_file)!r} has no member 'text8' (members: {names[:5]})")
        fd, tmp = tempfile.mkstemp(prefix=out.name + ".", suffix=".part", dir=out.parent)
        try:
            with os.fdopen(fd, "wb") as f, zf.open("text8") as raw:
                shutil.copyfileobj(raw, f, 1 << 20)
            os.replace(tmp, out)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
    return out


def text8_path(cache_dir_=None, download: bool = False, url: str = TEXT8_URL) -> Path:
    r"""The text8 corpus (17 million words on one line), cached as ``text8``; read it with :func:`load_corpus`.

    Args:
        cache_dir_: optional cache directory (see :func:`cache_dir`).
        download: if the corpus is not cached yet, fetch ``url`` (about 31 MB).
            Without it, a missing corpus raises :class:`FileNotFoundError` saying
            how to get it.
        url: where ``text8.zip`` lives; any ``urllib`` URL, ``file://`` included.

    Returns:
        Path of the unpacked file (gensim's ``Text8Corpus`` reads it).
    """
    d = cache_dir(cache_dir_)
    out = d / "text8"
    if out.exists():
        return out
    zip_file = d / "text8.zip"
    if not zip_file.exists():
        if not download:
            raise FileNotFoundError(
                f"text8 is not in the cache {str(d)!r}; download it (about 31 MB) with "
                f"text8_path(download=True), or with --download on the command line, "
                f"or place text8.zip from {TEXT8_URL} there"
            )
        part = d / "text8.zip.part"
        try:
            with urllib.request.urlopen(url, timeout=60) as resp, open(part, "wb") as f:
                shutil.copyfileobj(resp, f)
        except OSError as exc:
            if part.exists():
                part.unlink()
            raise OSError(f"could not download text8 from {url}: {exc}") from exc
        os.replace(part, zip_file)
    return _extract_text8(zip_file, out)


def corpus_path(name: str, cache_dir_=None, download: bool = False) -> Path:
    r"""The text file of a built-in corpus, building its cache on first use.

    Args:
        name: one of ``'toy'``, ``'lee'``, ``'wiki'``, ``'lee+wiki'``, ``'text8'``.
        cache_dir_: optional cache directory (see :func:`cache_dir`).
        download: for ``'text8'`` only: download it if it is not cached.

    Returns:
        Path to a UTF-8 text file, one sentence per line.
    """
    if name == "toy":
        return toy_corpus_path()
    if name == "lee":
        return lee_path(cache_dir_)
    if name == "wiki":
        return wiki_path(cache_dir_)
    if name == "lee+wiki":
        return _lee_wiki_path(cache_dir_)
    if name == "text8":
        return text8_path(cache_dir_, download=download)
    raise ValueError(f"unknown corpus {name!r}; expected one of {list(CORPORA)} or a file path")


def load_corpus(name_or_path, cache_dir_=None, download: bool = False):
    r"""A re-iterable corpus of token lists for a built-in name or a file path.

    ``'text8'`` is read by gensim's ``Text8Corpus`` (sentences of 10 000 words); everything else by
    :class:`~w2v_helpers.training.corpus.LineSentences`, one sentence per line, with its clear
    messages for files that are not UTF-8 or empty.

    Args:
        name_or_path: a name from :data:`CORPORA`, or the path of a text file.
        cache_dir_: optional cache directory for the built-in corpora.
        download: allow downloading text8.
    """
    if name_or_path == "text8":
        from gensim.models.word2vec import Text8Corpus

        return Text8Corpus(str(text8_path(cache_dir_, download=download)))
    if isinstance(name_or_path, str) and name_or_path in CORPORA:
        return LineSentences(corpus_path(name_or_path, cache_dir_, download=download))
    return LineSentences(name_or_path)
