"""The inputs of `rufakt kb add`: facts files (as `rufakt extract` writes them, or gold
files), their documents files, and documents to extract (anything `rufakt extract` reads).

Each yields `DocumentInput`s, one per document, with every usable fact line of it. Problems
are reported through `report(message)` with the file and line, and the rest is read on.
"""

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from ..read import Document, ReadOptions, read_path
from .records import BadRecord, DocumentInput, Statement, parse_statement

Report = Callable[[str], None]


@dataclass
class Inputs:
    """Inputs sorted by what they are."""

    facts: list[Path] = field(default_factory=list)
    docs: list[Path] = field(default_factory=list)  # documents files (status records)
    raw: list[str] = field(default_factory=list)  # documents to extract


def _first_record(path: Path) -> dict | None:
    try:
        with open(path, "rb") as stream:
            for line in stream:
                if line.strip():
                    record = orjson.loads(line)
                    return record if isinstance(record, dict) else None
    except (OSError, orjson.JSONDecodeError):
        return None
    return None


def classify(paths: Iterable[str]) -> Inputs:
    """Facts files and documents files are .jsonl files whose first record is a fact (has
    `predicate`) or a document record (has `status`, no `text`); the rest is documents."""
    inputs = Inputs()
    for name in paths:
        path = Path(name)
        record = _first_record(path) if path.is_file() and path.suffix == ".jsonl" else None
        if record is not None and "predicate" in record:
            inputs.facts.append(path)
        elif record is not None and "status" in record and "text" not in record:
            inputs.docs.append(path)
        else:
            inputs.raw.append(name)
    for facts in inputs.facts:  # the documents file `rufakt extract` writes beside its output
        beside = facts.with_name(facts.name.removesuffix(".jsonl") + ".docs.jsonl")
        if beside.is_file() and beside not in inputs.docs:
            inputs.docs.append(beside)
    return inputs


@dataclass
class DocRecord:
    path: str | None
    status: str
    error: str | None
    date: str | None


def read_documents_files(paths: Iterable[Path], report: Report) -> dict[str, DocRecord]:
    """doc_id → what the documents files say of it (later files win)."""
    records: dict[str, DocRecord] = {}
    for path in paths:
        with open(path, "rb") as stream:
            for number, line in enumerate(stream, 1):
                if not line.strip():
                    continue
                try:
                    data = orjson.loads(line)
                    doc_id = data["doc_id"]
                    if not isinstance(doc_id, str) or not doc_id:
                        raise KeyError("doc_id")
                except (orjson.JSONDecodeError, KeyError, TypeError):
                    report(f"{path}:{number}: not a document record (skipped)")
                    continue
                records[doc_id] = DocRecord(data.get("path"), data.get("status") or "ok",
                                            data.get("error"), data.get("date"))
    return records


def read_facts_file(path: Path, report: Report) -> Iterator[tuple[str, list[Statement]]]:
    """(doc_id, statements) per run of lines of one document, in file order; errors are
    reported with their line. A document whose lines are scattered over the file is given
    again at the end, whole (the builder then replaces what it had from the parts), so memory
    holds one document at a time whatever the file's size."""
    emitted: set[str] = set()
    scattered: set[str] = set()
    current_id, current = None, []
    with open(path, "rb") as stream:
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                statement = parse_statement(line)
            except BadRecord as error:
                report(f"{path}:{number}: {error}")
                continue
            if statement.doc_id != current_id:
                if current:
                    yield current_id, current
                    emitted.add(current_id)
                if statement.doc_id in emitted:
                    scattered.add(statement.doc_id)
                current_id, current = statement.doc_id, []
            current.append(statement)
    if current:
        yield current_id, current
    if scattered:
        yield from _gather(path, scattered)


def _gather(path: Path, doc_ids: set[str]) -> Iterator[tuple[str, list[Statement]]]:
    """All the lines of the given documents, one document at a time."""
    for doc_id in sorted(doc_ids):
        statements = []
        with open(path, "rb") as stream:
            for line in stream:
                if doc_id.encode() in line:
                    try:
                        statement = parse_statement(line)
                    except BadRecord:
                        continue
                    if statement.doc_id == doc_id:
                        statements.append(statement)
        yield doc_id, statements


def document_text(doc_id: str, record: DocRecord | None, texts: Path | None,
                  facts_file: Path | None = None) -> str | None:
    """The decoded text of a document known from a facts file, when it can be found: in the
    `--texts` folder under its doc_id, else at the path its documents record gives (as it
    is, or relative to the facts file's folder or one of its parents)."""
    candidates = []
    if texts is not None:
        candidates.append(texts / doc_id)
    if record is not None and record.path:
        candidates.append(Path(record.path))
        if facts_file is not None and not Path(record.path).is_absolute():
            folder = facts_file.resolve().parent
            candidates += [base / record.path for base in [folder, *folder.parents][:4]]
    for candidate in candidates:
        if candidate.is_file():
            for item in read_path(doc_id, candidate, ReadOptions()):
                if isinstance(item, Document) and item.doc_id == doc_id:
                    return item.text
    return None


def facts_documents(inputs: Inputs, texts: Path | None, report: Report
                    ) -> Iterator[DocumentInput]:
    """The documents of the facts files, then those only the documents files list."""
    records = read_documents_files(inputs.docs, report)
    seen: set[str] = set()
    for path in inputs.facts:
        for doc_id, statements in read_facts_file(path, report):
            record = records.get(doc_id)
            seen.add(doc_id)
            date = (record.date if record else None) or next(
                (s.doc_date for s in statements if s.doc_date), None)
            yield DocumentInput(doc_id, path=record.path if record else None, date=date,
                                text=document_text(doc_id, record, texts, path),
                                statements=statements)
    for doc_id, record in records.items():
        if doc_id not in seen:
            yield DocumentInput(doc_id, path=record.path, date=record.date,
                                status=record.status, error=record.error,
                                text=document_text(doc_id, record, texts)
                                if record.status == "ok" else None)


def check_paths(paths: Iterable[str]) -> str | None:
    """The first input that does not exist, if any."""
    return next((p for p in paths if not os.path.lexists(p)), None)


def extracted_documents(
    paths: list[str], options: ReadOptions, unchanged: Callable[[str, str], bool],
    report: Report, *, jobs: int = 1, batch_size: int = 16,
) -> Iterator[DocumentInput]:
    """Documents read from `paths`; those new or changed (by the sha256 of their text, asked
    of `unchanged(doc_id, hash)`) are run through the extractors in `jobs` processes."""
    import hashlib

    from ..read import ReadError, read_inputs
    from ..run import process

    waiting: dict[str, Document] = {}
    failed: list[DocumentInput] = []

    def todo() -> Iterator[Document]:
        for item in read_inputs(paths, options):
            if isinstance(item, ReadError):
                report(f"{item.path}: {item.reason} (not added)")
                failed.append(DocumentInput(item.doc_id, path=item.path, status="error",
                                            error=item.reason))
                continue
            digest = hashlib.sha256(item.text.encode("utf-8", "surrogatepass")).hexdigest()
            if not unchanged(item.doc_id, digest):
                waiting[item.doc_id] = item
                yield item

    for outcome in process(todo(), batch_size=batch_size, jobs=jobs):
        document = waiting.pop(outcome.doc_id, None)
        if outcome.status != "ok" or document is None:
            report(f"{outcome.path}: {outcome.error or 'not processed'} (not added)")
            continue
        statements = [parse_statement(fact.to_json()) for fact in outcome.facts]
        yield DocumentInput(outcome.doc_id, path=outcome.path, date=document.date,
                            text=document.text, statements=statements)
    yield from failed
