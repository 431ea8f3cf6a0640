r"""The trainer's settings, in one validated dataclass."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from .objectives import NegativeSampling, Objective
from .vocab import positive_int

__all__ = ["TrainConfig"]


def _number(value, name: str, positive: bool = False) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float, np.floating, np.integer))
        or not math.isfinite(value)
        or value < 0
        or (positive and value == 0)
    ):
        raise ValueError(f"{name} must be a finite number {'> 0' if positive else '>= 0'}, got {value!r}")
    return float(value)


@dataclass
class TrainConfig:
    r"""Everything :func:`~w2v_helpers.training.loop.train` needs to know, checked on creation.

    Attributes:
        dim: int d, the vector size.
        window: int m, the largest window; each word uses :math:`b \sim U\{1..m\}` on each side.
        negatives: int K, negatives per predicted word.
        epochs: int, passes over the corpus.
        min_count: int, words seen fewer times are dropped before windowing.
        sample: float, the subsampling threshold t/N (0 disables subsampling).
        alpha, min_alpha: floats, the learning rate decays linearly from ``alpha`` to ``min_alpha``.
        batch_words: int, middle words per SGD step, or None for
            :func:`~w2v_helpers.training.loop.auto_batch_words`. All gradients of a step use the
            parameters of its start, so a frequent word's row moves by the sum of many terms
            at once: too large a batch makes training unstable (2048 on the default corpus
            is unstable: the loss rises to 7.4 per pair in the first epoch; the auto choice is 256 there,
            smaller when a few words dominate).
        seed: int; the same seed gives identical vectors with the same numpy and BLAS.
        ns_exponent: float, the noise distribution is count^ns_exponent.
        max_vocab_size: optional int, keep only the most frequent words.
        dtype: ``"float32"`` (default: as good, and faster) or ``"float64"``.
        progress: show a tqdm progress bar with the running loss.
        report_every: int, loss terms per entry of ``loss_history``.
        cbow: bool, CBOW (the mean of the window predicts the middle word) instead of skip-gram.
        hs: bool, hierarchical softmax (Huffman tree, V - 1 node vectors) instead of negative
            sampling; ``negatives`` is then unused (:mod:`.objectives_cbow_hs`).
    """

    dim: int = 100
    window: int = 5
    negatives: int = 5
    epochs: int = 5
    min_count: int = 5
    sample: float = 1e-3
    alpha: float = 0.025
    min_alpha: float = 1e-4
    batch_words: int | None = None
    seed: int = 0
    ns_exponent: float = 0.75
    max_vocab_size: int | None = None
    dtype: str = "float32"
    progress: bool = True
    report_every: int = 100_000
    cbow: bool = False
    hs: bool = False

    def __post_init__(self):
        for name in ("dim", "window", "negatives", "epochs", "min_count", "report_every"):
            setattr(self, name, positive_int(getattr(self, name), name))
        for name in ("batch_words", "max_vocab_size"):
            if getattr(self, name) is not None:
                setattr(self, name, positive_int(getattr(self, name), name))
        self.alpha = _number(self.alpha, "alpha", positive=True)
        self.min_alpha = _number(self.min_alpha, "min_alpha")
        self.ns_exponent = _number(self.ns_exponent, "ns_exponent")
        if self.min_alpha > self.alpha:
            raise ValueError(f"min_alpha must be <= alpha, got min_alpha = {self.min_alpha} > alpha = {self.alpha}")
        if isinstance(self.sample, bool) or not isinstance(self.sample, (int, float)):
            raise ValueError(f"sample must be a number, got {self.sample!r}")
        try:
            dtype = np.dtype(self.dtype)
        except TypeError:
            dtype = None
        if dtype not in (np.float32, np.float64):
            raise ValueError(f"dtype must be float32 or float64, got {self.dtype!r}")
        self.dtype = str(dtype)
        if isinstance(self.seed, bool) or not isinstance(self.seed, (int, np.integer)):
            raise ValueError(f"seed must be an int, got {self.seed!r}")
        self.seed = int(self.seed)
        for name in ("cbow", "hs"):
            if not isinstance(getattr(self, name), (bool, np.bool_)):
                raise ValueError(f"{name} must be True or False, got {getattr(self, name)!r}")
            setattr(self, name, bool(getattr(self, name)))

    def objective(self) -> Objective:
        """The loss this configuration trains (negative sampling; CBOW / hierarchical softmax plug in here)."""
        if self.cbow or self.hs:
            from .objectives_cbow_hs import objective_for

            return objective_for(self)
        return NegativeSampling(self.negatives, self.ns_exponent)

    def as_dict(self) -> dict:
        return asdict(self)
