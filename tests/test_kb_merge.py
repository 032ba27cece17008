"""pipeline.kb.merge: which statements are one fact, and which facts disagree."""

from pipeline.kb.merge import (
    conflicts,
    fact_key,
    is_current,
    single_holder,
    terms_overlap,
    volumes_disagree,
)


def test_a_post_is_one_fact_whatever_the_status_or_case() -> None:
    one = fact_key("holds_position", "per:a", "country:KZ", {"position": "Министр энергетики"})
    other = fact_key("holds_position", "per:a", "country:KZ",
                     {"position": "министр энергетики", "status": "former"})
    assert one.id == other.id
    assert not is_current("holds_position", {"status": "former"})
    assert is_current("holds_position", {"status": "acting"})


def test_volumes_differ_by_value_year_status_unit_and_commodity() -> None:
    base = fact_key("route_volume", "route:x", None,
                    {"year": 2024, "status": "actual", "commodity": "нефть"}, 63e6, "t")
    same = fact_key("route_volume", "route:x", None,
                    {"year": 2024, "status": "actual", "commodity": "нефть", "approx": "about"},
                    63000000.0000001, "t")
    assert base.id == same.id
    for change in ({"year": 2023}, {"status": "planned"}, {"commodity": "газ"}):
        qualifiers = {"year": 2024, "status": "actual", "commodity": "нефть", **change}
        assert fact_key("route_volume", "route:x", None, qualifiers, 63e6, "t").id != base.id
    assert fact_key("route_volume", "route:x", None, {"year": 2024, "status": "actual",
                    "commodity": "нефть"}, 63e6, "bbl").id != base.id


def test_a_meeting_is_one_fact_in_either_order() -> None:
    assert fact_key("met_with", "per:a", "per:b", {"place": "Баку"}).id == \
        fact_key("met_with", "per:b", "per:a", {}).id
    assert fact_key("met_with", "per:a", "per:b", {"date": "2024-06-04"}).id != \
        fact_key("met_with", "per:a", "per:b", {}).id


def _volume(id: str, value: float, approx: str | None = None) -> dict:
    return {"id": id, "value": value, "approx": approx}


def test_volumes_more_than_five_percent_apart_disagree() -> None:
    assert volumes_disagree(_volume("a", 65.6e6), _volume("b", 58e6))
    assert not volumes_disagree(_volume("a", 63e6), _volume("b", 62.8e6))
    assert not volumes_disagree(_volume("a", 60e6, "at_least"), _volume("b", 63e6))
    assert volumes_disagree(_volume("a", 60e6, "at_least"), _volume("b", 50e6))
    assert not volumes_disagree(_volume("a", 10e6, "at_most"), _volume("b", 8e6))


def _term(id: str, person: str, first: str | None, last: str | None) -> dict:
    return {"id": id, "subject_id": person, "first_seen": first, "last_seen": last}


def test_two_holders_conflict_only_when_their_evidence_overlaps() -> None:
    saparov = _term("f1", "per:s", "2023-09-14", "2024-06-06")
    musin = _term("f2", "per:m", "2024-03-12", "2024-03-12")
    yesimov = _term("f3", "per:y", "2024-07-16", "2025-03-03")
    assert conflicts("post", [yesimov, saparov, musin]) == [("f1", "f2")]
    assert not terms_overlap(saparov, _term("f4", "per:z", None, None))


def test_single_holder_posts_come_from_the_data_file() -> None:
    assert single_holder("министр энергетики")
    assert single_holder("президент")
    assert not single_holder("заместитель министра энергетики")
    assert not single_holder("посол")
    assert not single_holder(None)
