"""Lemmas from pymorphy3, in the reading that agrees with the morph tagger."""

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from .morphology import lemma


class Lemmatizer:
    """Writes `token.lemma_` (lower case dictionary form)."""

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            if token.is_space:
                token.lemma_ = token.text
            else:
                token.lemma_ = lemma(token.text, token.pos_, str(token.morph))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


@Language.factory("rufakt_lemmatizer")
def make_lemmatizer(nlp: Language, name: str):
    return Lemmatizer()
