"""project_participant: project names, participant lists and roles, on sentences of our own."""

import pytest

from pipeline.extract import facts_of

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def participants(nlp):
    """Text → [(project normal, participant normal, role)] in text order."""

    def run(text: str):
        return [(f.subject.normal, f.object.normal, f.qualifiers.get("role"))
                for f in facts_of(nlp(text), "project_participant")]

    return run


def test_seed_document_project_participants(nlp, seed_text):
    facts = facts_of(nlp(seed_text), "project_participant")
    project = "Каспийский зеленый энергетический коридор"
    assert {(f.subject.normal, f.object.normal, f.object.type, f.qualifiers.get("role"))
            for f in facts} == {
        (project, country, "LOC", "системный оператор")
        for country in ("Казахстан", "Азербайджан", "Узбекистан")
    }
    assert {f.subject.text for f in facts} == {"Каспийского зеленого энергетического коридора"}


def test_joint_venture_of_the_project_named_before(participants):
    text = ("Министры обсудили проект Центральноазиатского энергетического кольца. Стороны "
            "создали совместное предприятие с участием системных операторов Таджикистана и "
            "Кыргызстана.")
    assert participants(text) == [
        ("Центральноазиатское энергетическое кольцо", "Таджикистан", "системный оператор"),
        ("Центральноазиатское энергетическое кольцо", "Кыргызстан", "системный оператор"),
    ]


def test_participants_became(participants):
    text = "Участниками проекта Транскаспийского газопровода стали Туркменистан и Азербайджан."
    assert participants(text) == [
        ("Транскаспийский газопровод", "Туркменистан", None),
        ("Транскаспийский газопровод", "Азербайджан", None),
    ]


def test_consortium_members_with_quoted_and_latin_names(participants):
    text = ("В консорциум по строительству нефтеперерабатывающего завода «Шымкент-2» вошли "
            "компании «КазМунайГаз» и китайская Sinopec.")
    assert participants(text) == [
        ("Шымкент-2", "КазМунайГаз", None), ("Шымкент-2", "Sinopec", None)
    ]


def test_consortium_for_an_unnamed_object_keeps_the_whole_phrase(participants):
    text = ("В консорциум по строительству третьей нитки газопровода Бейнеу – Шымкент вошли "
            "компании QazaqGaz и PetroChina.")
    assert [p for _, p, _ in participants(text)] == ["QazaqGaz", "PetroChina"]
    assert participants(text)[0][0] == "третья нитка газопровода Бейнеу – Шымкент"


def test_project_implemented_by(participants):
    text = "Проект строительства Рогунской ГЭС реализуют Таджикистан и Узбекистан."
    assert participants(text) == [
        ("Рогунская ГЭС", "Таджикистан", None), ("Рогунская ГЭС", "Узбекистан", None)
    ]


def test_implementers_before_the_verb(participants):
    text = "Казахстан и Китай реализуют проект Западного газопровода."
    assert participants(text) == [
        ("Западный газопровод", "Казахстан", None), ("Западный газопровод", "Китай", None)
    ]


def test_company_joined_the_project(participants):
    text = "К проекту «Арктик СПГ 2» присоединилась японская компания Mitsui."
    assert participants(text) == [("Арктик СПГ 2", "Mitsui", None)]


def test_latin_project_name(participants):
    text = "Участниками проекта CASA-1000 являются Таджикистан и Пакистан."
    assert [p for p, _, _ in participants(text)] == ["CASA-1000", "CASA-1000"]


def test_a_role_for_each_participant(participants):
    text = ("Крупнейшим объектом станет ветроэлектростанция «Мирный». В этом проекте "
            "инвестором выступает компания ACWA Power, а генеральным подрядчиком — China "
            "Energy.")
    assert participants(text) == [
        ("Мирный", "ACWA Power", "инвестор"),
        ("Мирный", "China Energy", "генеральный подрядчик"),
    ]


def test_roles_given_by_order_after_the_list(participants):
    text = ("Проект солнечной электростанции «Сангачал» реализуют компании Masdar и "
            "«Азерэнержи»: первая выступает инвестором, вторая станет оператором станции.")
    assert participants(text) == [
        ("Сангачал", "Masdar", "инвестор"), ("Сангачал", "Азерэнержи", "оператор")
    ]


def test_role_before_the_cue_with_the_project_between(participants):
    text = "Оператором проекта «Шах-Дениз» выступает компания bp."
    assert participants(text) == [("Шах-Дениз", "bp", "оператор")]


def test_shares_in_parentheses_do_not_end_the_list(participants):
    text = "Акционерами проекта «Кашаган» являются КазМунайГаз (16,9%), Eni (16,8%) и Shell."
    assert [p for _, p, _ in participants(text)] == ["КазМунайГаз", "Eni", "Shell"]


def test_implemented_by_one_together_with_another(participants):
    text = "Проект «Жанаозен-Ветер» реализуется компанией Total совместно с «Самрук-Энерго»."
    assert [p for _, p, _ in participants(text)] == ["Total", "Самрук-Энерго"]


def test_project_named_in_an_earlier_paragraph(participants):
    text = ("Министры обсудили проект Трансафганской железной дороги.\n\n"
            "Проект реализуется с участием Узбекистана, Афганистана и Пакистана.")
    assert [p for _, p, _ in participants(text)] == ["Узбекистан", "Афганистан", "Пакистан"]


def test_project_without_participants_gives_no_fact(participants):
    text = ("Стороны обсудили перспективы Транскаспийского газопровода и проекта Южного "
            "газового коридора. Конкретных решений принято не было.")
    assert participants(text) == []


def test_meeting_participants_are_not_project_participants(participants):
    text = ("Министры обсудили проект Трансафганской железной дороги. Совещание прошло с "
            "участием министров Казахстана и Узбекистана.")
    assert participants(text) == []


def test_participants_of_a_meeting_about_a_project(participants):
    text = "Участники встречи договорились ускорить работу над проектом Рогунской ГЭС."
    assert participants(text) == []


def test_mentions_point_into_the_text(nlp):
    text = "Участниками проекта Транскаспийского газопровода стали Туркменистан и Азербайджан."
    facts = facts_of(nlp(text), "project_participant")
    for fact in facts:
        for mention in (fact.subject, fact.object):
            assert text[mention.start:mention.end] == mention.text
        assert text[fact.evidence.start:fact.evidence.end] == fact.evidence.text
    assert [f.object.type for f in facts] == ["LOC", "LOC"]


def test_dashed_railway_built_by_the_countries_it_joins(participants):
    text = ("Железную дорогу Казахстан – Туркменистан – Иран строят Казахстан, Туркменистан "
            "и Иран, а управлять ею будет совместная компания.")
    assert [(p.split()[:2], who) for p, who, _ in participants(text)] == [
        (["железная", "дорога"], "Казахстан"),
        (["железная", "дорога"], "Туркменистан"),
        (["железная", "дорога"], "Иран"),
    ]


def test_quoted_bridge_and_construction_in_the_next_sentence(participants):
    text = ("Министры осмотрели мост «Хорог – Ишкашим» через Пяндж. Строительство моста "
            "ведут Таджикистан и Афганистан.")
    assert participants(text) == [
        ("Хорог – Ишкашим", "Таджикистан", None),
        ("Хорог – Ишкашим", "Афганистан", None),
    ]


def test_interconnector_builders_and_operator(participants):
    text = ("Газ поступает по интерконнектору Румыния – Молдова. Строительство газопровода "
            "вели компании Transgaz и Vestmoldtransgaz, а оператором интерконнектора "
            "выступает компания EuroGas.")
    facts = participants(text)
    assert [(who, role) for _, who, role in facts] == [
        ("Transgaz", None), ("Vestmoldtransgaz", None), ("EuroGas", "оператор")]
    assert {project for project, _, _ in facts} == {"интерконнектор Румыния – Молдова"}


def test_plant_named_by_an_adjective(participants):
    text = ("Делегация побывала на Нурекской ГЭС. Возведение нового агрегата ведет компания "
            "Andritz, а финансирование предоставляет Азиатский банк развития.")
    assert participants(text) == [
        ("Нурекская ГЭС", "Andritz", None),
        ("Нурекская ГЭС", "Азиатский банк развития", None),
    ]


def test_organisation_name_keeps_its_country(participants):
    text = ("Партнерами по проекту «Сурхан» выступают Всемирный банк и Национальные "
            "электрические сети Узбекистана.")
    assert [who for _, who, _ in participants(text)] == [
        "Всемирный банк", "Национальные электрические сети Узбекистана"]


def test_dashed_name_with_a_volume_is_no_project(participants):
    text = ("По газопроводу Туркменистан – Китай с участием компании CNPC прокачано "
            "40 млрд кубометров газа.")
    assert participants(text) == []
