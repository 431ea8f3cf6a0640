"""Alias kept for existing imports: this module moved to :mod:`w2v_helpers.training.plots`.

``import w2v_helpers.plots_train`` gives the very same module object.
"""

import importlib
import sys

sys.modules[__name__] = importlib.import_module("w2v_helpers.training.plots")
