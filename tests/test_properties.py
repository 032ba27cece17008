"""`pipeline.extract` never raises, whatever the text, and every fact points into the text."""

import string
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pipeline

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "dev" / "docs"

pytestmark = pytest.mark.slow


@cache
def nlp():
    """The pipeline, loaded once for all examples."""
    return pipeline.load()


@cache
def corpus_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]


any_char = st.characters(blacklist_categories=("Cs",))  # every code point but surrogates
russian = st.sampled_from("абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ")
punctuation = st.sampled_from(string.punctuation + "«»—–…„“”‹›¡¿§№")
texts = st.one_of(
    st.text(any_char, max_size=300),
    st.text(st.one_of(russian, st.sampled_from(" \n\t\r\x00\x0b\u2028\u00a0")), max_size=300),
    st.text(punctuation, min_size=1, max_size=200),
    st.builds(lambda c, n: c * n, st.one_of(russian, any_char), st.just(10_000)),
    # real news cut and spliced with noise, so that facts are emitted at shifted offsets
    st.builds(
        lambda prefix, index, cut, suffix: prefix + corpus_texts()[index % len(corpus_texts())][
            : cut] + suffix,
        st.text(any_char, max_size=20), st.integers(0, 1000), st.integers(0, 3000),
        st.text(any_char, max_size=20),
    ),
)


def check_inside(fact, text: str) -> None:
    for part in (fact.subject, fact.object, fact.evidence):
        assert 0 <= part.start <= part.end <= len(text)
        assert part.text == text[part.start:part.end]


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_extract_never_raises_and_offsets_are_inside(text):
    for fact in pipeline.extract(text, "doc", nlp=nlp()):
        check_inside(fact, text)
        assert fact.doc_id == "doc"


def test_corpus_facts_point_into_their_texts():
    for text in corpus_texts():
        for fact in pipeline.extract(text, nlp=nlp()):
            check_inside(fact, text)
