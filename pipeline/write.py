"""JSON Lines writers that survive a crash: whole lines only, flushed per document.

Each document's lines go out in one `write` on a file opened for appending, so a run killed
at any moment leaves only complete lines behind. `resume_state` then drops what belongs to
documents that were not finished, so a rerun with `--resume` adds exactly what is missing.
"""

import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import orjson

from .errors import OutputFailed
from .facts import Fact


class JsonLinesWriter:
    """Appends records to a file (or stdout, for '-'), one flush per `write` call."""

    def __init__(self, path: str, append: bool = False):
        self.path = path
        if path == "-":
            self.stream: BinaryIO = sys.stdout.buffer
        else:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            self.stream = open(path, "ab" if append else "wb")  # noqa: SIM115

    def write(self, records: Iterable[dict | Fact]) -> None:
        lines = b"".join(
            (r.to_json() if isinstance(r, Fact) else orjson.dumps(r)) + b"\n" for r in records
        )
        if lines:
            with self._failures():
                self.stream.write(lines)
                self.stream.flush()

    def close(self) -> None:
        with self._failures():
            self.stream.flush()
        if self.path == "-":
            return
        try:
            os.fsync(self.stream.fileno())
        except OSError:  # not a regular file (-o /dev/null, a pipe): nothing to sync
            pass
        self.stream.close()

    @contextmanager
    def _failures(self) -> Iterator[None]:
        """An OS error while writing (disk full …) as `OutputFailed`, in one line; a reader
        that stopped reading standard output stays a BrokenPipeError (not a failure)."""
        try:
            yield
        except BrokenPipeError:
            raise
        except OSError as error:
            where = "standard output" if self.path == "-" else self.path
            reason = error.strerror or str(error)
            raise OutputFailed(f"cannot write {where}: {reason}; the documents written "
                               "before are complete (fix the cause, then run again with "
                               "--resume)") from None

    def __enter__(self) -> "JsonLinesWriter":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def read_records(path: str) -> list[dict]:
    """Records of a JSON Lines file, ignoring a torn last line."""
    records = []
    with open(path, "rb") as stream:
        for line in stream:
            try:
                records.append(orjson.loads(line))
            except orjson.JSONDecodeError:
                continue
    return records


def resume_state(facts_path: str, docs_path: str) -> set[str]:
    """doc_ids already finished; rewrite both files to hold only those documents' lines."""
    if not os.path.exists(docs_path):
        for path in (facts_path, docs_path):
            if os.path.exists(path):
                os.remove(path)
        return set()
    docs = read_records(docs_path)
    done = {record["doc_id"] for record in docs}
    facts = read_records(facts_path) if os.path.exists(facts_path) else []
    _rewrite(docs_path, docs)
    _rewrite(facts_path, [fact for fact in facts if fact.get("doc_id") in done])
    return done


def _rewrite(path: str, records: list[dict]) -> None:
    temporary = f"{path}.tmp"
    with open(temporary, "wb") as stream:
        stream.write(b"".join(orjson.dumps(r) + b"\n" for r in records))
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(temporary, path)
