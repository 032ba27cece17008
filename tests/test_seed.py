"""The reference press release end to end: every gold fact, every field, nothing else."""

import json

import pipeline

EXPECTED = {
    ("holds_position", "Ерлан Аккенженов", "Казахстан", (("position", "министр энергетики"),)),
    ("holds_position", "Парвиз Октай оглы Шахбазов", "Азербайджан",
     (("position", "министр энергетики"),)),
    ("met_with", "Ерлан Аккенженов", "Парвиз Октай оглы Шахбазов",
     (("event", "Kazenergy Week – 2025"), ("place", "Астана"))),
    ("project_participant", "Каспийский зеленый энергетический коридор", "Казахстан",
     (("role", "системный оператор"),)),
    ("project_participant", "Каспийский зеленый энергетический коридор", "Азербайджан",
     (("role", "системный оператор"),)),
    ("project_participant", "Каспийский зеленый энергетический коридор", "Узбекистан",
     (("role", "системный оператор"),)),
    ("route_volume", "Актау – Баку – Джейхан", "1060000 t",
     (("commodity", "нефть"), ("status", "actual"), ("year", 2023))),
    ("route_volume", "Актау – Баку – Джейхан", "1700000 t",
     (("commodity", "нефть"), ("status", "planned"), ("year", 2025))),
}


def test_seed_gives_exactly_the_gold_facts(seed_text):
    facts = pipeline.extract(seed_text, doc_id="000_906239780a42e28d.txt")
    found = {
        (f.predicate, f.subject.normal, f.object.normal, tuple(sorted(f.qualifiers.items())))
        for f in facts
    }
    assert found == EXPECTED
    assert len(facts) == len(EXPECTED)


def test_seed_offsets_and_evidence_point_into_the_text(seed_text):
    for fact in pipeline.extract(seed_text):
        for part in (fact.subject, fact.object, fact.evidence):
            assert seed_text[part.start : part.end] == part.text
        assert fact.evidence.start <= min(fact.subject.start, fact.object.start)
        assert fact.evidence.end >= max(fact.subject.end, fact.object.end)


def test_seed_route_records_carry_waypoints_and_base_units(seed_text):
    routes = [f for f in pipeline.extract(seed_text) if f.predicate == "route_volume"]
    for fact in routes:
        record = json.loads(fact.to_json())
        assert record["subject"]["waypoints"] == ["Актау", "Баку", "Джейхан"]
        assert record["subject"]["type"] == "ROUTE" and record["object"]["type"] == "QUANTITY"
        assert record["object"]["unit"] == "t"
    assert sorted(json.loads(f.to_json())["object"]["value"] for f in routes) == [1060000, 1700000]
