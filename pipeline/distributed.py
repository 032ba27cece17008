"""The `--engine dask` runner: the batch job on a Dask cluster, each worker writing its parts.

The client walks the inputs and submits batches of files (paths, not texts) with a bounded
number in flight. A worker reads its batch, runs the pipeline (loaded once per worker by a
`WorkerPlugin`) and writes two part files, facts and document records, each under a temporary
name renamed into place when complete; it sends back only a small manifest (counts, errors).
So the client never carries facts, and workers need the input files and the output folder on
a file system they share with the client (NFS, Lustre, a Kubernetes volume).

Output:
- `-o DIR/`: DIR/part-000000.jsonl (facts), DIR/part-000000.docs.jsonl (documents) per batch,
  and DIR/manifest.jsonl, one line per finished part (in the order parts finish; part numbers
  follow the input order);
- `-o FILE`: the parts go to FILE.parts/ and are appended to FILE and its documents file in
  input order as they come; FILE.parts/ is removed when the run is complete.

`--resume` keeps every finished part whose batch holds the same inputs (parts are numbered
and keyed by their inputs' ids), and, for `-o FILE` after a complete run, skips the documents
its documents file lists.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import orjson

from .errors import UsageError
from .read import DEFAULT_OPTIONS, ReadOptions
from .run import Item, Outcome, Source, Worker, batches, one_blas_thread

INSTALL_HINT = "the dask engine needs the [dask] extra: pip install 'rufakt[dask]'"
CONNECT_SECONDS = 2.5  # a scheduler that does not answer fails well within 5 s
MANIFEST = "manifest.jsonl"
_PLUGIN_NAME = "rufakt-pipeline"


def require_dask() -> None:
    """Raise a UsageError (exit 2) when the [dask] extra is not installed."""
    try:
        import dask.distributed  # noqa: F401
    except ImportError:
        raise UsageError(INSTALL_HINT) from None


@dataclass(frozen=True)
class Part:
    """Where a batch's part files go, and which inputs the batch holds."""

    folder: str
    index: int
    key: str  # hash of the batch's input ids: a part is reused only for the same inputs

    @property
    def facts(self) -> str:
        return os.path.join(self.folder, f"part-{self.index:06d}.jsonl")

    @property
    def docs(self) -> str:
        return os.path.join(self.folder, f"part-{self.index:06d}.docs.jsonl")


def batch_key(batch: list[Item]) -> str:
    ids = "\n".join(f"{type(item).__name__}:{item.doc_id}" for item in batch)
    return hashlib.sha1(ids.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def write_part(part: Part, items: list[Item], worker: Worker) -> dict:
    """Process `items` and write the part's two files (atomically); return its manifest."""
    began = time.perf_counter()
    outcomes = worker(items)
    facts = b"".join(fact.to_json() + b"\n" for o in outcomes for fact in o.facts)
    docs = b"".join(orjson.dumps(o.record()) + b"\n" for o in outcomes)
    _write_atomic(part.facts, facts)
    _write_atomic(part.docs, docs)  # last: its presence says the part is complete
    return manifest(part, outcomes, time.perf_counter() - began)


def manifest(part: Part, outcomes: list[Outcome], seconds: float) -> dict:
    return {
        "part": part.index, "key": part.key,
        "facts_file": os.path.basename(part.facts), "docs_file": os.path.basename(part.docs),
        "documents": sum(o.status == "ok" for o in outcomes),
        "facts": dict(Counter(f.predicate for o in outcomes for f in o.facts)),
        "errors": [[o.path, o.error or "unknown error"] for o in outcomes if o.status != "ok"],
        "seconds": round(seconds, 3),
    }


def _write_atomic(path: str, data: bytes) -> None:
    temporary = os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.tmp")
    with open(temporary, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(temporary, path)


def finished_parts(folder: str) -> dict[int, dict]:
    """Manifests of the parts in `folder` whose files are complete, by part number."""
    path = os.path.join(folder, MANIFEST)
    if not os.path.exists(path):
        return {}
    found = {}
    with open(path, "rb") as stream:
        for line in stream:
            try:
                entry = orjson.loads(line)
            except orjson.JSONDecodeError:  # a torn last line
                continue
            part = Part(folder, entry["part"], entry["key"])
            if os.path.exists(part.facts) and os.path.exists(part.docs):
                found[part.index] = entry
    return found


def run_dask(
    items: Iterable[Item], output: str, docs_path: str | None, *, scheduler: str | None,
    batch_size: int = 16, resume: bool = False, options: ReadOptions = DEFAULT_OPTIONS,
    skip: frozenset[str] | set[str] = frozenset(), append: bool = False, n_workers: int = 2,
    window: int | None = None,
) -> Iterator[dict]:
    """Run the job on the cluster at `scheduler` (default: a LocalCluster of `n_workers`
    single-threaded processes); yield each part's manifest, in input order, once its files
    are written and, for a facts FILE, appended to it.

    `output` is a folder (ending in "/" or existing) for parts plus manifest, or a facts
    file (appended to with `append`). At most `window` batches (default: four per worker)
    are in flight. Connects before it returns, so a missing extra or an unreachable
    scheduler is a UsageError before any output is touched.
    """
    if scheduler:
        probe(scheduler)
    require_dask()
    client, cluster = connect(scheduler, n_workers)
    as_folder = is_folder_output(output)
    folder = os.path.abspath(output if as_folder else f"{output}.parts")
    try:
        # every worker loads the pipeline now; one that cannot (several threads) says so here
        client.register_plugin(PipelinePlugin(options, skip, batch_size), name=_PLUGIN_NAME)
        if not resume and os.path.isdir(folder):
            _clear_parts(folder)
        os.makedirs(folder, exist_ok=True)
        done = finished_parts(folder) if resume else {}
        sink = None if as_folder else _Concatenation(output, docs_path, append)
    except BaseException:
        _close(client, cluster)
        raise
    manifests = _run(client, cluster, (_absolute(item) for item in items), folder, done,
                     batch_size, window)
    return _collect(manifests, sink, folder)


def is_folder_output(output: str) -> bool:
    """`-o DIR/` (or an existing folder): parts plus a manifest rather than one facts file."""
    return output.endswith(("/", os.sep)) or os.path.isdir(output)


def _collect(manifests: Iterator[dict], sink: _Concatenation | None, folder: str
             ) -> Iterator[dict]:
    try:
        for entry in manifests:
            if sink is not None:
                sink.append(Part(folder, entry["part"], entry["key"]))
            yield entry
    finally:
        if sink is not None:
            sink.close()
    if sink is not None:
        shutil.rmtree(folder, ignore_errors=True)  # complete: FILE holds every part


def _absolute(item: Item) -> Item:
    """Workers may run elsewhere, in another working folder: paths as absolute paths."""
    if isinstance(item, Source):
        return Source(item.doc_id, os.path.abspath(item.path))
    return item


def _clear_parts(folder: str) -> None:
    for name in os.listdir(folder):
        if name == MANIFEST or (name.startswith(("part-", ".part-")) and ".jsonl" in name):
            os.remove(os.path.join(folder, name))


class _Concatenation:
    """Appends parts to the facts FILE and its documents file, in order, whole parts at a
    time (each appended and flushed before the next)."""

    def __init__(self, output: str, docs_path: str | None, append: bool = False):
        mode = "ab" if append else "wb"
        self.streams = [(open(output, mode), "facts")]  # noqa: SIM115
        if docs_path:
            self.streams.append((open(docs_path, mode), "docs"))  # noqa: SIM115

    def append(self, part: Part) -> None:
        for stream, kind in self.streams:
            with open(part.facts if kind == "facts" else part.docs, "rb") as source:
                shutil.copyfileobj(source, stream)
            stream.flush()

    def close(self) -> None:
        for stream, _ in self.streams:
            os.fsync(stream.fileno())
            stream.close()


def probe(address: str, timeout: float = 2.0) -> None:
    """Fail at once, with a UsageError, when a tcp:// or tls:// scheduler address does not
    accept connections (Dask's client would retry for its whole timeout first)."""
    from urllib.parse import urlsplit

    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    if parts.scheme not in ("tcp", "tls") or not parts.hostname:
        return  # other transports: left to Dask
    try:
        port = parts.port or 8786
        with socket.create_connection((parts.hostname, port), timeout=timeout):
            pass
    except (OSError, ValueError) as error:
        reason = "timed out" if isinstance(error, TimeoutError) else (
            getattr(error, "strerror", None) or str(error) or type(error).__name__)
        raise UsageError(f"cannot reach Dask scheduler {address}: {reason.lower()}") from None


def _client_within(address: str, seconds: float) -> Any:
    """A client for `address`, or a UsageError after `seconds`: Dask's own timeout does not
    cover a peer that accepts the connection and then never answers its handshake."""
    from dask.distributed import Client

    made: dict[str, Any] = {}

    def make() -> None:
        try:
            made["client"] = Client(address, timeout=f"{seconds}s")
        except Exception as error:  # noqa: BLE001  (whatever Dask raises: one line, exit 2)
            made["error"] = error

    thread = threading.Thread(target=make, name="rufakt-connect", daemon=True)
    thread.start()
    thread.join(seconds + 0.5)
    if "client" in made:
        return made["client"]
    error = made.get("error")
    reason = (str(error).splitlines()[0] or type(error).__name__) if error else (
        f"no answer within {seconds:g} s")
    raise UsageError(f"cannot reach Dask scheduler {address}: {reason}")


def connect(scheduler: str | None, n_workers: int) -> tuple[Any, Any]:
    """A client for `scheduler`, or for a new LocalCluster (returned to be closed too)."""
    import logging

    from dask.distributed import Client, LocalCluster

    if scheduler:
        return _client_within(scheduler, CONNECT_SECONDS), None
    cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                           dashboard_address=":0", silence_logs=logging.ERROR)
    return Client(cluster), cluster


def _close(client: Any, cluster: Any) -> None:
    client.close()
    if cluster is not None:
        cluster.close()


def _run(
    client: Any, cluster: Any, items: Iterable[Item], folder: str, done: dict[int, dict],
    batch_size: int, window: int | None,
) -> Iterator[dict]:
    from dask.distributed import as_completed

    try:
        workers = len(client.scheduler_info().get("workers", {})) or 1
        limit = window or 4 * workers
        waiting = as_completed()
        ready: dict[int, dict] = {}
        numbered = enumerate(batches(items, batch_size))
        submitted = next_out = 0
        with open(os.path.join(folder, MANIFEST), "ab") as log:
            while True:
                while submitted - next_out < limit:  # fill the window
                    entry = next(numbered, None)
                    if entry is None:
                        break
                    index, batch = entry
                    part = Part(folder, index, batch_key(batch))
                    if done.get(index, {}).get("key") == part.key:
                        ready[index] = done[index]
                    else:
                        waiting.add(client.submit(_work, part, batch, pure=False,
                                                  key=f"rufakt-part-{index}-{part.key}"))
                    submitted += 1
                while next_out in ready:
                    yield ready.pop(next_out)
                    next_out += 1
                if next_out == submitted:
                    return
                future = next(waiting)
                result = future.result()
                future.release()
                log.write(orjson.dumps(result) + b"\n")
                log.flush()
                ready[result["part"]] = result
    finally:
        _close(client, cluster)


def _work(part: Part, items: list[Item]) -> dict:
    """Runs on a worker: process the batch with the worker's pipeline, write the part."""
    return write_part(part, items, _worker_state())


def _worker_state() -> Worker:
    from dask.distributed import get_worker

    try:
        worker = get_worker()
    except ValueError:  # not on a worker (called directly)
        return Worker()
    state = getattr(worker, "rufakt_worker", None)
    if state is None:  # a worker that joined without the plugin's setup succeeding
        raise RuntimeError("this Dask worker has no rufakt pipeline: see its log")
    return state


def _plugin_base() -> type:
    try:
        from dask.distributed import WorkerPlugin
    except ImportError:
        return object
    return WorkerPlugin


class PipelinePlugin(_plugin_base()):  # type: ignore[misc]
    """Gives each worker process one `Worker` (pipeline loaded once, reading options, the
    documents to skip) when it starts."""

    def __init__(self, options: ReadOptions = DEFAULT_OPTIONS,
                 skip: frozenset[str] | set[str] = frozenset(), batch_size: int = 16):
        self.options, self.skip, self.batch_size = options, skip, batch_size

    def setup(self, worker: Any) -> None:
        threads = getattr(getattr(worker, "state", None), "nthreads", 1)
        if threads > 1:
            raise UsageError(
                f"Dask worker {worker.address} runs {threads} threads; rufakt's models are "
                "not thread-safe: start one single-threaded worker process per core "
                "(dask worker ADDRESS --nthreads 1 --nworkers N)")
        one_blas_thread()
        before = getattr(worker, "rufakt_worker", None)  # a run before on this worker
        state = Worker(before.nlp if before else None, options=self.options, skip=self.skip,
                       batch_size=self.batch_size)
        state.nlp  # noqa: B018  (load now, not in the first task)
        worker.rufakt_worker = state

    def teardown(self, worker: Any) -> None:
        worker.rufakt_worker = None
