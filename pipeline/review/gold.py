"""Gold facts from reviewed regions: what Label Studio and BRAT imports have in common.

A reviewed region is a `Marked` stretch of text with its entity type and the fields a
reviewer filled in, named as in `fact_types.json` («normal», «waypoints», «route_volume.year»).
A relation between two regions becomes one gold fact in the corpus format
(`corpus/GUIDELINES.md`): no offsets, the mention's text, its normal form, and the
qualifiers of the object region.
"""

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .spec import load_spec


@dataclass
class Marked:
    """A region as a reviewer left it: `text == document[start:end]`."""

    start: int
    end: int
    text: str
    type: str
    fields: dict[str, Any] = field(default_factory=dict)


def first(items: Any) -> Any:
    """A single value from a one-item list (Label Studio keeps field values in lists)."""
    if isinstance(items, (list, tuple)):
        return items[0] if items else None
    return items


def number(value: Any) -> int | float | None:
    """A number as an int when it is whole («2024.0» → 2024), None when it is not one."""
    try:
        parsed = float(first(value))
    except (TypeError, ValueError):
        return None
    return int(parsed) if parsed.is_integer() else parsed


def mention(region: Marked) -> dict[str, Any]:
    """The gold mention of a region; the normal form falls back on the text."""
    fields = region.fields
    result: dict[str, Any] = {"text": region.text,
                              "normal": first(fields.get("normal")) or region.text,
                              "type": region.type}
    aliases = [alias for alias in fields.get("aliases") or [] if alias]
    if aliases:
        result["aliases"] = aliases
    if region.type == "ROUTE":
        result["waypoints"] = [point for point in fields.get("waypoints") or [] if point]
    if region.type == "QUANTITY":
        value, unit = number(fields.get("value")), first(fields.get("unit"))
        if value is not None:
            result["value"] = value
        if unit:
            result["unit"] = unit
    return result


def qualifiers(predicate: str, region: Marked) -> dict[str, Any]:
    """The qualifiers of `predicate` that the object region holds, in the spec's order;
    a blank «always» qualifier is an explicit null."""
    result: dict[str, Any] = {}
    for qualifier in load_spec().predicates[predicate].qualifiers:
        raw = region.fields.get(qualifier.name)
        value = number(raw) if qualifier.kind == "number" else first(raw)
        if value in (None, ""):
            if qualifier.always:
                result[qualifier.key] = None
            continue
        result[qualifier.key] = value
    return result


def gold_fact(doc_id: str, predicate: str, subject: Marked, obj: Marked,
              where: str) -> dict[str, Any]:
    """One gold fact; ValueError (naming `where`) for an unknown predicate or arguments of
    the wrong types."""
    spec = load_spec().predicates.get(predicate)
    if spec is None:
        raise ValueError(f"{where}: unknown predicate {predicate!r}")
    if subject.type not in spec.subject or obj.type not in spec.object:
        raise ValueError(
            f"{where}: {predicate} goes from {'/'.join(spec.subject)} to "
            f"{'/'.join(spec.object)}, not from {subject.type} «{subject.text}» to "
            f"{obj.type} «{obj.text}»")
    return {"doc_id": doc_id, "predicate": predicate, "subject": mention(subject),
            "object": mention(obj), "qualifiers": qualifiers(predicate, obj)}


def write_gold(facts: Iterable[Mapping[str, Any]], path: str | os.PathLike[str]) -> int:
    """Gold facts as JSON Lines in the corpus style (UTF-8, not ASCII-escaped), sorted by
    doc_id, each document's facts in the order given; returns the number written."""
    ordered = sorted(facts, key=lambda fact: str(fact.get("doc_id")))
    lines = [json.dumps(fact, ensure_ascii=False) + "\n" for fact in ordered]
    Path(path).write_text("".join(lines), encoding="utf-8")
    return len(lines)
