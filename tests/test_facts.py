import json

from conftest import ROOT

from pipeline.facts import Evidence, Fact, Mention, deduplicate, fact_schema


def make_fact(evidence_start: int, evidence_text: str, confidence: float = 0.9) -> Fact:
    return Fact(
        doc_id="d.txt",
        predicate="holds_position",
        subject=Mention(text="Ивана Петрова", normal="Иван Петров", type="PER", start=0, end=13),
        object=Mention(text="Казахстана", normal="Казахстан", type="LOC", start=20, end=30),
        qualifiers={"position": "министр"},
        evidence=Evidence(text=evidence_text, start=evidence_start,
                          end=evidence_start + len(evidence_text)),
        confidence=confidence,
    )


def test_committed_schema_matches_the_fact_model():
    committed = json.loads((ROOT / "pipeline/schema/fact.schema.json").read_text("utf-8"))
    assert committed == fact_schema()


def test_mention_drops_fields_of_other_types_but_qualifiers_keep_nulls():
    fact = make_fact(0, "x").model_copy(update={"qualifiers": {"year": None}})
    record = json.loads(fact.to_json())
    assert "waypoints" not in record["subject"] and "value" not in record["object"]
    assert record["qualifiers"] == {"year": None}


def test_deduplicate_keeps_one_fact_with_the_most_confident_then_shortest_evidence():
    long = make_fact(0, "Длинное предложение о министре.")
    short = make_fact(40, "Короткое.")
    unsure = make_fact(60, "Ещё.", confidence=0.5)
    assert deduplicate([long, short, unsure]) == [short]


def test_met_with_pairs_are_unordered():
    a = Mention(text="А", normal="Анна Ли", type="PER", start=0, end=1)
    b = Mention(text="Б", normal="Борис Ким", type="PER", start=2, end=3)
    ev = Evidence(text="А Б", start=0, end=3)
    one = Fact(predicate="met_with", subject=a, object=b, evidence=ev, confidence=0.9)
    two = Fact(predicate="met_with", subject=b, object=a, evidence=ev, confidence=0.9)
    assert len(deduplicate([one, two])) == 1
