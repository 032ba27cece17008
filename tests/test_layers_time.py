"""The document's date (metadata or dateline) and the years sentences speak of."""

from datetime import date

import pytest
import spacy

from pipeline.layers.time import dateline_date, document_date, find_years, parse_iso
from pipeline.lexicon import words_of

TITLE = "Порты Каспия нарастили перевалку\n\n"


@pytest.fixture(scope="module")
def blank():
    return spacy.blank("ru")


@pytest.mark.parametrize(
    ("dateline", "expected"),
    [
        ("Актау, 9 октября 2023 года. Аким области провел встречу.", date(2023, 10, 9)),
        ("АСТРАХАНЬ, 21 мая 2024 г. Губернатор встретился с консулом.", date(2024, 5, 21)),
        ("Нур-Султан, 2 декабря 2021 года. Текст.", date(2021, 12, 2)),
        ("07.11.2022 Министры обсудили транзит.", date(2022, 11, 7)),
    ],
)
def test_dateline_after_the_title(dateline, expected):
    assert dateline_date(TITLE + dateline) == expected


def test_a_date_inside_the_text_is_not_a_dateline():
    text = TITLE + "Стороны договорились встретиться 14 марта 2025 года в Баку."
    assert dateline_date(text) is None


def test_a_dateline_in_the_middle_of_the_text_is_ignored():
    body = "".join(f"Абзац номер {n}.\n\n" for n in range(8))
    text = TITLE + body + "Баку, 3 апреля 2024 года. Текст.\n\n" + body
    assert dateline_date(text) is None


def test_a_press_release_closing_date_line_is_read():
    body = "".join(f"Абзац номер {n}.\n\n" for n in range(8))
    assert dateline_date(TITLE + body + "Пресс-служба\n3 апреля 2024 года") == date(2024, 4, 3)


def test_metadata_date_wins_over_the_dateline(blank):
    doc = blank(TITLE + "Актау, 9 октября 2023 года. Текст.")
    assert document_date(doc) == date(2023, 10, 9)
    doc._.date = "2024-01-15"
    assert document_date(doc) == date(2024, 1, 15)


def test_unreadable_metadata_date_falls_back_on_the_dateline(blank):
    doc = blank(TITLE + "Актау, 9 октября 2023 года. Текст.")
    doc._.date = "не дата"
    assert document_date(doc) == date(2023, 10, 9)
    assert parse_iso("2024-02-29T10:00:00") == date(2024, 2, 29)


def years(text: str, today: date | None = None) -> list[tuple[str, int | None, bool]]:
    words = words_of(text)
    return [(" ".join(words[y.start:y.end]), y.year, y.horizon)
            for y in find_years(words, today=today)]


def test_explicit_years_and_plan_horizons():
    assert years("В 2022 году перевезли 2 млн тонн, а к 2026 году планируют 3 млн") == [
        ("2022 году", 2022, False),
        ("к 2026 году", 2026, True),
    ]


def test_years_with_abbreviated_year_word_and_genitive():
    assert years("по итогам 2021 г. и за 2022 год") == [
        ("2021 г .", 2021, False),
        ("2022 год", 2022, False),
    ]


def test_relative_years_need_the_document_date():
    text = "в прошлом году и в текущем году, а в следующем году"
    assert [y for _, y, _ in years(text, date(2024, 6, 1))] == [2023, 2024, 2025]
    assert [y for _, y, _ in years(text)] == [None, None, None]


def test_relative_years_in_any_case():
    assert years("по итогам минувшего года", date(2025, 2, 1)) == [("минувшего года", 2024, False)]


def test_a_full_date_is_not_a_year_mention():
    assert years("ТАШКЕНТ, 20 января 2025 г. В 2024 году") == [("2024 году", 2024, False)]


def test_a_month_and_year_is_a_year_mention():
    assert years("в марте 2024 года") == [("2024 года", 2024, False)]


@pytest.mark.parametrize(("text", "expected"), [
    ("В прошлом году перевезено 4,6 млн т, в позапрошлом – 3,9 млн т.", [2024, 2023]),
    ("В прошлом году ушло 14,2 млн т — против 12,9 млн т в позапрошлом.", [2024, 2023]),
    ("В 2025 году отгрузки выросли, а в прошлом, по данным оператора, упали.", [2025, 2024]),
    ("В прошлом, как и сейчас, линия работала на экспорт.", []),
    ("В 2024 году министр говорил о прошлом.", [2024]),
])
def test_a_relative_year_without_its_year_word_follows_a_year_of_its_sentence(text, expected):
    assert [y for _, y, _ in years(text, date(2025, 3, 1))] == expected


def test_a_year_told_from_an_earlier_one_is_not_the_anchor_of_the_next():
    text = "В 2024 году прокачано 10,9 млн т, годом ранее — 10,6 млн т; в отчетном году — рекорд."
    assert [y for _, y, _ in years(text)] == [2024, 2023, 2024]
