r"""Skip-gram with negative sampling on real text: minibatch SGD from the part (d) gradients.

For a center word :math:`c`, an outside word :math:`o` in its window and K
negatives :math:`w_1..w_K` drawn from :math:`P_n(w) \propto \mathrm{count}(w)^{3/4}`,
the loss and gradients are those of :func:`w2v_helpers.neg_sampling_loss_and_gradient`:

.. math::

    J = -\log\sigma(u_o^\top v_c) - \sum_{k=1}^{K}\log\sigma(-u_k^\top v_c)

    \frac{\partial J}{\partial v_c} = (\sigma(u_o^\top v_c) - 1)\,u_o + \sum_k \sigma(u_k^\top v_c)\,u_k,
    \qquad
    \frac{\partial J}{\partial u_o} = (\sigma(u_o^\top v_c) - 1)\,v_c, \qquad
    \frac{\partial J}{\partial u_k} = \sigma(u_k^\top v_c)\,v_c

(:math:`-\sigma(-x) = \sigma(x) - 1`). One SGD step takes a minibatch of windows
and moves every parameter by :math:`-\alpha \sum_{\text{pairs}} \nabla J`, all
gradients evaluated at the same parameters; a word met several times in the batch
gets the sum of its gradients (:func:`window_batch_loss_and_gradient` computes
exactly that, and is tested against the single-pair function).

The rest is word2vec's recipe: a vocabulary of words seen at least ``min_count``
times, frequent words dropped at random with probability
:math:`1 - (\sqrt{f/t} + 1)\,t/f` (f the word's count, :math:`t = \text{sample}
\times` corpus size), a window shrunk at random to :math:`b \sim U\{1..\text{window}\}`
for each word, a learning rate decaying linearly from ``alpha`` to ``min_alpha``.
As in word2vec.c, the word in the middle of a window is the predicted word o and
each word around it in turn the input c; the K negatives are drawn once per middle
word and shared by its (at most 2b) pairs, where word2vec draws K per pair. That
is what lets a step be a few dense products: one row of W per word of the corpus,
K + 1 rows of U per predicted word.

Speed: for B words of the corpus the (B + 2m) input rows and B (K+1) output rows
are gathered with ``np.take``; the scores of all pairs are one batched matrix
product of (K+1) x d by d x (2m+1) blocks over a sliding-window *view* of the
input rows; the two gradient products likewise; and the row updates, with
repeated words, are summed by one ``scipy.sparse`` product instead of
``np.add.at``. float32 by default.

Command line: ``python -m w2v_helpers.train --corpus lee+wiki --out vectors.txt``.
"""
from __future__ import annotations

import argparse
import math
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence

import numpy as np
import scipy.sparse as sp

from numpy.lib.stride_tricks import sliding_window_view

from ._validate import as_float_array, as_index_array
from .corpus import CorpusError, LineSentences, as_sentences
from .evaluate import WordVectors

__all__ = [
    "stable_hash",
    "TrainingDiverged",
    "Vocabulary",
    "SkipGramModel",
    "auto_batch_words",
    "build_vocab",
    "keep_probabilities",
    "window_batch_loss_and_gradient",
    "train_skipgram",
    "main",
]


class TrainingDiverged(FloatingPointError):
    """The loss became NaN or infinite: the learning rate is too large."""


# ----------------------------------------------------------------------------
# Vocabulary and subsampling
# ----------------------------------------------------------------------------
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

    words: List[str]
    counts: np.ndarray
    index: Dict[str, int]
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
    import zlib

    return zlib.crc32(text.encode("utf-8"))


def build_vocab(sentences: Iterable[List[str]], min_count: int = 5,
                max_vocab_size: Optional[int] = None) -> Vocabulary:
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
    min_count = _pos_int(min_count, "min_count")
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
    kept.sort(key=lambda wc: -wc[1])                      # stable: first appearance breaks ties
    if max_vocab_size is not None:
        kept = kept[:_pos_int(max_vocab_size, "max_vocab_size")]
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


def _pos_int(value, name: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return int(value)


# ----------------------------------------------------------------------------
# The minibatch step
# ----------------------------------------------------------------------------
def _sigmoid_fast(z: np.ndarray) -> np.ndarray:
    """sigma(z) = (1 + tanh(z/2)) / 2: no overflow for any z, one vectorised tanh."""
    s = np.tanh(z * 0.5)
    s += 1.0
    s *= 0.5
    return s


def _softplus(x: np.ndarray) -> np.ndarray:
    """log(1 + e^x) = max(x, 0) + log1p(e^{-|x|}), stable for any x."""
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


try:  # scipy's compiled sparse kernels: in-place Y += A X without building matrix objects
    from scipy.sparse import _sparsetools as _st
    _HAVE_SPARSETOOLS = hasattr(_st, "csr_tocsc") and hasattr(_st, "csr_matvecs")
except ImportError:  # pragma: no cover - every scipy >= 1.0 has it
    _HAVE_SPARSETOOLS = False


def _accumulate(out: np.ndarray, entry_rows: np.ndarray, indptr: np.ndarray, values: np.ndarray,
                weight: float) -> None:
    r"""``out[entry_rows[e]] += weight * values[column of e]`` for every entry e, repeats adding up.

    The entries form a sparse matrix M of shape (rows of ``out``, rows of ``values``),
    column c holding entries ``indptr[c]:indptr[c+1]`` (CSC). ``out += weight * M @ values``
    is then one sparse product: no ``np.add.at``, no dense (V, d) temporary.
    """
    n_out, n_val, d = out.shape[0], values.shape[0], out.shape[1]
    nnz = entry_rows.shape[0]
    if _HAVE_SPARSETOOLS:
        # The CSC of M is the CSR of M^T; scipy's csr_tocsc turns it into the CSR of M by a
        # counting sort, and csr_matvecs adds M @ values into out, in place.
        ip = indptr.astype(np.int32, copy=False)
        rows = entry_rows.astype(np.int32, copy=False)
        Bp = np.empty(n_out + 1, dtype=np.int32)
        Bj = np.empty(nnz, dtype=np.int32)
        Bx = np.empty(nnz, dtype=out.dtype)
        _st.csr_tocsc(n_val, n_out, ip, rows, np.full(nnz, weight, dtype=out.dtype), Bp, Bj, Bx)
        _st.csr_matvecs(n_out, n_val, d, Bp, Bj, Bx, values.reshape(-1), out.reshape(-1))
        return
    csr = sp.csc_matrix((np.full(nnz, weight, dtype=out.dtype), entry_rows, indptr),
                        shape=(n_out, n_val)).tocsr()
    ip = csr.indptr
    used = np.flatnonzero(ip[1:] != ip[:-1])
    compact = sp.csr_matrix((csr.data, csr.indices, np.append(ip[used], ip[-1])),
                            shape=(used.shape[0], n_val))
    out[used] += compact @ values


def _window_step(W: np.ndarray, U: np.ndarray, window_words: np.ndarray, idx: np.ndarray,
                 mask: np.ndarray, step: float, buf: np.ndarray, out: np.ndarray) -> float:
    r"""One minibatch of windows: its summed loss, and ``out -= step * gradient``.

    Row p of the batch is the window around one predicted word :math:`o_p`
    (``idx[p, 0]``), with negatives ``idx[p, 1:]``; its inputs are the words
    ``window_words[p + j]`` for the J = 2m + 1 slots j with ``mask[p, j]`` set.
    Every (input :math:`c`, o) pair is one term of the part (d) formula, and every
    gradient is taken at the parameters W, U as given.

    Args:
        W, U: (V, d) input vectors :math:`v_w` and output vectors :math:`u_w`.
        window_words: (P + 2m,) word ids; slot j of row p is ``window_words[p + j]``.
        idx: (P, K+1) ``[o_p, w_{p,1}, ..., w_{p,K}]``.
        mask: (P, J) 0/1 in W's dtype, which pairs exist (slot m, the word itself, is 0).
        step: the learning rate (training), or -1 to add the gradient itself (tests).
        buf: C-contiguous scratch array of at least P (K+1+J) rows of length d, W's dtype.
        out: (2V, d) C-contiguous, the stacked [W; U] (row w of W is w, row w of U is V + w);
            in training it is the very array W and U are views of.

    Returns:
        the summed loss (float).
    """
    V, d = W.shape
    P, K1 = idx.shape
    J = mask.shape[1]
    X = np.take(W, window_words, axis=0)                 # (P+2m, d)   input vectors
    O = np.take(U, idx, axis=0)                          # (P, K+1, d) u_o and the u_k
    Xv = sliding_window_view(X, J, axis=0)               # (P, d, J)   a view, no copy
    S = np.matmul(O, Xv)                                 # (P, K+1, J) u^T v_c of every pair
    # dJ/d(u^T v_c): sigma(u_o^T v_c) - 1 for o (= -sigma(-u_o^T v_c)), sigma(u_k^T v_c) for negatives
    G = _sigmoid_fast(S)
    G[:, 0, :] -= 1.0
    m = mask[:, None, :]
    G *= m
    S[:, 0, :] *= -1.0                                   # J = softplus(-u_o^T v_c) + sum_k softplus(u_k^T v_c)
    loss = float(np.vdot(_softplus(S).sum(axis=1), mask))   # summed over o and the negatives, then pairs
    G *= step
    nO = P * K1
    dO = buf[:nO].reshape(P, K1, d)
    np.matmul(G, Xv.transpose(0, 2, 1), out=dO)          # step * dJ/du for each (p, k): sum_j G v_{c_j}
    dXw = buf[nO:nO + P * J].reshape(P, J, d)
    np.matmul(G.transpose(0, 2, 1), O, out=dXw)          # step * dJ/dv for each (p, j): sum_k G u_k
    # Entry (p, k) of dO goes to row V + idx[p, k]; entry (p, j) of dXw, when the pair
    # exists, to row window_words[p + j]. Repeated words add up.
    valid = mask.reshape(-1) != 0
    ncol = nO + P * J
    indptr = np.empty(ncol + 1, dtype=np.int64)
    indptr[:nO + 1] = np.arange(nO + 1)
    np.cumsum(valid, out=indptr[nO + 1:])
    indptr[nO + 1:] += nO
    entry_rows = np.concatenate([V + idx.reshape(-1),
                                 sliding_window_view(window_words, J)[valid.reshape(P, J)]])
    _accumulate(out, entry_rows, indptr, buf[:ncol], -1.0)
    return loss


def window_batch_loss_and_gradient(center_vectors, outside_vectors, window_words, outside_and_negatives, mask):
    r"""The trainer's minibatch: summed negative-sampling loss and gradients of a batch of windows.

    Row p of the batch predicts the word :math:`o_p` = ``outside_and_negatives[p, 0]``
    from each word around it, with negatives
    :math:`w_{p,1..K}` = ``outside_and_negatives[p, 1:]`` shared by the pairs of the row:

    .. math::

        J_{\text{batch}} = \sum_{p} \sum_{j:\ \text{mask}[p, j]}
            J_{\text{neg-sample}}\big(v_{c_{p,j}}, o_p, U; w_{p,1..K}\big),
        \qquad c_{p,j} = \text{window\_words}[p + j]

    exactly the sum of :func:`w2v_helpers.neg_sampling_loss_and_gradient` over
    those pairs (a word repeated anywhere in the batch collects all its terms).
    The window of row p is slots j = 0..2m of ``window_words[p : p + 2m + 1]``;
    slot m is :math:`o_p`'s own position (``mask[:, m]`` must be false).

    Args:
        center_vectors: (V, d) :math:`v_w` rows. outside_vectors: (V, d) :math:`u_w` rows.
        window_words: (P + 2m,) ints, the words of the P windows, overlapping.
        outside_and_negatives: (P, K+1) ints.
        mask: (P, 2m+1) bools, which pairs are trained.

    Returns:
        (loss, grad_center_vectors (V, d), grad_outside_vectors (V, d)), float64.
    """
    W = as_float_array(center_vectors, "center_vectors", ndim=2)
    U = as_float_array(outside_vectors, "outside_vectors", ndim=2)
    if W.shape != U.shape:
        raise ValueError(f"center_vectors and outside_vectors must have the same shape, got {W.shape} and {U.shape}")
    V, d = W.shape
    idx = np.asarray(outside_and_negatives)
    if idx.ndim != 2 or idx.shape[1] < 2:
        raise ValueError(f"outside_and_negatives must have shape (P, K+1) with K >= 1, got {idx.shape}")
    P = idx.shape[0]
    idx = as_index_array(idx.reshape(-1), "outside_and_negatives", V).reshape(P, -1)
    msk = np.asarray(mask)
    if msk.ndim != 2 or msk.shape[0] != P or msk.shape[1] % 2 != 1:
        raise ValueError(f"mask must have shape (P, 2m+1) = ({P}, odd), got {msk.shape}")
    J = msk.shape[1]
    if np.any(msk[:, J // 2]):
        raise ValueError("mask[:, m] must be false: a word is not its own context")
    ww = as_index_array(window_words, "window_words", V)
    if ww.shape[0] != P + J - 1:
        raise ValueError(f"window_words must have P + 2m = {P + J - 1} entries, got {ww.shape[0]}")
    buf = np.empty((P * (idx.shape[1] + J), d))
    grads = np.zeros((2 * V, d))
    loss = _window_step(W, U, ww, idx, msk.astype(np.float64), -1.0, buf, grads)
    return loss, grads[:V], grads[V:]


# ----------------------------------------------------------------------------
# The model
# ----------------------------------------------------------------------------
class SkipGramModel(WordVectors):
    r"""Trained skip-gram vectors: a :class:`~w2v_helpers.evaluate.WordVectors` plus training records.

    Attributes:
        vocab: list of V words, most frequent first; ``index``: word -> row.
        counts: (V,) corpus counts.
        vectors: (V, d) center vectors :math:`v_w` (what word2vec saves).
        outside_vectors: (V, d) outside vectors :math:`u_w`.
        loss_history: (n,) float64, mean loss per pair over consecutive stretches of
            training (``report_every`` pairs each; the last may be shorter).
        loss_history_words: (n,) words of the corpus processed at each entry.
        epoch_losses: (epochs,) mean loss per pair of each epoch.
        params: the training settings.
        train_seconds, train_cpu_seconds: wall-clock and CPU time of the SGD loop of
            :func:`train_skipgram` (after counting and encoding the corpus).
        words_per_second: corpus words (rare ones included) times epochs per second.
        effective_words: words that took part, summed over epochs (after min_count
            and subsampling; what gensim's logs call effective words).
        pairs_trained: (input, predicted) pairs, summed over epochs.
    """

    def __init__(self, words, vectors, outside_vectors, counts, params, loss_history,
                 loss_history_words, epoch_losses, train_seconds, total_words, pairs_trained):
        super().__init__(words, vectors)
        self.outside_vectors = outside_vectors
        self.counts = counts
        self.params = params
        self.loss_history = loss_history
        self.loss_history_words = loss_history_words
        self.epoch_losses = epoch_losses
        self.train_seconds = train_seconds
        self.total_words = total_words
        self.pairs_trained = pairs_trained

    @property
    def words_per_second(self) -> float:
        return self.total_words * self.params["epochs"] / max(self.train_seconds, 1e-12)

    def __repr__(self) -> str:
        return (f"SkipGramModel(V={len(self.vocab)}, d={self.vectors.shape[1]}, "
                f"epochs={self.params['epochs']}, final loss={self.epoch_losses[-1]:.4f})")


def _encode(sentences: Iterable[List[str]], index: Dict[str, int]):
    """All in-vocabulary tokens as one int32 array, plus the sentence number of each (int32)."""
    ids: List[np.ndarray] = []
    sids: List[np.ndarray] = []
    get = index.get
    n_sent = 0
    for tokens in sentences:
        row = np.fromiter((get(t, -1) for t in tokens), dtype=np.int32, count=len(tokens))
        row = row[row >= 0]
        ids.append(row)
        sids.append(np.full(row.shape[0], n_sent, dtype=np.int32))
        n_sent += 1
    if not ids:
        return np.zeros(0, np.int32), np.zeros(0, np.int32)
    return np.concatenate(ids), np.concatenate(sids)


def _progress_bar(total: int, enabled: bool):
    if not enabled:
        return None
    from tqdm.auto import tqdm
    return tqdm(total=total, unit="word", unit_scale=True, desc="skip-gram", leave=True,
                mininterval=0.5)


def _noise_table(counts: np.ndarray, power: float, size: int) -> np.ndarray:
    """word2vec's unigram table: word w fills round(P_n(w) * size) slots; a uniform slot is a draw.

    The rounding keeps the total exactly ``size`` (largest remainders get the spare slots).
    """
    noise = counts.astype(np.float64) ** power
    share = noise / noise.sum() * size
    slots = np.floor(share).astype(np.int64)
    spare = size - int(slots.sum())
    if spare > 0:
        slots[np.argsort(slots - share, kind="stable")[:spare]] += 1
    return np.repeat(np.arange(counts.shape[0], dtype=np.int32), slots)


def _draw_negatives(rng: np.random.Generator, table: np.ndarray, outside: np.ndarray, k: int) -> np.ndarray:
    """(n, K+1) int32: column 0 ``outside``, columns 1..K noise draws, a draw equal to the outside word drawn again."""
    idx = np.empty((outside.shape[0], k + 1), dtype=np.int32)
    idx[:, 0] = outside
    negs = idx[:, 1:]
    negs[...] = table[rng.integers(0, table.shape[0], size=negs.shape)]
    clash = negs == idx[:, :1]
    while clash.any():          # rejection, as sample_negatives: P_n(w) / (1 - P_n(o)) for w != o
        negs[clash] = table[rng.integers(0, table.shape[0], size=int(clash.sum()))]
        clash = negs == idx[:, :1]
    return idx


def auto_batch_words(counts, keep, window: int, cap: int = 256, budget: float = 24.0) -> int:
    r"""A minibatch size that keeps every row's summed step moderate.

    In a batch of B words the most frequent word (share :math:`f` of the
    subsampled corpus) is an input of about :math:`B f (m + 1)` pairs, so its
    row moves by that many gradient terms at once. This returns the largest
    :math:`B \le` ``cap`` with :math:`B f (m+1) \le` ``budget`` (at least 1).

    Args:
        counts: (V,) word counts. keep: (V,) keep probabilities (subsampling).
        window: int m. cap: int, the largest batch. budget: float, terms per row.
    """
    kept = np.asarray(counts, dtype=np.float64) * np.asarray(keep, dtype=np.float64)
    share = float(kept.max() / kept.sum())
    return int(max(1, min(cap, math.floor(budget / (share * (window + 1))))))


_DIVERGED_LOSS = 1e3    # mean loss per pair; about 4.2 at the start, it only gets there by blowing up


def train_skipgram(sentences_or_path, dim: int = 100, window: int = 5, negatives: int = 5,
                   epochs: int = 5, min_count: int = 5, sample: float = 1e-3,
                   alpha: float = 0.025, min_alpha: float = 1e-4, batch_words: Optional[int] = None,
                   seed: int = 0, ns_exponent: float = 0.75, max_vocab_size: Optional[int] = None,
                   dtype=np.float32, progress: bool = True, report_every: int = 100_000,
                   vocab: Optional[Vocabulary] = None) -> SkipGramModel:
    r"""Train skip-gram with negative sampling (word2vec's recipe) by minibatch SGD in numpy.

    Each SGD step takes ``batch_words`` consecutive words of the (subsampled)
    corpus; for each of them, the word o is predicted from every word c of its
    shrunk window (:math:`b \sim U\{1..\text{window}\}` on each side, within the
    sentence), with K negatives drawn once for o and shared by its pairs. The
    step is :math:`\theta \leftarrow \theta - \alpha_t \nabla J_{\text{batch}}`
    with :math:`J_{\text{batch}}` the sum of the part (d) losses of those pairs
    (:func:`window_batch_loss_and_gradient`). As in word2vec.c the middle word is
    the predicted one; windows are symmetric, so these are the textbook's
    (center, outside) pairs, each counted from its other end.

    Args:
        sentences_or_path: a file path (one sentence per line), the name of a built-in
            corpus (``'toy'``, ``'lee'``, ``'wiki'``, ``'lee+wiki'``, ``'text8'``: see
            :mod:`w2v_helpers.datasets`), or a re-iterable of token lists.
        dim: int d, the vector size.
        window: int m, the largest window; each word uses :math:`b \sim U\{1..m\}`.
        negatives: int K, negatives per predicted word.
        epochs: int, passes over the corpus.
        min_count: int, words seen fewer times are dropped before windowing.
        sample: float, the subsampling threshold t/N (0 disables subsampling).
        alpha, min_alpha: floats, the learning rate decays linearly from ``alpha``
            to ``min_alpha`` over training.
        batch_words: int, words per SGD step (each brings m + 1 pairs on average), or
            None for :func:`auto_batch_words`. All gradients of a step use the
            parameters of its start, so the row of a frequent word moves by the sum
            of many terms at once: too large a batch makes training unstable (2048
            on the default corpus diverges; the auto choice is 256 there, and
            smaller when a few words dominate the corpus).
        seed: int; the same seed gives identical vectors with the same numpy and BLAS
            (the BLAS kernel, e.g. chosen by ``OPENBLAS_CORETYPE``, can change the last digits).
        ns_exponent: float, the noise distribution is count^ns_exponent.
        max_vocab_size: optional int, keep only the most frequent words.
        dtype: ``np.float32`` (default: as good, and faster) or ``np.float64``.
        progress: show a tqdm progress bar (a widget in notebooks) with the running loss.
        report_every: int, pairs per entry of ``loss_history``.
        vocab: optional :class:`Vocabulary` to reuse (skips counting).

    Returns:
        :class:`SkipGramModel`; ``vectors`` are the input vectors :math:`v_w`.

    Raises:
        FileNotFoundError: a missing corpus file. CorpusError (a ValueError): an
        empty or malformed corpus. ValueError: bad settings, or a vocabulary of
        fewer than K + 1 words. TrainingDiverged: the loss became non-finite (or
        over 1000 per pair); the message names the learning rate.
    """
    dim = _pos_int(dim, "dim")
    window = _pos_int(window, "window")
    negatives = _pos_int(negatives, "negatives")
    epochs = _pos_int(epochs, "epochs")
    if batch_words is not None:
        batch_words = _pos_int(batch_words, "batch_words")
    report_every = _pos_int(report_every, "report_every")
    for name, val in (("alpha", alpha), ("min_alpha", min_alpha), ("ns_exponent", ns_exponent)):
        if isinstance(val, bool) or not isinstance(val, (int, float)) or not math.isfinite(val) or val < 0:
            raise ValueError(f"{name} must be a finite number >= 0, got {val!r}")
    if alpha <= 0:
        raise ValueError(f"alpha must be > 0, got {alpha!r}")
    if min_alpha > alpha:
        raise ValueError(f"min_alpha must be <= alpha, got min_alpha = {min_alpha} > alpha = {alpha}")
    if isinstance(sample, bool) or not isinstance(sample, (int, float)):
        raise ValueError(f"sample must be a number, got {sample!r}")
    dtype = np.dtype(dtype)
    if dtype not in (np.float32, np.float64):
        raise ValueError(f"dtype must be float32 or float64, got {dtype}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ValueError(f"seed must be an int, got {seed!r}")

    if isinstance(sentences_or_path, str) and not os.path.exists(sentences_or_path):
        from .datasets import CORPORA, load_corpus
        if sentences_or_path in CORPORA:
            sentences_or_path = load_corpus(sentences_or_path)
    if not isinstance(sentences_or_path, (str, os.PathLike)) and hasattr(sentences_or_path, "__next__"):
        raise ValueError(
            "sentences_or_path is a one-shot iterator (e.g. a generator), but training reads the corpus "
            "twice (vocabulary, then words); pass a list, a LineSentences or a file path"
        )
    sentences = as_sentences(sentences_or_path)
    if vocab is None:
        vocab = build_vocab(sentences, min_count=min_count, max_vocab_size=max_vocab_size)
    V = len(vocab)
    if V < negatives + 1:
        raise ValueError(
            f"the vocabulary has only {V} words (min_count = {vocab.min_count}) but negatives = "
            f"{negatives} needs at least K + 1 = {negatives + 1}; use a larger corpus, a lower "
            f"min_count or fewer negatives"
        )
    keep = keep_probabilities(vocab.counts, vocab.total_words, sample)
    if batch_words is None:
        batch_words = auto_batch_words(vocab.counts, keep, window)
    ids, sids = _encode(sentences, vocab.index)
    if ids.shape[0] < 2:
        raise CorpusError(f"the corpus has {ids.shape[0]} in-vocabulary token(s); nothing to train on")

    rng = np.random.default_rng(seed)
    # [W; U] in one array, so one sparse product accumulates every row update of a step.
    # word2vec's initialisation: v_w ~ U(-0.5/d, 0.5/d), u_w = 0.
    params = np.zeros((2 * V, dim), dtype=dtype)
    W, U = params[:V], params[V:]
    W[...] = (rng.random((V, dim)) - 0.5) / dim
    table = _noise_table(vocab.counts, ns_exponent, int(min(10**7, max(10**6, 1000 * V))))

    m, J, K1 = window, 2 * window + 1, negatives + 1
    slot = np.abs(np.arange(-m, m + 1))                  # distance of each window slot from the middle
    buf = np.empty((batch_words * (K1 + J), dim), dtype=dtype)
    chunk = max(batch_words, (16384 // batch_words) * batch_words)
    total_words = vocab.total_words
    bar = _progress_bar(total_words * epochs, progress)
    history: List[float] = []
    history_words: List[float] = []
    epoch_losses: List[float] = []
    pairs_trained = 0
    acc_loss, acc_n = 0.0, 0
    ema = None
    lr = alpha
    effective_words = 0
    t0, cpu0 = time.perf_counter(), time.process_time()
    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            for epoch in range(epochs):
                kept = rng.random(ids.shape[0]) < keep[ids]      # subsampling, fresh each epoch
                tok, sid = ids[kept], sids[kept]
                n = tok.shape[0]
                effective_words += n
                b = rng.integers(1, m + 1, size=n)               # shrunk window of each word
                pad_w = np.zeros(m, dtype=np.int32)
                tokp = np.concatenate([pad_w, tok, pad_w])       # slot j of word i is tokp[i + j]
                sidp = np.concatenate([np.full(m, -1, np.int32), sid, np.full(m, -2, np.int32)])
                ep_loss, ep_n = 0.0, 0
                for c0 in range(0, n, chunk):
                    c1 = min(n, c0 + chunk)
                    mask = (slot <= b[c0:c1, None]) & (slot > 0)
                    mask &= sliding_window_view(sidp[c0:c1 + 2 * m], J) == sid[c0:c1, None]
                    maskf = mask.astype(dtype)
                    idx = _draw_negatives(rng, table, tok[c0:c1], negatives)
                    for s in range(c0, c1, batch_words):
                        e = min(c1, s + batch_words)
                        lr = alpha - (alpha - min_alpha) * (epoch + s / n) / epochs
                        mk = maskf[s - c0:e - c0]
                        loss = _window_step(W, U, tokp[s:e + 2 * m], idx[s - c0:e - c0], mk, lr,
                                            buf, params)
                        npairs = int(np.count_nonzero(mk))
                        if not (math.isfinite(loss) and loss <= _DIVERGED_LOSS * max(npairs, 1)):
                            raise TrainingDiverged(
                                f"training diverged: the loss became {loss / max(npairs, 1):.4g} per pair "
                                f"in epoch {epoch + 1} with learning rate alpha = {alpha:g} (now "
                                f"{lr:.4g}); try a smaller alpha (e.g. {alpha / 10:g}) or a smaller "
                                f"batch_words (now {batch_words})"
                            )
                        pairs_trained += npairs
                        acc_loss += loss
                        acc_n += npairs
                        ep_loss += loss
                        ep_n += npairs
                        if acc_n >= report_every:
                            history.append(acc_loss / acc_n)
                            history_words.append(epoch * total_words + total_words * e / n)
                            acc_loss, acc_n = 0.0, 0
                        if npairs:
                            mean = loss / npairs
                            ema = mean if ema is None else 0.99 * ema + 0.01 * mean
                    if bar is not None:
                        bar.update(int(epoch * total_words + total_words * c1 / n) - bar.n)
                        bar.set_postfix(loss="-" if ema is None else f"{ema:.3f}", lr=f"{lr:.4f}",
                                        refresh=False)
                epoch_losses.append(ep_loss / max(ep_n, 1))
        if acc_n:
            history.append(acc_loss / acc_n)
            history_words.append(float(total_words * epochs))
    finally:
        if bar is not None:
            bar.close()
    seconds, cpu_seconds = time.perf_counter() - t0, time.process_time() - cpu0
    params_used = dict(dim=dim, window=window, negatives=negatives, epochs=epochs, min_count=vocab.min_count,
                       sample=sample, alpha=alpha, min_alpha=min_alpha, batch_words=batch_words,
                       seed=int(seed), ns_exponent=ns_exponent, dtype=str(dtype))
    model = SkipGramModel(vocab.words, W.copy(), U.copy(), vocab.counts, params_used, np.array(history),
                          np.array(history_words), np.array(epoch_losses), seconds, total_words,
                          pairs_trained)
    model.train_cpu_seconds = cpu_seconds
    model.effective_words = effective_words
    return model


# ----------------------------------------------------------------------------
# Command line
# ----------------------------------------------------------------------------
def main(argv=None) -> int:
    from .datasets import CORPORA, load_corpus

    parser = argparse.ArgumentParser(
        prog="python -m w2v_helpers.train",
        description="Train skip-gram with negative sampling (numpy minibatch SGD) and write the "
                    "center vectors in the word2vec text format.",
    )
    parser.add_argument("--corpus", default="lee+wiki",
                        help=f"a text file (one sentence per line, whitespace tokens) or a built-in "
                             f"corpus: {', '.join(CORPORA)} (default lee+wiki)")
    parser.add_argument("--out", required=True, help="output file, word2vec text format")
    parser.add_argument("--dim", type=int, default=100, help="vector size d (default 100)")
    parser.add_argument("--window", type=int, default=5, help="largest window m (default 5)")
    parser.add_argument("--negatives", type=int, default=5,
                        help="negatives K per predicted word, shared by the pairs of its window (default 5)")
    parser.add_argument("--epochs", type=int, default=5, help="passes over the corpus (default 5)")
    parser.add_argument("--min-count", type=int, default=5, help="drop rarer words (default 5)")
    parser.add_argument("--sample", type=float, default=1e-3, help="subsampling threshold (default 1e-3)")
    parser.add_argument("--alpha", type=float, default=0.025, help="initial learning rate (default 0.025)")
    parser.add_argument("--min-alpha", type=float, default=1e-4, help="final learning rate (default 1e-4)")
    parser.add_argument("--batch-words", type=int, default=None,
                        help="words per SGD step, each with its window (default: automatic, "
                             "256 unless a few words dominate the corpus)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--float64", action="store_true", help="train in float64 (default float32)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--download", action="store_true", help="allow downloading text8 if not cached")
    parser.add_argument("--cache-dir", default=None,
                        help="cache for the built-in corpora (default $W2V_HELPERS_CACHE, "
                             "$XDG_CACHE_HOME/w2v_helpers or ~/.cache/w2v_helpers)")
    args = parser.parse_args(argv)
    try:
        corpus = load_corpus(args.corpus, args.cache_dir, download=args.download)
        model = train_skipgram(
            corpus, dim=args.dim, window=args.window, negatives=args.negatives, epochs=args.epochs,
            min_count=args.min_count, sample=args.sample, alpha=args.alpha, min_alpha=args.min_alpha,
            batch_words=args.batch_words, seed=args.seed,
            dtype=np.float64 if args.float64 else np.float32, progress=not args.no_progress,
        )
        model.save_word2vec_format(args.out)
    except (OSError, ValueError, TrainingDiverged) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{len(model.vocab)} words x {model.vectors.shape[1]} dims written to {args.out}; "
          f"{model.total_words} corpus words x {args.epochs} epochs in {model.train_seconds:.1f} s "
          f"({model.words_per_second:,.0f} words/s), final loss {model.epoch_losses[-1]:.4f}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
