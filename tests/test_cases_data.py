"""The case files of tests/data (see tests/data/README.md) are well formed and cover every
rule of pipeline/rules/<predicate>.yml; checked without running the pipeline."""

import re
from collections import Counter
from datetime import date

import pytest
from cases import CASE_KEYS, OPTIONAL, REQUIRED, load_cases

from pipeline.facts import PREDICATES
from pipeline.rules.engine import load_rules

KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
PREFIX = {"holds_position": "hp-", "route_volume": "rv-", "project_participant": "pp-",
          "met_with": "mw-"}
STATUSES = {"holds_position": {"former", "acting"}, "route_volume": {"actual", "planned",
                                                                     "forecast"}}
APPROX = {"about", "at_least", "at_most"}
UNITS = {"t", "bbl", "m3", "kWh", "TEU", "t/d", "bbl/d", "m3/d"}
FORMATS = {"phone", "video"}
MIN_TRIGGERING, MIN_CONTRAST = 3, 1


def _fact_problems(predicate: str, fact: dict) -> list[str]:
    """What is wrong with one expected fact of a case (empty when nothing is)."""
    problems = []
    allowed = set(REQUIRED[predicate]) | set(OPTIONAL[predicate])
    problems += [f"unknown field {key!r}" for key in fact if key not in allowed]
    problems += [f"no {key!r}" for key in REQUIRED[predicate] if key not in fact]
    for key, value in fact.items():
        if key in {"value", "year"}:
            continue
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{key!r} is not a non-empty string")
    if "status" in fact and fact["status"] not in STATUSES.get(predicate, ()):
        problems.append(f"status {fact['status']!r}")
    if predicate == "route_volume":
        if not isinstance(fact.get("value"), int | float) or fact["value"] <= 0:
            problems.append("value is not a positive number")
        if not (fact.get("year") is None or isinstance(fact["year"], int)):
            problems.append("year is neither an integer nor null")
        if fact.get("unit") not in UNITS:
            problems.append(f"unit {fact.get('unit')!r}")
        if "approx" in fact and fact["approx"] not in APPROX:
            problems.append(f"approx {fact['approx']!r}")
    if predicate == "met_with":
        if "format" in fact and fact["format"] not in FORMATS:
            problems.append(f"format {fact['format']!r}")
        if "date" in fact:
            date.fromisoformat(fact["date"])
    return problems


@pytest.mark.parametrize("predicate", PREDICATES)
def test_cases_are_well_formed(predicate):
    rule_ids = {rule.id for rule in load_rules(predicate)}
    problems = []
    for case in load_cases(predicate):
        where = case.get("id", case)
        problems += [f"{where}: unknown key {key!r}" for key in case if key not in CASE_KEYS]
        if not KEBAB.match(str(case.get("id", ""))) or not case["id"].startswith(
                PREFIX[predicate]):
            problems.append(f"{where}: id is not kebab-case with {PREFIX[predicate]!r}")
        if not isinstance(case.get("text"), str) or not case["text"].strip():
            problems.append(f"{where}: no text")
        if "date" in case:
            date.fromisoformat(case["date"])
        if "rule" in case and case["rule"] not in rule_ids:
            problems.append(f"{where}: rule {case['rule']!r} is not in rules/{predicate}.yml")
        if "xfail" in case and (not isinstance(case["xfail"], str) or not case["xfail"]):
            problems.append(f"{where}: xfail needs a reason")
        if not isinstance(case.get("facts"), list):
            problems.append(f"{where}: facts is not a list")
            continue
        for fact in case["facts"]:
            problems += [f"{where}: {p}" for p in _fact_problems(predicate, fact)]
    assert problems == []


def test_case_ids_and_texts_are_unique():
    cases = [(p, case) for p in PREDICATES for case in load_cases(p)]
    ids = Counter(case["id"] for _, case in cases)
    texts = Counter((p, case["text"], case.get("date")) for p, case in cases)
    assert [i for i, n in ids.items() if n > 1] == []
    assert [t for t, n in texts.items() if n > 1] == []


@pytest.mark.parametrize("predicate", PREDICATES)
def test_every_rule_has_cases_that_trigger_it_and_a_close_one_that_must_not(predicate):
    """A rule's cases: sentences it should make a fact of and at least one close sentence
    that gives no fact. A rule that rules numbers out (`kind: not_volume`) the other way
    round: sentences whose figure it rules out, and one close sentence that is a volume."""
    cases = [case for case in load_cases(predicate) if "rule" in case]
    short = []
    for rule in load_rules(predicate):
        mine = [case for case in cases if case["rule"] == rule.id]
        with_facts = sum(1 for case in mine if case["facts"])
        without = len(mine) - with_facts
        if rule.option("kind") == "not_volume":
            with_facts, without = without, with_facts
        if with_facts < MIN_TRIGGERING or without < MIN_CONTRAST:
            short.append((rule.id, with_facts, without))
    assert short == []
