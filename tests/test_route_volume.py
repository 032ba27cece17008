"""route_volume: the cases of tests/data/route_volume.jsonl, splitting a route into its
waypoints, and what a fact carries beyond the cases (mentions that point into the text)."""

import pytest
from cases import case_params, check_case

from pipeline.extract import facts_of
from pipeline.layers.routes import split_waypoints

pytestmark = pytest.mark.slow
PREDICATE = "route_volume"


@pytest.mark.parametrize("case", case_params(PREDICATE))
def test_case(nlp, case):
    check_case(nlp, PREDICATE, case)


def test_hyphenated_place_names_stay_whole():
    assert split_waypoints("Хайратон – Мазари-Шариф") == ("Хайратон", "Мазари-Шариф")
    assert split_waypoints("Самсун-Новороссийск") == ("Самсун", "Новороссийск")


def test_mentions_point_into_the_text(nlp):
    text = "В 2022 году по маршруту Актау–Баку перевезли 1 млн тонн нефти."
    [fact] = facts_of(nlp(text), PREDICATE)
    assert text[fact.subject.start:fact.subject.end] == fact.subject.text == "Актау–Баку"
    assert fact.subject.normal == "Актау – Баку"
    assert fact.subject.waypoints == ["Актау", "Баку"]
    assert text[fact.object.start:fact.object.end] == fact.object.text == "1 млн тонн"
    assert text[fact.evidence.start:fact.evidence.end] == fact.evidence.text


def test_seed_document_route_volumes(nlp, seed_text):
    facts = facts_of(nlp(seed_text), PREDICATE)
    found = {(tuple(f.subject.waypoints), f.subject.normal, f.object.value, f.object.unit,
              f.qualifiers["year"], f.qualifiers["status"], f.qualifiers["commodity"])
             for f in facts}
    route = ("Актау", "Баку", "Джейхан")
    assert found == {
        (route, "Актау – Баку – Джейхан", 1_060_000, "t", 2023, "actual", "нефть"),
        (route, "Актау – Баку – Джейхан", 1_700_000, "t", 2025, "planned", "нефть"),
    }
    assert all(f.subject.text == "Актау – Баку – Джейхан" for f in facts)
    assert {f.object.text for f in facts} == {"1,06 миллиона тонн", "1,7 миллиона тонн"}
