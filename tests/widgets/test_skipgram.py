"""The skip-gram window explorer (notebook 05): its numbers match w2v_helpers.skipgram, the
window is clipped at the sentence's edges, and its PNG follows the controls."""

from functools import partial
from pathlib import Path

import numpy as np
import pytest

from w2v_helpers import (
    context_window,
    naive_softmax_loss_and_gradient,
    neg_sampling_loss_and_gradient,
    skipgram,
)
from w2v_helpers.answer_sheet import sheet_skipgram
from w2v_helpers.widgets import skipgram as sg

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
NAIVE, NEG = sg.LOSSES
RIGHT, SHEET = sg.WINDOWS


@pytest.fixture(scope="module")
def explorer():
    return sg.skipgram_window_explorer()


@pytest.fixture(scope="module")
def scene():
    return sg.sentence_scene()


def test_explorers_registry():
    assert set(sg.EXPLORERS) == {"skipgram_window"}
    for factory in sg.EXPLORERS.values():
        assert factory().render()[:8] == PNG_MAGIC


def test_sentence_comes_from_the_toy_corpus(scene):
    corpus = Path(__file__).resolve().parents[2] / "w2v_helpers" / "training" / "data" / "toy_corpus.txt"
    if corpus.exists():
        assert sg.SENTENCE in corpus.read_text(encoding="utf-8").splitlines()
    assert scene.words == ["the", "dog", "eats", "meat", "and", "cat", "fish"]
    assert scene.tokens == sg.SENTENCE.split()
    assert [scene.words[i] for i in scene.sentence_idxs] == scene.tokens
    # deterministic vectors
    again = sg.sentence_scene()
    np.testing.assert_array_equal(again.center_vectors, scene.center_vectors)
    np.testing.assert_array_equal(again.outside_vectors, scene.outside_vectors)


@pytest.mark.parametrize("t", range(9))
@pytest.mark.parametrize("m", [1, 2, 4])
def test_naive_state_matches_skipgram(explorer, scene, t, m):
    st = explorer.state(t=t, m=m, loss=NAIVE, window=RIGHT)
    sent = scene.sentence_idxs
    outs = context_window(sent, t, m)
    np.testing.assert_array_equal(st["outside_idxs"], outs)
    c = int(sent[t])
    loss, gc, go = skipgram(c, outs, scene.center_vectors, scene.outside_vectors)
    assert st["loss"] == pytest.approx(loss, rel=1e-12)
    np.testing.assert_allclose(st["grad_center_vectors"], gc, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(st["grad_outside_vectors"], go, rtol=1e-12, atol=1e-15)
    # dJ/dv_w = 0 for w != c
    others = np.arange(scene.V) != c
    assert np.all(st["grad_center_vectors"][others] == 0)
    # the window: every offset -m..m but 0, clipped at the edges
    assert sorted(st["offsets"] + st["clipped"]) == [j for j in range(-m, m + 1) if j]
    assert all(0 <= t + j < scene.n for j in st["offsets"])
    assert all(not 0 <= t + j < scene.n for j in st["clipped"])
    # the pairs' losses add up to J, and each is the single-pair loss
    assert sum(p["loss"] for p in st["pairs"]) == pytest.approx(loss, rel=1e-12)
    for p in st["pairs"]:
        assert p["loss"] == pytest.approx(
            naive_softmax_loss_and_gradient(scene.center_vectors[c], p["outside_idx"], scene.outside_vectors)[0],
            rel=1e-12,
        )


@pytest.mark.parametrize("t,m", [(0, 2), (4, 3), (8, 1), (5, 4)])
def test_negative_sampling_state(explorer, scene, t, m):
    st = explorer.state(t=t, m=m, loss=NEG, window=RIGHT)
    c = int(scene.sentence_idxs[t])
    v_c = scene.center_vectors[c]
    U = scene.outside_vectors
    loss, gc, go = 0.0, np.zeros(scene.d), np.zeros_like(U)
    for p in st["pairs"]:
        negs = sg.pair_negatives(scene, t, p["j"])
        np.testing.assert_array_equal(p["negatives"], negs)
        assert p["outside_idx"] not in negs
        l, g1, g2 = neg_sampling_loss_and_gradient(v_c, p["outside_idx"], U, negs)
        assert p["loss"] == pytest.approx(l, rel=1e-12)
        loss, gc, go = loss + l, gc + g1, go + g2
    assert st["loss"] == pytest.approx(loss, rel=1e-12)
    np.testing.assert_allclose(st["grad_center_vectors"][c], gc, rtol=1e-12)
    np.testing.assert_allclose(st["grad_outside_vectors"], go, rtol=1e-12, atol=1e-15)
    # rows untouched by o or the negatives are zero
    touched = {p["outside_idx"] for p in st["pairs"]} | {int(k) for p in st["pairs"] for k in p["negatives"]}
    for w in range(scene.V):
        if w not in touched:
            assert np.all(st["grad_outside_vectors"][w] == 0)
    # the negatives are fixed: the same controls give the same numbers
    again = explorer.state(t=t, m=m, loss=NEG, window=RIGHT)
    assert again["loss"] == st["loss"]


def test_same_negatives_via_partial_when_one_pair(scene):
    # with m = 1 at t = 0 there is one pair; skipgram with a partial gives the same numbers
    st = sg.skipgram_window_state(scene, 0, 1, NEG)
    negs = sg.pair_negatives(scene, 0, 1)
    f = partial(neg_sampling_loss_and_gradient, negative_idxs=negs)
    want = skipgram(
        int(scene.sentence_idxs[0]), [int(scene.sentence_idxs[1])], scene.center_vectors, scene.outside_vectors, f
    )
    assert st["loss"] == pytest.approx(want[0], rel=1e-12)
    np.testing.assert_allclose(st["grad_outside_vectors"], want[2], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("loss", sg.LOSSES)
def test_answer_sheet_window_misses_plus_m(explorer, scene, loss):
    t, m = 3, 2
    right = explorer.state(t=t, m=m, loss=loss, window=RIGHT)
    sheet = explorer.state(t=t, m=m, loss=loss, window=SHEET)
    assert sheet["loss"] == pytest.approx(right["loss"], rel=1e-12)  # the loss is the same
    assert [p["in_sum"] for p in sheet["pairs"]] == [p["j"] != m for p in sheet["pairs"]]
    missing = [p for p in right["pairs"] if p["j"] == m][0]
    c = right["center_idx"]
    f = (
        naive_softmax_loss_and_gradient
        if loss == NAIVE
        else partial(neg_sampling_loss_and_gradient, negative_idxs=missing["negatives"])
    )
    _, g1, g2 = f(scene.center_vectors[c], missing["outside_idx"], scene.outside_vectors)
    np.testing.assert_allclose(
        right["grad_center_vectors"][c] - sheet["grad_center_vectors"][c], g1, rtol=1e-9, atol=1e-12
    )
    np.testing.assert_allclose(right["grad_outside_vectors"] - sheet["grad_outside_vectors"], g2, rtol=1e-9, atol=1e-12)
    if loss == NAIVE:
        want = sheet_skipgram(c, scene.sentence_idxs, t, m, scene.center_vectors, scene.outside_vectors)
        np.testing.assert_allclose(sheet["grad_outside_vectors"], want[2], rtol=1e-12)


def test_repeated_words_accumulate(explorer, scene):
    # t = 4 ('and'), m = 3: outside words dog eats meat | the cat eats -> 'eats' twice
    st = explorer.state(t=4, m=3, loss=NAIVE, window=RIGHT)
    words = [scene.words[o] for o in st["outside_idxs"]]
    assert words == ["dog", "eats", "meat", "the", "cat", "eats"]
    html = explorer.readout(st)
    assert "'eats' ×2" in html and "'the' ×2" not in html
    # each position adds its own pair's gradient: the window sum is the sum over positions
    c = st["center_idx"]
    total = sum(
        naive_softmax_loss_and_gradient(scene.center_vectors[c], o, scene.outside_vectors)[2]
        for o in st["outside_idxs"]
    )
    np.testing.assert_allclose(st["grad_outside_vectors"], total, rtol=1e-12)


def test_edges_are_clipped(explorer):
    st = explorer.state(t=0, m=3)
    assert st["clipped"] == [-3, -2, -1] and st["offsets"] == [1, 2, 3]
    assert "clipped at the sentence edge" in explorer.readout(st)
    st = explorer.state(t=8, m=2)
    assert st["clipped"] == [1, 2] and st["offsets"] == [-2, -1]


def test_bad_arguments(scene):
    with pytest.raises(ValueError):
        sg.skipgram_window_state(scene, 9, 1)
    with pytest.raises(ValueError):
        sg.skipgram_window_state(scene, 0, 0)
    with pytest.raises(ValueError):
        sg.skipgram_window_state(scene, 0, 1, loss="hinge")


def test_png_changes_with_each_control(explorer):
    base = dict(t=3, m=2, loss=NAIVE, window=RIGHT)
    png0 = explorer.render(**base)
    assert png0[:8] == PNG_MAGIC
    for change in (dict(t=6), dict(m=3), dict(loss=NEG), dict(window=SHEET)):
        png = explorer.render(**{**base, **change})
        assert png[:8] == PNG_MAGIC and png != png0, change
    assert explorer.render(**base) == png0


def test_heat_maps_show_the_gradients(explorer):
    explorer.render(t=2, m=2, loss=NEG, window=RIGHT)
    st = explorer.last_state
    images = [a for a in explorer.figure.dynamic if a.__class__.__name__ == "AxesImage"]
    assert len(images) == 2
    np.testing.assert_array_equal(images[0].get_array(), st["grad_center_vectors"])
    np.testing.assert_array_equal(images[1].get_array(), st["grad_outside_vectors"])
    lim = explorer.colour_limit
    assert images[0].get_clim() == (-lim, lim) == images[1].get_clim()


def test_cached_background_matches_a_fresh_render():
    e = sg.skipgram_window_explorer()
    for kw in (dict(t=0), dict(m=4), dict(loss=NEG), dict(window=SHEET, t=8), dict(loss=NAIVE, m=1)):
        e.render(**kw)
    final = dict(t=5, m=3, loss=NEG, window=SHEET)
    assert e.render(**final) == sg.skipgram_window_explorer().render(**final)


def test_update_redraws_only_the_dynamic_artists():
    """Every control only moves dynamic artists (boxes, tags, heat maps): the background is
    drawn once and reused. Counted, never timed."""
    e = sg.skipgram_window_explorer()
    ff = e.figure
    e.render()
    full = ff.full_draws
    for kw in (dict(t=0), dict(m=4), dict(loss=NEG), dict(window=SHEET), dict(t=8, m=1)):
        reuses = ff.reuses
        e.render(**kw)
        assert ff.full_draws == full and ff.reuses == reuses + 1, kw
        assert all(any(a is d for d in ff.dynamic) for a in ff.last_drawn)


def test_compute_is_skipgram_window_state(explorer, scene):
    a = explorer.compute(t=4, m=3, loss=NEG, window=SHEET)
    b = sg.skipgram_window_state(scene, 4, 3, NEG, SHEET)
    assert a["loss"] == b["loss"]
    np.testing.assert_array_equal(a["grad_outside_vectors"], b["grad_outside_vectors"])


@pytest.mark.parametrize(
    "t, m, match",
    [
        (1.5, 1, "t must be an integer"),
        (-1, 1, "t must be in range"),
        (0, 2.0, "m must be a positive integer"),
        (0, -1, "m must be a positive"),
    ],
)
def test_bad_arguments_name_the_argument(scene, t, m, match):
    with pytest.raises(ValueError, match=match):
        sg.skipgram_window_state(scene, t, m)


def test_answer_sheet_window_is_marked_in_the_picture():
    """With the answer sheet's window, the word at j = +m is tagged "left out" (and coloured),
    with the right window it is not."""
    e = sg.skipgram_window_explorer()
    texts = lambda: [
        a.get_text()
        for a in e.figure.dynamic  # noqa: E731
        if hasattr(a, "get_text") and a.get_visible()
    ]
    faces = lambda: [
        tuple(b.get_facecolor())
        for b in e.figure.dynamic  # noqa: E731
        if type(b).__name__ == "Rectangle" and b.get_height() < 0.5
    ]
    e.render(t=3, m=2, window=RIGHT)
    right_texts, right_faces = texts(), faces()
    assert not any("left out" in t for t in right_texts)
    e.render(t=3, m=2, window=SHEET)
    assert "j=+2\nleft out" in texts()
    assert faces() != right_faces
