r"""Skip-gram with negative sampling on real text: minibatch SGD from the part (d) gradients.

For a predicted word :math:`o`, an input word :math:`c` in its window and K
negatives :math:`w_1..w_K` drawn from :math:`P_n(w) \propto \mathrm{count}(w)^{3/4}`,
the loss and gradients are those of :func:`w2v_helpers.neg_sampling_loss_and_gradient`:

.. math::

    J = -\log\sigma(u_o^\top v_c) - \sum_{k=1}^{K}\log\sigma(-u_k^\top v_c)

    \frac{\partial J}{\partial v_c} = (\sigma(u_o^\top v_c) - 1)\,u_o + \sum_k \sigma(u_k^\top v_c)\,u_k,
    \qquad
    \frac{\partial J}{\partial u_o} = (\sigma(u_o^\top v_c) - 1)\,v_c, \qquad
    \frac{\partial J}{\partial u_k} = \sigma(u_k^\top v_c)\,v_c

(:math:`-\sigma(-x) = \sigma(x) - 1`). One SGD step takes a minibatch of windows
and moves every parameter by :math:`-\alpha \sum_{\text{pairs}} \nabla J`, all
gradients evaluated at the same parameters; a word met several times in the batch
gets the sum of its gradients (:func:`~.objectives.window_batch_loss_and_gradient`
computes exactly that, and is tested against the single-pair function).

The rest is word2vec's recipe (:mod:`.batches`): a vocabulary of words seen at least
``min_count`` times, frequent words dropped at random, a window shrunk at random to
:math:`b \sim U\{1..\text{window}\}` for each word, a learning rate decaying linearly
from ``alpha`` to ``min_alpha``. As in word2vec.c, the word in the middle of a window
is the predicted word o and each word around it in turn the input c; the K negatives
are drawn once per block of 4 consecutive middle words and shared by the pairs of the
block, where word2vec.c and gensim draw K per pair. That is what lets a step be a few
dense products.

The loop (:func:`train`) is independent of the loss: the objective
(:mod:`.objectives`) computes each batch's loss and update.
"""

from __future__ import annotations

import math
import os
import time

import numpy as np

from .batches import epoch_windows
from .config import TrainConfig
from .corpus import CorpusError, LineSentences, as_sentences
from .model import SkipGramModel, keyed_vectors
from .vocab import Vocabulary, build_vocab, encode, keep_probabilities

__all__ = ["TrainingDiverged", "auto_batch_words", "train", "train_skipgram"]

_DIVERGED_LOSS = 1e3  # mean loss per term; about 4.2 at the start, it only gets there by blowing up
_CHUNK_WORDS = 16384  # words whose masks and draws are made at once


class TrainingDiverged(FloatingPointError):
    """The loss became NaN or infinite: the learning rate is too large."""


def auto_batch_words(counts, keep, window: int, cap: int = 256, budget: float = 24.0) -> int:
    r"""A minibatch size that keeps every row's summed step moderate.

    In a batch of B words the most frequent word (share :math:`f` of the
    subsampled corpus) is an input of about :math:`B f (m + 1)` pairs, so its
    row moves by that many gradient terms at once. This returns the largest
    :math:`B \le` ``cap`` with :math:`B f (m+1) \le` ``budget`` (at least 1),
    rounded down to a multiple of 4 from 8 on (blocks of negatives, :mod:`.objectives`).

    Args:
        counts: (V,) word counts. keep: (V,) keep probabilities (subsampling).
        window: int m. cap: int, the largest batch. budget: float, terms per row.
    """
    kept = np.asarray(counts, dtype=np.float64) * np.asarray(keep, dtype=np.float64)
    share = float(kept.max() / kept.sum())
    b = int(max(1, min(cap, math.floor(budget / (share * (window + 1))))))
    return b - b % 4 if b >= 8 else b  # a multiple of 4: whole blocks of shared negatives


def _sentences(source):
    """A re-iterable corpus from a built-in name, a path or token lists (it is read twice)."""
    if isinstance(source, str) and not os.path.exists(source):
        from .datasets import CORPORA, load_corpus

        if source in CORPORA:
            source = load_corpus(source)
    if not isinstance(source, (str, os.PathLike, LineSentences)) and hasattr(source, "__next__"):
        raise ValueError(
            "sentences_or_path is a one-shot iterator (e.g. a generator), but training reads the corpus "
            "twice (vocabulary, then words); pass a list, a LineSentences or a file path"
        )
    return as_sentences(source)


class _LossRecord:
    """Running sums of the loss: the history every ``report_every`` terms, per epoch, and a smoothed value."""

    def __init__(self, report_every: int):
        self.report_every = report_every
        self.history: list[float] = []
        self.history_words: list[float] = []
        self.epoch_losses: list[float] = []
        self.terms = 0
        self._acc, self._n, self._ep, self._ep_n = 0.0, 0, 0.0, 0
        self.ema = None

    def add(self, loss: float, n: int, words_done: float) -> None:
        self.terms += n
        self._acc += loss
        self._n += n
        self._ep += loss
        self._ep_n += n
        if self._n >= self.report_every:
            self.flush(words_done)
        if n:
            self.ema = loss / n if self.ema is None else 0.99 * self.ema + 0.01 * loss / n

    def flush(self, words_done: float) -> None:
        if self._n:
            self.history.append(self._acc / self._n)
            self.history_words.append(words_done)
            self._acc, self._n = 0.0, 0

    def end_epoch(self) -> None:
        self.epoch_losses.append(self._ep / max(self._ep_n, 1))
        self._ep, self._ep_n = 0.0, 0


def _progress_bar(total: int, enabled: bool):
    if not enabled:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="word", unit_scale=True, desc="skip-gram", leave=True, mininterval=0.5)


def _check_finite(loss: float, n: int, epoch: int, lr: float, config: TrainConfig, batch_words: int) -> None:
    if not (math.isfinite(loss) and loss <= _DIVERGED_LOSS * max(n, 1)):
        raise TrainingDiverged(
            f"training diverged: the loss became {loss / max(n, 1):.4g} per pair "
            f"in epoch {epoch + 1} with learning rate alpha = {config.alpha:g} (now "
            f"{lr:.4g}); try a smaller alpha (e.g. {config.alpha / 10:g}) or a smaller "
            f"batch_words (now {batch_words})"
        )


def train(
    sentences_or_path, config: TrainConfig | None = None, vocab: Vocabulary | None = None, objective=None
) -> SkipGramModel:
    r"""Train word vectors by minibatch SGD in numpy, with the settings of ``config``.

    Each SGD step takes ``batch_words`` consecutive words of the (subsampled) corpus
    and their windows (:mod:`.batches`); the objective (by default
    ``config.objective()``, negative sampling) returns the batch's summed loss and moves
    the parameters by :math:`-\alpha_t \nabla J_{\text{batch}}`.

    Args:
        sentences_or_path: a file path (one sentence per line), the name of a built-in
            corpus (``'toy'``, ``'lee'``, ``'wiki'``, ``'lee+wiki'``, ``'text8'``), or a
            re-iterable of token lists.
        config: :class:`TrainConfig` (default settings if None).
        vocab: optional :class:`~.vocab.Vocabulary` to reuse (skips counting).
        objective: optional objective object (see :mod:`.objectives`) instead of ``config.objective()``.

    Returns:
        :class:`~.model.SkipGramModel`; ``wv`` holds the input vectors :math:`v_w`.

    Raises:
        FileNotFoundError: a missing corpus file. CorpusError (a ValueError): an
        empty or malformed corpus. ValueError: bad settings, or a vocabulary of
        fewer than K + 1 words. TrainingDiverged: the loss became non-finite (or
        over 1000 per pair); the message names the learning rate.
    """
    config = TrainConfig() if config is None else config
    objective = config.objective() if objective is None else objective
    dtype = np.dtype(config.dtype)
    sentences = _sentences(sentences_or_path)
    if vocab is None:
        vocab = build_vocab(sentences, min_count=config.min_count, max_vocab_size=config.max_vocab_size)
    n_out = objective.output_rows(vocab)
    keep = keep_probabilities(vocab.counts, vocab.total_words, config.sample)
    batch_words = config.batch_words or auto_batch_words(vocab.counts, keep, config.window)
    ids, sids = encode(sentences, vocab.index)
    if ids.shape[0] < 2:
        raise CorpusError(f"the corpus has {ids.shape[0]} in-vocabulary token(s); nothing to train on")

    rng = np.random.default_rng(config.seed)
    V, d = len(vocab), config.dim
    # [W; U] in one array, so one sparse product adds every row update of a step.
    # word2vec's initialisation: v_w ~ U(-0.5/d, 0.5/d), u_w = 0.
    params = np.zeros((V + n_out, d), dtype=dtype)
    W, U = params[:V], params[V:]
    W[...] = (rng.random((V, d)) - 0.5) / d
    objective.prepare(vocab, batch_words)

    chunk_words = max(batch_words, (_CHUNK_WORDS // batch_words) * batch_words)
    epochs, total = config.epochs, vocab.total_words
    record = _LossRecord(config.report_every)
    bar = _progress_bar(total * epochs, config.progress)
    effective = 0
    t0, cpu0 = time.perf_counter(), time.process_time()
    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            for epoch in range(epochs):
                windows = epoch_windows(ids, sids, keep, config.window, rng)
                n = len(windows)
                effective += n
                for c0, c1 in windows.chunks(chunk_words):
                    mask = windows.mask(c0, c1, dtype)
                    draws = objective.draw(rng, windows.tokens[c0:c1])
                    for s in range(c0, c1, batch_words):
                        e = min(c1, s + batch_words)
                        lr = config.alpha - (config.alpha - config.min_alpha) * (epoch + s / n) / epochs
                        batch = windows.batch(s, e, mask[s - c0 : e - c0])
                        loss, terms = objective.step(
                            W, U, params, batch, objective.batch_draws(draws, s - c0, e - c0), lr
                        )
                        _check_finite(loss, terms, epoch, lr, config, batch_words)
                        record.add(loss, terms, epoch * total + total * e / n)
                    if bar is not None:
                        bar.update(int(epoch * total + total * c1 / n) - bar.n)
                        bar.set_postfix(
                            loss="-" if record.ema is None else f"{record.ema:.3f}", lr=f"{lr:.4f}", refresh=False
                        )
                record.end_epoch()
        record.flush(float(total * epochs))
    finally:
        if bar is not None:
            bar.close()
    seconds, cpu_seconds = time.perf_counter() - t0, time.process_time() - cpu0
    params_used = dict(config.as_dict(), min_count=vocab.min_count, batch_words=batch_words)
    del params_used["progress"], params_used["report_every"], params_used["max_vocab_size"]
    return SkipGramModel(
        keyed_vectors(vocab.words, W.copy(), vocab.counts),
        U.copy(),
        vocab.counts,
        config,
        params_used,
        np.array(record.history),
        np.array(record.history_words),
        np.array(record.epoch_losses),
        seconds,
        cpu_seconds,
        total,
        effective,
        record.terms,
    )


def train_skipgram(
    sentences_or_path,
    dim: int = 100,
    window: int = 5,
    negatives: int = 5,
    epochs: int = 5,
    min_count: int = 5,
    sample: float = 1e-3,
    alpha: float = 0.025,
    min_alpha: float = 1e-4,
    batch_words: int | None = None,
    seed: int = 0,
    ns_exponent: float = 0.75,
    max_vocab_size: int | None = None,
    dtype=np.float32,
    progress: bool = True,
    report_every: int = 100_000,
    vocab: Vocabulary | None = None,
) -> SkipGramModel:
    r"""Train skip-gram with negative sampling: :func:`train` with a :class:`TrainConfig` of these settings.

    See :class:`TrainConfig` for every argument; ``dtype`` may be ``np.float32`` or
    ``np.float64``; ``vocab`` reuses a counted vocabulary.
    """
    try:
        dtype_name = str(np.dtype(dtype))
    except TypeError:
        dtype_name = repr(dtype)
    config = TrainConfig(
        dim=dim,
        window=window,
        negatives=negatives,
        epochs=epochs,
        min_count=min_count,
        sample=sample,
        alpha=alpha,
        min_alpha=min_alpha,
        batch_words=batch_words,
        seed=seed,
        ns_exponent=ns_exponent,
        max_vocab_size=max_vocab_size,
        dtype=dtype_name,
        progress=progress,
        report_every=report_every,
    )
    return train(sentences_or_path, config, vocab=vocab)
