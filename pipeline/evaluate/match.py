"""Whether a predicted fact matches a gold fact (contract facts, see the package docstring).

`fact_rank` returns None when the two facts do not match, 0 when they match and the
reported qualifier (position, commodity, role) agrees too, 1 when they match otherwise; the
greedy matcher takes the lower ranks first. A gold argument may list `aliases` (other names
the document uses for it): a prediction naming the entity by an alias still matches, and
`by_alias` tells how often that happened.
"""

from typing import Any

from ..lexicon import canonical_country
from .names import same_person
from .text import norm_text, same_name

VALUE_TOLERANCE = 0.005
REPORTED_QUALIFIER = {"holds_position": "position", "route_volume": "commodity",
                      "project_participant": "role"}
# Qualifiers whose agreement is reported among matches: "given" ones over the matches whose
# gold fact states them, "exact" ones over every match (absent means the default: a current
# post, an exact value, a meeting in person).
GIVEN_QUALIFIERS = {"holds_position": ("position",), "route_volume": ("commodity",),
                    "project_participant": ("role",), "met_with": ("place", "event", "date")}
EXACT_QUALIFIERS = {"holds_position": ("status",), "route_volume": ("approx",),
                    "met_with": ("format",)}


def normal_of(arg: dict[str, Any] | None) -> str:
    """The normal form of a fact argument, falling back on its text."""
    if not arg:
        return ""
    return arg.get("normal") or arg.get("text") or ""


def qualifier(fact: dict[str, Any], key: str) -> Any:
    return (fact.get("qualifiers") or {}).get(key)


def same_phrase(a: str | None, b: str | None) -> bool:
    """Qualifier text agreement (position, commodity): same normal string or lemma set."""
    return same_name(a, b)


def same_route(gold: dict[str, Any] | None, pred: dict[str, Any] | None) -> bool:
    """Equal normalised waypoint lists; if either side has none, the route names match."""
    gold, pred = gold or {}, pred or {}
    gold_points = [norm_text(point) for point in gold.get("waypoints") or []]
    pred_points = [norm_text(point) for point in pred.get("waypoints") or []]
    if gold_points and pred_points:
        return gold_points == pred_points
    return same_name(normal_of(gold), normal_of(pred))


def close_value(gold: Any, pred: Any, tolerance: float = VALUE_TOLERANCE) -> bool:
    """`pred` within `tolerance` (relative to gold) of `gold`."""
    try:
        gold, pred = float(gold), float(pred)
    except (TypeError, ValueError):
        return False
    if gold == 0:
        return pred == 0
    return abs(pred - gold) <= tolerance * abs(gold)


def _year(value: Any) -> int | None:
    try:
        return None if value is None or value == "" else int(value)
    except (TypeError, ValueError):
        return None


def same_quantity(gold: dict[str, Any] | None, pred: dict[str, Any] | None) -> bool:
    gold, pred = gold or {}, pred or {}
    return norm_text(gold.get("unit")) == norm_text(pred.get("unit")) and close_value(
        gold.get("value"), pred.get("value")
    )


def names_of(arg: dict[str, Any] | None) -> list[str]:
    """An argument's normal and its aliases, countries also by their common short name
    («Кыргызская Республика» = «Киргизия» = «Кыргызстан», `lexicon/positions_country_names.txt`)."""
    names = [normal_of(arg), *((arg or {}).get("aliases") or [])]
    return names + [canonical_country(name) for name in names if canonical_country(name) != name]


def same_entity(gold: dict[str, Any] | None, pred: dict[str, Any] | None) -> bool:
    """LOC/ORG/PROJECT rule: the normal or an alias of one side against those of the other."""
    return any(same_name(a, b) for a in names_of(gold) for b in names_of(pred))


def by_alias(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    """A matching prediction that names an argument by one of the gold's aliases rather than
    by its fullest name."""
    for side in ("subject", "object"):
        g_arg, p_arg = gold.get(side), pred.get(side)
        if (g_arg or {}).get("aliases") and not same_name(normal_of(g_arg), normal_of(p_arg)):
            if g_arg.get("type") not in {"PER", "QUANTITY"} and not (
                    g_arg.get("waypoints") and (p_arg or {}).get("waypoints")):
                return True
    return False


def same_route_facts(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    """Route, unit and value agree (year and status aside)."""
    g_subj, p_subj = gold.get("subject"), pred.get("subject")
    route = same_route(g_subj, p_subj) or any(
        same_name(name, normal_of(p_subj)) for name in names_of(g_subj)[1:])
    return route and same_quantity(gold.get("object"), pred.get("object"))


def facts_match(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    """The per-predicate rule; unknown predicates need subject and object names to match."""
    predicate = gold.get("predicate")
    g_subj, p_subj = gold.get("subject"), pred.get("subject")
    g_obj, p_obj = gold.get("object"), pred.get("object")
    if predicate == "holds_position":
        return same_person(normal_of(g_subj), normal_of(p_subj)) and same_entity(g_obj, p_obj)
    if predicate == "met_with":
        a, b = normal_of(g_subj), normal_of(g_obj)
        c, d = normal_of(p_subj), normal_of(p_obj)
        return (same_person(a, c) and same_person(b, d)) or (
            same_person(a, d) and same_person(b, c)
        )
    if predicate == "route_volume":
        return (
            same_route_facts(gold, pred)
            and _year(qualifier(gold, "year")) == _year(qualifier(pred, "year"))
            and norm_text(qualifier(gold, "status")) == norm_text(qualifier(pred, "status"))
        )
    return same_entity(g_subj, p_subj) and same_entity(g_obj, p_obj)


def fact_rank(gold: dict[str, Any], pred: dict[str, Any]) -> int | None:
    """None if no match; 0 if the reported qualifier agrees (or gold has none); else 1."""
    if not facts_match(gold, pred):
        return None
    key = REPORTED_QUALIFIER.get(gold.get("predicate", ""))
    if key is None or not qualifier(gold, key):
        return 0
    return 0 if same_phrase(qualifier(gold, key), qualifier(pred, key)) else 1
