"""Reading corpora: one sentence per line, streamed, with clear errors."""

import types

import pytest

from w2v_helpers.training.corpus import CorpusError, LineSentences, as_sentences, count_words


def write(tmp_path, data: bytes, name="corpus.txt"):
    p = tmp_path / name
    p.write_bytes(data)
    return p


def test_reads_lines_as_token_lists_and_skips_blank_lines(tmp_path):
    p = write(tmp_path, b"the cat  sat\n\n   \n\ta dog\truns \nlast line no newline")
    sents = LineSentences(p)
    assert list(sents) == [["the", "cat", "sat"], ["a", "dog", "runs"], ["last", "line", "no", "newline"]]
    assert count_words(sents) == 10
    assert "corpus.txt" in repr(sents)


def test_is_a_reiterable_stream(tmp_path):
    p = write(tmp_path, b"a b\nc d\n")
    sents = LineSentences(p)
    it = iter(sents)
    assert isinstance(it, types.GeneratorType)  # lazy: nothing read up front
    assert list(sents) == list(sents) == [["a", "b"], ["c", "d"]]


def test_utf8_text_is_fine(tmp_path):
    p = write(tmp_path, "café naïve 東京\n".encode())
    assert list(LineSentences(p)) == [["café", "naïve", "東京"]]


def test_max_sentence_length_cuts_long_lines(tmp_path):
    p = write(tmp_path, b"a b c d e\nf\n")
    assert list(LineSentences(p, max_sentence_length=2)) == [["a", "b"], ["c", "d"], ["e"], ["f"]]
    for bad in (0, -1, 1.5, True):
        with pytest.raises(ValueError, match="max_sentence_length"):
            LineSentences(p, max_sentence_length=bad)


def test_non_utf8_names_file_line_and_byte_offset(tmp_path):
    p = write(tmp_path, b"good line\nsecond ok\nbad \xa3 byte\n", name="latin.txt")
    with pytest.raises(CorpusError) as err:
        list(LineSentences(p))
    msg = str(err.value)
    assert "latin.txt" in msg and "line 3" in msg
    assert "byte offset 24" in msg and "0xa3" in msg  # 10 + 10 bytes before line 3, then 4
    assert isinstance(err.value, ValueError)


def test_empty_corpus_is_an_error(tmp_path):
    for data in (b"", b"\n\n  \n\t\n"):
        p = write(tmp_path, data)
        with pytest.raises(CorpusError, match="empty"):
            list(LineSentences(p))


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(FileNotFoundError, match="not found"):
        LineSentences(tmp_path / "nope.txt")
    with pytest.raises(FileNotFoundError, match="directory"):
        LineSentences(tmp_path)


def test_as_sentences_accepts_paths_and_lists(tmp_path):
    p = write(tmp_path, b"x y\n")
    assert list(as_sentences(str(p))) == [["x", "y"]]
    assert list(as_sentences(p)) == [["x", "y"]]
    ls = LineSentences(p)
    assert as_sentences(ls) is ls
    mem = as_sentences([["a", "b"], [], ("c",)])
    assert list(mem) == [["a", "b"], ["c"]]
    assert list(mem) == [["a", "b"], ["c"]]  # a list stays re-iterable


def test_as_sentences_rejects_bad_input():
    with pytest.raises(CorpusError, match="list of tokens"):
        list(as_sentences(["a plain string"]))
    with pytest.raises(CorpusError, match="must be a list of str tokens"):
        list(as_sentences([5]))
    with pytest.raises(CorpusError, match="empty"):
        list(as_sentences([[], []]))
    with pytest.raises(CorpusError, match="file path or an iterable"):
        as_sentences(42)
    with pytest.raises(CorpusError, match="file path or an iterable"):
        as_sentences(b"bytes")
