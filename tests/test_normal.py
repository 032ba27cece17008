"""`Span._.normal`: entity names put in the nominative, keeping number, gender and spelling."""

import pytest

CASES = [
    ("Министр энергетики Казахстана выступил на форуме.", "Казахстана", "Казахстан"),
    (
        "Министры обсудили создание Каспийского зелёного энергетического коридора в Баку.",
        "Каспийского зелёного энергетического коридора",
        "Каспийский зелёный энергетический коридор",
    ),
    ("Президент вручил награду Ерлану Аккенженову в Астане.", "Ерлану Аккенженову",
     "Ерлан Аккенженов"),
    ("Вчера министр встретился с Анной Ковалёвой в Москве.", "Анной Ковалёвой", "Анна Ковалёва"),
    ("Акции КазМунайГаза выросли на бирже.", "КазМунайГаза", "КазМунайГаз"),
    (
        "Делегация Объединённых Арабских Эмиратов прибыла в Астану.",
        "Объединённых Арабских Эмиратов",
        "Объединённые Арабские Эмираты",
    ),
    ("Соглашение подписали в Астане.", "Астане", "Астана"),
    ("Газ пойдёт через территорию Узбекистана и Киргизии.", "Узбекистана", "Узбекистан"),
]


def span_of(doc, phrase: str, label: str):
    start = doc.text.index(phrase)
    span = doc.char_span(start, start + len(phrase), label=label)
    assert span is not None, phrase
    return span


@pytest.mark.parametrize(("text", "phrase", "normal"), CASES)
def test_normal_of_span(nlp, text, phrase, normal):
    doc = nlp(text)
    label = "PER" if normal in {"Ерлан Аккенженов", "Анна Ковалёва"} else "LOC"
    assert span_of(doc, phrase, label)._.normal == normal


@pytest.mark.parametrize(
    ("text", "normal", "label"),
    [
        ("Министр энергетики Казахстана выступил на форуме.", "Казахстан", "LOC"),
        ("Президент вручил награду Ерлану Аккенженову в Астане.", "Ерлан Аккенженов", "PER"),
        ("Вчера министр встретился с Анной Ковалёвой в Москве.", "Анна Ковалёва", "PER"),
        ("Акции КазМунайГаза выросли на бирже.", "КазМунайГаз", "ORG"),
    ],
)
def test_normal_of_recognised_entity(nlp, text, normal, label):
    doc = nlp(text)
    assert (normal, label) in {(e._.normal, e.label_) for e in doc.ents}


def test_feminine_surname_stays_feminine(nlp):
    doc = nlp("Он встретился с Анной Ковалёвой и Мариной Ивановой.")
    people = {e._.normal for e in doc.ents if e.label_ == "PER"}
    assert "Анна Ковалёва" in people
    assert "Марина Иванова" in people


def test_nominative_is_kept_as_written(nlp):
    doc = nlp("Казахстан и Азербайджан подписали соглашение.")
    assert {e._.normal for e in doc.ents} >= {"Казахстан", "Азербайджан"}


def test_normals_are_cached_per_document(nlp):
    doc = nlp("Министр энергетики Казахстана выступил на форуме.")
    span = doc.ents[0]
    assert span._.normal is span._.normal
    assert doc.user_data["rufakt_normals"]


def test_a_person_mention_is_normalised_as_its_facts_name_it(nlp):
    text = ("Министр энергетики Казахстана Ерлан Аккенженов прибыл в Баку. "
            "По словам Аккенженова, переговоры с Эльнуром Багировым прошли успешно.")
    doc = nlp(text)
    facts = [f for f in doc._.facts if f.subject.type == "PER"]
    assert facts
    for fact in facts:
        span = doc.char_span(fact.subject.start, fact.subject.end, label="PER")
        assert span._.normal == fact.subject.normal
    surname = next(e for e in doc.ents if e.text == "Аккенженова")
    assert surname._.normal == "Ерлан Аккенженов"
