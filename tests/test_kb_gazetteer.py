"""pipeline.kb.gazetteer: countries, organisations and routes by any of their names."""

import pytest

from pipeline.kb.gazetteer import GazetteerError, load_gazetteer
from pipeline.kb.names import plain_node, route_node


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


@pytest.mark.parametrize("name", ["Казахстан", "Республика Казахстан", "РК",
                                  "республика казахстан"])
def test_short_official_and_abbreviated_country_names_give_one_iso_code(gaz, name) -> None:
    assert gaz.country(name).key == "country:KZ"
    assert gaz.country(name).display == "Казахстан"


def test_every_country_of_pycountry_is_known_by_its_russian_name(gaz) -> None:
    assert gaz.country("Российская Федерация").display == "Россия"
    assert gaz.country("КНР").key == "country:CN"
    assert gaz.country("Исламская Республика Иран").key == "country:IR"  # stress mark dropped
    assert gaz.country("Мангистауская область") is None


def test_route_aliases_of_the_guidelines_table(gaz) -> None:
    cpc = "route:тенгиз–новороссийск"
    for alias in ("КТК", "Каспийский трубопроводный консорциум",
                  "трубопровод Тенгиз – Новороссийск"):
        assert gaz.canonical(route_node(alias, None)).key == cpc
    middle = gaz.canonical(route_node("Средний коридор", None))
    assert middle.display == "Транскаспийский международный транспортный маршрут"
    assert gaz.waypoints[middle.key] == []
    assert gaz.canonical(route_node("БТД", None)).key == "route:баку–тбилиси–джейхан"


def test_organisation_aliases_are_scoped_to_organisations(gaz) -> None:
    assert gaz.canonical(plain_node("org", "КТК")).display == "Каспийский трубопроводный консорциум"
    assert gaz.canonical(plain_node("org", "ЕАБР")).display == "Евразийский банк развития"


def test_a_user_file_adds_entries_and_changes_the_fingerprint(gaz) -> None:
    user = "organisations:\n  - {name: Каспий Ресерч, aliases: [КР Ресерч]}\n"
    extended = load_gazetteer([("user.yml", user)])
    assert extended.canonical(plain_node("org", "КР Ресерч")).display == "Каспий Ресерч"
    assert extended.fingerprint != gaz.fingerprint
    assert load_gazetteer().fingerprint == gaz.fingerprint


@pytest.mark.parametrize("content, message", [
    ("organisations: 5\n", "must be a list"),
    ("routes:\n  - {waypoints: [A, B]}\n", "has no name"),
    ("countries:\n  - {code: XX, name: Нигде}\n", "unknown ISO code XX"),
    ("[unclosed\n", "not a YAML gazetteer"),
])
def test_a_bad_user_file_is_named_with_the_reason(content, message) -> None:
    with pytest.raises(GazetteerError, match=message) as error:
        load_gazetteer([("mine.yml", content)])
    assert "mine.yml" in str(error.value)
