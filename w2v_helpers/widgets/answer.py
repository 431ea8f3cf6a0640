r"""The "Check your own answer" explorer: type LaTeX, see it rendered, how it was read, and the verdict.

Core ipywidgets only (Textarea, HTMLMath, HTML, Dropdown, VBox), no 8-only traits, so it runs on
ipywidgets 7.7.1 (Colab) and 8. :func:`answer_view` is the pure function that computes what is
shown; the widget only puts it on the page.
"""

from __future__ import annotations

import html

from ..latex import check_answer

__all__ = ["answer_view", "answer_explorer"]

_LOSS_OPTIONS = [
    ("infer from the answer", None),
    ("sigmoid (a)", "sigmoid"),
    ("naive softmax (b, c)", "naive_softmax"),
    ("negative sampling (d)", "neg_sampling"),
    ("skip-gram window (e)", "skipgram"),
]


def _typesettable(text: str) -> bool:
    """Whether MathJax can find ``$$text$$`` as one formula: its braces balance (``\\{``, ``\\}``
    aside) and it does not end in a lone backslash. MathJax leaves anything else as raw ``$$...$$``."""
    depth, i = 0, 0
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            if i + 1 == len(text):
                return False
            i += 2
            continue
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
        i += 1
    return depth == 0


def answer_view(latex: str, loss=None) -> dict:
    """What the explorer shows for ``latex``: ``preview`` (LaTeX for MathJax), ``reading``, ``verdict``,
    ``diagnosis``, ``colour``, ``passed``, ``readable``, ``html`` (all of it as one HTML block)."""
    if not isinstance(latex, str):
        raise ValueError(f"latex must be a string, got {type(latex).__name__}")
    text = latex.strip()
    if not text:
        return {
            "preview": "",
            "reading": "",
            "verdict": "",
            "diagnosis": "Type an answer, e.g. \\frac{\\partial J}{\\partial v_c} = U(\\hat y - y)",
            "colour": "#555",
            "passed": False,
            "readable": False,
            "html": "<div>Type an answer above.</div>",
        }
    r = check_answer(text, loss=loss)
    colour = "#1a7f37" if r.passed else ("#9a6700" if r.conditional or not r.readable else "#b42318")
    safe = text.replace("$", "")
    # a half-typed answer (an open brace) cannot be typeset: show its source, not raw $$...$$
    preview = (
        f"$${safe}$$"
        if _typesettable(safe)
        else f"<code>{html.escape(safe)}</code> <i>(preview when the braces balance)</i>"
    )
    view = {
        "preview": preview,
        "reading": r.reading,
        "verdict": r.verdict,
        "diagnosis": r.diagnosis,
        "colour": colour,
        "passed": r.passed,
        "readable": r.readable,
    }
    view["html"] = (
        f"<div><b>read as:</b> {html.escape(r.reading or '—')}<br>"
        f"<b style='color:{colour}'>verdict: {html.escape(r.verdict)}</b><br>"
        f"{html.escape(r.diagnosis)}</div>"
    )
    return view


def answer_explorer(value: str = r"\frac{\partial J}{\partial v_c} = -u_o + \sum_{w\in V} \hat y_w u_w", loss=None):
    """The explorer widget (a VBox): a LaTeX text area, its rendered preview, the reading, verdict, diagnosis."""
    import ipywidgets as W

    area = W.Textarea(
        value=value, placeholder=r"\frac{\partial J}{\partial v_c} = ...", layout=W.Layout(width="100%", height="80px")
    )
    area.continuous_update = True
    which = W.Dropdown(options=_LOSS_OPTIONS, value=loss, description="loss")
    preview = W.HTMLMath(value="")
    result = W.HTML(value="")

    def update(*_):
        view = answer_view(area.value, which.value)
        preview.value = view["preview"]
        result.value = view["html"]

    area.observe(update, names="value")
    which.observe(update, names="value")
    update()
    box = W.VBox([area, which, preview, result])
    # Its controls change text, not a figure: the generic browser harness exercises them without
    # waiting for a figure (tests/browser/browser_harness.py, NO_FIGURE_CLASS); the typing is
    # tested in tests/browser/test_answer_explorer.py.
    box.add_class("w2v-browser-no-figure")
    box._w2v_update = update
    return box
