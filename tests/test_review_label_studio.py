"""Label Studio: tasks and config that Label Studio's own interface classes accept, reviewed
exports back in as gold (the corpus gold round-trips fact for fact), bad exports reported
task by task."""

import copy
import json
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.evaluate import evaluate
from pipeline.review.documents import pair_up, read_documents
from pipeline.review.label_studio import (
    export_tasks,
    from_js,
    import_tasks,
    label_config,
    make_task,
    to_js,
)

ROOT = Path(__file__).resolve().parent.parent
# The project's annotated documents: corpus/dev/ once the lead has moved them, else corpus/.
GOLD = next(p for p in (ROOT / "corpus" / "dev" / "gold.jsonl", ROOT / "corpus" / "gold.jsonl")
            if p.exists())
DOCS = GOLD.parent / "docs"

TEXT = ("Министр энергетики Казахстана Ержан Кудайбергенов провел в Астане переговоры "
        "с министром энергетики Азербайджана Эльнуром Багировым.")


def _mention(text: str, normal: str, kind: str, doc: str = TEXT, **extra) -> dict:
    start = doc.index(text)
    return {"text": text, "normal": normal, "type": kind, "start": start,
            "end": start + len(text), **extra}


def predicted() -> list[dict]:
    """Facts as `rufakt extract` writes them (offsets, evidence, confidence, provenance)."""
    evidence = {"text": TEXT, "start": 0, "end": len(TEXT)}
    person_a = _mention("Ержан Кудайбергенов", "Ержан Кудайбергенов", "PER")
    person_b = _mention("Эльнуром Багировым", "Эльнур Багиров", "PER")
    return [
        {"doc_id": "a.txt", "predicate": "holds_position", "subject": person_a,
         "object": _mention("Казахстана", "Казахстан", "LOC"),
         "qualifiers": {"position": "министр энергетики"}, "evidence": evidence,
         "confidence": 0.9, "provenance": {"rule": "holds_position.post_before_name"}},
        {"doc_id": "a.txt", "predicate": "holds_position", "subject": person_b,
         "object": _mention("Азербайджана", "Азербайджан", "LOC"),
         "qualifiers": {"position": "министр энергетики"}, "evidence": evidence,
         "confidence": 0.8, "provenance": {"rule": "holds_position.post_before_name"}},
        {"doc_id": "a.txt", "predicate": "met_with", "subject": person_a, "object": person_b,
         "qualifiers": {"place": "Астана"}, "evidence": evidence, "confidence": 0.7,
         "provenance": {"rule": "met_with.talks"}},
    ]


def gold_of(facts: list[dict]) -> list[dict]:
    """The gold shape of facts: no offsets, evidence, confidence or provenance."""
    keep = ("text", "normal", "type", "aliases", "waypoints", "value", "unit")
    return [{"doc_id": f["doc_id"], "predicate": f["predicate"],
             "subject": {k: v for k, v in f["subject"].items() if k in keep},
             "object": {k: v for k, v in f["object"].items() if k in keep},
             "qualifiers": f["qualifiers"]} for f in facts]


def reviewed(task: dict) -> dict:
    """What Label Studio exports after a reviewer accepted the predictions unchanged."""
    export = copy.deepcopy(task)
    export["id"] = 7
    export["annotations"] = [{"id": 1, "result": export.pop("predictions")[0]["result"],
                              "was_cancelled": False}]
    return export


def results(task: dict) -> list[dict]:
    return task["annotations"][0]["result"]


# ---------------------------------------------------------------- validated by Label Studio


@pytest.fixture(scope="module")
def interface():
    sdk = pytest.importorskip("label_studio_sdk.label_interface")
    return sdk.LabelInterface(label_config())


def test_label_config_is_valid_for_label_studio(interface):
    interface.validate()  # raises on a schema error, a duplicate name or a dangling toName
    assert {label for label in interface.get_control("type").labels} == {
        "PER", "LOC", "ORG", "ROUTE", "PROJECT", "QUANTITY"}
    assert interface.get_control("route_volume.status").labels == ["actual", "planned",
                                                                   "forecast"]


def test_predicted_tasks_validate_against_the_config(interface):
    task, problems = make_task("a.txt", TEXT, predicted())
    assert problems == []
    assert interface.validate_task({"data": task["data"]})
    assert interface.validate_prediction(task["predictions"][0], return_errors=True) == []


def test_validation_is_not_vacuous(interface):
    task, _ = make_task("a.txt", TEXT, predicted())
    prediction = task["predictions"][0]
    prediction["result"][0]["value"]["labels"] = ["PERSON"]  # a label the config lacks
    prediction["result"].append({"from_id": "r1", "to_id": "gone", "type": "relation",
                                 "direction": "right", "labels": ["met_with"]})
    errors = str(interface.validate_prediction(prediction, return_errors=True))
    assert "Invalid value for control 'type'" in errors
    assert "'to_id' 'gone' not found" in errors


def test_every_task_of_the_corpus_validates(interface):
    documents, _ = read_documents([DOCS])
    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    paired, _ = pair_up(gold, documents)
    tasks, problems = export_tasks([(name, d.text, d.date) for name, d, _ in paired],
                                   {name: facts for name, _, facts in paired})
    assert problems == []
    for task in tasks:
        assert interface.validate_prediction(task["predictions"][0], return_errors=True) == []


# ---------------------------------------------------------------- the task


def test_prediction_carries_score_model_version_and_rules():
    task, _ = make_task("a.txt", TEXT, predicted(), date="2024-03-14")
    assert task["data"] == {"text": TEXT, "doc_id": "a.txt", "date": "2024-03-14"}
    prediction = task["predictions"][0]
    assert prediction["score"] == 0.7  # the weakest fact: sorting by score reviews it first
    assert prediction["model_version"].startswith("rufakt-")
    assert prediction["model_version"].endswith(
        "rules: holds_position.post_before_name, met_with.talks")
    relations = [r for r in prediction["result"] if r["type"] == "relation"]
    assert [r["labels"] for r in relations] == [["holds_position"], ["holds_position"],
                                                ["met_with"]]


def test_regions_are_shared_unless_qualifiers_differ():
    task, _ = make_task("a.txt", TEXT, predicted())
    labels = [r for r in task["predictions"][0]["result"] if r.get("from_name") == "type"]
    # two persons (each the subject of one post and one side of the meeting), two countries
    assert sorted(r["value"]["text"] for r in labels) == sorted(
        ["Ержан Кудайбергенов", "Эльнуром Багировым", "Казахстана", "Азербайджана"])
    twice = [dict(predicted()[0], qualifiers={"position": "вице-премьер"}), predicted()[0]]
    task, _ = make_task("a.txt", TEXT, twice)
    labels = [r for r in task["predictions"][0]["result"] if r.get("from_name") == "type"]
    assert [r["value"]["text"] for r in labels].count("Казахстана") == 2


def test_gold_mentions_without_offsets_are_found_near_the_other_argument():
    text = "Глава Казахстана. " + TEXT
    gold = gold_of(predicted()[:1])
    task, problems = make_task("a.txt", text, gold)
    assert problems == []
    regions = {r["value"]["text"]: r["value"]["start"]
               for r in task["predictions"][0]["result"] if r.get("from_name") == "type"}
    assert regions["Казахстана"] == text.index("Казахстана", 10)  # next to the minister


def test_a_mention_missing_from_the_text_is_reported_and_the_rest_exported():
    facts = gold_of(predicted())
    facts[0]["object"]["text"] = "Киргизии"
    task, problems = make_task("a.txt", TEXT, facts)
    assert problems == ["a.txt: fact 1 (holds_position): «Киргизии» does not occur in the "
                        "document"]
    relations = [r for r in task["predictions"][0]["result"] if r["type"] == "relation"]
    assert len(relations) == 2


def test_qualifiers_without_a_review_field_are_named_and_the_fact_exported():
    facts = predicted()
    facts[0]["qualifiers"] = {"position": "министр энергетики", "since": "2020", "until": None}
    task, problems = make_task("a.txt", TEXT, facts)
    assert problems == ["a.txt: fact 1 (holds_position): qualifiers since have no review field "
                        "and are left out"]
    assert len([r for r in task["predictions"][0]["result"] if r["type"] == "relation"]) == 3


def test_offsets_are_utf16_for_label_studio():
    text = "Итоги 📈: министр Ержан Кудайбергенов"
    start = text.index("Ержан")
    assert to_js(text, start) == start + 1  # the emoji is two UTF-16 code units
    assert from_js(text, to_js(text, start)) == start
    assert to_js(TEXT, 30) == 30


# ---------------------------------------------------------------- corrections back as gold


def test_the_corpus_gold_round_trips_fact_for_fact():
    documents, unread = read_documents([DOCS])
    assert unread == []
    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    paired, missing = pair_up(gold, documents)
    assert missing == []
    tasks, problems = export_tasks([(name, d.text, d.date) for name, d, _ in paired],
                                   {name: facts for name, _, facts in paired},
                                   as_annotations=True)
    assert problems == []
    imported = import_tasks(json.loads(json.dumps(tasks, ensure_ascii=False)))
    assert imported.problems == [] and imported.notes == []
    by_doc = lambda fact: fact["doc_id"]  # noqa: E731  (stable: each document's order kept)
    assert sorted(imported.facts, key=by_doc) == sorted(gold, key=by_doc)


def test_accepted_predictions_import_as_their_gold():
    task, _ = make_task("a.txt", TEXT, predicted())
    imported = import_tasks([reviewed(task)])
    assert imported.problems == []
    assert imported.facts == gold_of(predicted())


def test_a_simulated_review_fixes_deletes_and_adds_facts():
    task, _ = make_task("a.txt", TEXT, predicted())
    export = reviewed(task)
    result = results(export)
    # fix: Багиров's post is «вице-премьер»; delete the meeting; add a missing post
    for item in result:
        if item.get("from_name") == "holds_position.position" and item["id"] == "r4":
            item["value"]["text"] = ["вице-премьер"]
    result[:] = [r for r in result if r.get("labels") != ["met_with"]]
    start = TEXT.index("Астане")
    result += [
        {"id": "new1", "from_name": "type", "to_name": "text", "type": "labels",
         "value": {"start": start, "end": start + 6, "text": "Астане", "labels": ["LOC"]}},
        {"id": "new1", "from_name": "normal", "to_name": "text", "type": "textarea",
         "value": {"start": start, "end": start + 6, "text": ["Астана"]}},
        {"id": "new1", "from_name": "holds_position.position", "to_name": "text",
         "type": "textarea", "value": {"start": start, "end": start + 6, "text": ["гость"]}},
        {"from_id": "r1", "to_id": "new1", "type": "relation", "direction": "right",
         "labels": ["holds_position"]},
    ]
    imported = import_tasks([export])
    assert imported.problems == []
    described = [(f["predicate"], f["subject"]["normal"], f["object"]["normal"],
                  f["qualifiers"]) for f in imported.facts]
    assert described == [
        ("holds_position", "Ержан Кудайбергенов", "Казахстан", {"position": "министр энергетики"}),
        ("holds_position", "Эльнур Багиров", "Азербайджан", {"position": "вице-премьер"}),
        ("holds_position", "Ержан Кудайбергенов", "Астана", {"position": "гость"}),
    ]
    report = evaluate(imported.facts, predicted())
    assert (report.overall.gold, report.overall.pred, report.overall.tp) == (3, 3, 2)


def test_route_volume_qualifiers_and_quantities_come_back_typed():
    text = "В 2024 году по КТК прокачано около 63 млн тонн нефти."
    fact = {"doc_id": "r.txt", "predicate": "route_volume",
            "subject": {"text": "КТК", "normal": "Тенгиз – Новороссийск", "type": "ROUTE",
                        "waypoints": ["Тенгиз", "Новороссийск"], "aliases": ["КТК"]},
            "object": {"text": "около 63 млн тонн", "normal": "63000000 t", "type": "QUANTITY",
                       "value": 63000000, "unit": "t"},
            "qualifiers": {"year": 2024, "status": "actual", "commodity": "нефть",
                           "approx": "about"}}
    task, _ = make_task("r.txt", text, [fact], as_annotations=True)
    imported = import_tasks([task])
    assert imported.facts == [fact]
    assert isinstance(imported.facts[0]["qualifiers"]["year"], int)


def test_blank_route_volume_year_is_an_explicit_null():
    text = "По КТК прокачано 63 млн тонн нефти."
    fact = {"doc_id": "r.txt", "predicate": "route_volume",
            "subject": {"text": "КТК", "normal": "КТК", "type": "ROUTE", "waypoints": []},
            "object": {"text": "63 млн тонн", "normal": "63000000 t", "type": "QUANTITY",
                       "value": 63000000, "unit": "t"},
            "qualifiers": {"year": None, "status": "actual", "commodity": None}}
    task, _ = make_task("r.txt", text, [fact], as_annotations=True)
    assert import_tasks([task]).facts == [fact]


def test_the_ground_truth_or_latest_annotation_counts_and_cancelled_ones_do_not():
    task, _ = make_task("a.txt", TEXT, predicted(), as_annotations=True)
    empty = {"id": 2, "result": [], "updated_at": "2026-01-02T00:00:00Z"}
    full = {"id": 1, "result": results(task), "updated_at": "2026-01-01T00:00:00Z"}
    assert import_tasks([{**task, "annotations": [full, empty]}]).facts == []
    assert len(import_tasks([{**task, "annotations": [{**full, "ground_truth": True},
                                                      empty]}]).facts) == 3
    cancelled = {**empty, "was_cancelled": True}
    assert len(import_tasks([{**task, "annotations": [full, cancelled]}]).facts) == 3


# ---------------------------------------------------------------- bad exports


def test_an_export_from_another_labelling_config_is_named_and_the_rest_imported():
    good, _ = make_task("a.txt", TEXT, predicted(), as_annotations=True)
    other = {"id": 12, "data": {"text": TEXT, "doc_id": "b.txt"}, "annotations": [{"result": [
        {"id": "x", "from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": 0, "end": 7, "labels": ["Person"]}},
        {"id": "y", "from_name": "sentiment", "to_name": "text", "type": "choices",
         "value": {"choices": ["Positive"]}}]}]}
    imported = import_tasks([other, good])
    assert len(imported.facts) == 3
    assert imported.problems == [
        "task 12 (b.txt): made with another labelling config (controls label, sentiment are "
        "not rufakt's; `rufakt export label-studio --config` prints rufakt's config)"]


def test_a_label_from_another_config_is_named():
    task, _ = make_task("a.txt", TEXT, predicted(), as_annotations=True)
    results(task)[0]["value"]["labels"] = ["PERSON"]
    problems = import_tasks([task]).problems
    assert len(problems) == 1 and "region r1 is labelled ['PERSON']" in problems[0]


def test_tasks_without_text_are_named_and_the_rest_imported():
    good, _ = make_task("a.txt", TEXT, predicted(), as_annotations=True)
    imported = import_tasks([{"id": 3, "data": {"doc_id": "c.txt"}}, {"data": {"text": ""}},
                             "not a task", good])
    assert imported.problems == [
        "task 3 (c.txt): no text (the task's data has no 'text' field)",
        "task #2: no text (the task's data has no 'text' field)",
        "task #3: not a JSON object",
    ]
    assert len(imported.facts) == 3 and imported.tasks == 4


def test_relations_to_deleted_regions_are_named_and_the_other_facts_kept():
    task, _ = make_task("a.txt", TEXT, predicted(), as_annotations=True)
    results(task)[:] = [r for r in results(task) if r.get("id") != "r4"]  # «Азербайджана»
    imported = import_tasks([{**task, "id": 5}])
    assert imported.problems == [
        "task 5 (a.txt): relation r3 → r4 (holds_position) points to r4, which is not a region "
        "of the annotation (deleted?)"]
    assert [f["predicate"] for f in imported.facts] == ["holds_position", "met_with"]


def test_a_relation_against_the_predicate_signature_is_named():
    task, _ = make_task("a.txt", TEXT, predicted(), as_annotations=True)
    relation = next(r for r in results(task) if r["type"] == "relation")
    relation["labels"] = ["route_volume"]
    problems = import_tasks([task]).problems
    assert problems == ["task #1 (a.txt): relation r1 → r2: route_volume goes from ROUTE to "
                        "QUANTITY, not from PER «Ержан Кудайбергенов» to LOC «Казахстана»"]


def test_a_region_whose_text_changed_is_named():
    task, _ = make_task("a.txt", TEXT, predicted(), as_annotations=True)
    task["data"]["text"] = TEXT.replace("Ержан", "Ерлан")
    problems = import_tasks([task]).problems
    assert problems[0].startswith("task #1 (a.txt): region r1 marks «Ержан Кудайбергенов»")


def test_unreviewed_tasks_are_listed_not_imported():
    task, _ = make_task("a.txt", TEXT, predicted())
    imported = import_tasks([task])
    assert imported.facts == [] and imported.problems == []
    assert imported.notes == ["task #1 (a.txt): not reviewed (no annotation), nothing imported"]


# ---------------------------------------------------------------- the commands


def test_cli_exports_tasks_and_config_and_imports_gold(tmp_path, capsys):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text(TEXT, encoding="utf-8")
    facts = tmp_path / "facts.jsonl"
    facts.write_text("".join(json.dumps(f, ensure_ascii=False) + "\n" for f in predicted()),
                     encoding="utf-8")
    tasks = tmp_path / "tasks.json"
    assert main(["export", "label-studio", str(facts), "--docs", str(tmp_path / "docs"),
                 "-o", str(tasks)]) == 0
    assert "1 tasks, 3 facts →" in capsys.readouterr().err
    assert main(["export", "label-studio", "--config", "-o", str(tmp_path / "c.xml")]) == 0
    assert (tmp_path / "c.xml").read_text(encoding="utf-8") == label_config()
    exported = json.loads(tasks.read_text(encoding="utf-8"))
    export = tmp_path / "export.json"
    export.write_text(json.dumps([reviewed(exported[0])], ensure_ascii=False), encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    assert main(["import", "label-studio", str(export), "-o", str(gold)]) == 0
    lines = gold.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == gold_of(predicted())
    assert "Эльнур Багиров" in lines[1]  # not ASCII-escaped, like corpus/gold.jsonl
    assert "1 tasks, 3 gold facts" in capsys.readouterr().err


def test_cli_import_lists_bad_tasks_and_exits_1(tmp_path, capsys):
    good, _ = make_task("a.txt", TEXT, predicted(), as_annotations=True)
    export = tmp_path / "export.json"
    export.write_text(json.dumps([{"id": 9, "data": {}}, good]), encoding="utf-8")
    assert main(["import", "label-studio", str(export), "-o", str(tmp_path / "g.jsonl")]) == 1
    err = capsys.readouterr().err
    assert "task 9: no text" in err and "1 problems listed above" in err
    assert len((tmp_path / "g.jsonl").read_text(encoding="utf-8").splitlines()) == 3


def test_cli_usage_errors_are_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert main(["import", "label-studio", str(bad), "-o", str(tmp_path / "g.jsonl")]) == 2
    assert main(["export", "label-studio", str(tmp_path / "none.jsonl"), "--docs", "x"]) == 2
    (tmp_path / "f.jsonl").write_text("", encoding="utf-8")
    assert main(["export", "label-studio", str(tmp_path / "f.jsonl")]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 3 and all(line.startswith("rufakt ") for line in lines)
    assert "not JSON" in lines[0] and "no such file" in lines[1] and "--docs" in lines[2]


def test_every_unit_the_lexicon_writes_is_a_choice_of_the_config():
    import re

    from pipeline.review.spec import load_spec

    lexicon = ROOT / "pipeline" / "lexicon" / "units.txt"
    if not lexicon.exists():
        pytest.skip("the units lexicon has moved")
    content = lexicon.read_text(encoding="utf-8")
    units = set(re.findall(r"^[^#\[\n]+?=\s*(\w+)\s+[\d.]+", content, re.M))
    per = set(re.findall(r"^[^#\[\n]+?=\s*(/\w+)\s*$", content, re.M))
    assert units and per
    wanted = units | {unit + suffix for unit in units for suffix in per}
    assert wanted <= set(load_spec().units)


def test_a_one_record_json_file_is_found_by_its_file_name(tmp_path):
    (tmp_path / "call.json").write_text(json.dumps({"id": "call-1", "text": TEXT},
                                                   ensure_ascii=False), encoding="utf-8")
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    documents, _ = read_documents([tmp_path])
    assert sorted(documents) == ["a.txt", "call-1"]
    gold = [dict(fact, doc_id="call.json") for fact in gold_of(predicted())]
    paired, missing = pair_up([*gold, dict(gold[0], doc_id="a.txt")], documents)
    assert missing == []
    assert [(name, len(facts)) for name, _, facts in paired] == [("a.txt", 1), ("call.json", 3)]
