"""Notebook 06's nearest-neighbour explorer: an HTML list that follows its two controls (no
``Output`` widget), and a display bundle that shows the list where widgets cannot be drawn."""

import numpy as np
import pytest

from w2v_helpers.training.plots import neighbour_explorer, neighbours_html, neighbours_text
from w2v_helpers.widgets._base import WIDGET_VIEW_MIME


class FakeVectors:
    """The part of gensim's KeyedVectors the explorer reads: cosine neighbours of 2-D vectors."""

    def __init__(self):
        self.index_to_key = ["king", "queen", "man", "woman", "apple", "pear"]
        self.key_to_index = {w: i for i, w in enumerate(self.index_to_key)}
        self.vectors = np.array([[1, 0.1], [0.9, 0.3], [0.2, 1], [0.1, 0.9], [-1, 0.2], [-0.9, -0.1]])

    def __len__(self):
        return len(self.index_to_key)

    def most_similar(self, word, topn=10):
        X = self.vectors / np.linalg.norm(self.vectors, axis=1, keepdims=True)
        sims = X @ X[self.key_to_index[word]]
        order = [i for i in np.argsort(-sims) if self.index_to_key[i] != word][:topn]
        return [(self.index_to_key[i], float(sims[i])) for i in order]


def test_the_list_follows_the_word_and_the_size():
    import ipywidgets as W

    wv = FakeVectors()
    ui = neighbour_explorer(wv, word="king", topn=5)
    (box, size), listing = ui.children[0].children, ui.children[1]
    assert isinstance(listing, W.HTML) and not any(isinstance(c, W.Output) for c in ui.children)
    assert listing.value == neighbours_html(wv, "king", 5) and "queen" in listing.value
    box.value = "apple"
    assert listing.value == neighbours_html(wv, "apple", 5)
    assert listing.value.index("pear") < listing.value.index("queen")
    size.value = 10
    assert listing.value == neighbours_html(wv, "apple", 10)
    box.value = "unicorn"
    assert "not in the vocabulary" in listing.value
    box.value = "<b>"
    assert "&lt;b&gt;" in listing.value and "<b>" not in listing.value  # typed text is escaped


def test_display_bundle_has_the_list_instead_of_a_vbox_repr():
    wv = FakeVectors()
    ui = neighbour_explorer(wv, word="queen", topn=5)
    bundle = ui.mimebundle()
    assert set(bundle) == {WIDGET_VIEW_MIME, "text/html", "text/plain"}
    assert bundle[WIDGET_VIEW_MIME]["model_id"] == ui.model_id
    assert bundle["text/html"] == neighbours_html(wv, "queen", 5)
    assert bundle["text/plain"] == neighbours_text(wv, "queen", 5) and "VBox" not in bundle["text/plain"]
    ui.children[0].children[0].value = "man"
    assert "nearest to 'man'" in ui.mimebundle()["text/plain"]
    nbconvert = pytest.importorskip("nbconvert")
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    config = nbconvert.HTMLExporter().default_config
    assert WidgetsDataTypeFilter(notebook_metadata={"": {}}, config=config)(bundle) == ["text/html"]


def test_display_sends_the_bundle(monkeypatch):
    import IPython.display

    sent = []
    monkeypatch.setattr(IPython.display, "display", lambda *a, **kw: sent.append((a, kw)))
    neighbour_explorer(FakeVectors(), word="king")._ipython_display_()
    (data,), kw = sent[-1]
    assert kw == {"raw": True} and "text/html" in data and WIDGET_VIEW_MIME in data
