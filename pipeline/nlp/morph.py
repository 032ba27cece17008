"""Part of speech and morphological features from natasha's slovnet morph tagger."""

from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc

from . import models
from .chunks import ChunkComponent


class MorphTagger(ChunkComponent):
    """Writes `token.pos_` and `token.morph` (UD tags and features)."""

    def infer(self, items: list[list[str]]) -> Iterable:
        tagger = models.morph_tagger()
        return tagger.infer(items)

    def apply(self, doc: Doc, chunks: list[list[int]], results: list) -> None:
        for chunk, markup in zip(chunks, results, strict=True):
            for index, token in zip(chunk, markup.tokens, strict=True):
                target = doc[index]
                target.pos_ = token.pos
                if token.feats:
                    target.set_morph("|".join(f"{k}={v}" for k, v in sorted(token.feats.items())))
        for token in doc:
            if token.is_space:
                token.pos_ = "SPACE"


@Language.factory("rufakt_morph", default_config={"batch_size": 64, "docs_per_batch": 32})
def make_morph_tagger(nlp: Language, name: str, batch_size: int, docs_per_batch: int):
    return MorphTagger(batch_size=batch_size, docs_per_batch=docs_per_batch)
