r"""Hierarchical softmax over a Huffman tree, as word2vec.c builds and uses it (notebook 08).

Notation (as in the notebooks):

=====================  ==========================  =====================================
math                   code                        shape in code
=====================  ==========================  =====================================
:math:`|V|`            ``tree.V``                  vocabulary size = number of leaves
inner nodes            ``0 .. V-2``                |V| - 1 of them; the root is V - 2
:math:`n` (one per     ``node_vectors``            (V - 1, d), row n is the inner
inner node)                                        node's vector :math:`n`
:math:`v_c`            ``center_vec``              (d,)
:math:`o`              ``outside_idx``             int in 0..V-1, a leaf
:math:`n(o, j)`        ``tree.paths[o][j]``        the j-th inner node on o's path, root first
:math:`\mathrm{code}_j`  ``tree.codes[o][j]``      0 or 1: the branch taken at that node
:math:`L(o)`           ``len(tree.paths[o])``      o's code length (depth of the leaf)
=====================  ==========================  =====================================

Convention (word2vec.c's): at inner node n, the branch with code 0 has probability
:math:`\sigma(n^\top v_c)` and the branch with code 1 has :math:`\sigma(-n^\top v_c)`, so the
sign is :math:`s_j = 1 - 2\,\mathrm{code}_j`.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

import numpy as np

from ._validate import as_float_array, as_index, check_vector_matrix
from .core import _log_sigmoid, _sigmoid

__all__ = [
    "HuffmanTree",
    "huffman_tree",
    "hierarchical_softmax_loss_and_gradient",
    "hierarchical_softmax_probabilities",
    "huffman_code_lengths_heapq",
]


@dataclass(frozen=True, eq=False)
class HuffmanTree:
    r"""A binary tree over V words (the leaves) with V - 1 inner nodes, word2vec.c's numbering.

    Attributes:
        counts: (V,) float64, the counts the tree was built from.
        paths: tuple of V int64 arrays; ``paths[w]`` holds the inner nodes from the root
            (always ``V - 2``) down to w's parent, length :math:`L(w)`.
        codes: tuple of V int8 arrays; ``codes[w][j]`` is 0 or 1, the branch taken at
            ``paths[w][j]``.
        children: (V - 1, 2) int64; ``children[n, b]`` is the child of inner node n on
            branch b, numbered as word2vec.c does: a leaf word w is ``w``, inner node m is
            ``V + m``.
        V: number of words (leaves).
    """

    counts: np.ndarray
    paths: tuple
    codes: tuple
    children: np.ndarray
    V: int
    _padded: tuple = field(repr=False, default=())

    @property
    def n_inner(self) -> int:
        """V - 1, the number of inner nodes (rows of ``node_vectors``)."""
        return self.V - 1

    @property
    def root(self) -> int:
        """The root's inner-node index, V - 2 (the last node built)."""
        return self.V - 2

    @property
    def code_lengths(self) -> np.ndarray:
        """(V,) int64, :math:`L(w)` for every word."""
        return np.array([len(p) for p in self.paths], dtype=np.int64)

    def expected_code_length(self) -> float:
        r""":math:`\sum_w \mathrm{count}(w) L(w) / \sum_w \mathrm{count}(w)`: inner nodes per pair, on average."""
        total = float(np.sum(self.counts))
        if total == 0:
            return float(np.mean(self.code_lengths))
        return float(np.dot(self.counts, self.code_lengths) / total)

    def __repr__(self) -> str:
        L = self.code_lengths
        return f"HuffmanTree(V={self.V}, inner nodes={self.n_inner}, code lengths {L.min()}..{L.max()})"


def _check_counts(counts) -> np.ndarray:
    c = as_float_array(counts, "counts", ndim=1)
    if np.any(c < 0):
        i = int(np.flatnonzero(c < 0)[0])
        raise ValueError(f"counts must be non-negative, got {float(c[i])} at index {i}")
    if c.size < 2:
        raise ValueError(f"counts must have at least 2 words to build a tree (V >= 2), got V = {c.size}")
    return c


def huffman_tree(counts) -> HuffmanTree:
    r"""The Huffman tree of word2vec.c's ``CreateBinaryTree``: frequent words get short codes.

    word2vec.c sorts the vocabulary by count, most frequent first, then merges the two
    smallest nodes V - 1 times with two queues: the leaves (walked from the rarest) and the
    inner nodes (created in increasing count order). Inner node a (a = 0 .. V-2) is the a-th
    merge; its count is the sum of its children's; the root is V - 2. Of the two nodes
    merged, the smaller gets code 0 and the second gets code 1. On a tie between a leaf and an
    inner node word2vec.c takes the inner node (``count[pos1] < count[pos2]`` is strict).
    Here the words are sorted by count with a *stable* sort (equal counts keep index order;
    word2vec.c's ``qsort`` leaves their order unspecified). For counts already sorted in
    decreasing order the tree is exactly word2vec.c's.

    Every Huffman tree minimises :math:`\sum_w \mathrm{count}(w)\,L(w)`; ties can give other
    trees with other depths but the same total.

    Args:
        counts: (V,) non-negative word counts, V >= 2.

    Returns:
        :class:`HuffmanTree` with ``paths[w]`` (root first) and ``codes[w]`` for every word.
    """
    c = _check_counts(counts)
    V = c.size
    order = np.argsort(-c, kind="stable")  # rank r -> word; most frequent first
    count = c[order].tolist() + [float("inf")] * (V - 1)  # plain lists: the loop is pure Python
    parent = [0] * (2 * V - 1)
    binary = [0] * (2 * V - 1)
    pos1, pos2 = V - 1, V
    for a in range(V - 1):
        picked = []
        for _ in range(2):
            if pos1 >= 0 and count[pos1] < count[pos2]:
                picked.append(pos1)
                pos1 -= 1
            else:
                picked.append(pos2)
                pos2 += 1
        min1, min2 = picked
        count[V + a] = count[min1] + count[min2]
        parent[min1] = parent[min2] = V + a
        binary[min2] = 1
    # node ids in rank space: leaves 0..V-1 are ranks; map leaves back to words
    word_of_node = list(range(2 * V - 1))
    word_of_node[:V] = order.tolist()
    children = np.zeros((V - 1, 2), dtype=np.int64)
    for node in range(2 * V - 2):  # every node but the root
        children[parent[node] - V, binary[node]] = word_of_node[node]
    # each inner node's path from the root, built top-down (node V + a has a larger id than its children)
    node_path = {2 * V - 2: ((), ())}
    for node in range(2 * V - 3, -1, -1):
        p_nodes, p_bits = node_path[parent[node]]
        node_path[node] = (p_nodes + (parent[node] - V,), p_bits + (binary[node],))
    paths, codes = [None] * V, [None] * V
    for r in range(V):
        nodes, bits = node_path[r]
        paths[word_of_node[r]] = np.array(nodes, dtype=np.int64)
        codes[word_of_node[r]] = np.array(bits, dtype=np.int8)
    for w in range(V):
        paths[w].setflags(write=False)
        codes[w].setflags(write=False)
    children.setflags(write=False)
    c = c.copy()
    c.setflags(write=False)
    Lmax = max(len(p) for p in paths)
    P = np.zeros((V, Lmax), dtype=np.int64)
    S = np.zeros((V, Lmax))  # signs 1 - 2 code, 0 past the leaf
    for w in range(V):
        P[w, : len(paths[w])] = paths[w]
        S[w, : len(paths[w])] = 1.0 - 2.0 * codes[w]
    return HuffmanTree(c, tuple(paths), tuple(codes), children, V, (P, S))


def huffman_code_lengths_heapq(counts) -> np.ndarray:
    """Code lengths of a Huffman code built independently with a binary heap (for comparison).

    Args:
        counts: (V,) non-negative counts, V >= 2.

    Returns:
        (V,) int64 code lengths of *a* Huffman code (ties may differ from word2vec.c's tree,
        the weighted length :math:`\\sum_w \\mathrm{count}(w) L(w)` does not).
    """
    c = _check_counts(counts)
    heap = [(float(x), i, (i,)) for i, x in enumerate(c)]
    heapq.heapify(heap)
    depth = np.zeros(c.size, dtype=np.int64)
    k = c.size
    while len(heap) > 1:
        c1, _, w1 = heapq.heappop(heap)
        c2, _, w2 = heapq.heappop(heap)
        for w in w1 + w2:
            depth[w] += 1
        heapq.heappush(heap, (c1 + c2, k, w1 + w2))
        k += 1
    return depth


def _check_tree(tree) -> HuffmanTree:
    if not isinstance(tree, HuffmanTree):
        raise ValueError(f"tree must be a HuffmanTree from w2v_helpers.huffman_tree(counts), got {type(tree).__name__}")
    return tree


def _check_hs_args(center_vec, node_vectors, tree):
    tree = _check_tree(tree)
    v_c = as_float_array(center_vec, "center_vec", ndim=1)
    N = as_float_array(node_vectors, "node_vectors", ndim=2)
    if N.shape[0] != tree.n_inner:
        raise ValueError(
            f"node_vectors must have one row per inner node, V - 1 = {tree.n_inner} rows "
            f"(the tree has V = {tree.V} words), got shape {N.shape}"
        )
    check_vector_matrix(v_c, N, mat_name="node_vectors")
    return v_c, N, tree


def _hs_path(v_c, o, N, tree):
    """Unchecked: loss, grad_center_vec and the (L, d) gradient rows of o's path nodes."""
    path = tree.paths[o]  # (L,)
    sign = 1.0 - 2.0 * tree.codes[o]  # (L,)  s_j = 1 - 2 code_j
    z = sign * (N[path] @ v_c)  # (L,)  s_j n_j^T v_c
    loss = float(0.0 - np.sum(_log_sigmoid(z)))
    coef = -sign * _sigmoid(-z)  # (L,)  dJ/d(n_j^T v_c) = sigma(x_j) - (1 - code_j)
    grad_center_vec = coef @ N[path]  # (d,)
    return loss, grad_center_vec, path, np.outer(coef, v_c)


def hierarchical_softmax_loss_and_gradient(center_vec, outside_idx, node_vectors, tree):
    r"""Hierarchical-softmax loss of one (center, outside) pair and its gradients.

    .. math::

        p(o \mid c) = \prod_{j=1}^{L(o)} \sigma\big(s_j\, n_{(o,j)}^\top v_c\big),
        \qquad s_j = 1 - 2\,\mathrm{code}_j,
        \qquad J = -\sum_{j=1}^{L(o)} \log\sigma\big(s_j\, n_{(o,j)}^\top v_c\big)

        \frac{\partial J}{\partial v_c} = \sum_j \big(\sigma(n_{(o,j)}^\top v_c) - (1 - \mathrm{code}_j)\big)\, n_{(o,j)},
        \qquad
        \frac{\partial J}{\partial n_{(o,j)}} = \big(\sigma(n_{(o,j)}^\top v_c) - (1 - \mathrm{code}_j)\big)\, v_c

    and :math:`\partial J/\partial n = 0` for every inner node not on o's path. The
    coefficient equals :math:`-s_j\,\sigma(-s_j\, n_{(o,j)}^\top v_c)`; word2vec.c's update
    ``g = (1 - code - f) * alpha`` is minus it times the learning rate.

    Args:
        center_vec: (d,) :math:`v_c`.
        outside_idx: int :math:`o`, a leaf of ``tree``.
        node_vectors: (V - 1, d), row n is inner node n's vector.
        tree: :class:`HuffmanTree` from :func:`huffman_tree`.

    Returns:
        (loss, grad_center_vec, grad_node_vectors): float :math:`J`; (d,); (V - 1, d) with
        only the L(o) rows of o's path nonzero. The arithmetic is O(L(o) d) = O(d log V) for
        a Huffman tree; the dense output (and the input check) cost O(Vd), as in
        :func:`~w2v_helpers.neg_sampling_loss_and_gradient`.
    """
    v_c, N, tree = _check_hs_args(center_vec, node_vectors, tree)
    o = as_index(outside_idx, "outside_idx", tree.V)
    loss, grad_center_vec, path, rows = _hs_path(v_c, o, N, tree)
    grad_node_vectors = np.zeros(N.shape)  # (V-1, d); a path never repeats a node
    grad_node_vectors[path] = rows
    return loss, grad_center_vec, grad_node_vectors


def hierarchical_softmax_probabilities(center_vec, node_vectors, tree):
    r"""Every leaf's probability :math:`p(w \mid c) = \prod_j \sigma(s_j\, n_{(w,j)}^\top v_c)`.

    At each inner node the two branches have :math:`\sigma(x) + \sigma(-x) = 1`, so the
    leaves' probabilities sum to 1 for any vectors.

    Args:
        center_vec: (d,) :math:`v_c`.
        node_vectors: (V - 1, d).
        tree: :class:`HuffmanTree`.

    Returns:
        (V,) float64 probabilities, summing to 1 (computed in log space, then exponentiated).
    """
    v_c, N, tree = _check_hs_args(center_vec, node_vectors, tree)
    P, S = tree._padded
    x = N @ v_c  # (V-1,) every node's score once
    logp = np.sum(np.where(S != 0, _log_sigmoid(S * x[P]), 0.0), axis=1)
    return np.exp(logp)
