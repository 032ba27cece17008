"""The documents facts were read from, and facts grouped by document."""

import os
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..read import Document, ReadError, ReadOptions, read_inputs


def read_documents(
    inputs: Iterable[str | os.PathLike[str]], options: ReadOptions | None = None
) -> tuple[dict[str, Document], list[str]]:
    """Documents by doc_id (the ids `rufakt extract` gives them), and one line per input that
    could not be read."""
    documents: dict[str, Document] = {}
    problems: list[str] = []
    for item in read_inputs(list(inputs), options or ReadOptions()):
        if isinstance(item, ReadError):
            problems.append(f"{item.path}: {item.reason}")
        else:
            documents[item.doc_id] = item
    return documents, problems


def pair_up(
    facts: Iterable[Mapping[str, Any]], documents: Mapping[str, Document]
) -> tuple[list[tuple[str, Document, list[Mapping[str, Any]]]], list[str]]:
    """(name, document, its facts) for every document, in order, and one line per doc_id of
    the facts that is none of the documents.

    A fact finds its document by doc_id or, for a file that holds one record (a `.json`
    export), by the file name, which is how gold files name such documents; the name is
    the one its facts use."""
    counts = Counter(Path(d.path).name for d in documents.values())
    by_file = {Path(d.path).name: doc_id for doc_id, d in documents.items()
               if counts[Path(d.path).name] == 1 and Path(d.path).name != doc_id}
    grouped: dict[str, list[Mapping[str, Any]]] = {doc_id: [] for doc_id in documents}
    names: dict[str, str] = {}
    missing: Counter = Counter()
    for fact in facts:
        name = str(fact.get("doc_id"))
        doc_id = name if name in grouped else by_file.get(name)
        if doc_id is None:
            missing[name] += 1
            continue
        grouped[doc_id].append(fact)
        names.setdefault(doc_id, name)
    problems = [f"{name}: {count} facts, but no such document among the inputs"
                for name, count in missing.items()]
    items = [(names.get(doc_id, doc_id), document, grouped[doc_id])
             for doc_id, document in documents.items()]
    return items, problems
