r"""Parse the LaTeX of a hand-written answer into :mod:`~w2v_helpers.latex.nodes`.

Two steps: :func:`clean` blanks out layout (``\left``, ``\quad``, ``\text{...}``
annotations, ``\boxed{}``'s wrapper, equation tags) *with spaces*, so every
position in the cleaned text is a position in what the student typed; then a lark
LALR(1) grammar (:mod:`.grammar`) parses it and :class:`_ToNodes` builds the nodes.
Errors are :class:`LatexError` with the position, the text there and what was expected.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedToken, VisitError

from . import nodes as N
from .grammar import GRAMMAR as _GRAMMAR

__all__ = ["LatexError", "Cleaned", "clean", "parse", "parse_condition", "KNOWN_COMMANDS"]


class LatexError(ValueError):
    """The LaTeX could not be read: ``pos`` (0-based offset), ``snippet`` (the text there), ``expected``."""

    def __init__(self, message: str, pos: int = -1, snippet: str = "", expected: str = ""):
        super().__init__(message)
        self.message, self.pos, self.snippet, self.expected = message, pos, snippet, expected


# commands dropped with no trace (layout, spacing, sizing)
_DROP = {
    "left",
    "right",
    "bigl",
    "bigr",
    "Bigl",
    "Bigr",
    "biggl",
    "biggr",
    "big",
    "Big",
    "bigg",
    "Bigg",
    "quad",
    "qquad",
    "displaystyle",
    "textstyle",
    "limits",
    "nolimits",
    "therefore",
    "because",
    "hfill",
    "nonumber",
    "notag",
    "middle",
    "Rightarrow",
    "implies",
    "rightarrow",
    "to",
    "Longrightarrow",
    ",",
    ";",
    ":",
    "!",
    " ",
    ">",
}
# commands dropped with their braced argument
_DROP_ARG = {"tag", "label", "vphantom", "phantom", "hphantom", "hspace", "vspace", "textbf", "intertext"}
# commands whose braced argument is kept: a font or a box around a symbol
_UNWRAP = {
    "boxed",
    "mathbf",
    "boldsymbol",
    "bm",
    "vec",
    "mathit",
    "mathcal",
    "mathbb",
    "mathsf",
    "underline",
    "pmb",
    "mathbfit",
    "bf",
}
_TEXTLIKE = {"text", "textrm", "mbox", "mathrm", "textit", "operatorname"}
_GRAMMAR_COMMANDS = {
    "cdot",
    "times",
    "ast",
    "prime",
    "top",
    "intercal",
    "leq",
    "le",
    "leqslant",
    "lt",
    "neq",
    "ne",
    "geq",
    "ge",
    "geqslant",
    "gt",
    "in",
    "notin",
    "hat",
    "widehat",
    "frac",
    "dfrac",
    "tfrac",
    "sigma",
    "exp",
    "log",
    "ln",
    "softmax",
    "sum",
    "partial",
    "nabla",
    "dots",
    "ldots",
    "cdots",
    "begin",
    "end",
    "ell",
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "varepsilon",
    "theta",
    "iota",
    "kappa",
    "lambda",
    "mu",
    "nu",
    "xi",
    "pi",
    "rho",
    "tau",
    "upsilon",
    "phi",
    "varphi",
    "chi",
    "psi",
    "omega",
    "Omega",
    "Theta",
    "Phi",
    "Psi",
    "Lambda",
    "substack",
}
KNOWN_COMMANDS = sorted(_GRAMMAR_COMMANDS | _DROP | _DROP_ARG | _UNWRAP | _TEXTLIKE - {",", ";", ":", "!", " ", ">"})
_ENVS_KEPT = {"cases", "dcases"}
_ENVS_DROPPED_WHOLE = {"array"}
_ENVS_WRAPPERS = {"aligned", "align", "align*", "equation", "equation*", "gathered", "split", "eqnarray"}
_COND_WORDS = ("if", "for", "when", "otherwise", "where", "else")


@dataclass
class Cleaned:
    """The text with layout blanked out (same length as the input), plus what was found on the way."""

    text: str
    condition_at: int = -1  # where a trailing "\text{if ...}" condition starts, or -1
    labels: list = field(default_factory=list)  # equation tags: "(1)", \tag{2}
    notes: list = field(default_factory=list)  # what was ignored, for the reading


def _brace_end(s: str, i: int) -> int:
    """Index just past the group that opens at s[i] == '{' (or past one token if not a brace)."""
    if i >= len(s):
        return i
    if s[i] != "{":
        if s[i] == "\\":
            m = re.match(r"\\[a-zA-Z]+|\\.", s[i:])
            return i + (m.end() if m else 1)
        return i + 1
    depth = 0
    for k in range(i, len(s)):
        if s[k] == "\\":
            continue
        if s[k] == "{" and (k == 0 or s[k - 1] != "\\"):
            depth += 1
        elif s[k] == "}" and (k == 0 or s[k - 1] != "\\"):
            depth -= 1
            if depth == 0:
                return k + 1
    raise LatexError(
        f"Unbalanced braces: the '{{' at position {i + 1} is never closed.", i, s[i : i + 20], "a matching '}'"
    )


def _skip_ws(s: str, i: int) -> int:
    while i < len(s) and s[i].isspace():
        i += 1
    return i


_TAG_RE = re.compile(r"\(\s*([0-9]+[a-z]?|[ivx]+|[a-z])\s*\)")


def clean(s: str) -> Cleaned:
    """Blank the layout out of ``s`` (keeping every other character where it is)."""
    out = list(s)
    res = Cleaned("")
    i, n = 0, len(s)
    cases_depth = 0

    def blank(a, b):
        for k in range(a, min(b, n)):
            if out[k] != "\n":
                out[k] = " "

    while i < n:
        ch = s[i]
        if ch == "%" and (i == 0 or s[i - 1] != "\\"):  # a LaTeX comment
            j = s.find("\n", i)
            j = n if j < 0 else j
            blank(i, j)
            i = j
            continue
        if ch in "−–":
            out[i] = "-"
        elif ch in "·":
            out[i] = "*"
        elif ch == "~":
            out[i] = " "
        elif ch == "$":
            out[i] = " "
        if ch == "&" and cases_depth == 0:
            out[i] = " "
        if ch != "\\":
            i += 1
            continue
        m = re.match(r"\\([a-zA-Z]+\*?|.)", s[i:])
        if not m:
            blank(i, i + 1)
            i += 1
            continue
        name, j = m.group(1), i + m.end()
        if name in ("begin", "end"):
            k = _skip_ws(s, j)
            env_end = _brace_end(s, k) if k < n and s[k] == "{" else k
            env = s[k + 1 : env_end - 1] if env_end > k else ""
            if env in _ENVS_KEPT:
                cases_depth += 1 if name == "begin" else -1
                i = env_end
                continue
            if env in _ENVS_DROPPED_WHOLE and name == "begin":
                stop = s.find("\\end{" + env + "}", env_end)
                stop = n if stop < 0 else stop + len("\\end{" + env + "}")
                blank(i, stop)
                res.notes.append(f"an {env} annotation")
                i = stop
                continue
            if env in _ENVS_WRAPPERS or env.rstrip("*") in _ENVS_WRAPPERS:
                blank(i, env_end)
                i = env_end
                continue
            raise LatexError(
                f"Unknown environment '{env}' at position {i + 1}.",
                i,
                s[i:env_end],
                "cases (for a piecewise answer) or aligned",
            )
        if name == "\\":
            if cases_depth == 0 and out[i] != ",":
                blank(i, j)
            i = j
            continue
        if name in ("{", "}"):
            i = j
            continue
        if name in ("left", "right"):
            k = _skip_ws(s, j)
            blank(i, j)
            if k < n and s[k] == ".":
                blank(k, k + 1)
                j = k + 1
            elif s.startswith("\\{", k) or s.startswith("\\}", k) or s.startswith("\\|", k):
                blank(k, k + 2)
                j = k + 2
            elif k < n and s[k] == "|":
                blank(k, k + 1)
                j = k + 1
            i = j
            continue
        if name in _DROP:
            blank(i, j)
            i = j
            continue
        if name in _DROP_ARG:
            k = _skip_ws(s, j)
            e = _brace_end(s, k)
            if name == "tag":
                res.labels.append("(" + s[k + 1 : e - 1].strip() + ")")
            blank(i, e)
            i = e
            continue
        if name == "substack":
            k = _skip_ws(s, j)
            e = _brace_end(s, k)
            blank(i, k + 1)
            blank(e - 1, e)
            inner = s.find("\\\\", k, e)
            while inner >= 0:
                out[inner], out[inner + 1] = ",", " "
                inner = s.find("\\\\", inner + 2, e)
            i = k + 1
            continue
        if name in _UNWRAP:
            k = _skip_ws(s, j)
            if k < n and s[k] == "{":
                e = _brace_end(s, k)
                blank(i, k + 1)
                blank(e - 1, e)
                if name == "boxed":
                    res.notes.append("the box")
                i = k + 1
            else:
                blank(i, j)
                i = j
            continue
        if name in _TEXTLIKE:
            k = _skip_ws(s, j)
            e = _brace_end(s, k)
            content = s[k + 1 : e - 1].strip() if k < n and s[k] == "{" else ""
            prev = s[:i].rstrip()
            if prev.endswith("\\in") and cases_depth == 0:
                out[i] = "V"  # w \in \text{Vocab}: the vocabulary
                for q in range(i + 1, e):
                    out[q] = " "
                i = e
                continue
            if content.replace(" ", "") in ("softmax", "Softmax"):
                rep = "\\softmax"
                for q, c in enumerate(rep.ljust(e - i)):
                    out[i + q] = c
            elif name in ("mathrm", "operatorname") and re.fullmatch(r"[a-zA-Z]", content):
                blank(i, k + 1)
                blank(e - 1, e)
                i = k + 1
                continue
            elif prev.endswith(("_", "_{")) or cases_depth > 0:
                for q in range(i, e):
                    out[q] = s[q]
                if name == "operatorname":
                    out[i + 1 : i + len("operatorname") + 1] = list("mathrm".ljust(len("operatorname")))
            else:
                tag = _TAG_RE.search(content)
                if tag and not content.lower().startswith(_COND_WORDS):
                    res.labels.append("(" + tag.group(1) + ")")
                elif content.lower().startswith(_COND_WORDS) and res.condition_at < 0:
                    res.condition_at = i
                elif content:
                    res.notes.append(f"the text '{content}'")
                blank(i, e)
            i = e
            continue
        i = j
        if name not in KNOWN_COMMANDS and name not in ("{", "}", "|", "\\"):
            raise LatexError(
                f"Unknown command '\\{name}' at position {i - len(name)}: it is not a symbol or "
                f"operation these answers use.",
                i - len(name) - 1,
                "\\" + name,
                "one of " + ", ".join("\\" + c for c in _SHOWN_COMMANDS),
            )
    text = "".join(out)
    # equation numbers written by hand, "--- (1)" or "(2)" at the end of the line
    tail = re.search(r"(-{1,3}|—)?\s*\(\s*([0-9]+)\s*\)\s*$", text)
    if (
        tail
        and (tail.group(1) or text[: tail.start()].rstrip().endswith(("\\quad", " ")))
        and re.search(r"=", text[: tail.start()])
    ):
        if tail.group(1):
            res.labels.append("(" + tail.group(2) + ")")
            text = text[: tail.start()] + " " * (len(text) - tail.start())
    # trailing punctuation ends a sentence, it is not math
    stripped = text.rstrip()
    while stripped and stripped[-1] in ".,;:":
        text = stripped[:-1] + " " * (len(text) - len(stripped) + 1)
        stripped = text.rstrip()
    res.text = text
    return res


_SHOWN_COMMANDS = [
    "frac",
    "partial",
    "sigma",
    "exp",
    "log",
    "sum",
    "hat",
    "top",
    "cdot",
    "times",
    "in",
    "le",
    "ne",
    "mathbf",
    "boldsymbol",
    "vec",
    "text",
    "begin{cases}",
    "omega",
]


_TOKEN_WORDS = {
    "EQ": "'='",
    "PLUS": "'+'",
    "MINUS": "'-'",
    "TIMES": "\\cdot",
    "SLASH": "'/'",
    "PRIME": "a prime",
    "TOP": "\\top",
    "LETTER": "a symbol (u, v, y, ...)",
    "NUMBER": "a number",
    "HAT": "\\hat",
    "FRAC": "\\frac",
    "FUNC": "\\sigma, \\exp or \\log",
    "SUM": "\\sum",
    "LPAR": "'('",
    "RPAR": "')'",
    "LBRACE": "'{'",
    "RBRACE": "'}'",
    "LSQB": "'['",
    "RSQB": "']'",
    "CIRCUMFLEX": "'^'",
    "_": "'_'",
    "UNDERSCORE": "'_'",
    "COMMA": "','",
    "GREEK": "a Greek letter",
    "LOSSNAME": "J",
    "CARD": "|V|",
    "PARTIAL": "\\partial",
    "AMP": "'&'",
    "TEXT": "\\text{...}",
    "ROWSEP": "\\\\",
    "END_CASES": "\\end{cases}",
    "BEGIN_CASES": "\\begin{cases}",
    "DOTS": "\\dots",
    "LSET": "\\{",
    "RSET": "\\}",
    "NABLA": "\\nabla",
    "LE": "\\le",
    "LT": "'<'",
    "NE": "\\ne",
    "IN": "\\in",
    "GE": "\\ge",
    "GT": "'>'",
    "NOTIN": "\\notin",
    "$END": "the end",
}


@functools.lru_cache(maxsize=1)
def _parser() -> Lark:
    return Lark(
        _GRAMMAR, parser="lalr", start=["start", "condition_start"], propagate_positions=True, maybe_placeholders=False
    )


def _pos(meta) -> int:
    return getattr(meta, "start_pos", -1) if not getattr(meta, "empty", False) else -1


def _flatten_mul(node):
    if isinstance(node, N.Mul):
        out = []
        for f in node.factors:
            out.extend(_flatten_mul(f))
        return out
    return [node]


def _apply_ops(factors, pos, explicit=False):
    """Apply derivative operators (\\frac{d}{dx}, \\nabla) in a product to what follows them."""
    for i, f in enumerate(factors):
        if isinstance(f, N.DerivOp):
            rest = factors[i + 1 :]
            if not rest or all(isinstance(r, N.DerivOp) for r in rest):
                break  # nothing to apply it to yet
            operand = _apply_ops(list(rest), pos, explicit)
            d = N.Deriv(operand, f.var, f.partial, f.pos)
            head = factors[:i]
            return d if not head else N.Mul(tuple(head) + (d,), explicit, pos)
        if isinstance(f, N.Sym) and f.name == "nabla" and i + 1 < len(factors):
            rest = factors[i + 1 :]
            operand = rest[0] if len(rest) == 1 else N.Mul(tuple(rest), explicit, pos)
            var = f.sub if isinstance(f.sub, N.Node) else _guess_var(operand)
            d = N.Deriv(operand, var, True, f.pos)
            head = factors[:i]
            return d if not head else N.Mul(tuple(head) + (d,), explicit, pos)
    return factors[0] if len(factors) == 1 else N.Mul(tuple(factors), explicit, pos)


def _guess_var(node):
    if isinstance(node, N.Func) and isinstance(node.arg, N.Sym):
        return node.arg
    return N.Sym("x")


def _derivative_parts(node):
    """(is_derivative, partial?, rest) for a numerator/denominator like ∂J, d, ∂ v_c, dx."""
    fs = _flatten_mul(node)
    if not fs:
        return None
    first = fs[0]
    if isinstance(first, N.Sym) and first.name in ("partial", "d") and first.sub is None and not first.hat:
        rest = fs[1:]
        return first.name == "partial", (rest[0] if len(rest) == 1 else (N.Mul(tuple(rest)) if rest else None))
    if isinstance(first, N.Pow) and isinstance(first.base, N.Sym) and first.base.name in ("partial", "d"):
        return None  # higher derivatives are not read
    return None


@v_args(meta=True)
class _ToNodes(Transformer):
    def chain(self, meta, items):
        out = [it for it in items if not isinstance(it, Token)]
        if items and isinstance(items[0], Token):
            out.insert(0, None)  # a line that starts with '=' continues the previous one
        return out

    def add(self, meta, items):
        a, _, b = items
        terms = a.terms if isinstance(a, N.Add) else ((1, a),)
        return N.Add(terms + ((1, b),), _pos(meta))

    def sub(self, meta, items):
        a, _, b = items
        terms = a.terms if isinstance(a, N.Add) else ((1, a),)
        return N.Add(terms + ((-1, b),), _pos(meta))

    def neg(self, meta, items):
        return N.Add(((-1, items[1]),), _pos(meta))

    def pos(self, meta, items):
        return items[1]

    def imul(self, meta, items):
        return _apply_ops(_flatten_mul(items[0]) + _flatten_mul(items[1]), _pos(meta))

    def xmul(self, meta, items):
        return _apply_ops(_flatten_mul(items[0]) + _flatten_mul(items[2]), _pos(meta), explicit=True)

    def div(self, meta, items):
        return N.Div(items[0], items[2], _pos(meta))

    def scripted(self, meta, items):
        node = items[0]
        for kind, arg in items[1:]:
            node = _apply_script(node, kind, arg, _pos(meta))
        return node

    scripted_simple = scripted

    def subscript(self, meta, items):
        return ("sub", items[0])

    def superscript(self, meta, items):
        return ("sup", items[0])

    def prime(self, meta, items):
        return ("prime", None)

    def sub_letter(self, meta, items):
        return N.Sym(str(items[0]), pos=items[0].start_pos)

    def sup_letter(self, meta, items):
        return N.Sym(str(items[0]), pos=items[0].start_pos)

    def sub_number(self, meta, items):
        return N.Num(float(items[0]), items[0].start_pos)

    sup_number = sub_number

    def sub_text(self, meta, items):
        t = str(items[0])
        return t[t.index("{") + 1 : -1].strip()

    def sub_empty(self, meta, items):
        return ""

    def sup_top(self, meta, items):
        return "T"

    def sup_prime(self, meta, items):
        return "'"

    def letter(self, meta, items):
        return N.Sym(str(items[0]), pos=items[0].start_pos)

    def greek(self, meta, items):
        return N.Sym(str(items[0])[1:], pos=items[0].start_pos)

    def number(self, meta, items):
        return N.Num(float(items[0]), items[0].start_pos)

    def hat(self, meta, items):
        return N.Sym(str(items[1]), hat=True, pos=items[0].start_pos)

    def group(self, meta, items):
        return items[0]

    def card(self, meta, items):
        return N.Abs(N.Sym("V"), items[0].start_pos)

    def partial(self, meta, items):
        return N.Sym("partial", pos=items[0].start_pos)

    def nabla(self, meta, items):
        return N.Sym("nabla", pos=items[0].start_pos)

    def dots(self, meta, items):
        return N.Dots(items[0].start_pos)

    def set_of(self, meta, items):
        return N.SetOf(tuple(items[1]), _pos(meta))

    def items(self, meta, items):
        return list(items)

    def frac(self, meta, items):
        num, den = items[1], items[2]
        p = _pos(meta)
        d_num, d_den = _derivative_parts(num), _derivative_parts(den)
        if d_den is not None and d_num is not None:
            partial, var = d_den
            if var is None:
                raise LatexError("A derivative's denominator names no variable.", p, "", "e.g. \\partial v_c")
            if d_num[1] is None:
                return N.DerivOp(var, partial, p)
            return N.Deriv(d_num[1], var, partial, p)
        return N.Div(num, den, p)

    def func_paren(self, meta, items):
        return self._func(meta, items)

    def func_bare(self, meta, items):
        return self._func(meta, items)

    def func_noarg(self, meta, items):
        # σ written without its argument (dσ/dx = σ(1 − σ)): σ of x
        return self._func(meta, list(items) + [N.Sym("x", pos=-2)])

    def _func(self, meta, items):
        tok = items[0]
        name = str(tok)[1:]
        primes = sum(1 for it in items[1:-1] if it == ("prime", None))
        arg = items[-1]
        name = {"ln": "log"}.get(name, name)
        if name == "sigma" and not primes and _has_bare_sigma(arg):
            # σ(1 − σ) with a bare σ inside: a product σ · (1 − σ), not σ applied to (1 − σ)
            return N.Mul((N.Func("sigma", N.Sym("x", pos=-2), tok.start_pos), arg), False, tok.start_pos)
        if primes:
            if name != "sigma" or primes > 1:
                raise LatexError(
                    f"Only the first derivative σ'(·) is read, not \\{name} with {primes} primes.",
                    tok.start_pos,
                    str(tok),
                    "\\sigma'(x)",
                )
            name = "dsigma"
        return N.Func(name, arg, tok.start_pos)

    def call(self, meta, items):
        tok = items[0]
        sub = items[1] if len(items) == 3 else None
        return N.Call(str(tok).lstrip("\\"), sub, tuple(items[-1]), tok.start_pos)

    def loss_symbol(self, meta, items):
        tok = items[0]
        sub = items[1] if len(items) == 2 else None
        return N.Call(str(tok).lstrip("\\"), sub, (), tok.start_pos)

    def callsub(self, meta, items):
        return items[0]

    def sum_op(self, meta, items):
        tok = items[0]
        scripts = items[1:-1]
        body = items[-1]
        index, lower, upper, over, rng, conds = None, None, None, None, None, []
        for kind, val in scripts:
            if kind == "upper":
                upper = val
                continue
            rels = val if isinstance(val, list) else [("rel", [val])]
            for _, chain in rels:
                index, lower, over, rng, conds = _read_sum_rel(chain, index, lower, over, rng, conds, tok)
        if index is None:
            index = "i"  # \sum with no index written: read over the words
        return N.Sum(index, body, lower, upper, over, rng, tuple(conds), tok.start_pos)

    def sum_lower(self, meta, items):
        return ("lower", items[0])

    def sum_upper(self, meta, items):
        v = items[0]
        return ("upper", v)

    def relitems(self, meta, items):
        return list(items)

    def rel(self, meta, items):
        return ("rel", list(items))

    def relop(self, meta, items):
        t = items[0]
        return {"EQ": "=", "LE": "<=", "LT": "<", "NE": "!=", "GE": ">=", "GT": ">", "IN": "in", "NOTIN": "notin"}[
            t.type
        ]

    def cases(self, meta, items):
        rows = tuple(it for it in items if isinstance(it, tuple))
        return N.Cases(rows, _pos(meta))

    def case_row(self, meta, items):
        return (items[0], items[2])

    def texts(self, meta, items):
        return ("texts", list(items))

    def cond(self, meta, items):
        flat = []
        for it in items:
            flat.extend(it[1] if isinstance(it, tuple) and it and it[0] == "texts" else [it])
        items = flat
        texts = [str(t) for t in items if isinstance(t, Token)]
        rel = [it for it in items if not isinstance(it, Token)]
        words = " ".join(t[t.index("{") + 1 : -1] for t in texts).strip().lower()
        if not rel:
            if "otherwise" in words or "else" in words or words.startswith("for all") or not words:
                return N.Cond("otherwise", pos=_pos(meta))
            return N.Cond("text", None, words, _pos(meta))
        return _rel_to_cond(rel[0][1], _pos(meta))


def _has_bare_sigma(node) -> bool:
    if isinstance(node, N.Func) and node.name == "sigma" and isinstance(node.arg, N.Sym) and node.arg.pos == -2:
        return True
    if isinstance(node, N.Node):
        for f in node.__dataclass_fields__:
            v = getattr(node, f)
            items = v if isinstance(v, tuple) else (v,)
            for it in items:
                if isinstance(it, tuple):
                    if any(_has_bare_sigma(x) for x in it):
                        return True
                elif _has_bare_sigma(it):
                    return True
    return False


def _rel_to_cond(chain, pos):
    if len(chain) == 1:
        return N.Cond("text", chain[0], None, pos)
    if len(chain) == 3:
        return N.Cond(chain[1], chain[0], chain[2], pos)
    # a chain a op b op c
    return N.Cond("chain", None, tuple(chain), pos)


def _index_name(node):
    if isinstance(node, N.Sym) and node.sub is None and not node.hat:
        return node.name
    return None


def _read_sum_rel(chain, index, lower, over, rng, conds, tok):
    if len(chain) == 1:
        name = _index_name(chain[0])
        if name is None:
            raise LatexError(
                "A sum's subscript must name its index (\\sum_w, \\sum_{w=1}^{W}, \\sum_{w \\in V}).",
                tok.start_pos,
                str(tok),
                "an index letter",
            )
        return (index or name), lower, over, rng, conds
    if len(chain) == 3:
        a, op, b = chain
        an, bn = _index_name(a), _index_name(b)
        if op == "=" and an and index in (None, an):
            return an, b, over, rng, conds
        if op == "in" and an:
            return an, lower, b, rng, conds
        if op in ("!=", "notin") and an:
            conds.append(N.Cond(op, a, b))
            return (index or an), lower, over, rng, conds
        if op in ("<", "<=") and bn and index is None:  # 1 <= w
            return bn, (a if op == "<=" else N.Add(((1, a), (1, N.Num(1.0))))), over, rng, conds
        if op in ("<", "<=", ">", ">=") and an:
            conds.append(N.Cond(op, a, b))
            return (index or an), lower, over, rng, conds
    if len(chain) == 5 and chain[1] in ("<", "<=") and chain[3] in ("<", "<="):
        lo, op1, mid, op2, hi = chain
        name = _index_name(mid)
        if name:
            return name, lower, over, (lo, op1, op2, hi), conds
    raise LatexError(
        "A sum's subscript could not be read as an index range.",
        tok.start_pos,
        str(tok),
        "w=1 (with ^{W}), w \\in V, k=1 (with ^{K}), or -m \\le j \\le m, j \\ne 0",
    )


def _apply_script(node, kind, arg, pos):
    if kind == "prime":
        if isinstance(node, N.Call):
            return N.Call(node.name + "'", node.sub, node.args, node.pos)
        raise LatexError("A prime (') is only read on \\sigma (σ'(x)).", pos, "'", "\\sigma'(x)")
    if kind == "sub":
        if isinstance(node, N.Sym) and node.sub is None and node.name != "partial":
            return N.Sym(node.name, arg, node.hat, node.pos)
        if isinstance(node, N.Call) and node.sub is None and not node.args:
            return N.Call(node.name, arg, (), node.pos)
        raise LatexError("A subscript is only read on a symbol (u_o, v_c, \\hat y_w).", pos, "_", "a symbol before '_'")
    # superscript
    if arg == "T" or (isinstance(arg, N.Sym) and arg.name == "T" and arg.sub is None):
        return N.Transpose(node, pos)
    if arg == "'":
        raise LatexError("A prime (') is only read on \\sigma (σ'(x)).", pos, "'", "\\sigma'(x)")
    if isinstance(arg, str):
        raise LatexError("This superscript could not be read.", pos, "^", "^T, ^\\top, ^2 or ^{...}")
    return N.Pow(node, arg, pos)


def _expected_words(expected) -> str:
    words = []
    for e in sorted(expected or ()):
        w = _TOKEN_WORDS.get(e, e.lower() if not e.startswith("__") else None)
        if w and w not in words:
            words.append(w)
    return ", ".join(words[:12]) if words else "a symbol or an operation"


def _snippet(text: str, pos: int, width: int = 12) -> str:
    pos = max(0, min(pos, len(text)))
    return text[pos : pos + width].split("\n")[0].rstrip() or "(the end)"


def _raise_lark(exc: Exception, original: str, text: str):
    if isinstance(exc, VisitError) and isinstance(exc.orig_exc, LatexError):
        raise exc.orig_exc
    if isinstance(exc, UnexpectedEOF) or (isinstance(exc, UnexpectedToken) and exc.token.type == "$END"):
        exp = _expected_words(getattr(exc, "expected", None))
        raise LatexError(
            f"The answer ends too early: after '{original.strip()[-15:]}' it expected {exp}.",
            len(original.rstrip()),
            "(the end)",
            exp,
        )
    if isinstance(exc, UnexpectedToken):
        pos = exc.token.start_pos
        exp = _expected_words(exc.expected)
        snip = _snippet(original, pos)
        raise LatexError(
            f"Could not read '{snip}' at position {pos + 1} (column {exc.column}): expected {exp}.", pos, snip, exp
        )
    if isinstance(exc, UnexpectedCharacters):
        pos = exc.pos_in_stream
        snip = _snippet(original, pos)
        exp = _expected_words(exc.allowed)
        raise LatexError(
            f"Could not read '{snip}' at position {pos + 1} (column {exc.column}): "
            f"the character '{original[pos]}' is not a symbol or command these answers use; "
            f"expected {exp}.",
            pos,
            snip,
            exp,
        )
    raise LatexError(f"Could not read the answer: {exc}", -1, "", "")


def _parse_text(text: str, original: str, start: str):
    if not text.strip():
        raise LatexError("The answer is empty.", 0, "", "a formula, e.g. \\frac{\\partial J}{\\partial v_c} = ...")
    try:
        return _ToNodes().transform(_parser().parse(text, start=start))
    except LarkError as exc:
        _raise_lark(exc, original, text)
    except RecursionError:
        raise LatexError(
            "The answer is too long or nested too deeply to read.", 0, original[:12], "fewer nested groups"
        ) from None


def parse(latex: str):
    """Parse one line of LaTeX into ``(sides, condition, cleaned)``.

    ``sides`` is the list of the ``=``-separated expressions; ``condition`` a
    :class:`~w2v_helpers.latex.nodes.Cond` written after ``\\text{if ...}`` (or None).
    Raises :class:`LatexError`.
    """
    if not isinstance(latex, str):
        raise ValueError(f"latex must be a string of LaTeX, got {type(latex).__name__}")
    cl = clean(latex)
    text, cond = cl.text, None
    if cl.condition_at >= 0:
        main, rest = text[: cl.condition_at], text[cl.condition_at :]
        text = main.rstrip().rstrip(",").ljust(len(main)) + " " * len(rest)
        cond = parse_condition(" " * cl.condition_at + rest, latex)
    sides = _parse_text(text, latex, "start")
    if not isinstance(sides, list):
        sides = [sides]
    return sides, cond, cl


def parse_condition(text: str, original: str | None = None):
    """Parse a condition such as ``w = o``, ``w \\ne 0``, ``w \\in \\{1, \\dots, K\\}``."""
    original = text if original is None else original
    if not text.strip():
        return N.Cond("otherwise")
    body = text.strip().rstrip(".,;")
    if not body:
        return N.Cond("otherwise")
    try:
        tree = _parser().parse(text.rstrip().rstrip(".,;"), start="condition_start")
        return _ToNodes().transform(tree)
    except LarkError as exc:
        _raise_lark(exc, original, text)
