"""String normalisation and lemmatised content-word sets used by the matching rules."""

import re
from functools import lru_cache

from ..nlp import morphology

DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
DASH_RE = re.compile(rf"\s*[{DASHES}]\s*")
SPACE_RE = re.compile(r"\s+")
WORD_RE = re.compile(r"\w+")
FUNCTION_POS = {"PREP", "CONJ"}

Lemmas = tuple[frozenset[str], ...]
"""One set per content word: every normal form pymorphy3 gives for it."""


def norm_text(text: str | None) -> str:
    """Lower-case, ё→е, every dash → "-" (spaces around it dropped), whitespace collapsed."""
    if not text:
        return ""
    text = text.lower().replace("ё", "е")
    text = DASH_RE.sub("-", text)
    return SPACE_RE.sub(" ", text).strip()


@lru_cache(maxsize=65536)
def _lemmas(word: str) -> frozenset[str] | None:
    """All normal forms of `word` («среднего» → {"средний", "среднее"}); None when its most
    probable parse is a preposition or conjunction."""
    parses = morphology.parses(word)
    if parses[0].tag.POS in FUNCTION_POS:
        return None
    return frozenset(parse.normal_form.replace("ё", "е") for parse in parses)


@lru_cache(maxsize=65536)
def content_lemmas(text: str | None) -> Lemmas:
    """The lemma sets of the words of `text` (split at spaces, dashes and punctuation),
    prepositions and conjunctions dropped, repeated words once
    («правительства Москвы» → ({"правительство"}, {"москва"}))."""
    result: list[frozenset[str]] = []
    for word in WORD_RE.findall(norm_text(text)):
        lemmas = _lemmas(word)
        if lemmas and lemmas not in result:
            result.append(lemmas)
    return tuple(result)


def uncovered(part: Lemmas, whole: Lemmas) -> Lemmas:
    """The words of `part` that share no lemma with any word of `whole`."""
    return tuple(word for word in part if not any(word & other for other in whole))


def same_lemmas(a: Lemmas, b: Lemmas) -> bool:
    """Equal content-word sets: every word of each side shares a lemma with a word of
    the other (a word whose analyses are ambiguous matches any of its normal forms)."""
    return bool(a) and bool(b) and not uncovered(a, b) and not uncovered(b, a)


def same_name(a: str | None, b: str | None) -> bool:
    """LOC/ORG/PROJECT rule: equal normalised strings or equal content-lemma sets."""
    if not a or not b:
        return False
    return norm_text(a) == norm_text(b) or same_lemmas(content_lemmas(a), content_lemmas(b))
