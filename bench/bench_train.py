"""Benchmark: our numpy skip-gram trainer against gensim's Word2Vec(sg=1, workers=1), interleaved, same corpus.

    python bench/bench_train.py                                  # lee+wiki and the sentence corpus, 3 reps
    python bench/bench_train.py --corpus lee+wiki --reps 5
    python bench/bench_train.py --corpus sentences --sentence-words 3000000

Corpora: ``lee+wiki`` (the default training corpus, 874 lines of up to 1000 words, one document
each) and ``sentences``: ordinary one-sentence-per-line text of a few million words built from
the same sources. The Lee news documents and the Wikipedia articles of gensim's test data are
split into sentences at ``.``, ``!`` and ``?`` (tokenised like the built-in corpora), and the
list of sentences is repeated, each copy in its own shuffled order (numpy ``default_rng(0)``),
until it holds ``--sentence-words`` words. The build is deterministic and written to the
corpus cache (``$W2V_HELPERS_CACHE`` or ``~/.cache/w2v_helpers``), never to the repository.

Repetition r trains both models with seed r (``--seed`` + r) and the same settings (skip-gram, K = 5
negatives, window 5, d = 100, min_count 5, sample 1e-3, alpha 0.025 -> 1e-4, 5 epochs) on
the same in-memory list of sentences, one right after the other, alternating which goes
first, so that both see the same load on a shared machine. Speed is corpus words times epochs
divided by the time of the training loop alone (vocabulary building excluded for both);
the ratio ours/gensim is computed per repetition and reported as its range (min-max) on
the wall clock and on CPU time. Quality: 3CosAdd analogy accuracy on questions-words and
Spearman's rho on WordSim-353 and SimLex-999 (gensim's KeyedVectors evaluations), averaged.

Prints the CPU (``lscpu`` model name), numpy's BLAS (threadpoolctl) and a markdown table.

``--objective`` (repeatable) picks the models: ``sg`` (skip-gram, negative sampling, the default),
``cbow`` (``--cbow``; gensim ``sg=0``), ``hs`` (``--hs``; gensim ``hs=1, negative=0``) and
``cbow+hs`` (both; gensim ``sg=0, hs=1, negative=0``); each gets its own interleaved reps and table:

    python bench/bench_train.py --corpus lee+wiki --objective cbow --objective hs --objective cbow+hs
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import time

import numpy as np

SENTENCE_CORPUS_VERSION = "v1"

OBJECTIVE_LABELS = {  # --objective: (our row, gensim's row)
    "sg": ("w2v_helpers.training (numpy, float32)", "gensim Word2Vec sg=1, workers=1"),
    "cbow": ("w2v_helpers.training --cbow", "gensim Word2Vec sg=0, workers=1"),
    "hs": ("w2v_helpers.training --hs", "gensim Word2Vec sg=1, hs=1, negative=0, workers=1"),
    "cbow+hs": ("w2v_helpers.training --cbow --hs", "gensim Word2Vec sg=0, hs=1, negative=0, workers=1"),
}


def cpu_model() -> str:
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            if line.startswith("Model name:"):
                return line.split(":", 1)[1].strip()
    except (OSError, subprocess.CalledProcessError):
        pass
    return platform.processor() or "unknown CPU"


def blas_info() -> str:
    """numpy's BLAS as threadpoolctl reports it (scipy may load a BLAS of its own, which we do not use)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "threadpoolctl not installed"
    libs = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    mine = [i for i in libs if "numpy" in i.get("filepath", "")] or libs
    return "; ".join(
        f"{i.get('internal_api')} {i.get('version')} ({i.get('architecture')}, "
        f"{i.get('num_threads')} threads, {os.path.basename(i.get('filepath', ''))})"
        for i in mine
    )


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _split_sentences(text: str):
    from w2v_helpers.training.datasets import tokenize

    for piece in _SENTENCE_END.split(text):
        tokens = tokenize(piece)
        if tokens:
            yield tokens


def _wiki_sentence_tokenizer(text, token_min_len, token_max_len, lower):
    # WikiCorpus hands each article's plain text here; keep its sentences (joined, split again below)
    return [" ".join(t for t in s if len(t) <= token_max_len) for s in _split_sentences(text)]


def source_sentences():
    """The sentences of the Lee documents and of the Wikipedia excerpt, in order."""
    from gensim.corpora import WikiCorpus

    from w2v_helpers.training.datasets import LEE_FILES, WIKI_FILE, gensim_test_data

    out = []
    for name in LEE_FILES:
        with open(gensim_test_data(name), encoding="cp1252") as f:
            for line in f:
                out.extend(_split_sentences(line))
    wiki = WikiCorpus(
        str(gensim_test_data(WIKI_FILE)),
        processes=1,
        dictionary={},
        tokenizer_func=_wiki_sentence_tokenizer,
        token_max_len=20,
        article_min_tokens=1,
    )
    for article in wiki.get_texts():
        out.extend(s.split() for s in article if s)
    return out


def sentence_corpus_path(words: int, seed: int = 0):
    """Build (once) the shuffled, repeated sentence corpus of at least ``words`` words in the cache."""
    from w2v_helpers.training.datasets import _write_atomic, cache_dir

    path = cache_dir() / f"sentences-{words}-seed{seed}-{SENTENCE_CORPUS_VERSION}.txt"
    if path.exists():
        return path
    base = source_sentences()
    rng = np.random.default_rng(seed)
    n_base = sum(map(len, base))

    def copies():
        n = 0
        while n < words:
            for i in rng.permutation(len(base)):
                yield base[i]
            n += n_base

    return _write_atomic(path, copies())


def load(name: str, args):
    from w2v_helpers.training.datasets import load_corpus

    if name == "sentences":
        return list(load_corpus(str(sentence_corpus_path(args.sentence_words))))
    return list(load_corpus(name))


def run_ours(sentences, args, seed):
    from w2v_helpers.training import TrainConfig, train

    model = train(
        sentences,
        TrainConfig(
            dim=args.dim,
            window=args.window,
            negatives=args.negatives,
            epochs=args.epochs,
            min_count=args.min_count,
            sample=args.sample,
            seed=seed,
            progress=False,
            cbow=getattr(args, "cbow", False),
            hs=getattr(args, "hs", False),
        ),
    )
    return model.wv, dict(
        train=model.train_seconds,
        train_cpu=model.train_cpu_seconds,
        words=model.total_words,
        effective=model.effective_words,
    )


def run_gensim(sentences, args, seed):
    from gensim.models import Word2Vec

    from w2v_helpers.training import stable_hash

    cbow, hs = getattr(args, "cbow", False), getattr(args, "hs", False)
    model = Word2Vec(
        sg=0 if cbow else 1,
        hs=int(hs),
        negative=0 if hs else args.negatives,
        window=args.window,
        vector_size=args.dim,
        min_count=args.min_count,
        sample=args.sample,
        workers=1,
        seed=seed,
        epochs=args.epochs,
        hashfxn=stable_hash,
    )
    model.build_vocab(sentences)
    t1, c1 = time.perf_counter(), time.process_time()
    effective, _ = model.train(sentences, total_examples=model.corpus_count, epochs=args.epochs)
    t2, c2 = time.perf_counter(), time.process_time()
    return model.wv, dict(train=t2 - t1, train_cpu=c2 - c1, words=model.corpus_total_words, effective=effective)


def scores(wv):
    from w2v_helpers.training.evaluate import evaluate_all

    r = evaluate_all(wv, restrict_vocab=30000)
    return dict(
        analogy=r["analogy"].accuracy,
        analogy_n=r["analogy"].attempted,
        ws353=r["ws353"].spearman,
        simlex=r["simlex999"].spearman,
    )


def bench_corpus(name, args):
    sentences = load(name, args)
    n_words = sum(map(len, sentences))
    print(
        f"\n## corpus {name}, objective {getattr(args, 'objective_name', 'sg')}: {len(sentences):,} lines, {n_words:,} words, "
        f"{n_words / len(sentences):.1f} words per line; load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    rows = {"ours": [], "gensim": []}
    runs = {"ours": run_ours, "gensim": run_gensim}
    for rep in range(args.reps):
        order = ("ours", "gensim") if rep % 2 == 0 else ("gensim", "ours")
        for who in order:
            wv, t = runs[who](sentences, args, args.seed + rep)
            t.update(scores(wv))
            rows[who].append(t)
            print(
                f"  rep {rep} {who:6s}: train {t['train']:.2f} s wall, {t['train_cpu']:.2f} s CPU; analogy "
                f"{t['analogy']:.4f}, WS353 {t['ws353']:.4f}, SimLex {t['simlex']:.4f}",
                flush=True,
            )
    wall = [g["train"] / o["train"] for o, g in zip(rows["ours"], rows["gensim"])]
    cpu = [g["train_cpu"] / o["train_cpu"] for o, g in zip(rows["ours"], rows["gensim"])]

    def mean(who, key):
        return float(np.mean([r[key] for r in rows[who]]))

    print()
    print("| trainer | words/s (wall, median) | words/s (CPU, median) | analogy acc. | WS353 rho | SimLex rho |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    ours_label, gensim_label = OBJECTIVE_LABELS[getattr(args, "objective_name", "sg")]
    for who, label in (("ours", ours_label), ("gensim", gensim_label)):
        wps = np.median([r["words"] * args.epochs / r["train"] for r in rows[who]])
        cps = np.median([r["words"] * args.epochs / r["train_cpu"] for r in rows[who]])
        print(
            f"| {label} | {wps:,.0f} | {cps:,.0f} | {mean(who, 'analogy'):.4f} | {mean(who, 'ws353'):.4f} "
            f"| {mean(who, 'simlex'):.4f} |"
        )
    print(
        f"\nspeed ratio ours/gensim over {args.reps} interleaved reps: wall {min(wall):.2f}-{max(wall):.2f}x "
        f"(median {np.median(wall):.2f}), CPU {min(cpu):.2f}-{max(cpu):.2f}x (median {np.median(cpu):.2f}); "
        f"quality difference ours - gensim: analogy {100 * (mean('ours', 'analogy') - mean('gensim', 'analogy')):+.2f} "
        f"points, WS353 {mean('ours', 'ws353') - mean('gensim', 'ws353'):+.4f}, SimLex "
        f"{mean('ours', 'simlex') - mean('gensim', 'simlex'):+.4f}; effective words per epoch: ours "
        f"{mean('ours', 'effective') / args.epochs:,.0f}, gensim {mean('gensim', 'effective') / args.epochs:,.0f}",
        flush=True,
    )
    return wall, cpu


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--corpus",
        action="append",
        default=None,
        help="lee+wiki, sentences, another built-in name or a text file; repeatable (default: lee+wiki and sentences)",
    )
    ap.add_argument(
        "--sentence-words", type=int, default=3_000_000, help="size of the sentence corpus (default 3,000,000 words)"
    )
    ap.add_argument("--reps", type=int, default=3, help="interleaved repetitions per corpus (default 3)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--window", type=int, default=5)
    ap.add_argument("--negatives", type=int, default=5)
    ap.add_argument("--min-count", type=int, default=5)
    ap.add_argument("--sample", type=float, default=1e-3)
    ap.add_argument(
        "--objective",
        action="append",
        choices=list(OBJECTIVE_LABELS),
        default=None,
        help="sg (default), cbow, hs or cbow+hs; repeatable",
    )
    args = ap.parse_args(argv)

    import gensim
    import scipy

    print(f"CPU: {cpu_model()}, {os.cpu_count()} logical CPUs; BLAS: {blas_info()}")
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}, "
        f"gensim {gensim.__version__}; epochs {args.epochs}, d {args.dim}, window {args.window}, "
        f"K {args.negatives}, min_count {args.min_count}, sample {args.sample:g}",
        flush=True,
    )
    for objective in args.objective or ["sg"]:
        args.objective_name = objective
        args.cbow, args.hs = objective in ("cbow", "cbow+hs"), objective in ("hs", "cbow+hs")
        for name in args.corpus or ["lee+wiki", "sentences"]:
            bench_corpus(name, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
