"""met_with: who met whom, where, at what forum and when, on sentences of our own."""

import pytest

from pipeline.extract import facts_of

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def meetings(nlp):
    """Text → [({person normal, person normal}, qualifiers)] in text order."""

    def run(text: str):
        facts = facts_of(nlp(text), "met_with")
        return [({f.subject.normal, f.object.normal}, f.qualifiers) for f in facts]

    return run


def test_talks_held_with_someone(meetings):
    text = ("Министр энергетики Кыргызстана Таалайбек Ибраев провел в Ташкенте переговоры с "
            "министром энергетики Узбекистана Журабеком Мирзамахмудовым.")
    assert meetings(text) == [
        ({"Таалайбек Ибраев", "Журабек Мирзамахмудов"}, {"place": "Ташкент"})
    ]


def test_met_with_someone(meetings):
    text = "Губернатор Омской области Виктор Ершов встретился во Владивостоке с Олегом Ветровым."
    assert meetings(text) == [({"Виктор Ершов", "Олег Ветров"}, {"place": "Владивосток"})]


def test_meeting_of_two_named_people(nlp):
    text = "В Бишкеке состоялась встреча Улана Сыдыкова и Нурлана Тулеева."
    (fact,) = facts_of(nlp(text), "met_with")
    assert (fact.subject.text, fact.subject.normal) == ("Улана Сыдыкова", "Улан Сыдыков")
    assert (fact.object.text, fact.object.normal) == ("Нурлана Тулеева", "Нурлан Тулеев")
    assert fact.qualifiers == {"place": "Бишкек"}
    assert fact.evidence.text == text


def test_three_people_give_three_pairs(meetings):
    text = ("В Актау встретились директор ТОО «Курык Порт» Бекзат Омаров, директор порта "
            "Алят Тофиг Гасымов и директор порта Туркменбаши Мекан Аннаев.")
    pairs = [pair for pair, _ in meetings(text)]
    assert sorted(map(sorted, pairs)) == sorted(map(sorted, [
        {"Бекзат Омаров", "Тофиг Гасымов"},
        {"Бекзат Омаров", "Мекан Аннаев"},
        {"Тофиг Гасымов", "Мекан Аннаев"},
    ]))


def test_meeting_of_posts_with_the_names_in_the_next_sentence(nlp):
    text = ("В Ереване прошла встреча министров транспорта Грузии и Армении. "
            "Леван Кобахидзе и Ашот Мартиросян обсудили график поездов.")
    (fact,) = facts_of(nlp(text), "met_with")
    assert {fact.subject.normal, fact.object.normal} == {"Леван Кобахидзе", "Ашот Мартиросян"}
    assert fact.qualifiers == {"place": "Ереван"}
    assert fact.evidence.text == text


def test_people_who_discussed_in_the_course_of_a_meeting(meetings):
    text = ("В ходе встречи в Анкаре Мехмет Озтюрк и Рашад Набиев обсудили поставки газа.")
    assert meetings(text) == [({"Мехмет Озтюрк", "Рашад Набиев"}, {"place": "Анкара"})]


def test_forum_and_full_date_of_the_meeting(meetings):
    text = ("12 мая 2024 года в рамках форума Caspian Oil Week – 2024 Фарид Алиев провел "
            "переговоры с Асетом Магауовым.")
    assert meetings(text) == [({"Фарид Алиев", "Асет Магауов"},
                               {"event": "Caspian Oil Week – 2024", "date": "2024-05-12"})]


def test_forum_named_by_adjectives_is_put_in_nominative(meetings):
    text = ("Рустам Азимов встретился с Сергеем Пановым на полях Ташкентского "
            "международного инвестиционного форума.")
    (found,) = meetings(text)
    assert found[1]["event"] == "Ташкентский международный инвестиционный форум"


def test_dateline_date_is_not_the_meeting_date(meetings):
    text = ("Новости\n\nАстана, 3 марта 2024 года. Болат Акчулаков встретился в Астане "
            "с Джоном Смитом.")
    assert meetings(text) == [({"Болат Акчулаков", "Джон Смит"}, {"place": "Астана"})]


def test_people_merely_named_together_did_not_meet(meetings):
    assert meetings("Ранее о расширении порта говорили Анатолий Гришков и Павел Зуйков.") == []


def test_planned_meeting_gives_nothing(meetings):
    assert meetings("Следующая встреча Улана Сыдыкова и Нурлана Тулеева пройдет осенью.") == []
    assert meetings("Улан Сыдыков и Нурлан Тулеев встретятся в Бишкеке в мае.") == []


def test_someone_who_did_not_take_part_did_not_meet(meetings):
    text = ("Виктор Ершов встретился с Олегом Ветровым. В переговорах не участвовал "
            "губернатор Омской области Игорь Лебедко.")
    assert meetings(text) == [({"Виктор Ершов", "Олег Ветров"}, {})]


def test_host_receiving_a_guest(meetings):
    text = "Эмомали Саидов принимает в своей резиденции коллегу из Казахстана Арыстана Нуриева."
    assert [pair for pair, _ in meetings(text)] == [{"Эмомали Саидов", "Арыстан Нуриев"}]


def test_people_who_meet_in_a_relative_clause(meetings):
    text = ("Спор решат глава компании «Энергоресурс» Алексей Милов и министр энергетики "
            "Белоруссии Андрей Озеров, которые сегодня встречаются в Минске.")
    assert [pair for pair, _ in meetings(text)] == [{"Алексей Милов", "Андрей Озеров"}]


def test_seed_document_meeting(nlp, seed_text):
    facts = facts_of(nlp(seed_text), "met_with")
    assert [({f.subject.normal, f.object.normal}, f.qualifiers) for f in facts] == [(
        {"Ерлан Аккенженов", "Парвиз Октай оглы Шахбазов"},
        {"place": "Астана", "event": "Kazenergy Week – 2025"},
    )]
    (fact,) = facts
    assert seed_text[fact.evidence.start : fact.evidence.end] == fact.evidence.text


def test_talked_with_someone(meetings):
    text = "Директор завода Павел Синицын беседовал в Казани с губернатором Олегом Ремизовым."
    assert meetings(text) == [({"Павел Синицын", "Олег Ремизов"}, {"place": "Казань"})]


def test_talks_where_people_took_part_give_every_pair(meetings):
    text = ("В Самаре прошли переговоры, в которых приняли участие Игорь Лаптев, "
            "Андрей Котов и Сергей Гусев.")
    pairs = [pair for pair, _ in meetings(text)]
    assert sorted(map(sorted, pairs)) == sorted(map(sorted, [
        {"Игорь Лаптев", "Андрей Котов"}, {"Игорь Лаптев", "Сергей Гусев"},
        {"Андрей Котов", "Сергей Гусев"},
    ]))


def test_one_who_also_took_part_joins_the_people_of_the_sentence_before(meetings):
    text = ("Игорь Лаптев и Андрей Котов обсудили в Самаре ремонт моста. "
            "Во встрече также принял участие Сергей Гусев.")
    pairs = [pair for pair, _ in meetings(text)]
    assert len(pairs) == 3
    assert {"Игорь Лаптев", "Сергей Гусев"} in pairs
    assert all(qualifiers == {"place": "Самара"} for _, qualifiers in meetings(text))


def test_discussed_with_someone_at_the_place_visited(meetings):
    text = ("Инженер Павел Синицын посетил Казань, где обсудил с Олегом Ремизовым "
            "строительство дороги.")
    assert meetings(text) == [({"Павел Синицын", "Олег Ремизов"}, {"place": "Казань"})]


def test_discussed_by_phone_is_no_meeting(meetings):
    text = "Павел Синицын обсудил по телефону с Олегом Ремизовым строительство дороги."
    assert meetings(text) == []
