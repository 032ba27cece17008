"""Dependency trees: always valid for spaCy, and the fast parser equal to slovnet's own."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.nlp import load, models
from pipeline.nlp.syntax import chunk_trees, tree_heads

WORDS = [
    "Министр", "энергетики", "Казахстана", "встретился", "с", "коллегой", "из", "Баку", "нефть",
    "газ", "и", "по", "трубопроводу", "2024", "году", "млн", "т", ".", ",", "—", "«", "»", "(",
    ")", "ООО", "КазМунайГаз", "Chevron", "стали", "расти", "цены", "на", "поставки", "!", "?",
]
SEPARATORS = [" ", " ", " ", "  ", "\n", "\r\n", "\t", ""]


@pytest.fixture(scope="module")
def nlp():
    return load(max_tokens=12)


def assert_valid_tree(doc) -> None:
    for token in doc:
        node, steps = token, 0
        while node.head.i != node.i:
            node, steps = node.head, steps + 1
            assert steps <= len(doc), "head chain does not reach a root"
    sentences = list(doc.sents)
    assert sum(len(s) for s in sentences) == len(doc)
    for sentence in sentences:
        roots = [t for t in sentence if t.head.i == t.i]
        assert roots
        assert all(t.head.i in range(sentence.start, sentence.end) for t in sentence)


texts = st.lists(
    st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=60
).map(lambda parts: "".join(w + s for w, s in parts))


@settings(max_examples=40, deadline=None)
@given(texts)
def test_every_doc_is_a_tree(nlp, text):
    doc = nlp(text)
    assert doc.text == text
    assert_valid_tree(doc)
    for token in doc:
        if token.is_space:
            assert token.dep_ == "dep"
        elif token.head.i == token.i:
            assert token.dep_ == "root"


def test_text_with_whitespace_at_both_ends(nlp):
    doc = nlp("  \n Министр прибыл в Баку.\n\nВстреча прошла  ")
    assert_valid_tree(doc)
    assert doc[0].is_space and doc[1].text == "Министр"
    assert doc[0].head.i == 1  # leading whitespace hangs on the first word
    assert doc[-1].is_space and doc[-1].head.i == len(doc) - 2


def test_empty_doc(nlp):
    assert len(nlp("")) == 0
    assert_valid_tree(nlp(" \n "))


def is_tree(local: list[int]) -> bool:
    if [h for h in local if h < 0] != [-1]:
        return False
    for start in range(len(local)):
        node, steps = start, 0
        while node >= 0:
            node, steps = local[node], steps + 1
            if steps > len(local):
                return False
    return True


def test_tree_heads_breaks_cycles():
    assert tree_heads([2, 1]) == [-1, 0]  # 1 <-> 2, no root
    assert tree_heads([0, 3, 2]) == [-1, 0, 1]  # root, then 2 <-> 3
    assert tree_heads([0, 1, 0]) == [-1, 0, 0]  # second root attaches to the first
    assert tree_heads([1]) == [-1]  # a token heading itself


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 12).flatmap(lambda n: st.lists(st.integers(0, n), min_size=n, max_size=n)))
def test_tree_heads_always_gives_a_tree(heads):
    assert is_tree(tree_heads(heads))


@settings(max_examples=200, deadline=None)
@given(st.lists(
    st.integers(1, 10).flatmap(lambda n: st.lists(st.integers(0, n), min_size=n, max_size=n)),
    max_size=8,
))
def test_chunk_trees_equals_tree_heads(chunks):
    arrays = [np.array(c) for c in chunks]
    expected = [h for c in chunks for h in tree_heads(c)]
    assert chunk_trees(arrays).tolist() == expected


SENTENCES = [
    ["Министр", "энергетики", "Казахстана", "Ерлан", "Аккенженов", "прибыл", "в", "Баку", "."],
    ["Поставки", "нефти", "по", "КТК", "выросли", "на", "5", "%", "в", "2024", "году"],
    ["Цены", "на", "сталь", "стали", "расти", "."],
    ["Да"],
]


def test_fast_parser_equals_slovnet():
    fast = models.syntax_model()
    markups = list(models.syntax_parser().infer(SENTENCES))
    for (heads, rels), markup in zip(fast(SENTENCES), markups, strict=True):
        assert heads.tolist() == [int(t.head_id) for t in markup.tokens]
        assert [fast.rels[r] for r in rels] == [t.rel for t in markup.tokens]


def test_fast_parser_scores_equal_slovnet():
    parser = models.syntax_parser().infer
    parser.encoder.batch_size = len(SENTENCES)
    batch = next(iter(parser.encoder(SENTENCES)))
    expected = parser.model(batch.word_id, batch.shape_id, batch.pad_mask)
    fast = models.syntax_model()
    features, packed = fast.features(SENTENCES)
    for row, scores in enumerate(fast.arc_scores(features, packed)):
        n = len(SENTENCES[row])
        np.testing.assert_allclose(scores, expected.head_id[row, :n, : n + 1], rtol=1e-4,
                                   atol=1e-4)
