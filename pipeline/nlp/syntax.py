"""Dependency syntax from natasha's slovnet parser: `token.head` and `token.dep_`."""

from collections.abc import Iterable
from itertools import chain

import numpy
from spacy.attrs import DEP, HEAD, IS_SPACE
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from . import models
from .chunks import DEFAULT_CONFIG, ChunkComponent


class SyntaxParser(ChunkComponent):
    """Each chunk becomes one tree; whitespace tokens hang on the word before them."""

    def __init__(self, vocab: Vocab, **config):
        super().__init__(**config)
        self.vocab = vocab
        self._rels: numpy.ndarray | None = None

    def infer(self, items: list[list[str]]) -> Iterable:
        return models.syntax_model()(items, self.batch_size, self.blas_threads)

    def rels(self) -> numpy.ndarray:
        """String hashes of the parser's relations."""
        if self._rels is None:
            names = models.syntax_model().rels
            self._rels = numpy.array([self.vocab.strings.add(r) for r in names], dtype="uint64")
        return self._rels

    def apply(self, doc: Doc, chunks: list[list[int]], results: list) -> None:
        if not len(doc):
            return
        strings = doc.vocab.strings
        heads = numpy.arange(len(doc))
        deps = numpy.full(len(doc), strings.add("dep"), dtype="uint64")
        if chunks:
            tokens = numpy.fromiter(chain.from_iterable(chunks), dtype=numpy.intp)
            local = chunk_trees([r[0] for r in results])
            lengths = [len(chunk) for chunk in chunks]
            starts = numpy.repeat(numpy.cumsum([0, *lengths[:-1]]), lengths)
            is_root = local < 0
            heads[tokens] = numpy.where(is_root, tokens, tokens[starts + local])
            rel_ids = numpy.concatenate([r[1] for r in results])
            deps[tokens] = numpy.where(is_root, strings.add("root"), self.rels()[rel_ids])
        is_space = doc.to_array(IS_SPACE).astype(bool)
        spaces = numpy.flatnonzero(is_space)
        if len(spaces):
            words = numpy.flatnonzero(~is_space)
            first_word = int(words[0]) if len(words) else 0
            heads[spaces] = numpy.where(spaces > 0, spaces - 1, first_word)
        array = numpy.zeros((len(doc), 2), dtype="uint64")
        array[:, 0] = (heads - numpy.arange(len(doc))).astype("int64").view("uint64")
        array[:, 1] = deps
        doc.from_array([HEAD, DEP], array)


def chunk_trees(head_ids: list[numpy.ndarray]) -> numpy.ndarray:
    """`tree_heads` of every chunk, concatenated (positions within each chunk).

    Most chunks come back as trees already: one root and every word reaching it. Those are
    checked for all chunks at once by following heads (doubling the steps each round); only
    the others go through `tree_heads`.
    """
    if not head_ids:
        return numpy.zeros(0, dtype=numpy.intp)
    lengths = numpy.array([len(h) for h in head_ids])
    starts = numpy.zeros(len(lengths), dtype=numpy.intp)
    numpy.cumsum(lengths[:-1], out=starts[1:])
    chunk_of = numpy.repeat(numpy.arange(len(lengths)), lengths)
    local = numpy.concatenate(head_ids).astype(numpy.intp) - 1
    is_root = local < 0
    parent = numpy.where(is_root, numpy.arange(len(local)), numpy.repeat(starts, lengths) + local)
    for _ in range(int(lengths.max()).bit_length() + 1):
        parent = parent[parent]
    roots = numpy.bincount(chunk_of, weights=is_root, minlength=len(lengths))
    bad = (roots != 1) | (numpy.bincount(chunk_of, weights=~is_root[parent],
                                         minlength=len(lengths)) > 0)
    for index in numpy.flatnonzero(bad):
        start, end = starts[index], starts[index] + lengths[index]
        local[start:end] = tree_heads((local[start:end] + 1).tolist())
    return local


def tree_heads(heads: list[int]) -> list[int]:
    """0-based heads (-1 for the root) with cycles broken, as spaCy needs a tree.

    slovnet predicts each head on its own (1-based, 0 for the root), so a chunk can come back
    with two roots or a cycle. The first root stays; a cycle is cut by attaching the token
    where it was found to that root.
    """
    local = [head - 1 for head in heads]
    roots = [i for i, head in enumerate(local) if head < 0]
    root = roots[0] if roots else 0
    for extra in roots[1:]:
        local[extra] = root
    local[root] = -1
    for start in range(len(local)):
        seen = set()
        node = start
        while node >= 0 and node not in seen:
            seen.add(node)
            node = local[node]
        if node >= 0:  # walked into a cycle
            local[node] = root
    return local


@Language.factory("rufakt_parser", default_config=DEFAULT_CONFIG)
def make_syntax_parser(
    nlp: Language, name: str, batch_size: int, docs_per_batch: int, blas_threads: int
) -> SyntaxParser:
    models.syntax_model()  # load now, not on the first document
    parser = SyntaxParser(nlp.vocab, batch_size=batch_size, docs_per_batch=docs_per_batch,
                          blas_threads=blas_threads)
    parser.rels()  # its strings are added now, for good: never inside a memory zone
    return parser
