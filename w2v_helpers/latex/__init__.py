r"""Read a hand-written LaTeX answer, check it, and name its slips.

``check_answer(latex)`` parses one equation with a lark grammar, evaluates both
sides on several random scenes and compares them with the true quantity through
:func:`w2v_helpers.gradcheck.gradcheck` and the part checkers of
:mod:`w2v_helpers.checks`. ``check_derivation(text)`` does it line by line.
"""

from .checker import AnswerResult, check_answer, infer_loss
from .derivation import DerivationResult, check_derivation
from .parser import LatexError, parse

__all__ = ["check_answer", "check_derivation", "AnswerResult", "DerivationResult", "LatexError", "parse", "infer_loss"]
