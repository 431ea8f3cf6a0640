"""Command line: ``python -m w2v_helpers.train --corpus lee+wiki --out vectors.txt`` (also ``python -m w2v_helpers.training``)."""

from __future__ import annotations

import argparse
import sys

from .config import TrainConfig
from .datasets import CORPORA, load_corpus
from .loop import TrainingDiverged, train

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m w2v_helpers.train",
        description="Train skip-gram with negative sampling (numpy minibatch SGD; --cbow for CBOW, "
        "--hs for hierarchical softmax) and write the center vectors in the word2vec text format.",
    )
    parser.add_argument(
        "--corpus",
        default="lee+wiki",
        help=f"a text file (one sentence per line, whitespace tokens) or a built-in "
        f"corpus: {', '.join(CORPORA)} (default lee+wiki)",
    )
    parser.add_argument("--out", required=True, help="output file, word2vec text format")
    parser.add_argument("--dim", type=int, default=100, help="vector size d (default 100)")
    parser.add_argument("--window", type=int, default=5, help="largest window m (default 5)")
    parser.add_argument(
        "--negatives",
        type=int,
        default=5,
        help="negatives K per predicted word, shared by the pairs of its window (default 5)",
    )
    parser.add_argument("--epochs", type=int, default=5, help="passes over the corpus (default 5)")
    parser.add_argument("--min-count", type=int, default=5, help="drop rarer words (default 5)")
    parser.add_argument("--sample", type=float, default=1e-3, help="subsampling threshold (default 1e-3)")
    parser.add_argument("--alpha", type=float, default=0.025, help="initial learning rate (default 0.025)")
    parser.add_argument("--min-alpha", type=float, default=1e-4, help="final learning rate (default 1e-4)")
    parser.add_argument(
        "--batch-words",
        type=int,
        default=None,
        help="words per SGD step, each with its window (default: automatic, "
        "256 unless a few words dominate the corpus)",
    )
    parser.add_argument(
        "--cbow",
        action="store_true",
        help="CBOW: the mean of the window's vectors predicts the middle word (default skip-gram)",
    )
    parser.add_argument(
        "--hs",
        action="store_true",
        help="hierarchical softmax over a Huffman tree instead of negative sampling (--negatives is then unused)",
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--float64", action="store_true", help="train in float64 (default float32)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--download", action="store_true", help="allow downloading text8 if not cached")
    parser.add_argument(
        "--cache-dir",
        default=None,
        help="cache for the built-in corpora (default $W2V_HELPERS_CACHE, "
        "$XDG_CACHE_HOME/w2v_helpers or ~/.cache/w2v_helpers)",
    )
    return parser


def config_from_args(args: argparse.Namespace) -> TrainConfig:
    """The :class:`TrainConfig` of parsed command-line arguments."""
    return TrainConfig(
        dim=args.dim,
        window=args.window,
        negatives=args.negatives,
        epochs=args.epochs,
        min_count=args.min_count,
        sample=args.sample,
        alpha=args.alpha,
        min_alpha=args.min_alpha,
        batch_words=args.batch_words,
        seed=args.seed,
        dtype="float64" if args.float64 else "float32",
        progress=not args.no_progress,
        cbow=args.cbow,
        hs=args.hs,
    )


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    try:
        config = config_from_args(args)
        corpus = load_corpus(args.corpus, args.cache_dir, download=args.download)
        model = train(corpus, config)
        model.save_word2vec_format(args.out)
    except (OSError, ValueError, TrainingDiverged) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(
        f"{len(model.vocab)} words x {model.vectors.shape[1]} dims written to {args.out}; "
        f"{model.total_words} corpus words x {config.epochs} epochs in {model.train_seconds:.1f} s "
        f"({model.words_per_second:,.0f} words/s), final loss {model.epoch_losses[-1]:.4f}"
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
