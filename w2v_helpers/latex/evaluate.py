r"""Evaluate a parsed answer on a numeric scene.

A :class:`Scene` holds the math-layout quantities: ``Vc`` (d x |V|, columns
:math:`v_w`), ``U`` (d x |V|, columns :math:`u_w`), ``c``, ``o``, the negative
draws, a sentence with the center position ``t`` and window ``m``, and ``x`` for
part (a). Values are 2-D float arrays: a scalar is 1x1, a d-vector d x 1, so
:math:`u_o^\top v_c` is 1x1 and :math:`v_c(\hat y - y)^\top` is d x |V|.

A :class:`Reading` says what the symbols mean: by default v is a center vector, u an
outside vector and subscript 0 the observed word o; ``v_outside=True`` reads
:math:`v_w` (w ≠ c) as the outside vector :math:`u_w`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from ..core import _log_sigmoid, _sigmoid, _softmax
from . import nodes as N

__all__ = ["Scene", "Reading", "EvalError", "evaluate", "true_loss", "make_scenes", "shape_name"]


class EvalError(ValueError):
    """The answer was read but cannot be evaluated (unknown symbol, shapes that do not fit)."""

    def __init__(self, message: str, pos: int = -1, kind: str = "eval", name: str = ""):
        super().__init__(message)
        self.message, self.pos, self.kind, self.name = message, pos, kind, name


class _Skip(Exception):
    """A window position outside the sentence: the term is left out (the window is clipped)."""


@dataclass
class Scene:
    Vc: np.ndarray  # d x V, column w is v_w
    U: np.ndarray  # d x V, column w is u_w
    c: int
    o: int
    negs: np.ndarray  # (K,) word ids of the draws
    sentence: np.ndarray  # (n,) word ids, sentence[t] == c
    t: int
    m: int
    x: float = 0.5
    pair_loss: str = "naive_softmax"  # the per-pair loss inside skip-gram
    draw_U: np.ndarray | None = None  # d x K: one column per draw (for ∂J/∂u_k)

    @property
    def d(self):
        return self.U.shape[0]

    @property
    def V(self):
        return self.U.shape[1]

    @property
    def K(self):
        return len(self.negs)

    def copy(self):
        return replace(
            self, Vc=self.Vc.copy(), U=self.U.copy(), draw_U=None if self.draw_U is None else self.draw_U.copy()
        )


@dataclass(frozen=True)
class Reading:
    v_outside: bool = False  # v_w (w ≠ c) means the outside vector u_w
    zero_is_o: bool = True  # subscript 0 means o
    name: str = "the question's notation"


def shape_name(shape, scene: Scene) -> str:
    """'d×|V|', 'd-vector', 'scalar', ... for a value's shape."""
    names = {scene.d: "d", scene.V: "|V|", scene.K: "K"}

    def nm(k):
        return names.get(k, str(k))

    r, c = shape
    if (r, c) == (1, 1):
        return "a scalar"
    if c == 1:
        return f"a column {nm(r)}-vector ({nm(r)}×1)"
    if r == 1:
        return f"a row {nm(c)}-vector (1×{nm(c)})"
    return f"a {nm(r)}×{nm(c)} matrix"


def _scalar(v):
    return isinstance(v, np.ndarray) and v.shape == (1, 1)


def _col(x):
    return np.asarray(x, dtype=np.float64).reshape(-1, 1)


def true_loss(scene: Scene, kind: str, o: int | None = None) -> float:
    """The true loss of the scene: naive_softmax, neg_sampling, skipgram (sum over the window)."""
    v = scene.Vc[:, scene.c]
    if kind == "skipgram":
        total = 0.0
        for j in range(-scene.m, scene.m + 1):
            if j == 0 or not 0 <= scene.t + j < len(scene.sentence):
                continue
            total += true_loss(scene, scene.pair_loss, int(scene.sentence[scene.t + j]))
        return total
    o = scene.o if o is None else o
    if kind == "neg_sampling":
        if scene.draw_U is not None:
            uk = scene.draw_U
        else:
            uk = scene.U[:, scene.negs]
        return float(-_log_sigmoid(np.array(scene.U[:, o] @ v)) - np.sum(_log_sigmoid(-(uk.T @ v))))
    scores = scene.U.T @ v
    mx = np.max(scores)
    return float(mx + np.log(np.sum(np.exp(scores - mx))) - scores[o])


@dataclass
class _Env:
    scene: Scene
    reading: Reading
    loss: str
    bound: dict = field(default_factory=dict)  # index name -> ("word", w) | ("draw", k) | ("offset", j)
    used: set = field(default_factory=set)  # notes on how symbols were read

    def bind(self, name, value):
        b = dict(self.bound)
        b[name] = value
        return _Env(self.scene, self.reading, self.loss, b, self.used)


_WORD_LETTERS = {"w", "i", "x", "j", "l", "n", "s", "omega", "alpha", "beta", "theta"}


def _word_of(node, env: _Env, pos: int) -> int:
    """The word index a subscript names."""
    sc = env.scene
    if isinstance(node, N.Num):
        if node.value == 0 and env.reading.zero_is_o:
            env.used.add("subscript 0 read as o (the observed word)")
            return sc.o
        raise EvalError(
            f"The subscript {node.value:g} does not name a word of the question (use o, c, w, k or a summation index).",
            pos,
            "symbol",
        )
    if isinstance(node, N.Sym) and node.sub is None and not node.hat:
        if node.name in env.bound:
            kind, val = env.bound[node.name]
            if kind == "word":
                return val
            if kind == "draw":
                return int(sc.negs[val])
            if kind == "offset":
                return _position_word(sc.t + val, sc)
        if node.name == "o":
            return sc.o
        if node.name == "c":
            return sc.c
        raise EvalError(
            f"The index '{_greek(node.name)}' is not bound: write it as a summation index, "
            f"or use o (the observed word), c (the center word) or k (a negative sample).",
            node.pos if node.pos >= 0 else pos,
            "unbound",
            node.name,
        )
    if isinstance(node, N.Sym) and node.name in ("w", "omega") and node.sub is not None:
        sub = node.sub
        if isinstance(sub, N.Sym) and sub.name == "o" and sub.sub is None:
            return sc.o
        if isinstance(sub, N.Sym) and sub.name == "c" and sub.sub is None:
            return sc.c
        if isinstance(sub, N.Sym) and sub.sub is None and sub.name in env.bound and env.bound[sub.name][0] == "draw":
            return int(sc.negs[env.bound[sub.name][1]])
        return _position_word(_position(sub, env, pos), sc)
    if isinstance(node, N.Add):
        return _position_word(_position(node, env, pos), sc)
    raise EvalError("This subscript does not name a word.", pos, "symbol")


def _position(node, env, pos) -> int:
    """A sentence position such as t + j (c + j reads as the center's position + j)."""
    sc = env.scene
    if isinstance(node, N.Num):
        return int(node.value)
    if isinstance(node, N.Sym) and node.sub is None:
        if node.name in ("t", "c"):
            return sc.t
        if node.name in env.bound and env.bound[node.name][0] == "offset":
            return env.bound[node.name][1]
        if node.name == "m":
            return sc.m
        raise EvalError(f"In a position like t+j, '{node.name}' is not t, c or a window offset.", pos, "symbol")
    if isinstance(node, N.Add):
        return sum(s * _position(t, env, pos) for s, t in node.terms)
    raise EvalError("This position could not be read (write w_{t+j}).", pos, "symbol")


def _position_word(p, sc):
    if not 0 <= p < len(sc.sentence):
        raise _Skip()
    return int(sc.sentence[p])


def _greek(name):
    from .render import GREEK

    return GREEK.get(name, name)


def _number(node, env) -> float:
    v = evaluate(node, env)
    if not _scalar(v):
        raise EvalError("A bound must be a number.", getattr(node, "pos", -1))
    return float(v[0, 0])


def _sum_members(node: N.Sum, env: _Env):
    sc = env.scene
    name = node.index
    upper = node.upper
    up_name = upper.name if isinstance(upper, N.Sym) and upper.sub is None else None
    if isinstance(upper, N.Abs):
        up_name = "V"
    if node.range is not None or name == "j" or (node.lower is not None and up_name == "m"):
        if node.range is not None:
            lo, op1, op2, hi = node.range
            lo_v, hi_v = _number(lo, env), _number(hi, env)
            offs = [
                j
                for j in range(int(np.floor(lo_v)) - 1, int(np.ceil(hi_v)) + 2)
                if (j >= lo_v if op1 == "<=" else j > lo_v) and (j <= hi_v if op2 == "<=" else j < hi_v)
            ]
        elif node.lower is not None and upper is not None:
            offs = list(range(int(_number(node.lower, env)), int(_number(upper, env)) + 1))
        else:
            offs = [j for j in range(-sc.m, sc.m + 1) if j != 0]
        out = []
        for j in offs:
            e = env.bind(name, ("offset", j))
            if all(_cond_true(cn, e) for cn in node.conds):
                out.append(e)
        return out
    draws = up_name == "K" or (upper is None and name == "k" and node.over is None)
    if isinstance(node.over, N.SetOf):
        draws = any(isinstance(it, N.Sym) and it.name == "K" for it in node.over.items) or any(
            isinstance(it, N.Sym) and it.name == "w" and it.sub is not None for it in node.over.items
        )
    if draws:
        envs = [env.bind(name, ("draw", k)) for k in range(sc.K)]
    else:
        words = range(sc.V)
        if isinstance(upper, N.Num):
            # numeric bounds count words from 1: w = 1..n is the first n words, not the vocabulary
            lo = int(node.lower.value) if isinstance(node.lower, N.Num) else 1
            words = range(max(lo - 1, 0), min(int(upper.value), sc.V))
        elif upper is not None and up_name not in ("W", "V"):
            raise EvalError(
                f"The sum over {_greek(name)} runs up to something that is not W, |V| or K.", node.pos, "symbol"
            )
        envs = [env.bind(name, ("word", w)) for w in words]
    return [e for e in envs if all(_cond_true(cn, e) for cn in node.conds)]


def _cond_true(cond: N.Cond, env: _Env) -> bool:
    sc = env.scene
    if cond.op == "otherwise":
        return True
    if cond.op == "text":
        words = str(cond.right or "")
        if "neg" in words or "sample" in words:
            return _free_word(env) in set(int(k) for k in sc.negs)
        return True
    if cond.op in ("=", "!=", "in", "notin"):
        left = cond.left
        if cond.op in ("in", "notin"):
            members = _set_members(cond.right, env)
            inside = _index_value(left, env) in members
            return inside if cond.op == "in" else not inside
        a = _index_value(left, env)
        b = _index_value(cond.right, env)
        return (a == b) if cond.op == "=" else (a != b)
    if cond.op in ("<", "<=", ">", ">="):
        a, b = _index_value(cond.left, env), _index_value(cond.right, env)
        return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[cond.op]
    return True


def _free_word(env):
    for kind, val in env.bound.values():
        if kind == "word":
            return val
    return -1


def _index_value(node, env):
    """What an index stands for in a condition: a word id, an offset, or a number."""
    if isinstance(node, N.Sym) and node.sub is None and node.name in env.bound:
        kind, val = env.bound[node.name]
        if kind == "draw":
            return ("word", int(env.scene.negs[val]))
        return (kind if kind != "offset" else "num", val)
    if isinstance(node, N.Num):
        if node.value == 0 and env.reading.zero_is_o and _free_word(env) >= 0:
            return ("word", env.scene.o)
        return ("num", node.value)
    if isinstance(node, N.Sym) and node.sub is None and node.name in ("o", "c"):
        return ("word", env.scene.o if node.name == "o" else env.scene.c)
    if isinstance(node, N.Sym) and node.name in ("w", "omega") and node.sub is not None:
        return ("word", _word_of(node, env, node.pos))
    if isinstance(node, N.Sym) and node.sub is None and node.name == "k":
        return ("draws", None)
    return ("num", _number(node, env))


def _set_members(node, env):
    sc = env.scene
    if isinstance(node, N.SetOf):
        items = node.items
        if any(isinstance(it, N.Sym) and it.name == "K" for it in items) or any(
            isinstance(it, N.Sym) and it.name == "w" and it.sub is not None for it in items
        ):
            return {("word", int(k)) for k in sc.negs}
        out = set()
        for it in items:
            if isinstance(it, N.Dots):
                continue
            out.add(_index_value(it, env))
        return out
    if isinstance(node, N.Sym) and node.name in ("V", "W"):
        return {("word", w) for w in range(sc.V)}
    raise EvalError(
        "This set could not be read (write \\{w_1, \\dots, w_K\\} or \\{1, \\dots, K\\}).", getattr(node, "pos", -1)
    )


def _mul(a, b, pos, explicit=False):
    if _scalar(a) or _scalar(b):
        return a * b
    if a.shape[1] == b.shape[0]:
        return a @ b
    if a.shape[1] == 1 and b.shape[1] == 1 and a.shape[0] == b.shape[0]:
        raise EvalError(
            "Two column vectors are multiplied side by side here, which is not defined: for a "
            "dot product write uᵀv (u^\\top v), for an outer product u v^\\top.",
            pos,
            "shape",
        )
    raise EvalError(
        f"The product here multiplies shapes that do not fit: {a.shape[0]}×{a.shape[1]} times "
        f"{b.shape[0]}×{b.shape[1]}.",
        pos,
        "shape",
    )


def _vector_symbol(node: N.Sym, env: _Env):
    sc = env.scene
    name = node.name
    if node.sub is None:
        return None
    w = _word_of(node.sub, env, node.pos)
    if name == "u":
        return (
            sc.U[:, [w]]
            if not _is_draw(node.sub, env) or sc.draw_U is None
            else sc.draw_U[:, [env.bound[node.sub.name][1]]]
        )
    if name == "v":
        is_c = isinstance(node.sub, N.Sym) and node.sub.name == "c" and node.sub.sub is None
        if env.reading.v_outside and not is_c:
            if _is_draw(node.sub, env) and sc.draw_U is not None:
                return sc.draw_U[:, [env.bound[node.sub.name][1]]]
            return sc.U[:, [w]]
        return sc.Vc[:, [w]]
    return None


def _is_draw(sub, env):
    return isinstance(sub, N.Sym) and sub.sub is None and sub.name in env.bound and env.bound[sub.name][0] == "draw"


def _yhat(sc):
    return _col(_softmax(sc.U.T @ sc.Vc[:, sc.c]))


_LIMIT = 25_000
_COUNT = [0]


def reset_budget():
    """Start counting evaluation steps afresh (one answer may use at most ``_LIMIT`` of them)."""
    _COUNT[0] = 0


def evaluate(node, env: _Env):
    """The value of ``node`` (a 2-D array) in ``env``."""
    _COUNT[0] += 1
    if _COUNT[0] > _LIMIT:
        raise EvalError(
            "This answer is too costly to evaluate (sums or derivatives nested too deeply); write it more simply.",
            getattr(node, "pos", -1),
            "budget",
        )
    sc = env.scene
    if isinstance(node, N.Num):
        return np.array([[node.value]])
    if isinstance(node, N.Sym):
        if node.name in ("u", "v"):
            if node.sub is None:
                raise EvalError(
                    f"'{node.name}' needs a subscript: {node.name}_c, {node.name}_o, {node.name}_w.", node.pos, "symbol"
                )
            return _vector_symbol(node, env)
        if node.name == "y":
            vec = _yhat(sc) if node.hat else _col(np.eye(sc.V)[sc.o])
            if node.sub is None:
                return vec
            return vec[[_word_of(node.sub, env, node.pos)], :]
        if node.hat:
            raise EvalError(
                f"'\\hat {node.name}' is not a symbol of the question (only \\hat y is).", node.pos, "symbol"
            )
        if node.sub is None:
            if node.name == "x":
                return np.array([[sc.x]])
            if node.name == "e":
                return np.array([[np.e]])
            if node.name == "U":
                return sc.U
            if node.name == "V":
                return sc.Vc
            if node.name in ("K",):
                return np.array([[float(sc.K)]])
            if node.name in ("W",):
                return np.array([[float(sc.V)]])
            if node.name == "m":
                return np.array([[float(sc.m)]])
            if node.name in env.bound and env.bound[node.name][0] == "offset":
                return np.array([[float(env.bound[node.name][1])]])
        if node.name in ("partial", "nabla"):
            raise EvalError(
                "A '∂' or '∇' that is not part of a derivative \\frac{\\partial J}{\\partial v_c}.", node.pos, "symbol"
            )
        sub = "" if node.sub is None else "_…"
        raise EvalError(
            f"Unknown symbol '{_greek(node.name)}{sub}': the question's symbols are u_o, u_w, u_k, "
            f"v_c, v_w, U, y, \\hat y, x, K, W, m (and summation indices).",
            node.pos,
            "unknown",
        )
    if isinstance(node, N.Abs):
        return np.array([[float(sc.V)]])
    if isinstance(node, N.Transpose):
        return evaluate(node.arg, env).T
    if isinstance(node, N.Pow):
        if isinstance(node.base, N.Sym) and node.base.name == "e" and node.base.sub is None:
            ex = evaluate(node.exp, env)
            with np.errstate(all="ignore"):
                return np.exp(ex)
        base, ex = evaluate(node.base, env), evaluate(node.exp, env)
        if not _scalar(ex):
            raise EvalError("An exponent must be a number.", node.pos, "shape")
        if not _scalar(base):
            raise EvalError(
                "Only a scalar can be raised to a power here (a vector squared is not defined; write uᵀu).",
                node.pos,
                "shape",
            )
        with np.errstate(all="ignore"):
            return base**ex
    if isinstance(node, N.Add):
        total = None
        for sign, term in node.terms:
            try:
                val = evaluate(term, env)
            except _Skip:
                continue
            val = val if sign > 0 else -val
            if total is None:
                total = val
            elif total.shape == val.shape or _scalar(total) and val.shape == (1, 1):
                total = total + val
            else:
                raise EvalError(
                    f"Terms of different shapes are added here: {total.shape[0]}×{total.shape[1]} "
                    f"and {val.shape[0]}×{val.shape[1]}.",
                    getattr(term, "pos", node.pos),
                    "shape",
                )
        return np.zeros((1, 1)) if total is None else total
    if isinstance(node, N.Mul):
        out = None
        for f in node.factors:
            val = evaluate(f, env)
            out = val if out is None else _mul(out, val, getattr(f, "pos", node.pos), node.explicit)
        return out
    if isinstance(node, N.Div):
        num, den = evaluate(node.num, env), evaluate(node.den, env)
        if not _scalar(den):
            raise EvalError("Division by a vector or a matrix is not defined.", node.pos, "shape")
        with np.errstate(all="ignore"):
            return num / den
    if isinstance(node, N.Func):
        arg = evaluate(node.arg, env)
        with np.errstate(all="ignore"):
            if node.name == "sigma":
                return _sigmoid(arg)
            if node.name == "dsigma":
                s = _sigmoid(arg)
                return s * (1 - s)
            if node.name == "exp":
                return np.exp(arg)
            if node.name == "log":
                return np.log(arg)
            if node.name == "softmax":
                return _col(_softmax(arg.reshape(-1)))
    if isinstance(node, N.Call):
        return np.array([[_call_loss(node, env)]])
    if isinstance(node, N.Sum):
        total = None
        for e in _sum_members(node, env):
            try:
                val = evaluate(node.body, e)
            except _Skip:
                continue
            if total is None:
                total = val
            elif total.shape != val.shape:
                raise EvalError("The terms of this sum have different shapes.", node.pos, "shape")
            else:
                total = total + val
        if total is None:
            return np.zeros((1, 1))
        return total
    if isinstance(node, N.Deriv):
        return derivative(node.num, node.var, env)
    if isinstance(node, N.DerivOp):
        raise EvalError("A derivative operator with nothing to differentiate.", node.pos, "symbol")
    if isinstance(node, N.Cases):
        for value, cond in node.rows:
            if _cond_true(cond, env):
                return evaluate(value, env)
        raise _NoCase()
    raise EvalError(f"Cannot evaluate {type(node).__name__} here.", getattr(node, "pos", -1), "symbol")


class _NoCase(Exception):
    """No row of a cases environment applies: the answer gives nothing for this word."""


def loss_kind_of_call(node: N.Call, default: str) -> str:
    sub = node.sub
    text = sub if isinstance(sub, str) else ""
    t = text.lower()
    if "neg" in t:
        return "neg_sampling"
    if "skip" in t or t in ("sg",):
        return "skipgram"
    if "soft" in t or "naive" in t:
        return "naive_softmax"
    return default


def _call_target(node: N.Call, env: _Env):
    """(kind, outside word or None) of a loss written as J, J_{neg}, J(v_c, w_{t+j}, U), f(w_{c+j}, v_c)."""
    sc = env.scene
    kind = loss_kind_of_call(node, env.loss)
    if not node.args:
        return kind, None
    if _whole_window(node):
        return "skipgram", None
    word = None
    for a in node.args:
        if isinstance(a, N.Sym) and a.name in ("w", "omega") and (a.sub is not None or a.name in env.bound):
            word = _word_of(a, env, a.pos)
        elif isinstance(a, N.Sym) and a.name == "o" and a.sub is None:
            word = sc.o
        elif isinstance(a, N.Sym) and a.name in ("u",) and a.sub is not None:
            word = _word_of(a.sub, env, a.pos)
    if word is None:
        word = sc.o
    if kind == "skipgram":
        kind = sc.pair_loss
    return kind, word


def _pair_grads(sc: Scene, kind: str, word: int):
    """(loss, ∂/∂v_c (d,), ∂/∂U (d×V)) of one pair, from the core functions."""
    from ..core import _naive_softmax, _neg_sampling

    v = np.ascontiguousarray(sc.Vc[:, sc.c])
    UT = np.ascontiguousarray(sc.U.T)
    if kind == "neg_sampling":
        loss, gc, gU = _neg_sampling(v, word, UT, sc.negs)
    else:
        loss, gc, gU = _naive_softmax(v, word, UT)
    return loss, gc, gU.T


def _call_grads(node: N.Call, env: _Env):
    sc = env.scene
    kind, word = _call_target(node, env)
    if kind == "neg_sampling" and sc.draw_U is not None:
        return None
    if kind == "sigmoid":
        return None
    if word is not None or kind in ("naive_softmax", "neg_sampling"):
        return _pair_grads(sc, kind, sc.o if word is None else word)
    total, gc, gU = 0.0, np.zeros(sc.d), np.zeros_like(sc.U)
    for j in range(-sc.m, sc.m + 1):
        if j == 0 or not 0 <= sc.t + j < len(sc.sentence):
            continue
        l_, c_, u_ = _pair_grads(sc, sc.pair_loss, int(sc.sentence[sc.t + j]))
        total, gc, gU = total + l_, gc + c_, gU + u_
    return total, gc, gU


def _whole_window(node: N.Call) -> bool:
    """J_{skip-gram}(v_c, w_{t-m}, …, w_{t+m}, U): the loss of the whole window."""
    explicit = loss_kind_of_call(node, "") == "skipgram"
    return explicit or any(isinstance(a, N.Dots) for a in node.args)


def _call_loss(node: N.Call, env: _Env) -> float:
    sc = env.scene
    kind = loss_kind_of_call(node, env.loss)
    if not node.args:
        return true_loss(sc, kind)
    if _whole_window(node):
        return true_loss(sc, "skipgram")
    # an outside word among the arguments: w_{t+j}, o, u_o
    word = None
    for a in node.args:
        if isinstance(a, N.Sym) and a.name in ("w", "omega") and (a.sub is not None or a.name in env.bound):
            word = _word_of(a, env, a.pos) if a.sub is not None else _word_of(a, env, a.pos)
        elif isinstance(a, N.Sym) and a.name == "o" and a.sub is None:
            word = sc.o
        elif isinstance(a, N.Sym) and a.name in ("u",) and a.sub is not None:
            word = _word_of(a.sub, env, a.pos)
    if word is None:
        word = sc.o
    if kind == "skipgram" and any(
        isinstance(a, N.Sym) and a.name in ("w", "omega") and a.sub is not None for a in node.args
    ):
        kind = sc.pair_loss
    if kind == "skipgram":
        return true_loss(sc, kind)
    return true_loss(sc, kind if kind != "skipgram" else sc.pair_loss, word)


def param_ref(var: N.Sym, env: _Env):
    """(getter, setter, shape-name) of the parameter a derivative is taken with respect to."""
    sc = env.scene
    if isinstance(var, N.Sym) and var.sub is None and var.name == "x":
        return ("x", None)
    if isinstance(var, N.Sym) and var.sub is None and var.name == "U":
        return ("U", None)
    if isinstance(var, N.Sym) and var.sub is None and var.name == "V":
        return ("Vc", None)
    if isinstance(var, N.Sym) and var.name in ("u", "v") and var.sub is not None:
        w = _word_of(var.sub, env, var.pos)
        is_c = isinstance(var.sub, N.Sym) and var.sub.name == "c" and var.sub.sub is None
        if var.name == "u" or (env.reading.v_outside and not is_c):
            if _is_draw(var.sub, env) and sc.draw_U is not None:
                return ("draw", env.bound[var.sub.name][1])
            return ("Ucol", w)
        return ("Vcol", w)
    raise EvalError(
        "A derivative with respect to something that is not a parameter (x, v_c, u_w, U).",
        getattr(var, "pos", -1),
        "symbol",
    )


def _get(sc, ref):
    kind, w = ref
    if kind == "x":
        return np.array([[sc.x]])
    if kind == "U":
        return sc.U.copy()
    if kind == "Vc":
        return sc.Vc.copy()
    if kind == "Ucol":
        return sc.U[:, [w]].copy()
    if kind == "draw":
        return sc.draw_U[:, [w]].copy()
    return sc.Vc[:, [w]].copy()


def _set(sc, ref, val):
    kind, w = ref
    if kind == "x":
        sc.x = float(val[0, 0])
    elif kind == "U":
        sc.U = val
    elif kind == "Vc":
        sc.Vc = val
    elif kind == "Ucol":
        sc.U = sc.U.copy()
        sc.U[:, w] = val[:, 0]
    elif kind == "draw":
        sc.draw_U = sc.draw_U.copy()
        sc.draw_U[:, w] = val[:, 0]
    else:
        sc.Vc = sc.Vc.copy()
        sc.Vc[:, w] = val[:, 0]


def derivative(num, var, env: _Env, h: float = 1e-5):
    """Central differences of the scalar ``num`` with respect to the parameter ``var``."""
    ref = param_ref(var, env)
    if isinstance(num, N.Call) and ref[0] in ("Vcol", "Ucol", "U", "Vc"):
        grads = _call_grads(num, env)
        if grads is not None:  # a loss: its gradient from the core functions
            _, gc, gU = grads
            sc = env.scene
            if ref[0] == "Ucol":
                return gU[:, [ref[1]]].copy()
            if ref[0] == "U":
                return gU.copy()
            if ref[0] == "Vcol":
                return gc.reshape(-1, 1).copy() if ref[1] == sc.c else np.zeros((sc.d, 1))
            out = np.zeros_like(sc.Vc)
            out[:, sc.c] = gc
            return out
    x0 = _get(env.scene, ref)
    base = evaluate(num, env)
    if not _scalar(base):
        raise EvalError(
            "Only the derivative of a scalar (a loss, ŷ_o, σ(x)) is read here.", getattr(num, "pos", -1), "shape"
        )
    grad = np.zeros_like(x0)
    for idx in np.ndindex(*x0.shape):
        step = h * max(1.0, abs(x0[idx]))
        vals = []
        for s in (step, -step):
            sc2 = env.scene.copy()
            xp = x0.copy()
            xp[idx] += s
            _set(sc2, ref, xp)
            vals.append(float(evaluate(num, _Env(sc2, env.reading, env.loss, env.bound, env.used))[0, 0]))
        grad[idx] = (vals[0] - vals[1]) / (2 * step)
    return grad


def make_scenes(n: int = 3, seed: int = 0):
    """``n`` random scenes of different sizes (d ≥ 5, d ≠ |V|), negatives with a repeat, the first
    with its center word at the sentence's edge."""
    rng = np.random.default_rng(seed)
    sizes = [(7, 5), (9, 6), (11, 5), (8, 7), (10, 6)]
    scenes = []
    for i in range(n):
        V, d = sizes[i % len(sizes)]
        U = rng.normal(scale=0.8, size=(d, V))
        Vc = rng.normal(scale=0.8, size=(d, V))
        m = 2
        sentence = rng.permutation(V)[:6]
        sentence = np.concatenate([sentence, sentence[2:3]])  # a word that fills two window positions
        t = 0 if i == 0 else (len(sentence) - 1 if i == 2 else 3)
        c = int(sentence[t])
        others = [w for w in range(V) if w != c]
        o = int(others[(3 * i + 1) % len(others)])
        pool = [w for w in range(V) if w not in (o,)]
        k1, k2, k3, k4 = rng.choice(pool, size=4, replace=False)
        negs = np.array([k1, k2, k2, k3], dtype=np.int64)  # k2 drawn twice; K = 4 < d
        x = float(rng.uniform(-3, 3))
        scenes.append(Scene(Vc, U, c, o, negs, sentence.astype(np.int64), t, m, x))
    return scenes
