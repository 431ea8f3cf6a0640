r"""The vocabulary of a corpus and word2vec's frequent-word subsampling.

* :func:`build_vocab`: the words seen at least ``min_count`` times, most frequent first;
* :func:`keep_probabilities`: the chance of keeping each occurrence of a word,
  :math:`\min(1, (\sqrt{f_w/t} + 1)\,t/f_w)`;
* :func:`encode`: the corpus as one array of word ids plus the sentence of each token.
"""

from __future__ import annotations

import math
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from .._validate import as_float_array
from .corpus import CorpusError

__all__ = ["Vocabulary", "build_vocab", "keep_probabilities", "encode", "stable_hash", "positive_int"]


def positive_int(value, name: str) -> int:
    """``value`` as an int >= 1, else a ``ValueError`` naming ``name`` (bools are refused)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return int(value)


@dataclass
class Vocabulary:
    """Words seen at least ``min_count`` times, most frequent first (ties in order of first appearance).

    Attributes:
        words: list of V str.
        counts: (V,) int64 corpus counts.
        index: dict word -> row.
        total_words: int, tokens in the corpus, rare words included.
        min_count: the threshold used.
    """

    words: list[str]
    counts: np.ndarray
    index: dict[str, int]
    total_words: int
    min_count: int

    def __len__(self) -> int:
        return len(self.words)


def stable_hash(text: str) -> int:
    """A hash of a string that is the same in every process (CRC-32), unlike Python's ``hash``.

    Pass it to gensim as ``Word2Vec(..., hashfxn=stable_hash)``: gensim seeds each word's initial
    vector with ``hashfxn(word + str(seed))``, and Python's ``hash`` of a string changes from one
    process to the next, so without it gensim's vectors differ between runs even with ``seed`` set.
    """
    return zlib.crc32(text.encode("utf-8"))


def build_vocab(sentences: Iterable[list[str]], min_count: int = 5, max_vocab_size: int | None = None) -> Vocabulary:
    r"""Count the words of a corpus and keep those seen at least ``min_count`` times.

    Args:
        sentences: iterable of token lists (one pass).
        min_count: int >= 1.
        max_vocab_size: optional int, keep only the most frequent words.

    Returns:
        :class:`Vocabulary`, sorted by decreasing count, ties in order of first
        appearance (as gensim).

    Raises:
        CorpusError: the corpus has no token, or no word reaches ``min_count``.
    """
    min_count = positive_int(min_count, "min_count")
    counter: Counter = Counter()
    total = 0
    for tokens in sentences:
        counter.update(tokens)
        total += len(tokens)
    if total == 0:
        raise CorpusError("the corpus is empty: it holds no tokens")
    for w in counter:
        if not isinstance(w, str):
            raise CorpusError(f"sentences must hold str tokens, got {type(w).__name__} {w!r}")
    kept = [(w, c) for w, c in counter.items() if c >= min_count]
    kept.sort(key=lambda wc: -wc[1])  # stable: first appearance breaks ties
    if max_vocab_size is not None:
        kept = kept[: positive_int(max_vocab_size, "max_vocab_size")]
    if not kept:
        raise CorpusError(
            f"no word occurs at least min_count = {min_count} times in the corpus "
            f"({total} tokens, {len(counter)} distinct); lower min_count"
        )
    words = [w for w, _ in kept]
    counts = np.array([c for _, c in kept], dtype=np.int64)
    return Vocabulary(words, counts, {w: i for i, w in enumerate(words)}, total, min_count)


def keep_probabilities(counts, total_words: int, sample: float = 1e-3) -> np.ndarray:
    r"""word2vec's probability of keeping each occurrence of a word (frequent-word subsampling).

    .. math:: P_{\text{keep}}(w) = \min\Big(1, \Big(\sqrt{\frac{f_w}{t}} + 1\Big)\frac{t}{f_w}\Big),
              \qquad t = \text{sample} \cdot N

    with :math:`f_w` the count of w and N the corpus size (the formula of
    word2vec.c and gensim). ``sample = 0`` keeps everything.

    Args:
        counts: (V,) positive counts.
        total_words: int N.
        sample: float >= 0.

    Returns:
        (V,) float64 probabilities in (0, 1].
    """
    c = as_float_array(counts, "counts", ndim=1)
    if sample < 0 or not math.isfinite(sample):
        raise ValueError(f"sample must be a finite number >= 0, got {sample!r}")
    if sample == 0:
        return np.ones_like(c)
    t = sample * total_words
    return np.minimum(1.0, (np.sqrt(c / t) + 1.0) * t / c)


def encode(sentences: Iterable[list[str]], index: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """All in-vocabulary tokens as one (N,) int32 array, plus the (N,) int32 sentence number of each."""
    ids: list[np.ndarray] = []
    sids: list[np.ndarray] = []
    get = index.get
    for n_sent, tokens in enumerate(sentences):
        row = np.fromiter((get(t, -1) for t in tokens), dtype=np.int32, count=len(tokens))
        row = row[row >= 0]
        ids.append(row)
        sids.append(np.full(row.shape[0], n_sent, dtype=np.int32))
    if not ids:
        return np.zeros(0, np.int32), np.zeros(0, np.int32)
    return np.concatenate(ids), np.concatenate(sids)
