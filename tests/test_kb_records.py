"""pipeline.kb.records and inputs: every usable line is read, every other one is named."""

import json

import pytest
from kbutil import holds, volume, write_lines

from pipeline.kb.inputs import classify, read_facts_file
from pipeline.kb.records import BadRecord, DocumentInput, parse_statement


def _line(record: dict) -> bytes:
    return json.dumps(record, ensure_ascii=False).encode()


def test_current_first_schema_and_gold_records_are_read() -> None:
    gold = holds("a.txt", "Нурлан Сапаров", "Казахстан", "министр энергетики")
    current = {**gold, "evidence": {"text": "…", "start": 0, "end": 1}, "confidence": 0.9,
               "provenance": {"rule": "holds_position.post_before_name"},
               "doc_date": "2024-03-01"}
    first_schema = {k: v for k, v in current.items() if k not in ("provenance", "doc_date")}
    for record in (gold, current, first_schema):
        statement = parse_statement(_line(record))
        assert statement.subject.normal == "Нурлан Сапаров"
    assert parse_statement(_line(current)).rule == "holds_position.post_before_name"
    assert parse_statement(_line(current)).doc_date == "2024-03-01"


@pytest.mark.parametrize("change, reason", [
    ({"doc_id": None}, "no doc_id"),
    ({"predicate": "owns"}, "predicate 'owns'"),
    ({"subject": {"text": "", "type": "PER"}}, "subject has no normal"),
    ({"object": {"normal": "x", "type": "CITY"}}, "object.type 'CITY'"),
    ({"qualifiers": {}}, "without qualifiers.position"),
    ({"doc_date": "вчера"}, "not an ISO date"),
    ({"confidence": "high"}, "confidence is not a number"),
])
def test_an_unusable_record_says_why(change, reason) -> None:
    record = {**holds("a.txt", "Нурлан Сапаров", "Казахстан", "министр энергетики"), **change}
    with pytest.raises(BadRecord, match=reason):
        parse_statement(_line(record))


def test_a_volume_needs_a_value_and_unit() -> None:
    record = volume("a.txt", "Актау – Баку", 1e6, 2024)
    record["object"].pop("unit")
    with pytest.raises(BadRecord, match="unit is missing"):
        parse_statement(_line(record))


def test_broken_lines_are_reported_with_their_number_and_the_rest_is_read(tmp_path) -> None:
    path = write_lines(tmp_path / "facts.jsonl", [
        holds("a.txt", "Нурлан Сапаров", "Казахстан", "министр энергетики"),
        '{"doc_id": "a.txt", "predicate": "holds_po',
        holds("b.txt", "Бахыт Есимов", "Казахстан", "министр энергетики"),
        "[1, 2]",
        holds("a.txt", "Асет Мусин", "Казахстан", "заместитель министра энергетики"),
    ])
    problems: list[str] = []
    runs = list(read_facts_file(path, problems.append))
    assert [p.split(":")[1] for p in problems] == ["2", "4"]
    assert "not JSON" in problems[0] and "not a JSON object" in problems[1]
    assert [(doc_id, len(statements)) for doc_id, statements in runs] == [
        ("a.txt", 1), ("b.txt", 1), ("a.txt", 1), ("a.txt", 2)]  # scattered: again, whole
    assert [s.subject.normal for s in runs[-1][1]] == ["Нурлан Сапаров", "Асет Мусин"]


def test_a_documents_facts_hash_does_not_depend_on_line_order() -> None:
    lines = [holds("a.txt", "Нурлан Сапаров", "Казахстан", "министр энергетики"),
             volume("a.txt", "Актау – Баку", 1e6, 2024)]
    statements = [parse_statement(_line(r)) for r in lines]
    one = DocumentInput("a.txt", statements=statements)
    other = DocumentInput("a.txt", statements=statements[::-1])
    assert one.facts_hash() == other.facts_hash()
    assert one.facts_hash() != DocumentInput("a.txt", statements=statements[:1]).facts_hash()


def test_inputs_are_sorted_into_facts_documents_files_and_documents(tmp_path) -> None:
    facts = write_lines(tmp_path / "facts.jsonl",
                        [holds("a.txt", "Нурлан Сапаров", "Казахстан", "министр энергетики")])
    docs = write_lines(tmp_path / "facts.docs.jsonl", [{"doc_id": "a.txt", "status": "ok"}])
    export = write_lines(tmp_path / "news.jsonl", [{"id": "1", "text": "Новость."}])
    (tmp_path / "folder").mkdir()
    inputs = classify([str(facts), str(export), str(tmp_path / "folder")])
    assert inputs.facts == [facts]
    assert inputs.docs == [docs]  # found beside the facts file
    assert inputs.raw == [str(export), str(tmp_path / "folder")]
