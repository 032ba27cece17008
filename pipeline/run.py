"""Running the pipeline over a stream of inputs, in this process or in worker processes.

Every input ends as exactly one `Outcome` per document, in input order: a processed document
with its facts, or an error that says why it was not processed.

Inputs can be read where they are processed: a `Source` (a file's document id and path) is
read, decoded and, for HTML, stripped to its article inside the worker, so the parent process
only walks the folders and writes. Each worker starts loading the pipeline in a thread at once
and reads its first batch meanwhile; workers start once and are fed batches, a bounded number
in flight, and results come back in input order.
"""

import gc
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, fields
from itertools import islice
from typing import TYPE_CHECKING

from .errors import WorkerDied
from .read import DEFAULT_OPTIONS, Document, ReadError, ReadOptions, read_path

if TYPE_CHECKING:
    from spacy.language import Language

    from .facts import Fact


@dataclass(frozen=True)
class Source:
    """A file to read where it is processed: its document id (for a .json/.jsonl export, the
    prefix of its records' ids) and its path."""

    doc_id: str
    path: str


Item = Document | ReadError | Source


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
    facts: "list[Fact]" = field(default_factory=list)
    seconds: float = 0.0

    def record(self) -> dict:
        """The documents-file record (no facts, their count)."""
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "facts"}
        data["facts"] = len(self.facts)  # (`asdict` would deep-copy every fact first)
        data["seconds"] = round(self.seconds, 4)
        return data


def printable(name: str) -> str:
    """A file name as valid UTF-8 (names that are not come back with surrogate escapes)."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def failed(error: ReadError) -> Outcome:
    return Outcome(printable(error.doc_id), printable(error.path), "error", size=error.size,
                   error=printable(error.reason))


def _outcome(document: Document, facts: "list[Fact]", seconds: float) -> Outcome:
    from .core import with_doc_id

    return Outcome(printable(document.doc_id), printable(document.path), "ok",
                   size=document.size,
                   encoding=document.encoding, format=document.format,
                   facts=with_doc_id(facts, printable(document.doc_id)), seconds=seconds)


@contextmanager
def rare_collections(first_generation: int = 20_000) -> Iterator[None]:
    """The cyclic garbage collector's youngest generation collected after `first_generation`
    allocations instead of Python's 700 while the block runs.

    Processing a document allocates hundreds of thousands of objects that live as long as the
    document; collecting every 700 walked them again and again (9 % of the processing time
    on FactRuEval's texts). The documents' cycles are still collected, just less often.
    """
    before = gc.get_threshold()
    gc.set_threshold(first_generation, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


# At most about 40 MB of words and strings, kept for good (see `process_batch`).
KEEP_STRINGS = 100_000


def process_batch(nlp: "Language", batch: list[Document | ReadError]) -> list[Outcome]:
    """Outcomes of one batch; a document the pipeline fails on becomes an error outcome.

    Until the string store holds `KEEP_STRINGS` strings, the words a batch brings into the
    vocabulary stay (the frequent words of the input are met early, and a word kept is not
    built again in each batch). After that every batch runs in a spaCy memory zone: the words
    and strings it brought are forgotten afterwards, so memory stays flat over millions of
    documents (without it every distinct number or name ever seen stays). Only facts leave.
    """
    from .layers.store import release

    documents = [item for item in batch if isinstance(item, Document)]
    began = time.perf_counter()
    results: dict[int, Outcome] = {}
    try:
        zone = nlp.memory_zone() if len(nlp.vocab.strings) >= KEEP_STRINGS else nullcontext()
        with zone, rare_collections():
            docs = nlp.pipe(_doc(nlp, d) for d in documents)
            for document, doc in zip(documents, docs, strict=True):
                results[id(document)] = _outcome(document, doc._.facts or [], 0.0)
                release(doc)  # the layers' cache holds the doc: let it go
        each = (time.perf_counter() - began) / max(len(documents), 1)
        for outcome in results.values():
            outcome.seconds = each
    except Exception:  # noqa: BLE001  (isolate the document that failed; never lose the others)
        results = {id(d): _process_one(nlp, d) for d in documents}
    return [failed(item) if isinstance(item, ReadError) else results[id(item)] for item in batch]


def _doc(nlp: "Language", document: Document):
    from .core import make_doc

    return make_doc(nlp, document.text, document.date)


def _process_one(nlp: "Language", document: Document) -> Outcome:
    from .layers.store import release

    began = time.perf_counter()
    try:
        with nlp.memory_zone():
            doc = nlp(_doc(nlp, document))
            release(doc)
            return _outcome(document, doc._.facts or [], time.perf_counter() - began)
    except Exception as error:  # noqa: BLE001
        return Outcome(printable(document.doc_id), printable(document.path), "error",
                       size=document.size,
                       encoding=document.encoding, format=document.format,
                       error=f"internal error while processing: {type(error).__name__}: {error}")


def batches(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def expand(
    items: Iterable[Item], options: ReadOptions = DEFAULT_OPTIONS,
    skip: frozenset[str] | set[str] = frozenset(),
) -> Iterator[Document | ReadError]:
    """Documents and read errors of `items`, reading each `Source`; documents whose id is in
    `skip` (finished in an earlier run) are left out."""
    for item in items:
        if isinstance(item, Source):
            for read in read_path(item.doc_id, item.path, options):
                if read.doc_id not in skip:
                    yield read
        elif item.doc_id not in skip:
            yield item


# Processed once, outside any memory zone, before a first batch that would run in one:
# whatever a component sets up on its first document (lexicons, matchers, cached string ids)
# then stays for good.
WARM_UP = ("Министр энергетики Казахстана Тимур Абенов встретился в Астане с послом "
           "Азербайджана. В 2024 году по маршруту Баку — Тбилиси — Джейхан прокачано 1,5 млн "
           "тонн нефти, строительство ведёт «Каспийтранзит».\n")


class Worker:
    """Reads and processes batches of items with one pipeline, loaded once.

    The pipeline is loaded in a thread started with the worker, so the first batch is read
    (file I/O, decoding, HTML) while the models load.
    """

    def __init__(
        self, nlp: "Language | None" = None, options: ReadOptions = DEFAULT_OPTIONS,
        skip: frozenset[str] | set[str] = frozenset(), batch_size: int = 16,
    ):
        self.options, self.skip, self.batch_size = options, skip, batch_size
        self._nlp = nlp
        self._warm = False
        self._loader: threading.Thread | None = None
        self._error: BaseException | None = None
        if nlp is None:
            self._loader = threading.Thread(target=self._load, name="rufakt-load", daemon=True)
            self._loader.start()

    def _load(self) -> None:
        try:
            from .api import load

            self._nlp = load()
        except BaseException as error:  # noqa: BLE001  (raised again in the caller's thread)
            self._error = error

    @property
    def nlp(self) -> "Language":
        if self._loader is not None:
            self._loader.join()
            self._loader = None
            if self._error is not None:
                raise self._error
        assert self._nlp is not None
        if not self._warm and len(self._nlp.vocab.strings) >= KEEP_STRINGS:
            # the first batch will run in a memory zone (see `process_batch`)
            from .core import make_doc

            self._nlp(make_doc(self._nlp, WARM_UP))
            self._warm = True
        return self._nlp

    def __call__(self, items: Iterable[Item]) -> list[Outcome]:
        """Outcomes of the documents of `items`, in order."""
        outcomes: list[Outcome] = []
        for batch in batches(expand(items, self.options, self.skip), self.batch_size):
            outcomes.extend(process_batch(self.nlp, batch))
        return outcomes


def process(
    items: Iterable[Item], nlp: "Language | None" = None, *,
    batch_size: int = 16, jobs: int = 1, options: ReadOptions = DEFAULT_OPTIONS,
    skip: frozenset[str] | set[str] = frozenset(),
) -> Iterator[Outcome]:
    """Outcomes for `items` in input order, with `jobs` worker processes (1: this process).

    `Source` items are read by whoever processes them, with `options`; documents whose id is
    in `skip` are left out. The worker processes start before this returns.
    """
    if jobs <= 1:
        worker = Worker(nlp, options, skip, batch_size)
        return (outcome for batch in batches(items, batch_size) for outcome in worker(batch))
    return _process_parallel(items, nlp, options, skip, batch_size, jobs)


_worker: Worker | None = None


def one_blas_thread() -> None:
    """One BLAS thread in this worker process: the workers already use every core, and
    OpenBLAS threads spinning against each other made --jobs 2 slower than --jobs 1 (see
    nlp/blas.py, which reads these variables before each model run)."""
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = "1"


def _init_worker(nlp: "Language | None", options: ReadOptions, skip: frozenset[str] | set[str],
                 batch_size: int) -> None:
    one_blas_thread()
    global _worker
    _worker = Worker(nlp, options, skip, batch_size)


def _work(items: list[Item]) -> list[Outcome]:
    assert _worker is not None, "not in a worker process"
    return _worker(items)


def _process_parallel(
    items: Iterable[Item], nlp: "Language | None", options: ReadOptions,
    skip: frozenset[str] | set[str], batch_size: int, jobs: int,
) -> Iterator[Outcome]:
    """Ordered results with a bounded number of batches in flight (memory stays flat)."""
    # Forked workers inherit what the parent has loaded: nothing when `rufakt extract` runs
    # (the workers then load the models at the same time, each on its core), a pipeline
    # shared copy-on-write when a library caller passes one.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    executor = ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker,
                                   initargs=(nlp, options, skip, batch_size))
    executor.submit(_started)  # forks every worker now, before this process starts a thread
    return _ordered(executor, items, batch_size, jobs)


def _started() -> None:
    """A task that does nothing: submitting it starts the worker processes."""


def _ordered(executor: ProcessPoolExecutor, items: Iterable[Item], batch_size: int,
             jobs: int) -> Iterator[Outcome]:
    pending: deque = deque()
    try:
        for batch in batches(items, batch_size):
            pending.append(executor.submit(_work, batch))
            while len(pending) > 2 * jobs:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    except BrokenProcessPool:
        raise WorkerDied("a worker process died (killed, or out of memory?); what was written "
                         "is complete: run again with --resume") from None
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
