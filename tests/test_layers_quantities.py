"""Quantity parsing: numbers, scale words and units of volume, without the NLP models."""

import pytest

from pipeline.layers.quantities import find_quantities, parse_quantity
from pipeline.lexicon import Phrases, words_of


def quantity(text: str) -> tuple[float, str] | None:
    found = parse_quantity(text)
    return (found.value, found.unit) if found else None


def test_decimal_comma_and_scale_word():
    assert quantity("перевезли 2,75 миллиона тонн руды") == (2_750_000, "t")


def test_decimal_point_is_read_too():
    assert quantity("около 4.5 млн тонн") == (4_500_000, "t")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("полтора миллиона тонн", 1_500_000),
        ("полутора миллионов тонн", 1_500_000),
        ("два миллиона тонн", 2_000_000),
        ("до трех миллионов тонн", 3_000_000),
        ("одного миллиона тонн", 1_000_000),
        ("двадцать пять тысяч тонн", 25_000),
    ],
)
def test_number_words(text, value):
    assert quantity(text) == (value, "t")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("480 тыс. тонн", (480_000, "t")),
        ("6,2 млн т", (6_200_000, "t")),
        ("12 млрд кубометров", (12_000_000_000, "m3")),
        ("3,4 млрд куб. м", (3_400_000_000, "m3")),
        ("75 млн баррелей", (75_000_000, "bbl")),
        ("850 млн кВт·ч", (850_000_000, "kWh")),
        ("2 ГВт·ч", (2_000_000, "kWh")),
    ],
)
def test_scale_abbreviations_and_units_in_base_units(text, expected):
    assert quantity(text) == expected


def test_per_day_volumes_get_a_per_day_unit():
    assert quantity("в среднем 310 тыс. баррелей в сутки") == (310_000, "bbl/d")
    assert quantity("36 тыс. тонн в сутки") == (36_000, "t/d")


def test_per_day_after_the_goods():
    assert quantity("390 тыс. баррелей казахстанской нефти в сутки") == (390_000, "bbl/d")


def test_per_year_rate_keeps_the_plain_unit():
    assert quantity("до 3,3 млн тонн в год") == (3_300_000, "t")


def test_digit_groups_separated_by_spaces():
    assert quantity("отгружено 14 500 тонн") == (14_500, "t")


@pytest.mark.parametrize(
    "text",
    ["на 12%", "мощностью 900 МВт", "протяженностью 1,2 тыс. км", "4,1 млрд долларов",
     "45 долларов за тонну", "300 долларов за тысячу кубометров", "в 2023 году"],
)
def test_other_numbers_are_not_volumes(text):
    assert parse_quantity(text) is None


def test_electricity_units_imply_the_commodity():
    assert parse_quantity("1,3 млрд кВт·ч").commodity == "электроэнергия"
    assert parse_quantity("1,3 млн тонн").commodity is None


def test_normal_form_has_no_exponent_or_trailing_zeros():
    assert parse_quantity("35,2 млрд кубометров").normal == "35200000000 m3"
    assert parse_quantity("1,06 миллиона тонн").normal == "1060000 t"


def test_word_positions_cover_the_whole_quantity():
    words = words_of("В 2023 году перевезено 590 тыс. баррелей в сутки нефти")
    [found] = find_quantities(words)
    assert words[found.start:found.end] == ["590", "тыс", ".", "баррелей", "в", "сутки"]


def test_phrases_match_any_inflection_of_a_lexicon_entry():
    units = Phrases.of("units", "units")
    forms = [frozenset({"кубических", "кубический"}), frozenset({"метров", "метр"})]
    assert units.match(forms, 0) == (2, "m3 1")
