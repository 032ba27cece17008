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
