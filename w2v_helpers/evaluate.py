"""Alias kept for existing imports and ``python -m w2v_helpers.evaluate``: see :mod:`w2v_helpers.training.evaluate`."""

import sys

from .training.evaluate import (  # noqa: F401  (re-exported names)
    AnalogyResult,
    PairsResult,
    evaluate_all,
    evaluate_analogies,
    evaluate_word_pairs,
    format_results,
    load_word2vec_format,
    main,
)

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
