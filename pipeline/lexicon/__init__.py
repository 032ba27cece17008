"""The project's lexicons (the `*.txt` files beside this module) and a phrase matcher over them.

A lexicon file has `[section]` headers and `phrase = value` lines (`#` starts a comment);
extractors look words up by every dictionary form pymorphy3 gives them, so one entry
«прошлый» matches «прошлого», «прошлом» and «прошлому».
"""

from collections.abc import Sequence
from functools import cache, lru_cache
from pathlib import Path

from razdel import tokenize

from ..nlp.morphology import analyzer, normal_forms

LEXICON_DIR = Path(__file__).resolve().parent

Forms = frozenset[str]


def lexicon_lines(name: str) -> list[str]:
    """The non-empty, non-comment lines of `lexicon/<name>` (files of tab-separated rows)."""
    lines = (LEXICON_DIR / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@cache
def read_lexicon(name: str) -> dict[str, list[tuple[str, str]]]:
    """`lexicon/<name>.txt` as {section: [(phrase, value)]}; `phrase = value` lines, `#` comments.

    A line without `=` has the empty value; lines before the first `[section]` go to "".
    """
    sections: dict[str, list[tuple[str, str]]] = {}
    section = ""
    for raw in (LEXICON_DIR / f"{name}.txt").read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            continue
        phrase, _, value = line.partition("=")
        sections.setdefault(section, []).append((phrase.strip(), value.strip()))
    return sections


@lru_cache(maxsize=100_000)
def word_forms(word: str) -> Forms:
    """What a word of text may match in a lexicon: its lower-case spelling and the dictionary
    forms of all its readings (ё → е), so «прошлого» matches «прошлый» and «стали» «стать»."""
    lower = word.lower().replace("ё", "е")
    if not lower.isalpha():
        return frozenset({lower})
    return frozenset({lower} | {form.replace("ё", "е") for form in normal_forms(lower)})


@lru_cache(maxsize=10_000)
def entry_forms(word: str) -> Forms:
    """A lexicon word's forms: as written and its most likely dictionary form."""
    lower = word.lower().replace("ё", "е")
    if not lower.isalpha():
        return frozenset({lower})
    return frozenset({lower, analyzer().parse(lower)[0].normal_form.replace("ё", "е")})


def words_of(text: str) -> list[str]:
    """razdel's words of `text` (the tokens the NLP pipeline uses, too)."""
    return [token.text for token in tokenize(text)]


class Phrases:
    """A lexicon section as a longest-match phrase matcher over word forms."""

    def __init__(self, entries: Sequence[tuple[str, str]]):
        self.entries: list[tuple[tuple[Forms, ...], str]] = []
        for phrase, value in entries:
            forms = tuple(entry_forms(word) for word in words_of(phrase))
            if forms:
                self.entries.append((forms, value))
        self.entries.sort(key=lambda entry: -len(entry[0]))
        # entries by the forms of their first word, longest first, so a word is looked up once
        self.by_first: dict[str, list[tuple[tuple[Forms, ...], str]]] = {}
        for entry in self.entries:
            for form in entry[0][0]:
                self.by_first.setdefault(form, []).append(entry)
        self.first_forms = frozenset(self.by_first)

    @classmethod
    def of(cls, lexicon: str, section: str) -> "Phrases":
        return _phrases(lexicon, section)

    def match(self, forms: Sequence[Forms], at: int) -> tuple[int, str] | None:
        """(length, value) of the longest phrase that starts at word `at`, or None."""
        if at >= len(forms) or self.first_forms.isdisjoint(forms[at]):
            return None
        candidates = [entry for form in forms[at] for entry in self.by_first.get(form, ())]
        if len(forms[at]) > 1:
            candidates.sort(key=lambda entry: -len(entry[0]))
        for phrase, value in candidates:
            end = at + len(phrase)
            if end <= len(forms) and all(
                wanted & forms[at + k] for k, wanted in enumerate(phrase)
            ):
                return len(phrase), value
        return None

    def find(self, forms: Sequence[Forms]) -> list[tuple[int, int, str]]:
        """Non-overlapping (start, end, value) matches, left to right."""
        found, at = [], 0
        while at < len(forms):
            hit = self.match(forms, at)
            if hit:
                found.append((at, at + hit[0], hit[1]))
                at += hit[0]
            else:
                at += 1
        return found

    def __contains__(self, forms: Forms) -> bool:
        """Whether a one-word phrase of the section matches the word."""
        return self.match([forms], 0) is not None


@cache
def _phrases(lexicon: str, section: str) -> Phrases:
    return Phrases(read_lexicon(lexicon).get(section, []))


@cache
def _country_table() -> dict[str, str]:
    table = {}
    for line in lexicon_lines("positions_country_names.txt"):
        variant, name = line.split("\t")
        table[_fold(variant)] = name
    return table


def _fold(text: str) -> str:
    return " ".join(text.lower().replace("ё", "е").split())


def canonical_country(name: str) -> str:
    """The common short name of a country named otherwise («Кыргызская Республика» →
    «Кыргызстан», «КНР» → «Китай»); any other name as it is."""
    return _country_table().get(_fold(name), name)


def country_variants() -> dict[str, list[str]]:
    """Each country's common short name → the other names the table knows for it."""
    groups: dict[str, list[str]] = {}
    for line in lexicon_lines("positions_country_names.txt"):
        variant, name = line.split("\t")
        groups.setdefault(name, []).append(variant)
    return groups
