"""Evaluation: matching rules, scores on a hand-made gold/pred pair, FactRuEval loading."""

from pathlib import Path

import pytest

from pipeline.evaluate import (
    Counts,
    FactsFormatError,
    evaluate,
    evaluate_factru,
    factru_texts,
    format_report,
    load_factru,
    load_facts,
)
from pipeline.evaluate.factru import FactruDoc, FactruMeeting, FactruOccupation, FactruPerson
from pipeline.evaluate.factru_match import same_gold_place
from pipeline.evaluate.match import facts_match
from pipeline.evaluate.names import parse_person, same_person
from pipeline.evaluate.text import norm_text, same_name

FACTRU = Path(__file__).resolve().parents[1] / ".." / "shared" / "factru-dev"


def ent(normal: str, type_: str = "PER", text: str | None = None, **extra) -> dict:
    return {"text": text or normal, "normal": normal, "type": type_, **extra}


def position(doc: str, person: str, place: str, post: str | None = None, **kw) -> dict:
    return {
        "doc_id": doc,
        "predicate": "holds_position",
        "subject": ent(person, text=kw.get("person_text")),
        "object": ent(place, "LOC"),
        "qualifiers": {"position": post},
    }


def route(
    doc: str,
    name: str,
    waypoints: list[str],
    value: float,
    unit: str = "t",
    year: int | None = 2023,
    status: str = "actual",
    commodity: str | None = None,
) -> dict:
    return {
        "doc_id": doc,
        "predicate": "route_volume",
        "subject": ent(name, "ROUTE", waypoints=waypoints),
        "object": {"type": "QUANTITY", "normal": f"{value} {unit}", "value": value, "unit": unit},
        "qualifiers": {"year": year, "status": status, "commodity": commodity},
    }


def meeting(doc: str, a: str, b: str) -> dict:
    return {"doc_id": doc, "predicate": "met_with", "subject": ent(a), "object": ent(b)}


def participant(doc: str, project: str, member: str) -> dict:
    return {
        "doc_id": doc,
        "predicate": "project_participant",
        "subject": ent(project, "PROJECT"),
        "object": ent(member, "LOC"),
        "qualifiers": {},
    }


ABC = ["Актау", "Баку", "Джейхан"]
BTK = ["Баку", "Тбилиси", "Карс"]
GOLD = [
    position("a.txt", "Ерлан Аккенженов", "Казахстан", "министр энергетики"),
    position("a.txt", "Эльнур Багиров", "Азербайджан", "министр энергетики"),
    position("a.txt", "Садыр Жапаров", "Киргизия", "президент"),
    route("a.txt", "Актау – Баку – Джейхан", ABC, 1_060_000, commodity="нефть"),
    route("a.txt", "Средний коридор", [], 4_500_000, year=2024, status="planned"),
    route("a.txt", "Баку – Тбилиси – Карс", BTK, 1_200_000, commodity="грузы"),
    meeting("a.txt", "Ерлан Аккенженов", "Эльнур Багиров"),
    participant("a.txt", "Каспийский зелёный энергетический коридор", "Казахстан"),
    participant("a.txt", "Каспийский зелёный энергетический коридор", "Азербайджан"),
]
PRED = [
    # matches gold 1 (oblique text, nominative normal; position in another case)
    position(
        "a.txt",
        "Ерлан Аккенженов",
        "Казахстан",
        "министра энергетики",
        person_text="Ерлана Аккенженова",
    ),
    # wrong object: extra, and gold 2 is a miss
    position("a.txt", "Эльнур Багиров", "Турция", "министр энергетики"),
    # hyphens instead of en dashes, value 0.4 % off: matches
    route(
        "a.txt", "Актау-Баку-Джейхан", ["Актау", "Баку", "Джейхан"], 1_064_240, commodity="нефть"
    ),
    # the same fact again: counted once as tp, once as extra
    route(
        "a.txt", "Актау-Баку-Джейхан", ["Актау", "Баку", "Джейхан"], 1_064_240, commodity="нефть"
    ),
    # right route and value but wrong year: extra (and gold is a miss)
    route("a.txt", "Средний коридор", [], 4_500_000, year=2023, status="planned"),
    # em dashes in the name; commodity differs (reported, still a match)
    route(
        "a.txt", "Баку—Тбилиси—Карс", ["Баку", "Тбилиси", "Карс"], 1_200_000, commodity="контейнеры"
    ),
    # unordered pair
    meeting("a.txt", "Эльнур Багиров", "Ерлан Аккенженов"),
    # a document without gold: unscored
    meeting("b.txt", "Эльнур Багиров", "Ерлан Аккенженов"),
]


def test_scores_per_predicate_and_overall():
    report = evaluate(GOLD, PRED)
    table = report.by_predicate
    # holds_position: 3 gold, 2 pred, 1 tp → P 0.5, R 0.333, F1 2/5 = 0.4
    assert table["holds_position"] == Counts(gold=3, pred=2, tp=1)
    assert table["holds_position"].precision == pytest.approx(0.5)
    assert table["holds_position"].recall == pytest.approx(1 / 3)
    assert table["holds_position"].f1 == pytest.approx(0.4)
    # route_volume: 3 gold, 4 pred, 2 tp → P 0.5, R 0.667, F1 4/7 = 0.571
    assert table["route_volume"] == Counts(gold=3, pred=4, tp=2)
    assert table["route_volume"].f1 == pytest.approx(4 / 7)
    # met_with: 1 gold, 1 pred, 1 tp → 1.0 / 1.0 / 1.0
    assert table["met_with"] == Counts(gold=1, pred=1, tp=1)
    assert table["met_with"].f1 == 1.0
    # project_participant: 2 gold, 0 pred → P 0 (no predictions), R 0, F1 0
    assert table["project_participant"] == Counts(gold=2, pred=0, tp=0)
    assert table["project_participant"].f1 == 0.0
    # overall (micro): 9 gold, 7 pred, 4 tp → P 0.571, R 0.444, F1 8/16 = 0.5
    assert report.overall == Counts(gold=9, pred=7, tp=4)
    assert report.overall.precision == pytest.approx(4 / 7)
    assert report.overall.recall == pytest.approx(4 / 9)
    assert report.overall.f1 == pytest.approx(0.5)
    assert report.unscored == 1
    assert len(report.misses) == 5 and len(report.extras) == 3
    # position agrees on the one matched holds_position; commodity on 1 of 2 routes
    position_accuracy = report.qualifier_accuracy["holds_position.position"]
    assert (position_accuracy.correct, position_accuracy.total) == (1, 1)
    commodity = report.qualifier_accuracy["route_volume.commodity"]
    assert (commodity.correct, commodity.total) == (1, 2)


def test_explicit_doc_ids_score_documents_without_gold():
    report = evaluate(GOLD, PRED, doc_ids=["a.txt", "b.txt"])
    assert report.unscored == 0
    assert report.by_predicate["met_with"] == Counts(gold=1, pred=2, tp=1)


def test_duplicates_count_once_as_tp_and_once_as_extra():
    gold = [meeting("a.txt", "Ерлан Аккенженов", "Эльнур Багиров")]
    pred = [meeting("a.txt", "Ерлан Аккенженов", "Эльнур Багиров")] * 2
    report = evaluate(gold, pred)
    assert report.by_predicate["met_with"] == Counts(gold=1, pred=2, tp=1)
    assert report.extras == [pred[1]]


def test_format_report_table_and_verbose_lines():
    report = evaluate(GOLD, PRED)
    text = format_report(report)
    assert text.splitlines()[0].split() == ["predicate", "gold", "pred", "tp", "P", "R", "F1"]
    assert "holds_position" in text and "overall (micro)" in text
    assert "miss" not in text
    verbose = format_report(report, verbose=True)
    assert "miss  a.txt holds_position: Эльнур Багиров → Азербайджан" in verbose
    assert "extra a.txt route_volume: Средний коридор → 4500000 t" in verbose
    assert "year=2023" in verbose


@pytest.mark.parametrize(
    ("gold", "pred", "expected"),
    [
        ("Ерлан Аккенженов", "Ерлан Аккенженов", True),
        ("Ерлан Аккенженов", "Аккенженов", True),  # surname only
        ("Аккенженов", "Ерлан Аккенженов", True),
        ("Ерлан Аккенженов", "Ерлан Абилфаизович Аккенженов", True),  # patronymic
        ("Ильхам Алиев", "Ильхам Гейдар оглы Алиев", True),  # «оглы» part
        ("Ерлан Аккенженов", "Е. Аккенженов", True),  # initial
        ("Ерлан Аккенженов", "Е.А. Аккенженов", True),
        ("Ерлан Аккенженов", "Ерлан Аккенжёнов", True),  # ё
        ("Ерлан Аккенженов", "Ержан Аккенженов", False),  # another first name
        ("Ерлан Аккенженов", "Б. Аккенженов", False),
        ("Ерлан Аккенженов", "Ерлан Кудайбергенов", False),
        ("Ерлан Аккенженов", "Ерлана Аккенженова", False),  # an oblique normal is a miss
        ("Шарль де Голль", "де Голль", True),  # particle
    ],
)
def test_person_matching(gold, pred, expected):
    assert same_person(gold, pred) is expected


def test_person_matching_uses_normal_not_text():
    gold = position("a.txt", "Ерлан Аккенженов", "Казахстан")
    pred = position("a.txt", "Ерлан Аккенженов", "Казахстан", person_text="Ерлану Аккенженову")
    assert facts_match(gold, pred)


def test_parse_person_drops_patronymic_but_keeps_final_vich():
    assert parse_person("Нурсултан Абишевич Назарбаев").words == ("нурсултан", "назарбаев")
    assert parse_person("Роман Абрамович").surname == "абрамович"


@pytest.mark.parametrize(
    ("gold", "pred", "expected"),
    [
        ("Казахстан", "казахстан", True),
        ("Правительство Москвы", "правительства  Москвы", True),  # lemma sets
        ("Каспийский трубопроводный консорциум", "Каспийского трубопроводного консорциума", True),
        ("Москва", "правительство Москвы", False),
        ("Министерство энергетики Казахстана", "Министерство энергетики", False),
        ("Азербайджан", "Азербайджанская Республика", False),
    ],
)
def test_name_matching(gold, pred, expected):
    assert same_name(gold, pred) is expected


def test_norm_text_unifies_dashes_and_spaces():
    assert norm_text("Актау – Баку —  Джейхан") == norm_text("актау-баку-джейхан")
    assert norm_text("Ёлка\u2011Ёж") == "елка-еж"


def _route_match(**changes) -> bool:
    gold = route("a.txt", "Актау – Баку – Джейхан", ABC, 1_000_000)
    args = {"name": "Актау—Баку—Джейхан", "waypoints": ["Актау", "Баку", "Джейхан"]}
    args.update(value=1_000_000, unit="t", year=2023, status="actual")
    args.update(changes)
    return facts_match(gold, route("a.txt", **args))


def test_route_matching():
    assert _route_match()
    assert _route_match(waypoints=["Актау", "Баку", "Джейхан"], value=1_004_900)  # +0.49 %
    assert _route_match(value=995_100)  # -0.49 %
    assert not _route_match(value=1_006_000)  # +0.6 %
    assert not _route_match(year=2024)  # wrong year is a miss
    assert not _route_match(year=None)
    assert not _route_match(status="planned")
    assert not _route_match(unit="bbl")
    assert not _route_match(waypoints=["Баку", "Джейхан"])
    assert not _route_match(waypoints=["Джейхан", "Баку", "Актау"])  # order matters
    # one side without waypoints: the route names are compared
    assert _route_match(waypoints=[], name="Актау - Баку - Джейхан")
    assert not _route_match(waypoints=[], name="Средний коридор")


def test_route_name_without_waypoints():
    gold = route("a.txt", "Средний коридор", [], 4_500_000)
    assert facts_match(gold, route("a.txt", "Среднего коридора", [], 4_500_000))
    assert not facts_match(gold, route("a.txt", "Северный коридор", [], 4_500_000))


def test_met_with_pairs_are_unordered():
    gold = meeting("a.txt", "Ерлан Аккенженов", "Эльнур Багиров")
    assert facts_match(gold, meeting("a.txt", "Багиров", "Аккенженов"))
    assert not facts_match(gold, meeting("a.txt", "Багиров", "Кудайбергенов"))


def test_load_facts(tmp_path):
    path = tmp_path / "facts.jsonl"
    good = '{"doc_id": "a.txt", "predicate": "met_with"}'
    path.write_text(f"{good}\n\n{good}\n", encoding="utf-8")
    assert len(load_facts(path)) == 2
    path.write_text(f"{good}\n\n{{not json\n", encoding="utf-8")
    with pytest.raises(FactsFormatError, match=r"facts\.jsonl:3: invalid JSON"):
        load_facts(path)
    path.write_text(f'{good}\n{{"predicate": "met_with"}}\n', encoding="utf-8")
    with pytest.raises(FactsFormatError, match=r":2: missing doc_id"):
        load_facts(path)
    path.write_text("[1, 2]\n", encoding="utf-8")
    with pytest.raises(FactsFormatError, match=r":1: expected a JSON object"):
        load_facts(path)


# FactRuEval scoring on hand-made gold records (no data needed)


def gold_person(normal: str, surname: str | None, first: str | None) -> FactruPerson:
    return FactruPerson(normal, (surname,) if surname else (), first)


def occupation(fact_id, person, where, post) -> FactruOccupation:
    return FactruOccupation(
        fact_id=fact_id,
        who=person.normal,
        person=person,
        where=where[0] if where else None,
        where_variants=tuple(where),
        position=post,
        position_variants=(post,) if post else (),
    )


def test_evaluate_factru_rules():
    obama = gold_person("Обама Барак", "Обама", "Барак")
    putin = gold_person("Путин", "Путин", None)
    smith = gold_person("Смит Джон", "Смит", "Джон")
    doc = FactruDoc(
        "x.txt",
        "",
        occupations=[
            occupation("1", obama, ["администрация США"], "главой"),
            occupation("2", putin, ["РФ", "Российская Федерация"], "президента"),
            occupation("3", smith, [], "директор"),  # no Where
            occupation("4", smith, ["Институт этнологии"], "директор"),
        ],
        meetings=[FactruMeeting("5", ("Обама Барак", "Путин"), (obama, putin))],
    )
    pred = [
        # «глава администрации» @ США = «главой» @ «администрация США»
        position("x.txt", "Барак Обама", "США", "глава администрации"),
        # alias Россия = РФ; first name on our side only
        position("x.txt", "Владимир Путин", "Россия", "президент"),
        # object is only part of the gold Where, position does not cover the rest
        position("x.txt", "Джон Смит", "этнология", "директор"),
        # a person not in the gold: false positive
        position("x.txt", "Иван Петров", "Россия", "министр"),
        meeting("x.txt", "Владимир Путин", "Барак Обама"),
        route("x.txt", "Средний коридор", [], 1.0),  # not scored on FactRuEval
        meeting("y.txt", "Владимир Путин", "Барак Обама"),  # document not in the set
    ]
    report = evaluate_factru([doc], pred)
    # the «этнология» fact matches nothing on Where, so it falls back to the Where-less gold
    assert report.by_predicate["holds_position"] == Counts(gold=4, pred=4, tp=3)
    assert report.by_predicate["met_with"] == Counts(gold=1, pred=1, tp=1)
    assert report.unscored == 2
    assert [fact["qualifiers"]["factru_id"] for fact in report.misses] == ["4"]
    assert [fact["subject"]["normal"] for fact in report.extras] == ["Иван Петров"]
    accuracy = report.qualifier_accuracy["holds_position.position"]
    assert (accuracy.correct, accuracy.total) == (1, 2)  # «президент»; not «глава администрации»
    assert "without Where" in format_report(report)


# The FactRuEval-2016 dev set itself (read from ../shared, never copied)


@pytest.fixture(scope="module")
def factru_docs():
    if not FACTRU.is_dir():
        pytest.skip("FactRuEval dev set not available at ../shared/factru-dev")
    return load_factru(FACTRU)


def test_factru_counts(factru_docs):
    assert len(factru_docs) == 122
    occupations = [o for doc in factru_docs for o in doc.occupations]
    # 211 Occupation blocks, one of them (259-9) an exact duplicate, loaded once
    raw = sum(
        line.endswith(" Occupation")
        for path in FACTRU.glob("*.facts")
        for line in path.read_text(encoding="utf-8").splitlines()
    )
    assert raw == 211
    assert len(occupations) == 210
    assert sum(o.where is None for o in occupations) == 1
    meetings = [m for doc in factru_docs for m in doc.meetings]
    assert len(meetings) == 5
    assert all(len(m.participants) >= 2 for m in meetings)


def test_factru_records(factru_docs):
    doc = next(doc for doc in factru_docs if doc.doc_id == "book_100.txt")
    first = doc.occupations[0]
    assert (first.who, first.where) == ("Лужков Юрий", "Москва")
    assert first.person.surnames == ("Лужков",) and first.person.first == "Юрий"
    assert doc.text == (FACTRU / "book_100.txt").read_text(encoding="utf-8-sig")
    ids = [doc_id for doc_id, _ in factru_texts(FACTRU)]
    assert ids == [doc.doc_id for doc in factru_docs]


def test_factru_gold_as_predictions_scores_high(factru_docs):
    pred = []
    for doc in factru_docs:
        for o in doc.occupations:
            name = f"{o.person.first or ''} {o.person.surnames[0] if o.person.surnames else ''}"
            place = o.where or "Нигде"
            pred.append(position(doc.doc_id, name.strip(), place, o.position))
    report = evaluate_factru(factru_docs, pred)
    assert report.by_predicate["holds_position"].recall > 0.97


@pytest.mark.parametrize(("gold_where", "predicted", "position", "same"), [
    ("МИД РФ", "Россия", "министр иностранных дел", True),
    ("японский МИД", "Япония", "министр иностранных дел", True),
    ("министерство энергетики Казахстана", "Казахстан", "министр энергетики", True),
    ("министерство энергетики Казахстана", "Казахстан", "министр финансов", False),
    ("японский МИД", "Китай", "министр иностранных дел", False),
    ("Газпром", "Россия", "председатель правления", False),
])
def test_factru_ministry_of_a_country_is_that_country(gold_where, predicted, position, same):
    assert same_gold_place([gold_where], [], predicted, position) is same
