r"""Training objectives: what a minibatch of windows costs and how it moves the parameters.

An objective is a small strategy object with four methods the training loop calls
(:mod:`.loop`); the loop itself knows nothing about the loss:

* ``output_rows(vocab)``: how many output vectors it needs (V for negative sampling;
  hierarchical softmax would need V - 1 inner nodes);
* ``prepare(vocab, batch_words)``: build what it needs once (the noise table here);
* ``draw(rng, middle)``: random draws for a chunk of middle words (the K negatives), and
  ``batch_draws(draws, start, stop)`` the part of them for one batch (default: ``draws[start:stop]``);
* ``step(W, U, params, batch, draws, lr)``: the batch's summed loss and the number of
  terms it sums, after the SGD update ``params -= lr * gradient`` in place
  (``params`` is the stacked ``[W; U]``).

:class:`NegativeSampling` is skip-gram with negative sampling, the part (d) formulas.

Adding an objective (e.g. CBOW, hierarchical softmax): subclass :class:`Objective`; in
``step`` read the batch's ``window_words`` / ``mask`` / ``middle`` (:mod:`.batches`: CBOW
averages the masked window rows to predict ``middle``; hierarchical softmax walks the
Huffman path of ``middle`` over ``output_rows = V - 1`` inner-node vectors built in
``prepare``), compute the summed loss and the gradient rows, and add them with
:func:`~.scatter.scatter_add_rows` into ``params`` (rows ``0..V-1`` are W, rows ``V..`` are
U). Then return it from :meth:`~.config.TrainConfig.objective` for the settings that select
it (and add the flag to :mod:`.cli`). Test it like :func:`window_batch_loss_and_gradient`:
a batch must equal the sum of the single-example gradients of the core function.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .._validate import as_float_array, as_index_array
from ..core import _sigmoid_and_softplus
from .batches import WindowBatch
from .scatter import scatter_add_rows
from .vocab import Vocabulary, positive_int

__all__ = [
    "Objective",
    "NegativeSampling",
    "noise_table",
    "draw_negatives",
    "draw_block_negatives",
    "window_batch_loss_and_gradient",
]


class Objective:
    """The interface of a training objective (see the module docstring). Subclasses override all four."""

    name = "objective"

    def output_rows(self, vocab: Vocabulary) -> int:
        raise NotImplementedError

    def prepare(self, vocab: Vocabulary, batch_words: int) -> None:
        raise NotImplementedError

    def draw(self, rng: np.random.Generator, middle: np.ndarray):
        raise NotImplementedError

    def batch_draws(self, draws, start: int, stop: int):
        """The part of a chunk's ``draws`` for its middle words ``start:stop`` (per word by default)."""
        return draws[start:stop]

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
    idx[:, 1:] = draw_block_negatives(rng, table, outside, k, 1)
    return idx


def draw_block_negatives(
    rng: np.random.Generator, table: np.ndarray, middle: np.ndarray, k: int, block: int
) -> np.ndarray:
    """(ceil(n / T), K) int32: K noise draws per block of T = ``block`` consecutive middle words.

    A draw equal to one of the block's middle words is drawn again (rejection, as
    :func:`w2v_helpers.sample_negatives`: :math:`P_n(w)` renormalised over the other words).
    With T = 1 this is K draws per middle word, never the word itself.
    """
    n = middle.shape[0]
    nb = -(-n // block)
    mid = np.full(nb * block, -1, dtype=np.int64)
    mid[:n] = middle
    mid = mid.reshape(nb, block)
    negs = table[rng.integers(0, table.shape[0], size=(nb, k))]
    clash = (negs[:, :, None] == mid[:, None, :]).any(axis=2)
    while clash.any():
        negs[clash] = table[rng.integers(0, table.shape[0], size=int(clash.sum()))]
        clash = (negs[:, :, None] == mid[:, None, :]).any(axis=2)
    return negs.astype(np.int32, copy=False)


TILE = 4  #: middle words per block: they share their K negatives and one batched product


def _negative_sampling_step(W, U, window_words, middle, negatives, mask, step, out) -> float:
    r"""One minibatch of windows: its summed loss, and ``out -= step * gradient``.

    Row p of the batch is the window around one predicted (middle) word :math:`o_p` =
    ``middle[p]``; its inputs are the words ``window_words[p + j]`` for the J = 2m + 1
    slots j with ``mask[p, j]`` set. The rows come in blocks of T consecutive rows
    (T = ``len(middle) / len(negatives)``, rounded up; the last block may be short),
    and the pairs of block b share the K negatives ``negatives[b]``. Every
    (input :math:`c`, o) pair is one term of the part (d) formula, and every gradient
    is taken at the parameters W, U as given.

    Speed: a block's T + K output vectors (its middle words, then its negatives) and the
    T + 2m input vectors of its windows give one (T+K) x d by d x (T+2m) product of
    scores. The pairs are a band of its first T rows (word t, input column t + j); a
    negative's score with an input is the same for every pair of the block that has
    that input, so its term is weighted by how many pairs do. The row updates, repeats
    included, are summed by :func:`~.scatter.scatter_add_rows`.

    Args:
        W, U: (V, d) input vectors :math:`v_w` and output vectors :math:`u_w`.
        window_words: (P + 2m,) word ids; slot j of row p is ``window_words[p + j]``.
        middle: (P,) the predicted words :math:`o_p`.
        negatives: (ceil(P / T), K) the negatives of each block.
        mask: (P, J) 0/1 in W's dtype, which pairs exist (slot m, the word itself, is 0).
        step: the learning rate (training), or -1 to add the gradient itself (tests).
        out: (2V, d), the stacked [W; U] (row w of W is w, row w of U is V + w);
            in training it is the very array W and U are views of.

    Returns:
        the summed loss (float).
    """
    V, d = W.shape
    P, J = mask.shape
    nt, K = negatives.shape
    T = -(-P // nt)
    if nt * T != P:  # pad the last block with rows that have no pairs
        pad = nt * T - P
        window_words = np.concatenate([window_words, np.zeros(pad, window_words.dtype)])
        middle = np.concatenate([middle, np.zeros(pad, middle.dtype)])
        mask = np.concatenate([mask, np.zeros((pad, J), mask.dtype)])
    L = T + J - 1  # input columns of a block
    outputs = np.concatenate([middle.reshape(nt, T), negatives], axis=1)  # (nt, T+K)
    X = np.take(W, window_words, axis=0)  # (nt T + 2m, d) input vectors v_c
    O = np.take(U, outputs, axis=0)  # (nt, T+K, d)   u_o of the block's words, then u_k
    Xb = sliding_window_view(X, L, axis=0)[::T]  # (nt, d, L)     a view, no copy
    # weight[b, i, l]: how many pairs of block b use output i with input column l
    weight = np.empty((nt, T + K, L), mask.dtype)
    band = weight[:, :T]
    band[...] = 0  # band[b, t, t + j] = mask[bT + t, j]
    band[:, np.arange(T)[:, None], np.arange(T)[:, None] + np.arange(J)] = mask.reshape(nt, T, J)
    weight[:, T:] = band.sum(axis=1, keepdims=True)
    S = np.matmul(O, Xb)  # (nt, T+K, L) u^T v_c
    S[:, :T] *= -1.0  # z = -u_o^T v_c, +u_k^T v_c
    # J = -log sigma(u_o^T v_c) - sum_k log sigma(-u_k^T v_c) = sum_i log(1 + e^{z_i});
    # dJ/d(u_i^T v_c) = sign_i sigma(z_i): -sigma(-u_o^T v_c) for o, sigma(u_k^T v_c) for the negatives
    G, softplus = _sigmoid_and_softplus(S)
    loss = float(np.vdot(softplus, weight))
    G[:, :T] *= -1.0
    G *= weight
    G *= step
    dO = np.matmul(G, Xb.transpose(0, 2, 1))  # (nt, T+K, d) step * dJ/du: sum_c G v_c
    dXb = np.matmul(G.transpose(0, 2, 1), O)  # (nt, L, d)   step * dJ/dv: sum_i G u_i, per column
    # column l of block b is position bT + l of window_words; blocks overlap by 2m columns
    dX = np.zeros((X.shape[0] + T, d), X.dtype)
    for r in range(0, L, T):
        w = min(T, L - r)
        if w == T:
            dX[r : r + nt * T] += dXb[:, r : r + T].reshape(-1, d)
        else:
            dX[r : r + nt * T].reshape(nt, T, d)[:, :w] += dXb[:, r:]
    rows = np.concatenate([V + outputs.reshape(-1), window_words])
    scatter_add_rows(out, rows, np.concatenate([dO.reshape(-1, d), dX[: X.shape[0]]]), -1.0)
    return loss


def window_batch_loss_and_gradient(
    center_vectors, outside_vectors, window_words, outside_and_negatives, mask, block: int = 1
):
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

    The trainer shares negatives more widely: the T = ``block`` consecutive rows of a
    block have the same negatives (it draws K per block), which lets it score each
    negative once per input word of the block. With ``block > 1`` the rows of each block
    must then hold equal negatives; the result is still exactly the sum above.

    Args:
        center_vectors: (V, d) :math:`v_w` rows. outside_vectors: (V, d) :math:`u_w` rows.
        window_words: (P + 2m,) ints, the words of the P windows, overlapping.
        outside_and_negatives: (P, K+1) ints.
        mask: (P, 2m+1) bools, which pairs are trained.
        block: int T >= 1, rows per block of shared negatives.

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
    T = positive_int(block, "block")
    negatives = idx[::T, 1:]
    if T > 1 and not np.array_equal(np.repeat(negatives, T, axis=0)[:P], idx[:, 1:]):
        raise ValueError(
            f"with block = {T}, the rows of each block of {T} must have the same negatives outside_and_negatives[p, 1:]"
        )
    grads = np.zeros((2 * V, d))
    loss = _negative_sampling_step(W, U, ww, idx[:, 0], negatives, msk.astype(np.float64), -1.0, grads)
    return loss, grads[:V], grads[V:]


class NegativeSampling(Objective):
    r"""Skip-gram with negative sampling: each context word's :math:`v_c` predicts the middle word.

    For a middle word o with window words c and K negatives :math:`w_1..w_K` drawn
    from :math:`P_n(w) \propto \text{count}(w)^{\text{ns\_exponent}}` (never o itself),
    every pair (c, o) adds the part (d) loss
    :math:`-\log\sigma(u_o^\top v_c) - \sum_k \log\sigma(-u_k^\top v_c)`.
    The K negatives are drawn once per block of ``TILE`` = 4 consecutive middle words
    and shared by the pairs of the block (word2vec.c and gensim draw K per pair); a
    draw equal to one of the block's middle words is drawn again. Blocks of 1 (one
    draw per middle word) are used when the batch size is not a multiple of 4 or the
    vocabulary is tiny.

    Args:
        negatives: int K >= 1.
        ns_exponent: float, the power of the counts in :math:`P_n`.
    """

    name = "negative sampling"

    def __init__(self, negatives: int = 5, ns_exponent: float = 0.75):
        self.negatives = positive_int(negatives, "negatives")
        if (
            isinstance(ns_exponent, bool)
            or not isinstance(ns_exponent, (int, float))
            or not math.isfinite(ns_exponent)
            or ns_exponent < 0
        ):
            raise ValueError(f"ns_exponent must be a finite number >= 0, got {ns_exponent!r}")
        self.ns_exponent = float(ns_exponent)
        self.table = None
        self.block = 1

    def output_rows(self, vocab: Vocabulary) -> int:
        V, K = len(vocab), self.negatives
        if V < K + 1:
            raise ValueError(
                f"the vocabulary has only {V} words (min_count = {vocab.min_count}) but negatives = "
                f"{K} needs at least K + 1 = {K + 1}; use a larger corpus, a lower "
                f"min_count or fewer negatives"
            )
        return V

    def prepare(self, vocab: Vocabulary, batch_words: int) -> None:
        V = len(vocab)
        self.table = noise_table(vocab.counts, self.ns_exponent, int(min(10**7, max(10**6, 1000 * V))))
        self.block = TILE if batch_words % TILE == 0 and V > 4 * (TILE + self.negatives) else 1

    def draw(self, rng, middle):
        return draw_block_negatives(rng, self.table, middle, self.negatives, self.block)

    def batch_draws(self, draws, start: int, stop: int):
        return draws[start // self.block : -(-stop // self.block)]

    def step(self, W, U, params, batch: WindowBatch, draws, lr: float):
        loss = _negative_sampling_step(W, U, batch.window_words, batch.middle, draws, batch.mask, lr, params)
        return loss, batch.pairs

    def reference_loss(self) -> float:
        return (self.negatives + 1) * math.log(2.0)
