"""Model inputs: sentences cut to a bounded length and batched across documents.

Every neural component works on the same chunks, so a parse never crosses a chunk and memory
stays bounded whatever the input (a 100 KB line with no full stop becomes many chunks).
"""

from collections.abc import Iterable, Iterator

from spacy.tokens import Doc
from spacy.util import minibatch

CHUNKS_KEY = "rufakt_chunks"
CHUNK_WORDS_KEY = "rufakt_chunk_words"
DEFAULT_CONFIG = {"batch_size": 64, "docs_per_batch": 32, "blas_threads": 0}  # see ChunkComponent


def doc_chunks(doc: Doc) -> list[list[int]]:
    """The token indices of each model chunk of the doc (whitespace tokens left out)."""
    return doc.user_data[CHUNKS_KEY]


def chunk_words(doc: Doc) -> list[list[str]]:
    """The words of each chunk (kept by the tokenizer; rebuilt from the tokens if missing)."""
    words = doc.user_data.get(CHUNK_WORDS_KEY)
    if words is None:
        words = [[doc[i].text for i in chunk] for chunk in doc_chunks(doc)]
    return words


def cut(indices: list[int], max_tokens: int) -> list[list[int]]:
    """Cut a sentence's token indices into pieces of at most `max_tokens`."""
    return [indices[at : at + max_tokens] for at in range(0, len(indices), max_tokens)]


class ChunkComponent:
    """Base of the components that run a slovnet model over chunks batched across documents.

    `batch_size` chunks go through the model at once, from `docs_per_batch` documents at a
    time (or as many as `nlp.pipe(..., batch_size=)` passes); the model runs with
    `blas_threads` OpenBLAS threads (see `blas.py`; 0: as many as there are idle cores).
    """

    def __init__(self, batch_size: int = 64, docs_per_batch: int = 32, blas_threads: int = 0):
        self.batch_size = batch_size
        self.docs_per_batch = docs_per_batch
        self.blas_threads = blas_threads

    def infer(self, items: list[list[str]]) -> Iterable:
        """Model output for each chunk of words, in order (the model runs on `batch_size`
        chunks at a time)."""
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
            results = list(self.infer(items))
            at = 0
            for doc in batch:
                chunks = doc_chunks(doc)
                self.apply(doc, chunks, results[at : at + len(chunks)])
                at += len(chunks)
                yield doc
