"""What the layer components worked out about a document, kept beside the doc while it lives.

Python objects that hold spans (posts, persons, routes) are kept here rather than in
`Doc.user_data`, where they would make the doc unpicklable; what a user looks at is also
written to `doc.spans` and extension attributes by each component.
"""

import weakref
from typing import Any

from spacy.tokens import Doc, Span

from ..nlp.names import misread_person
from ..nlp.tokenizer import TEXTS

ENTITIES_KEY = "rufakt_ner_spans"
TEXT_KEY = "rufakt_text"
SENTS_KEY = "rufakt_sents"

_CACHES: "weakref.WeakKeyDictionary[Doc, dict[str, Any]]" = weakref.WeakKeyDictionary()


def doc_cache(doc: Doc) -> dict[str, Any]:
    """What the extractors worked out about a document (posts, persons, links), kept beside
    the doc while it lives: not in `Doc.user_data`, where spans would make it unpicklable."""
    return _CACHES.setdefault(doc, {})


def text_of(doc: Doc) -> str:
    """`doc.text`, read once (spaCy rebuilds it from the tokens on every access)."""
    known = TEXTS.get(doc)
    if known is not None:
        return known
    cache = doc_cache(doc)
    if TEXT_KEY not in cache:
        cache[TEXT_KEY] = doc.text
    return cache[TEXT_KEY]


def sentences_of(doc: Doc) -> list[Span]:
    """`doc.sents`, built once."""
    cache = doc_cache(doc)
    if SENTS_KEY not in cache:
        cache[SENTS_KEY] = list(doc.sents)
    return cache[SENTS_KEY]


def release(doc: Doc) -> None:
    """Forget what the layers worked out about `doc`. The cache holds spans of the doc, so a
    doc never released stays in memory: the batch runner and `pipeline.extract` release each
    doc once its facts are out; call this after `nlp.pipe` over many documents of your own.
    The doc's facts (`doc._.facts`) and layers in `doc.spans` stay."""
    _CACHES.pop(doc, None)


def entities(doc: Doc) -> tuple[Span, ...]:
    """`doc.ents`, read once (spaCy builds new spans on every access), with a person's name
    the NER took for a place or an organisation labelled PER."""
    if ENTITIES_KEY not in doc_cache(doc):
        doc_cache(doc)[ENTITIES_KEY] = tuple(
            Span(doc, e.start, e.end, label="PER")
            if e.label_ in {"LOC", "ORG"} and misread_person(e) else e for e in doc.ents)
    return doc_cache(doc)[ENTITIES_KEY]


def entity_at(doc: Doc, index: int) -> Span | None:
    """The entity covering token `index`."""
    key = ENTITIES_KEY + "_by_token"
    if key not in doc_cache(doc):
        doc_cache(doc)[key] = {i: span for span in entities(doc) for i in range(span.start,
                                                                                span.end)}
    return doc_cache(doc)[key].get(index)


