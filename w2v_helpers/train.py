"""Alias kept for existing imports and ``python -m w2v_helpers.train``: the trainer lives in :mod:`w2v_helpers.training`.

(``training.loop`` the SGD loop, ``training.config`` its settings, ``training.objectives`` the loss,
``training.cli`` this command line.)
"""

import sys

from .training import (  # noqa: F401  (re-exported names)
    SkipGramModel,
    TrainConfig,
    TrainingDiverged,
    Vocabulary,
    auto_batch_words,
    build_vocab,
    keep_probabilities,
    stable_hash,
    train,
    train_skipgram,
    window_batch_loss_and_gradient,
)
from .training.cli import main

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
