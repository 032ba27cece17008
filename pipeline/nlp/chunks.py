"""Model inputs: sentences cut to a bounded length and batched across documents by length.

Every neural component works on the same chunks, so a parse never crosses a chunk and memory
stays bounded whatever the input (a 100 KB line with no full stop becomes many chunks).
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar

from spacy.tokens import Doc
from spacy.util import minibatch

T = TypeVar("T")

CHUNKS_KEY = "rufakt_chunks"


def doc_chunks(doc: Doc) -> list[list[int]]:
    """The token indices of each model chunk of the doc (whitespace tokens left out)."""
    return doc.user_data[CHUNKS_KEY]


def chunk_words(doc: Doc) -> list[list[str]]:
    return [[doc[i].text for i in chunk] for chunk in doc_chunks(doc)]


def map_sorted(
    infer: Callable[[list[list[str]]], Iterable[T]],
    items: Sequence[list[str]],
    batch_size: int,
) -> list[T]:
    """Run `infer` over `items` in batches of similar length and return results in input order.

    Sorting by length before batching keeps padding small, which is most of the speed-up over
    running each document on its own.
    """
    order = sorted(range(len(items)), key=lambda i: len(items[i]))
    results: list[T | None] = [None] * len(items)
    for at in range(0, len(order), batch_size):
        batch = order[at : at + batch_size]
        for index, result in zip(batch, infer([items[i] for i in batch]), strict=True):
            results[index] = result
    return results  # type: ignore[return-value]


def cut(indices: list[int], max_tokens: int) -> list[list[int]]:
    """Cut a sentence's token indices into pieces of at most `max_tokens`."""
    return [indices[at : at + max_tokens] for at in range(0, len(indices), max_tokens)]


class ChunkComponent:
    """Base of the components that run a slovnet model over chunks batched across documents."""

    def __init__(self, batch_size: int = 64, docs_per_batch: int = 32):
        self.batch_size = batch_size
        self.docs_per_batch = docs_per_batch

    def infer(self, items: list[list[str]]) -> Iterable:
        """Model output for each chunk of words, in order."""
        raise NotImplementedError

    def apply(self, doc: Doc, chunks: list[list[int]], results: list) -> None:
        """Write the model's output for the doc's chunks onto its tokens."""
        raise NotImplementedError

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int | None = None) -> Iterator[Doc]:
        for batch in minibatch(docs, batch_size or self.docs_per_batch):
            items: list[list[str]] = []
            for doc in batch:
                items.extend(chunk_words(doc))
            results = map_sorted(self.infer, items, self.batch_size)
            at = 0
            for doc in batch:
                chunks = doc_chunks(doc)
                self.apply(doc, chunks, results[at : at + len(chunks)])
                at += len(chunks)
                yield doc
