"""The `--engine dask` runner: the same batch job on a Dask distributed cluster.

The client process streams the inputs, sends batches (partitions) of documents to the workers
with a bounded number in flight, and yields the outcomes in input order, so `run_batch`
writes one facts file with the same content as the local engine (and `--resume` works the
same). The alternative for millions of documents on a shared file system is to let every
worker write a part file per partition: no traffic of results back through the client, but
many files to merge, no global order and resume bookkeeping per part. We chose client-side
writing: one ordered, crash-safe output; the client is rarely the bottleneck since the NLP
per document costs far more than sending its facts back.

Workers load the pipeline once (a `WorkerPlugin`); they need this package installed.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from .read import Document, ReadError
from .run import Outcome, batches, process_batch

INSTALL_HINT = "the dask engine needs the [dask] extra: pip install 'rufakt[dask]'"
_PLUGIN_NAME = "rufakt-pipeline"


def process_dask(
    items: Iterable[Document | ReadError], scheduler: str | None = None, batch_size: int = 16,
    *, n_workers: int = 2, window: int | None = None,
) -> Iterator[Outcome]:
    """Outcomes for `items` in input order, computed on the cluster at `scheduler` (default:
    a LocalCluster of `n_workers` single-threaded processes). At most `window` batches
    (default: twice the workers) are submitted and not yet yielded, so memory stays flat."""
    _require_dask()  # fail now (exit 2), before any output file is opened
    return _run(items, scheduler, batch_size, n_workers, window)


def _require_dask() -> None:
    try:
        import dask.distributed  # noqa: F401
    except ImportError:
        from .cli import UsageError

        raise UsageError(INSTALL_HINT) from None


def _connect(scheduler: str | None, n_workers: int) -> tuple[Any, Any]:
    """A client for `scheduler`, or for a new LocalCluster (returned to be closed too)."""
    import logging

    from dask.distributed import Client, LocalCluster

    if scheduler:
        try:
            return Client(scheduler, timeout="30s"), None
        except (OSError, TimeoutError) as error:
            from .cli import UsageError

            raise UsageError(f"cannot reach Dask scheduler {scheduler}: {error}") from None
    cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                           dashboard_address=None, silence_logs=logging.ERROR)
    return Client(cluster), cluster


def _run(
    items: Iterable[Document | ReadError], scheduler: str | None, batch_size: int,
    n_workers: int, window: int | None,
) -> Iterator[Outcome]:
    from dask.distributed import as_completed

    client, cluster = _connect(scheduler, n_workers)
    try:
        client.register_plugin(PipelinePlugin(), name=_PLUGIN_NAME)
        workers = len(client.scheduler_info().get("workers", {})) or 1
        limit = window or 2 * workers
        run = uuid.uuid4().hex[:8]
        waiting = as_completed()
        done: dict[int, list[Outcome]] = {}
        index_of: dict[str, int] = {}
        submitted = 0
        next_out = 0
        numbered = zip(itertools.count(), batches(items, batch_size))
        while True:
            # Fill the window: batches submitted and not yet yielded.
            while submitted - next_out < limit:
                entry = next(numbered, None)
                if entry is None:
                    break
                index, batch = entry
                future = client.submit(_work, batch, key=f"rufakt-{run}-{index}", pure=False)
                index_of[future.key] = index
                waiting.add(future)
                submitted += 1
            if next_out == submitted:
                return
            future = next(waiting)
            done[index_of.pop(future.key)] = future.result()
            future.release()
            while next_out in done:
                yield from done.pop(next_out)
                next_out += 1
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _work(batch: list[Document | ReadError]) -> list[Outcome]:
    """Runs on a worker: the batch's outcomes with the worker's pipeline."""
    return process_batch(_worker_pipeline(), batch)


def _worker_pipeline() -> Any:
    from dask.distributed import get_worker

    try:
        nlp = getattr(get_worker(), "rufakt_nlp", None)
    except ValueError:  # not on a worker
        nlp = None
    if nlp is None:
        from .api import default_pipeline

        nlp = default_pipeline()
    return nlp


def _plugin_base() -> type:
    try:
        from dask.distributed import WorkerPlugin
    except ImportError:
        return object
    return WorkerPlugin


class PipelinePlugin(_plugin_base()):  # type: ignore[misc]
    """Loads the pipeline once per worker process, when the worker starts."""

    def setup(self, worker: Any) -> None:
        from .api import default_pipeline

        worker.rufakt_nlp = default_pipeline()

    def teardown(self, worker: Any) -> None:
        worker.rufakt_nlp = None
