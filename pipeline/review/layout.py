"""Facts laid out on their document as regions (entity mentions) and links (facts).

Label Studio and BRAT both show a fact as two marked stretches of text joined by a labelled
relation, with the fact's qualifiers as fields of its **object** region (neither format can
attach fields to a relation). A region is shared by several facts when that loses nothing:
one person who is the subject of three facts is one region; two facts of one predicate that
point at the same mention with different qualifiers get a region each.

Gold facts carry no offsets: their mention `text` is looked up in the document (a whole-word
occurrence first, the one nearest the fact's other argument).
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .spec import load_spec

FactDict = Mapping[str, Any]  # a fact or gold fact as its JSON Lines dict


@dataclass
class Region:
    """A marked mention: `text == document[start:end]`; `qualifiers` hold, per predicate,
    the qualifiers of the facts that have this region as their object."""

    id: str
    start: int
    end: int
    text: str
    type: str
    normal: str | None = None
    aliases: tuple[str, ...] = ()
    waypoints: tuple[str, ...] | None = None
    value: float | None = None
    unit: str | None = None
    qualifiers: dict[str, dict[str, Any]] = field(default_factory=dict)
    score: float | None = None

    def mention_key(self) -> tuple:
        return (self.start, self.end, self.type, self.normal, self.aliases, self.waypoints,
                self.value, self.unit)


@dataclass(frozen=True)
class Link:
    """One fact: `subject` and `object` are region ids."""

    predicate: str
    subject: str
    object: str
    confidence: float | None = None
    rule: str | None = None


@dataclass
class Layout:
    """A document's regions and links, and what could not be laid out (one line each)."""

    regions: list[Region] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # facts left out, qualifiers dropped

    def region(self, region_id: str) -> Region:
        return next(region for region in self.regions if region.id == region_id)


class MentionNotFound(ValueError):
    """A fact's mention does not occur in its document."""


def occurrences(text: str, needle: str) -> list[int]:
    """Start offsets of `needle` in `text`: whole-word occurrences, or any when none is."""
    if not needle:
        return []
    starts = [m.start() for m in re.finditer(re.escape(needle), text)]
    whole = [s for s in starts if _boundary(text, s - 1) and _boundary(text, s + len(needle))]
    return whole or starts


def _boundary(text: str, index: int) -> bool:
    return index < 0 or index >= len(text) or not text[index].isalnum()


def locate(text: str, mention: Mapping[str, Any], near: int = 0) -> tuple[int, int]:
    """The offsets of a mention: its own when they hold its text, else the occurrence of its
    text nearest `near`."""
    words = mention.get("text") or ""
    start, end = mention.get("start"), mention.get("end")
    if isinstance(start, int) and isinstance(end, int) and text[start:end] == words and words:
        return start, end
    found = occurrences(text, words)
    if not found:
        raise MentionNotFound(f"«{words}» does not occur in the document")
    best = min(found, key=lambda s: (abs(s - near), s))
    return best, best + len(words)


def _mention_region(text: str, mention: Mapping[str, Any], span: tuple[int, int]) -> Region:
    waypoints = mention.get("waypoints")
    return Region(
        id="", start=span[0], end=span[1], text=text[span[0]:span[1]],
        type=str(mention.get("type") or ""), normal=mention.get("normal"),
        aliases=tuple(mention.get("aliases") or ()),
        waypoints=tuple(waypoints) if waypoints is not None else None,
        value=mention.get("value"), unit=mention.get("unit"),
    )


def fact_qualifiers(fact: FactDict) -> dict[str, Any]:
    """The fact's qualifiers that the spec knows for its predicate, blanks dropped."""
    predicate = load_spec().predicates.get(str(fact.get("predicate")))
    keys = {q.key for q in predicate.qualifiers} if predicate else set()
    given = fact.get("qualifiers") or {}
    return {k: v for k, v in given.items() if k in keys and v not in (None, "", [])}


def unknown_qualifiers(fact: FactDict) -> list[str]:
    """Qualifier keys with a value that the review formats have no field for."""
    predicate = load_spec().predicates.get(str(fact.get("predicate")))
    keys = {q.key for q in predicate.qualifiers} if predicate else set()
    given = fact.get("qualifiers") or {}
    return sorted(k for k, v in given.items() if k not in keys and v not in (None, "", []))


class _Builder:
    def __init__(self, text: str):
        self.text = text
        self.layout = Layout()

    def _new(self, region: Region) -> Region:
        region.id = f"r{len(self.layout.regions) + 1}"
        self.layout.regions.append(region)
        return region

    def subject(self, candidate: Region) -> Region:
        for region in self.layout.regions:
            if region.mention_key() == candidate.mention_key():
                return region
        return self._new(candidate)

    def object(self, candidate: Region, predicate: str, qualifiers: dict[str, Any]) -> Region:
        for region in self.layout.regions:
            if region.mention_key() != candidate.mention_key():
                continue
            if region.qualifiers.get(predicate, qualifiers) == qualifiers:
                region.qualifiers[predicate] = qualifiers
                return region
        candidate.qualifiers[predicate] = qualifiers
        return self._new(candidate)

    def add(self, fact: FactDict, label: str) -> None:
        predicate = str(fact.get("predicate"))
        if predicate not in load_spec().predicates:
            self.layout.problems.append(f"{label}: unknown predicate {predicate!r}")
            return
        subject, obj = fact.get("subject") or {}, fact.get("object") or {}
        evidence = (fact.get("evidence") or {}).get("start") or 0
        try:
            s_span = locate(self.text, subject, near=evidence)
            o_span = locate(self.text, obj, near=s_span[0])
        except MentionNotFound as error:
            self.layout.problems.append(f"{label}: {error}")
            return
        confidence = fact.get("confidence")
        s_region = self.subject(_mention_region(self.text, subject, s_span))
        o_region = self.object(_mention_region(self.text, obj, o_span), predicate,
                               fact_qualifiers(fact))
        for region in (s_region, o_region):
            if confidence is not None:
                region.score = min(confidence, region.score if region.score is not None else 1)
        rule = (fact.get("provenance") or {}).get("rule")
        self.layout.links.append(Link(predicate, s_region.id, o_region.id, confidence, rule))
        unknown = unknown_qualifiers(fact)
        if unknown:
            self.layout.problems.append(
                f"{label}: qualifiers {', '.join(unknown)} have no review field and are left out")


def lay_out(text: str, facts: list[FactDict], doc_id: str = "") -> Layout:
    """Regions and links of one document's facts, in fact order; a fact whose mention cannot
    be found is listed in `problems` and left out, the others are laid out."""
    builder = _Builder(text)
    for number, fact in enumerate(facts, start=1):
        builder.add(fact, f"{doc_id}: fact {number} ({fact.get('predicate')})")
    return builder.layout
