r"""The hand-written answer sheet's claims, implemented literally -- slips included.

These functions exist to be *checked*, not used: each notebook runs the claim
for its part through :mod:`w2v_helpers.checks` and explains what the
diagnosis says. The sheet writes :math:`v_0` and :math:`u_0` for the outside
word's vector :math:`u_o`, and in parts (b)-(d) :math:`v_w` (or :math:`v_\omega`,
:math:`v_k`) for vectors of the other words. Its own softmax in (b),
:math:`\hat y = e^{v_0^\top v_c} / \sum_\omega e^{v_\omega^\top v_c}`, uses :math:`v_\omega`
for the *outside* vectors, and notebooks 03 and 04 read (c) and (d) that way; but
the question's notation has :math:`v_w` for center vectors. Where the verdict
depends on that, both readings are implemented:

=====  ==================================================================  ===================
part   the sheet's claim                                                   verdict
=====  ==================================================================  ===================
(a)    :math:`\sigma'(x) = \sigma(x)^2 e^{-x}`                              equal to
                                                                           σ(1−σ), not
                                                                           the asked form;
                                                                           overflows
(b)    (1) :math:`\partial\hat y_0/\partial v_c = u_0\hat y_0
       - \sum_\omega v_\omega\hat y_\omega`                                 wrong under both
                                                                           readings: the sum
                                                                           lacks the factor
                                                                           :math:`\hat y_o`
(b)    final :math:`\partial J/\partial v_c = -u_o + \sum_w \hat y_w v_w`   with v_w outside
                                                                           vectors: right;
                                                                           with v_w center
                                                                           vectors: wrong.
                                                                           It does not follow
                                                                           from (1) and (2)
(c)    :math:`\partial J/\partial v_w = -\sum_i y_i \hat y_i v_c`           wrong: same for
       (v_w the outside vectors)                                           every w
(d)    :math:`\partial J/\partial v_c = -\sigma(-u_o^\top v_c)u_o
       + \sum_k \sigma(u_k^\top v_c) u_k`                                   right
(d)    :math:`\partial J/\partial u_k = \sigma(u_k^\top v_c)`               wrong: no v_c
(e)    :math:`\sum_{-m \le j < m,\ j \ne 0}`                               wrong: misses
                                                                           j = +m
(e)    outside vectors: part (c)'s :math:`-\sum_i y_i \hat y_i v_c`,        incomplete: no
       for w = o only; center: part (d)'s                                  rule for w ≠ o, no
                                                                           ∂J/∂v_w (w ≠ c);
                                                                           mixes two losses
=====  ==================================================================  ===================

(e) writes the outside word as :math:`\omega_{c+j}`, with c standing for the
center word's position, as the 2017 handout does (:math:`w_{c+j}`); these
functions take that position as ``t``.
"""

from __future__ import annotations

import numpy as np

from ._validate import as_float_array, as_index, as_index_array, as_positive_int
from .core import _check_loss_args, _sigmoid, _softmax, naive_softmax_loss_and_gradient

__all__ = [
    "sheet_sigmoid_grad",
    "outside_prob_center_gradient",
    "sheet_prob_center_gradient",
    "sheet_center_gradient_from_1_and_2",
    "sheet_center_gradient",
    "sheet_center_gradient_outside_reading",
    "sheet_outside_gradient",
    "sheet_neg_sampling_center_gradient",
    "sheet_neg_sampling_outside_gradient",
    "sheet_window_offsets",
    "sheet_skipgram",
    "sheet_window_outside_gradient",
]

_READINGS = ("question", "outside")


def _reading_vectors(reading, U_T, center_vectors):
    r"""The matrix the sheet's :math:`v_\omega` stands for under ``reading``, (V, d)."""
    if reading == "outside":
        return U_T
    if reading != "question":
        raise ValueError(
            f"reading must be 'question' (v_w are the center vectors) or 'outside' "
            f"(v_w are the outside vectors u_w), got {reading!r}"
        )
    if center_vectors is None:
        raise ValueError("center_vectors is needed with reading='question' (v_w are the center vectors)")
    Vc = as_float_array(center_vectors, "center_vectors", ndim=2)
    if Vc.shape != U_T.shape:
        raise ValueError(f"center_vectors must have shape {U_T.shape} like outside_vectors, got {Vc.shape}")
    return Vc


def sheet_sigmoid_grad(x):
    r"""(a) The sheet's boxed answer :math:`\nabla\sigma(x) = \sigma(x)^2 e^{-x}`, computed as written.

    Mathematically equal to :math:`\sigma(x)(1-\sigma(x))`, since
    :math:`\sigma(x)e^{-x} = e^{-x}/(1+e^{-x}) = 1 - \sigma(x)`. Computed literally
    it overflows: at x = -1000, :math:`e^{-x}` is inf and :math:`\sigma(x)^2` is 0,
    giving nan (with an overflow warning).

    Args:
        x: float or array (any shape).

    Returns:
        same shape as ``x``.
    """
    arr = np.asarray(x, dtype=np.float64)
    s = _sigmoid(arr)
    out = s**2 * np.exp(-arr)
    return float(out) if arr.ndim == 0 else out


def outside_prob_center_gradient(center_vec, outside_idx, outside_vectors):
    r"""The true :math:`\partial\hat y_o/\partial v_c = \hat y_o\big(u_o - \sum_w \hat y_w u_w\big) = \hat y_o\,U(y - \hat y)`.

    The reference for the sheet's equation (1): the softmax Jacobian
    :math:`\partial\hat y_o/\partial z_j = \hat y_o(\delta_{oj} - \hat y_j)` times
    :math:`\partial z_j/\partial v_c = u_j`. The factor :math:`\hat y_o` multiplies
    the sum too.

    Args:
        center_vec: (d,) :math:`v_c`.
        outside_idx: int :math:`o`.
        outside_vectors: (V, d), row w is :math:`u_w`.

    Returns:
        (d,) :math:`\partial\hat y_o/\partial v_c`.
    """
    v_c, o, U_T = _check_loss_args(center_vec, outside_idx, outside_vectors)
    y_hat = _softmax(U_T @ v_c)
    return y_hat[o] * (U_T[o] - y_hat @ U_T)


def sheet_prob_center_gradient(center_vec, outside_idx, outside_vectors, center_vectors=None, reading="question"):
    r"""(b) The sheet's equation (1), :math:`\partial\hat y_0/\partial v_c = u_0\hat y_0 - \sum_\omega v_\omega\hat y_\omega`.

    Wrong under both readings of :math:`v_\omega`: the sum lacks the factor
    :math:`\hat y_o` (see :func:`outside_prob_center_gradient`); with
    ``reading="question"`` it also averages the center vectors.

    Args:
        center_vec: (d,) :math:`v_c`.
        outside_idx: int :math:`o`.
        outside_vectors: (V, d), row w is :math:`u_w`.
        center_vectors: (V, d), row w is :math:`v_w`; needed with ``reading="question"``.
        reading: ``"question"`` (:math:`v_\omega` are the center vectors, the question's
            notation) or ``"outside"`` (:math:`v_\omega` are the outside vectors, as in the
            sheet's own softmax).

    Returns:
        (d,) the sheet's (1).
    """
    v_c, o, U_T = _check_loss_args(center_vec, outside_idx, outside_vectors)
    X = _reading_vectors(reading, U_T, center_vectors)
    y_hat = _softmax(U_T @ v_c)
    return U_T[o] * y_hat[o] - y_hat @ X


def sheet_center_gradient_from_1_and_2(
    center_vec, outside_idx, outside_vectors, center_vectors=None, reading="question"
):
    r"""(b) What substituting the sheet's (1) into its (2) gives, :math:`-\frac{1}{\hat y_o}\,(1) = -u_o + \frac{1}{\hat y_o}\sum_\omega \hat y_\omega v_\omega`.

    (2) is :math:`\partial J/\partial v_c = -\sum_i (y_i/\hat y_i)\,\partial\hat y_i/\partial v_c
    = -(1/\hat y_o)\,\partial\hat y_o/\partial v_c`. This is *not* the sheet's final line
    (:func:`sheet_center_gradient`): the sheet's final line does not follow from its
    (1) and (2) as written.

    Args and reading: as :func:`sheet_prob_center_gradient`.

    Returns:
        (d,).
    """
    v_c, o, U_T = _check_loss_args(center_vec, outside_idx, outside_vectors)
    y_hat = _softmax(U_T @ v_c)
    return -sheet_prob_center_gradient(v_c, o, U_T, center_vectors, reading) / y_hat[o]


def sheet_center_gradient(center_vec, outside_idx, outside_vectors, center_vectors):
    r"""(b) The sheet's final line :math:`\partial J/\partial v_c = -\sum_i y_i (u_i - \sum_w v_w \hat y_w) = -u_o + \sum_w \hat y_w v_w`, read with the question's notation.

    Read with the question's notation (:math:`v_w` the center vectors), the
    expectation is taken over the *center* vectors, where the softmax's scores
    :math:`u_w^\top v_c` put the outside vectors :math:`u_w`: wrong. The right answer
    is :math:`-u_o + \sum_w \hat y_w u_w = U(\hat y - y)`, which is the same line read
    with the sheet's own softmax notation (:func:`sheet_center_gradient_outside_reading`).

    Args:
        center_vec: (d,) :math:`v_c`.
        outside_idx: int :math:`o`.
        outside_vectors: (V, d), row w is :math:`u_w`.
        center_vectors: (V, d), row w is :math:`v_w`.

    Returns:
        (d,) the sheet's gradient.
    """
    v_c, o, U_T = _check_loss_args(center_vec, outside_idx, outside_vectors)
    Vc = as_float_array(center_vectors, "center_vectors", ndim=2)
    if Vc.shape != U_T.shape:
        raise ValueError(f"center_vectors must have shape {U_T.shape} like outside_vectors, got {Vc.shape}")
    y_hat = _softmax(U_T @ v_c)
    return -U_T[o] + y_hat @ Vc


def sheet_center_gradient_outside_reading(center_vec, outside_idx, outside_vectors):
    r"""(b) The sheet's final line :math:`-u_o + \sum_w \hat y_w v_w`, reading :math:`v_w` as the outside vectors :math:`u_w`.

    That is how the sheet's own softmax uses :math:`v_\omega`, and how notebooks 03
    and 04 read parts (c) and (d). Read so, the line is :math:`-u_o + \sum_w \hat y_w u_w
    = U(\hat y - y)`, the right answer -- though it does not follow from the sheet's
    (1) and (2) as written (:func:`sheet_center_gradient_from_1_and_2`).

    Args:
        center_vec: (d,) :math:`v_c`.
        outside_idx: int :math:`o`.
        outside_vectors: (V, d), row w is :math:`u_w` (the sheet's :math:`v_w`).

    Returns:
        (d,).
    """
    v_c, o, U_T = _check_loss_args(center_vec, outside_idx, outside_vectors)
    y_hat = _softmax(U_T @ v_c)
    return -U_T[o] + y_hat @ U_T


def sheet_outside_gradient(center_vec, outside_idx, outside_vectors):
    r"""(c) The sheet's :math:`\partial J/\partial v_w = -\sum_i y_i (v_c \hat y_i) = -\hat y_o v_c` for every w, its v_w read as :math:`u_w`.

    The slip: the sum over i with the one-hot :math:`y` picks out i = o whatever
    w is, so every row comes out the same. The right answer is
    :math:`(\hat y_w - y_w) v_c`: :math:`(\hat y_o - 1)v_c` for o and
    :math:`\hat y_w v_c` for the others.

    Args:
        center_vec: (d,) :math:`v_c`.
        outside_idx: int :math:`o`.
        outside_vectors: (V, d), row w is :math:`u_w`.

    Returns:
        (V, d), row w is the sheet's :math:`\partial J/\partial u_w`.
    """
    v_c, o, U_T = _check_loss_args(center_vec, outside_idx, outside_vectors)
    y_hat = _softmax(U_T @ v_c)
    y = np.zeros_like(y_hat)
    y[o] = 1.0
    row = -np.sum(y * y_hat) * v_c  # -sum_i y_i (v_c yhat_i)
    return np.tile(row, (U_T.shape[0], 1))


def sheet_neg_sampling_center_gradient(center_vec, outside_idx, outside_vectors, negative_idxs):
    r"""(d) The sheet's :math:`\partial J/\partial v_c = -\sigma(-u_o^\top v_c)u_o + \sum_k \sigma(u_k^\top v_c)u_k`.

    This one is right (reading the sheet's :math:`v_0, v_k` as :math:`u_o, u_k`).

    Returns:
        (d,).
    """
    v_c, o, U_T = _check_loss_args(center_vec, outside_idx, outside_vectors)
    negs = as_index_array(negative_idxs, "negative_idxs", U_T.shape[0])
    grad = -_sigmoid(-U_T[o] @ v_c) * U_T[o]
    for k in negs:
        grad = grad + _sigmoid(U_T[k] @ v_c) * U_T[k]
    return grad


def sheet_neg_sampling_outside_gradient(center_vec, outside_idx, outside_vectors, negative_idxs):
    r"""(d) The sheet's :math:`\partial J/\partial u_w`: :math:`-\sigma(-u_o^\top v_c)v_c` for w = o and
    :math:`\sigma(u_w^\top v_c)` for a negative sample.

    The slip: the negative samples' rows lack the factor :math:`v_c` -- a scalar
    where a d-vector belongs. Implemented literally, the scalar fills the whole
    row (numpy broadcasting), and each draw adds its term, so repeated negatives
    are counted correctly here: only the missing :math:`v_c` is wrong.

    Returns:
        (V, d).
    """
    v_c, o, U_T = _check_loss_args(center_vec, outside_idx, outside_vectors)
    negs = as_index_array(negative_idxs, "negative_idxs", U_T.shape[0])
    grad = np.zeros_like(U_T)
    grad[o] += -_sigmoid(-U_T[o] @ v_c) * v_c
    for k in negs:
        grad[k] += _sigmoid(U_T[k] @ v_c)  # no v_c: a scalar spread over the row
    return grad


def sheet_window_offsets(m):
    r"""(e) The sheet's window :math:`-m \le j < m,\ j \ne 0`: it leaves out j = +m.

    (The sheet's index :math:`\omega_{c+j}` counts from the center word's position,
    as the 2017 handout's :math:`w_{c+j}` does; that part is not a slip.)

    Returns:
        list of 2m - 1 ints ``[-m, ..., -1, 1, ..., m - 1]``.
    """
    m = as_positive_int(m, "m")
    return [j for j in range(-m, m) if j != 0]


def sheet_skipgram(
    center_idx, sentence_idxs, t, m, center_vectors, outside_vectors, loss_and_gradient=naive_softmax_loss_and_gradient
):
    r"""(e) The skip-gram gradients as the sheet sums them, over :math:`-m \le j < m`.

    The loss is the true window loss (over :math:`-m \le j \le m`, clipped at the
    sentence's edges); the gradients add the terms of :func:`sheet_window_offsets`
    only, as the sheet writes them -- so the word at :math:`t + m` is missing from them.

    Args:
        center_idx: int c, the word at position t.
        sentence_idxs: (n,) int word indices.
        t: int position of the center word.
        m: int window size.
        center_vectors, outside_vectors: (V, d).
        loss_and_gradient: the single-pair function, as in :func:`w2v_helpers.skipgram`.

    Returns:
        (loss, grad_center_vectors (V, d), grad_outside_vectors (V, d)).
    """
    from .core import context_window

    Vc = as_float_array(center_vectors, "center_vectors", ndim=2)
    U_T = as_float_array(outside_vectors, "outside_vectors", ndim=2)
    if Vc.shape != U_T.shape:
        raise ValueError(
            f"center_vectors and outside_vectors must have the same shape (V, d), got {Vc.shape} and {U_T.shape}"
        )
    c = as_index(center_idx, "center_idx", Vc.shape[0])
    sent = np.asarray(sentence_idxs)
    context_window(sent, t, m)  # validates the sentence, t and m
    loss = 0.0
    g_center = np.zeros_like(Vc)
    g_outside = np.zeros_like(U_T)
    for j in range(-m, m + 1):  # the loss: the true window
        if j == 0 or not 0 <= t + j < sent.size:
            continue
        j_loss, gc, go = loss_and_gradient(Vc[c], int(sent[t + j]), U_T)
        loss += j_loss
        if j in sheet_window_offsets(m):  # the gradient: the sheet's window
            g_center[c] += gc
            g_outside += go
    return loss, g_center, g_outside


def sheet_window_outside_gradient(center_idx, sentence_idxs, t, m, center_vectors, outside_vectors):
    r"""(e) The sheet's outside-vector gradient of the window loss, with the rows it gives no rule for left as nan.

    The sheet's (e) reuses part (c)'s :math:`\partial f(\omega, v_c)/\partial v_w
    = -\sum_i y_i (v_c \hat y_i) = -\hat y_\omega v_c` "if w = 0", that is for the
    outside word of each term only, summed over its window :math:`-m \le j < m`. It
    gives no rule for the other words (for which the naive softmax's true gradient is
    :math:`\hat y_w v_c` per term, never 0), and none for :math:`\partial J/\partial v_w`,
    :math:`w \ne c`. So row w of the result is
    :math:`-\sum_{j:\ w_{t+j} = w} \hat y_w v_c` for the words in the sheet's window and
    ``nan`` (no claim) for every other word.

    Args:
        center_idx: int c, the word at position t.
        sentence_idxs: (n,) int word indices.
        t: int position of the center word.
        m: int window size.
        center_vectors, outside_vectors: (V, d).

    Returns:
        (V, d) float64, ``nan`` in the rows the sheet does not cover.
    """
    from .core import context_window

    Vc = as_float_array(center_vectors, "center_vectors", ndim=2)
    U_T = as_float_array(outside_vectors, "outside_vectors", ndim=2)
    if Vc.shape != U_T.shape:
        raise ValueError(
            f"center_vectors and outside_vectors must have the same shape (V, d), got {Vc.shape} and {U_T.shape}"
        )
    c = as_index(center_idx, "center_idx", Vc.shape[0])
    sent = np.asarray(sentence_idxs)
    context_window(sent, t, m)  # validates the sentence, t and m
    v_c = Vc[c]
    y_hat = _softmax(U_T @ v_c)
    grad = np.full(U_T.shape, np.nan)
    for j in sheet_window_offsets(m):
        if not 0 <= t + j < sent.size:
            continue
        w = int(sent[t + j])
        if np.isnan(grad[w, 0]):
            grad[w] = 0.0
        grad[w] += -y_hat[w] * v_c  # part (c)'s -sum_i y_i (v_c yhat_i), i = w
    return grad
