r"""The optional trainer: skip-gram with negative sampling on real text, from the part (d) gradients.

Modules, in the order data flows through them:

=================  ===========================================================
``corpus``         reading a one-sentence-per-line text file (clear UTF-8 / empty-file errors)
``datasets``       the built-in corpora (toy, lee, wiki, lee+wiki, text8) and evaluation sets
``vocab``          the vocabulary, subsampling probabilities, the corpus as word ids
``batches``        per epoch: subsampling, shrunk windows, minibatches of windows
``objectives``     what a batch costs and how it moves the parameters (negative sampling)
``scatter``        adding row updates with repeats (public numpy / scipy.sparse)
``config``         :class:`TrainConfig`, every setting in one dataclass
``loop``           :func:`train` / :func:`train_skipgram`, the SGD loop
``model``          :class:`SkipGramModel`: gensim ``KeyedVectors`` (``.wv``) + training records
``evaluate``       analogies and word-pair correlations through ``KeyedVectors``
``plots``          loss curve, PCA map, neighbour explorer (notebook 06)
``cli``            ``python -m w2v_helpers.train`` (also ``python -m w2v_helpers.training``)
=================  ===========================================================

Needs the ``train`` extra (gensim, scipy, tqdm).
"""

from .config import TrainConfig
from .corpus import CorpusError, LineSentences, as_sentences
from .loop import TrainingDiverged, auto_batch_words, train, train_skipgram
from .model import SkipGramModel, keyed_vectors
from .objectives import NegativeSampling, Objective, window_batch_loss_and_gradient
from .vocab import Vocabulary, build_vocab, keep_probabilities, stable_hash

__all__ = [
    "TrainConfig",
    "CorpusError",
    "LineSentences",
    "as_sentences",
    "TrainingDiverged",
    "auto_batch_words",
    "train",
    "train_skipgram",
    "SkipGramModel",
    "keyed_vectors",
    "NegativeSampling",
    "Objective",
    "window_batch_loss_and_gradient",
    "Vocabulary",
    "build_vocab",
    "keep_probabilities",
    "stable_hash",
]
