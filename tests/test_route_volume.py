"""route_volume: routes, volumes, years, plan/actual and commodity, on sentences of our own."""

import pytest

from pipeline.api import make_doc
from pipeline.extract import facts_of
from pipeline.layers.routes import split_waypoints

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def volumes(nlp):
    """Text (and optional ISO date) → [(waypoints or route normal, value, unit, year, status,
    commodity)]."""

    def run(text: str, doc_date: str | None = None):
        doc = nlp(make_doc(nlp, text, doc_date))
        result = []
        for fact in facts_of(doc, "route_volume"):
            route = tuple(fact.subject.waypoints) or fact.subject.normal
            q = fact.qualifiers
            result.append((route, fact.object.value, fact.object.unit, q["year"], q["status"],
                           q["commodity"]))
        return result

    return run


def test_seed_document_route_volumes(nlp, seed_text):
    facts = facts_of(nlp(seed_text), "route_volume")
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


@pytest.mark.parametrize("dash", [" – ", "–", "—", " — ", "-", " - "])
def test_any_dash_between_waypoints(volumes, dash):
    text = f"В 2022 году по нефтепроводу Омск{dash}Павлодар прокачали 5,4 млн тонн нефти."
    assert volumes(text) == [(("Омск", "Павлодар"), 5_400_000, "t", 2022, "actual", "нефть")]


def test_hyphenated_place_names_stay_whole():
    assert split_waypoints("Хайратон – Мазари-Шариф") == ("Хайратон", "Мазари-Шариф")
    assert split_waypoints("Самсун-Новороссийск") == ("Самсун", "Новороссийск")


def test_two_word_place_name(volumes):
    text = "В 2021 году по газопроводу Средняя Азия – Центр поставлено 4 млрд кубометров газа."
    assert volumes(text)[0][0] == ("Средняя Азия", "Центр")


def test_route_noun_before_the_chain_is_not_a_waypoint(volumes):
    text = "Маршрут Поти – Констанца в 2022 году обеспечил перевозку 150 тыс. тонн грузов."
    assert volumes(text) == [(("Поти", "Констанца"), 150_000, "t", 2022, "actual", None)]


def test_abbreviation_of_an_operator_stands_for_its_route(volumes):
    text = ("Каспийский трубопроводный консорциум (КТК) эксплуатирует нефтепровод Тенгиз – "
            "Новороссийск. В 2022 году по КТК прокачано 58,7 млн тонн нефти.")
    assert volumes(text) == [
        (("Тенгиз", "Новороссийск"), 58_700_000, "t", 2022, "actual", "нефть")
    ]


def test_operator_route_given_by_the_ends_it_connects(volumes):
    text = ("Нефть поступает в систему Каспийского трубопроводного консорциума (КТК), "
            "соединяющую Тенгиз с Новороссийском. В 2022 году по КТК экспортировано "
            "120 млн баррелей.")
    assert volumes(text)[0][:3] == (("Тенгиз", "Новороссийск"), 120_000_000, "bbl")


def test_abbreviation_after_a_chain(volumes):
    text = ("Нефтепровод Баку – Тбилиси – Джейхан (БТД) работает стабильно. "
            "В 2022 году по БТД прокачали два миллиона тонн нефти.")
    assert volumes(text) == [
        (("Баку", "Тбилиси", "Джейхан"), 2_000_000, "t", 2022, "actual", "нефть")
    ]


def test_route_known_only_by_name_has_no_waypoints(volumes):
    text = ("Министры обсудили Транскаспийский маршрут, или Средний коридор. "
            "В 2022 году по Среднему коридору перевезли 1,5 млн тонн грузов.")
    assert volumes(text) == [("Транскаспийский маршрут", 1_500_000, "t", 2022, "actual", None)]


def test_named_pipeline_with_abbreviation(volumes):
    text = ("По Трансанатолийскому газопроводу (TANAP) в 2022 году поставлено 11 млрд "
            "кубометров газа. В 2023 году прокачка по TANAP ожидается на уровне 12 млрд "
            "кубометров.")
    assert volumes(text) == [
        ("Трансанатолийский газопровод", 11e9, "m3", 2022, "actual", "газ"),
        ("Трансанатолийский газопровод", 12e9, "m3", 2023, "planned", "газ"),
    ]


def test_abbreviation_after_a_route_noun(volumes):
    text = "Экспорт по газопроводу TAP в 2022 году составил 10 млрд кубометров газа."
    assert volumes(text) == [("TAP", 1e10, "m3", 2022, "actual", "газ")]


def test_pipeline_named_in_quotes(volumes):
    text = "В 2022 году по нефтепроводу «Дружба» в Польшу поставлено 3,1 млн тонн нефти."
    assert volumes(text) == [("Дружба", 3_100_000, "t", 2022, "actual", "нефть")]


def test_number_words(volumes):
    text = ("В 2021 году по маршруту Оля – Энзели было перевезено полтора миллиона тонн "
            "зерна, а в 2022 году ожидается рост до двух миллионов тонн.")
    assert [(v, s) for _, v, _, _, s, _ in volumes(text)] == [
        (1_500_000, "actual"), (2_000_000, "planned")
    ]


def test_per_day_volume(volumes):
    text = ("В 2022 году по нефтепроводу Атасу – Алашанькоу прокачивали в среднем 280 тыс. "
            "баррелей в сутки.")
    assert volumes(text)[0][1:3] == (280_000, "bbl/d")


def test_electricity_in_kilowatt_hours(volumes):
    text = ("В 2022 году по линии электропередачи Экибастуз – Алматы передали 3,2 млрд кВт·ч.")
    assert volumes(text) == [
        (("Экибастуз", "Алматы"), 3.2e9, "kWh", 2022, "actual", "электроэнергия")
    ]


def test_actual_and_planned_in_one_sentence(volumes):
    text = ("В 2022 году по маршруту Курык – Алят было перевезено 250 тыс. тонн грузов, "
            "а к 2025 году этот объем планируется довести до 600 тыс. тонн.")
    assert [(v, y, s) for _, v, _, y, s, _ in volumes(text)] == [
        (250_000, 2022, "actual"), (600_000, 2025, "planned")
    ]


@pytest.mark.parametrize(
    ("clause", "status"),
    [
        ("планируется перевезти", "planned"),
        ("ожидается перевезти", "planned"),
        ("по прогнозу, будет перевезено", "planned"),
        ("стороны намерены перевезти", "planned"),
        ("компания рассчитывает перевезти", "planned"),
        ("перевезут", "planned"),
        ("было перевезено", "actual"),
        ("перевезли", "actual"),
        ("объем перевозок составил", "actual"),
    ],
)
def test_plan_and_actual_cues(volumes, clause, status):
    text = f"В 2023 году по маршруту Актау – Махачкала {clause} 400 тыс. тонн грузов."
    assert volumes(text)[0][4] == status


def test_year_by_the_end_of_a_plan(volumes):
    text = "К 2030 году по маршруту Термез – Пешавар планируется перевозить 8 млн тонн грузов."
    assert volumes(text)[0][3:5] == (2030, "planned")


def test_relative_years_from_the_dateline(volumes):
    text = ("Транзит через Каспий растет\n\nАктау, 12 февраля 2024 года. В прошлом году по "
            "маршруту Актау – Баку было перевезено 1,2 млн тонн нефти. В текущем году объем "
            "перевозок планируется увеличить до 1,4 млн тонн.")
    assert [(y, s) for *_, y, s, _ in volumes(text)] == [(2023, "actual"), (2024, "planned")]


def test_relative_years_from_the_document_date(volumes):
    text = "В прошлом году по маршруту Актау – Баку было перевезено 1,2 млн тонн нефти."
    assert volumes(text, "2025-03-01")[0][3] == 2024
    assert volumes(text)[0][3] is None


def test_year_of_the_previous_sentence_in_the_paragraph(volumes):
    text = ("В 2022 году по нефтепроводу Атырау – Самара прокачали 15 млн тонн нефти. "
            "Среднесуточная прокачка составила около 41 тыс. тонн в сутки.")
    assert volumes(text)[1][1:4] == (41_000, "t/d", 2022)


def test_plan_without_a_year(volumes):
    text = ("В 2022 году по маршруту Актау – Баку перевезли 1 млн тонн нефти, а в перспективе "
            "— до 3 млн тонн в год.")
    assert volumes(text)[1][1:5] == (3_000_000, "t", None, "planned")


def test_volume_after_an_abbreviation_full_stop(volumes):
    text = ("В 2022 году по линии Казахстан – Узбекистан передано 1,1 млрд кВт·ч. Кроме того, "
            "по маршруту Россия – Казахстан – Кыргызстан в 2022 году передано 700 млн кВт·ч.")
    assert [(r, v, s) for r, v, _, _, s, _ in volumes(text)] == [
        (("Казахстан", "Узбекистан"), 1.1e9, "actual"),
        (("Россия", "Казахстан", "Кыргызстан"), 7e8, "actual"),
    ]


def test_a_total_before_a_share_of_the_route_is_not_the_routes(volumes):
    text = ("В 2023 году через порт Актау отгружено 3 млн тонн нефти, из них по маршруту "
            "Актау – Баку – Джейхан — 1,2 млн тонн.")
    assert [v for _, v, *_ in volumes(text)] == [1_200_000]


def test_year_after_a_month(volumes):
    text = "В марте 2024 года по маршруту Актау – Баку перевезли 120 тыс. тонн нефти."
    assert volumes(text)[0][3] == 2024


def test_volume_refers_to_the_last_route_mentioned(volumes):
    text = ("Маршрут Актау – Махачкала важен для региона. В 2022 году по этому направлению "
            "перевезли 300 тыс. тонн грузов.")
    assert volumes(text) == [(("Актау", "Махачкала"), 300_000, "t", 2022, "actual", None)]


def test_volume_in_a_later_paragraph_needs_a_reference_to_the_route(volumes):
    text = ("В 2022 году по маршруту Актау – Баку перевезли 1 млн тонн нефти.\n\n"
            "Власти отмечают рост отрасли. В целом экспорт нефти в 2022 году составил 64 млн "
            "тонн.\n\nВ 2023 году прокачка по этому маршруту ожидается на уровне 1,2 млн тонн.")
    assert [v for _, v, *_ in volumes(text)] == [1_000_000, 1_200_000]


def test_commodity_carried_over_to_later_volumes_of_the_route(volumes):
    text = ("В 2022 году по маршруту Актау – Баку перевезли 1 млн тонн нефти. "
            "В 2023 году по этому маршруту ожидается 1,3 млн тонн.")
    assert [c for *_, c in volumes(text)] == ["нефть", "нефть"]


def test_route_kind_implies_the_commodity(volumes):
    text = "В 2022 году по газопроводу Бейнеу – Шымкент поставили 9 млрд кубометров."
    assert volumes(text)[0][5] == "газ"


@pytest.mark.parametrize(
    "sentence",
    [
        "В 2022 году перевозки по маршруту Актау – Баку выросли на 15%.",
        "Нефтепровод Атасу – Алашанькоу мощностью 20 млн тонн в год загружен наполовину.",
        "Пропускная способность маршрута Актау – Баку в 2022 году достигла 5 млн тонн в год.",
        "Тариф на прокачку по маршруту Актау – Баку в 2022 году составил 9 долларов за тонну.",
        "Цена газа на маршруте Бухара – Урал составила 200 долларов за тысячу кубометров.",
        "Выручка от транзита по маршруту Актау – Баку в 2022 году составила 2 млрд тенге.",
        "В 2022 году перевозки по маршруту Актау – Баку выросли на 1 млн тонн.",
        "Танкеры дедвейтом 8 тыс. тонн работают на маршруте Актау – Баку.",
    ],
)
def test_percentages_capacities_prices_and_money_are_not_volumes(volumes, sentence):
    assert volumes(sentence) == []


def test_production_next_to_a_route_is_not_its_volume(volumes):
    text = ("Маршрут Актау – Баку важен для экспорта. Добыча нефти в 2022 году составила "
            "85 млн тонн.")
    assert volumes(text) == []


def test_route_without_a_volume_gives_no_fact(volumes):
    text = "Направление Баку – Супса сохраняется как резервное и почти не загружено."
    assert volumes(text) == []


def test_chain_without_a_route_noun_is_not_a_route(volumes):
    text = "На блоке Азери – Чираг – Гюнешли в 2022 году добыто и отгружено 20 млн тонн нефти."
    assert volumes(text) == []


def test_mentions_point_into_the_text(nlp):
    text = "В 2022 году по маршруту Актау–Баку перевезли 1 млн тонн нефти."
    [fact] = facts_of(nlp(text), "route_volume")
    assert text[fact.subject.start:fact.subject.end] == fact.subject.text == "Актау–Баку"
    assert fact.subject.normal == "Актау – Баку"
    assert text[fact.object.start:fact.object.end] == fact.object.text == "1 млн тонн"
    assert text[fact.evidence.start:fact.evidence.end] == fact.evidence.text
