"""Records of .jsonl / .json exports -> one Document per record, one ReadError per bad record.

A .jsonl file has one JSON object per line (blank lines skipped); a .json file holds one object
or a list of them (or is JSON Lines after all, read as such). A bad line or record is reported
and the rest of the file goes on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import orjson

from .options import ReadOptions
from .records import Document, ReadError

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CODEC_FOR_SIZE = {"utf-8-sig": "utf-8", "utf-16": "utf-16-le", "utf-32": "utf-32-le"}


def jsonl_records(
    relpath: str, path: str, text: str, encoding: str, options: ReadOptions
) -> Iterator[Document | ReadError]:
    """Documents of a JSON Lines text; ids default to "<relpath>:<line number>"."""
    size_codec = _CODEC_FOR_SIZE.get(encoding, encoding)
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        fallback_id = f"{relpath}:{number}"
        size = len(line.encode(size_codec, errors="replace"))
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError as error:
            reason = f"invalid JSON on line {number}: {error.msg} (column {error.colno})"
            yield ReadError(fallback_id, path, reason, size)
            continue
        yield _document(record, fallback_id, path, encoding, "jsonl", size, options, number)


def json_records(
    relpath: str, path: str, text: str, encoding: str, options: ReadOptions
) -> Iterator[Document | ReadError]:
    """Documents of a JSON text holding one record or a list; ids default to
    "<relpath>:<record number>" (from 1)."""
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as error:
        if _looks_like_jsonl(text):  # a JSON Lines export saved as .json
            yield from jsonl_records(relpath, path, text, encoding, options)
            return
        reason = f"invalid JSON on line {error.lineno}: {error.msg} (column {error.colno})"
        yield ReadError(relpath, path, reason)
        return
    if isinstance(data, dict):
        records = [data]
    elif isinstance(data, list):
        records = data
    else:
        kind = _json_kind(data)
        yield ReadError(relpath, path, f"JSON holds {kind}, not a record or a list of records")
        return
    if not records:
        yield ReadError(relpath, path, "JSON holds an empty list: no records")
        return
    for number, record in enumerate(records, start=1):
        size = len(orjson.dumps(record))
        yield _document(record, f"{relpath}:{number}", path, encoding, "json", size, options)


def _looks_like_jsonl(text: str) -> bool:
    """True when the first two non-blank lines are each a whole JSON object."""
    lines = [line for line in text.split("\n", 50)[:50] if line.strip()][:2]
    try:
        return len(lines) == 2 and all(isinstance(orjson.loads(line), dict) for line in lines)
    except orjson.JSONDecodeError:
        return False


def _document(
    record: object,
    fallback_id: str,
    path: str,
    encoding: str,
    format: str,
    size: int,
    options: ReadOptions,
    line: int | None = None,
) -> Document | ReadError:
    where = f" on line {line}" if line is not None else ""
    if not isinstance(record, dict):
        return ReadError(
            fallback_id, path, f"record{where} is {_json_kind(record)}, not an object", size
        )
    record_id = record.get(options.id_field)
    doc_id = (
        str(record_id)
        if isinstance(record_id, str | int) and not isinstance(record_id, bool) and record_id != ""
        else fallback_id
    )
    text = record.get(options.text_field)
    if text is None:
        reason = f"record has no '{options.text_field}' field (--text-field)"
        return ReadError(doc_id, path, reason, size)
    if not isinstance(text, str):
        reason = (
            f"record's '{options.text_field}' field is {_json_kind(text)}, not a string "
            "(--text-field)"
        )
        return ReadError(doc_id, path, reason, size)
    if not text.strip():
        return ReadError(doc_id, path, f"record's '{options.text_field}' field is empty", size)
    title = record.get("title")
    date = record.get("date")
    return Document(
        doc_id=doc_id,
        path=path,
        text=text,
        encoding=encoding,
        format=format,
        size=size,
        title=(title.strip() or None) if isinstance(title, str) else None,
        date=date[:10] if isinstance(date, str) and _ISO_DATE.match(date) else None,
    )


def _json_kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"
