"""Reading facts from JSON Lines files."""

from pathlib import Path
from typing import Any

import orjson


class FactsFormatError(ValueError):
    """A line of a facts file that is not a JSON object with "doc_id" and "predicate"."""


def load_facts(path: str | Path) -> list[dict[str, Any]]:
    """All facts of a JSON Lines file, one object per non-blank line.

    Raises FactsFormatError naming the file and the 1-based line number of a bad line.
    """
    facts = []
    with open(path, "rb") as stream:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                fact = orjson.loads(line)
            except orjson.JSONDecodeError as error:
                raise FactsFormatError(f"{path}:{number}: invalid JSON: {error}") from None
            if not isinstance(fact, dict):
                raise FactsFormatError(f"{path}:{number}: expected a JSON object")
            missing = [key for key in ("doc_id", "predicate") if not fact.get(key)]
            if missing:
                raise FactsFormatError(f"{path}:{number}: missing {', '.join(missing)}")
            facts.append(fact)
    return facts


def file_doc_ids(docs_file: str | Path) -> dict[str, str]:
    """doc_id → file name, from a documents file (`rufakt extract`'s `.docs.jsonl`), for the
    files that gave exactly one document: a `.json` record is scored as its file, which is how
    gold files name documents."""
    by_file: dict[str, list[str]] = {}
    with open(docs_file, "rb") as stream:
        for line in stream:
            if line.strip():
                record = orjson.loads(line)
                by_file.setdefault(Path(record["path"]).name, []).append(record["doc_id"])
    return {ids[0]: name for name, ids in by_file.items() if len(ids) == 1}


def as_file_ids(facts: list[dict[str, Any]], ids: dict[str, str],
                known: set[str]) -> list[dict[str, Any]]:
    """Facts whose doc_id is not among `known` renamed to their file's name, when known."""
    return [
        {**fact, "doc_id": ids[fact["doc_id"]]}
        if fact["doc_id"] not in known and ids.get(fact["doc_id"]) in known else fact
        for fact in facts
    ]
