r"""From a corpus of word ids to minibatches of windows (word2vec's recipe, vectorised).

For each epoch: frequent words are dropped at random (:func:`~.vocab.keep_probabilities`,
fresh each epoch); each remaining word gets a window shrunk at random to
:math:`b \sim U\{1..m\}` on each side, cut at the sentence's ends. The words are then
processed in order, ``batch_words`` at a time.

A :class:`WindowBatch` describes P consecutive words ("middle words") and their
windows as three arrays:

* ``window_words`` (P + 2m,): the words of the P overlapping windows; slot j = 0..2m
  of row p is ``window_words[p + j]``, slot m is the middle word itself;
* ``mask`` (P, 2m+1) 0/1: which slots are in the (shrunk, same-sentence) window;
  ``mask[:, m]`` is 0, a word is not its own context;
* ``middle`` (P,): the middle words, ``window_words[m : m + P]``.

An objective (:mod:`.objectives`) turns a batch into a loss and a parameter update.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

__all__ = ["WindowBatch", "EpochWindows", "epoch_windows"]


@dataclass
class WindowBatch:
    """P middle words with their windows (see the module docstring for the layout)."""

    window_words: np.ndarray  # (P + 2m,) int32
    mask: np.ndarray  # (P, 2m + 1) 0/1 in the parameters' dtype
    middle: np.ndarray  # (P,) int32

    @property
    def pairs(self) -> int:
        """Number of (context, middle) pairs in the batch."""
        return int(np.count_nonzero(self.mask))


@dataclass
class EpochWindows:
    """One epoch's subsampled words and shrunk windows, sliced into chunks and batches.

    Attributes:
        tokens: (n,) the word ids kept this epoch; ``padded``: the same with m pad slots on each side.
        sentence: (n,) sentence number of each kept word; ``padded_sentence`` likewise (pads never match).
        reach: (n,) the shrunk window b of each word.
        window: int m.
    """

    tokens: np.ndarray
    padded: np.ndarray
    sentence: np.ndarray
    padded_sentence: np.ndarray
    reach: np.ndarray
    window: int

    def __len__(self) -> int:
        return self.tokens.shape[0]

    def mask(self, start: int, stop: int, dtype) -> np.ndarray:
        """(stop - start, 2m + 1) 0/1: slot j of word i is in its window (|j - m| <= b_i, same sentence, j != m)."""
        m = self.window
        slot = np.abs(np.arange(-m, m + 1))
        mask = (slot <= self.reach[start:stop, None]) & (slot > 0)
        mask &= (
            sliding_window_view(self.padded_sentence[start : stop + 2 * m], 2 * m + 1)
            == self.sentence[start:stop, None]
        )
        return mask.astype(dtype)

    def chunks(self, chunk_words: int) -> Iterator[tuple[int, int]]:
        """(start, stop) of consecutive pieces of ``chunk_words`` words (the last may be shorter)."""
        n = len(self)
        for c0 in range(0, n, chunk_words):
            yield c0, min(n, c0 + chunk_words)

    def batch(self, start: int, stop: int, mask: np.ndarray) -> WindowBatch:
        """Words ``start:stop`` as a :class:`WindowBatch`, ``mask`` their rows of :meth:`mask`."""
        m = self.window
        return WindowBatch(self.padded[start : stop + 2 * m], mask, self.tokens[start:stop])


def epoch_windows(
    ids: np.ndarray, sids: np.ndarray, keep: np.ndarray, window: int, rng: np.random.Generator
) -> EpochWindows:
    r"""Subsample the corpus and draw every word's shrunk window, for one epoch.

    Args:
        ids: (N,) int32 word ids of the corpus; sids: (N,) int32 sentence of each.
        keep: (V,) keep probabilities. window: int m.
        rng: the trainer's generator (two draws: which words are kept, then each b).

    Returns:
        :class:`EpochWindows`.
    """
    m = window
    kept = rng.random(ids.shape[0]) < keep[ids]
    tok, sid = ids[kept], sids[kept]
    reach = rng.integers(1, m + 1, size=tok.shape[0])
    pad = np.zeros(m, dtype=np.int32)
    padded = np.concatenate([pad, tok, pad])
    padded_sentence = np.concatenate([np.full(m, -1, np.int32), sid, np.full(m, -2, np.int32)])
    return EpochWindows(tok, padded, sid, padded_sentence, reach, m)
