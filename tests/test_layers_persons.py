"""Persons: names put in the nominative and mentions of one person grouped."""

import pytest

from pipeline.layers.persons import name_mentions, name_normal, nominatives, persons
from pipeline.nlp.names import misread_person

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def people(nlp):
    """Text → [(person normal, [mention texts])] in text order."""

    def run(text: str):
        return [(p.normal, [m.text for m in p.mentions]) for p in persons(nlp(text))]

    return run


def test_instrumental_name_is_put_in_nominative(people):
    assert people("Вопрос обсуждался с Тимуром Сагинтаевым.") == [
        ("Тимур Сагинтаев", ["Тимуром Сагинтаевым"])
    ]


def test_feminine_surname_stays_feminine(people):
    assert people("Письмо подписано Айгуль Нургалиевой.")[0][0] == "Айгуль Нургалиева"


def test_soft_and_sibilant_stems_get_their_nominative_back(people):
    found = people("Протокол согласовали с Кемалем Акташем.")
    assert found == [("Кемаль Акташ", ["Кемалем Акташем"])]


def test_indeclinable_name_after_an_instrumental_post_stays_as_written(people):
    found = people("Переговоры прошли с министром транспорта Молдовы Андреем Спыну.")
    assert found == [("Андрей Спыну", ["Андреем Спыну"])]


def test_surname_alone_belongs_to_the_fullest_name(people):
    text = "Сергей Орлов открыл терминал. По словам Орлова, порт загружен. Орлов доволен."
    assert people(text) == [("Сергей Орлов", ["Сергей Орлов", "Орлова", "Орлов"])]


def test_azerbaijani_patronymic_keeps_ogly_and_father_name(people):
    text = "Соглашение подписал Эльчин Рамиз оглы Мамедов. Мамедов назвал его важным."
    assert people(text) == [
        ("Эльчин Рамиз оглы Мамедов", ["Эльчин Рамиз оглы Мамедов", "Мамедов"])
    ]


def test_fullest_name_in_oblique_case_names_the_person(people):
    text = "Губернатор встретился с Бахтиёром Рашидовым. Рашидов рассказал о планах."
    assert people(text)[-1] == ("Бахтиёр Рашидов", ["Бахтиёром Рашидовым", "Рашидов"])


def test_bracketed_original_spelling_is_not_part_of_the_name(nlp):
    doc = nlp("Об этом сказал Джоэл Саймон (Joel Simon) в интервью.")
    assert [m.text for m in name_mentions(doc)] == ["Джоэл Саймон"]


def test_name_keeps_its_own_spacing(nlp):
    doc = nlp("Заявил глава ассоциации Фил О’Рейли.")
    assert [name_normal(m) for m in name_mentions(doc)] == ["Фил О’Рейли"]


def test_one_word_may_stand_for_a_masculine_or_a_feminine_surname():
    assert {"исмаилов", "исмаилова"} <= nominatives("Исмаилова")


def test_name_after_an_animate_post_takes_its_case_not_a_homonyms(people):
    # «посол» is nominative here; its homonym «посол» (salting) could be accusative
    assert people("Посол Японии в Грузии Ясуру Накано прибыл в Тбилиси.") == [
        ("Ясуру Накано", ["Ясуру Накано"])
    ]


def test_name_after_a_post_of_two_possible_cases_takes_the_one_it_fits(people):
    text = "Газета цитирует директора по маркетингу компании Philips Елену Сабурову."
    assert people(text) == [("Елена Сабурова", ["Елену Сабурову"])]


@pytest.mark.parametrize(("text", "words", "misread"), [
    ("Между Арманом Сейтовым и Вахтангом Лордкипанидзе прошли переговоры.", (1, 3), True),
    ("Делегацию возглавила Ирина Берёзкина.", (2, 4), True),
    ("Вопрос обсудили с Русланом Ахметовым.", (3, 5), True),
    ("Офис находится на улице Ивана Франко.", (5, 7), False),
    ("Рейсы из Алма Ата отменены.", (2, 4), False),
    ("Рейс прибыл в Нижний Новгород.", (3, 5), False),
])
def test_place_or_organisation_that_is_a_first_name_and_a_surname_is_a_person(
        nlp, text, words, misread):
    doc = nlp.make_doc(text)
    assert misread_person(doc[words[0]:words[1]]) is misread
