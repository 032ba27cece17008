"""Fact records: what the extractors produce and the JSON Lines contract they serialise to."""

from typing import Any, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field, model_serializer

Predicate = Literal["holds_position", "route_volume", "project_participant", "met_with"]
MentionType = Literal["PER", "LOC", "ORG", "ROUTE", "PROJECT", "QUANTITY"]
PREDICATES: tuple[str, ...] = ("holds_position", "route_volume", "project_participant", "met_with")


class Mention(BaseModel):
    """A fact's subject or object: `text` is `document[start:end]`, `normal` its nominative."""

    model_config = ConfigDict(frozen=True)

    text: str
    normal: str
    type: MentionType
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    aliases: list[str] | None = None  # other names the document uses for it («ЕАБР»)
    waypoints: list[str] | None = None  # ROUTE only
    value: float | None = None  # QUANTITY only, in base units
    unit: str | None = None  # QUANTITY only: t, bbl, m3, kWh, t/d, bbl/d

    @model_serializer(mode="wrap")
    def _drop_empty(self, handler: Any) -> dict[str, Any]:
        data = handler(self)
        if isinstance(data.get("value"), float) and data["value"].is_integer():
            data["value"] = int(data["value"])  # 1060000, not 1060000.0
        return {k: v for k, v in data.items() if v is not None}


class Evidence(BaseModel):
    """The sentence(s) a fact was read from: `text == document[start:end]`."""

    model_config = ConfigDict(frozen=True)

    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Provenance(BaseModel):
    """How a fact was made: the id of the rule that matched («holds_position.post_before_name»)
    and the pipeline components whose layers it was built from."""

    model_config = ConfigDict(frozen=True)

    rule: str
    components: list[str] = Field(default_factory=list)


class Fact(BaseModel):
    """One fact: subject, predicate, object, qualifiers, where it was read, how sure we are,
    which rule made it and the document date its times were resolved against."""

    model_config = ConfigDict(frozen=True)

    doc_id: str | None = None
    predicate: Predicate
    subject: Mention
    object: Mention
    qualifiers: dict[str, Any] = Field(default_factory=dict)
    evidence: Evidence
    confidence: float = Field(ge=0, le=1)
    provenance: Provenance | None = None
    doc_date: str | None = None  # ISO yyyy-mm-dd: what «в прошлом году» was read against

    def to_json(self) -> bytes:
        """One JSON Lines record (UTF-8, no trailing newline)."""
        return orjson.dumps(self.model_dump())

    def key(self) -> tuple:
        """What makes two facts the same fact, whatever the evidence."""
        subject, obj = self.subject.normal.lower(), self.object.normal.lower()
        if self.predicate == "met_with":
            subject, obj = sorted((subject, obj))
        if self.predicate == "route_volume":
            obj = (self.object.value, self.object.unit)
            quals = (self.qualifiers.get("year"), self.qualifiers.get("status"))
            return (self.predicate, subject, obj, quals)
        if self.predicate == "holds_position":  # two posts in one organisation are two facts
            return (self.predicate, subject, obj, (self.qualifiers.get("position") or "").lower())
        return (self.predicate, subject, obj)


def _rank(fact: Fact) -> tuple:
    stated = sum(1 for value in fact.qualifiers.values() if value not in (None, ""))
    return (-stated, -fact.confidence, len(fact.evidence.text), fact.evidence.start)


def deduplicate(facts: list[Fact]) -> list[Fact]:
    """Keep one fact per key: the one that states most (a meeting told twice keeps the
    telling with its place and forum), then the most confident, then the one with the
    shortest evidence; the result is in document order."""
    best: dict[tuple, Fact] = {}
    for fact in facts:
        current = best.get(fact.key())
        if current is None or _rank(fact) < _rank(current):
            best[fact.key()] = fact
    return sorted(best.values(), key=lambda f: (f.evidence.start, f.predicate, f.subject.start))


def fact_schema() -> dict[str, Any]:
    """The JSON Schema of one JSON Lines record."""
    return Fact.model_json_schema(mode="serialization")
