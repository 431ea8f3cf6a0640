r"""Check a LaTeX answer: read it, evaluate it on random scenes, name what is wrong.

The true quantity comes from :mod:`w2v_helpers.core`; the comparison and the
diagnosis are :func:`w2v_helpers.gradcheck.gradcheck` and the part checkers of
:mod:`w2v_helpers.checks` (with their named terms), run on each scene with the
answer's value as the analytic gradient.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import numpy as np

from .. import checks as _checks
from ..core import _sigmoid, _softmax, naive_softmax_loss_and_gradient, neg_sampling_loss_and_gradient
from ..gradcheck import GradcheckResult, gradcheck
from . import nodes as N
from .evaluate import (
    EvalError,
    Reading,
    _Env,
    _NoCase,
    _Skip,
    derivative,
    evaluate,
    make_scenes,
    param_ref,
    reset_budget,
    shape_name,
    true_loss,
)
from .parser import LatexError, parse
from .render import render

__all__ = ["AnswerResult", "check_answer", "LOSSES"]

LOSSES = ("sigmoid", "naive_softmax", "neg_sampling", "skipgram")
_LOSS_WORDS = {
    "sigmoid": "the sigmoid σ(x)",
    "naive_softmax": "the naive-softmax loss",
    "neg_sampling": "the negative-sampling loss",
    "skipgram": "the skip-gram window loss",
}
QUESTION = Reading()
V_OUTSIDE = Reading(v_outside=True, name="v_w read as the outside vectors u_w")
_SCENES = None


def _scenes():
    global _SCENES
    if _SCENES is None:
        _SCENES = make_scenes(3, seed=2017)
    return _SCENES


@dataclass
class AnswerResult:
    """What :func:`check_answer` found.

    Attributes:
        passed: True when the claim holds on every scene under the question's notation.
        readable: False when the LaTeX could not be read (then ``diagnosis`` says where and why).
        reading: the answer as understood, in plain math with the question's symbols.
        diagnosis: plain-English sentences: the verdict, what is wrong, notes on notation.
        loss: the loss the claim was checked against; ``loss_inferred`` when it was read off the answer.
        claim: what the left-hand side claims, e.g. '∂J/∂v_c'.
        kind: a short label: 'ok', 'unreadable', 'unknown-symbol', 'shape', 'transposed', 'sign', 'factor',
            'terms', 'rows', 'wrong', 'notation', 'no-claim', ... (gradcheck's kinds where it decided).
        readings: {reading name: passed} for each reading tried.
        details: the gradcheck results, one per scene (first reading).
        position, expected: for an unreadable answer, where reading stopped and what was expected.
        conditional: True when the answer is wrong as written but right under another consistent reading.
    """

    passed: bool
    readable: bool
    reading: str
    diagnosis: str
    loss: str | None = None
    loss_inferred: bool = False
    claim: str = ""
    kind: str = ""
    readings: dict = field(default_factory=dict)
    details: list = field(default_factory=list)
    position: int = -1
    expected: str = ""
    conditional: bool = False
    latex: str = ""
    notes: list = field(default_factory=list)

    @property
    def verdict(self) -> str:
        if not self.readable:
            return "could not be read"
        if self.passed:
            return "right"
        if self.conditional:
            return "wrong as written; right under another reading"
        return "wrong"

    def __repr__(self) -> str:
        return f"check_answer: {self.verdict.upper()}\nreading: {self.reading}\n{self.diagnosis}"

    def _repr_html_(self) -> str:
        colour = "#1a7f37" if self.passed else ("#9a6700" if self.conditional or not self.readable else "#b42318")
        rows = [("reading", self.reading or "—"), ("verdict", self.verdict), ("diagnosis", self.diagnosis)]
        if self.loss:
            rows.insert(
                1, ("loss", _LOSS_WORDS.get(self.loss, self.loss) + (" (inferred)" if self.loss_inferred else ""))
            )
        body = "".join(
            f"<tr><th style='text-align:left;padding-right:1em;vertical-align:top'>{html.escape(k)}</th>"
            f"<td style='text-align:left'>{html.escape(v)}</td></tr>"
            for k, v in rows
        )
        return (
            f"<div class='w2v-answer'><strong style='color:{colour}'>answer {html.escape(self.verdict)}</strong>"
            f"<table>{body}</table></div>"
        )


# ---------------------------------------------------------------------------------------------
# what the answer is about


def _walk(node):
    if node is None:
        return
    if isinstance(node, list):
        for n in node:
            yield from _walk(n)
        return
    if isinstance(node, tuple):
        for n in node:
            yield from _walk(n)
        return
    if not isinstance(node, N.Node):
        return
    yield node
    for name in node.__dataclass_fields__:
        if name == "pos":
            continue
        yield from _walk(getattr(node, name))


def _is_sym(node, name, sub=None):
    return (
        isinstance(node, N.Sym)
        and node.name == name
        and (sub is None or (isinstance(node.sub, N.Sym) and node.sub.name == sub and node.sub.sub is None))
    )


def infer_loss(sides) -> tuple[str, str]:
    """(loss, why) read off the answer's symbols."""
    nodes = list(_walk(sides))
    for n in nodes:
        if isinstance(n, N.Call) and isinstance(n.sub, str):
            t = n.sub.lower()
            if "neg" in t:
                return "neg_sampling", "J is labelled negative sampling"
            if "skip" in t or t == "sg":
                return "skipgram", "J is labelled skip-gram"
    if any(isinstance(n, N.Sum) and (n.range is not None or n.index == "j") for n in nodes) or any(
        isinstance(n, N.Call)
        and any(
            isinstance(a, N.Sym) and a.name in ("w", "omega") and a.sub is not None and not _is_sym(a, a.name, "o")
            for a in n.args
        )
        for n in nodes
    ):
        return "skipgram", "a sum over the window positions j"
    lhs = sides[0] if sides else None
    if isinstance(lhs, N.Func) and lhs.name == "dsigma" or isinstance(lhs, N.Deriv) and _is_sym(lhs.var, "x"):
        return "sigmoid", "the derivative is taken with respect to x"
    sig_vec = any(
        isinstance(n, N.Func)
        and n.name == "sigma"
        and any(isinstance(m, N.Sym) and m.name in ("u", "v") for m in _walk(n.arg))
        for n in nodes
    )
    draws = any(
        isinstance(n, N.Sum) and (n.index == "k" or (isinstance(n.upper, N.Sym) and n.upper.name == "K")) for n in nodes
    ) or any(
        isinstance(n, N.Sym) and n.name in ("u", "v") and isinstance(n.sub, N.Sym) and n.sub.name == "k" for n in nodes
    )
    if sig_vec and draws:
        return "neg_sampling", "σ of scores and a sum over the negative samples k"
    if sig_vec:
        return "neg_sampling", "σ of scores uᵀv_c"
    if draws:
        return "neg_sampling", "a sum over the negative samples k"
    return "naive_softmax", "no σ of scores and no sum over negative samples"


def _free_index(var, cond=None):
    """The free index of ∂/∂u_w or ∂/∂v_w (a letter other than o, c), or None."""
    if (
        isinstance(var, N.Sym)
        and var.name in ("u", "v")
        and isinstance(var.sub, N.Sym)
        and var.sub.sub is None
        and var.sub.name not in ("o", "c")
    ):
        return var.sub.name
    if (
        isinstance(var, N.Sym)
        and var.name in ("u", "v")
        and isinstance(var.sub, N.Sym)
        and var.sub.name == "w"
        and isinstance(var.sub.sub, N.Sym)
        and var.sub.sub.sub is None
        and var.sub.sub.name not in ("o", "c")
    ):
        return "k" if var.sub.sub.name == "k" else var.sub.sub.name  # u_{w_k}: the k-th draw
    return None


def _suggests_v_outside(sides) -> bool:
    for n in _walk(sides):
        if isinstance(n, N.Sym) and n.name == "v" and n.sub is not None and not _is_sym(n, "v", "c"):
            return True
    return False


def _mixes_u_and_v(sides) -> list:
    """Names like ['u_o', 'v_ω'] when both u_X and v_X (X ≠ c) occur: one kind of vector named two ways."""
    us, vs = [], []
    for n in _walk(sides):
        if isinstance(n, N.Sym) and n.name in ("u", "v") and n.sub is not None and not _is_sym(n, "v", "c"):
            (us if n.name == "u" else vs).append(render(n))
    return sorted(set(us)), sorted(set(vs))


# ---------------------------------------------------------------------------------------------
# the checks on one scene


def _code_layout(sc):
    """C-contiguous copies in the code's layout: v_c (d,), o, U^T (V, d), center vectors (V, d), negatives."""
    return (
        np.ascontiguousarray(sc.Vc[:, sc.c]),
        sc.o,
        np.ascontiguousarray(sc.U.T),
        np.ascontiguousarray(sc.Vc.T),
        sc.negs,
    )


class _Frozen:
    """The answer's value, computed once at the scene's point; gradcheck only needs it there."""

    def __init__(self, value):
        self.value = value

    def __call__(self, *args):
        return self.value


def _as_code_vec(a):
    return a.reshape(-1) if a.shape[1] == 1 else a


def _shape_message(claim, got, want, scene):
    g, w = shape_name(got, scene), shape_name(want, scene)
    if got == want[::-1]:
        return "transposed", f"{claim} must be {w}, like the variable; the answer is {g}: it is transposed."
    return "shape", f"{claim} must be {w}, like the variable; the answer is {g}."


def _eval(node, scene, reading, loss, bound=None):
    env = _Env(scene, reading, loss, dict(bound or {}), set())
    return evaluate(node, env), env


def _rows(rhs, free, scene, reading, loss, cond, per="word"):
    """Evaluate the right-hand side once per word (or per draw) bound to ``free``; returns (d×n, missing)."""
    n = scene.V if per == "word" else scene.K
    cols, covered, scalar_rows = [], [], []
    for w in range(n):
        env = _Env(scene, reading, loss, {free: (per, w)}, set())
        if cond is not None:
            from .evaluate import _cond_true

            if not _cond_true(cond, env):
                cols.append(None)
                covered.append(False)
                continue
        try:
            val = evaluate(rhs, env)
        except (_NoCase, _Skip):
            val = np.zeros((scene.d, 1))
        if val.shape == (1, 1):
            scalar_rows.append(w)
            val = np.full((scene.d, 1), float(val[0, 0]))
        if val.shape != (scene.d, 1):
            raise EvalError(
                f"Each ∂J/∂u_{free} must be a d-vector; for one word the answer is {shape_name(val.shape, scene)}.",
                getattr(rhs, "pos", -1),
                "shape",
            )
        cols.append(val)
        covered.append(True)
    return cols, covered, scalar_rows


def _loss_of_x(scene, loss, num, reading, ref_kind, ref_w):
    """f(x): the numerator's true value with the parameter set to x (x in code layout)."""
    from .evaluate import _set

    def f(x):
        sc = scene.copy()
        if ref_kind in ("U", "Vc"):
            _set(sc, (ref_kind, None), np.asarray(x).T.copy())
        elif ref_kind == "x":
            _set(sc, ("x", None), np.array([[float(np.asarray(x).reshape(-1)[0])]]))
        else:
            _set(sc, (ref_kind, ref_w), np.asarray(x).reshape(-1, 1))
        return float(evaluate(num, _Env(sc, QUESTION, loss, {}, set()))[0, 0])

    return f


def _terms_for(num, ref, scene, loss):
    sc = scene
    v, _, UT, _, _ = _code_layout(sc)
    yh = _softmax(UT @ v)
    if ref[0] == "Vcol" and ref[1] == sc.c or ref[0] == "Vcol":
        t = _checks._softmax_terms(v, sc.o, UT, sc.Vc.T)
        if _is_sym(num, "y") and num.hat:
            t = {
                "ŷ_o u_o": yh[sc.o] * UT[sc.o],
                "ŷ_o Σ_w ŷ_w u_w": yh[sc.o] * (yh @ UT),
                "Σ_w ŷ_w u_w": yh @ UT,
                "Σ_w ŷ_w v_w": yh @ sc.Vc.T,
            }
        return t
    if ref[0] == "Ucol":
        s = UT[ref[1]] @ v
        if loss == "neg_sampling":
            return {"σ(−u_oᵀv_c) v_c": _sigmoid(-s) * v, "σ(u_oᵀv_c) v_c": _sigmoid(s) * v, "v_c": v, "u_o": UT[ref[1]]}
        return {"ŷ_o v_c": yh[ref[1]] * v, "v_c": v, "u_o": UT[ref[1]], "Σ_w ŷ_w u_w": yh @ UT}
    return None


def _check_grad(num, var, rhs, scene, reading, loss, cond=None):
    """gradcheck (or a part checker of checks.py) of ∂num/∂var = rhs on one scene."""
    claim = render(N.Deriv(num, var))
    free = _free_index(var)
    if free is None and not isinstance(num, N.Call):
        free = next(
            (
                n.sub.name
                for n in _walk(num)
                if isinstance(n, N.Sym)
                and n.name in ("y", "u", "v")
                and isinstance(n.sub, N.Sym)
                and n.sub.sub is None
                and n.sub.name not in ("o", "c")
            ),
            None,
        )
    sc = scene
    v, o, UT, VcT, negs = _code_layout(sc)
    is_J = isinstance(num, N.Call)
    lossk = loss
    if is_J and isinstance(num.sub, str):
        from .evaluate import loss_kind_of_call

        lossk = loss_kind_of_call(num, loss)
    env0 = _Env(sc, reading, lossk, {}, set())
    notes = set()
    if free is not None and not is_J:
        return _check_free_generic(num, var, rhs, free, sc, reading, lossk, cond), notes
    if free is not None:
        per = "draw" if free == "k" else "word"
        outside = var.name == "u" or reading.v_outside
        cols, covered, scalar_rows = _rows(rhs, free, sc, reading, lossk, cond, per)
        if scalar_rows:
            notes.add("scalar rows")
        scalar_note = (
            (
                f" For some words the answer's ∂J/∂{var.name}_{free} is a number, where a d-vector belongs: "
                "a vector factor (such as v_c) is missing."
            )
            if scalar_rows
            else ""
        )
        if per == "draw":
            # one parameter column per draw: ∂J/∂u_k is each draw's own term
            sc2 = sc.copy()
            sc2.draw_U = sc.U[:, negs].copy()
            x0 = np.ascontiguousarray(sc2.draw_U.T)

            def f(x):
                s3 = sc2.copy()
                s3.draw_U = np.asarray(x).T.copy()
                return true_loss(s3, "neg_sampling")

            cand = np.hstack([c if c is not None else np.zeros((sc.d, 1)) for c in cols]).T
            r = gradcheck(lambda x: (f(x), cand), x0, known_vectors={"v_c": v})
            if not r.passed:
                r.diagnosis += scalar_note
            return r, notes
        if not outside:
            # gradient with respect to center vectors v_w
            if lossk == "skipgram":
                truth = _skipgram_truth(sc)
                g = np.array(truth[1])
                for w, (col, cov) in enumerate(zip(cols, covered)):
                    if cov:
                        g[w] = col[:, 0]
                return _skipgram_check(sc, center=g), notes
            truth = np.zeros_like(VcT)
            truth[sc.c] = (
                naive_softmax_loss_and_gradient(v, o, UT)[1]
                if lossk != "neg_sampling"
                else neg_sampling_loss_and_gradient(v, o, UT, negs)[1]
            )
            cand = truth.copy()
            for w, (col, cov) in enumerate(zip(cols, covered)):
                if cov:
                    cand[w] = col[:, 0]
            fl = _loss_of_x(sc, lossk, num, QUESTION, "Vc", None)
            return gradcheck(lambda x: (fl(x), cand), VcT.copy(), known_vectors={"v_c": v}), notes
        # outside vectors, row w = ∂J/∂u_w; rows a condition leaves out are filled in with the truth
        if lossk == "skipgram":
            truth = _checks.skipgram(sc.c, _checks.context_window(sc.sentence, sc.t, sc.m), VcT, UT, _pair_fn(sc))[2]
        elif lossk == "neg_sampling":
            truth = neg_sampling_loss_and_gradient(v, o, UT, negs)[2]
        else:
            truth = naive_softmax_loss_and_gradient(v, o, UT)[2]
        cand = truth.copy()
        for w, (col, cov) in enumerate(zip(cols, covered)):
            if cov:
                cand[w] = col[:, 0]
        frozen = _Frozen(cand)
        if lossk == "neg_sampling":
            r = _checks.check_neg_sampling_outside_gradient(frozen, v, o, UT, negs)
        elif lossk == "skipgram":
            r = _skipgram_check(sc, outside=cand)
        else:
            r = _checks.check_outside_gradient(frozen, v, o, UT)
        if not r.passed:
            r.diagnosis += scalar_note
        return r, notes

    ref = param_ref(var, env0)
    want = {"x": (1, 1), "U": sc.U.shape, "Vc": sc.Vc.shape}.get(ref[0], (sc.d, 1))
    val = evaluate(rhs, _Env(sc, reading, lossk, {}, env0.used))
    if val.shape == (1, 1) and val[0, 0] == 0 and want != (1, 1):
        val = np.zeros(want)  # "= 0" for a vector or a matrix
    if val.shape != want:
        kind, msg = _shape_message(claim, val.shape, want, sc)
        if kind == "transposed":
            r2, _ = _check_grad_value(num, var, ref, val.T, sc, lossk)
            msg += (
                " Transposed, its values are right."
                if r2.passed
                else " Even transposed, its values are wrong: " + r2.diagnosis
            )
        return GradcheckResult(False, np.inf, np.inf, np.zeros(want), val, 0.0, msg, kind), notes
    r, nt = _check_grad_value(num, var, ref, val, sc, lossk)
    decimals = bool(re.search(r"\d\.\d+(·| ×)", r.diagnosis))
    if (
        not r.passed
        and (r.kind in ("wrong", "coordinates") or (r.kind in ("terms", "factor") and decimals))
        and ref[0] in ("Vcol", "Ucol")
        and isinstance(num, N.Call)
        and not num.args
        and lossk in ("naive_softmax", "neg_sampling")
    ):
        truth = derivative(num, var, _Env(sc, QUESTION, lossk, {}, set()))  # analytic, from core
        named = _name_in_pieces(val.reshape(-1), truth.reshape(-1), ref, sc, lossk)
        if named:
            r.diagnosis = (r.diagnosis + " " if r.kind != "wrong" else "") + named
            r.kind = "terms" if r.kind == "wrong" else r.kind
    return r, nt


def _pieces(ref, sc, loss):
    """(vector pieces, scalar coefficients) that the answers of this part are made of."""
    v, o, UT, VcT, negs = _code_layout(sc)
    s_o = float(UT[o] @ v)
    if ref[0] == "Ucol":
        vecs = {"v_c": v, "u_o": UT[o], "v_o": VcT[o]}
    elif loss == "neg_sampling":
        sk = UT[negs] @ v
        vecs = {
            "u_o": UT[o],
            "Σ_k σ(u_kᵀv_c) u_k": _sigmoid(sk) @ UT[negs],
            "Σ_k σ(−u_kᵀv_c) u_k": _sigmoid(-sk) @ UT[negs],
            "v_o": VcT[o],
        }
    else:
        yh = _softmax(UT @ v)
        vecs = {"u_o": UT[o], "Σ_w ŷ_w u_w": yh @ UT, "Σ_w ŷ_w v_w": yh @ VcT, "v_o": VcT[o], "v_c": v}
    if loss == "neg_sampling":
        scal = {"": 1.0, "σ(u_oᵀv_c) ": _sigmoid(s_o), "σ(−u_oᵀv_c) ": _sigmoid(-s_o)}
    else:
        yh_o = float(_softmax(UT @ v)[o])
        scal = {"": 1.0, "ŷ_o ": yh_o, "(ŷ_o − 1) ": yh_o - 1.0, "(1 − ŷ_o) ": 1.0 - yh_o}
    return vecs, scal


def _name_in_pieces(cand, truth, ref, sc, loss):
    """'The answer is A where the true gradient is B', with A and B written in the part's pieces."""
    vecs, scal = _pieces(ref, sc, loss)
    names = list(vecs)
    B = np.stack([vecs[k] for k in names], axis=1)
    if np.linalg.matrix_rank(B) < len(names):
        return ""

    def combo(x):
        c, *_ = np.linalg.lstsq(B, x, rcond=None)
        if not np.allclose(B @ c, x, rtol=1e-6, atol=1e-8):
            return None
        parts = []
        for ci, nm in zip(c, names):
            if abs(ci) < 1e-7:
                continue
            txt = None
            for sname, sval in scal.items():
                for sign in (1, -1):
                    if abs(ci - sign * sval) <= 1e-6 * max(1.0, abs(sval)):
                        txt = (sign, sname + nm)
                        break
                if txt:
                    break
            if txt is None:
                return None
            parts.append(txt)
        out = ""
        for i, (sign, body) in enumerate(parts):
            out += ("−" if sign < 0 else "") + body if i == 0 else (" − " if sign < 0 else " + ") + body
        return out or "0"

    a, n = combo(cand), combo(truth)
    if not a or not n or a == n:
        return ""
    return f"In terms of the named pieces, the answer is {a}; the true gradient is {n}."


def _check_free_generic(num, var, rhs, free, sc, reading, loss, cond):
    """∂num/∂var with a free index (∂ŷ_w/∂u_w): compared word by word, for the words the condition allows."""
    from .evaluate import _cond_true

    per = "draw" if free == "k" else "word"
    n = sc.K if per == "draw" else sc.V
    want, got = [], []
    for w in range(n):
        env = _Env(sc, reading, loss, {free: (per, w)}, set())
        if cond is not None and not _cond_true(cond, env):
            continue
        t = derivative(num, var, env)
        try:
            g = evaluate(rhs, env)
        except (_NoCase, _Skip):
            continue
        if g.shape != t.shape:
            kind, msg = _shape_message(render(N.Deriv(num, var)), g.shape, t.shape, sc)
            return GradcheckResult(False, np.inf, np.inf, t, g, 0.0, msg, kind)
        want.append(t.reshape(-1))
        got.append(g.reshape(-1))
    if not want:
        return GradcheckResult(
            False,
            np.inf,
            np.inf,
            np.zeros(1),
            np.zeros(1),
            0.0,
            "No word satisfies the condition, so nothing could be checked.",
            "vacuous",
        )
    W, G = np.ascontiguousarray(np.stack(want)), np.ascontiguousarray(np.stack(got))
    if not np.any(W) and not np.any(G):
        return GradcheckResult(True, 0.0, 0.0, W, G, 0.0, "Both sides are zero.", "ok")
    r = gradcheck(lambda x: (float(np.sum(W * x)), G), np.zeros_like(W), known_vectors={"v_c": sc.Vc[:, sc.c].copy()})
    r.diagnosis = _value_words(r.diagnosis)
    if not r.passed:
        if np.allclose(W, 0.0):
            r.diagnosis = (
                "The true value is 0: with v_w a center vector, nothing here depends on v_w for w ≠ c "
                "(ŷ and J depend on the center word's v_c only), but the answer is not 0."
            )
            r.kind = "wrong"
        elif isinstance(num, N.Sym) and num.name == "y" and num.hat:
            r.diagnosis += (
                " For reference: ∂ŷ_w/∂u_w = ŷ_w(1 − ŷ_w) v_c and ∂ŷ_w/∂u_x = −ŷ_w ŷ_x v_c for x ≠ w "
                "(the softmax's Jacobian times v_c)."
            )
    return r


def _value_words(text):
    """gradcheck's wording, for a comparison of values rather than of gradients."""
    return (
        text.replace("the analytic gradient", "the answer")
        .replace("The analytic gradient", "The answer")
        .replace("the numerical one", "the true value")
        .replace("numerical gradient", "true value")
        .replace("analytic gradient", "answer")
        .replace("true gradient", "true value")
    )


def _skipgram_truth(sc):
    v, o, UT, VcT, negs = _code_layout(sc)
    return _checks.skipgram(sc.c, _checks.context_window(sc.sentence, sc.t, sc.m), VcT, UT, _pair_fn(sc))


def _skipgram_check(sc, center=None, outside=None):
    """The skip-gram window gradient (center vectors (V, d) or outside vectors (V, d)) on one scene.

    A quick gradcheck decides; a failing answer goes through checks.check_skipgram, whose named terms
    (one per window position) say which position is missing or counted twice.
    """
    v, o, UT, VcT, negs = _code_layout(sc)
    outs = _checks.context_window(sc.sentence, sc.t, sc.m)
    from ..core import _naive_softmax, _neg_sampling

    def pair(vc, w, U_):
        return _neg_sampling(vc, w, U_, negs) if sc.pair_loss == "neg_sampling" else _naive_softmax(vc, w, U_)

    if center is not None:

        def f(x):
            return sum(pair(x, int(w), UT)[0] for w in outs)

        quick = gradcheck(lambda x: (f(x), center[sc.c]), v.copy())
        rest_zero = np.allclose(np.delete(center, sc.c, axis=0), 0.0)
    else:

        def f(X):
            return sum(pair(v, int(w), X)[0] for w in outs)

        quick = gradcheck(lambda X: (f(X), outside), UT.copy())
        rest_zero = True
    if quick.passed and rest_zero:
        return quick
    truth = _skipgram_truth(sc)
    gc = truth[1] if center is None else center
    go = truth[2] if outside is None else outside

    def fn(*args):
        return 0.0, gc, go

    rep = _checks.check_skipgram(fn, sc.sentence, sc.t, sc.m, VcT, UT, _pair_fn(sc))
    return rep["∂J/∂(center vectors)"] if center is not None else rep["∂J/∂U"]


def _pair_fn(sc):
    if sc.pair_loss == "neg_sampling":
        return lambda v, o, U: neg_sampling_loss_and_gradient(v, o, U, sc.negs)
    return naive_softmax_loss_and_gradient


def _check_grad_value(num, var, ref, val, sc, lossk):
    v, o, UT, VcT, negs = _code_layout(sc)
    is_J = isinstance(num, N.Call) and not num.args
    frozen = _Frozen(_as_code_vec(val) if ref[0] not in ("U", "Vc") else val.T)
    if is_J and ref == ("Vcol", sc.c):
        if lossk == "naive_softmax":
            return _checks.check_center_gradient(lambda a, b, c_, d_: frozen(), v, o, UT, VcT), set()
        if lossk == "neg_sampling":
            return _checks.check_neg_sampling_center_gradient(frozen, v, o, UT, negs), set()
        if lossk == "skipgram":
            g = np.array(_skipgram_truth(sc)[1])
            g[sc.c] = frozen()
            return _skipgram_check(sc, center=g), set()
    if is_J and ref[0] == "U":
        if lossk == "naive_softmax":
            return _checks.check_outside_gradient(frozen, v, o, UT), set()
        if lossk == "neg_sampling":
            return _checks.check_neg_sampling_outside_gradient(frozen, v, o, UT, negs), set()
        if lossk == "skipgram":
            return _skipgram_check(sc, outside=frozen()), set()
    # anything else: gradcheck of the numerator's true value
    kind = ref[0]
    if kind == "U":
        x0 = UT.copy()
    elif kind == "Vc":
        x0 = VcT.copy()
    elif kind == "x":
        x0 = np.array([sc.x])
    else:
        from .evaluate import _get

        x0 = _get(sc, ref).reshape(-1)
    f = _loss_of_x(sc, lossk, num, QUESTION, kind, ref[1])
    cand = frozen()
    if kind == "x":
        cand = np.asarray(cand).reshape(1)
    terms = _terms_for(num, ref, sc, lossk)
    if isinstance(num, N.Sym) and num.name == "y" and num.hat and ref == ("Vcol", sc.c):
        return _check_dyhat(f, cand, x0, sc), set()
    return gradcheck(lambda x: (f(x), cand), np.ascontiguousarray(x0), terms=terms, known_vectors={"v_c": v}), set()


def _check_dyhat(f, cand, x0, sc):
    """∂ŷ_o/∂v_c = ŷ_o(u_o − Σ_w ŷ_w u_w): gradcheck, and the coefficients of u_o, Σ_w ŷ_w u_w, Σ_w ŷ_w v_w named."""
    v, o, UT, VcT, _ = _code_layout(sc)
    r = gradcheck(lambda x: (f(x), cand), np.ascontiguousarray(x0))
    if r.passed or r.kind in ("sign", "factor"):
        return r
    yh = _softmax(UT @ v)
    names = ["u_o", "Σ_w ŷ_w u_w", "Σ_w ŷ_w v_w"]
    B = np.stack([UT[o], yh @ UT, yh @ VcT], axis=1)
    ca, res_a, rank, _ = np.linalg.lstsq(B, cand, rcond=None)
    cn = np.linalg.lstsq(B, r.numerical, rcond=None)[0]
    if rank < 3 or not np.allclose(B @ ca, cand, rtol=1e-6, atol=1e-9):
        return r
    known = {1.0: "", -1.0: "−", yh[o]: "ŷ_o ", -yh[o]: "−ŷ_o "}

    def coef(c):
        for val, txt in known.items():
            if abs(c - val) <= 1e-6 * max(1, abs(val)):
                return txt
        return None

    def combo(cs):
        parts = []
        for c, nm in zip(cs, names):
            if abs(c) < 1e-9:
                continue
            t = coef(c)
            if t is None:
                return None
            parts.append(
                (t + nm) if parts == [] else (" − " + t.lstrip("−") + nm if t.startswith("−") else " + " + t + nm)
            )
        return "".join(parts) or "0"

    a_txt, n_txt = combo(ca), combo(cn)
    if a_txt is None or n_txt is None:
        return r
    msg = [
        f"In terms of the named pieces, the answer is {a_txt}; the true ∂ŷ_o/∂v_c is {n_txt} = ŷ_o(u_o − Σ_w ŷ_w u_w)."
    ]
    if abs(ca[1] + 1) < 1e-6 and abs(cn[1] + yh[o]) < 1e-6 * max(1, yh[o]):
        msg.append("The factor ŷ_o is missing from the sum: the quotient rule gives ŷ_o u_o − ŷ_o Σ_w ŷ_w u_w.")
    if abs(ca[2]) > 1e-9:
        msg.append("It has Σ_w ŷ_w v_w (center vectors) where the softmax's scores put the outside vectors u_w.")
    r.diagnosis = " ".join(msg)
    r.kind = "terms"
    return r


def _check_value(lhs, rhs, sc, reading, loss):
    """A claim that two things are equal (a definition such as J = ..., ŷ = ...)."""
    env_t = _Env(sc, QUESTION, loss, {}, set())
    want = evaluate(lhs, env_t)
    notes = set()
    got = evaluate(rhs, _Env(sc, reading, loss, {}, env_t.used))
    if isinstance(lhs, N.Sym) and lhs.name == "y" and lhs.hat and lhs.sub is None and got.shape == (1, 1):
        want = want[[sc.o], :]
        notes.add("ŷ for ŷ_o")
    if want.shape != got.shape:
        kind, msg = _shape_message(render(lhs), got.shape, want.shape, sc)
        return GradcheckResult(False, np.inf, np.inf, want, got, 0.0, msg, kind), notes
    w = np.ascontiguousarray(want.reshape(-1) if want.shape[1] == 1 else want)
    g = np.ascontiguousarray(got.reshape(-1) if got.shape[1] == 1 else got)
    # the linear function x ↦ <want, x> has gradient `want`: gradcheck compares and names the slip
    r = gradcheck(lambda x: (float(np.sum(w * x)), g), np.zeros_like(w, dtype=np.float64))
    r.diagnosis = _value_words(r.diagnosis)
    if w.size == 1 and not r.passed and r.kind not in ("sign", "nonfinite"):
        r.diagnosis = (
            f"The right-hand side is {float(g.reshape(-1)[0]):.4g} where "
            f"{'ŷ_o' if 'ŷ for ŷ_o' in notes else render(lhs)} is "
            f"{float(w.reshape(-1)[0]):.4g} (on a random scene)."
        )
        r.kind = "wrong"
    elif w.size == 1 and r.kind == "sign":
        r.diagnosis = "Sign error: the right-hand side is −1 × the true value."
    if "ŷ for ŷ_o" in notes and not r.passed:
        r.diagnosis += " (The left side is written ŷ, the whole vector; the right side is its entry ŷ_o.)"
    return r, notes


def _check_sigmoid(rhs, reading):
    sc = _scenes()[0].copy()

    def grad_fn(z):
        z = np.asarray(z, dtype=np.float64)
        out = np.empty_like(z)
        for i, zi in enumerate(z.reshape(-1)):
            sc.x = float(zi)
            val = evaluate(rhs, _Env(sc, reading, "sigmoid", {}, set()))
            if val.shape != (1, 1):
                raise EvalError("σ'(x) must be a number (a scalar function of x).", getattr(rhs, "pos", -1), "shape")
            out.reshape(-1)[i] = val[0, 0]
        return out

    with np.errstate(all="ignore"):
        return _checks.check_sigmoid_grad(grad_fn)


# ---------------------------------------------------------------------------------------------


def _claim_of(lhs):
    if isinstance(lhs, N.Func) and lhs.name == "dsigma":
        return ("sigmoid",)
    if isinstance(lhs, N.Deriv):
        if _is_sym(lhs.var, "x") and lhs.var.sub is None:
            return ("sigmoid",) if _mentions_sigma(lhs.num) else ("grad", lhs.num, lhs.var)
        return ("grad", lhs.num, lhs.var)
    return ("value", lhs)


def _mentions_sigma(node):
    return any(isinstance(n, N.Func) and n.name == "sigma" for n in _walk(node)) or any(
        isinstance(n, N.Div) for n in _walk(node)
    )


def _run_reading(claim, rhs, reading, loss, cond):
    """Check rhs against the claim on every scene; (passed, first failing GradcheckResult or last, details)."""
    details = []
    if claim[0] == "sigmoid":
        r = _check_sigmoid(rhs, reading)
        return r.passed, r, [r]
    for sc in _scenes():
        sc = sc.copy()
        if loss == "skipgram":
            sc.pair_loss = "neg_sampling" if _pair_is_neg(rhs) else "naive_softmax"
        if claim[0] == "grad":
            r, _ = _check_grad(claim[1], claim[2], rhs, sc, reading, loss, cond)
        else:
            r, _ = _check_value(claim[1], rhs, sc, reading, loss)
        details.append(r)
        if not r.passed:
            return False, r, details
    return True, details[-1], details


def _pair_is_neg(rhs):
    return any(isinstance(n, N.Func) and n.name == "sigma" for n in _walk(rhs)) or any(
        isinstance(n, N.Call) and isinstance(n.sub, str) and "neg" in n.sub.lower() for n in _walk(rhs)
    )


def _window_slips(sides) -> list:
    """Window sums that do not run over −m ≤ j ≤ m, j ≠ 0."""
    out = []
    from .evaluate import _sum_members

    for n in _walk(sides):
        if isinstance(n, N.Sum) and n.range is not None:
            sc = _scenes()[0].copy()
            sc.m = 3
            sc.sentence = np.arange(sc.V)[:7] if sc.V >= 7 else sc.sentence
            sc.t = 3
            try:
                offs = sorted(e.bound[n.index][1] for e in _sum_members(n, _Env(sc, QUESTION, "skipgram", {}, set())))
            except Exception:
                continue
            want = [j for j in range(-3, 4) if j != 0]
            lo, op1, op2, hi = n.range
            written = render(N.Sum(n.index, N.Num(0), range=n.range, conds=n.conds))[:-2]
            if offs != want:
                missing = [j for j in want if j not in offs]
                extra = [j for j in offs if j not in want]
                parts = []
                if 3 in missing:
                    parts.append("leaves out j = +m")
                if -3 in missing:
                    parts.append("leaves out j = −m")
                if 0 in extra:
                    parts.append("includes j = 0 (the center word itself)")
                msg = (
                    f"The window sum {written} "
                    + " and ".join(parts or ["does not run over the window"])
                    + ": the skip-gram loss sums over −m ≤ j ≤ m, j ≠ 0."
                )
                if msg not in out:
                    out.append(msg)
    return out


def _unreadable(latex, err: LatexError) -> AnswerResult:
    where = f" (position {err.pos + 1})" if err.pos >= 0 else ""
    diag = err.message
    if err.pos >= 0 and "position" not in diag:
        diag += where
    if err.expected and "expected" not in diag:
        diag += f" Expected {err.expected}."
    return AnswerResult(False, False, "", diag, kind="unreadable", position=err.pos, expected=err.expected, latex=latex)


def check_answer(latex, *, loss=None, notation=None, condition=None, context=None) -> AnswerResult:
    r"""Read a LaTeX answer, check it, and say what is wrong.

    Args:
        latex: one equation, e.g. ``r"\frac{\partial J}{\partial v_c} = U(\hat y - y)"``; the left-hand
            side says what is claimed (``\sigma'(x)``, ``\frac{\partial J}{\partial u_w}``, ``J``, ...).
        loss: ``"sigmoid"``, ``"naive_softmax"``, ``"neg_sampling"`` or ``"skipgram"``; None infers it
            from the answer and says so.
        notation: None (the question's: v center, u outside, o observed, subscript 0 = o) or
            ``"v_outside"`` to read v_w (w ≠ c) as the outside vectors.
        condition: a condition written beside the equation (``w \ne o``), if not in ``latex``.
        context: other lines of the same answer (their notation is taken into account).

    Returns:
        :class:`AnswerResult`. Never raises for a string; a non-string raises ``ValueError``.
    """
    if not isinstance(latex, str):
        raise ValueError(f"latex must be a string of LaTeX, got {type(latex).__name__}")
    if loss is not None and loss not in LOSSES:
        raise ValueError(f"loss must be one of {', '.join(LOSSES)} or None, got {loss!r}")
    if notation not in (None, "question", "v_outside"):
        raise ValueError(f"notation must be None, 'question' or 'v_outside', got {notation!r}")
    try:
        sides, cond, cl = parse(latex)
    except LatexError as err:
        return _unreadable(latex, err)
    except RecursionError:
        return _unreadable(latex, LatexError("The answer is too long or nested too deeply to read.", 0, "", ""))
    if condition is not None and cond is None:
        cond = condition
    try:
        with np.errstate(all="ignore"):  # overflow in an answer is diagnosed, not warned about
            return _check_parsed(latex, sides, cond, loss, notation, context)
    except LatexError as err:
        return _unreadable(latex, err)
    except EvalError as err:
        reading = _safe_render(sides)
        kind = {"unknown": "unknown-symbol", "unbound": "unknown-symbol", "shape": "shape", "budget": "too-costly"}.get(
            err.kind, "unevaluable"
        )
        snippet = f" (at position {err.pos + 1}: '{latex[err.pos : err.pos + 12]}')" if err.pos >= 0 else ""
        return AnswerResult(
            False,
            kind in ("shape", "too-costly"),
            reading,
            err.message + snippet,
            kind=kind,
            position=err.pos,
            latex=latex,
        )
    except Exception as err:  # a last guard: never a traceback for a string
        return AnswerResult(
            False,
            True,
            _safe_render(sides),
            f"The answer could not be evaluated ({err}).",
            kind="unevaluable",
            latex=latex,
        )


def _safe_render(sides, **kw):
    try:
        return render(sides, **kw)
    except Exception:
        return ""


def _check_parsed(latex, sides, cond, loss, notation, context):
    reset_budget()
    reading = render(sides) + (f" (for {render(cond)})" if cond is not None else "")
    if len(sides) < 2 or sides[0] is None:
        what = "It is only an expression" if len(sides) < 2 else "It continues a previous line"
        return AnswerResult(
            False,
            True,
            reading,
            f"{what}: write what it claims on the left, e.g. "
            "\\frac{\\partial J}{\\partial v_c} = ..., so it can be checked.",
            kind="no-claim",
            latex=latex,
        )
    ctx_nodes = list(context or [])
    inferred = loss is None
    why = ""
    if inferred:
        loss, why = infer_loss(sides + ctx_nodes)
    claim = _claim_of(sides[0])
    if claim[0] == "sigmoid":
        loss = "sigmoid"
    primary = V_OUTSIDE if notation == "v_outside" else QUESTION
    notes = []
    results = []
    for rhs in sides[1:]:
        results.append(_run_reading(claim, rhs, primary, loss, cond))
    ok = all(r[0] for r in results)
    bad_i = next((i for i, r in enumerate(results) if not r[0]), None)
    first = results[bad_i] if bad_i is not None else results[-1]
    res = AnswerResult(
        ok,
        True,
        reading,
        "",
        loss=loss,
        loss_inferred=inferred,
        claim=render(sides[0]),
        kind=first[1].kind if not ok else "ok",
        readings={primary.name: ok},
        details=first[2],
        latex=latex,
    )
    if claim[0] == "grad" and _free_index(claim[2]) and cond is not None:
        notes.append(f"It is checked for the words with {render(cond)} only.")
    diag = []
    side_txt = (
        ""
        if len(sides) == 2
        else f" (the {_ordinal(bad_i + 2)} side, {render(sides[bad_i + 1])})"
        if bad_i is not None
        else ""
    )
    if ok:
        diag.append(f"Right: {res.claim} = {render(sides[-1])} holds on every scene checked.")
    else:
        diag.append(f"Wrong{side_txt}: " + first[1].diagnosis)
    # the other reading, when the answer's own symbols suggest it
    suggest = notation is None and (_suggests_v_outside(sides) or any(_suggests_v_outside([c]) for c in ctx_nodes))
    if (
        suggest
        and claim[0] != "sigmoid"
        and not (
            loss == "skipgram" and _free_index(claim[2] if claim[0] == "grad" else None) == "w" and claim[2].name == "v"
        )
    ):
        alt = [_run_reading(claim, rhs, V_OUTSIDE, loss, cond) for rhs in sides[1:]]
        alt_ok = all(a[0] for a in alt)
        res.readings[V_OUTSIDE.name] = alt_ok
        us, vs = _mixes_u_and_v(sides + ctx_nodes)
        two_ways = ""
        if us and vs:
            two_ways = (
                f" The answer names the outside vectors two ways: {', '.join(us)} and {', '.join(vs)}"
                " — one kind of vector under two names."
            )
        alt_reading = render(sides, v_outside=True)
        if not ok and alt_ok:
            res.conditional = True
            res.kind = "notation"
            diag = [
                "Wrong as written with the question's notation (v is a center vector): " + first[1].diagnosis,
                f"Right if v_w means the outside vector u_w: read that way it is {alt_reading}, which holds "
                f"on every scene.{two_ways}",
            ]
        elif not ok:
            a_bad = next(a for a in alt if not a[0])
            if a_bad[1].diagnosis != first[1].diagnosis:
                diag.append(
                    f"Read with v_w as the outside vectors ({alt_reading}) it is wrong too: "
                    + a_bad[1].diagnosis
                    + two_ways
                )
            elif two_ways:
                diag.append(two_ways.strip())
    # a wrong loss: is it the gradient of another loss?
    if (
        not res.passed
        and not res.conditional
        and claim[0] == "grad"
        and not inferred
        and loss in ("naive_softmax", "neg_sampling")
    ):
        other = "neg_sampling" if loss == "naive_softmax" else "naive_softmax"
        try:
            o_ok = all(_run_reading(claim, rhs, primary, other, cond)[0] for rhs in sides[1:])
        except Exception:
            o_ok = False
        if o_ok:
            diag.append(f"It is the gradient of {_LOSS_WORDS[other]}, not of {_LOSS_WORDS[loss]}.")
            res.kind = "wrong-loss"
    if inferred:
        notes.append(f"Loss: {_LOSS_WORDS[loss]}, inferred from the answer ({why}).")
    for slip in _window_slips(sides):
        notes.append(slip)
    used = _notation_used(sides)
    if used:
        notes.append(used)
    res.notes = notes
    res.diagnosis = _plain(" ".join(diag + notes))
    return res


def _plain(text: str) -> str:
    """gradcheck's words for code, said for a written answer."""
    return (
        text.replace(
            " Recheck the derivation term by term (pass terms=... to gradcheck to have it name the term).",
            " Recheck it term by term.",
        )
        .replace("Analytic gradient =", "The answer =")
        .replace("the analytic gradient", "the answer")
        .replace("The analytic gradient", "The answer")
        .replace("the numerical one", "the true gradient")
        .replace("the numerical gradient", "the true gradient")
        .replace("analytic gradient", "answer")
    )


def _notation_used(sides):
    zero = any(isinstance(n, N.Sym) and isinstance(n.sub, N.Num) and n.sub.value == 0 for n in _walk(sides))
    return "Subscript 0 is read as o, the observed outside word." if zero else ""


def _ordinal(i):
    return {2: "second", 3: "third", 4: "fourth", 5: "fifth"}.get(i, f"{i}th")
