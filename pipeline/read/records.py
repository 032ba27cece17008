"""What reading produces: one `Document` per text, or one `ReadError` per input that failed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Document:
    """A decoded text and where it came from."""

    doc_id: str  # relative path (POSIX); file name for a file input; record id for json/jsonl
    path: str  # the file path as given or walked
    text: str  # decoded text, exactly as decoded (BOM stripped); for html the article text
    encoding: str | None  # normalised Python codec name: "utf-8", "utf-8-sig", "cp1251", ...
    format: str  # "text" | "markdown" | "html" | "jsonl" | "json"
    size: int  # bytes of the file; for a record, of its line (jsonl) or serialized record (json)
    title: str | None = None
    date: str | None = None  # ISO yyyy-mm-dd when known


@dataclass(frozen=True)
class ReadError:
    """An input that gave no document, with a one-line reason a user understands."""

    doc_id: str
    path: str
    reason: str
    size: int | None = None
