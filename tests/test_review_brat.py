"""BRAT standoff: facts out as .txt/.ann that BRAT's own conventions accept, .ann files read
with bad lines named, and holds_position scored against NEREL-style WORKS_AS/WORKPLACE."""

import json
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.evaluate.brat import (
    evaluate_brat,
    gold_posts,
    same_person_mention,
    same_post,
)
from pipeline.review.brat import (
    annotation_conf,
    doc_id_of,
    fragments,
    load_brat,
    parse_ann,
    read_gold,
    read_text,
    write_brat,
)
from pipeline.review.documents import pair_up, read_documents

ROOT = Path(__file__).resolve().parent.parent
# The project's annotated documents: corpus/dev/ once the lead has moved them, else corpus/.
GOLD = next(p for p in (ROOT / "corpus" / "dev" / "gold.jsonl", ROOT / "corpus" / "gold.jsonl")
            if p.exists())
DATA = Path(__file__).resolve().parent / "data"
NEREL = DATA / "brat_nerel"  # our own text, annotated the way NEREL annotates
BROKEN = DATA / "brat_broken"

TEXT = ("Министр энергетики Казахстана Ержан Кудайбергенов провел в Астане переговоры\n"
        "с министром энергетики Азербайджана Эльнуром Багировым.")


def _mention(text: str, normal: str, kind: str, **extra) -> dict:
    start = TEXT.index(text)
    return {"text": text, "normal": normal, "type": kind, "start": start,
            "end": start + len(text), **extra}


FACTS = [
    {"doc_id": "a.txt", "predicate": "holds_position",
     "subject": _mention("Ержан Кудайбергенов", "Ержан Кудайбергенов", "PER"),
     "object": _mention("Казахстана", "Казахстан", "LOC"),
     "qualifiers": {"position": "министр энергетики", "status": "acting"}},
    {"doc_id": "a.txt", "predicate": "met_with",
     "subject": _mention("Ержан Кудайбергенов", "Ержан Кудайбергенов", "PER"),
     "object": _mention("Эльнуром Багировым", "Эльнур Багиров", "PER"),
     "qualifiers": {"place": "Астана", "format": "video"}},
]


# ---------------------------------------------------------------- export


@pytest.fixture
def exported(tmp_path) -> Path:
    written, problems = write_brat(tmp_path, [("a.txt", TEXT), ("sub/b.md", "Пусто.")],
                                   {"a.txt": FACTS})
    assert (written, problems) == (2, [])
    return tmp_path


def test_export_writes_txt_ann_and_annotation_conf(exported):
    assert read_text(exported / "a.txt") == TEXT
    assert (exported / "sub" / "b.md.ann").read_text(encoding="utf-8") == ""
    assert (exported / "annotation.conf").read_text(encoding="utf-8") == annotation_conf()
    conf = annotation_conf()
    assert "holds_position\tArg1:PER, Arg2:LOC|ORG" in conf
    assert "route_volume_status\tArg:QUANTITY, Value:actual|planned|forecast" in conf


def test_exported_ann_lines_point_at_their_text(exported):
    content = (exported / "a.ann").read_text(encoding="utf-8")
    annotations = parse_ann(content, TEXT, "a.ann")
    assert annotations.problems == []  # every T line's text is the .txt at its offsets
    entities = annotations.entities
    assert sorted(e.text for e in entities.values()) == [
        "Ержан Кудайбергенов", "Казахстана", "Эльнуром Багировым"]
    relations = [(r.type, entities[r.arg1].text, entities[r.arg2].text)
                 for r in annotations.relations]
    assert relations == [("holds_position", "Ержан Кудайбергенов", "Казахстана"),
                         ("met_with", "Ержан Кудайбергенов", "Эльнуром Багировым")]


def test_exported_qualifiers_and_normal_forms(exported):
    annotations = parse_ann((exported / "a.ann").read_text(encoding="utf-8"), TEXT)
    by_text = {e.id: e.text for e in annotations.entities.values()}
    assert {(name, by_text[target], value) for name, target, value in annotations.attributes} \
        == {("holds_position_status", "Казахстана", "acting"),
            ("met_with_format", "Эльнуром Багировым", "video")}
    assert ("Казахстана", "Казахстан") in {(by_text[t], s) for t, _, s in
                                          annotations.normalizations}
    notes = {by_text[target]: note for target, note in annotations.notes}
    assert notes == {"Казахстана": "holds_position.position=министр энергетики",
                     "Эльнуром Багировым": "met_with.place=Астана"}


def test_a_mention_across_a_line_break_becomes_fragments():
    text = "газопровод Средняя Азия –\nЦентр"
    assert fragments(text, 11, len(text)) == [(11, 25), (26, 31)]
    fact = {"doc_id": "c.txt", "predicate": "route_volume",
            "subject": {"text": "Средняя Азия –\nЦентр", "normal": "Средняя Азия – Центр",
                        "type": "ROUTE", "waypoints": ["Средняя Азия", "Центр"]},
            "object": {"text": "газопровод", "normal": "1 t", "type": "QUANTITY",
                       "value": 1, "unit": "t"},
            "qualifiers": {"year": None, "status": "actual"}}
    from pipeline.review.brat import ann_lines
    from pipeline.review.layout import lay_out

    lines = ann_lines(lay_out(text, [fact]), text)
    assert "T2\tROUTE 11 25;26 31\tСредняя Азия – Центр" in lines
    assert parse_ann("\n".join(lines), text).problems == []


def test_cli_export_brat(tmp_path, capsys):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(TEXT, encoding="utf-8")
    facts = tmp_path / "facts.jsonl"
    facts.write_text("".join(json.dumps(f, ensure_ascii=False) + "\n" for f in FACTS)
                     + json.dumps({**FACTS[0], "doc_id": "other.txt"}) + "\n", encoding="utf-8")
    assert main(["export", "brat", str(facts), "--docs", str(docs),
                 "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "other.txt: 1 facts, but no such document among the inputs" in err
    assert "1 documents, 2 facts →" in err
    assert len(parse_ann((tmp_path / "out" / "a.ann").read_text(encoding="utf-8")).relations) == 2


# ---------------------------------------------------------------- corrected in BRAT, back as gold


def test_the_corpus_gold_round_trips_through_brat(tmp_path):
    documents, _ = read_documents([GOLD.parent / "docs"])
    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    paired, missing = pair_up(gold, documents)
    written, problems = write_brat(tmp_path, [(name, d.text) for name, d, _ in paired],
                                   {name: facts for name, _, facts in paired})
    assert (missing, problems, written) == ([], [], len(gold))
    facts, problems = read_gold(tmp_path)
    assert problems == []
    by_doc = lambda fact: fact["doc_id"]  # noqa: E731  (stable: each document's order kept)
    assert sorted(facts, key=by_doc) == sorted(gold, key=by_doc)


def test_a_correction_made_in_brat_comes_back(exported):
    ann = exported / "a.ann"
    lines = ann.read_text(encoding="utf-8").splitlines()
    lines = [line for line in lines if not line.startswith("R2\t")]  # delete the meeting
    lines = [line.replace("министр энергетики", "вице-премьер").replace("acting", "former")
             for line in lines]
    ann.write_text("\n".join(lines) + "\n", encoding="utf-8")
    facts, problems = read_gold(exported)
    assert problems == []
    assert [(f["doc_id"], f["predicate"], f["subject"]["normal"], f["object"]["normal"],
             f["qualifiers"]) for f in facts] == [
        ("a.txt", "holds_position", "Ержан Кудайбергенов", "Казахстан",
         {"position": "вице-премьер", "status": "former"})]


def test_another_annotation_scheme_is_named_once_per_file(tmp_path):
    facts, problems = read_gold(NEREL)
    assert facts == []
    assert problems == [
        "officials.ann: types CITY, COUNTRY, ORGANIZATION, PERSON, PROFESSION, ALTERNATIVE_NAME, "
        "LOCATED_IN, WORKPLACE, WORKS_AS are not rufakt's (another annotation scheme? "
        "NEREL-style corpora: rufakt evaluate --brat); their annotations are skipped"]


def test_exported_non_text_documents_keep_their_doc_id():
    assert doc_id_of("sub/b.md.txt") == "sub/b.md"
    assert doc_id_of("119336_text.txt") == "119336_text.txt"
    assert doc_id_of("2024/a.txt.gz.txt") == "2024/a.txt.gz"  # a gzip-compressed input
    assert doc_id_of("a.tar.gz.txt") == "a.tar.gz.txt"


def test_cli_import_brat(exported, tmp_path, capsys):
    gold = tmp_path / "gold.jsonl"
    assert main(["import", "brat", str(exported), "-o", str(gold)]) == 0
    assert [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines()] == [
        {"doc_id": "a.txt", "predicate": f["predicate"],
         "subject": {k: f["subject"][k] for k in ("text", "normal", "type")},
         "object": {k: f["object"][k] for k in ("text", "normal", "type")},
         "qualifiers": f["qualifiers"]} for f in FACTS]
    assert "2 gold facts" in capsys.readouterr().err
    assert main(["import", "brat", str(tmp_path / "none"), "-o", str(gold)]) == 2


# ---------------------------------------------------------------- reading .ann


def test_bad_lines_are_named_and_everything_else_read():
    docs, problems = load_brat(BROKEN)
    assert [doc.doc_id for doc in docs] == ["officials.txt"]
    assert problems == [
        "officials.ann:4: entity T99 skipped: its text «Не то» is not the document's "
        "«Министр» at those offsets",
        "officials.ann:5: relation R98 (WORKS_AS) skipped: no entity T77",
        "officials.ann:6: cannot parse 'this is not brat'",
        "orphan.ann: no .txt beside it, skipped",
    ]
    annotations = docs[0].annotations
    assert sorted(annotations.entities) == ["T1", "T2", "T3"]
    assert [r.id for r in annotations.relations] == ["R1", "R2"]


def test_parse_ann_reads_every_line_kind():
    content = ("T1\tPERSON 0 5;6 10\tМария Иванова\nT2\tCITY 11 16\tОмска\n"
               "R1\tPLACE_RESIDES_IN Arg1:T1 Arg2:T2\t\n*\tEquiv T1 T2\n"
               "A1\tNegated T1\nA2\tLevel T1 high\nN1\tReference T2 Wiki:1\tОмск\n"
               "#1\tAnnotatorNotes T1\tпроверить\nE1\tMeet:T1 Who:T2\n")
    annotations = parse_ann(content)
    assert annotations.problems == []
    assert annotations.entities["T1"].spans == ((0, 5), (6, 10))
    assert annotations.equivalences == [("T1", "T2")]
    assert annotations.attributes == [("Negated", "T1", None), ("Level", "T1", "high")]
    assert annotations.normalizations == [("T2", "Wiki:1", "Омск")]
    assert annotations.notes == [("T1", "проверить")]


# ---------------------------------------------------------------- NEREL-style scoring


def test_gold_posts_from_works_as_and_workplace():
    docs, problems = load_brat(NEREL)
    assert problems == []
    posts, no_post, placeless = gold_posts(docs[0].annotations)
    assert sorted((g.person[0].text, g.post.text, g.place[0].text) for g in posts) == [
        ("Ержан Тулегенов", "Министр энергетики Казахстана", "Казахстана"),  # post → place
        ("Ильёй Коробовым", "генеральным директором", "Каспийский терминал"),  # person → place
        ("Нино Абашидзе", "посол Грузии", "Грузии"),
    ]
    tulegenov = next(g for g in posts if g.post.id == "T1")
    assert [m.text for m in tulegenov.person] == ["Ержан Тулегенов", "Тулегенов"]
    assert placeless == 1  # «аналитик Марат Сейтов»: a post without a place
    assert [(w.person[0].text, w.place[0].text) for w in no_post] == [
        ("Айдар Нурланов", "Евразийского банка развития")]


def _fact(subject: str, obj: str, position: str, **extra) -> dict:
    return {"doc_id": "officials.txt", "predicate": "holds_position",
            "subject": {"text": subject, "normal": subject, "type": "PER"},
            "object": {"text": obj, "normal": obj, "type": "ORG"},
            "qualifiers": {"position": position}, **extra}


def test_person_post_and_place_must_all_agree():
    docs, _ = load_brat(NEREL)
    predictions = [
        _fact("Ержан Тулегенов", "Казахстан", "министр энергетики"),
        _fact("Илья Коробов", "Каспийский терминал", "генеральный директор"),
        _fact("Нино Абашидзе", "Грузия", "министр"),  # wrong post
        _fact("Айдар Нурланов", "Евразийский банк развития", "аналитик"),  # not scorable
        _fact("Марат Сейтов", "Казахстан", "аналитик"),  # no such fact
        {**_fact("Нино Абашидзе", "Грузия", "посол"), "predicate": "met_with"},
        {**_fact("Нино Абашидзе", "Грузия", "посол"), "doc_id": "elsewhere.txt"},
    ]
    report = evaluate_brat(docs, predictions)
    counts = report.by_predicate["holds_position"]
    assert (counts.gold, counts.pred, counts.tp) == (3, 4, 2)
    assert report.unscored == 3
    assert [f["subject"]["normal"] for f in report.extras] == ["Нино Абашидзе", "Марат Сейтов"]
    assert [f["qualifiers"]["position"] for f in report.misses] == ["посол Грузии"]


def test_overlapping_offsets_make_the_person_agree():
    docs, _ = load_brat(NEREL)
    text = docs[0].text
    start = text.index("Тулегенов", 100)  # the later mention, tied by ALTERNATIVE_NAME
    fact = _fact("Е. Т.", "Казахстан", "министр энергетики")
    fact["subject"].update(start=start, end=start + len("Тулегенов"))
    assert evaluate_brat(docs, [fact]).by_predicate["holds_position"].tp == 1


def test_person_mentions_match_normal_forms():
    assert same_person_mention("Ильёй Коробовым", "Илья Коробов")
    assert same_person_mention("Тулегенов", "Ержан Тулегенов")
    assert not same_person_mention("Ильёй Коробовым", "Илья Коробкин")
    assert not same_person_mention("Ильёй Коробовым", "Пётр Коробов")


def test_post_agreement_allows_the_place_and_status_words():
    assert same_post("Министр энергетики Казахстана", "министр энергетики", ["Казахстана"])
    assert same_post("экс-президента", "президент", ["США"])
    assert not same_post("Министр энергетики Казахстана", "министр", ["Казахстана"])
    assert not same_post("директором", "генеральный директор", ["Каспийский терминал"])
    assert not same_post("посол", None, [])


@pytest.mark.slow
def test_cli_evaluate_brat_runs_the_extractors_and_reports_problems(capsys):
    assert main(["evaluate", "--brat", str(NEREL)]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("holds_position"))
    gold, pred, tp = (int(cell) for cell in row.split()[1:4])
    assert gold == 3 and tp >= 1  # «Министр энергетики Казахстана Ержан Тулегенов»
    assert main(["evaluate", "--brat", str(BROKEN), "--pred", str(NEREL / "officials.txt")]) == 2
    capsys.readouterr()


def test_cli_evaluate_brat_with_predictions_file(tmp_path, capsys):
    pred = tmp_path / "pred.jsonl"
    pred.write_text(json.dumps(_fact("Ержан Тулегенов", "Казахстан", "министр энергетики"),
                               ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["evaluate", "--brat", str(BROKEN), "--pred", str(pred)]) == 1
    captured = capsys.readouterr()
    assert "holds_position            1      1      1" in captured.out
    assert "officials.ann:6: cannot parse 'this is not brat'" in captured.err
    assert main(["evaluate", "--brat", str(tmp_path)]) == 2  # no .txt/.ann pairs
    assert "no .txt files with .ann" in capsys.readouterr().err
