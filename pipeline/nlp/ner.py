"""PER / LOC / ORG entities from natasha's slovnet NER, on the project's own tokens."""

from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span

from . import models
from .chunks import ChunkComponent


class EntityRecognizer(ChunkComponent):
    """Sets `doc.ents` from the BIO tags slovnet predicts for each chunk."""

    def infer(self, items: list[list[str]]) -> Iterable:
        infer = models.ner_tagger().infer
        inputs = infer.encoder(items)
        return infer.decoder(infer.process(inputs))

    def apply(self, doc: Doc, chunks: list[list[int]], results: list) -> None:
        spans = []
        for chunk, tags in zip(chunks, results, strict=True):
            start = label = None
            for position, tag in enumerate([*tags, "O"]):
                part, _, kind = tag.partition("-")
                if start is not None and (part != "I" or kind != label):
                    spans.append(Span(doc, chunk[start], chunk[position - 1] + 1, label=label))
                    start = label = None
                if part == "B" or (part == "I" and start is None):
                    start, label = position, kind
        doc.set_ents(spans, default="outside")


@Language.factory("rufakt_ner", default_config={"batch_size": 64, "docs_per_batch": 32})
def make_entity_recognizer(nlp: Language, name: str, batch_size: int, docs_per_batch: int):
    return EntityRecognizer(batch_size=batch_size, docs_per_batch=docs_per_batch)
