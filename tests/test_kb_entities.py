"""pipeline.kb.entities: names to nodes, and the evidence within a document that joins them."""

import pytest

from pipeline.kb.entities import definitions, document_edges, mention_node, spells
from pipeline.kb.gazetteer import load_gazetteer
from pipeline.kb.records import Mention


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def test_organisations_and_countries_resolve_through_the_gazetteer(gaz) -> None:
    assert mention_node(Mention("РФ", "РФ", "LOC"), "d", gaz).key == "country:RU"
    assert mention_node(Mention(None, "Российская Федерация", "ORG"), "d", gaz).key == \
        "country:RU"
    assert mention_node(Mention(None, "Актау", "LOC"), "d", gaz).key == "place:актау"
    assert mention_node(Mention(None, "ПАО «Газпром»", "ORG"), "d", gaz).key == "org:газпром"
    assert mention_node(Mention("КТК", "КТК", "ROUTE"), "d", gaz).key == \
        "route:тенгиз–новороссийск"


@pytest.mark.parametrize("words, abbreviation", [
    (["Евразийский", "банк", "развития"], "ЕАБР"),
    (["«КазМунайГаз»"], "КМГ"),
    (["Министерство", "энергетики", "и", "природных", "ресурсов"], "МЭПР"),
])
def test_an_abbreviation_is_spelled_by_its_long_form(words, abbreviation) -> None:
    assert spells(abbreviation, words)


def test_definitions_in_a_text_are_found() -> None:
    text = ("Кредитором выступит Евразийский банк развития (ЕАБР). Оператором станет "
            "Каспийская логистическая компания (КЛК), а не (ООН).")
    assert definitions(text) == [("Евразийский банк развития", "ЕАБР"),
                                 ("Каспийская логистическая компания", "КЛК")]


def test_an_abbreviation_used_or_defined_in_a_document_joins_its_full_name(gaz) -> None:
    full = Mention("Каспийская логистическая компания", "Каспийская логистическая компания",
                   "ORG")
    pairs = [(full, mention_node(full, "d", gaz))]
    nodes, edges = document_edges("d", pairs, "… и Каспийская логистическая компания (КЛК).",
                                  gaz)
    assert [n.key for n in nodes] == ["org:клк"]
    assert edges == [("org:каспийская_логистическая_компания", "org:клк", "definition")]
    used = Mention("КЛК", "Каспийская логистическая компания", "ORG")
    _, edges = document_edges("d", [(used, mention_node(used, "d", gaz))], None, gaz)
    assert edges == [("org:каспийская_логистическая_компания", "org:клк", "alias")]


def test_a_surname_joins_the_one_full_name_of_its_document_that_fits(gaz) -> None:
    def person(name: str, doc: str = "d"):
        mention = Mention(name, name, "PER")
        return mention, mention_node(mention, doc, gaz)

    _, edges = document_edges("d", [person("Нурлан Сапаров"), person("Сапаров"),
                                    person("Н. Сапаров")], None, gaz)
    assert sorted(edges) == [("per:н._сапаров@d", "per:нурлан_сапаров", "surname"),
                             ("per:сапаров@d", "per:нурлан_сапаров", "surname")]
    _, edges = document_edges("d", [person("Нурлан Сапаров"), person("Ерлан Сапаров"),
                                    person("Сапаров")], None, gaz)
    assert edges == []  # two full names fit: the surname stays on its own
