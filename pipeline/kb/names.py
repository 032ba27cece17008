"""Names to keys: how a mention's `normal` becomes the key of a node of the entity graph.

A key is `kind:slug`, lower case, «ё» as «е», spaces as «_»: `per:ержан_кудайбергенов`,
`org:газпром`, `country:KZ`, `place:актау`, `route:тенгиз–новороссийск`,
`project:каспий_линк`. The same string always gives the same key, on any machine, which is
what makes entity ids deterministic (an entity's id is the key of its canonical node).
"""

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from ..evaluate.names import parse_person
from ..evaluate.text import DASHES, norm_text

DATA = Path(__file__).resolve().parent / "data"
QUOTES = "«»\"„“”‟'’‘`"
QUOTE_RE = re.compile(f"[{QUOTES}]")
SPACED_DASH_RE = re.compile(rf"\s+[{DASHES}]\s+|[\u2013\u2014]")
ABBREVIATION_RE = re.compile(r"^[A-ZА-ЯЁ][A-ZА-ЯЁ0-9]{1,7}[a-zа-я]?$")
KIND_OF_TYPE = {"PER": "per", "ORG": "org", "LOC": "place", "ROUTE": "route",
                "PROJECT": "project"}


@dataclass(frozen=True)
class Node:
    """One name of an entity, as a node of the entity graph."""

    key: str
    kind: str  # per, org, country, place, route, project
    display: str  # the name as shown
    partial: bool = False  # a person named by surname or initials only
    abbreviation: bool = False


def slug(text: str) -> str:
    """Lower case, «ё» → «е», dashes as «–» without spaces, other spaces as «_»."""
    text = SPACED_DASH_RE.sub("–", QUOTE_RE.sub("", text))
    return norm_text(text).replace("-–-", "–").replace(" ", "_")


@cache
def _word_list(name: str) -> frozenset[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return frozenset(norm_text(line) for line in lines if line.strip() and line[0] != "#")


def legal_forms() -> frozenset[str]:
    """ПАО, АО, ТОО, JSC …: dropped wherever they stand before the name."""
    return _word_list("legal_forms.txt")


def descriptors() -> frozenset[str]:
    """«национальная компания», «госкорпорация» …: dropped before a quoted name only."""
    return _word_list("descriptors.txt")


TRAILING_ABBREVIATION_RE = re.compile(r"^(.+?)\s*\(([^()]{2,12})\)$")


def split_abbreviation(name: str) -> tuple[str, str | None]:
    """«Евразийский банк развития (ЕАБР)» → ("Евразийский банк развития", "ЕАБР")."""
    match = TRAILING_ABBREVIATION_RE.match(name.strip())
    if match and is_abbreviation(match.group(2)):
        return match.group(1), match.group(2)
    return name, None


def is_abbreviation(text: str) -> bool:
    """«КМГ», «ЕАБР», «KEGOC», «SOCAR»: one word in capitals."""
    return bool(ABBREVIATION_RE.match(QUOTE_RE.sub("", text).strip()))


@lru_cache(maxsize=200_000)
def organisation_name(normal: str) -> str:
    """The name without quotation marks, legal form or a generic descriptor before a quoted
    name: «АО «НК «КазМунайГаз»» → «КазМунайГаз», «национальная компания «Казахстан темир
    жолы»» → «Казахстан темир жолы», «Азиатский банк развития» unchanged."""
    normal = split_abbreviation(normal)[0]
    quoted = bool(QUOTE_RE.search(normal))
    words = QUOTE_RE.sub(" ", normal).split()
    forms, generic = legal_forms(), descriptors()
    changed = True
    while changed and len(words) > 1:
        changed = False
        for size in (3, 2, 1):
            head = norm_text(" ".join(words[:size]))
            if len(words) > size and (head in forms or (quoted and head in generic)):
                words, changed = words[size:], True
                break
    return " ".join(words)


def route_waypoints(normal: str, waypoints: list[str] | None = None) -> list[str]:
    """The waypoints of a route: as given, else split at spaced dashes (and en/em dashes)
    of its name; a named route («Сила Сибири») has none."""
    if waypoints:
        return [w.strip() for w in waypoints if w and w.strip()]
    parts = [p.strip() for p in SPACED_DASH_RE.split(QUOTE_RE.sub("", normal))]
    return parts if len(parts) > 1 and all(parts) else []


def person_node(normal: str, doc_id: str) -> Node:
    """A person: the full name without patronymic is the key; a surname or initials alone
    is a node of its own document only (`per:нуриев@doc.txt`)."""
    name = parse_person(normal)
    display = " ".join(normal.split())
    words = list(name.words)
    partial = name.first is None or len(name.first.rstrip(".")) <= 1
    key = "per:" + "_".join(words).replace("ё", "е")
    if partial:
        return Node(f"{key}@{doc_id}", "per", display, partial=True)
    return Node(key, "per", display)


def plain_node(kind: str, normal: str) -> Node:
    """An organisation, place or project named by `normal`."""
    name = organisation_name(normal) if kind in ("org", "project") else QUOTE_RE.sub("", normal)
    name = " ".join(name.split())
    return Node(f"{kind}:{slug(name)}", kind, name, abbreviation=is_abbreviation(name))


def route_node(normal: str, waypoints: list[str] | None) -> Node:
    """A route by its waypoint chain («Тенгиз – Новороссийск»), else by its name."""
    points = route_waypoints(normal, waypoints)
    if points:
        display = " – ".join(points)
        return Node("route:" + "–".join(slug(p) for p in points), "route", display)
    name = " ".join(QUOTE_RE.sub("", normal).split())
    return Node(f"route:{slug(name)}", "route", name, abbreviation=is_abbreviation(name))
