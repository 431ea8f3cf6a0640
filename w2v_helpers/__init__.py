"""w2v_helpers: the word2vec gradient derivations (parts a-e) as small, tested numpy code.

Everything the notebooks derive has a function here, checked against numerical
gradients in ``tests/``. Importing the package has no side effects: no global
random seed, no matplotlib settings.
"""
from .core import (
    naive_softmax_loss_and_gradient,
    neg_sampling_loss_and_gradient,
    noise_distribution,
    sample_negatives,
    sigmoid,
    sigmoid_grad,
    skipgram,
    softmax,
    window_offsets,
    context_window,
)
from .cbow import cbow
from .gradcheck import GradcheckResult, gradcheck
from .hierarchical import (
    hierarchical_softmax_loss_and_gradient,
    hierarchical_softmax_probabilities,
    huffman_tree,
)

__version__ = "0.1.0"

__all__ = [
    "sigmoid",
    "sigmoid_grad",
    "softmax",
    "naive_softmax_loss_and_gradient",
    "neg_sampling_loss_and_gradient",
    "noise_distribution",
    "sample_negatives",
    "skipgram",
    "window_offsets",
    "context_window",
    "cbow",
    "huffman_tree",
    "hierarchical_softmax_loss_and_gradient",
    "hierarchical_softmax_probabilities",
    "gradcheck",
    "GradcheckResult",
]
