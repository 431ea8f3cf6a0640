"""Alias kept for existing imports: this module moved to :mod:`w2v_helpers.training.datasets`.

``import w2v_helpers.datasets`` gives the very same module object.
"""

import importlib
import sys

sys.modules[__name__] = importlib.import_module("w2v_helpers.training.datasets")
