"""pipeline.kb.names: the keys that decide which names are one entity."""

from pipeline.kb.names import (
    organisation_name,
    person_node,
    plain_node,
    route_node,
    slug,
    split_abbreviation,
)


def test_legal_forms_and_quotes_are_not_part_of_an_organisation_name() -> None:
    assert organisation_name("ПАО «Газпром»") == "Газпром"
    assert organisation_name("АО «НК «КазМунайГаз»") == "КазМунайГаз"
    assert plain_node("org", "ПАО «Газпром»").key == plain_node("org", "Газпром").key


def test_a_descriptor_is_dropped_only_before_a_quoted_name() -> None:
    assert organisation_name("национальная компания «Казахстан темир жолы»") == \
        "Казахстан темир жолы"
    assert organisation_name("Азиатский банк развития") == "Азиатский банк развития"
    assert organisation_name("Компания Север") == "Компания Север"


def test_a_trailing_abbreviation_in_brackets_is_split_off() -> None:
    assert split_abbreviation("Евразийский банк развития (ЕАБР)") == (
        "Евразийский банк развития", "ЕАБР")
    assert plain_node("org", "Евразийский банк развития (ЕАБР)").key == \
        "org:евразийский_банк_развития"
    assert split_abbreviation("Завод (новый)") == ("Завод (новый)", None)


def test_persons_are_keyed_by_first_name_and_surname_without_patronymic() -> None:
    assert person_node("Эльвин Рауф оглы Гусейнзаде", "a").key == "per:эльвин_гусейнзаде"
    assert person_node("Ержан Нурланович Кудайбергенов", "a").key == \
        person_node("Ержан Кудайбергенов", "b").key
    assert person_node("Марина Ковалёва", "a").key == person_node("Марина Ковалева", "b").key


def test_a_surname_or_initials_alone_stays_in_its_document() -> None:
    surname = person_node("Нуриев", "doc1.txt")
    initials = person_node("А. Нуриев", "doc1.txt")
    assert surname.partial and initials.partial
    assert surname.key == "per:нуриев@doc1.txt"
    assert person_node("Нуриев", "doc2.txt").key != surname.key


def test_routes_are_keyed_by_their_waypoints_whatever_the_dash() -> None:
    keys = {route_node(name, None).key for name in
            ("Баку – Тбилиси – Джейхан", "Баку—Тбилиси—Джейхан", "Баку - Тбилиси - Джейхан")}
    assert keys == {"route:баку–тбилиси–джейхан"}
    assert route_node("Сурхан – Пули-Хумри", None).key == "route:сурхан–пули-хумри"
    assert route_node("x", ["Тенгиз", "Новороссийск"]).display == "Тенгиз – Новороссийск"
    assert route_node("«Сила Сибири»", []).key == "route:сила_сибири"


def test_slug_is_case_and_yo_insensitive() -> None:
    assert slug("Белозёров ИГОРЬ") == slug("белозеров игорь") == "белозеров_игорь"
