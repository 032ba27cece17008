"""The runner: files read where they are processed, documents of earlier runs skipped, the
same outcomes in the same order whatever the number of worker processes."""

import pytest

from pipeline.read import Document, ReadError
from pipeline.run import Source, process

TEXT = "Министр энергетики Казахстана Тимур Абенов встретился с послом в Астане.\n"


def snapshot(outcomes) -> list[tuple]:
    return [(o.doc_id, o.status, o.format, o.error, [f.to_json() for f in o.facts])
            for o in outcomes]


@pytest.mark.slow
def test_sources_are_read_by_the_worker_in_order_with_skips(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"text": "Первая запись."}\n{"text": "' + TEXT.strip()
                                      + '"}\n', encoding="utf-8")
    items = [
        Source("a.txt", str(tmp_path / "a.txt")),
        ReadError("gone.txt", str(tmp_path / "gone.txt"), "no such file or folder"),
        Source("b.jsonl", str(tmp_path / "b.jsonl")),
        Document("given", "given", TEXT, "utf-8", "text", len(TEXT.encode())),
        Source("missing.txt", str(tmp_path / "missing.txt")),
    ]
    skip = {"b.jsonl:1"}
    one = snapshot(process(items, batch_size=2, jobs=1, skip=skip))
    assert [(doc_id, status) for doc_id, status, *_ in one] == [
        ("a.txt", "ok"), ("gone.txt", "error"), ("b.jsonl:2", "ok"), ("given", "ok"),
        ("missing.txt", "error")]
    assert one[0][4] and one[0][4] == [f.replace(b'"given"', b'"a.txt"') for f in one[3][4]]
    assert "no such file" in one[4][3]
    assert snapshot(process(items, batch_size=2, jobs=2, skip=skip)) == one


@pytest.mark.slow
def test_a_worker_that_dies_stops_the_run_with_an_error_not_a_hang(tmp_path):
    import multiprocessing
    import os
    import signal

    from pipeline.errors import WorkerDied

    for n in range(40):
        (tmp_path / f"{n:02d}.txt").write_text(TEXT * 20, encoding="utf-8")
    items = [Source(p.name, str(p)) for p in sorted(tmp_path.glob("*.txt"))]
    outcomes = process(items, batch_size=1, jobs=2)
    workers = multiprocessing.active_children()
    assert len(workers) == 2  # started before the first outcome is asked for
    next(outcomes)
    os.kill(workers[0].pid, signal.SIGKILL)
    with pytest.raises(WorkerDied, match="--resume"):
        for _ in outcomes:
            pass


def test_document_record_counts_facts_without_copying_them_after_the_fields_in_order():
    from pipeline.run import Outcome

    class Uncopied:
        def __deepcopy__(self, memo):
            raise AssertionError("a fact was copied to make a documents record")

    facts = [Uncopied(), Uncopied()]
    outcome = Outcome("a.txt", "in/a.txt", "ok", size=10, encoding="cp1251", format="text",
                      facts=facts, seconds=0.123456)
    record = outcome.record()
    assert list(record) == ["doc_id", "path", "status", "size", "encoding", "format", "error",
                            "seconds", "facts"]
    assert record["facts"] == 2 and record["seconds"] == 0.1235


def test_processed_documents_do_not_stay_in_memory(nlp):
    import gc

    from spacy.tokens import Doc

    from pipeline.layers import store
    from pipeline.run import process_batch

    def live_docs() -> int:
        gc.collect()
        return sum(isinstance(o, Doc) for o in gc.get_objects())

    # a post with a country and one without (a national post the layer asks about)
    documents = [Document(f"d{n}.txt", f"d{n}.txt", f"Министр энергетики Казахстана Ерлан "
                          f"Аккенженов провёл встречу номер {n}. Вице-премьер Тимур Абенов "
                          f"выступил.", "utf-8", "text", 80) for n in range(8)]
    before, docs_before = len(store._CACHES), live_docs()
    outcomes = process_batch(nlp, documents)
    assert [o.status for o in outcomes] == ["ok"] * 8
    assert len(store._CACHES) == before
    assert live_docs() == docs_before


def test_words_are_kept_until_the_limit_then_each_batch_forgets_its_own(nlp, monkeypatch):
    from pipeline import run

    def batch(tag: str) -> list[Document]:
        return [Document(f"{tag}{n}", f"{tag}{n}", f"Министр Ерлан Аккенженов провёл встречу "
                         f"в селе {tag}{'аб'[n % 2] * (n + 1)}.", "utf-8", "text", 80)
                for n in range(3)]

    strings = nlp.vocab.strings
    monkeypatch.setattr(run, "KEEP_STRINGS", len(strings) + 10_000)
    run.process_batch(nlp, batch("кеп"))
    assert "кепа" in strings  # below the limit: the batch's words stay
    monkeypatch.setattr(run, "KEEP_STRINGS", len(strings))
    kept = len(strings)
    outcomes = run.process_batch(nlp, batch("зон"))
    assert [o.status for o in outcomes] == ["ok"] * 3
    assert "зона" not in strings and len(strings) == kept  # at the limit: forgotten
