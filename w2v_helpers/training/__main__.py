"""``python -m w2v_helpers.training``: the trainer's command line."""

import sys

from .cli import main

sys.exit(main())
