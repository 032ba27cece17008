"""Lemmas from pymorphy3, in the reading that agrees with the morph tagger."""

from collections.abc import Iterable, Iterator

import numpy
from spacy.attrs import IS_SPACE, LEMMA, MORPH, ORTH, POS
from spacy.language import Language
from spacy.tokens import Doc

from .morphology import analyzer, lemma


class Lemmatizer:
    """Writes `token.lemma_` (lower case dictionary form).

    Lemmas are cached by (word, POS, features) string hashes, so each distinct tagged word is
    looked up in pymorphy3 once. The cache keeps the lemma itself, not its hash: inside a
    `memory_zone` the string store forgets the strings it learnt when the zone ends.
    """

    def __init__(self, max_cached: int = 100_000):
        self.max_cached = max_cached
        self.cache: dict[tuple[int, int, int, int], str | None] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        cache, strings = self.cache, doc.vocab.strings
        add = strings.add
        lemmas = []
        for key in map(tuple, doc.to_array([ORTH, POS, MORPH, IS_SPACE]).tolist()):
            if key in cache:
                value = cache[key]
            else:
                orth, pos, morph, space = key
                value = None if space else lemma(strings[orth], strings[pos], strings[morph])
                if len(cache) >= self.max_cached:
                    cache.clear()
                cache[key] = value
            lemmas.append(key[0] if value is None else add(value))
        doc.from_array([LEMMA], numpy.array(lemmas, dtype="uint64"))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


@Language.factory("rufakt_lemmatizer")
def make_lemmatizer(nlp: Language, name: str):
    analyzer()  # load the dictionaries now, not on the first document
    return Lemmatizer()
