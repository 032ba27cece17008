"""holds_position: the cases of tests/data/holds_position.jsonl, and what a fact carries
beyond them (mentions that point into the text, evidence, confidence)."""

import pytest
from cases import case_params, check_case

from pipeline.extract import facts_of

pytestmark = pytest.mark.slow
PREDICATE = "holds_position"


@pytest.mark.parametrize("case", case_params(PREDICATE))
def test_case(nlp, case):
    check_case(nlp, PREDICATE, case)


def test_mentions_evidence_and_confidence_of_a_post_before_a_name(nlp):
    text = "Министр энергетики Казахстана Нурбол Сейткали открыл выставку в Астане."
    (fact,) = facts_of(nlp(text), PREDICATE)
    assert fact.subject.text == "Нурбол Сейткали"
    assert (fact.object.text, fact.object.type) == ("Казахстана", "LOC")
    assert text[fact.subject.start : fact.subject.end] == fact.subject.text
    assert text[fact.object.start : fact.object.end] == fact.object.text
    assert fact.evidence.text == text
    assert fact.confidence >= 0.85


def test_name_in_an_oblique_case_is_the_mention_text(nlp):
    text = "Губернатор встретился с министром промышленности Узбекистана Алишером Каримовым."
    (fact,) = facts_of(nlp(text), PREDICATE)
    assert (fact.subject.text, fact.subject.normal) == ("Алишером Каримовым", "Алишер Каримов")


def test_plural_post_aligned_over_two_sentences_is_less_sure(nlp):
    text = ("В Ереване прошла встреча министров транспорта Грузии и Армении. "
            "Леван Кобахидзе и Ашот Мартиросян обсудили график поездов.")
    facts = facts_of(nlp(text), PREDICATE)
    assert len(facts) == 2
    assert all(f.confidence < 0.9 for f in facts)
    assert facts[0].evidence.text == text  # both sentences


def test_country_guessed_from_the_document_is_least_sure(nlp):
    text = ("Россия увеличит закупки зерна. Премьер-министр Олег Карпов подписал "
            "постановление о поддержке российских аграриев.")
    (fact,) = facts_of(nlp(text), PREDICATE)
    (told,) = facts_of(nlp("Премьер-министр России Олег Карпов подписал постановление."),
                       PREDICATE)
    assert fact.confidence < told.confidence - 0.2


def test_seed_document_positions(nlp, seed_text):
    facts = facts_of(nlp(seed_text), PREDICATE)
    assert {(f.subject.normal, f.object.normal, f.object.type, f.qualifiers["position"])
            for f in facts} == {
        ("Ерлан Аккенженов", "Казахстан", "LOC", "министр энергетики"),
        ("Парвиз Октай оглы Шахбазов", "Азербайджан", "LOC", "министр энергетики"),
    }
    for fact in facts:
        assert seed_text[fact.subject.start : fact.subject.end] == fact.subject.text
        assert seed_text[fact.object.start : fact.object.end] == fact.object.text
        assert seed_text[fact.evidence.start : fact.evidence.end] == fact.evidence.text
