"""PER / LOC / ORG entities from natasha's slovnet NER, on the project's own tokens."""

from collections.abc import Iterable

import numpy
from spacy.language import Language
from spacy.tokens import Doc, Span

from . import models
from .chunks import DEFAULT_CONFIG, ChunkComponent


class EntityRecognizer(ChunkComponent):
    """Sets `doc.ents` from the BIO tags slovnet predicts for each chunk."""

    def infer(self, items: list[list[str]]) -> Iterable:
        return models.ner_model()(items, self.batch_size, self.blas_threads)

    def apply(self, doc: Doc, chunks: list[list[int]], results: list) -> None:
        tags = models.ner_model().tags
        outside = tags.index("O") if "O" in tags else -1
        spans = []
        for chunk, ids in zip(chunks, results, strict=True):
            if not numpy.any(ids != outside):
                continue
            spans.extend(bio_spans(doc, chunk, [tags[i] for i in ids.tolist()]))
        doc.set_ents(spans, default="outside")


def bio_spans(doc: Doc, chunk: list[int], tags: list[str]) -> list[Span]:
    """Spans of a chunk's BIO tags; an I- without its B- starts a span too."""
    spans = []
    start = label = None
    for position, tag in enumerate([*tags, "O"]):
        part, _, kind = tag.partition("-")
        if start is not None and (part != "I" or kind != label):
            spans.append(Span(doc, chunk[start], chunk[position - 1] + 1, label=label))
            start = label = None
        if part == "B" or (part == "I" and start is None):
            start, label = position, kind
    return spans


@Language.factory("rufakt_ner", default_config=DEFAULT_CONFIG)
def make_entity_recognizer(
    nlp: Language, name: str, batch_size: int, docs_per_batch: int, blas_threads: int
) -> EntityRecognizer:
    models.ner_model()  # load now, not on the first document
    return EntityRecognizer(batch_size=batch_size, docs_per_batch=docs_per_batch,
                            blas_threads=blas_threads)
