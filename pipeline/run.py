"""Running the pipeline over a stream of documents, in this process or in worker processes.

Every input ends as exactly one `Outcome`, in input order: a processed document with its
facts, or an error that says why it was not processed.
"""

import multiprocessing
import os
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from itertools import islice

from spacy.language import Language

from .api import load, make_doc, with_doc_id
from .facts import Fact
from .read import Document, ReadError


@dataclass
class Outcome:
    """What happened to one input document."""

    doc_id: str
    path: str
    status: str  # "ok" | "error"
    size: int | None = None
    encoding: str | None = None
    format: str | None = None
    error: str | None = None
    facts: list[Fact] = field(default_factory=list)
    seconds: float = 0.0

    def record(self) -> dict:
        """The documents-file record (no facts, their count)."""
        data = asdict(self)
        del data["facts"]
        data["facts"] = len(self.facts)
        data["seconds"] = round(self.seconds, 4)
        return data


def printable(name: str) -> str:
    """A file name as valid UTF-8 (names that are not come back with surrogate escapes)."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def failed(error: ReadError) -> Outcome:
    return Outcome(printable(error.doc_id), printable(error.path), "error", size=error.size,
                   error=printable(error.reason))


def _outcome(document: Document, facts: list[Fact], seconds: float) -> Outcome:
    return Outcome(printable(document.doc_id), printable(document.path), "ok",
                   size=document.size,
                   encoding=document.encoding, format=document.format,
                   facts=with_doc_id(facts, printable(document.doc_id)), seconds=seconds)


def process_batch(nlp: Language, batch: list[Document | ReadError]) -> list[Outcome]:
    """Outcomes of one batch; a document the pipeline fails on becomes an error outcome."""
    documents = [item for item in batch if isinstance(item, Document)]
    began = time.perf_counter()
    results: dict[int, Outcome] = {}
    try:
        docs = nlp.pipe(make_doc(nlp, d.text, d.date) for d in documents)
        for document, doc in zip(documents, docs, strict=True):
            results[id(document)] = _outcome(document, doc._.facts or [], 0.0)
        each = (time.perf_counter() - began) / max(len(documents), 1)
        for outcome in results.values():
            outcome.seconds = each
    except Exception:  # noqa: BLE001  (isolate the document that failed; never lose the others)
        results = {id(d): _process_one(nlp, d) for d in documents}
    return [failed(item) if isinstance(item, ReadError) else results[id(item)] for item in batch]


def _process_one(nlp: Language, document: Document) -> Outcome:
    began = time.perf_counter()
    try:
        doc = nlp(make_doc(nlp, document.text, document.date))
    except Exception as error:  # noqa: BLE001
        return Outcome(printable(document.doc_id), printable(document.path), "error",
                       size=document.size,
                       encoding=document.encoding, format=document.format,
                       error=f"internal error while processing: {type(error).__name__}: {error}")
    return _outcome(document, doc._.facts or [], time.perf_counter() - began)


def batches(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def process(
    items: Iterable[Document | ReadError], nlp: Language | None = None, *,
    batch_size: int = 16, jobs: int = 1,
) -> Iterator[Outcome]:
    """Outcomes for `items` in input order, with `jobs` worker processes (1: this process)."""
    if jobs <= 1:
        nlp = nlp or load()
        for batch in batches(items, batch_size):
            yield from process_batch(nlp, batch)
        return
    yield from _process_parallel(items, batch_size, jobs)


_worker_nlp: Language | None = None


def _init_worker() -> None:
    # One BLAS thread per worker: the workers already use every core, and OpenBLAS threads
    # spinning against each other made --jobs 2 slower than --jobs 1 (see nlp/blas.py).
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = "1"


def _work(batch: list[Document | ReadError]) -> list[Outcome]:
    return process_batch(_worker_nlp, batch)


def _process_parallel(
    items: Iterable[Document | ReadError], batch_size: int, jobs: int
) -> Iterator[Outcome]:
    """Ordered results with a bounded number of batches in flight (memory stays flat)."""
    # The models are loaded once here and the workers are forked from this process, so they
    # share the loaded models' memory and start at once (load() freezes them out of the GC,
    # which keeps the shared pages untouched).
    global _worker_nlp
    _worker_nlp = _worker_nlp or load()
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs, initializer=_init_worker) as pool:
        pending: deque = deque()
        for batch in batches(items, batch_size):
            pending.append(pool.apply_async(_work, (batch,)))
            while len(pending) > 2 * jobs:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()
