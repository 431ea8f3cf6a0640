r"""Check a derivation line by line: is each line true, and does it follow from the one before?

Lines come from ``$$...$$`` blocks, ``\begin{aligned}`` rows (``\\``) or plain lines. A
line that starts with ``=`` continues the previous one. Numbered equations (``--- (1)``,
``\tag{2}``) may be substituted into each other: a line whose left-hand side is that of
(2) and whose right-hand side is (2) with (1) put in is checked against exactly that.
"""

from __future__ import annotations

import dataclasses
import html
import re
from dataclasses import dataclass, field

import numpy as np

from . import nodes as N
from .checker import QUESTION, V_OUTSIDE, AnswerResult, _check_parsed, _scenes, _unreadable, infer_loss
from .evaluate import EvalError, _Env, _NoCase, _Skip, evaluate
from .parser import LatexError, parse
from .render import render

__all__ = ["DerivationResult", "LineResult", "check_derivation", "split_lines"]


@dataclass
class LineResult:
    number: int
    latex: str
    label: str
    result: AnswerResult
    follows: bool | None  # equal to the previous line (None: nothing to compare)
    note: str = ""

    @property
    def passed(self):
        return self.result.passed


@dataclass
class DerivationResult:
    """Per line: the reading, whether the claim holds, whether it follows from the line before."""

    lines: list = field(default_factory=list)
    first_wrong: int | None = None
    summary: str = ""

    @property
    def readable(self) -> bool:
        return bool(self.lines) and all(ln.result.readable for ln in self.lines)

    @property
    def passed(self) -> bool:
        if not self.lines:
            return False
        return all(ln.result.passed for ln in self.lines if ln.result.readable) and all(
            ln.result.readable for ln in self.lines
        )

    @property
    def diagnosis(self) -> str:
        return self.summary

    def report(self) -> str:
        out = []
        for ln in self.lines:
            tag = f" {ln.label}" if ln.label else ""
            mark = "ok" if ln.result.passed else ("?" if not ln.result.readable or ln.result.conditional else "WRONG")
            out.append(f"  line {ln.number}{tag} [{mark}] {ln.result.reading or ln.latex.strip()}")
            if ln.result.diagnosis and not ln.result.passed:
                out.append("      " + ln.result.diagnosis)
            if ln.note:
                out.append("      " + ln.note)
        if self.summary:
            out.append("  " + self.summary)
        return "\n".join(out)

    def __repr__(self):
        return "check_derivation\n" + self.report()

    def _repr_html_(self):
        return "<pre>" + html.escape(self.report()) + "</pre>"


def split_lines(text: str) -> list:
    """The derivation's lines: ``$$...$$`` blocks, ``\\\\``-separated rows (outside cases), or lines."""
    blocks = re.findall(r"\$\$(.+?)\$\$", text, re.S) if "$$" in text else text.split("\n")
    lines = []
    for b in blocks:
        depth, start, i = 0, 0, 0
        while i < len(b):
            if b.startswith(("\\begin{cases}", "\\begin{dcases}", "\\begin{array}"), i):
                depth += 1
            elif b.startswith(("\\end{cases}", "\\end{dcases}", "\\end{array}"), i):
                depth -= 1
            elif b.startswith("\\\\", i) and depth == 0:
                lines.append(b[start:i])
                start = i + 2
                i += 2
                continue
            i += 1
        lines.append(b[start:])
    return [ln for ln in lines if ln.strip() and ln.strip() not in ("\\begin{aligned}", "\\end{aligned}")]


def _same(a, b, reading, loss):
    """Do two expressions agree on every scene? (True/False, or None when they cannot be compared)."""
    from .evaluate import reset_budget

    reset_budget()
    for sc in _scenes():
        verdict = _same_on(a, b, sc, reading, loss, {})
        if verdict is not True:
            return verdict
    return True


def _same_on(a, b, sc, reading, loss, bound, depth=0):
    """Compare on one scene; a free index (u_w, ŷ_w with w unbound) is bound to every word in turn."""
    try:
        va = evaluate(a, _Env(sc.copy(), reading, loss, dict(bound), set()))
        vb = evaluate(b, _Env(sc.copy(), reading, loss, dict(bound), set()))
    except EvalError as err:
        if err.kind != "unbound" or not err.name or err.name in bound or depth > 1:
            return None
        per, n = ("draw", sc.K) if err.name == "k" else ("word", sc.V)
        out = True
        for w in range(n):
            v = _same_on(a, b, sc, reading, loss, {**bound, err.name: (per, w)}, depth + 1)
            if v is None:
                return None
            out = out and v
        return out
    except (_NoCase, _Skip, ValueError):
        return None
    if va.shape != vb.shape:
        return False
    return bool(np.allclose(va, vb, rtol=1e-6, atol=1e-9))


def _substitute(node, old, new):
    """``node`` with every subtree equal to ``old`` replaced by ``new``."""
    if node == old:
        return new
    if isinstance(node, tuple):
        return tuple(_substitute(n, old, new) for n in node)
    if not isinstance(node, N.Node):
        return node
    changes = {}
    for f in dataclasses.fields(node):
        if f.name == "pos":
            continue
        val = getattr(node, f.name)
        nv = _substitute(val, old, new)
        if nv is not val:
            changes[f.name] = nv
    return dataclasses.replace(node, **changes) if changes else node


def _reindex(node, frm, to):
    """Rename the index ``frm`` (o, or 0 written for o) to ``to`` in subscripts."""
    if isinstance(node, tuple):
        return tuple(_reindex(n, frm, to) for n in node)
    if not isinstance(node, N.Node):
        return node
    if isinstance(node, N.Sym) and node.sub is not None:
        s = node.sub
        if (isinstance(s, N.Num) and s.value == 0) or (isinstance(s, N.Sym) and s.name == "o" and s.sub is None):
            return dataclasses.replace(node, sub=N.Sym(to))
    changes = {}
    for f in dataclasses.fields(node):
        if f.name == "pos":
            continue
        val = getattr(node, f.name)
        nv = _reindex(val, frm, to)
        if nv is not val:
            changes[f.name] = nv
    return dataclasses.replace(node, **changes) if changes else node


def _find_derivs(node):
    out = []
    if isinstance(node, tuple):
        for n in node:
            out += _find_derivs(n)
        return out
    if not isinstance(node, N.Node):
        return out
    if isinstance(node, N.Deriv):
        out.append(node)
    for f in dataclasses.fields(node):
        if f.name != "pos":
            out += _find_derivs(getattr(node, f.name))
    return out


def check_derivation(text, *, loss=None, notation=None) -> DerivationResult:
    r"""Check each line of a derivation, and whether each follows from the one before.

    Args:
        text: several lines of LaTeX (``$$...$$`` blocks, ``aligned`` rows, plain lines).
        loss, notation: as in :func:`~w2v_helpers.latex.check_answer`; the loss is inferred from all lines.

    Returns:
        :class:`DerivationResult` with ``lines`` (each with its :class:`AnswerResult` and ``follows``),
        ``first_wrong`` (the 1-based number of the first wrong line) and ``summary``.
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a string of LaTeX, got {type(text).__name__}")
    with np.errstate(all="ignore"):
        return _check_derivation(text, loss, notation)


def _check_derivation(text, loss, notation):
    raw = split_lines(text)
    parsed = []
    for s in raw:
        try:
            sides, cond, cl = parse(s)
            parsed.append((s, sides, cond, cl, None))
        except LatexError as err:
            parsed.append((s, None, None, None, err))
    all_sides = [sd for _, sides, _, _, _ in parsed if sides for sd in sides if sd is not None]
    given = loss
    line_loss = None
    res = DerivationResult()
    prev_lhs, prev_last, labelled, prev_cond = None, None, {}, None
    for k, (s, sides, cond, cl, err) in enumerate(parsed, start=1):
        label = cl.labels[0] if cl and cl.labels else ""
        if err is not None:
            res.lines.append(LineResult(k, s, label, _unreadable(s, err), None))
            continue
        cont = sides[0] is None
        full = ([prev_lhs] + sides[1:]) if cont and prev_lhs is not None else sides
        if given is None and not cont:
            line_loss = infer_loss([x for x in full if x is not None])[0]
        loss = given or line_loss
        try:
            r = (
                _check_parsed(s, full, cond, loss, notation, all_sides)
                if full[0] is not None and len(full) >= 2
                else _check_parsed(s, sides, cond, loss, notation, all_sides)
            )
        except (EvalError, LatexError, ValueError) as exc:
            r = AnswerResult(False, True, render(full), str(exc), kind="unevaluable", latex=s)
        follows, note = None, ""
        lhs = full[0]
        if (
            prev_last is not None and lhs is not None and lhs == prev_lhs and len(full) >= 2 and cond == prev_cond
        ):  # a line for other words (if w ≠ o) is not a next step
            reading = V_OUTSIDE if notation == "v_outside" else QUESTION
            follows = _same(prev_last, full[1], reading, loss)
            if follows is False:
                note = f"Line {k} is not equal to line {k - 1}: {render(full[1])} ≠ {render(prev_last)}."
        # a line that substitutes one numbered equation into another
        if lhs is not None and len(full) >= 2 and not label:
            for lab2, (lhs2, rhs2) in labelled.items():
                if lhs2 != lhs:
                    continue
                for lab1, (lhs1, rhs1) in labelled.items():
                    if lab1 == lab2 or not isinstance(lhs1, N.Deriv):
                        continue
                    for d in _find_derivs(rhs2):
                        if (
                            isinstance(d.num, N.Sym)
                            and isinstance(lhs1.num, N.Sym)
                            and d.num.name == lhs1.num.name
                            and d.num.hat == lhs1.num.hat
                            and d.var == lhs1.var
                            and isinstance(d.num.sub, N.Sym)
                        ):
                            idx = d.num.sub.name
                            sub_rhs = _substitute(
                                rhs2, d, N.Mul((_reindex(rhs1, "o", idx),)) if False else _reindex(rhs1, "o", idx)
                            )
                            verdicts = []
                            for reading in (QUESTION, V_OUTSIDE):
                                verdicts.append(_same(sub_rhs, full[1], reading, loss))
                            if verdicts[0] is False and verdicts[1] is False:
                                note = (
                                    f"It does not follow from {lab1} and {lab2} as written: putting {lab1} into "
                                    f"{lab2} gives {render(sub_rhs)}, which is not {render(full[1])} under either "
                                    f"reading of v_w."
                                )
                            elif verdicts[0] or verdicts[1]:
                                note = f"It follows from {lab1} and {lab2}."
                            follows = bool(verdicts[0] or verdicts[1]) if None not in verdicts else follows
        if label and len(full) >= 2:
            labelled[label] = (full[0], full[-1])
        res.lines.append(LineResult(k, s, label, r, follows, note))
        if len(full) >= 2 and full[0] is not None:
            prev_lhs, prev_last = full[0], full[-1]
            prev_cond = cond if not cont else prev_cond

    def name(ln):
        return f"line {ln.number}" + (f" {ln.label}" if ln.label else "")

    wrong = [ln for ln in res.lines if ln.result.readable and not ln.result.passed and not ln.result.conditional]
    unread = [ln for ln in res.lines if not ln.result.readable]
    cond = [ln for ln in res.lines if ln.result.conditional]
    first = next((ln for ln in res.lines if not ln.result.passed), None)
    res.first_wrong = first.number if first is not None else None
    parts = []
    if not res.lines:
        parts.append("The derivation is empty: there is no line to check.")
    if wrong:
        parts.append(f"The first wrong line is {name(wrong[0])}: {wrong[0].result.reading}.")
    if cond:
        parts.append(f"Wrong as written, right if v_w means the outside vectors: {', '.join(name(c) for c in cond)}.")
    if unread:
        parts.append(f"Not read: {', '.join(name(u) for u in unread)}.")
    if res.lines and not (wrong or cond or unread):
        parts.append("Every line holds.")
    res.summary = " ".join(parts)
    return res
