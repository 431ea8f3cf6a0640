r"""Training objectives: what a minibatch of windows costs and how it moves the parameters.

An objective is a small strategy object with four methods the training loop calls
(:mod:`.loop`); the loop itself knows nothing about the loss:

* ``output_rows(vocab)``: how many output vectors it needs (V for negative sampling;
  hierarchical softmax would need V - 1 inner nodes);
* ``prepare(vocab)``: build what it needs once (the noise table here);
* ``draw(rng, middle)``: per-word random draws for a chunk of middle words (the K negatives);
* ``step(W, U, params, batch, draws, lr)``: the batch's summed loss and the number of
  terms it sums, after the SGD update ``params -= lr * gradient`` in place
  (``params`` is the stacked ``[W; U]``).

:class:`NegativeSampling` is skip-gram with negative sampling, the part (d) formulas.
"""
from __future__ import annotations

import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .._validate import as_float_array, as_index_array
from ..core import _log_sigmoid, _sigmoid
from .batches import WindowBatch
from .scatter import scatter_add_rows
from .vocab import Vocabulary, positive_int

__all__ = ["Objective", "NegativeSampling", "noise_table", "draw_negatives",
           "window_batch_loss_and_gradient"]


class Objective:
    """The interface of a training objective (see the module docstring). Subclasses override all four."""

    name = "objective"

    def output_rows(self, vocab: Vocabulary) -> int:
        raise NotImplementedError

    def prepare(self, vocab: Vocabulary) -> None:
        raise NotImplementedError

    def draw(self, rng: np.random.Generator, middle: np.ndarray):
        raise NotImplementedError

    def step(self, W, U, params, batch: WindowBatch, draws, lr: float):
        raise NotImplementedError

    def reference_loss(self) -> float:
        """The loss per term when every score is 0 (where training starts), for plots."""
        raise NotImplementedError


def noise_table(counts: np.ndarray, power: float, size: int) -> np.ndarray:
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


def draw_negatives(rng: np.random.Generator, table: np.ndarray, outside: np.ndarray, k: int) -> np.ndarray:
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


def _negative_sampling_step(W, U, window_words, idx, mask, step, out) -> float:
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
        out: (2V, d), the stacked [W; U] (row w of W is w, row w of U is V + w);
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
    S[:, 0, :] *= -1.0                                   # z = -u_o^T v_c, +u_k^T v_c
    # J = -log sigma(u_o^T v_c) - sum_k log sigma(-u_k^T v_c) = -sum_i log sigma(-z_i)
    loss = -float(np.vdot(_log_sigmoid(-S).sum(axis=1), mask))
    # dJ/d(u_i^T v_c) = sign_i sigma(z_i): -sigma(-u_o^T v_c) for o, sigma(u_k^T v_c) for the negatives
    G = _sigmoid(S)
    G[:, 0, :] *= -1.0
    G *= mask[:, None, :] * step
    dO = np.matmul(G, Xv.transpose(0, 2, 1))             # (P, K+1, d) step * dJ/du: sum_j G v_{c_j}
    dXw = np.matmul(G.transpose(0, 2, 1), O)             # (P, J, d)   step * dJ/dv: sum_k G u_k
    dX = np.zeros_like(X)                                # the same, summed per position of window_words
    for j in range(J):
        dX[j:j + P] += dXw[:, j]
    rows = np.concatenate([V + idx.reshape(-1), window_words])
    scatter_add_rows(out, rows, np.concatenate([dO.reshape(-1, d), dX]), -1.0)
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
    grads = np.zeros((2 * V, d))
    loss = _negative_sampling_step(W, U, ww, idx, msk.astype(np.float64), -1.0, grads)
    return loss, grads[:V], grads[V:]


class NegativeSampling(Objective):
    r"""Skip-gram with negative sampling: each context word's :math:`v_c` predicts the middle word.

    For a middle word o with window words c and K negatives :math:`w_1..w_K` drawn
    from :math:`P_n(w) \propto \text{count}(w)^{\text{ns\_exponent}}` (never o itself),
    every pair (c, o) adds the part (d) loss
    :math:`-\log\sigma(u_o^\top v_c) - \sum_k \log\sigma(-u_k^\top v_c)`.
    The K negatives are drawn once per middle word and shared by its pairs
    (word2vec.c and gensim draw K per pair).

    Args:
        negatives: int K >= 1.
        ns_exponent: float, the power of the counts in :math:`P_n`.
    """

    name = "negative sampling"

    def __init__(self, negatives: int = 5, ns_exponent: float = 0.75):
        self.negatives = positive_int(negatives, "negatives")
        if isinstance(ns_exponent, bool) or not isinstance(ns_exponent, (int, float)) \
                or not math.isfinite(ns_exponent) or ns_exponent < 0:
            raise ValueError(f"ns_exponent must be a finite number >= 0, got {ns_exponent!r}")
        self.ns_exponent = float(ns_exponent)
        self.table = None

    def output_rows(self, vocab: Vocabulary) -> int:
        V, K = len(vocab), self.negatives
        if V < K + 1:
            raise ValueError(
                f"the vocabulary has only {V} words (min_count = {vocab.min_count}) but negatives = "
                f"{K} needs at least K + 1 = {K + 1}; use a larger corpus, a lower "
                f"min_count or fewer negatives"
            )
        return V

    def prepare(self, vocab: Vocabulary) -> None:
        V = len(vocab)
        self.table = noise_table(vocab.counts, self.ns_exponent, int(min(10**7, max(10**6, 1000 * V))))

    def draw(self, rng, middle):
        return draw_negatives(rng, self.table, middle, self.negatives)

    def step(self, W, U, params, batch: WindowBatch, draws, lr: float):
        loss = _negative_sampling_step(W, U, batch.window_words, draws, batch.mask, lr, params)
        return loss, batch.pairs

    def reference_loss(self) -> float:
        return (self.negatives + 1) * math.log(2.0)
