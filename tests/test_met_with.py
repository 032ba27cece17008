"""met_with: the cases of tests/data/met_with.jsonl, and what a fact carries beyond them
(mentions that point into the text, evidence over two sentences)."""

import pytest
from cases import case_params, check_case

from pipeline.extract import facts_of

pytestmark = pytest.mark.slow
PREDICATE = "met_with"


@pytest.mark.parametrize("case", case_params(PREDICATE))
def test_case(nlp, case):
    check_case(nlp, PREDICATE, case)


def test_mentions_and_evidence_of_a_meeting(nlp):
    text = "В Бишкеке состоялась встреча Улана Сыдыкова и Нурлана Тулеева."
    (fact,) = facts_of(nlp(text), PREDICATE)
    assert (fact.subject.text, fact.subject.normal) == ("Улана Сыдыкова", "Улан Сыдыков")
    assert (fact.object.text, fact.object.normal) == ("Нурлана Тулеева", "Нурлан Тулеев")
    for mention in (fact.subject, fact.object):
        assert text[mention.start:mention.end] == mention.text
    assert fact.evidence.text == text


def test_people_named_in_the_next_sentence_give_evidence_of_both(nlp):
    text = ("В Ереване прошла встреча министров транспорта Грузии и Армении. "
            "Леван Кобахидзе и Ашот Мартиросян обсудили график поездов.")
    (fact,) = facts_of(nlp(text), PREDICATE)
    assert fact.evidence.text == text


def test_seed_document_meeting(nlp, seed_text):
    facts = facts_of(nlp(seed_text), PREDICATE)
    assert [({f.subject.normal, f.object.normal}, f.qualifiers) for f in facts] == [(
        {"Ерлан Аккенженов", "Парвиз Октай оглы Шахбазов"},
        {"place": "Астана", "event": "Kazenergy Week – 2025"},
    )]
    (fact,) = facts
    assert seed_text[fact.evidence.start : fact.evidence.end] == fact.evidence.text
