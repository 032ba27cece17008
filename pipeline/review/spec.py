"""What a reviewer sees of a fact: entity types, predicates and their qualifiers.

Read from `fact_types.json` (the data the Label Studio config and BRAT's annotation.conf are
generated from), so a new qualifier is one line of data, not code in three formats.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

SPEC_FILE = Path(__file__).with_name("fact_types.json")


@dataclass(frozen=True)
class Qualifier:
    """One qualifier key of a predicate: free `text`, a `number` (a year) or a `choice`."""

    predicate: str
    key: str
    kind: str
    values: tuple[str, ...] = ()
    always: bool = False  # written as null when blank (route_volume's year, status, commodity)

    @property
    def name(self) -> str:
        """The field name in the review formats: «route_volume.year»."""
        return f"{self.predicate}.{self.key}"


@dataclass(frozen=True)
class PredicateSpec:
    """A predicate's signature (allowed subject and object types) and its qualifiers."""

    name: str
    subject: tuple[str, ...]
    object: tuple[str, ...]
    symmetric: bool
    qualifiers: tuple[Qualifier, ...]


@dataclass(frozen=True)
class Spec:
    entity_types: tuple[str, ...]
    units: tuple[str, ...]
    predicates: dict[str, PredicateSpec]

    def qualifiers(self) -> list[Qualifier]:
        """Every qualifier of every predicate, in the order of the spec."""
        return [q for p in self.predicates.values() for q in p.qualifiers]


def _predicate(name: str, data: dict[str, Any]) -> PredicateSpec:
    qualifiers = tuple(
        Qualifier(name, q["key"], q["kind"], tuple(q.get("values", ())), q.get("always", False))
        for q in data["qualifiers"]
    )
    return PredicateSpec(name, tuple(data["subject"]), tuple(data["object"]),
                         data.get("symmetric", False), qualifiers)


@cache
def load_spec(path: Path = SPEC_FILE) -> Spec:
    """The review spec (cached)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    predicates = {name: _predicate(name, p) for name, p in data["predicates"].items()}
    return Spec(tuple(data["entity_types"]), tuple(data["units"]), predicates)
