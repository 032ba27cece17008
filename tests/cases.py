"""Sentence → expected facts cases (`tests/data/<predicate>.jsonl`, described in
`tests/data/README.md`): read them as pytest parameters, run one through the whole pipeline
and compare the facts of its predicate, reduced to the fields a case states, with the case's.
"""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pipeline.api import make_doc
from pipeline.extract import facts_of
from pipeline.facts import Fact

DATA = Path(__file__).resolve().parent / "data"
CASE_KEYS = frozenset({"id", "text", "date", "rule", "facts", "xfail"})
# rules that make no fact themselves: what rules a number out, what makes a post former
NOT_FACT_RULES = ("capacity", "throughput_capacity", "able_to_handle", "production", "price",
                  "leaves_office")

# A case fact's fields: the fields every fact of the predicate states, then those stated only
# when the text says so (an absent optional field expects the fact not to have it).
REQUIRED: dict[str, tuple[str, ...]] = {
    "holds_position": ("subject", "object", "position"),
    "route_volume": ("route", "value", "unit", "year", "status"),
    "project_participant": ("project", "participant"),
    "met_with": ("a", "b"),
}
OPTIONAL: dict[str, tuple[str, ...]] = {
    "holds_position": ("status",),
    "route_volume": ("commodity", "approx"),
    "project_participant": ("role",),
    "met_with": ("place", "event", "date", "format"),
}

# How each field is read off a Fact.
GETTERS: dict[str, dict[str, Callable[[Fact], Any]]] = {
    "holds_position": {
        "subject": lambda f: f.subject.normal,
        "object": lambda f: f.object.normal,
        "position": lambda f: f.qualifiers.get("position"),
        "status": lambda f: f.qualifiers.get("status"),
    },
    "route_volume": {
        "route": lambda f: f.subject.normal,
        "value": lambda f: f.object.value,
        "unit": lambda f: f.object.unit,
        "year": lambda f: f.qualifiers.get("year"),
        "status": lambda f: f.qualifiers.get("status"),
        "commodity": lambda f: f.qualifiers.get("commodity"),
        "approx": lambda f: f.qualifiers.get("approx"),
    },
    "project_participant": {
        "project": lambda f: f.subject.normal,
        "participant": lambda f: f.object.normal,
        "role": lambda f: f.qualifiers.get("role"),
    },
    "met_with": {
        "a": lambda f: f.subject.normal,
        "b": lambda f: f.object.normal,
        "place": lambda f: f.qualifiers.get("place"),
        "event": lambda f: f.qualifiers.get("event"),
        "date": lambda f: f.qualifiers.get("date"),
        "format": lambda f: f.qualifiers.get("format"),
    },
}


def load_cases(predicate: str) -> list[dict[str, Any]]:
    """The cases of `tests/data/<predicate>.jsonl`, in file order."""
    path = DATA / f"{predicate}.jsonl"
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            cases.append(json.loads(line))
        except json.JSONDecodeError as error:
            raise ValueError(f"{path.name}:{number}: {error}") from None
    return cases


def case_params(predicate: str) -> list[Any]:
    """The cases as pytest parameters: the case id is the test id, and a case marked
    `xfail` is expected to fail its assertion (strictly: once it passes, drop the mark)."""
    params = []
    for case in load_cases(predicate):
        marks = []
        if case.get("xfail"):
            marks.append(pytest.mark.xfail(strict=True, raises=AssertionError,
                                           reason=case["xfail"]))
        params.append(pytest.param(case, id=case["id"], marks=marks))
    return params


def fold(value: Any) -> Any:
    """A value as compared: names lower-cased with «ё» as «е», whole numbers as integers."""
    if isinstance(value, str):
        return value.lower().replace("ё", "е")
    if isinstance(value, float):
        value = round(value, 3)
        return int(value) if value.is_integer() else value
    return value


def _reduced(predicate: str, values: dict[str, Any]) -> tuple:
    """(field, value) pairs of the fields that have a value; a meeting's two people as one
    unordered pair."""
    fields = REQUIRED[predicate] + OPTIONAL[predicate]
    items = {name: fold(values.get(name)) for name in fields}
    if predicate == "met_with":
        items = {"pair": tuple(sorted((items.pop("a"), items.pop("b")))), **items}
    return tuple((name, value) for name, value in items.items()
                 if value is not None or name == "year")


def reduce_fact(fact: Fact) -> tuple:
    """A fact reduced to the fields of a case fact of its predicate."""
    getters = GETTERS[fact.predicate]
    return _reduced(fact.predicate, {name: get(fact) for name, get in getters.items()})


def reduce_expected(predicate: str, expected: dict[str, Any]) -> tuple:
    """A case fact in the form `reduce_fact` gives."""
    return _reduced(predicate, expected)


def found_facts(nlp, predicate: str, text: str, date: str | None = None) -> set[tuple]:
    """The facts of one predicate the whole pipeline finds in a text, reduced."""
    doc = nlp(make_doc(nlp, text, date))
    return {reduce_fact(fact) for fact in facts_of(doc, predicate)}


def check_case(nlp, predicate: str, case: dict[str, Any]) -> None:
    """Assert that the pipeline finds exactly the case's facts in its text, and that a case
    of a rule that states facts has at least one made by that rule."""
    doc = nlp(make_doc(nlp, case["text"], case.get("date")))
    facts = facts_of(doc, predicate)
    found = {reduce_fact(fact) for fact in facts}
    expected = {reduce_expected(predicate, item) for item in case["facts"]}
    assert found == expected, (
        f"missing: {sorted(expected - found)}; unexpected: {sorted(found - expected)}")
    if case.get("rule") and facts and not case["rule"].endswith(NOT_FACT_RULES):
        rules = sorted({fact.provenance.rule for fact in facts})
        credited = {case["rule"], *_credited_as(predicate, case["rule"])}
        assert credited & set(rules), f"made by {rules}, not by {case['rule']}"


def _credited_as(predicate: str, rule_id: str) -> list[str]:
    """The rule a rule's facts are credited to, when it only opens the way for another
    (`credited_as` in the rule file)."""
    from pipeline.rules.engine import load_rules

    rule = next((r for r in load_rules(predicate) if r.id == rule_id), None)
    target = rule.option("credited_as") if rule is not None else None
    return [f"{predicate}.{target}"] if target else []
