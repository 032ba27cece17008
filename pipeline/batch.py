"""The batch job behind `rufakt extract`: walk → read and process (in the workers) → write,
every input accounted for.

Facts of a document are written before its record in the documents file, each in one
flushed write, so after a crash the documents file says exactly which documents are complete
(see `write.resume_state`).
"""

import os
import threading
from collections import Counter
from collections.abc import Iterator, Sequence

from tqdm import tqdm

from .read import ReadError, ReadOptions, iter_paths, walk
from .run import Outcome, Source, process
from .write import JsonLinesWriter, resume_state


def run_batch(
    inputs: Sequence[str], options: ReadOptions, *, output: str, docs_path: str | None,
    resume: bool = False, jobs: int = 1, batch_size: int = 16, engine: str = "local",
    scheduler: str | None = None, progress: bool = False,
) -> "Summary":
    """Process every input document and write facts (and document records); return counts."""
    summary = Summary()
    if engine == "dask":
        return _run_dask(inputs, options, output, docs_path, resume, batch_size, scheduler,
                         summary)
    done = resume_state(output, docs_path) if resume and docs_path else set()
    summary.skipped = len(done)
    items = (item for item in sources(inputs, options) if item.doc_id not in done)
    outcomes = process(items, batch_size=batch_size, jobs=jobs, options=options, skip=done)
    bar = tqdm(unit="file", disable=not progress, initial=len(done))
    if progress:  # counted beside the run, not before it: a million files take a while
        threading.Thread(target=_count, args=(bar, inputs, options), daemon=True).start()
    facts_out = JsonLinesWriter(output, append=resume)
    docs_out = JsonLinesWriter(docs_path, append=resume) if docs_path else None
    try:
        for outcome in outcomes:
            facts_out.write(outcome.facts)
            if docs_out:
                docs_out.write([outcome.record()])
            summary.add(outcome)
            bar.update(1)
    finally:
        bar.close()
        facts_out.close()
        if docs_out:
            docs_out.close()
    return summary


def _run_dask(
    inputs: Sequence[str], options: ReadOptions, output: str, docs_path: str | None,
    resume: bool, batch_size: int, scheduler: str | None, summary: "Summary",
) -> "Summary":
    """The job on a Dask cluster: workers write parts (see distributed.py); the client counts."""
    from .distributed import is_folder_output, run_dask

    done: set[str] = set()
    parts = f"{output}.parts"
    if resume and docs_path and not is_folder_output(output) and not os.path.isdir(parts):
        done = resume_state(output, docs_path)  # a complete earlier run: skip its documents
        summary.skipped = len(done)
    items = (item for item in sources(inputs, options) if item.doc_id not in done)
    manifests = run_dask(items, output, docs_path, scheduler=scheduler, batch_size=batch_size,
                         resume=resume, options=options, skip=frozenset(done),
                         append=bool(done))
    for entry in manifests:
        summary.add_part(entry)
    return summary


def _count(bar: tqdm, inputs: Sequence[str], options: ReadOptions) -> None:
    """Give the progress bar its total once the inputs are counted."""
    bar.total = sum(1 for _ in iter_paths(inputs, options))
    bar.refresh()


def sources(inputs: Sequence[str], options: ReadOptions) -> Iterator[Source | ReadError]:
    """What the walk finds, as files for the workers to read, and what it reports."""
    for item in walk(inputs, options):
        yield item if isinstance(item, ReadError) else Source(item[0], str(item[1]))


class Summary:
    """Counts of one run, printed on stderr at the end."""

    def __init__(self) -> None:
        self.processed = 0
        self.skipped = 0  # already done (resume)
        self.facts: Counter[str] = Counter()
        self.errors: list[tuple[str, str]] = []

    def add_part(self, entry: dict) -> None:
        """Counts from a part's manifest (the dask engine)."""
        self.processed += entry["documents"]
        self.facts.update(entry["facts"])
        self.errors.extend((path, reason) for path, reason in entry["errors"])

    def add(self, outcome: Outcome) -> None:
        if outcome.status == "ok":
            self.processed += 1
            self.facts.update(fact.predicate for fact in outcome.facts)
        else:
            self.errors.append((outcome.path, outcome.error or "unknown error"))

    def format(self, seconds: float, output: str, docs_path: str | None) -> str:
        from .facts import PREDICATES

        lines = [
            f"documents: {self.processed} processed, {len(self.errors)} failed"
            + (f", {self.skipped} already done (resumed)" if self.skipped else ""),
            "facts: " + ", ".join(f"{p} {self.facts[p]}" for p in PREDICATES)
            + f" (total {sum(self.facts.values())})",
        ]
        for path, reason in self.errors[:20]:
            lines.append(f"  error: {path}: {reason}")
        if len(self.errors) > 20:
            lines.append(f"  … and {len(self.errors) - 20} more errors (see {docs_path or output})")
        rate = self.processed / seconds if seconds else 0.0
        lines.append(f"time: {seconds:.1f} s ({rate:.1f} documents/s)")
        if output != "-":
            lines.append(f"written: {output}" + (f", {docs_path}" if docs_path else ""))
        return "\n".join(lines)
