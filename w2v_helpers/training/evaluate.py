r"""The standard evaluations of word vectors, through gensim's ``KeyedVectors``.

* :func:`evaluate_analogies`: accuracy on Mikolov et al.'s ``questions-words.txt``
  with the 3CosAdd rule

  .. math:: \hat d = \arg\max_{w \notin \{a, b, c\}} \cos\!\Big(\hat u_w,\;
            \hat u_b - \hat u_a + \hat u_c\Big)

  over the ``restrict_vocab`` most frequent words
  (``KeyedVectors.evaluate_word_analogies``, :math:`\hat u = u / \lVert u \rVert`);
* :func:`evaluate_word_pairs`: Spearman's :math:`\rho` between cosine similarities and
  human scores (WordSim-353, SimLex-999) (``KeyedVectors.evaluate_word_pairs``, which
  uses ``scipy.stats.spearmanr``).

Both take a ``KeyedVectors`` or anything with a ``.wv`` (a trained model). This module
adds only what gensim does not report directly (how many items were in the vocabulary)
and clear errors for the command line ``python -m w2v_helpers.evaluate VECTORS.txt``.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "AnalogyResult",
    "PairsResult",
    "evaluate_all",
    "evaluate_analogies",
    "evaluate_word_pairs",
    "format_results",
    "load_word2vec_format",
    "main",
]


def _kv(vectors):
    return getattr(vectors, "wv", vectors)


def load_word2vec_format(path):
    r"""Read vectors in the word2vec text format (header ``V d``, then ``word x_1 ... x_d``) as ``KeyedVectors``.

    Raises:
        FileNotFoundError: no such file. ValueError: the file is not in that format (the message names it).
    """
    from gensim.models import KeyedVectors

    path = Path(os.fspath(path))
    if not path.is_file():
        raise FileNotFoundError(f"vectors file not found: {str(path)!r}")
    try:
        return KeyedVectors.load_word2vec_format(str(path), binary=False)
    except (ValueError, EOFError, UnicodeDecodeError, IndexError) as exc:
        raise ValueError(
            f"{str(path)!r} is not a word2vec text-format file (header 'V d', then 'word x_1 ... x_d' per line): {exc}"
        ) from None


@dataclass
class AnalogyResult:
    """Analogy accuracy: ``correct / attempted``; questions with a word outside the vocabulary are not attempted."""

    correct: int
    attempted: int
    oov: int
    sections: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def accuracy(self) -> float:
        return self.correct / self.attempted if self.attempted else 0.0

    @property
    def total(self) -> int:
        return self.attempted + self.oov


def _count_questions(path) -> int:
    with open(path, encoding="utf-8") as f:
        return sum(1 for line in f if not line.startswith(":") and len(line.split()) == 4)


def evaluate_analogies(wv, path=None, restrict_vocab: int = 300000, case_insensitive: bool = True) -> AnalogyResult:
    r"""3CosAdd analogy accuracy (gensim's ``KeyedVectors.evaluate_word_analogies``).

    Args:
        wv: ``KeyedVectors`` (or a trained model), words most frequent first.
        path: the questions file; default gensim's ``questions-words.txt``.
        restrict_vocab: int, only the first this many words are candidates and only
            questions within them are attempted.
        case_insensitive: compare upper-cased words (the file is capitalised).

    Returns:
        :class:`AnalogyResult` with correct, attempted and out-of-vocabulary counts, and
        (correct, attempted) per section.
    """
    if path is None:
        from .datasets import evaluation_path

        path = evaluation_path("questions-words")
    _, sections = _kv(wv).evaluate_word_analogies(
        str(path), restrict_vocab=restrict_vocab, case_insensitive=case_insensitive
    )
    per = {s["section"]: (len(s["correct"]), len(s["correct"]) + len(s["incorrect"])) for s in sections[:-1]}
    correct, attempted = len(sections[-1]["correct"]), len(sections[-1]["correct"]) + len(sections[-1]["incorrect"])
    return AnalogyResult(correct, attempted, _count_questions(path) - attempted, per)


@dataclass
class PairsResult:
    """Spearman's rho (and Pearson's r) over the pairs whose two words are in the vocabulary."""

    spearman: float
    pearson: float
    pairs: int
    oov: int

    @property
    def total(self) -> int:
        return self.pairs + self.oov


def _count_pairs(kv, path, delimiter: str, restrict_vocab: int, case_insensitive: bool) -> tuple[int, int]:
    """(valid lines, lines with both words among the first ``restrict_vocab``), read as gensim reads them."""
    fold = str.upper if case_insensitive else str
    known = {fold(w) for w in kv.index_to_key[:restrict_vocab]}
    total = found = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split(delimiter)
            if line.startswith("#") or len(parts) != 3:
                continue
            try:
                float(parts[2])
            except ValueError:
                continue
            total += 1
            found += fold(parts[0]) in known and fold(parts[1]) in known
    return total, found


def evaluate_word_pairs(
    wv, path=None, restrict_vocab: int = 300000, case_insensitive: bool = True, delimiter: str = "\t"
) -> PairsResult:
    r"""Correlation of cosine similarities with human scores (gensim's ``evaluate_word_pairs``, scipy's Spearman).

    Args:
        wv: ``KeyedVectors`` (or a trained model).
        path: a file of ``word1<TAB>word2<TAB>score`` lines, ``#`` comments allowed;
            default gensim's ``wordsim353.tsv``.
        restrict_vocab: int, pairs with a word outside the first this many are skipped.
        case_insensitive: compare upper-cased words.
        delimiter: column separator.

    Returns:
        :class:`PairsResult`; the correlations are nan when fewer than 2 pairs are in the vocabulary.
    """
    if path is None:
        from .datasets import evaluation_path

        path = evaluation_path("wordsim353")
    kv = _kv(wv)
    total, found = _count_pairs(kv, path, delimiter, restrict_vocab, case_insensitive)
    if found < 2:  # no correlation to speak of (gensim would raise)
        return PairsResult(float("nan"), float("nan"), found, total - found)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scipy warns about p-values of 2 or 3 pairs
        pearson, spearman, _ = kv.evaluate_word_pairs(
            str(path), delimiter=delimiter, restrict_vocab=restrict_vocab, case_insensitive=case_insensitive
        )
    return PairsResult(float(spearman[0]), float(pearson[0]), found, total - found)


def evaluate_all(wv, restrict_vocab: int = 30000) -> dict[str, object]:
    """Analogy accuracy on questions-words and Spearman's rho on WordSim-353 and SimLex-999."""
    from .datasets import evaluation_path

    return {
        "analogy": evaluate_analogies(wv, evaluation_path("questions-words"), restrict_vocab),
        "ws353": evaluate_word_pairs(wv, evaluation_path("wordsim353"), restrict_vocab),
        "simlex999": evaluate_word_pairs(wv, evaluation_path("simlex999"), restrict_vocab),
    }


def format_results(results: dict[str, object]) -> str:
    """A small markdown table of :func:`evaluate_all`'s results."""
    an = results["analogy"]
    lines = [
        "| evaluation | score | items used | out of vocabulary |",
        "| --- | --- | --- | --- |",
        f"| analogies (questions-words, 3CosAdd) | accuracy {an.accuracy:.4f} ({an.correct}/{an.attempted}) "
        f"| {an.attempted} | {an.oov} of {an.total} |",
    ]
    for key, name in (("ws353", "WordSim-353"), ("simlex999", "SimLex-999")):
        r = results[key]
        lines.append(f"| {name} | Spearman rho {r.spearman:.4f} | {r.pairs} | {r.oov} of {r.total} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m w2v_helpers.evaluate",
        description="Evaluate word vectors in the word2vec text format: analogy accuracy on "
        "questions-words (3CosAdd) and Spearman's rho on WordSim-353 and SimLex-999 "
        "(all shipped with gensim's test data).",
    )
    parser.add_argument("vectors", help="a word2vec text-format file, e.g. written by python -m w2v_helpers.train")
    parser.add_argument(
        "--restrict-vocab",
        type=int,
        default=30000,
        help="use only the most frequent N words (default 30000, gensim's analogy default)",
    )
    args = parser.parse_args(argv)
    if args.restrict_vocab < 1:
        parser.error(f"--restrict-vocab must be a positive int, got {args.restrict_vocab}")
    try:
        wv = load_word2vec_format(args.vectors)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{args.vectors}: {len(wv)} words, dimension {wv.vector_size}")
    print(format_results(evaluate_all(wv, args.restrict_vocab)))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
