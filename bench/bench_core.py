#!/usr/bin/env python
"""Microseconds per call of the two loss functions, vectorized vs a plain per-word loop.

    python bench/bench_core.py            # V = 10,000, d = 100, K = 10
    python bench/bench_core.py --V 1000   # other sizes

Prints a markdown table (the README quotes it). The loop versions compute the same
formulas one word at a time in Python, as a first implementation from the
derivation would; they are checked against the vectorized results before timing.
"""

from __future__ import annotations

import argparse
import math
import timeit

import numpy as np

import w2v_helpers as w2v


def naive_softmax_loop(center_vec, outside_idx, outside_vectors):
    """The same loss and gradients, one word at a time."""
    V, d = outside_vectors.shape
    scores = [float(outside_vectors[w] @ center_vec) for w in range(V)]
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    loss = math.log(total) + top - scores[outside_idx]
    grad_center = -outside_vectors[outside_idx].copy()
    grad_outside = np.zeros((V, d))
    for w in range(V):
        p = exps[w] / total
        grad_center += p * outside_vectors[w]
        grad_outside[w] = (p - (w == outside_idx)) * center_vec
    return loss, grad_center, grad_outside


def neg_sampling_loop(center_vec, outside_idx, outside_vectors, negative_idxs):
    """The same loss and gradients, one negative sample at a time."""
    sig = lambda x: 1.0 / (1.0 + math.exp(-x))  # noqa: E731  (fine for moderate scores)
    grad_outside = np.zeros(outside_vectors.shape)
    s_o = float(outside_vectors[outside_idx] @ center_vec)
    loss = -math.log(sig(s_o))
    grad_center = -sig(-s_o) * outside_vectors[outside_idx]
    grad_outside[outside_idx] += -sig(-s_o) * center_vec
    for k in negative_idxs:
        s_k = float(outside_vectors[k] @ center_vec)
        loss -= math.log(sig(-s_k))
        grad_center = grad_center + sig(s_k) * outside_vectors[k]
        grad_outside[k] += sig(s_k) * center_vec
    return loss, grad_center, grad_outside


def per_call_us(fn, number: int) -> float:
    times = timeit.repeat(fn, number=number, repeat=5)
    return min(times) / number * 1e6


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--V", type=int, default=10_000)
    parser.add_argument("--d", type=int, default=100)
    parser.add_argument("--K", type=int, default=10)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    U = rng.normal(scale=0.1, size=(args.V, args.d))
    v = rng.normal(scale=0.1, size=args.d)
    o = 3
    negs = w2v.sample_negatives(o, w2v.noise_distribution(np.ones(args.V)), args.K, rng)

    for fast, slow, extra in (
        (w2v.naive_softmax_loss_and_gradient, naive_softmax_loop, ()),
        (w2v.neg_sampling_loss_and_gradient, neg_sampling_loop, (negs,)),
    ):
        a, b = fast(v, o, U, *extra), slow(v, o, U, *extra)
        assert np.isclose(a[0], b[0]) and np.allclose(a[1], b[1]) and np.allclose(a[2], b[2])

    from w2v_helpers.core import _naive_softmax, _neg_sampling

    rows = [
        (
            "naive_softmax_loss_and_gradient",
            per_call_us(lambda: w2v.naive_softmax_loss_and_gradient(v, o, U), 20),
            per_call_us(lambda: _naive_softmax(v, o, U), 20),
            per_call_us(lambda: naive_softmax_loop(v, o, U), 1),
        ),
        (
            "neg_sampling_loss_and_gradient",
            per_call_us(lambda: w2v.neg_sampling_loss_and_gradient(v, o, U, negs), 50),
            per_call_us(lambda: _neg_sampling(v, o, U, negs), 200),
            per_call_us(lambda: neg_sampling_loop(v, o, U, negs), 200),
        ),
    ]
    print(f"V = {args.V:,}, d = {args.d}, K = {args.K}; best of 5 repeats\n")
    print(
        "| function | public, with input checks (µs/call) | vectorized computation (µs/call) "
        "| per-word loop (µs/call) | loop ÷ vectorized |"
    )
    print("|---|---:|---:|---:|---:|")
    for name, public_us, fast_us, slow_us in rows:
        print(f"| `{name}` | {public_us:,.0f} | {fast_us:,.0f} | {slow_us:,.0f} | {slow_us / fast_us:,.1f}× |")
    print(
        "\nThe input checks scan all V·d entries of outside_vectors for NaN/inf, an O(Vd) pass that the "
        "O(Kd) negative-sampling computation does not otherwise need; the trainer calls the unchecked core."
    )


if __name__ == "__main__":
    main()
