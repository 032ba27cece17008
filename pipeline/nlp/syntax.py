"""Dependency syntax from natasha's slovnet parser: `token.head` and `token.dep_`."""

from collections.abc import Iterable

import numpy
from spacy.attrs import DEP, HEAD
from spacy.language import Language
from spacy.tokens import Doc

from . import models
from .chunks import ChunkComponent


class SyntaxParser(ChunkComponent):
    """Each chunk becomes one tree; whitespace tokens hang on the word before them."""

    def infer(self, items: list[list[str]]) -> Iterable:
        return models.syntax_parser().infer(items)

    def apply(self, doc: Doc, chunks: list[list[int]], results: list) -> None:
        if not len(doc):
            return
        heads = list(range(len(doc)))
        deps = ["dep"] * len(doc)
        for chunk, markup in zip(chunks, results, strict=True):
            local = tree_heads([int(token.head_id) for token in markup.tokens])
            for index, head, token in zip(chunk, local, markup.tokens, strict=True):
                heads[index] = chunk[head] if head >= 0 else index
                deps[index] = token.rel if head >= 0 else "root"
        first_word = next((t.i for t in doc if not t.is_space), 0)
        for token in doc:
            if token.is_space:
                heads[token.i] = token.i - 1 if token.i > 0 else first_word
        strings = doc.vocab.strings
        array = numpy.zeros((len(doc), 2), dtype="uint64")
        array[:, 0] = (numpy.array(heads, dtype="int64") - numpy.arange(len(doc))).view("uint64")
        array[:, 1] = [strings.add(dep) for dep in deps]
        doc.from_array([HEAD, DEP], array)


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


@Language.factory("rufakt_parser", default_config={"batch_size": 64, "docs_per_batch": 32})
def make_syntax_parser(nlp: Language, name: str, batch_size: int, docs_per_batch: int):
    return SyntaxParser(batch_size=batch_size, docs_per_batch=docs_per_batch)
