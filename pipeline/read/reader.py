"""Reading: one file -> Documents or a ReadError; input paths -> a stream of both."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from . import files
from .decode import DecodeError, decode_bytes
from .exports import json_records, jsonl_records
from .html import extract_article
from .options import DEFAULT_OPTIONS, ReadOptions, format_of
from .records import Document, ReadError
from .walk import walk


def read_inputs(
    inputs: Iterable[str | os.PathLike[str]], options: ReadOptions = DEFAULT_OPTIONS
) -> Iterator[Document | ReadError]:
    """Every document under the inputs, in a stable order, or a ReadError for what failed.

    Inputs come in the order given; a folder's files in the order of their relative paths. The
    stream is lazy: files are listed and read as it is consumed. Nothing raises for a bad file.
    """
    for item in walk(inputs, options):
        if isinstance(item, ReadError):
            yield item
        else:
            yield from read_path(*item, options)


def read_path(
    relpath: str, path: str | os.PathLike[str], options: ReadOptions = DEFAULT_OPTIONS
) -> Iterator[Document | ReadError]:
    """One file: a document, N documents (one per .json/.jsonl record), or one ReadError.

    A gzip-compressed file is read as what it holds; `size` stays the file's size on disk.
    """
    path = Path(path)
    where = str(path)
    try:
        data = files.load(path, options.max_bytes)
    except files.FileProblem as problem:
        yield ReadError(relpath, where, str(problem), problem.size)
        return
    size = len(data)
    if data.startswith(files.GZIP_MAGIC):  # by content: a misnamed .gz is read too
        try:
            data = files.gunzip(data, options.max_bytes)
        except files.FileProblem as problem:
            yield ReadError(relpath, where, str(problem), size)
            return
        if not data:
            yield ReadError(relpath, where, "empty file (gzip of nothing)", size)
            return
    if not data:
        yield ReadError(relpath, where, "empty file", 0)
        return
    try:
        decoded = decode_bytes(data)
    except DecodeError as error:
        yield ReadError(relpath, where, str(error), size)
        return
    text, encoding = decoded.text, decoded.encoding
    if not text.strip():
        reason = "empty file (only whitespace)" if text else "empty file (only a byte order mark)"
        yield ReadError(relpath, where, reason, size)
        return
    format = format_of(path.name)
    if format == "jsonl":
        yield from jsonl_records(relpath, where, text, encoding, options)
    elif format == "json":
        yield from json_records(relpath, where, text, encoding, options)
    elif format == "html":
        yield _html_document(relpath, where, text, encoding, size)
    else:
        yield Document(relpath, where, text, encoding, format, size)


def _html_document(
    relpath: str, path: str, html: str, encoding: str, size: int
) -> Document | ReadError:
    try:
        article = extract_article(html)
    except Exception as error:  # noqa: BLE001  (a parser bug on one page must not stop a run)
        return ReadError(relpath, path, f"cannot parse HTML: {error}".splitlines()[0], size)
    if article is None:
        return ReadError(relpath, path, "no article text found in HTML", size)
    return Document(
        relpath, path, article.text, encoding, "html", size, article.title, article.date
    )
