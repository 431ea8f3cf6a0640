r"""The result of training: gensim ``KeyedVectors`` of the center vectors, plus the training records."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

__all__ = ["SkipGramModel", "keyed_vectors"]


def keyed_vectors(words: Sequence[str], vectors, counts=None):
    """A gensim ``KeyedVectors`` with row i the vector of ``words[i]`` (most frequent first), counts attached.

    Args:
        words: V distinct str. vectors: (V, d) floats. counts: optional (V,) ints
            (gensim's ``save_word2vec_format`` writes words by decreasing count).
    """
    from gensim.models import KeyedVectors

    vectors = np.asarray(vectors)
    if vectors.ndim != 2 or vectors.shape[0] != len(words):
        raise ValueError(f"vectors must have shape (V, d) with V = len(words) = {len(words)}, got {vectors.shape}")
    kv = KeyedVectors(vectors.shape[1], dtype=vectors.dtype)
    kv.add_vectors(list(words), vectors)
    if counts is not None:
        kv.allocate_vecattrs(attrs=["count"], types=[np.int64])
        kv.expandos["count"][:] = np.asarray(counts, dtype=np.int64)
    return kv


class SkipGramModel:
    r"""Trained skip-gram vectors (``wv``, a gensim ``KeyedVectors``) and what happened during training.

    Attributes:
        wv: ``gensim.models.KeyedVectors`` of the center vectors :math:`v_w` (what word2vec
            saves): ``wv.most_similar``, ``wv.evaluate_word_analogies``, ``wv.save_word2vec_format``...
        vocab: list of V words, most frequent first. vectors: (V, d), the same as ``wv.vectors``.
        outside_vectors: (V, d) outside vectors :math:`u_w`.
        counts: (V,) corpus counts.
        config: the :class:`~w2v_helpers.training.config.TrainConfig`; ``params`` the same as a dict
            (with ``batch_words`` resolved).
        loss_history: (n,) float64, mean loss per term over consecutive stretches of training
            (``report_every`` terms each; the last may be shorter).
        loss_history_words: (n,) words of the corpus processed at each entry.
        epoch_losses: (epochs,) mean loss per term of each epoch.
        train_seconds, train_cpu_seconds: wall-clock and CPU time of the SGD loop (after counting
            and encoding the corpus).
        total_words: corpus words, rare ones included. effective_words: words that took part,
            summed over epochs (after min_count and subsampling; gensim's "effective words").
        pairs_trained: (input, predicted) pairs, summed over epochs.
    """

    def __init__(
        self,
        wv,
        outside_vectors,
        counts,
        config,
        params,
        loss_history,
        loss_history_words,
        epoch_losses,
        train_seconds,
        train_cpu_seconds,
        total_words,
        effective_words,
        pairs_trained,
    ):
        self.wv = wv
        self.outside_vectors = outside_vectors
        self.counts = counts
        self.config = config
        self.params = params
        self.loss_history = loss_history
        self.loss_history_words = loss_history_words
        self.epoch_losses = epoch_losses
        self.train_seconds = train_seconds
        self.train_cpu_seconds = train_cpu_seconds
        self.total_words = total_words
        self.effective_words = effective_words
        self.pairs_trained = pairs_trained

    @property
    def vocab(self) -> list[str]:
        return self.wv.index_to_key

    @property
    def vectors(self) -> np.ndarray:
        return self.wv.vectors

    def __contains__(self, word) -> bool:
        return word in self.wv.key_to_index

    @property
    def words_per_second(self) -> float:
        """Corpus words (rare ones included) times epochs per second of the SGD loop."""
        return self.total_words * self.params["epochs"] / max(self.train_seconds, 1e-12)

    def save_word2vec_format(self, path) -> Path:
        """Write ``wv`` in the word2vec text format (gensim's ``save_word2vec_format``); returns the path."""
        path = Path(os.fspath(path))
        self.wv.save_word2vec_format(str(path), binary=False)
        return path

    def __repr__(self) -> str:
        return (
            f"SkipGramModel(V={len(self.vocab)}, d={self.vectors.shape[1]}, "
            f"epochs={self.params['epochs']}, final loss={self.epoch_losses[-1]:.4f})"
        )
