"""Model inputs: sentences cut to a bounded length and batched across documents.

Every neural component works on the same chunks, so a parse never crosses a chunk and memory
stays bounded whatever the input (a 100 KB line with no full stop becomes many chunks).
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar

from spacy.tokens import Doc
from spacy.util import minibatch

T = TypeVar("T")

CHUNKS_KEY = "rufakt_chunks"
CHUNK_WORDS_KEY = "rufakt_chunk_words"


def doc_chunks(doc: Doc) -> list[list[int]]:
    """The token indices of each model chunk of the doc (whitespace tokens left out)."""
    return doc.user_data[CHUNKS_KEY]


def chunk_words(doc: Doc) -> list[list[str]]:
    """The words of each chunk (kept by the tokenizer; rebuilt from the tokens if missing)."""
    words = doc.user_data.get(CHUNK_WORDS_KEY)
    if words is None:
        words = [[doc[i].text for i in chunk] for chunk in doc_chunks(doc)]
    return words


def map_batches(
    infer: Callable[[list[list[str]]], Iterable[T]],
    items: Sequence[list[str]],
    batch_size: int,
) -> list[T]:
    """Run `infer` over `items`, `batch_size` at a time, and return the results in order.

    The models lay a batch's chunks end to end without padding (see `fastnn`), so batches need
    no sorting by length; they only bound the memory a model run takes.
    """
    results: list[T] = []
    for at in range(0, len(items), batch_size):
        results.extend(infer(list(items[at : at + batch_size])))
    return results


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
            results = map_batches(self.infer, items, self.batch_size)
            at = 0
            for doc in batch:
                chunks = doc_chunks(doc)
                self.apply(doc, chunks, results[at : at + len(chunks)])
                at += len(chunks)
                yield doc
