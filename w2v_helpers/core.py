r"""The word2vec formulas of parts (a)-(e), as small float64 numpy functions.

Notation (the notebooks use the same symbols):

=====================  ==========================  =====================================
math                   code                        shape in code
=====================  ==========================  =====================================
:math:`|V|`            ``V``                       vocabulary size
:math:`d`              ``d``                       embedding dimension
:math:`v_c`            ``center_vec``              (d,)
:math:`o`              ``outside_idx``             int in 0..V-1
:math:`U` (d x |V|,    ``outside_vectors``         (V, d) -- the transpose of U:
columns :math:`u_w`)                               row w is :math:`u_w`
center vectors         ``center_vectors``          (V, d), row w is :math:`v_w`
:math:`y`              one-hot of ``outside_idx``  (V,)
:math:`\hat y`         ``softmax(outside_vectors @ center_vec)``  (V,)
=====================  ==========================  =====================================
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ._validate import (
    as_float_array,
    as_generator,
    as_index,
    as_index_array,
    as_positive_int,
    check_loss_and_gradient_output,
    check_vector_matrix,
)

__all__ = [
    "sigmoid",
    "sigmoid_grad",
    "softmax",
    "naive_softmax_loss_and_gradient",
    "neg_sampling_loss_and_gradient",
    "noise_distribution",
    "sample_negatives",
    "skipgram",
    "skipgram_corpus",
    "window_offsets",
    "context_window",
]


def _sigmoid(x: np.ndarray) -> np.ndarray:
    """Unchecked stable sigmoid of a float array: uses :math:`e^{-|x|}`, which never overflows."""
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))


def _sigmoid_grad(x: np.ndarray) -> np.ndarray:
    r"""Unchecked :math:`\sigma'(x) = e^{-|x|} / (1 + e^{-|x|})^2` (even in x, no cancellation)."""
    z = np.exp(-np.abs(x))
    return z / (1.0 + z) ** 2


def _log_sigmoid(x: np.ndarray) -> np.ndarray:
    r""":math:`\log\sigma(x) = -\log(1 + e^{-x})`, computed without overflow."""
    return -np.logaddexp(0.0, -x)


def _sigmoid_and_softplus(x: np.ndarray):
    r""":math:`\sigma(x)` and :math:`\log(1 + e^{x}) = -\log\sigma(-x)` from one :math:`e^{-|x|}` (the trainer's hot loop).

    Unchecked; keeps the dtype of ``x`` (float32 in training); no overflow for any x.
    """
    e = np.exp(-np.abs(x))
    softplus = np.maximum(x, 0) + np.log1p(e)
    return np.where(x >= 0, 1, e) / (1 + e), softplus


def _scalar_or_array(out: np.ndarray, was_scalar: bool):
    return float(out) if was_scalar else out


def sigmoid(x):
    r"""The logistic sigmoid, elementwise (part a).

    .. math:: \sigma(x) = \frac{1}{1 + e^{-x}}

    Args:
        x: a real number or an array of any shape (symbol :math:`x`). Must be finite.

    Returns:
        float for a scalar input, else a float64 array of the same shape as ``x``.
        Stable for every finite ``x`` (no overflow warning at :math:`\pm 10^4`):
        for :math:`x < 0` it uses :math:`e^{x}/(1+e^{x})`.
    """
    arr = as_float_array(x, "x", allow_empty=True)
    return _scalar_or_array(_sigmoid(arr), arr.ndim == 0)


def sigmoid_grad(x):
    r"""The derivative of the sigmoid, elementwise (part a).

    .. math:: \sigma'(x) = \sigma(x)\,(1 - \sigma(x))

    computed as :math:`e^{-|x|}/(1+e^{-|x|})^2`, the same number without the
    cancellation in :math:`1 - \sigma(x)` when :math:`\sigma(x) \approx 1`, so it keeps
    full float64 relative precision for large positive ``x`` too.

    Args:
        x: a real number or an array of any shape (symbol :math:`x`). Must be finite.

    Returns:
        float for a scalar input, else a float64 array of the same shape as ``x``.
    """
    arr = as_float_array(x, "x", allow_empty=True)
    return _scalar_or_array(_sigmoid_grad(arr), arr.ndim == 0)


def _softmax(x: np.ndarray) -> np.ndarray:
    shifted = x - np.max(x, axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=-1, keepdims=True)


def softmax(x):
    r"""Numerically stable softmax of a vector, or of each row of a matrix.

    .. math:: \mathrm{softmax}(x)_i = \frac{e^{x_i - \max_j x_j}}{\sum_j e^{x_j - \max_j x_j}}

    Subtracting the maximum changes nothing mathematically and keeps every
    exponent :math:`\le 0`, so scores in the thousands do not overflow.

    Args:
        x: (n,) scores, or (m, n) with one row of scores per example. Finite.

    Returns:
        float64 array of the same shape; each row sums to 1.
    """
    arr = as_float_array(x, "x", ndim=(1, 2))  # also refuses empty arrays, (0,) or (m, 0)
    return _softmax(arr)


def _naive_softmax_losses(points: np.ndarray, o: int, U_T: np.ndarray) -> np.ndarray:
    r"""Unchecked naive-softmax loss at many center vectors at once (the explorers' loss surfaces).

    :math:`J(v) = \log\sum_w e^{u_w^\top v} - u_o^\top v` for every v in ``points`` (..., d);
    returns an array of shape (...). Shifted by the largest score, so no overflow.
    """
    scores = points @ U_T.T  # (..., V)
    m = scores.max(axis=-1, keepdims=True)
    log_z = m[..., 0] + np.log(np.exp(scores - m).sum(axis=-1))
    return log_z - scores[..., o]


def _neg_sampling_losses(points: np.ndarray, o: int, U_T: np.ndarray, negs: np.ndarray) -> np.ndarray:
    r"""Unchecked negative-sampling loss at many center vectors at once.

    :math:`J(v) = -\log\sigma(u_o^\top v) - \sum_k \log\sigma(-u_k^\top v)` for every row v
    of ``points`` (n, d); ``negs`` (K,) may repeat. Returns (n,).
    """
    loss = -_log_sigmoid(points @ U_T[o])
    if negs.size:
        loss = loss - _log_sigmoid(-(points @ U_T[negs].T)).sum(axis=1)
    return loss


def _check_loss_args(center_vec, outside_idx, outside_vectors):
    v_c = as_float_array(center_vec, "center_vec", ndim=1)
    U_T = as_float_array(outside_vectors, "outside_vectors", ndim=2)
    check_vector_matrix(v_c, U_T)
    o = as_index(outside_idx, "outside_idx", U_T.shape[0])
    return v_c, o, U_T


def _naive_softmax(v_c, o, U_T):
    """Unchecked naive-softmax loss and gradients (see the public function)."""
    scores = U_T @ v_c  # (V,)  u_w^T v_c
    m = np.max(scores)
    e = np.exp(scores - m)  # every exponent <= 0: no overflow
    total = np.sum(e)
    log_z = m + np.log(total)  # log sum_w exp(u_w^T v_c)
    y_hat = e / total  # (V,)
    loss = float(log_z - scores[o])
    delta = y_hat.copy()  # y_hat - y
    delta[o] -= 1.0
    grad_center_vec = delta @ U_T  # (d,)  U (y_hat - y)
    grad_outside_vectors = np.outer(delta, v_c)  # (V, d)
    return loss, grad_center_vec, grad_outside_vectors


def naive_softmax_loss_and_gradient(center_vec, outside_idx, outside_vectors):
    r"""Naive-softmax cross-entropy loss and its gradients (parts b and c).

    .. math::

        \hat y = \mathrm{softmax}(U^\top v_c), \qquad
        J = -\log \hat y_o = \log\sum_{w} e^{u_w^\top v_c} - u_o^\top v_c

        \frac{\partial J}{\partial v_c} = U(\hat y - y) = -u_o + \sum_w \hat y_w u_w,
        \qquad
        \frac{\partial J}{\partial u_w} = (\hat y_w - y_w)\, v_c,
        \qquad
        \frac{\partial J}{\partial U} = v_c (\hat y - y)^\top

    U is d x |V| in the math, with columns :math:`u_w`; ``outside_vectors`` is its
    transpose, (V, d), so row w is :math:`u_w` and ``grad_outside_vectors`` is
    :math:`(\partial J/\partial U)^\top = (\hat y - y) v_c^\top`.

    Args:
        center_vec: (d,) :math:`v_c`, the center word's vector.
        outside_idx: int :math:`o`, the index of the observed outside word.
        outside_vectors: (V, d) :math:`U^\top`, row w is :math:`u_w`.

    Returns:
        (loss, grad_center_vec, grad_outside_vectors): float :math:`J`;
        (d,) :math:`\partial J/\partial v_c`; (V, d) row w is :math:`\partial J/\partial u_w`.
        The loss uses log-sum-exp, so scores in the thousands are fine.
    """
    v_c, o, U_T = _check_loss_args(center_vec, outside_idx, outside_vectors)
    return _naive_softmax(v_c, o, U_T)


def _neg_sampling(v_c, o, U_T, negs):
    """Unchecked negative-sampling loss and gradients (see the public function)."""
    idx = np.concatenate(([o], negs))  # (K+1,)
    sign = np.ones(idx.shape[0])
    sign[1:] = -1.0  # +u_o, -u_k
    z = sign * (U_T[idx] @ v_c)  # (K+1,)  u_o^T v_c, -u_k^T v_c
    loss = float(0.0 - np.sum(_log_sigmoid(z)))  # 0.0 - ...: never -0.0
    # dJ/d(u_i^T v_c) = -sign_i * sigma(-z_i):  -sigma(-u_o.v_c) for o, +sigma(u_k.v_c) for k
    coef = -sign * _sigmoid(-z)  # (K+1,)
    grad_center_vec = coef @ U_T[idx]  # (d,)
    words, where = np.unique(idx, return_inverse=True)  # each distinct word once ...
    per_word = np.bincount(where, weights=coef)  # ... with the terms of all its draws added
    grad_outside_vectors = np.zeros(U_T.shape)  # (V, d); at most K+1 rows are written
    grad_outside_vectors[words] = np.outer(per_word, v_c)
    return loss, grad_center_vec, grad_outside_vectors


def neg_sampling_loss_and_gradient(center_vec, outside_idx, outside_vectors, negative_idxs):
    r"""Negative-sampling loss and its gradients (part d).

    .. math::

        J = -\log\sigma(u_o^\top v_c) - \sum_{k=1}^{K} \log\sigma(-u_k^\top v_c)

        \frac{\partial J}{\partial v_c} = -\sigma(-u_o^\top v_c)\,u_o
            + \sum_{k=1}^{K} \sigma(u_k^\top v_c)\,u_k

        \frac{\partial J}{\partial u_o} = -\sigma(-u_o^\top v_c)\,v_c, \qquad
        \frac{\partial J}{\partial u_k} = \sigma(u_k^\top v_c)\,v_c

    The sum runs over the K *draws*: a word drawn several times contributes
    once per draw, so its row of the gradient is the sum of those terms. If the
    outside word o is itself among the negatives, its row holds both kinds of term.
    The function is pure: it samples nothing (see :func:`sample_negatives`).

    Args:
        center_vec: (d,) :math:`v_c`.
        outside_idx: int :math:`o`.
        outside_vectors: (V, d) :math:`U^\top`, row w is :math:`u_w`.
        negative_idxs: (K,) ints :math:`w_1, \dots, w_K`, the negative samples.

    Returns:
        (loss, grad_center_vec, grad_outside_vectors): float; (d,); (V, d), only
        the rows of o and of the negatives are nonzero. The arithmetic is O(Kd), but a
        call still costs O(|V|d) memory traffic: the argument check reads every entry of
        ``outside_vectors`` (finite?) and the output is a dense (V, d) array. word2vec
        updates only the touched rows (see
        :func:`w2v_helpers.widgets.negsampling.neg_sampling_sparse_loss_and_gradient`).
    """
    v_c, o, U_T = _check_loss_args(center_vec, outside_idx, outside_vectors)
    negs = as_index_array(negative_idxs, "negative_idxs", U_T.shape[0])
    return _neg_sampling(v_c, o, U_T, negs)


def noise_distribution(counts, power=0.75):
    r"""The negative-sampling noise distribution :math:`P_n(w) \propto \mathrm{count}(w)^{3/4}`.

    Args:
        counts: (V,) non-negative word counts (at least one positive).
        power: float exponent (0.75 in word2vec; 1 gives the unigram distribution,
            0 the uniform distribution over words that occur).

    Returns:
        (V,) float64 probabilities summing to 1; a word with count 0 gets probability 0.
    """
    c = as_float_array(counts, "counts", ndim=1)
    p = as_float_array(power, "power", ndim=0)
    if np.any(c < 0):
        raise ValueError(f"counts must be non-negative, got {c[c < 0][0]!r} at index {int(np.flatnonzero(c < 0)[0])}")
    if not np.any(c > 0):
        raise ValueError("counts must have at least one positive entry, got all zeros")
    if p < 0:
        raise ValueError(f"power must be >= 0, got {float(p)}")
    weights = np.where(c > 0, c ** float(p), 0.0)
    return weights / weights.sum()


def sample_negatives(outside_idx, noise, k, rng):
    r"""Draw K negative samples from the noise distribution, none equal to o.

    Each draw is independent with probability
    :math:`P_n(w) / (1 - P_n(o))` for :math:`w \ne o` -- exactly what rejecting
    draws of o and drawing again gives, without the loop. Words may repeat.

    Args:
        outside_idx: int :math:`o`, never returned.
        noise: (V,) probabilities, e.g. from :func:`noise_distribution`.
        k: int K >= 1, the number of negatives.
        rng: a ``numpy.random.Generator``; the only source of randomness.

    Returns:
        (K,) int64 indices in 0..V-1, all different from ``outside_idx``.
    """
    q = as_float_array(noise, "noise", ndim=1)
    o = as_index(outside_idx, "outside_idx", q.shape[0])
    k = as_positive_int(k, "k")
    rng = as_generator(rng)
    if np.any(q < 0):
        raise ValueError("noise must hold probabilities (non-negative), got a negative entry")
    total = q.sum()
    if not np.isclose(total, 1.0, rtol=1e-6, atol=1e-9):
        raise ValueError(f"noise must sum to 1, got sum {total:.6g}")
    q = q.copy()
    q[o] = 0.0
    rest = q.sum()
    if rest <= 0:
        raise ValueError(f"noise puts all its probability on outside_idx = {o}; no other word can be drawn")
    draws = rng.choice(q.shape[0], size=k, p=q / rest)
    return draws.astype(np.int64)


LossAndGradient = Callable[[np.ndarray, int, np.ndarray], tuple]


def skipgram(
    center_idx,
    outside_idxs: Sequence[int],
    center_vectors,
    outside_vectors,
    loss_and_gradient: LossAndGradient = naive_softmax_loss_and_gradient,
):
    r"""Skip-gram loss over one context window and its gradients (part e).

    .. math::

        J_{\text{skip-gram}}(v_c, w_{t-m}, \dots, w_{t+m}, U)
            = \sum_{\substack{-m \le j \le m \\ j \ne 0}} J(v_c, w_{t+j}, U)

        \frac{\partial J_{\text{sg}}}{\partial U} = \sum_j \frac{\partial J(v_c, w_{t+j}, U)}{\partial U},
        \quad
        \frac{\partial J_{\text{sg}}}{\partial v_c} = \sum_j \frac{\partial J(v_c, w_{t+j}, U)}{\partial v_c},
        \quad
        \frac{\partial J_{\text{sg}}}{\partial v_w} = 0 \ (w \ne c)

    Args:
        center_idx: int :math:`c`, the center word's index.
        outside_idxs: sequence of ints, the 2m context words :math:`w_{t+j}`,
            repeats included (each position counts).
        center_vectors: (V, d), row w is :math:`v_w`.
        outside_vectors: (V, d) :math:`U^\top`, row w is :math:`u_w`.
        loss_and_gradient: ``f(center_vec, outside_idx, outside_vectors) -> (loss,
            grad_center_vec (d,), grad_outside_vectors (V, d))``, called once per
            position; e.g. :func:`naive_softmax_loss_and_gradient`, or
            ``functools.partial(neg_sampling_loss_and_gradient, negative_idxs=...)``.

    Returns:
        (loss, grad_center_vectors, grad_outside_vectors): float; (V, d) with only
        row c nonzero; (V, d).
    """
    Vc = as_float_array(center_vectors, "center_vectors", ndim=2)
    U_T = as_float_array(outside_vectors, "outside_vectors", ndim=2)
    if Vc.shape != U_T.shape:
        raise ValueError(
            f"center_vectors and outside_vectors must have the same shape (V, d), got {Vc.shape} and {U_T.shape}"
        )
    c = as_index(center_idx, "center_idx", Vc.shape[0])
    outs = as_index_array(outside_idxs, "outside_idxs", Vc.shape[0], allow_empty=True)
    if not callable(loss_and_gradient):
        raise ValueError(f"loss_and_gradient must be callable, got {type(loss_and_gradient).__name__}")

    loss = 0.0
    grad_center_vectors = np.zeros_like(Vc)
    grad_outside_vectors = np.zeros_like(U_T)
    v_c = Vc[c]
    for o in outs:
        j_loss, g_center, g_outside = check_loss_and_gradient_output(
            loss_and_gradient(v_c, int(o), U_T), v_c.shape, U_T.shape
        )
        loss += float(j_loss)
        grad_center_vectors[c] += g_center
        grad_outside_vectors += g_outside
    return loss, grad_center_vectors, grad_outside_vectors


def skipgram_corpus(
    sentences_idxs,
    m,
    center_vectors,
    outside_vectors,
    loss_and_gradient: LossAndGradient = naive_softmax_loss_and_gradient,
):
    r"""The corpus objective: the window loss averaged over every position of a corpus, and its gradients.

    .. math::

        J(\theta) = \frac{1}{T} \sum_{t=1}^{T} \sum_{\substack{-m \le j \le m \\ j \ne 0}} J(v_{w_t}, w_{t+j}, U)

    with T the number of words of the corpus and the windows clipped at each
    sentence's edges (:func:`context_window`). With the naive softmax the inner
    terms are :math:`-\log P(w_{t+j} \mid w_t)`, the objective of the CS224n handouts.
    The gradients are the window gradients of :func:`skipgram`, summed and divided by T.

    Args:
        sentences_idxs: sequence of (n_s,) int arrays, one per sentence; T = sum of n_s > 0.
        m: int window size.
        center_vectors: (V, d), row w is :math:`v_w`.
        outside_vectors: (V, d) :math:`U^\top`, row w is :math:`u_w`.
        loss_and_gradient: the pair function, as in :func:`skipgram`.

    Returns:
        (loss, grad_center_vectors (V, d), grad_outside_vectors (V, d)), each divided by T.
    """
    Vc = as_float_array(center_vectors, "center_vectors", ndim=2)
    U_T = as_float_array(outside_vectors, "outside_vectors", ndim=2)
    if isinstance(sentences_idxs, np.ndarray) and sentences_idxs.ndim == 1:
        sentences_idxs = [sentences_idxs]  # one sentence given as a flat array
    sentences = [np.asarray(s) for s in sentences_idxs]
    T = sum(s.size for s in sentences)
    if T == 0:
        raise ValueError("sentences_idxs must contain at least one word")
    loss = 0.0
    grad_center_vectors = np.zeros_like(Vc)
    grad_outside_vectors = np.zeros_like(U_T)
    for sent in sentences:
        for t in range(sent.size):
            outs = context_window(sent, t, m)
            l_t, g_c, g_o = skipgram(int(sent[t]), outs, Vc, U_T, loss_and_gradient)
            loss += l_t
            grad_center_vectors += g_c
            grad_outside_vectors += g_o
    return loss / T, grad_center_vectors / T, grad_outside_vectors / T


def window_offsets(m):
    r"""The offsets j of a context window of size m: :math:`-m \le j \le m,\ j \ne 0`.

    Args:
        m: int >= 1, the window size (m words on each side).

    Returns:
        list of 2m ints ``[-m, ..., -1, 1, ..., m]``.
    """
    m = as_positive_int(m, "m")
    return [j for j in range(-m, m + 1) if j != 0]


def context_window(sentence_idxs, t, m):
    r"""The outside words :math:`w_{t+j}` of the center word at position t.

    Offsets come from :func:`window_offsets`; positions outside the sentence are
    dropped (the window is clipped at the sentence's edges).

    Args:
        sentence_idxs: (n,) int word indices of one sentence.
        t: int position of the center word, 0 <= t < n.
        m: int >= 1, the window size.

    Returns:
        (2m,) or fewer int64 word indices, in order of j.
    """
    sent = np.asarray(sentence_idxs)
    if sent.ndim != 1 or sent.size == 0:
        raise ValueError(f"sentence_idxs must be a non-empty 1-D sequence of word indices, got shape {sent.shape}")
    if sent.dtype == bool or not np.issubdtype(sent.dtype, np.integer):
        raise ValueError(f"sentence_idxs must hold integer word indices, got dtype {sent.dtype}")
    if np.any(sent < 0):
        raise ValueError(f"sentence_idxs must hold non-negative word indices, got {int(sent[sent < 0][0])}")
    t = as_index(t, "t", sent.size, size_name="sentence length")
    positions = [t + j for j in window_offsets(m) if 0 <= t + j < sent.size]
    return sent[positions].astype(np.int64)
