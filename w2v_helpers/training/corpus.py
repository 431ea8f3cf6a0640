r"""Reading a training corpus: plain text, one sentence per line, whitespace tokens.

The trainer sees a corpus as an *iterable of sentences*, each a list of string
tokens. :class:`LineSentences` reads such a corpus from a text file lazily, one
line at a time, so a file larger than memory can be streamed; iterating it again
reads the file again, so one object serves every epoch.

Rules (the same for every corpus the project ships or writes to its cache):

* a line is a sentence; tokens are separated by any whitespace (``str.split()``);
* empty or blank lines are skipped;
* the file must be UTF-8: a byte sequence that is not raises :class:`CorpusError`
  naming the file, the line number and the byte offset of the bad byte;
* a file without a single token raises :class:`CorpusError` (training on nothing
  is always a mistake);
* a missing file raises :class:`FileNotFoundError` when the reader is created.

Why a reader of our own rather than gensim's ``LineSentence``: on a bad byte gensim's reader
raises a bare ``UnicodeDecodeError`` (no file, no line) and for an empty file it yields
nothing; this one tells a student *which* line and byte of their file is not UTF-8, and that an
empty corpus is empty. (text8 is read by gensim's ``Text8Corpus``.)

No text normalisation happens here (no lower-casing, no punctuation stripping):
the built-in corpora are tokenised once when they are cached (see
:mod:`w2v_helpers.training.datasets`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Union

__all__ = ["CorpusError", "LineSentences", "as_sentences", "count_words"]

PathLike = Union[str, "os.PathLike[str]"]


class CorpusError(ValueError):
    """A corpus that cannot be used: not UTF-8, empty, or not a list of token lists."""


class LineSentences:
    r"""A re-iterable stream of sentences read from a text file.

    Each iteration opens the file and yields one ``list[str]`` per non-blank line
    (``line.split()``). Nothing is kept in memory between iterations.

    Args:
        path: str or path-like, a UTF-8 text file with one sentence per line.
        max_sentence_length: optional int; longer lines are cut into consecutive
            pieces of at most this many tokens (word2vec and gensim do the same
            with 1000 and 10000 tokens, so one huge line cannot dominate memory).

    Raises:
        FileNotFoundError: at construction, if ``path`` does not exist or is a directory.
        CorpusError: while iterating, on a non-UTF-8 byte (the message names the
            file, line and byte offset) or when the file holds no token at all.
    """

    def __init__(self, path: PathLike, max_sentence_length: int | None = None):
        self.path = Path(os.fspath(path))
        if not self.path.exists():
            raise FileNotFoundError(f"corpus file not found: {str(self.path)!r}")
        if self.path.is_dir():
            raise FileNotFoundError(f"corpus path {str(self.path)!r} is a directory, expected a text file")
        if max_sentence_length is not None:
            if (
                isinstance(max_sentence_length, bool)
                or not isinstance(max_sentence_length, int)
                or max_sentence_length < 1
            ):
                raise ValueError(f"max_sentence_length must be a positive int or None, got {max_sentence_length!r}")
        self.max_sentence_length = max_sentence_length

    def __repr__(self) -> str:
        return f"LineSentences({str(self.path)!r})"

    def __iter__(self) -> Iterator[list[str]]:
        any_tokens = False
        offset = 0
        step = self.max_sentence_length
        with open(self.path, "rb") as f:
            for lineno, raw in enumerate(f, start=1):
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    bad = raw[exc.start : exc.start + 1]
                    raise CorpusError(
                        f"{str(self.path)!r} is not valid UTF-8: line {lineno}, byte offset "
                        f"{offset + exc.start} (byte 0x{bad.hex()}); re-encode the file as UTF-8, "
                        f"e.g. iconv -f latin1 -t utf-8"
                    ) from None
                offset += len(raw)
                tokens = line.split()
                if not tokens:
                    continue
                any_tokens = True
                if step is None or len(tokens) <= step:
                    yield tokens
                else:
                    for start in range(0, len(tokens), step):
                        yield tokens[start : start + step]
        if not any_tokens:
            raise CorpusError(f"corpus file {str(self.path)!r} is empty: it holds no tokens")


def _check_sentence(sentence, number: int) -> list[str]:
    if isinstance(sentence, (str, bytes)):
        raise CorpusError(
            f"sentence {number} is a {type(sentence).__name__}, expected a list of tokens; "
            f"split it first, e.g. line.split()"
        )
    if isinstance(sentence, list):
        return sentence
    try:
        return list(sentence)
    except TypeError:
        raise CorpusError(f"sentence {number} must be a list of str tokens, got {type(sentence).__name__}") from None


class _CheckedSentences:
    """Re-iterable wrapper checking that every sentence is a list (not a string).

    The tokens' type is checked once per distinct token by the vocabulary builder
    (:func:`w2v_helpers.training.vocab.build_vocab`), which is far cheaper than per token here.
    """

    def __init__(self, sentences: Iterable):
        self.sentences = sentences

    def __iter__(self) -> Iterator[list[str]]:
        any_tokens = False
        for number, sentence in enumerate(self.sentences):
            tokens = _check_sentence(sentence, number)
            if tokens:
                any_tokens = True
                yield tokens
        if not any_tokens:
            raise CorpusError("the corpus is empty: it holds no tokens")


def as_sentences(source) -> Iterable[list[str]]:
    r"""A re-iterable of token lists from a file path or from sentences in memory.

    Args:
        source: a path (str or path-like) to a one-sentence-per-line text file, or
            an iterable of sentences, each an iterable of str tokens, e.g.
            ``[["the", "cat", "sat"], ["a", "dog"]]``. A one-shot generator works
            for a single pass only; pass a list or a :class:`LineSentences` to
            train for several epochs.

    Returns:
        An iterable yielding ``list[str]`` per non-empty sentence; iterating it
        raises :class:`CorpusError` if the corpus has no token at all.
    """
    if isinstance(source, (str, os.PathLike)):
        return LineSentences(source)
    if isinstance(source, LineSentences):
        return source
    if isinstance(source, bytes) or not hasattr(source, "__iter__"):
        raise CorpusError(f"the corpus must be a file path or an iterable of token lists, got {type(source).__name__}")
    return _CheckedSentences(source)


def count_words(sentences: Iterable[list[str]]) -> int:
    """Number of tokens in an iterable of sentences (one pass)."""
    return sum(len(s) for s in sentences)
