"""holds_position: posts linked to the people who hold them, on sentences of our own."""

import pytest

from pipeline.extract import facts_of

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def posts(nlp):
    """Text → [(person normal, object normal, object type, position)] in text order."""

    def run(text: str):
        facts = facts_of(nlp(text), "holds_position")
        return [(f.subject.normal, f.object.normal, f.object.type, f.qualifiers["position"])
                for f in facts]

    return run


def test_post_before_name_gives_country_and_title(nlp):
    text = "Министр энергетики Казахстана Нурбол Сейткали открыл выставку в Астане."
    (fact,) = facts_of(nlp(text), "holds_position")
    assert (fact.subject.text, fact.subject.normal) == ("Нурбол Сейткали", "Нурбол Сейткали")
    assert (fact.object.text, fact.object.normal, fact.object.type) == (
        "Казахстана", "Казахстан", "LOC")
    assert text[fact.object.start : fact.object.end] == "Казахстана"
    assert fact.qualifiers == {"position": "министр энергетики"}
    assert fact.evidence.text == text
    assert fact.confidence >= 0.85


def test_post_in_apposition_after_name_gives_company(posts):
    text = "Иван Петров, председатель правления КазМунайГаза, сообщил о росте добычи."
    assert posts(text) == [("Иван Петров", "КазМунайГаз", "ORG", "председатель правления")]


def test_post_after_a_dash_with_company_named_earlier_in_sentence(posts):
    text = ("На переговорах компанию Tethys представлял Марат Ибраев — заместитель "
            "генерального директора компании.")
    assert posts(text) == [
        ("Марат Ибраев", "Tethys", "ORG", "заместитель генерального директора")
    ]


def test_heading_a_ministry_makes_the_person_its_minister(posts):
    text = "Аман Гельдыев, возглавляющий министерство энергетики Туркменистана, прибыл в Баку."
    assert posts(text) == [("Аман Гельдыев", "Туркменистан", "LOC", "министр энергетики")]


def test_name_in_instrumental_case_is_put_in_nominative(nlp):
    text = "Губернатор встретился с министром промышленности Узбекистана Алишером Каримовым."
    (fact,) = facts_of(nlp(text), "holds_position")
    assert (fact.subject.text, fact.subject.normal) == ("Алишером Каримовым", "Алишер Каримов")
    assert fact.qualifiers["position"] == "министр промышленности"


def test_feminine_surname_in_genitive_stays_feminine(posts):
    text = ("По данным управляющего директора компании «Транзит-Сервис» Динары Сейтовой, "
            "тариф не изменится.")
    assert posts(text) == [
        ("Динара Сейтова", "Транзит-Сервис", "ORG", "управляющий директор")
    ]


def test_plural_post_is_aligned_with_the_names_of_the_next_sentence(nlp):
    text = ("В Ереване прошла встреча министров транспорта Грузии и Армении. "
            "Леван Кобахидзе и Ашот Мартиросян обсудили график поездов.")
    facts = facts_of(nlp(text), "holds_position")
    assert [(f.subject.normal, f.object.normal, f.qualifiers["position"]) for f in facts] == [
        ("Леван Кобахидзе", "Грузия", "министр транспорта"),
        ("Ашот Мартиросян", "Армения", "министр транспорта"),
    ]
    assert all(f.confidence < 0.9 for f in facts)
    assert facts[0].evidence.text == text  # both sentences


def test_later_mention_by_post_alone_adds_no_fact(posts):
    text = ("Министр финансов Грузии Давид Кезерашвили представил бюджет. "
            "«Дефицит сократится», — отметил министр финансов Грузии.")
    assert posts(text) == [("Давид Кезерашвили", "Грузия", "LOC", "министр финансов")]


def test_post_without_a_name_gives_nothing(posts):
    assert posts("Министр энергетики Казахстана отметил рост добычи нефти.") == []


def test_person_without_a_post_gives_nothing(posts):
    assert posts("Как пишет в своем блоге Тимур Абенов, спрос на уголь растет.") == []


def test_country_adjective_before_the_post(nlp):
    text = "Казахстанский вице-министр Ернар Досанов заявил о новых тарифах."
    (fact,) = facts_of(nlp(text), "holds_position")
    assert (fact.object.text, fact.object.normal) == ("Казахстанский", "Казахстан")
    assert fact.qualifiers["position"] == "вице-министр"


def test_company_name_loses_legal_form_and_quotes(posts):
    text = "Генеральный директор АО «Транснефтегаз» Самат Ергалиев подвел итоги года."
    assert posts(text) == [("Самат Ергалиев", "Транснефтегаз", "ORG", "генеральный директор")]


def test_name_after_nested_posts_goes_to_the_post_whose_case_it_takes(posts):
    text = "Об этом сообщил помощник президента Молдавии Игоря Вранчана."
    assert posts(text) == [("Игорь Вранчан", "Молдавия", "LOC", "президент")]


def test_regional_post_gives_the_region(posts):
    text = "Аким Карагандинской области Ержан Бейсенов посетил шахту."
    assert posts(text) == [("Ержан Бейсенов", "Карагандинская область", "LOC", "аким")]


def test_government_body_is_part_of_the_title(posts):
    text = ("Заместитель председателя кабинета министров Кыргызстана Бакыт Жумалиев "
            "открыл подстанцию.")
    assert posts(text) == [
        ("Бакыт Жумалиев", "Кыргызстан", "LOC", "заместитель председателя кабинета министров")
    ]


def test_ambassador_belongs_to_the_sending_country(posts):
    text = "Посол Турции в Грузии Фатих Гюльдемир провел пресс-конференцию."
    assert posts(text) == [("Фатих Гюльдемир", "Турция", "LOC", "посол")]


def test_posts_listed_before_one_name_all_belong_to_it(posts):
    text = ("В акции участвовал депутат городского собрания Твери, координатор движения "
            "«Новая волна» Олег Смирнов.")
    assert posts(text) == [
        ("Олег Смирнов", "городское собрание Твери", "ORG", "депутат"),
        ("Олег Смирнов", "движение Новая волна", "ORG", "координатор"),
    ]


def test_national_post_without_its_country_takes_the_documents_country(nlp):
    text = ("Россия увеличит закупки зерна. Премьер-министр Олег Карпов подписал "
            "постановление о поддержке российских аграриев.")
    (fact,) = facts_of(nlp(text), "holds_position")
    assert (fact.subject.normal, fact.object.normal, fact.qualifiers["position"]) == (
        "Олег Карпов", "Россия", "премьер-министр")
    assert fact.confidence <= 0.5


def test_national_post_of_a_person_named_with_a_country_elsewhere_is_not_guessed(posts):
    text = ("Президент Грузии Нико Гвазава прибыл в Анкару. Турция и Грузия подпишут "
            "соглашение. Турция ждет визита. Президент Нико Гвазава выступит в парламенте.")
    assert posts(text) == [("Нико Гвазава", "Грузия", "LOC", "президент")]


def test_taking_a_post(posts):
    text = "Андрей Кравец согласился занять пост министра транспорта Молдавии."
    assert posts(text) == [("Андрей Кравец", "Молдавия", "LOC", "министр транспорта")]


def test_plural_post_after_a_comma_is_no_apposition(posts):
    text = "На встрече были Олег Воронов, представители Госдумы и журналисты."
    assert posts(text) == []


def test_caption_name_before_its_post(posts):
    assert posts("Олжас Сатпаев Президент ФИДЕ") == [
        ("Олжас Сатпаев", "ФИДЕ", "ORG", "президент")
    ]


def test_unit_of_a_body_is_named_with_the_body(posts):
    text = ("— Ольга Мирная, заместитель начальника пресс-службы МЧС по Ростовской "
            "области")
    assert posts(text) == [("Ольга Мирная", "пресс-служба МЧС по Ростовской области", "ORG",
                            "заместитель начальника")]


def test_body_attached_to_another_is_named_with_it(posts):
    text = "Об этом сообщил официальный представитель Следственного комитета при МВД Иван Ким."
    assert posts(text) == [("Иван Ким", "Следственный комитет при МВД", "ORG",
                            "официальный представитель")]


def test_managing_a_company_named_by_a_participle(posts):
    text = "Его конкурент, Аарон Фишер, управляющий компанией MoneyFlow, подал иск."
    assert posts(text) == [("Аарон Фишер", "MoneyFlow", "ORG", "глава")]


def test_seed_document_positions(nlp, seed_text):
    facts = facts_of(nlp(seed_text), "holds_position")
    assert {(f.subject.normal, f.object.normal, f.object.type, f.qualifiers["position"])
            for f in facts} == {
        ("Ерлан Аккенженов", "Казахстан", "LOC", "министр энергетики"),
        ("Парвиз Октай оглы Шахбазов", "Азербайджан", "LOC", "министр энергетики"),
    }
    for fact in facts:
        assert seed_text[fact.subject.start : fact.subject.end] == fact.subject.text
        assert seed_text[fact.object.start : fact.object.end] == fact.object.text
        assert seed_text[fact.evidence.start : fact.evidence.end] == fact.evidence.text
