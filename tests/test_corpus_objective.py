"""The corpus objective (1/T) sum_t sum_j J(v_{w_t}, w_{t+j}, U): averaged window losses, and its gradients."""

from __future__ import annotations

from functools import partial

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad

from w2v_helpers import context_window, gradcheck, neg_sampling_loss_and_gradient, skipgram
from w2v_helpers.core import skipgram_corpus

SENTS = [np.array([0, 1, 2, 3, 1, 4]), np.array([2, 5, 2]), np.array([3])]


def params(seed=0, V=6, d=3):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(V, d)), rng.normal(size=(V, d))


def test_is_the_mean_over_positions_of_the_window_losses():
    Vc, U = params()
    T = sum(s.size for s in SENTS)
    total = sum(skipgram(int(s[t]), context_window(s, t, 2), Vc, U)[0] for s in SENTS for t in range(s.size))
    loss, _, _ = skipgram_corpus(SENTS, 2, Vc, U)
    assert np.isclose(loss, total / T)
    assert not np.isclose(loss, total)  # averaged, not summed


def test_matches_autograd_for_the_naive_softmax():
    Vc, U = params(1)
    T = sum(s.size for s in SENTS)

    def ag_loss(Vx, Ux):
        out = 0.0
        for s in SENTS:
            for t in range(s.size):
                for o in context_window(s, t, 2):
                    z = anp.dot(Ux, Vx[int(s[t])])
                    mz = anp.max(z)
                    out = out + mz + anp.log(anp.sum(anp.exp(z - mz))) - z[int(o)]
        return out / T

    loss, gV, gU = skipgram_corpus(SENTS, 2, Vc, U)
    assert np.isclose(loss, ag_loss(Vc, U))
    np.testing.assert_allclose(gV, grad(ag_loss, 0)(Vc, U), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(gU, grad(ag_loss, 1)(Vc, U), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("m", [1, 3])
def test_gradcheck_both_gradients_with_negative_sampling(m):
    Vc, U = params(2)
    fn = partial(neg_sampling_loss_and_gradient, negative_idxs=[4, 4, 0])
    assert gradcheck(lambda X: skipgram_corpus(SENTS, m, X, U, fn)[:2], Vc).passed
    assert gradcheck(lambda X: skipgram_corpus(SENTS, m, Vc, X, fn)[::2], U).passed


def test_one_flat_sentence_and_errors():
    Vc, U = params()
    a = skipgram_corpus(SENTS[0], 2, Vc, U)
    b = skipgram_corpus([SENTS[0]], 2, Vc, U)
    assert np.isclose(a[0], b[0]) and np.allclose(a[1], b[1])
    with pytest.raises(ValueError, match="at least one word"):
        skipgram_corpus([], 2, Vc, U)
    with pytest.raises(ValueError, match="m"):
        skipgram_corpus(SENTS, 0, Vc, U)
