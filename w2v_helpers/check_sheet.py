r"""Check a whole hand-written answer sheet: ``python -m w2v_helpers.check_sheet FILE [--html OUT]``.

The sheet is Markdown/LaTeX: display math ``$$...$$`` (or inline ``$...$`` holding an ``=``),
parts headed ``a)``, ``(b)``, ``Part c`` (also inside the math, as in ``$$b) \quad ...$$``).
Each part's equations go through :func:`w2v_helpers.check_derivation`; the report gives, per
part and line, the reading, the verdict and the named slip, and notes on the part as a whole.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from dataclasses import dataclass, field

from .latex import nodes as N
from .latex.checker import _walk, infer_loss
from .latex.derivation import DerivationResult, check_derivation
from .latex.parser import LatexError, parse

__all__ = ["SheetPart", "read_sheet", "check_sheet", "main"]

_HEAD = re.compile(r"^\s*(?:\*\*)?(?:Part\s+\(?([a-eA-E])\)?|\(([a-e])\)|([a-e])\))[\s.:*]", re.M)
_MATH_HEAD = re.compile(r"^\s*\(?([a-e])\)\s*(\\quad|\\qquad)?")


@dataclass
class SheetPart:
    name: str
    lines: list = field(default_factory=list)  # (line number in the file, latex)
    result: DerivationResult | None = None
    notes: list = field(default_factory=list)


def read_sheet(text: str) -> list:
    """Split a sheet into parts, each with its math lines (and their line numbers in the file)."""
    parts, current = [], None
    pos = 0
    tokens = []
    for m in re.finditer(r"\$\$(.+?)\$\$|(?<!\$)\$([^$\n]+?)\$(?!\$)", text, re.S):
        tokens.append(("prose", text[pos : m.start()], pos))
        body = m.group(1) if m.group(1) is not None else m.group(2)
        tokens.append(("math", body, m.start()))
        pos = m.end()
    tokens.append(("prose", text[pos:], pos))
    for kind, body, start in tokens:
        if kind == "prose":
            for h in _HEAD.finditer(body):
                name = (h.group(1) or h.group(2) or h.group(3)).lower()
                current = SheetPart(name)
                parts.append(current)
            continue
        mh = _MATH_HEAD.match(body)
        if mh:
            current = SheetPart(mh.group(1))
            parts.append(current)
            body = " " * mh.end() + body[mh.end() :]
        if m_inline_is_prose(body):
            continue
        if current is None:
            current = SheetPart("?")
            parts.append(current)
        line_no = text.count("\n", 0, start) + 1
        current.lines.append((line_no, body))
    return parts


def m_inline_is_prose(body: str) -> bool:
    return "=" not in body and "\\frac" not in body


def _part_notes(part: SheetPart) -> list:
    """What the part gets wrong as a whole: notation, missing cases, mixed losses."""
    notes = []
    res = part.result
    sides = []
    for ln in res.lines:
        try:
            s, cond, _ = parse(ln.latex)
            sides.append((s, cond, ln))
        except LatexError:
            continue
    flat = [x for s, _, _ in sides for x in s if x is not None]
    scores_v = any(
        isinstance(n, N.Transpose)
        and isinstance(n.arg, N.Sym)
        and n.arg.name == "v"
        and not (isinstance(n.arg.sub, N.Sym) and n.arg.sub.name == "c")
        for n in _walk(flat)
    )
    us = sorted(
        {
            f"u_{'o' if isinstance(n.sub, N.Num) else getattr(n.sub, 'name', '')}"
            for n in _walk(flat)
            if isinstance(n, N.Sym) and n.name == "u" and n.sub is not None
        }
    )
    if scores_v and us:
        notes.append(
            "Notation: the scores are written vᵀv_c (the outside vectors as v_o, v_w), yet other lines "
            f"use {', '.join(us)} for the same outside vectors — one kind of vector under two names. "
            "Read with the question's notation (v = center vectors) those lines are wrong; read with "
            "v_w as the outside vectors, the verdicts marked 'right under another reading' hold."
        )
    elif scores_v:
        notes.append(
            "Notation: the outside vectors are written v_o, v_w (the question writes u_o, u_w); "
            "lines are also checked with that reading."
        )
    if part.name == "e":
        grads_v = [
            (s, c)
            for s, c, _ in sides
            if isinstance(s[0], N.Deriv) and isinstance(s[0].var, N.Sym) and s[0].var.name in ("v", "u")
        ]
        says_zero = any(
            c is not None
            and c.op == "!="
            and isinstance(s[0].var, N.Sym)
            and s[0].var.name == "v"
            and len(s) > 1
            and isinstance(s[1], N.Num)
            and s[1].value == 0
            for s, c in grads_v
        )
        if not says_zero:
            notes.append(
                "Missing: ∂J/∂v_w = 0 for every w ≠ c (the window loss depends on the center vector "
                "v_c only) is never given."
            )
        outside = [(s, c) for s, c in grads_v if isinstance(s[0].var.sub, N.Sym) and s[0].var.sub.name == "w"]
        if outside and all(c is not None and c.op == "=" for _, c in outside):
            notes.append(
                "The outside-vector gradient is given only for w = o; the other words' rows "
                "(∂J/∂u_w for w ≠ o) are left out."
            )
        losses = {infer_loss([x for x in s if x is not None])[0] for s, _, _ in sides}
        losses.discard("skipgram")
        pair = set()
        for s, _, _ in sides:
            if any(isinstance(n, N.Func) and n.name == "sigma" for n in _walk(s)):
                pair.add("neg_sampling")
            if any(isinstance(n, N.Sym) and n.name == "y" and n.hat for n in _walk(s)):
                pair.add("naive_softmax")
        if len(pair) > 1:
            notes.append(
                "It mixes two losses: the v_c gradient is part (d)'s negative-sampling one (σ of "
                "scores), the outside-vector gradient part (c)'s naive-softmax one (ŷ). The per-pair "
                "loss J(v_c, w_{t+j}, U) must be one of them throughout."
            )
    return notes


def check_sheet(text: str) -> list:
    """Check every part of a sheet; returns the parts with their results and notes."""
    parts = read_sheet(text)
    for p in parts:
        p.result = check_derivation("\n".join(f"$${body}$$" for _, body in p.lines))
        p.notes = _part_notes(p)
        for ln, (file_line, _) in zip(p.result.lines, p.lines):
            ln.file_line = file_line
        for ln in p.result.lines:
            r = ln.result
            if r.passed and r.details and "not numerically stable" in getattr(r.details[0], "diagnosis", ""):
                stab = r.details[0].diagnosis.split("But it is not numerically stable:")[1].strip()
                ln.note = (
                    "Remark (not a slip): computed literally in floating point it is not numerically stable: " + stab
                )
    return parts


def _mark(r):
    if not r.readable:
        return "NOT READ"
    if r.passed:
        return "right"
    if r.conditional:
        return "NOTATION: wrong as written, right if v_w are the outside vectors"
    if r.kind in ("unknown-symbol", "unevaluable", "no-claim"):
        return "not checked"
    return "WRONG"


def format_report(parts) -> str:
    out = []
    for p in parts:
        out.append(f"Part ({p.name})")
        for ln in p.result.lines:
            r = ln.result
            tag = f" {ln.label}" if ln.label else ""
            out.append(f"  file line {getattr(ln, 'file_line', '?')}{tag}: {r.reading or ln.latex.strip()}")
            out.append(f"    {_mark(r)}")
            if not r.passed:
                out.append("    " + r.diagnosis)
            if ln.note:
                out.append("    " + ln.note)
            for n in r.notes:
                if n.startswith("The window sum"):
                    out.append("    SLIP: " + n)
        for n in p.notes:
            out.append("  * " + n)
        wrong = [
            ln
            for ln in p.result.lines
            if _mark(ln.result) == "WRONG" or any(n.startswith("The window sum") for n in ln.result.notes)
        ]
        cond = [ln for ln in p.result.lines if ln.result.conditional]
        summ = (
            f"first wrong line: file line {getattr(wrong[0], 'file_line', '?')}" if wrong else "no line is wrong"
        ) + (f"; {len(cond)} line(s) depend on the reading of v_w" if cond else "")
        out.append(f"  => {summ}")
        out.append("")
    return "\n".join(out)


def format_html(parts) -> str:
    body = html.escape(format_report(parts))
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Answer sheet report</title></head>"
        f"<body><h1>Answer sheet report</h1><pre style='white-space:pre-wrap'>{body}</pre></body></html>"
    )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m w2v_helpers.check_sheet", description="Check a hand-written LaTeX answer sheet, part by part."
    )
    ap.add_argument("file", help="the sheet (Markdown/LaTeX)")
    ap.add_argument("--html", metavar="OUT", help="also write the report as an HTML page")
    args = ap.parse_args(argv)
    try:
        with open(args.file, encoding="utf-8") as fh:
            text = fh.read()
    except OSError as exc:
        print(f"cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    parts = check_sheet(text)
    print(format_report(parts))
    if args.html:
        with open(args.html, "w", encoding="utf-8") as fh:
            fh.write(format_html(parts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
