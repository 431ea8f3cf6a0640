r"""CBOW (continuous bag of words): the context predicts the middle word (notebook 07).

Notation (as in the notebooks; skip-gram's symbols of parts a-e carry over):

=====================  ==========================  =====================================
math                   code                        shape in code
=====================  ==========================  =====================================
:math:`c = w_t`        ``center_idx``              int, the middle word, now *predicted*
:math:`w_{t+j}`        ``outside_idxs``            (C,) ints, the C context words
:math:`v_w`            ``center_vectors[w]``       (V, d), the input vectors
:math:`\hat v`         ``v_hat``                   (d,) sum (or mean) of the context's v's
:math:`U` (d x |V|)    ``outside_vectors``         (V, d), row w is :math:`u_w`
=====================  ==========================  =====================================

CBOW swaps skip-gram's roles: the context words' input vectors are added up into
:math:`\hat v`, and :math:`\hat v` plays the part of :math:`v_c` in a pair loss whose
"outside" word is the middle word c.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ._validate import as_float_array, as_index, as_index_array, check_loss_and_gradient_output
from .core import naive_softmax_loss_and_gradient

__all__ = ["cbow", "cbow_context_vector", "input_vector_updates"]

LossAndGradient = Callable[[np.ndarray, int, np.ndarray], tuple]


def _check_bool(value, name: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False, got {type(value).__name__} {value!r}")
    return bool(value)


def _check_cbow_args(center_idx, outside_idxs, center_vectors, outside_vectors, mean):
    Vc = as_float_array(center_vectors, "center_vectors", ndim=2)
    U_T = as_float_array(outside_vectors, "outside_vectors", ndim=2)
    if Vc.shape != U_T.shape:
        raise ValueError(
            f"center_vectors and outside_vectors must have the same shape (V, d), got {Vc.shape} and {U_T.shape}"
        )
    c = as_index(center_idx, "center_idx", Vc.shape[0])
    outs = as_index_array(outside_idxs, "outside_idxs", Vc.shape[0])  # at least one context word
    mean = _check_bool(mean, "mean")
    return c, outs, Vc, U_T, mean


def _context_vector(outs: np.ndarray, Vc: np.ndarray, mean: bool) -> np.ndarray:
    v_hat = np.sum(Vc[outs], axis=0)  # (d,)  each position once: repeats add
    return v_hat / outs.size if mean else v_hat


def cbow_context_vector(outside_idxs: Sequence[int], center_vectors, mean=False):
    r"""The CBOW input :math:`\hat v`: the sum (or mean) of the context words' input vectors.

    .. math::

        \hat v = \sum_{\substack{-m \le j \le m \\ j \ne 0}} v_{w_{t+j}}
        \qquad\text{or, with } \texttt{mean=True},\qquad
        \hat v = \frac{1}{C} \sum_j v_{w_{t+j}}

    Args:
        outside_idxs: (C,) ints, the context words :math:`w_{t+j}`, C >= 1, repeats
            included (a word in two positions is added twice).
        center_vectors: (V, d), row w is :math:`v_w`.
        mean: bool, average instead of sum (word2vec.c's ``-cbow 1`` averages).

    Returns:
        (d,) float64 :math:`\hat v`.
    """
    Vc = as_float_array(center_vectors, "center_vectors", ndim=2)
    outs = as_index_array(outside_idxs, "outside_idxs", Vc.shape[0])
    return _context_vector(outs, Vc, _check_bool(mean, "mean"))


def cbow(
    center_idx,
    outside_idxs: Sequence[int],
    center_vectors,
    outside_vectors,
    loss_and_gradient: LossAndGradient = naive_softmax_loss_and_gradient,
    mean=False,
):
    r"""CBOW loss of one window and its gradients: the context predicts the middle word.

    .. math::

        \hat v = \sum_{j} v_{w_{t+j}} \quad\Big(\text{or } \tfrac{1}{C}\sum_j v_{w_{t+j}}\Big),
        \qquad
        J_{\text{CBOW}} = J(\hat v, c, U)

        \frac{\partial J_{\text{CBOW}}}{\partial v_w} = n_w \,\frac{\partial J}{\partial \hat v}
        \quad\Big(\text{or } \frac{n_w}{C}\,\frac{\partial J}{\partial \hat v}\Big),
        \qquad
        \frac{\partial J_{\text{CBOW}}}{\partial U} = \frac{\partial J(\hat v, c, U)}{\partial U}

    with C the number of context positions and :math:`n_w` the number of positions
    word w fills (0 for a word not in the context). Every context position gets the
    same :math:`\partial J/\partial \hat v` because :math:`\partial \hat v/\partial v_w = n_w I`
    (:math:`\tfrac{n_w}{C} I` for the mean).

    Args:
        center_idx: int :math:`c`, the middle word, the one predicted.
        outside_idxs: (C,) ints, the context words :math:`w_{t+j}`, C >= 1, repeats
            included (each position counts).
        center_vectors: (V, d), row w is :math:`v_w` (the input vectors).
        outside_vectors: (V, d) :math:`U^\top`, row w is :math:`u_w`.
        loss_and_gradient: ``f(center_vec, outside_idx, outside_vectors) -> (loss,
            grad_center_vec (d,), grad_outside_vectors (V, d))``, called once with
            ``(v_hat, center_idx, outside_vectors)``; e.g.
            :func:`~w2v_helpers.naive_softmax_loss_and_gradient`, or
            ``functools.partial(neg_sampling_loss_and_gradient, negative_idxs=...)``.
        mean: bool; False sums the context vectors, True averages them (word2vec.c's default).

    Returns:
        (loss, grad_center_vectors, grad_outside_vectors): float :math:`J_{\text{CBOW}}`;
        (V, d) row w is :math:`\partial J/\partial v_w`, nonzero only for context words;
        (V, d) row w is :math:`\partial J/\partial u_w`.
    """
    c, outs, Vc, U_T, mean = _check_cbow_args(center_idx, outside_idxs, center_vectors, outside_vectors, mean)
    if not callable(loss_and_gradient):
        raise ValueError(f"loss_and_gradient must be callable, got {type(loss_and_gradient).__name__}")
    v_hat = _context_vector(outs, Vc, mean)
    loss, g_hat, g_outside = check_loss_and_gradient_output(loss_and_gradient(v_hat, c, U_T), v_hat.shape, U_T.shape)
    per_position = g_hat / outs.size if mean else g_hat  # d v_hat / d v_{w_{t+j}} = I (or I/C)
    n = np.bincount(outs, minlength=Vc.shape[0]).astype(np.float64)  # (V,) n_w, positions per word
    grad_center_vectors = np.outer(n, per_position)  # (V, d) row w: n_w dJ/dv_hat (/C)
    return float(loss), grad_center_vectors, g_outside.copy()


def input_vector_updates(sentences_idxs, m: int, V: int) -> dict:
    r"""How much of the gradient each input vector :math:`v_w` receives over a corpus, per model.

    For every position t of every sentence (windows clipped at the edges, as
    :func:`~w2v_helpers.context_window`):

    * skip-gram makes one pair loss per context position, each with :math:`v_{w_t}` as its only
      input: ``skipgram_terms[w]`` counts those losses for word w (its own predictions);
    * CBOW makes one loss per position with input :math:`\hat v = \frac1C\sum_j v_{w_{t+j}}`:
      ``cbow_windows[w]`` counts the windows w is in, ``cbow_share[w]`` adds up
      :math:`n_w / C`, the fraction of :math:`\partial J/\partial \hat v` that reaches :math:`v_w`
      (the true gradient of the mean).

    Args:
        sentences_idxs: iterable of 1-D int sequences (word indices in 0..V-1).
        m: int >= 1, the window size.
        V: int, the vocabulary size.

    Returns:
        dict of (V,) arrays ``skipgram_terms`` (int), ``cbow_windows`` (int), ``cbow_share`` (float),
        and ``count`` (int), each word's number of occurrences.
    """
    from ._validate import as_positive_int
    from .core import context_window

    m = as_positive_int(m, "m")
    V = as_positive_int(V, "V")
    sg = np.zeros(V, dtype=np.int64)
    windows = np.zeros(V, dtype=np.int64)
    share = np.zeros(V)
    count = np.zeros(V, dtype=np.int64)
    for k, sent in enumerate(sentences_idxs):
        sent = as_index_array(sent, f"sentences_idxs[{k}]", V)
        count += np.bincount(sent, minlength=V)
        for t in range(sent.size):
            outs = context_window(sent, t, m)
            if outs.size == 0:
                continue
            sg[sent[t]] += outs.size
            n = np.bincount(outs, minlength=V)
            windows += n > 0
            share += n / outs.size
    return {"skipgram_terms": sg, "cbow_windows": windows, "cbow_share": share, "count": count}
