"""Merging: which statements are one fact, and which facts disagree.

A fact is identified by its predicate, subject and object entities and the qualifiers that
define it: `position` (holds_position); `year`, `status`, `unit`, `commodity` and the value
(route_volume); `role` (project_participant); the pair in either order and the stated
`date` (met_with). Pure functions: the database code in `build.py` calls them.
"""

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from ..evaluate.text import norm_text
from .names import DATA

TOLERANCE = 0.05  # route volumes further apart than this (relative) are a conflict


@dataclass(frozen=True)
class FactKey:
    """The identity of a merged fact (None where a predicate has no such qualifier)."""

    predicate: str
    subject_id: str
    object_id: str | None = None
    position: str | None = None
    year: int | None = None
    status: str | None = None
    unit: str | None = None
    value: float | None = None
    commodity: str | None = None
    role: str | None = None
    date: str | None = None

    @cached_property
    def id(self) -> str:
        data = json.dumps(list(self.__dict__.values()), ensure_ascii=False)
        return "f:" + hashlib.blake2b(data.encode(), digest_size=8).hexdigest()


def _text(value: Any) -> str | None:
    return norm_text(str(value)) if value not in (None, "") else None


def _year(value: Any) -> int | None:
    try:
        return int(value) if value is not None and not isinstance(value, bool) else None
    except (TypeError, ValueError):
        return None


def _value(value: float | None) -> float | None:
    return float(f"{value:.6g}") if value is not None else None


def fact_key(predicate: str, subject_id: str, object_id: str | None,
             qualifiers: dict[str, Any], value: float | None = None,
             unit: str | None = None) -> FactKey:
    """The key of a statement whose subject and object are the given entities."""
    if predicate == "holds_position":
        return FactKey(predicate, subject_id, object_id,
                       position=_text(qualifiers.get("position")))
    if predicate == "route_volume":
        return FactKey(predicate, subject_id, None, year=_year(qualifiers.get("year")),
                       status=_text(qualifiers.get("status")) or "actual", unit=unit,
                       value=_value(value), commodity=_text(qualifiers.get("commodity")))
    if predicate == "project_participant":
        return FactKey(predicate, subject_id, object_id, role=_text(qualifiers.get("role")))
    first, second = sorted((subject_id, object_id or ""))
    return FactKey(predicate, first, second, date=_text(qualifiers.get("date")))


def is_current(predicate: str, qualifiers: dict[str, Any]) -> bool:
    """False for a post stated as former: it does not extend the interval of holding it."""
    return not (predicate == "holds_position" and qualifiers.get("status") == "former")


@cache
def _single_posts() -> tuple[re.Pattern[str], ...]:
    lines = (DATA / "single_posts.txt").read_text(encoding="utf-8").splitlines()
    return tuple(re.compile(line.strip()) for line in lines if line.strip() and line[0] != "#")


def single_holder(position: str | None) -> bool:
    """A national post one person holds at a time (`data/single_posts.txt`)."""
    return bool(position) and any(p.fullmatch(position) for p in _single_posts())


def topic(fact: dict[str, Any], object_kind: str | None) -> str | None:
    """The group a fact can conflict within, as a JSON string, or None."""
    if fact["predicate"] == "route_volume" and fact["year"] is not None:
        return json.dumps(["route_volume", fact["subject_id"], fact["commodity"], fact["year"],
                           fact["status"], fact["unit"]], ensure_ascii=False)
    if (fact["predicate"] == "holds_position" and object_kind == "country"
            and single_holder(fact["position"])):
        return json.dumps(["post", fact["object_id"], fact["position"]], ensure_ascii=False)
    return None


def _bounds(fact: dict[str, Any]) -> tuple[float, float]:
    value = fact["value"]
    if fact.get("approx") == "at_least":
        return value, float("inf")
    if fact.get("approx") == "at_most":
        return 0.0, value
    return value, value


def volumes_disagree(one: dict[str, Any], other: dict[str, Any]) -> bool:
    """More than 5 % apart, a bound («более», «до») counting as the range it states."""
    (low_a, high_a), (low_b, high_b) = _bounds(one), _bounds(other)
    gap = max(low_a - high_b, low_b - high_a, 0.0)
    return gap > TOLERANCE * max(one["value"], other["value"])


def terms_overlap(one: dict[str, Any], other: dict[str, Any]) -> bool:
    """Two holders' intervals of evidence share a day (both must be dated)."""
    if not all((one["first_seen"], one["last_seen"], other["first_seen"], other["last_seen"])):
        return False
    return one["first_seen"] <= other["last_seen"] and other["first_seen"] <= one["last_seen"]


def conflicts(kind: str, facts: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Pairs of fact ids (sorted) of one topic that disagree."""
    pairs = []
    ordered = sorted(facts, key=lambda f: f["id"])
    for i, one in enumerate(ordered):
        for other in ordered[i + 1:]:
            if kind == "route_volume" and volumes_disagree(one, other):
                pairs.append((one["id"], other["id"]))
            elif (kind == "post" and one["subject_id"] != other["subject_id"]
                  and terms_overlap(one, other)):
                pairs.append((one["id"], other["id"]))
    return pairs


def conflict_id(topic_key: str, fact_a: str, fact_b: str) -> str:
    data = f"{topic_key}|{fact_a}|{fact_b}".encode()
    return "c:" + hashlib.blake2b(data, digest_size=8).hexdigest()
