"""The negative-sampling explorer (notebook 04): its numbers match w2v_helpers, its PNG follows
the controls, and the helpers (loss grids, sparse update, noise plot, timing) are right."""

import numpy as np
import pytest

from w2v_helpers import (
    naive_softmax_loss_and_gradient,
    neg_sampling_loss_and_gradient,
    noise_distribution,
    sample_negatives,
)
from w2v_helpers.scenes import toy_scene
from w2v_helpers.widgets import negsampling as ns

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def explorer():
    return ns.negative_sampling_explorer()


@pytest.fixture(scope="module")
def scene():
    return toy_scene()


def test_explorers_registry():
    assert set(ns.EXPLORERS) == {"negative_sampling"}
    for factory in ns.EXPLORERS.values():
        assert factory().render()[:8] == PNG_MAGIC


@pytest.mark.parametrize(
    "outside,K,vx,vy,draw",
    [
        (1, 3, 0.8, 0.5, 0),
        (0, 1, -1.5, 2.0, 4),
        (5, 5, 0.0, -0.3, 11),
        (3, 2, 2.0, -2.0, 7),
    ],
)
def test_state_matches_core(explorer, scene, outside, K, vx, vy, draw):
    st = explorer.state(outside=outside, K=K, vx=vx, vy=vy, draw=draw, exclude_o=True)
    v = np.array([vx, vy])
    U = scene.outside_vectors
    negs = st["negatives"]
    assert negs.shape == (K,)
    assert outside not in negs
    # the negatives are the seeded draw of sample_negatives from the 3/4-power noise
    expected = sample_negatives(outside, noise_distribution(scene.counts, 0.75), ns.K_MAX, np.random.default_rng(draw))[
        :K
    ]
    np.testing.assert_array_equal(negs, expected)
    loss, gc, go = neg_sampling_loss_and_gradient(v, outside, U, negs)
    assert st["loss"] == pytest.approx(loss, rel=1e-12)
    np.testing.assert_allclose(st["grad_center_vec"], gc, rtol=1e-12)
    np.testing.assert_allclose(st["grad_outside_vectors"], go, rtol=1e-12)
    # the bars: one term per draw, and they add up to J
    assert st["term_o"] == pytest.approx(-np.log(1 / (1 + np.exp(-U[outside] @ v))), rel=1e-10)
    np.testing.assert_allclose(st["terms_k"], -np.log(1 / (1 + np.exp(U[negs] @ v))), rtol=1e-10)
    assert st["term_o"] + st["terms_k"].sum() == pytest.approx(loss, rel=1e-12)
    nl, ngc, _ = naive_softmax_loss_and_gradient(v, outside, U)
    assert st["naive_loss"] == pytest.approx(nl, rel=1e-12)
    np.testing.assert_allclose(st["naive_grad_center_vec"], ngc, rtol=1e-12)


def test_raising_k_keeps_earlier_negatives(explorer):
    prev = explorer.state(K=1, draw=3)["negatives"]
    for K in range(2, ns.K_MAX + 1):
        cur = explorer.state(K=K, draw=3)["negatives"]
        np.testing.assert_array_equal(cur[:-1], prev)
        prev = cur


def test_outside_word_can_be_drawn_when_allowed(scene):
    hits = [ns.draw_negatives(1, scene.counts, 5, d, exclude_outside=False) for d in range(40)]
    assert any(1 in h for h in hits)
    assert not any(1 in ns.draw_negatives(1, scene.counts, 5, d) for d in range(40))


def test_repeated_and_outside_negatives_explicit(explorer, scene):
    # o = 1 ('cup') drawn as a negative too, 'car' drawn twice
    st = explorer.state(outside=1, vx=0.4, vy=-0.7, negatives=[4, 1, 4])
    v = np.array([0.4, -0.7])
    U = scene.outside_vectors
    s = lambda x: 1 / (1 + np.exp(-x))  # noqa: E731
    g = st["grad_outside_vectors"]
    np.testing.assert_allclose(g[4], 2 * s(U[4] @ v) * v, rtol=1e-10)
    np.testing.assert_allclose(g[1], (-s(-U[1] @ v) + s(U[1] @ v)) * v, rtol=1e-10)
    assert np.all(g[[0, 2, 3, 5]] == 0)
    assert len(st["terms_k"]) == 3 and st["terms_k"][0] == st["terms_k"][2]
    html = explorer.readout(st)
    assert "drawn more than once: car" in html and "is also a negative" in html


def test_loss_grids_match_core(scene):
    U = scene.outside_vectors
    pts = np.array([[0.3, -1.2], [1.9, 0.4], [-2.0, -2.0], [0.0, 0.0]])
    negs = np.array([2, 4, 4])
    got = ns.neg_sampling_loss_grid(pts, 1, U, negs)
    want = [neg_sampling_loss_and_gradient(p, 1, U, negs)[0] for p in pts]
    np.testing.assert_allclose(got, want, rtol=1e-12)
    got = ns.naive_softmax_loss_grid(pts, 3, U)
    want = [naive_softmax_loss_and_gradient(p, 3, U)[0] for p in pts]
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_sparse_update_matches_dense():
    rng = np.random.default_rng(1)
    U = rng.normal(size=(30, 7))
    v = rng.normal(size=7)
    negs = np.array([5, 9, 5, 0, 22])
    loss, gc, go = neg_sampling_loss_and_gradient(v, 3, U, negs)
    l2, gc2, rows, grows = ns.neg_sampling_sparse_loss_and_gradient(v, 3, U, negs)
    assert l2 == pytest.approx(loss, rel=1e-12)
    np.testing.assert_allclose(gc2, gc, rtol=1e-12)
    dense = np.zeros_like(U)
    np.add.at(dense, rows, grows)
    np.testing.assert_allclose(dense, go, rtol=1e-12, atol=1e-15)
    assert rows.shape == (6,) and grows.shape == (6, 7)


def test_png_changes_with_each_control(explorer):
    base = dict(outside=1, K=3, vx=0.8, vy=0.5, draw=0, exclude_o=True)
    png0 = explorer.render(**base)
    assert png0[:8] == PNG_MAGIC
    for change in (dict(vx=-1.0), dict(vy=-1.5), dict(K=5), dict(draw=1), dict(outside=4)):
        png = explorer.render(**{**base, **change})
        assert png[:8] == PNG_MAGIC and png != png0, change
    assert explorer.render(**base) == png0  # back to the same picture


def test_surfaces_recomputed_only_when_negatives_change(explorer, monkeypatch):
    explorer.render(outside=2, K=2, draw=5, vx=0.0, vy=0.0)
    calls = []
    real = ns.neg_sampling_loss_grid
    monkeypatch.setattr(ns, "neg_sampling_loss_grid", lambda *a: calls.append(1) or real(*a))
    for x in np.linspace(-1, 1, 5):
        explorer.render(outside=2, K=2, draw=5, vx=float(x), vy=0.3)
    assert calls == []
    explorer.render(outside=2, K=2, draw=6, vx=0.0, vy=0.3)
    assert calls == [1]


def test_buttons(explorer):
    c = explorer.controls
    c["outside"].value, c["K"].value, c["draw"].value = 1, 3, 0
    c["vx"].value, c["vy"].value = 0.8, 0.5
    explorer.buttons["resample"].click()
    assert c["draw"].value == 1
    st = explorer.state()
    explorer.buttons["step"].click()
    want = np.array([0.8, 0.5]) - ns.STEP_LR * st["grad_center_vec"]
    assert (c["vx"].value, c["vy"].value) == pytest.approx(tuple(want), abs=1e-9)
    assert explorer.state()["loss"] < st["loss"]  # a small descent step lowers J
    explorer.buttons["reset"].click()
    assert (c["vx"].value, c["vy"].value, c["draw"].value) == (0.8, 0.5, 0)


def test_noise_distribution_figure(scene):
    fig = ns.plot_noise_distributions(scene.counts, scene.words)
    ax = fig.axes[0]
    heights = np.array([p.get_height() for p in ax.patches]).reshape(3, -1)
    np.testing.assert_allclose(heights[0], noise_distribution(scene.counts, 1.0))
    np.testing.assert_allclose(heights[1], noise_distribution(scene.counts, 0.75))
    np.testing.assert_allclose(heights[2], np.full(6, 1 / 6))


def test_timing_helpers():
    t = ns.time_losses(vocab_sizes=(50, 500), d=8, k=3, repeats=1)
    assert t["V"] == [50, 500]
    for name in ("naive softmax", "neg. sampling (dense)", "neg. sampling (K+1 rows)"):
        assert len(t[name]) == 2 and all(x > 0 for x in t[name])
    fig = ns.plot_timings(t)
    assert len(fig.axes[0].lines) == 4


def test_cached_layers_match_a_fresh_render():
    """The background/layer caches never leave stale pixels: after any sequence of updates the
    PNG equals the one a fresh explorer renders for the same controls."""
    e = ns.negative_sampling_explorer()
    for kw in (
        dict(vx=-1.0),
        dict(draw=3),
        dict(outside=4),
        dict(K=1),
        dict(exclude_o=False, draw=7),
        dict(outside=0, vy=-1.9),
        dict(K=5),
    ):
        e.render(**kw)
    final = dict(outside=2, K=4, vx=0.35, vy=-0.6, draw=9, exclude_o=False)
    assert e.render(**final) == ns.negative_sampling_explorer().render(**final)


def test_update_redraws_only_the_dynamic_artists():
    """Moving v_c restores the cached background and layers and draws only the dynamic
    artists; new negatives redraw the negative-sampling layer (and the bar labels), not the
    background; a new o also redraws the softmax layer. Counted, never timed."""
    e = ns.negative_sampling_explorer()
    ff = e.figure
    e.render()
    full, layers = ff.full_draws, ff.layer_draws
    for x in np.linspace(-2, 2, 9):
        e.render(vx=float(x))
        assert ff.full_draws == full and ff.layer_draws == layers
        assert ff.last_drawn and all(any(a is d for d in ff.dynamic) for a in ff.last_drawn)
    e.render(draw=5)
    assert ff.full_draws == full and ff.layer_draws == layers + 2  # "ns" and "bar"
    e.render(draw=5, outside=4)
    assert ff.full_draws == full and ff.layer_draws == layers + 5  # "ns", "sm", "bar"


def test_compute_is_pure(explorer, scene):
    a = explorer.compute(outside=2, K=3, vx=0.1, vy=-0.4, draw=8, exclude_o=True)
    explorer.buttons["resample"].click()
    explorer.buttons["step"].click()
    b = explorer.compute(outside=2, K=3, vx=0.1, vy=-0.4, draw=8, exclude_o=True)
    for key in ("negatives", "loss", "grad_center_vec", "grad_outside_vectors", "terms_k"):
        np.testing.assert_array_equal(a[key], b[key])
    explorer.buttons["reset"].click()


def test_buttons_change_the_picture():
    e = ns.negative_sampling_explorer()
    before = e.render()
    e.buttons["resample"].click()
    after = e.render()
    assert after != before and e.controls["draw"].value == 1
    e.buttons["step"].click()
    assert e.render() != after
    e.buttons["reset"].click()
    assert e.render() == before


def test_draw_negatives_checks_k(scene):
    for bad in (0, ns.K_MAX + 1):
        with pytest.raises(ValueError, match="k must"):
            ns.draw_negatives(1, scene.counts, bad)
    with pytest.raises(ValueError, match="k must be a positive integer"):
        ns.draw_negatives(1, scene.counts, 2.5)


def test_loss_grids_are_stable_far_out(scene):
    pts = np.array([[1e4, -1e4], [-1e4, 1e4]])
    assert np.all(np.isfinite(ns.neg_sampling_loss_grid(pts, 1, scene.outside_vectors, [2, 3])))
    assert np.all(np.isfinite(ns.naive_softmax_loss_grid(pts, 1, scene.outside_vectors)))
