r"""CBOW and hierarchical softmax for the trainer (``--cbow``, ``--hs``, both): the objectives of notebooks 07 and 08.

Three objectives beside :class:`~.objectives.NegativeSampling` (skip-gram, negative sampling),
on the same minibatches of windows (:mod:`.batches`: row p of a batch is the middle word
:math:`o_p` = ``middle[p]`` and the window slots j with ``mask[p, j]`` set):

* :class:`CBOWNegativeSampling` (``--cbow``): the window's input vectors are averaged,
  :math:`\hat v_p = \frac{1}{C_p}\sum_{j} v_{c_{p,j}}` (:math:`C_p` context words, a repeated
  word counted each time, word2vec.c's default ``cbow_mean = 1``), and :math:`\hat v_p` predicts
  :math:`o_p` against K negatives drawn for that middle word:
  :math:`J_p = -\log\sigma(u_{o_p}^\top \hat v_p) - \sum_k \log\sigma(-u_{k}^\top \hat v_p)`.
* :class:`HierarchicalSoftmax` (``--hs``): skip-gram, each context word's :math:`v_c` walks
  the Huffman path of :math:`o_p` (:func:`w2v_helpers.huffman_tree` over the vocabulary counts,
  ``output_rows = V - 1`` inner-node vectors :math:`n`):
  :math:`J = -\sum_{i} \log\sigma\big((1 - 2\,\mathrm{code}_i)\, n_{\mathrm{path}_i}^\top v_c\big)`.
* :class:`CBOWHierarchicalSoftmax` (``--cbow --hs``): :math:`\hat v_p` walks the path of :math:`o_p`.

Both CBOW objectives and skip-gram HS are one formula with a table of outputs per row:
``outputs[p, q]`` (rows of U) with signs ``signs[p, q]`` = +1 (the branch / word to predict,
:math:`-\log\sigma(u^\top x)`), -1 (a negative, :math:`-\log\sigma(-u^\top x)`) or 0 (padding
past the end of a short Huffman path). Paths are padded to the tree's depth, so a batch is a
few dense products and no Python loop runs per pair (only one per window slot, 2m + 1).

**The CBOW update of the context vectors.** The gradient of :math:`J_p` with respect to a
context vector is :math:`\frac{1}{C_p}\,\partial J_p/\partial \hat v_p` (notebook 07). word2vec.c
(``cbow_mean = 1``) and gensim (``cbow_mean=1``, the default) instead add the full
:math:`\partial J_p/\partial \hat v_p` (word2vec.c's ``neu1e``) to every context vector: C times
the gradient. That is what makes CBOW learn as fast as it does at alpha = 0.025 (with the exact
gradient the input vectors learn C times slower: on lee+wiki, 5 epochs, seed 0, WS353 rho falls
from 0.15 to -0.03 for CBOW and from 0.29 to 0.19 for CBOW with HS), so the trainer does the same
by default; ``exact_gradient=True`` takes the true
gradient of the mean. :func:`cbow_batch_loss_and_gradient` returns either, and is tested against
the sum of :func:`w2v_helpers.cbow` over the rows.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .._validate import as_float_array, as_index_array
from ..core import _sigmoid_and_softplus
from ..hierarchical import HuffmanTree, huffman_tree
from .batches import WindowBatch
from .objectives import NegativeSampling, Objective, draw_block_negatives
from .scatter import scatter_add_rows
from .vocab import Vocabulary

__all__ = [
    "CBOWNegativeSampling",
    "HierarchicalSoftmax",
    "CBOWHierarchicalSoftmax",
    "padded_paths",
    "cbow_batch_loss_and_gradient",
    "tree_batch_loss_and_gradient",
    "objective_for",
]


def padded_paths(tree: HuffmanTree):
    """(paths (V, D) int64, signs (V, D) float64): every word's path padded to the depth D.

    ``paths[w, i]`` is the i-th inner node on w's path (root first), ``signs[w, i]`` is
    :math:`1 - 2\\,\\mathrm{code}_i`; past the end of the path both are 0.
    """
    D = max(len(p) for p in tree.paths)
    paths = np.zeros((tree.V, D), dtype=np.int64)
    signs = np.zeros((tree.V, D))
    for w, (p, c) in enumerate(zip(tree.paths, tree.codes)):
        paths[w, : len(p)] = p
        signs[w, : len(p)] = 1.0 - 2.0 * c
    return paths, signs


def _scatter(out, V, outputs, signs, d_outputs, window_words, d_inputs, step, terms=None, budget=None):
    """``out -= step * values``: output rows (U, offset V) where a sign is set, then the input rows.

    With a ``budget``, an output row that ``terms`` (P, Q) give n > budget loss terms in this batch
    moves by budget / n times its summed update (see :class:`HierarchicalSoftmax`).
    """
    sel = np.flatnonzero(signs.reshape(-1))
    out_rows = outputs.reshape(-1)[sel]
    d_out = d_outputs.reshape(-1, d_outputs.shape[-1])[sel]
    if budget is not None:
        n = np.bincount(out_rows, weights=terms.reshape(-1)[sel])
        scale = np.minimum(1.0, budget / np.maximum(n, 1.0)).astype(d_out.dtype)
        d_out = d_out * scale[out_rows, None]
    rows = np.concatenate([V + out_rows, window_words])
    scatter_add_rows(out, rows, np.concatenate([d_out, d_inputs]), -step)


def _cbow_step(W, U, window_words, outputs, signs, mask, step, out, exact_gradient=False, budget=None) -> float:
    r"""One minibatch of CBOW windows: the summed loss, and ``out -= step * update``.

    Row p averages the input vectors of its window, :math:`\hat v_p = \frac{1}{C_p}\sum_{j:
    \text{mask}[p,j]} v_{\text{window\_words}[p+j]}`, and scores it against its outputs:
    :math:`J_p = \sum_q |s_{pq}|\,\log(1 + e^{-s_{pq} u_{pq}^\top \hat v_p})` with
    :math:`u_{pq}` = ``U[outputs[p, q]]``, :math:`s_{pq}` = ``signs[p, q]``. A row without
    context words (:math:`C_p = 0`) costs nothing. Gradients are taken at W, U as given.

    Args:
        W: (V, d) input vectors. U: (R, d) output vectors (R = V, or V - 1 inner nodes).
        window_words: (P + 2m,) word ids. outputs: (P, Q) rows of U. signs: (P, Q) +1 / -1 / 0.
        mask: (P, 2m+1) 0/1 in W's dtype.
        step: the learning rate, or -1 to add the gradient itself (tests).
        out: (V + R, d) the stacked [W; U].
        exact_gradient: False: every context vector gets the full :math:`\partial J_p/\partial\hat v_p`
            (word2vec.c, gensim); True: :math:`\frac{1}{C_p}\partial J_p/\partial\hat v_p`, the gradient.
        budget: None (the plain sum), or the most loss terms an output row's step is the sum of
            (:class:`HierarchicalSoftmax`).

    Returns:
        the summed loss (float).
    """
    V, d = W.shape
    P, J = mask.shape
    C = mask.sum(axis=1)  # (P,) C_p, context words of row p
    valid = (C > 0).astype(W.dtype)
    inv = valid / np.maximum(C, 1)  # 1 / C_p (0 for an empty window)
    X = np.take(W, window_words, axis=0)  # (P + 2m, d)
    Xw = sliding_window_view(X, J, axis=0)  # (P, d, J) a view
    v_hat = np.matmul(Xw, (mask * inv[:, None])[:, :, None])[:, :, 0]  # (P, d)
    O = np.take(U, outputs, axis=0)  # (P, Q, d)
    S = np.matmul(O, v_hat[:, :, None])[:, :, 0]  # (P, Q)  u^T v_hat
    s = signs.astype(W.dtype, copy=False)
    sig, softplus = _sigmoid_and_softplus(-s * S)  # J = log(1 + e^{-s S}) per output
    loss = float(np.vdot(softplus, np.abs(s) * valid[:, None]))
    G = -s * sig * valid[:, None]  # (P, Q) dJ/dS
    G *= step
    dO = G[:, :, None] * v_hat[:, None, :]  # (P, Q, d) step * dJ/du
    dv = np.matmul(G[:, None, :], O)[:, 0]  # (P, d)    step * dJ/dv_hat
    coef = mask * inv[:, None] if exact_gradient else mask
    dX = np.zeros_like(X)
    for j in range(J):  # slot j of row p is position p + j
        dX[j : j + P] += coef[:, j, None] * dv
    _scatter(
        out, V, outputs, s, dO, window_words, dX, 1.0, None if budget is None else np.abs(s) * valid[:, None], budget
    )
    return loss


def _skipgram_tree_step(W, U, window_words, outputs, signs, mask, step, out, budget=None) -> float:
    r"""One minibatch of skip-gram windows with a table of outputs per row (hierarchical softmax).

    Every pair (slot j of row p, output q) adds :math:`|s_{pq}|\log(1 + e^{-s_{pq} u_{pq}^\top v_{c_{p,j}}})`:
    each context word walks the path of the middle word. One (Q x d) by (d x J) product per row.
    Arguments as :func:`_cbow_step`.
    """
    V, d = W.shape
    P, J = mask.shape
    X = np.take(W, window_words, axis=0)  # (P + 2m, d)
    Xw = sliding_window_view(X, J, axis=0)  # (P, d, J)
    O = np.take(U, outputs, axis=0)  # (P, Q, d)
    S = np.matmul(O, Xw)  # (P, Q, J)
    s = signs.astype(W.dtype, copy=False)[:, :, None]
    sig, softplus = _sigmoid_and_softplus(-s * S)
    loss = float(np.vdot(softplus, np.abs(s) * mask[:, None, :]))
    G = -s * sig * mask[:, None, :]  # (P, Q, J) dJ/dS
    G *= step
    dO = np.matmul(G, Xw.transpose(0, 2, 1))  # (P, Q, d)
    dXw = np.matmul(G.transpose(0, 2, 1), O)  # (P, J, d)
    dX = np.zeros_like(X)
    for j in range(J):
        dX[j : j + P] += dXw[:, j]
    _scatter(
        out,
        V,
        outputs,
        s[:, :, 0],
        dO,
        window_words,
        dX,
        1.0,
        None if budget is None else np.abs(s[:, :, 0]) * mask.sum(axis=1)[:, None],
        budget,
    )
    return loss


def _check_batch(center_vectors, outside_vectors, window_words, mask, R):
    W = as_float_array(center_vectors, "center_vectors", ndim=2)
    U = as_float_array(outside_vectors, "outside_vectors", ndim=2)
    V, d = W.shape
    if U.shape != (R(V), d):
        raise ValueError(f"outside_vectors must have shape {(R(V), d)}, got {U.shape}")
    msk = np.asarray(mask)
    if msk.ndim != 2 or msk.shape[1] % 2 != 1:
        raise ValueError(f"mask must have shape (P, 2m+1), got {msk.shape}")
    P, J = msk.shape
    if np.any(msk[:, J // 2]):
        raise ValueError("mask[:, m] must be false: a word is not its own context")
    ww = as_index_array(window_words, "window_words", V)
    if ww.shape[0] != P + J - 1:
        raise ValueError(f"window_words must have P + 2m = {P + J - 1} entries, got {ww.shape[0]}")
    return W, U, ww, msk.astype(np.float64), P


def _tree_outputs(tree, middle):
    if not isinstance(tree, HuffmanTree):
        raise ValueError(f"tree must be a HuffmanTree (w2v_helpers.huffman_tree), got {type(tree).__name__}")
    paths, signs = padded_paths(tree)
    return paths[middle], signs[middle]


def cbow_batch_loss_and_gradient(
    center_vectors, outside_vectors, window_words, mask, middle, negatives=None, tree=None, exact_gradient=True
):
    r"""The trainer's CBOW minibatch: summed loss and gradients of P windows (negative sampling or HS).

    Row p averages its context vectors, :math:`\hat v_p = \frac1{C_p}\sum_{j:\,\text{mask}[p,j]}
    v_{\text{window\_words}[p+j]}`, and predicts :math:`o_p` = ``middle[p]``: with ``negatives``
    (P, K), :math:`J_p = J_{\text{neg-sample}}(\hat v_p, o_p, U; w_{p,1..K})`; with ``tree``,
    :math:`J_p = J_{\text{HS}}(\hat v_p, o_p, N)`. With ``exact_gradient=True`` the result is
    exactly the sum over rows of ``w2v_helpers.cbow(o_p, contexts_p, W, U, loss, mean=True)``;
    with False the context vectors get :math:`C_p` times that (word2vec.c's update, the trainer's).

    Args:
        center_vectors: (V, d) :math:`v_w`. outside_vectors: (V, d) :math:`u_w`, or (V - 1, d)
            inner-node vectors with ``tree``.
        window_words: (P + 2m,) ints. mask: (P, 2m+1) bools. middle: (P,) ints :math:`o_p`.
        negatives: (P, K) ints, or None with ``tree``. tree: a :class:`~w2v_helpers.hierarchical.HuffmanTree`.
        exact_gradient: bool.

    Returns:
        (loss, grad_center_vectors (V, d), grad_outside_vectors (same shape as outside_vectors)).
    """
    if (negatives is None) == (tree is None):
        raise ValueError("give exactly one of negatives (negative sampling) and tree (hierarchical softmax)")
    W, U, ww, msk, P = _check_batch(
        center_vectors, outside_vectors, window_words, mask, (lambda V: V) if tree is None else (lambda V: V - 1)
    )
    V = W.shape[0]
    mid = as_index_array(middle, "middle", V)
    if mid.shape[0] != P:
        raise ValueError(f"middle must have P = {P} entries, got {mid.shape[0]}")
    if tree is None:
        neg = np.asarray(negatives)
        if neg.ndim != 2 or neg.shape[0] != P or neg.shape[1] < 1:
            raise ValueError(f"negatives must have shape (P, K) = ({P}, K >= 1), got {neg.shape}")
        neg = as_index_array(neg.reshape(-1), "negatives", V).reshape(P, -1)
        outputs = np.concatenate([mid[:, None], neg], axis=1)
        signs = np.ones(outputs.shape)
        signs[:, 1:] = -1.0
    else:
        if tree.V != V:
            raise ValueError(f"tree has {tree.V} leaves but center_vectors has V = {V} rows")
        outputs, signs = _tree_outputs(tree, mid)
    grads = np.zeros((V + U.shape[0], W.shape[1]))
    loss = _cbow_step(W, U, ww, outputs, signs, msk, -1.0, grads, exact_gradient=bool(exact_gradient))
    return loss, grads[:V], grads[V:]


def tree_batch_loss_and_gradient(center_vectors, node_vectors, window_words, mask, middle, tree):
    r"""The trainer's skip-gram hierarchical-softmax minibatch: the sum over every (c, o_p) pair of the mask.

    .. math::

        J_{\text{batch}} = \sum_p \sum_{j:\,\text{mask}[p,j]} J_{\text{HS}}\big(v_{c_{p,j}}, o_p, N\big),
        \qquad c_{p,j} = \text{window\_words}[p + j]

    exactly the sum of :func:`w2v_helpers.hierarchical_softmax_loss_and_gradient` over the pairs.

    Args:
        center_vectors: (V, d). node_vectors: (V - 1, d). window_words: (P + 2m,) ints.
        mask: (P, 2m+1) bools. middle: (P,) ints. tree: :class:`~w2v_helpers.hierarchical.HuffmanTree` over V words.

    Returns:
        (loss, grad_center_vectors (V, d), grad_node_vectors (V - 1, d)).
    """
    W, N, ww, msk, P = _check_batch(center_vectors, node_vectors, window_words, mask, lambda V: V - 1)
    V = W.shape[0]
    mid = as_index_array(middle, "middle", V)
    if mid.shape[0] != P:
        raise ValueError(f"middle must have P = {P} entries, got {mid.shape[0]}")
    outputs, signs = _tree_outputs(tree, mid)
    if tree.V != V:
        raise ValueError(f"tree has {tree.V} leaves but center_vectors has V = {V} rows")
    grads = np.zeros((V + N.shape[0], W.shape[1]))
    loss = _skipgram_tree_step(W, N, ww, outputs, signs, msk, -1.0, grads)
    return loss, grads[:V], grads[V:]


class CBOWNegativeSampling(NegativeSampling):
    r"""CBOW with negative sampling: the mean of the window's :math:`v_c` predicts the middle word.

    :math:`J_p = -\log\sigma(u_{o}^\top \hat v_p) - \sum_{k=1}^K \log\sigma(-u_k^\top \hat v_p)`,
    K negatives drawn per middle word from the same noise table as skip-gram (a draw equal to
    the middle word is drawn again). One loss term per middle word with a non-empty window.

    Args:
        negatives: int K >= 1. ns_exponent: float.
        exact_gradient: bool, see the module docstring (default False: word2vec.c's update).
    """

    name = "CBOW, negative sampling"

    def __init__(self, negatives: int = 5, ns_exponent: float = 0.75, exact_gradient: bool = False):
        super().__init__(negatives, ns_exponent)
        self.exact_gradient = bool(exact_gradient)
        self._signs = {}

    def prepare(self, vocab: Vocabulary, batch_words: int) -> None:
        super().prepare(vocab, batch_words)
        self.block = 1  # K negatives per middle word, as word2vec.c

    def draw(self, rng, middle):
        return draw_block_negatives(rng, self.table, middle, self.negatives, 1)

    def batch_draws(self, draws, start: int, stop: int):
        return draws[start:stop]

    def step(self, W, U, params, batch: WindowBatch, draws, lr: float):
        key = W.dtype
        if key not in self._signs:
            s = -np.ones(self.negatives + 1, dtype=W.dtype)
            s[0] = 1.0
            self._signs[key] = s
        outputs = np.concatenate([batch.middle[:, None], draws], axis=1)
        signs = np.broadcast_to(self._signs[key], outputs.shape)
        loss = _cbow_step(W, U, batch.window_words, outputs, signs, batch.mask, lr, params, self.exact_gradient)
        return loss, int(np.count_nonzero(batch.mask.any(axis=1)))


class HierarchicalSoftmax(Objective):
    r"""Skip-gram with hierarchical softmax: each context word's :math:`v_c` walks the Huffman path of the middle word.

    ``output_rows = V - 1`` inner-node vectors (initialised to 0, like word2vec.c's ``syn1``);
    the tree is :func:`w2v_helpers.huffman_tree` of the vocabulary counts (word2vec.c's
    ``CreateBinaryTree``). Paths are padded to the tree's depth with sign 0.

    **A step per node row is capped.** Every pair's path starts at the root, so in a batch of
    B middle words the root's summed update has about :math:`B(m+1)` terms, all evaluated at the
    batch's start: at B = 256 that overshoots and training diverges (word2vec.c's sequential
    updates see the root move after each pair). So an inner node that gets n > ``budget`` terms
    in a batch moves by ``budget`` / n times their sum (the mean of its terms times ``budget``);
    the nodes deep in the tree, met less than ``budget`` times, get the plain SGD sum. word2vec.c
    and gensim have no such cap (they need none). The default 96 was chosen on lee+wiki (seed 0,
    skip-gram): budgets 12, 24, 48, 96, 200, 400 gave WS353 rho 0.325, 0.348, 0.373, 0.386, 0.359,
    0.359 (gensim hs=1: 0.414); no cap diverges in the first epoch.

    Args:
        budget: float > 0, or None for the plain summed gradient (may diverge at large batches).
    """

    name = "hierarchical softmax"

    def __init__(self, budget=96.0):
        if budget is not None and (
            isinstance(budget, bool) or not isinstance(budget, (int, float)) or not math.isfinite(budget) or budget <= 0
        ):
            raise ValueError(f"budget must be a finite number > 0 or None, got {budget!r}")
        self.budget = None if budget is None else float(budget)
        self.tree = None
        self.paths = self.signs = None
        self._signs = {}

    def output_rows(self, vocab: Vocabulary) -> int:
        V = len(vocab)
        if V < 2:
            raise ValueError(
                f"the vocabulary has only {V} word (min_count = {vocab.min_count}) but hierarchical "
                f"softmax needs a tree of at least 2 words; use a larger corpus or a lower min_count"
            )
        return V - 1

    def prepare(self, vocab: Vocabulary, batch_words: int) -> None:
        self.tree = huffman_tree(vocab.counts)
        self.paths, self.signs = padded_paths(self.tree)
        self.depth = np.asarray(self.tree.code_lengths)
        self._signs = {}

    def draw(self, rng, middle):
        return None

    def batch_draws(self, draws, start: int, stop: int):
        return None

    def _outputs(self, middle, dtype):
        if dtype not in self._signs:
            self._signs[dtype] = self.signs.astype(dtype)
        D = int(self.depth[middle].max()) if middle.shape[0] else 1  # the batch's deepest path
        return self.paths[middle, :D], self._signs[dtype][middle, :D]

    def step(self, W, U, params, batch: WindowBatch, draws, lr: float):
        outputs, signs = self._outputs(batch.middle, W.dtype)
        loss = _skipgram_tree_step(W, U, batch.window_words, outputs, signs, batch.mask, lr, params, self.budget)
        return loss, batch.pairs

    def reference_loss(self) -> float:
        """Expected code length times log 2 (every node's score 0), count-weighted."""
        return self.tree.expected_code_length() * math.log(2.0)


class CBOWHierarchicalSoftmax(HierarchicalSoftmax):
    r"""CBOW with hierarchical softmax: the window's mean :math:`\hat v_p` walks the path of the middle word.

    Args:
        exact_gradient: bool, see the module docstring (default False: word2vec.c's update).
        budget: as :class:`HierarchicalSoftmax` (here the root gets one term per middle word).
    """

    name = "CBOW, hierarchical softmax"

    def __init__(self, exact_gradient: bool = False, budget=96.0):
        super().__init__(budget)
        self.exact_gradient = bool(exact_gradient)

    def step(self, W, U, params, batch: WindowBatch, draws, lr: float):
        outputs, signs = self._outputs(batch.middle, W.dtype)
        loss = _cbow_step(
            W, U, batch.window_words, outputs, signs, batch.mask, lr, params, self.exact_gradient, self.budget
        )
        return loss, int(np.count_nonzero(batch.mask.any(axis=1)))


def objective_for(config) -> Objective:
    """The objective of a :class:`~.config.TrainConfig` with ``cbow`` and / or ``hs`` set."""
    if config.hs:
        return CBOWHierarchicalSoftmax() if config.cbow else HierarchicalSoftmax()
    return CBOWNegativeSampling(config.negatives, config.ns_exponent)
