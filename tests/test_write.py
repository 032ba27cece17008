"""Crash-safe writing: `resume_state` keeps exactly the finished documents' lines."""

import os

import orjson

from pipeline.write import JsonLinesWriter, read_records, resume_state


def _fact(doc_id: str, n: int) -> dict:
    return {"doc_id": doc_id, "predicate": "met_with", "n": n}


def _lines(path) -> list[dict]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def test_resume_drops_unfinished_documents_and_torn_line(tmp_path):
    facts, docs = tmp_path / "facts.jsonl", tmp_path / "facts.docs.jsonl"
    with JsonLinesWriter(str(facts)) as out, JsonLinesWriter(str(docs)) as records:
        out.write([_fact("a", 1), _fact("a", 2)])
        records.write([{"doc_id": "a", "status": "ok"}])
        out.write([_fact("b", 1)])
        records.write([{"doc_id": "b", "status": "error"}])
        out.write([_fact("c", 1), _fact("c", 2)])  # killed before c's record
    with open(facts, "ab") as stream:
        stream.write(b'{"doc_id": "c", "predicate": "me')  # torn last line
    with open(docs, "ab") as stream:
        stream.write(b'{"doc_id": "c", "sta')

    done = resume_state(str(facts), str(docs))

    assert done == {"a", "b"}
    assert _lines(facts) == [_fact("a", 1), _fact("a", 2), _fact("b", 1)]
    assert [r["doc_id"] for r in _lines(docs)] == ["a", "b"]
    assert facts.read_bytes().endswith(b"\n") and docs.read_bytes().endswith(b"\n")


def test_resume_without_docs_file_starts_over(tmp_path):
    facts, docs = tmp_path / "facts.jsonl", tmp_path / "facts.docs.jsonl"
    facts.write_bytes(orjson.dumps(_fact("a", 1)) + b"\n")
    assert resume_state(str(facts), str(docs)) == set()
    assert not facts.exists() and not docs.exists()


def test_resume_twice_is_stable(tmp_path):
    facts, docs = tmp_path / "facts.jsonl", tmp_path / "facts.docs.jsonl"
    facts.write_bytes(orjson.dumps(_fact("a", 1)) + b"\n" + orjson.dumps(_fact("z", 1)) + b"\n")
    docs.write_bytes(orjson.dumps({"doc_id": "a"}) + b"\n")
    first = (resume_state(str(facts), str(docs)), facts.read_bytes(), docs.read_bytes())
    second = (resume_state(str(facts), str(docs)), facts.read_bytes(), docs.read_bytes())
    assert first == second
    assert read_records(str(facts)) == [_fact("a", 1)]


def test_writer_appends_whole_lines(tmp_path):
    path = tmp_path / "out.jsonl"
    with JsonLinesWriter(str(path)) as out:
        out.write([{"x": 1}])
        out.write([])
    with JsonLinesWriter(str(path), append=True) as out:
        out.write([{"x": 2}, {"x": 3}])
    assert _lines(path) == [{"x": 1}, {"x": 2}, {"x": 3}]


def test_writing_to_a_device_closes_cleanly():
    with JsonLinesWriter(os.devnull) as writer:  # fsync is refused on /dev/null
        writer.write([{"a": 1}])
