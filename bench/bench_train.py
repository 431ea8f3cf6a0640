"""Benchmark: our numpy skip-gram trainer against gensim's Word2Vec, back to back, same corpus.

    /work/venv/bin/python bench/bench_train.py                      # lee+wiki, 5 epochs, 1 seed
    /work/venv/bin/python bench/bench_train.py --seeds 3            # quality averaged over 3 seeds
    /work/venv/bin/python bench/bench_train.py --corpus lee --epochs 5

For each seed, both trainers see the same in-memory list of sentences with the
same settings (skip-gram, K = 5 negatives, window 5, d = 100, min_count 5,
sample 1e-3, alpha 0.025 -> 1e-4); gensim runs with workers=1. Speed is corpus
words (rare ones included) times epochs divided by the time of the training
loop alone (vocabulary building is timed apart); it is reported on the wall
clock and on CPU time, the latter being robust to other processes on the
machine. A third row is a plain Python loop calling
``w2v_helpers.neg_sampling_loss_and_gradient`` once per (center, outside) pair
on a small slice of the corpus, for contrast. Quality: 3CosAdd analogy accuracy
on questions-words, Spearman's rho on WordSim-353 and SimLex-999, all computed
by ``w2v_helpers.evaluate`` (tested equal to gensim's own evaluation).

Prints a markdown table. Nothing is written to the working directory.
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import time

import numpy as np


def plain_loop_words_per_second(sentences, vocab_index, counts, n_words: int, seed: int = 0,
                                window: int = 5, negatives: int = 5, dim: int = 100, alpha: float = 0.025):
    """Words/s of SGD calling neg_sampling_loss_and_gradient once per pair (dense (V, d) gradients)."""
    from w2v_helpers import neg_sampling_loss_and_gradient, noise_distribution

    rng = np.random.default_rng(seed)
    V = len(counts)
    W = (rng.random((V, dim)) - 0.5) / dim
    U = np.zeros((V, dim))
    noise = noise_distribution(counts, 0.75)
    cum = np.cumsum(noise)
    ids = []
    for s in sentences:
        ids.extend(vocab_index[t] for t in s if t in vocab_index)
        if len(ids) >= n_words:
            break
    ids = ids[:n_words]
    t0 = time.perf_counter()
    for i, c in enumerate(ids):
        b = int(rng.integers(1, window + 1))
        for j in range(max(0, i - b), min(len(ids), i + b + 1)):
            if j == i:
                continue
            o = ids[j]
            negs = np.searchsorted(cum, rng.random(negatives))
            negs = np.minimum(negs, V - 1)
            _, g_c, g_U = neg_sampling_loss_and_gradient(W[c], o, U, negs)
            W[c] -= alpha * g_c
            U -= alpha * g_U
    return len(ids) / (time.perf_counter() - t0)


def run_ours(sentences, args, seed):
    from w2v_helpers.train import train_skipgram

    t0, c0 = time.perf_counter(), time.process_time()
    model = train_skipgram(sentences, dim=args.dim, window=args.window, negatives=args.negatives,
                           epochs=args.epochs, min_count=args.min_count, sample=args.sample, seed=seed,
                           progress=False)
    total = time.perf_counter() - t0
    return model, dict(train=model.train_seconds, train_cpu=model.train_cpu_seconds, total=total,
                       total_cpu=time.process_time() - c0, words=model.total_words,
                       effective=model.effective_words)


def run_gensim(sentences, args, seed):
    from gensim.models import Word2Vec

    from w2v_helpers.evaluate import WordVectors
    from w2v_helpers.train import stable_hash

    t0, c0 = time.perf_counter(), time.process_time()
    model = Word2Vec(sg=1, negative=args.negatives, window=args.window, vector_size=args.dim,
                     min_count=args.min_count, sample=args.sample, workers=1, seed=seed, epochs=args.epochs,
                     hashfxn=stable_hash)
    model.build_vocab(sentences)
    t1, c1 = time.perf_counter(), time.process_time()
    effective, raw = model.train(sentences, total_examples=model.corpus_count, epochs=args.epochs)
    t2, c2 = time.perf_counter(), time.process_time()
    wv = WordVectors(model.wv.index_to_key, model.wv.vectors)
    return wv, dict(train=t2 - t1, train_cpu=c2 - c1, total=t2 - t0, total_cpu=c2 - c0,
                    words=model.corpus_total_words, effective=effective)


def scores(wv):
    from w2v_helpers.evaluate import evaluate_all

    r = evaluate_all(wv, restrict_vocab=30000)
    return dict(analogy=r["analogy"].accuracy, analogy_n=r["analogy"].attempted,
                analogy_correct=r["analogy"].correct, ws353=r["ws353"].spearman,
                simlex=r["simlex999"].spearman, ws_n=r["ws353"].pairs, sl_n=r["simlex999"].pairs)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default="lee+wiki", help="built-in corpus name or text file (default lee+wiki)")
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--window", type=int, default=5)
    ap.add_argument("--negatives", type=int, default=5)
    ap.add_argument("--min-count", type=int, default=5)
    ap.add_argument("--sample", type=float, default=1e-3)
    ap.add_argument("--seeds", type=int, default=1, help="train each model with seeds 0..N-1 (default 1)")
    ap.add_argument("--plain-words", type=int, default=300,
                    help="corpus words for the plain per-pair loop (default 300; 0 skips it)")
    args = ap.parse_args(argv)

    import gensim
    import scipy

    from w2v_helpers.datasets import load_corpus
    from w2v_helpers.train import build_vocab

    sentences = list(load_corpus(args.corpus))
    n_words = sum(map(len, sentences))
    print(f"corpus {args.corpus}: {len(sentences)} lines, {n_words} words; epochs {args.epochs}, "
          f"d {args.dim}, window {args.window}, K {args.negatives}, min_count {args.min_count}, "
          f"sample {args.sample:g}")
    print(f"python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}, "
          f"gensim {gensim.__version__}, {os.cpu_count()} CPUs, OPENBLAS_CORETYPE="
          f"{os.environ.get('OPENBLAS_CORETYPE', '(unset)')}, load average at start "
          f"{os.getloadavg()[0]:.2f}", flush=True)

    rows = {"ours": [], "gensim": []}
    for seed in range(args.seeds):
        for name, run in (("ours", run_ours), ("gensim", run_gensim)):
            wv, t = run(sentences, args, seed)
            t.update(scores(wv))
            rows[name].append(t)
            print(f"  seed {seed} {name:6s}: train {t['train']:.2f} s wall, {t['train_cpu']:.2f} s CPU; "
                  f"analogy {t['analogy']:.4f} ({t['analogy_correct']}/{t['analogy_n']}), "
                  f"WS353 {t['ws353']:.4f}, SimLex {t['simlex']:.4f}", flush=True)

    plain = None
    if args.plain_words:
        vocab = build_vocab(sentences, min_count=args.min_count)
        plain = plain_loop_words_per_second(sentences, vocab.index, vocab.counts, args.plain_words,
                                            window=args.window, negatives=args.negatives, dim=args.dim)

    def mean(name, key):
        return float(np.mean([r[key] for r in rows[name]]))

    def wps(name, key):
        return float(np.mean([r["words"] * args.epochs / r[key] for r in rows[name]]))

    n = args.seeds
    print()
    print(f"| trainer | words/s (wall) | words/s (CPU) | train time (wall) | analogy acc. | WS353 rho "
          f"| SimLex rho |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    labels = {"ours": "w2v_helpers.train (numpy, float32)", "gensim": "gensim Word2Vec, workers=1"}
    for name in ("ours", "gensim"):
        print(f"| {labels[name]} | {wps(name, 'train'):,.0f} | {wps(name, 'train_cpu'):,.0f} | "
              f"{mean(name, 'train'):.2f} s | {mean(name, 'analogy'):.4f} | {mean(name, 'ws353'):.4f} | "
              f"{mean(name, 'simlex'):.4f} |")
    if plain is not None:
        print(f"| plain loop over neg_sampling_loss_and_gradient ({args.plain_words} words) | {plain:,.0f} "
              f"| | | | | |")
    r0 = rows["ours"][0]
    print()
    print(f"Means over {n} seed(s). Words/s = {r0['words']:,} corpus words x {args.epochs} epochs / time of "
          f"the training loop; effective words (after min_count and subsampling) per epoch: ours "
          f"{mean('ours', 'effective') / args.epochs:,.0f}, gensim {mean('gensim', 'effective') / args.epochs:,.0f}. "
          f"Analogies over {r0['analogy_n']} questions in vocabulary, WS353 over {r0['ws_n']} pairs, "
          f"SimLex over {r0['sl_n']} pairs. Speed ratio ours/gensim: wall "
          f"{wps('ours', 'train') / wps('gensim', 'train'):.2f}x, CPU "
          f"{wps('ours', 'train_cpu') / wps('gensim', 'train_cpu'):.2f}x.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
