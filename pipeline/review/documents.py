"""The documents facts were read from, and facts grouped by document."""

import os
from collections.abc import Iterable, Mapping
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


def by_document(
    facts: Iterable[Mapping[str, Any]], doc_ids: Iterable[str]
) -> tuple[dict[str, list[Mapping[str, Any]]], list[str]]:
    """Facts grouped by doc_id for the given documents (every document gets a list, maybe
    empty), and one line per document of the facts that is not among them."""
    grouped: dict[str, list[Mapping[str, Any]]] = {doc_id: [] for doc_id in doc_ids}
    missing: dict[str, int] = {}
    for fact in facts:
        doc_id = str(fact.get("doc_id"))
        if doc_id in grouped:
            grouped[doc_id].append(fact)
        else:
            missing[doc_id] = missing.get(doc_id, 0) + 1
    problems = [f"{doc_id}: {count} facts, but no such document among the inputs"
                for doc_id, count in missing.items()]
    return grouped, problems
