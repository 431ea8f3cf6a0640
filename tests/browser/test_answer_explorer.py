r"""The "Check your own answer" explorer in JupyterLab, typed into as a student would.

For notebooks 02 and 04: Restart Kernel and Run All, find the explorer (the cell with id
``latex-NN-d``), then type on the keyboard into its Textarea a right answer (the verdict says
right and the reading shows what was typed), a wrong one (the verdict changes to wrong and the
diagnosis names the slip) and an unreadable fragment (a "could not be read" message quoting it,
no traceback, no "Error displaying widget", and a preview that shows the fragment's source rather
than raw ``$$...$$``). The preview of a readable answer must be typeset by MathJax, not left as
TeX source. The checks are not vacuous: the verdict must change between the answers, and a
self-check shows that :func:`problems` rejects a state that does not match the expectation.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pytest

import browser_harness as bh

# generous: the machine the tests run on may be loaded (kernels of other notebooks, builds)
TYPE_TIMEOUT_MS = bh.env_int("W2V_ACTION_TIMEOUT_MS", 10_000) * 9  # 90 s by default


@dataclass(frozen=True)
class Answer:
    latex: str
    verdict: str  # what the verdict line must say ("right", "wrong", "could not be read")
    reading: str | None = None  # a piece of the reading that must be shown
    diagnosis: tuple[str, ...] = ()  # pieces the diagnosis must contain (case-insensitive)


@dataclass(frozen=True)
class Case:
    notebook: str
    cell_id: str
    right: Answer
    wrong: Answer
    unreadable: Answer


CASES = [
    Case(
        "02_softmax_center_gradient.ipynb",
        "latex-02-d",
        right=Answer(r"\frac{\partial J}{\partial v_c} = U(\hat y - y)", "right", "∂J/∂v_c = U (ŷ − y)"),
        wrong=Answer(
            r"\frac{\partial J}{\partial v_c} = u_o - \sum_w \hat y_w u_w",
            "wrong",
            "∂J/∂v_c = u_o − Σ_w ŷ_w u_w",
            ("sign",),
        ),
        unreadable=Answer(r"\frac{\partial J}{", "could not be read", None, ("ends too early", r"\partial J}{")),
    ),
    Case(
        "04_negative_sampling.ipynb",
        "latex-04-d",
        # not the explorer's initial value (σ(u_kᵀ v_c) v_c): the reading must change
        right=Answer(
            r"\frac{\partial J}{\partial u_k} = (1-\sigma(-u_k^\top v_c)) v_c", "right", "(1 − σ(−u_kᵀ v_c)) v_c"
        ),
        wrong=Answer(
            r"\frac{\partial J}{\partial u_k} = -\sigma(u_k^\top v_c) v_c", "wrong", "−σ(u_kᵀ v_c) v_c", ("sign",)
        ),
        unreadable=Answer(r"\frac{\partial J}{\partial u_k} = \sigma(", "could not be read", None, ("ends too early",)),
    ),
]

# Mark the explorer's cell and describe what it shows: the text area's value, the preview (how
# many MathJax containers, TeX left as text outside them, a signature of the typeset math), the
# result (read as / verdict / diagnosis) and any error view inside the cell.
_EXPLORER_STATE = r"""
(cellId) => {
  const panel = window.__w2vPanel;
  const cell = panel.content.widgets.find((c) => c.model.id === cellId);
  if (!cell) return { found: false };
  cell.node.setAttribute('data-w2v-explorer', cellId);
  const out = cell.node.querySelector('.jp-OutputArea');
  const area = out && out.querySelector('.widget-textarea textarea');
  const maths = out ? Array.from(out.querySelectorAll('.widget-htmlmath')) : [];
  const preview = maths[0] || null;
  const htmls = out ? Array.from(out.querySelectorAll('.widget-html')).filter((e) => !e.classList.contains('widget-htmlmath')) : [];
  const result = htmls[htmls.length - 1] || null;
  let rawTex = '';
  let mathSig = '';
  let mjx = 0;
  if (preview) {
    const content = preview.querySelector('.widget-htmlmath-content') || preview;
    mjx = content.querySelectorAll('mjx-container, .MathJax, .MathJax_Display').length;
    const walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => (n.parentElement && n.parentElement.closest('mjx-container, .MathJax, script, style')
        ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    let n;
    while ((n = walker.nextNode())) rawTex += n.nodeValue;
    mathSig = Array.from(content.querySelectorAll('mjx-container')).map((e) => e.innerHTML).join('|');
  }
  const cellText = out ? out.innerText : '';
  return {
    found: true,
    hasArea: !!area,
    value: area ? area.value : null,
    focused: !!area && document.activeElement === area,
    mjx,
    rawTex: rawTex.trim(),
    mathSig,
    mathErrors: preview ? preview.querySelectorAll('mjx-merror, merror, .MathJax_Error').length : 0,
    result: result ? result.innerText : null,
    widgetErrors: out ? out.querySelectorAll('.widget-error, .jupyter-widgets.widget-error').length : 0,
    errorDisplaying: /Error displaying widget/.test(cellText),
    traceback: /Traceback \(most recent call last\)|\b[A-Z][A-Za-z]*Error\b:/.test(cellText),
  };
}
"""


def explorer_state(page, cell_id: str) -> dict:
    return page.evaluate(_EXPLORER_STATE, cell_id)


def problems(state: dict, ans: Answer, *, typeset: bool = True) -> list[str]:
    """What is wrong with the explorer's state after ans was typed ([] when it shows what it should)."""
    out: list[str] = []
    if not state.get("found") or not state.get("hasArea"):
        return [f"explorer not found: {state}"]
    if state["value"] != ans.latex:
        out.append(f"text area holds {state['value']!r}, not {ans.latex!r}")
    result = state["result"] or ""
    if f"verdict: {ans.verdict}" not in result:
        out.append(f"verdict is not {ans.verdict!r}: {result!r}")
    if ans.reading is not None and ans.reading not in result:
        out.append(f"reading {ans.reading!r} not shown: {result!r}")
    low = result.lower()
    out += [f"diagnosis does not say {d!r}: {result!r}" for d in ans.diagnosis if d.lower() not in low]
    if state["errorDisplaying"] or state["widgetErrors"]:
        out.append("the cell shows 'Error displaying widget' / a widget error view")
    if state["traceback"]:
        out.append("the cell shows a traceback / an ...Error:")
    if "$$" in state["rawTex"]:  # MathJax gave up on it: the student would see $$...$$
        out.append(f"raw $$...$$ left in the preview: {state['rawTex'][:200]!r}")
    if typeset:
        if state["mjx"] < 1:
            out.append("the preview was not typeset (no MathJax container)")
        if "\\" in state["rawTex"]:
            out.append(f"TeX source left in the preview: {state['rawTex'][:200]!r}")
        if state["mathErrors"]:
            out.append("MathJax reports an error in the preview")
    return out


def wait_for(page, cell_id: str, ans: Answer, *, typeset: bool = True, timeout_ms: int = TYPE_TIMEOUT_MS) -> dict:
    """Poll until the explorer shows ans (or the timeout: then return the last state)."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        state = explorer_state(page, cell_id)
        if not problems(state, ans, typeset=typeset):
            # and stays so once the kernel is idle (no stale update arriving late)
            bh.wait_quiet(page, quiet_ms=300, timeout_ms=timeout_ms, strict=False)
            return explorer_state(page, cell_id)
        if time.monotonic() > deadline:
            return state
        page.wait_for_timeout(150)


def type_answer(page, cell_id: str, latex: str) -> float:
    """Clear the explorer's text area and type latex key by key; returns the typing time (s)."""
    area = page.locator(f'[data-w2v-explorer="{cell_id}"] .widget-textarea textarea')
    area.scroll_into_view_if_needed(timeout=30_000)
    area.click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Backspace")
    if area.input_value() != "":  # Ctrl+A taken by the page: delete the text by keyboard
        page.keyboard.press("Control+End")
        for _ in range(len(area.input_value())):
            page.keyboard.press("Backspace")
    assert area.input_value() == "", "could not clear the explorer's text area by keyboard"
    t0 = time.monotonic()
    area.press_sequentially(latex, delay=15)
    return time.monotonic() - t0


@pytest.fixture(autouse=True)
def free_kernels(lab_server):
    yield
    lab_server.shutdown_kernels()


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.notebook[:2])
def test_answer_explorer_typed(case, lab_server, page, console):
    nb = bh.NOTEBOOK_DIR / case.notebook
    bh.lab_open_notebook(page, lab_server, bh.rel_in_root(nb), workspace=f"w2v-answer-{case.notebook[:2]}")
    run_s, ok = bh.lab_restart_run_all(page, timeout_ms=bh.env_int("W2V_RUN_TIMEOUT_S", 300) * 1000)
    assert ok, f"Run All stopped (a cell raised): {bh.lab_kernel_errors(page)}"
    bh.wait_widgets_rendered(page, timeout_ms=60_000)
    page.wait_for_function(
        "(id) => { const p = window.__w2vPanel; const c = p.content.widgets.find((c) => c.model.id === id);"
        " return !!(c && c.node.querySelector('.widget-textarea textarea')); }",
        arg=case.cell_id,
        timeout=60_000,
    )
    initial = explorer_state(page, case.cell_id)
    assert initial["mjx"] >= 1, f"the initial answer's preview was not typeset: {initial}"
    log = [f"run all {run_s:.1f}s", f"initial: {initial['result']!r}"]

    shown = {}
    for kind in ("right", "wrong", "unreadable"):
        ans = getattr(case, kind)
        typed_s = type_answer(page, case.cell_id, ans.latex)
        t0 = time.monotonic()
        # a fragment with an open brace cannot be typeset: the preview shows its source as code
        # (never raw $$...$$); it is only required to be typeset for the readable answers
        state = wait_for(page, case.cell_id, ans, typeset=kind != "unreadable")
        log.append(
            f"{kind}: typed in {typed_s:.1f}s, shown {time.monotonic() - t0:.1f}s later: {state['result']!r}"
            f" (preview: {state['mjx']} MathJax, {state['mathErrors']} MathJax errors, text {state['rawTex'][:60]!r})"
        )
        bad = problems(state, ans, typeset=kind != "unreadable")
        assert not bad, "\n".join(log + bad)
        shown[kind] = state

    # the verdict and the typeset preview follow the typing: each answer shows something else
    assert shown["right"]["result"] != initial["result"], "typing the right answer changed nothing"
    assert shown["right"]["result"] != shown["wrong"]["result"]
    assert shown["wrong"]["result"] != shown["unreadable"]["result"]
    assert shown["right"]["mathSig"] != shown["wrong"]["mathSig"], "the preview did not change with the answer"
    # negative control: the check rejects a state that is not the expected one
    assert problems(shown["wrong"], case.right, typeset=True), "problems() accepts a wrong answer's state as right"
    assert problems(shown["right"], case.wrong, typeset=True), "problems() accepts a right answer's state as wrong"
    assert problems(shown["unreadable"], case.right, typeset=True)
    assert problems({**shown["right"], "rawTex": r"$$\frac{$$", "mjx": 0}, case.right, typeset=False)
    assert problems({**shown["right"], "traceback": True}, case.right)

    # MathJax may flag the fragment's open brace in the explorer's own preview, nowhere else
    n_merror = page.evaluate("() => document.querySelectorAll('mjx-merror, merror, .MathJax_Error').length")
    assert n_merror == shown["unreadable"]["mathErrors"] == explorer_state(page, case.cell_id)["mathErrors"], (
        f"{n_merror} MathJax errors in the page, {shown['unreadable']['mathErrors']} in the explorer's preview"
    )
    errors = page.evaluate("() => window.__w2vh.pageErrors()")
    errors = [e for e in errors if not (e.startswith("LaTeX error") and shown["unreadable"]["mathErrors"])]
    errors += [f"kernel error: {e}" for e in bh.lab_kernel_errors(page)]
    assert not errors, "\n".join(log + errors + console)
    print("\n".join(log))
