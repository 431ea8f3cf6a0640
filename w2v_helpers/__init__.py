"""w2v_helpers: the word2vec gradient derivations (parts a-e) as small, tested numpy code.

Everything the notebooks derive has a function here, checked against numerical
gradients in ``tests/``. Importing the package has no side effects: no global
random seed, no matplotlib settings.
"""

from .cbow import cbow
from .core import (
    context_window,
    naive_softmax_loss_and_gradient,
    neg_sampling_loss_and_gradient,
    noise_distribution,
    sample_negatives,
    sigmoid,
    sigmoid_grad,
    skipgram,
    softmax,
    window_offsets,
)
from .gradcheck import GradcheckResult, gradcheck
from .hierarchical import (
    hierarchical_softmax_loss_and_gradient,
    hierarchical_softmax_probabilities,
    huffman_tree,
)

__version__ = "0.1.0"


def __getattr__(name):
    # check_answer / check_derivation need lark: imported on first use, so `import w2v_helpers` does not
    if name in ("check_answer", "check_derivation"):
        from . import latex

        return getattr(latex, name)
    raise AttributeError(f"module 'w2v_helpers' has no attribute {name!r}")


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
    "check_answer",
    "check_derivation",
]
