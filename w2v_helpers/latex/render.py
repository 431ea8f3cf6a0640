"""Write a parsed answer back as plain math with the question's symbols (the *reading*)."""

from __future__ import annotations

from . import nodes as N

__all__ = ["GREEK", "render"]

GREEK = {
    "omega": "ω",
    "alpha": "α",
    "beta": "β",
    "gamma": "γ",
    "delta": "δ",
    "epsilon": "ε",
    "varepsilon": "ε",
    "theta": "θ",
    "iota": "ι",
    "kappa": "κ",
    "lambda": "λ",
    "mu": "μ",
    "nu": "ν",
    "xi": "ξ",
    "pi": "π",
    "rho": "ρ",
    "tau": "τ",
    "upsilon": "υ",
    "phi": "φ",
    "varphi": "φ",
    "chi": "χ",
    "psi": "ψ",
    "Omega": "Ω",
    "Theta": "Θ",
    "Phi": "Φ",
    "Psi": "Ψ",
    "Lambda": "Λ",
    "ell": "ℓ",
    "partial": "∂",
    "nabla": "∇",
}
_OPS = {"=": "=", "!=": "≠", "in": "∈", "notin": "∉", "<": "<", "<=": "≤", ">": ">", ">=": "≥"}


def _sub(s, zero_is_o=True, v_outside=False):
    if s is None:
        return ""
    if isinstance(s, str):
        return "_{" + s + "}" if s else ""
    if isinstance(s, N.Num) and s.value == 0 and zero_is_o:
        return "_o"
    inner = render(s, zero_is_o=zero_is_o)
    return "_" + inner if len(inner) == 1 else "_{" + inner + "}"


def _atomic(node):
    return isinstance(node, (N.Sym, N.Num, N.Func, N.Call, N.Abs, N.Transpose)) or (isinstance(node, N.Pow))


def render(node, zero_is_o: bool = True, v_outside: bool = False) -> str:
    """Plain-math text of ``node``; with ``v_outside`` a v_w (w ≠ c) is shown as u_w."""
    r = lambda n: render(n, zero_is_o, v_outside)  # noqa: E731
    if node is None:
        return ""
    if isinstance(node, list):
        return " = ".join("…" if s is None else r(s) for s in node)
    if isinstance(node, N.Num):
        v = node.value
        return str(int(v)) if float(v).is_integer() else f"{v:g}"
    if isinstance(node, N.Sym):
        name = GREEK.get(node.name, node.name)
        if node.hat:
            name = "ŷ" if node.name == "y" else name + "\u0302"
        if v_outside and node.name == "v" and not (isinstance(node.sub, N.Sym) and node.sub.name == "c"):
            name = "u"
        return name + _sub(node.sub, zero_is_o)
    if isinstance(node, N.Abs):
        return "|V|"
    if isinstance(node, N.Transpose):
        inner = r(node.arg)
        return (inner if _atomic(node.arg) and not isinstance(node.arg, N.Transpose) else f"({inner})") + "ᵀ"
    if isinstance(node, N.Pow):
        b = r(node.base)
        if not isinstance(node.base, (N.Sym, N.Num)):
            b = f"({b})" if not isinstance(node.base, N.Func) else b
        e = r(node.exp)
        return f"{b}^{e}" if len(e) == 1 else f"{b}^({e})"
    if isinstance(node, N.Add):
        out = ""
        for i, (sign, term) in enumerate(node.terms):
            t = r(term)
            if isinstance(term, N.Add):
                t = f"({t})"
            if i == 0:
                out = ("−" if sign < 0 else "") + t
            else:
                out += (" − " if sign < 0 else " + ") + t
        return out
    if isinstance(node, N.Mul):
        parts = []
        for f in node.factors:
            t = r(f)
            if isinstance(f, N.Add) and (len(f.terms) > 1 or f.terms[0][0] < 0):
                t = f"({t})"
            parts.append(t)
        return (" · " if node.explicit else " ").join(parts)
    if isinstance(node, N.Div):
        a, b = r(node.num), r(node.den)
        if not _atomic(node.num):
            a = f"({a})"
        if not _atomic(node.den):
            b = f"({b})"
        return f"{a}/{b}"
    if isinstance(node, N.Func):
        name = {"sigma": "σ", "dsigma": "σ′", "exp": "exp", "log": "log", "softmax": "softmax"}[node.name]
        return f"{name}({r(node.arg)})"
    if isinstance(node, N.Call):
        sub = _sub(node.sub, zero_is_o)
        args = "(" + ", ".join(r(a) for a in node.args) + ")" if node.args else ""
        return GREEK.get(node.name, node.name) + sub + args
    if isinstance(node, N.Deriv):
        d = "∂" if node.partial else "d"
        var = r(node.var)
        if node.num is None:
            return f"{d}/{d}{var}"
        num = r(node.num)
        if isinstance(node.num, (N.Sym, N.Call, N.Func)) and len(num) <= 24:
            return f"{d}{num}/{d}{var}"
        return f"{d}/{d}{var} ({num})"
    if isinstance(node, N.DerivOp):
        d = "∂" if node.partial else "d"
        return f"{d}/{d}{r(node.var)}"
    if isinstance(node, N.Sum):
        idx = GREEK.get(node.index, node.index)
        if node.range is not None:
            lo, op1, op2, hi = node.range
            spec = f"{r(lo)}{_OPS[op1]}{idx}{_OPS[op2]}{r(hi)}"
        elif node.over is not None:
            spec = f"{idx}∈{r(node.over) if not isinstance(node.over, N.Sym) else GREEK.get(node.over.name, node.over.name)}"
        elif node.lower is not None:
            spec = f"{idx}={r(node.lower)}"
        else:
            spec = idx
        for cn in node.conds:
            spec += ", " + render_cond(cn, zero_is_o and node.index not in ("j", "i", "k"))
        up = (
            ""
            if node.upper is None
            else "^" + (r(node.upper) if len(r(node.upper)) == 1 else "{" + r(node.upper) + "}")
        )
        body = r(node.body)
        if isinstance(node.body, N.Add):
            body = f"({body})"
        sub = "_" + spec if len(spec) == 1 else "_{" + spec + "}"
        return f"Σ{sub}{up} {body}"
    if isinstance(node, N.Cases):
        rows = [
            f"{r(v)} if {render_cond(c, zero_is_o)}" if c.op != "otherwise" else f"{r(v)} otherwise"
            for v, c in node.rows
        ]
        return "{ " + "; ".join(rows) + " }"
    if isinstance(node, N.Cond):
        return render_cond(node, zero_is_o)
    if isinstance(node, N.SetOf):
        return "{" + ", ".join(r(i) for i in node.items) + "}"
    if isinstance(node, N.Dots):
        return "…"
    if isinstance(node, N.Tuple):
        return "(" + ", ".join(r(i) for i in node.items) + ")"
    return "?"


def render_cond(c: N.Cond, zero_is_o: bool = True) -> str:
    if c.op == "otherwise":
        return "otherwise"
    if c.op == "text":
        return str(c.right) if c.right is not None else render(c.left, zero_is_o)
    if c.op == "chain":
        return " ".join(
            _OPS.get(x, None) or render(x, zero_is_o) if isinstance(x, str) else render(x, zero_is_o) for x in c.right
        )
    right = c.right
    if isinstance(right, N.Num) and right.value == 0 and zero_is_o:
        rtxt = "o"
    else:
        rtxt = render(right, zero_is_o)
    return f"{render(c.left, zero_is_o)} {_OPS.get(c.op, c.op)} {rtxt}"
