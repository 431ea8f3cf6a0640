"""Small, fixed example data shared by notebooks 02-05, their widgets and tests.

Nothing here is random: every notebook and test sees the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["ToyScene", "toy_scene"]


@dataclass(frozen=True)
class ToyScene:
    r"""A tiny 2-D vocabulary, small enough to draw.

    Attributes:
        words: the |V| words, ``words[w]`` is word w.
        center_vectors: (V, 2), row w is :math:`v_w`.
        outside_vectors: (V, 2), row w is :math:`u_w` (the transpose of U, which is 2 x |V|).
        center_idx: c, the default center word.
        outside_idx: o, the default observed outside word.
        counts: (V,) word counts, for the noise distribution of negative sampling.
    """

    words: tuple
    center_vectors: np.ndarray
    outside_vectors: np.ndarray
    center_idx: int
    outside_idx: int
    counts: np.ndarray

    @property
    def V(self) -> int:
        return len(self.words)

    def index(self, word: str) -> int:
        try:
            return self.words.index(word)
        except ValueError:
            raise KeyError(f"{word!r} is not in this scene's vocabulary {self.words}") from None


def toy_scene() -> ToyScene:
    """Six words with hand-placed 2-D vectors: 'coffee' is the center, 'cup' the outside word."""
    words = ("coffee", "cup", "tea", "drink", "car", "road")
    outside = np.array(
        [
            [0.6, 0.9],  # coffee
            [1.4, 0.6],  # cup
            [0.9, 1.2],  # tea
            [1.1, -0.2],  # drink
            [-1.3, 0.4],  # car
            [-0.9, -1.1],  # road
        ]
    )
    center = np.array(
        [
            [0.8, 0.5],  # coffee
            [1.0, 0.9],  # cup
            [0.7, 1.0],  # tea
            [1.2, 0.1],  # drink
            [-1.0, 0.7],  # car
            [-0.6, -1.2],  # road
        ]
    )
    counts = np.array([40.0, 25.0, 30.0, 20.0, 35.0, 15.0])
    return ToyScene(words, center, outside, center_idx=0, outside_idx=1, counts=counts)
