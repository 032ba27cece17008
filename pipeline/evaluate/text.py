"""String normalisation and lemmatised content-word sets used by the matching rules."""

import re
from functools import lru_cache

import pymorphy3

DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
DASH_RE = re.compile(rf"\s*[{DASHES}]\s*")
SPACE_RE = re.compile(r"\s+")
WORD_RE = re.compile(r"\w+(?:-\w+)*")
FUNCTION_POS = {"PREP", "CONJ"}


def norm_text(text: str | None) -> str:
    """Lower-case, ё→е, every dash → "-" (spaces around it dropped), whitespace collapsed."""
    if not text:
        return ""
    text = text.lower().replace("ё", "е")
    text = DASH_RE.sub("-", text)
    return SPACE_RE.sub(" ", text).strip()


@lru_cache(maxsize=1)
def analyzer() -> pymorphy3.MorphAnalyzer:
    """The shared pymorphy3 analyzer (loaded on first use)."""
    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=65536)
def _lemma(word: str) -> str | None:
    """Dictionary form of the most probable parse; None for prepositions and conjunctions."""
    parse = analyzer().parse(word)[0]
    if parse.tag.POS in FUNCTION_POS:
        return None
    return parse.normal_form.replace("ё", "е")


@lru_cache(maxsize=65536)
def content_lemmas(text: str | None) -> frozenset[str]:
    """The set of pymorphy3 normal forms of the words of `text`, prepositions and
    conjunctions dropped («правительства Москвы» → {"правительство", "москва"})."""
    lemmas = (_lemma(word) for word in WORD_RE.findall(norm_text(text)))
    return frozenset(lemma for lemma in lemmas if lemma)


def same_name(a: str | None, b: str | None) -> bool:
    """LOC/ORG/PROJECT rule: equal normalised strings or equal content-lemma sets."""
    if not a or not b:
        return False
    if norm_text(a) == norm_text(b):
        return True
    left, right = content_lemmas(a), content_lemmas(b)
    return bool(left) and left == right
