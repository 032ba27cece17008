"""Part of speech and morphological features from natasha's slovnet morph tagger."""

from collections.abc import Iterable
from itertools import chain

import numpy
from slovnet.conll import parse_conll_tag
from spacy.attrs import IS_SPACE, MORPH, POS
from spacy.language import Language
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.tokens import Doc
from spacy.vocab import Vocab

from . import models
from .chunks import DEFAULT_CONFIG, ChunkComponent

SPACE = POS_IDS["SPACE"]


class MorphTagger(ChunkComponent):
    """Writes `token.pos_` and `token.morph` (UD tags and features)."""

    def __init__(self, vocab: Vocab, **config):
        super().__init__(**config)
        self.vocab = vocab
        self._table: numpy.ndarray | None = None

    def infer(self, items: list[list[str]]) -> Iterable:
        return models.morph_model()(items, self.batch_size, self.blas_threads)

    def table(self) -> numpy.ndarray:
        """(POS id, MORPH hash) of each of the tagger's tags."""
        if self._table is None:
            rows = []
            for tag in models.morph_model().tags:
                pos, feats = parse_conll_tag(tag)
                morph = "|".join(f"{k}={v}" for k, v in sorted(feats.items()))
                rows.append((POS_IDS.get(pos, 0), self.vocab.morphology.add(morph) if morph else 0))
            self._table = numpy.array(rows, dtype="uint64").reshape(len(rows), 2)
        return self._table

    def apply(self, doc: Doc, chunks: list[list[int]], results: list) -> None:
        values = numpy.zeros((len(doc), 2), dtype="uint64")
        values[doc.to_array(IS_SPACE).astype(bool), 0] = SPACE
        if chunks:
            tokens = numpy.fromiter(chain.from_iterable(chunks), dtype=numpy.intp)
            values[tokens] = self.table()[numpy.concatenate(results)]
        doc.from_array([POS, MORPH], values)


@Language.factory("rufakt_morph", default_config=DEFAULT_CONFIG)
def make_morph_tagger(
    nlp: Language, name: str, batch_size: int, docs_per_batch: int, blas_threads: int
) -> MorphTagger:
    models.morph_model()  # load now, not on the first document
    tagger = MorphTagger(nlp.vocab, batch_size=batch_size, docs_per_batch=docs_per_batch,
                         blas_threads=blas_threads)
    tagger.table()  # its strings are added now, for good: never inside a memory zone
    return tagger
