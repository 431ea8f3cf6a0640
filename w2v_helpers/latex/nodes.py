"""The parsed form of a LaTeX answer: small immutable expression nodes.

Every node keeps ``pos``, the character offset in the original LaTeX where it
starts, so a diagnosis can point at it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "Node",
    "Num",
    "Sym",
    "Transpose",
    "Pow",
    "Add",
    "Mul",
    "Div",
    "Func",
    "Call",
    "Deriv",
    "DerivOp",
    "Sum",
    "Cases",
    "Cond",
    "Tuple",
    "SetOf",
    "Dots",
    "Abs",
]


@dataclass(frozen=True)
class Node:
    pass


@dataclass(frozen=True)
class Num(Node):
    value: float
    pos: int = field(default=-1, compare=False)


@dataclass(frozen=True)
class Sym(Node):
    """A symbol as written: ``name`` (a letter, or a Greek name like 'omega'), ``hat`` for
    :math:`\\hat y`, ``sub`` the subscript (a node, or a str for a text subscript)."""

    name: str
    sub: object | None = None
    hat: bool = False
    pos: int = field(default=-1, compare=False)


@dataclass(frozen=True)
class Transpose(Node):
    arg: Node
    pos: int = field(default=-1, compare=False)


@dataclass(frozen=True)
class Pow(Node):
    base: Node
    exp: Node
    pos: int = field(default=-1, compare=False)


@dataclass(frozen=True)
class Add(Node):
    """``terms`` is a tuple of (sign, node) with sign +1 or -1."""

    terms: tuple
    pos: int = field(default=-1, compare=False)


@dataclass(frozen=True)
class Mul(Node):
    factors: tuple
    explicit: bool = False
    pos: int = field(default=-1, compare=False)


@dataclass(frozen=True)
class Div(Node):
    num: Node
    den: Node
    pos: int = field(default=-1, compare=False)


@dataclass(frozen=True)
class Func(Node):
    """``name`` in 'sigma', 'dsigma' (σ'), 'exp', 'log', 'softmax'."""

    name: str
    arg: Node
    pos: int = field(default=-1, compare=False)


@dataclass(frozen=True)
class Call(Node):
    """A loss written as a function: ``J(v_c, o, U)``, ``J_{neg}(...)``, ``f(w_{c+j}, v_c)``."""

    name: str
    sub: object | None
    args: tuple
    pos: int = field(default=-1, compare=False)


@dataclass(frozen=True)
class Deriv(Node):
    """:math:`\\partial\\,num / \\partial\\,var` (``num`` None for the bare operator)."""

    num: Node | None
    var: Node
    partial: bool = True
    pos: int = field(default=-1, compare=False)


@dataclass(frozen=True)
class DerivOp(Node):
    """An operator :math:`\\frac{\\partial}{\\partial x}` before it is applied."""

    var: Node
    partial: bool = True
    pos: int = field(default=-1, compare=False)


@dataclass(frozen=True)
class Cond(Node):
    """A condition: ``op`` in '=', '!=', 'in', 'notin', '<', '<=', 'otherwise'."""

    op: str
    left: Node | None = None
    right: object | None = None
    pos: int = field(default=-1, compare=False)


@dataclass(frozen=True)
class Sum(Node):
    """A sum over ``index`` (a letter name). ``lower``/``upper``: the bounds as written
    (``w = 1`` .. ``W``), ``over``: a set after \\in, ``conds``: extra conditions (j ≠ 0),
    ``range``: a chain like -m ≤ j < m as (lo, lo_op, hi_op, hi)."""

    index: str
    body: Node
    lower: Node | None = None
    upper: Node | None = None
    over: Node | None = None
    range: tuple | None = None
    conds: tuple = ()
    pos: int = field(default=-1, compare=False)


@dataclass(frozen=True)
class Cases(Node):
    """rows: tuple of (value node, Cond)."""

    rows: tuple
    pos: int = field(default=-1, compare=False)


@dataclass(frozen=True)
class Tuple(Node):
    items: tuple
    pos: int = field(default=-1, compare=False)


@dataclass(frozen=True)
class SetOf(Node):
    items: tuple
    pos: int = field(default=-1, compare=False)


@dataclass(frozen=True)
class Dots(Node):
    pos: int = field(default=-1, compare=False)


@dataclass(frozen=True)
class Abs(Node):
    arg: Node
    pos: int = field(default=-1, compare=False)
