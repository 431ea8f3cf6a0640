r"""Word vectors and their standard evaluations, in numpy.

* :class:`WordVectors`: a vocabulary (most frequent word first) with one vector per
  word; cosine neighbours, 3CosAdd analogies, the word2vec text format.
* :func:`evaluate_analogies`: accuracy on Mikolov et al.'s ``questions-words.txt``
  with the 3CosAdd rule

  .. math:: \hat d = \arg\max_{w \notin \{a, b, c\}} \cos\!\Big(\hat u_w,\;
            \frac{\hat u_b - \hat u_a + \hat u_c}{\lVert \hat u_b - \hat u_a + \hat u_c \rVert}\Big)

  over the ``restrict_vocab`` most frequent words, as gensim's
  ``KeyedVectors.evaluate_word_analogies`` does (:math:`\hat u = u / \lVert u \rVert`).
* :func:`evaluate_word_pairs`: Spearman's :math:`\rho` between cosine similarities
  and human scores (WordSim-353, SimLex-999), as gensim's ``evaluate_word_pairs``.

Command line: ``python -m w2v_helpers.evaluate VECTORS.txt`` prints all three.
"""
from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import numpy as np

__all__ = [
    "AnalogyResult",
    "PairsResult",
    "WordVectors",
    "cosine_similarity",
    "evaluate_all",
    "evaluate_analogies",
    "evaluate_word_pairs",
    "load_word2vec_format",
    "spearman",
    "main",
]


def cosine_similarity(a, b) -> float:
    r""":math:`\cos(a, b) = a^\top b / (\lVert a\rVert \lVert b\rVert)` of two (d,) vectors; 0 if either is zero."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.ndim != 1 or a.shape != b.shape:
        raise ValueError(f"a and b must be vectors of the same shape (d,), got {a.shape} and {b.shape}")
    na, nb = np.linalg.norm(a), np.linalg.norm(b)
    if na == 0 or nb == 0:
        return 0.0
    return float(a @ b / (na * nb))


def _unit_rows(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms > 0, norms, 1.0)


def _unit(v: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(v)
    return v / n if n > 0 else v


class WordVectors:
    r"""A vocabulary with one vector per word.

    Args:
        words: sequence of V distinct str, most frequent first (the order
            ``restrict_vocab`` relies on).
        vectors: (V, d) array, row i is the vector of ``words[i]``.

    Attributes:
        vocab: list of the V words; ``vocab[i]`` is the word of row i.
        index: dict word -> row.
        vectors: (V, d) array.
    """

    def __init__(self, words: Sequence[str], vectors):
        words = list(words)
        vectors = np.asarray(vectors)
        if vectors.ndim != 2 or vectors.shape[0] != len(words):
            raise ValueError(
                f"vectors must have shape (V, d) with V = len(words) = {len(words)}, got {vectors.shape}"
            )
        if not np.issubdtype(vectors.dtype, np.floating):
            raise ValueError(f"vectors must hold floats, got dtype {vectors.dtype}")
        index = {}
        for i, w in enumerate(words):
            if not isinstance(w, str) or not w or any(ch.isspace() for ch in w):
                raise ValueError(f"word {i} must be a non-empty str without whitespace, got {w!r}")
            if w in index:
                raise ValueError(f"word {w!r} occurs twice in words (rows {index[w]} and {i})")
            index[w] = i
        self.vocab: List[str] = words
        self.index: Dict[str, int] = index
        self.vectors = vectors
        self._unit = None

    # -- lookups ---------------------------------------------------------
    def __len__(self) -> int:
        return len(self.vocab)

    def __contains__(self, word) -> bool:
        return word in self.index

    def __getitem__(self, word: str) -> np.ndarray:
        return self.vectors[self.word_index(word)]

    def word_index(self, word: str) -> int:
        """Row of ``word``; a clear ``KeyError`` for a word that is not in the vocabulary."""
        try:
            return self.index[word]
        except (KeyError, TypeError):
            raise KeyError(
                f"word {word!r} is not in the vocabulary ({len(self.vocab)} words; rare words "
                f"below min_count are dropped)"
            ) from None

    @property
    def unit_vectors(self) -> np.ndarray:
        """(V, d) float64 rows scaled to length 1 (zero rows stay zero); computed once."""
        if self._unit is None or self._unit.shape != self.vectors.shape:
            self._unit = _unit_rows(self.vectors)
        return self._unit

    def invalidate(self) -> None:
        """Forget the cached unit vectors (call after changing ``vectors`` in place)."""
        self._unit = None

    # -- similarities ----------------------------------------------------
    def similarity(self, w1: str, w2: str) -> float:
        r"""Cosine similarity :math:`\cos(v_{w_1}, v_{w_2})`."""
        u = self.unit_vectors
        return float(u[self.word_index(w1)] @ u[self.word_index(w2)])

    def _ranked(self, query: np.ndarray, exclude: Sequence[int], topn: int,
                restrict_vocab: int | None) -> List[Tuple[str, float]]:
        u = self.unit_vectors
        if restrict_vocab is not None:
            u = u[:restrict_vocab]
        sims = u @ _unit(query)
        n = min(topn + len(exclude), sims.shape[0])
        if n <= 0:
            return []
        top = np.argpartition(-sims, n - 1)[:n]
        top = top[np.lexsort((top, -sims[top]))]       # by similarity, ties by frequency rank
        excluded = set(int(i) for i in exclude)
        out = [(self.vocab[i], float(sims[i])) for i in top if int(i) not in excluded]
        return out[:topn]

    def most_similar(self, word, topn: int = 10, restrict_vocab: int | None = None
                     ) -> List[Tuple[str, float]]:
        r"""The ``topn`` words of highest cosine similarity to ``word`` (itself excluded).

        Args:
            word: a str in the vocabulary, or a (d,) query vector (then nothing is excluded).
            topn: int >= 1.
            restrict_vocab: optional int, search only the most frequent words.

        Returns:
            list of (word, cosine) pairs, most similar first.
        """
        topn = _positive(topn, "topn")
        if isinstance(word, str):
            i = self.word_index(word)
            return self._ranked(self.vectors[i], [i], topn, restrict_vocab)
        q = np.asarray(word, dtype=np.float64)
        if q.shape != (self.vectors.shape[1],):
            raise ValueError(
                f"word must be a str or a query vector of shape ({self.vectors.shape[1]},), got {q.shape}"
            )
        return self._ranked(q, [], topn, restrict_vocab)

    def analogy(self, a: str, b: str, c: str, topn: int = 1, restrict_vocab: int | None = None):
        r"""Answer "a is to b as c is to ?" with 3CosAdd: nearest word to :math:`\hat u_b - \hat u_a + \hat u_c`.

        ``analogy("man", "king", "woman")`` should give ``"queen"``. The three
        query words are never returned.

        Returns:
            the best word (str) when ``topn == 1``, else a list of (word, cosine) pairs.
        """
        topn = _positive(topn, "topn")
        ia, ib, ic = (self.word_index(w) for w in (a, b, c))
        u = self.unit_vectors
        res = self._ranked(u[ib] - u[ia] + u[ic], [ia, ib, ic], topn, restrict_vocab)
        if topn == 1:
            return res[0][0] if res else None
        return res

    # -- files -----------------------------------------------------------
    def save_word2vec_format(self, path) -> Path:
        r"""Write the word2vec text format: a header ``V d``, then ``word x_1 ... x_d`` per line.

        gensim's ``KeyedVectors.load_word2vec_format(path)`` reads it; so does
        :func:`load_word2vec_format`. Floats are written with 8 significant digits.
        """
        path = Path(os.fspath(path))
        V, d = self.vectors.shape
        with open(path, "w", encoding="utf-8") as f:
            f.write(f"{V} {d}\n")
            for w, row in zip(self.vocab, np.asarray(self.vectors, dtype=np.float64)):
                f.write(w + " " + " ".join(f"{x:.8g}" for x in row) + "\n")
        return path


def _positive(n, name: str) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"{name} must be a positive int, got {n!r}")
    return int(n)


def load_word2vec_format(path) -> WordVectors:
    r"""Read vectors in the word2vec text format (header ``V d``, then ``word x_1 ... x_d``).

    Returns:
        :class:`WordVectors` with float32 vectors, words in file order.

    Raises:
        FileNotFoundError: no such file. ValueError: a malformed header or line
        (the message gives the line number).
    """
    path = Path(os.fspath(path))
    if not path.exists():
        raise FileNotFoundError(f"vectors file not found: {str(path)!r}")
    with open(path, encoding="utf-8") as f:
        header = f.readline().split()
        try:
            V, d = (int(x) for x in header)
        except ValueError:
            raise ValueError(
                f"{str(path)!r}: line 1 must be the header 'V d' of the word2vec text format, "
                f"got {' '.join(header)!r}"
            ) from None
        words: List[str] = []
        vectors = np.empty((V, d), dtype=np.float32)
        for i in range(V):
            line = f.readline()
            if not line:
                raise ValueError(f"{str(path)!r}: the header promises {V} words but the file ends after {i}")
            parts = line.rstrip().split(" ")
            if len(parts) != d + 1:
                raise ValueError(
                    f"{str(path)!r}: line {i + 2} must hold a word and {d} numbers, got {len(parts) - 1}"
                )
            words.append(parts[0])
            try:
                vectors[i] = np.array(parts[1:], dtype=np.float32)
            except ValueError:
                raise ValueError(f"{str(path)!r}: line {i + 2} holds a value that is not a number") from None
    return WordVectors(words, vectors)


# ----------------------------------------------------------------------------
# Evaluations
# ----------------------------------------------------------------------------
def _ok_vocab(wv: WordVectors, restrict_vocab: int, case_insensitive: bool) -> Dict[str, int]:
    """Query word -> row among the first ``restrict_vocab`` words; with case folding the most frequent form wins."""
    keys = wv.vocab[:restrict_vocab]
    if case_insensitive:
        return {k.upper(): i for i, k in reversed(list(enumerate(keys)))}
    return {k: i for i, k in enumerate(keys)}


@dataclass
class AnalogyResult:
    """Analogy accuracy: ``correct / attempted``; questions with a word outside the vocabulary are not attempted."""

    correct: int
    attempted: int
    oov: int
    sections: Dict[str, Tuple[int, int]] = field(default_factory=dict)

    @property
    def accuracy(self) -> float:
        return self.correct / self.attempted if self.attempted else 0.0

    @property
    def total(self) -> int:
        return self.attempted + self.oov


def evaluate_analogies(wv: WordVectors, path=None, restrict_vocab: int = 300000,
                       case_insensitive: bool = True, batch_size: int = 1024) -> AnalogyResult:
    r"""3CosAdd analogy accuracy, as gensim's ``KeyedVectors.evaluate_word_analogies``.

    For each question ``a b c d`` whose four words are among the ``restrict_vocab``
    most frequent words, the prediction is the word :math:`w \notin \{a,b,c\}` of
    highest cosine with :math:`\hat u_b - \hat u_a + \hat u_c`; the question counts
    as correct if that is ``d``. The "total" section of gensim (no
    ``gram``-prefixed split) is what :attr:`AnalogyResult.accuracy` reports.

    Args:
        wv: :class:`WordVectors` (or a trained model), words most frequent first.
        path: the questions file; default gensim's ``questions-words.txt``. Lines
            starting with ``:`` begin a section.
        restrict_vocab: int, only the first this many words are candidates and
            only questions within them are attempted.
        case_insensitive: compare upper-cased words (the file is capitalised).
        batch_size: questions scored per matrix product.

    Returns:
        :class:`AnalogyResult` with correct, attempted and out-of-vocabulary counts.
    """
    if path is None:
        from .datasets import evaluation_path
        path = evaluation_path("questions-words")
    restrict_vocab = _positive(restrict_vocab, "restrict_vocab")
    ok = _ok_vocab(wv, restrict_vocab, case_insensitive)
    n_ok = min(restrict_vocab, len(wv.vocab))
    queries: List[Tuple[int, int, int, int]] = []
    q_section: List[str] = []
    sections: Dict[str, Tuple[int, int]] = {}
    oov = 0
    section = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith(":"):
                section = line[1:].strip()
                sections.setdefault(section, (0, 0))
                continue
            words = line.split()
            if len(words) != 4:
                continue
            if case_insensitive:
                words = [w.upper() for w in words]
            if any(w not in ok for w in words):
                oov += 1
                continue
            queries.append(tuple(ok[w] for w in words))
            q_section.append(section)
    u = wv.unit_vectors[:n_ok]
    upper = [w.upper() if case_insensitive else w for w in wv.vocab[:n_ok]]
    correct = 0
    hits = np.zeros(len(queries), dtype=bool)
    q = np.array(queries, dtype=np.int64).reshape(-1, 4)
    for start in range(0, len(q), batch_size):
        a, b, c, d = q[start:start + batch_size].T
        target = u[b] - u[a] + u[c]
        target /= np.maximum(np.linalg.norm(target, axis=1, keepdims=True), 1e-300)
        sims = target @ u.T                                   # (n, V)
        rows = np.arange(len(a))
        for idx in (a, b, c):
            sims[rows, idx] = -np.inf
        # a word spelled like a query word in another case is excluded too
        pred = np.argmax(sims, axis=1)
        for j in range(len(a)):
            p = pred[j]
            banned = {upper[a[j]], upper[b[j]], upper[c[j]]}
            while upper[p] in banned:
                sims[j, p] = -np.inf
                p = int(np.argmax(sims[j]))
            hits[start + j] = upper[p] == upper[d[j]]
    for hit, sec in zip(hits, q_section):
        good, tried = sections[sec]
        sections[sec] = (good + int(hit), tried + 1)
    correct = int(hits.sum())
    return AnalogyResult(correct=correct, attempted=len(queries), oov=oov, sections=sections)


def _rank(x: np.ndarray) -> np.ndarray:
    """Ranks 1..n, ties get their average rank (as ``scipy.stats.rankdata``)."""
    order = np.argsort(x, kind="mergesort")
    xs = x[order]
    starts = np.flatnonzero(np.r_[True, xs[1:] != xs[:-1]])
    ends = np.r_[starts[1:], len(x)]
    avg = (starts + ends + 1) / 2.0                       # mean of ranks start+1..end
    ranks = np.empty(len(x))
    ranks[order] = np.repeat(avg, ends - starts)
    return ranks


def spearman(x, y) -> float:
    r"""Spearman's rank correlation: Pearson's correlation of the ranks (ties averaged).

    .. math:: \rho = \frac{\sum_i (r_i - \bar r)(s_i - \bar s)}
                         {\sqrt{\sum_i (r_i - \bar r)^2 \sum_i (s_i - \bar s)^2}}

    Args:
        x, y: (n,) real values, n >= 2.

    Returns:
        float in [-1, 1]; nan if either input is constant.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if x.ndim != 1 or x.shape != y.shape or x.shape[0] < 2:
        raise ValueError(f"x and y must be 1-D of the same length >= 2, got {x.shape} and {y.shape}")
    r, s = _rank(x), _rank(y)
    r -= r.mean()
    s -= s.mean()
    den = np.sqrt((r @ r) * (s @ s))
    return float(r @ s / den) if den > 0 else float("nan")


@dataclass
class PairsResult:
    """Spearman's rho over the pairs whose two words are in the vocabulary."""

    spearman: float
    pearson: float
    pairs: int
    oov: int

    @property
    def total(self) -> int:
        return self.pairs + self.oov


def evaluate_word_pairs(wv: WordVectors, path=None, restrict_vocab: int = 300000,
                        case_insensitive: bool = True, delimiter: str = "\t") -> PairsResult:
    r"""Correlation of cosine similarities with human scores, as gensim's ``evaluate_word_pairs``.

    Args:
        wv: :class:`WordVectors`.
        path: a file of ``word1<TAB>word2<TAB>score`` lines, ``#`` comments
            allowed; default gensim's ``wordsim353.tsv``.
        restrict_vocab: int, pairs with a word outside the first this many are skipped.
        case_insensitive: compare upper-cased words.
        delimiter: column separator.

    Returns:
        :class:`PairsResult` with Spearman's and Pearson's correlation over the
        pairs found, and the number of pairs skipped as out of vocabulary.
    """
    if path is None:
        from .datasets import evaluation_path
        path = evaluation_path("wordsim353")
    restrict_vocab = _positive(restrict_vocab, "restrict_vocab")
    ok = _ok_vocab(wv, restrict_vocab, case_insensitive)
    gold, model = [], []
    oov = 0
    u = wv.unit_vectors
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line or line.startswith("#"):
                continue
            parts = line.split(delimiter)
            if len(parts) != 3:
                continue
            a, b, score = parts
            if case_insensitive:
                a, b = a.upper(), b.upper()
            try:
                score = float(score)
            except ValueError:
                continue
            if a not in ok or b not in ok:
                oov += 1
                continue
            gold.append(score)
            model.append(float(u[ok[a]] @ u[ok[b]]))
    if len(gold) < 2:
        return PairsResult(spearman=float("nan"), pearson=float("nan"), pairs=len(gold), oov=oov)
    g, m = np.array(gold), np.array(model)
    gc, mc = g - g.mean(), m - m.mean()
    den = np.sqrt((gc @ gc) * (mc @ mc))
    pearson = float(gc @ mc / den) if den > 0 else float("nan")
    return PairsResult(spearman=spearman(g, m), pearson=pearson, pairs=len(gold), oov=oov)


def evaluate_all(wv: WordVectors, restrict_vocab: int = 30000) -> Dict[str, object]:
    """Analogy accuracy on questions-words and Spearman's rho on WordSim-353 and SimLex-999."""
    from .datasets import evaluation_path
    return {
        "analogy": evaluate_analogies(wv, evaluation_path("questions-words"), restrict_vocab),
        "ws353": evaluate_word_pairs(wv, evaluation_path("wordsim353"), restrict_vocab),
        "simlex999": evaluate_word_pairs(wv, evaluation_path("simlex999"), restrict_vocab),
    }


def format_results(results: Dict[str, object]) -> str:
    """A small markdown table of :func:`evaluate_all`'s results."""
    an = results["analogy"]
    lines = [
        "| evaluation | score | items used | out of vocabulary |",
        "| --- | --- | --- | --- |",
        f"| analogies (questions-words, 3CosAdd) | accuracy {an.accuracy:.4f} ({an.correct}/{an.attempted}) "
        f"| {an.attempted} | {an.oov} of {an.total} |",
    ]
    for key, name in (("ws353", "WordSim-353"), ("simlex999", "SimLex-999")):
        r = results[key]
        lines.append(f"| {name} | Spearman rho {r.spearman:.4f} | {r.pairs} | {r.oov} of {r.total} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m w2v_helpers.evaluate",
        description="Evaluate word vectors in the word2vec text format: analogy accuracy on "
                    "questions-words (3CosAdd) and Spearman's rho on WordSim-353 and SimLex-999 "
                    "(all shipped with gensim's test data).",
    )
    parser.add_argument("vectors", help="a word2vec text-format file, e.g. written by python -m w2v_helpers.train")
    parser.add_argument("--restrict-vocab", type=int, default=30000,
                        help="use only the most frequent N words (default 30000, gensim's analogy default)")
    args = parser.parse_args(argv)
    try:
        wv = load_word2vec_format(args.vectors)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{args.vectors}: {len(wv)} words, dimension {wv.vectors.shape[1]}")
    print(format_results(evaluate_all(wv, args.restrict_vocab)))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
