"""The one token view of a document the layers and extractors share: its words (non-space
tokens) with their lexicon forms, addressed by word index."""

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from functools import cached_property, lru_cache

from spacy.tokens import Doc, Span, Token

from ..lexicon import Forms, Phrases, word_forms
from .store import doc_cache, text_of

WORDS_KEY = "rufakt_words"
SCALE_ABBREVIATIONS = frozenset({"тыс", "млн", "млрд", "трлн"})


def words_of_doc(doc: Doc) -> "Words":
    """The doc's `Words`, built once and shared by every layer and extractor."""
    cache = doc_cache(doc)
    if WORDS_KEY not in cache:
        cache[WORDS_KEY] = Words(doc)
    return cache[WORDS_KEY]


@lru_cache(maxsize=100_000)
def _forms(text: str, lemma: str) -> Forms:
    """A word's lexicon forms and the lemma the pipeline gave it."""
    return word_forms(text) | {lemma.replace("ё", "е")}


class Words:
    """The doc's non-space tokens with their lexicon forms, addressed by word index."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.text = text_of(doc)
        self.tokens: list[Token] = [t for t in doc if not t.is_space]
        self.texts = [t.text for t in self.tokens]
        self.forms: list[Forms] = [_forms(text, t.lemma_)
                                   for text, t in zip(self.texts, self.tokens, strict=True)]
        self.starts = [t.idx for t in self.tokens]
        self.indexes = [t.i for t in self.tokens]  # each word's token index
        self._sentences: list[tuple[int, int]] | None = None

    def at_char(self, char: int) -> int:
        """Index of the word that holds (or is the first after) character `char`."""
        return max(bisect_right(self.starts, char) - 1, 0)

    @cached_property
    def written(self) -> frozenset[str]:
        """Every word the document writes."""
        return frozenset(self.texts)

    def word_before(self, token_end: int) -> int:
        """Index of the last word before token index `token_end` (-1: none)."""
        return bisect_left(self.indexes, token_end) - 1

    def span(self, start: int, end: int) -> Span:
        return self.doc[self.tokens[start].i : self.tokens[end - 1].i + 1]

    def char_range(self, start: int, end: int) -> tuple[int, int]:
        last = self.tokens[end - 1]
        return self.tokens[start].idx, last.idx + len(last.text)

    def sentence(self, sent: Span) -> tuple[int, int]:
        """Word range of a spaCy sentence."""
        start = bisect_right(self.starts, sent.start_char - 1)
        end = bisect_right(self.starts, sent.end_char - 1)
        return start, end

    def sentences(self) -> Iterator[tuple[int, int]]:
        """Word ranges of the doc's sentences, also cut after an abbreviation's full stop, and
        joined again where a scale's full stop was taken for a sentence's end («до 50 тыс. |
        TEU»). Computed once."""
        if self._sentences is None:
            self._sentences = list(self._compute_sentences())
        return iter(self._sentences)

    def _compute_sentences(self) -> Iterator[tuple[int, int]]:
        units = Phrases.of("units", "units")
        pending: tuple[int, int] | None = None
        for sent in self.doc.sents:
            for start, end in _split_after_abbreviations(self, *self.sentence(sent)):
                if pending is not None and start == pending[1] and pending[1] - pending[0] > 1 \
                        and self.texts[pending[1] - 1] == "." \
                        and self.texts[pending[1] - 2].lower() in SCALE_ABBREVIATIONS \
                        and units.match(self.forms, start) is not None:
                    pending = (pending[0], end)
                    continue
                if pending is not None:
                    yield pending
                pending = (start, end)
        if pending is not None:
            yield pending


def _split_after_abbreviations(words: Words, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The sentence cut after a full stop that ends an abbreviation and precedes a capital
    («… 1,8 млрд кВт·ч. Кроме того, …», «… 2025 г. Нефтепровод …»), which razdel leaves
    inside one sentence; initials («Ж. Иванов») and a scale before its unit («50 тыс. TEU»)
    are not cut."""
    units = Phrases.of("units", "units")
    for at in range(start + 1, end - 1):
        if words.texts[at] == "." and words.texts[at + 1][:1].isupper() \
                and not (len(words.texts[at - 1]) == 1 and words.texts[at - 1].isupper()) \
                and units.match(words.forms, at + 1) is None:
            yield start, at + 1
            start = at + 1
    if start < end:
        yield start, end

