"""project_participant: the cases of tests/data/project_participant.jsonl, and what a fact
carries beyond them (mentions that point into the text, types)."""

import pytest
from cases import case_params, check_case

from pipeline.extract import facts_of

pytestmark = pytest.mark.slow
PREDICATE = "project_participant"


@pytest.mark.parametrize("case", case_params(PREDICATE))
def test_case(nlp, case):
    check_case(nlp, PREDICATE, case)


def test_mentions_point_into_the_text(nlp):
    text = "Участниками проекта Транскаспийского газопровода стали Туркменистан и Азербайджан."
    facts = facts_of(nlp(text), PREDICATE)
    assert len(facts) == 2
    for fact in facts:
        for mention in (fact.subject, fact.object):
            assert text[mention.start:mention.end] == mention.text
        assert text[fact.evidence.start:fact.evidence.end] == fact.evidence.text
    assert [f.object.type for f in facts] == ["LOC", "LOC"]


def test_seed_document_project_participants(nlp, seed_text):
    facts = facts_of(nlp(seed_text), PREDICATE)
    project = "Каспийский зеленый энергетический коридор"
    assert {(f.subject.normal, f.object.normal, f.object.type, f.qualifiers.get("role"))
            for f in facts} == {
        (project, country, "LOC", "системный оператор")
        for country in ("Казахстан", "Азербайджан", "Узбекистан")
    }
    assert {f.subject.text for f in facts} == {"Каспийского зеленого энергетического коридора"}
