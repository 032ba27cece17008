"""What the knowledge base reads: fact lines checked one by one, and the documents they
come from. A line that cannot be used gets an error naming the line; nothing else is lost.

Accepted: fact records of the current schema (`pipeline/schema/fact.schema.json`), records
of the first schema (no `provenance`, no `doc_date`) and gold records of the annotation
guidelines (no offsets, evidence or confidence).
"""

import hashlib
from dataclasses import dataclass, field
from typing import Any

import orjson

from ..facts import PREDICATES
from ..layers.time import parse_iso

TYPES = {"PER", "LOC", "ORG", "ROUTE", "PROJECT", "QUANTITY"}
OBJECT_TYPES = {
    "holds_position": {"LOC", "ORG"}, "route_volume": {"QUANTITY"},
    "project_participant": {"LOC", "ORG"}, "met_with": {"PER"},
}
SUBJECT_TYPES = {"holds_position": {"PER"}, "route_volume": {"ROUTE"},
                 "project_participant": {"PROJECT"}, "met_with": {"PER"}}


class BadRecord(ValueError):
    """A fact line the knowledge base cannot use; the message says why."""


@dataclass(frozen=True)
class Mention:
    """A subject or object as read (`normal` is what identifies it)."""

    text: str | None
    normal: str
    type: str
    start: int | None = None
    end: int | None = None
    waypoints: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    value: float | None = None
    unit: str | None = None


@dataclass(frozen=True)
class Statement:
    """One fact line of one document."""

    doc_id: str
    predicate: str
    subject: Mention
    object: Mention
    qualifiers: dict[str, Any]
    evidence_text: str | None = None
    evidence_start: int | None = None
    evidence_end: int | None = None
    rule: str | None = None
    confidence: float | None = None
    doc_date: str | None = None
    digest: int = 0  # 64-bit hash of the line's content (the document's facts hash adds these)


@dataclass
class DocumentInput:
    """A document to merge: its facts, and what is known of it."""

    doc_id: str
    path: str | None = None
    date: str | None = None
    status: str = "ok"
    error: str | None = None
    text: str | None = None
    statements: list[Statement] = field(default_factory=list)

    def facts_hash(self) -> str:
        """Order-independent hash of the facts (the sum of the lines' 64-bit digests)."""
        total = sum(s.digest for s in self.statements) % (1 << 64)
        return f"{total:016x}:{len(self.statements)}:{self.status}"

    def content_hash(self) -> str:
        if self.text is not None:
            return hashlib.sha256(self.text.encode("utf-8", "surrogatepass")).hexdigest()
        return "facts:" + self.facts_hash()


def _mention(data: Any, where: str) -> Mention:
    if not isinstance(data, dict):
        raise BadRecord(f"{where} is not an object")
    kind = data.get("type")
    if kind not in TYPES:
        raise BadRecord(f"{where}.type {kind!r} is not one of {', '.join(sorted(TYPES))}")
    normal = data.get("normal") or data.get("text")
    if kind != "QUANTITY" and (not isinstance(normal, str) or not normal.strip()):
        raise BadRecord(f"{where} has no normal (nor text)")
    value, unit = data.get("value"), data.get("unit")
    if kind == "QUANTITY":
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise BadRecord(f"{where}.value is not a non-negative number")
        if not isinstance(unit, str) or not unit:
            raise BadRecord(f"{where}.unit is missing")
        normal = normal if isinstance(normal, str) and normal else f"{value:g} {unit}"
    waypoints = data.get("waypoints") or []
    aliases = data.get("aliases") or []
    if not all(isinstance(w, str) for w in [*waypoints, *aliases]):
        raise BadRecord(f"{where}: waypoints and aliases must be lists of strings")
    start, end = data.get("start"), data.get("end")
    return Mention(
        text=data.get("text") if isinstance(data.get("text"), str) else None,
        normal=normal.strip(), type=kind,
        start=start if isinstance(start, int) else None,
        end=end if isinstance(end, int) else None,
        waypoints=tuple(waypoints), aliases=tuple(aliases),
        value=float(value) if kind == "QUANTITY" else None,
        unit=unit if kind == "QUANTITY" else None,
    )


def parse_statement(line: bytes) -> Statement:
    """A fact line → Statement; raises BadRecord (with the reason) for an unusable line."""
    try:
        data = orjson.loads(line)
    except orjson.JSONDecodeError as error:
        raise BadRecord(f"not JSON ({error})".splitlines()[0]) from None
    if not isinstance(data, dict):
        raise BadRecord("not a JSON object")
    doc_id = data.get("doc_id")
    if not isinstance(doc_id, str) or not doc_id:
        raise BadRecord("no doc_id")
    predicate = data.get("predicate")
    if predicate not in PREDICATES:
        raise BadRecord(f"predicate {predicate!r} is not one of {', '.join(PREDICATES)}")
    subject = _mention(data.get("subject"), "subject")
    obj = _mention(data.get("object"), "object")
    if subject.type not in SUBJECT_TYPES[predicate]:
        raise BadRecord(f"subject of {predicate} has type {subject.type}")
    if obj.type not in OBJECT_TYPES[predicate]:
        raise BadRecord(f"object of {predicate} has type {obj.type}")
    qualifiers = data.get("qualifiers") or {}
    if not isinstance(qualifiers, dict):
        raise BadRecord("qualifiers is not an object")
    if predicate == "holds_position" and not str(qualifiers.get("position") or "").strip():
        raise BadRecord("holds_position without qualifiers.position")
    evidence = data.get("evidence") if isinstance(data.get("evidence"), dict) else {}
    provenance = data.get("provenance") if isinstance(data.get("provenance"), dict) else {}
    confidence = data.get("confidence")
    if confidence is not None and (isinstance(confidence, bool)
                                   or not isinstance(confidence, int | float)):
        raise BadRecord("confidence is not a number")
    doc_date = data.get("doc_date")
    if doc_date is not None and parse_iso(doc_date) is None:
        raise BadRecord(f"doc_date {doc_date!r} is not an ISO date")
    digest = int.from_bytes(hashlib.blake2b(line.strip(), digest_size=8).digest(), "little")
    return Statement(
        doc_id=doc_id, predicate=predicate, subject=subject, object=obj,
        qualifiers=qualifiers, evidence_text=evidence.get("text"),
        evidence_start=evidence.get("start"), evidence_end=evidence.get("end"),
        rule=provenance.get("rule"), confidence=confidence,
        doc_date=str(parse_iso(doc_date)) if doc_date else None, digest=digest,
    )
