"""spaCy DocBin: a fresh process, with spaCy alone, gets back tokens, morphology, syntax,
entities, every span group and the facts."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from spacy.tokens import DocBin, Span

from pipeline.cli import main
from pipeline.facts import Fact
from pipeline.review.docbin import load_docbin, prepare, to_docbin

pytestmark = pytest.mark.slow  # loads the pipeline and starts a process

ROOT = Path(__file__).resolve().parent.parent
TEXT = ("Министр энергетики Казахстана Ержан Кудайбергенов провел в Астане переговоры "
        "с министром энергетики Азербайджана Эльнуром Багировым.")
LAYERS = ("rufakt_entities", "rufakt_time", "rufakt_modality")  # the lead's layers, later

READER = """
import json, sys
from spacy.tokens import DocBin
from spacy.vocab import Vocab
doc = next(DocBin().from_disk(sys.argv[1]).get_docs(Vocab()))
print(json.dumps({
    "text": doc.text,
    "tokens": [[t.text, t.lemma_, t.pos_, str(t.morph), t.dep_, t.head.i, t.is_sent_start]
               for t in doc],
    "ents": [[e.start_char, e.end_char, e.label_] for e in doc.ents],
    "spans": {key: [[s.start_char, s.end_char, s.label_] for s in group]
              for key, group in doc.spans.items()},
    "facts": doc.user_data["rufakt_facts"],
    "doc_id": doc.user_data["doc_id"],
    "modules": sorted(m for m in sys.modules if m.split(".")[0] == "pipeline"),
}, ensure_ascii=False))
"""


def _snapshot(doc) -> dict:
    return {
        "text": doc.text,
        "tokens": [[t.text, t.lemma_, t.pos_, str(t.morph), t.dep_, t.head.i, t.is_sent_start]
                   for t in doc],
        "ents": [[e.start_char, e.end_char, e.label_] for e in doc.ents],
        "spans": {key: [[s.start_char, s.end_char, s.label_] for s in group]
                  for key, group in doc.spans.items()},
    }


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    import pipeline

    nlp = pipeline.load()
    doc = nlp(TEXT)
    for index, key in enumerate(LAYERS):  # stand-ins for layers the lead adds later
        doc.spans[key] = [Span(doc, index, index + 2, label=f"{key}_label")]
    facts = list(doc._.facts)
    docbin, problems = to_docbin([("a.txt", doc)])
    assert problems == []
    path = tmp_path_factory.mktemp("docbin") / "docs.spacy"
    docbin.to_disk(path)
    return path, doc, facts


def test_a_fresh_process_gets_everything_back_with_spacy_alone(stored):
    path, doc, facts = stored
    assert facts, "the example should give facts"
    result = subprocess.run([sys.executable, "-c", READER, str(path)], capture_output=True,
                            text=True, cwd=ROOT / "tests", timeout=120)
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded["modules"] == []  # plain spaCy, rufakt not imported
    expected = _snapshot(doc)
    for key in ("text", "tokens", "ents"):
        assert loaded[key] == expected[key], key
    assert loaded["spans"] == expected["spans"]
    assert set(LAYERS) <= set(loaded["spans"])
    assert loaded["doc_id"] == "a.txt"
    assert [Fact.model_validate(f) for f in loaded["facts"]] == [
        f.model_copy(update={"doc_id": "a.txt"}) for f in facts]


def test_fact_span_groups_are_aligned_with_the_facts(stored):
    path, _, facts = stored
    doc = next(load_docbin(path))
    assert [f.subject.text for f in doc._.facts] == [f.subject.text for f in facts]
    for index, fact in enumerate(doc._.facts):
        subject = doc.spans["rufakt_fact_subjects"][index]
        obj = doc.spans["rufakt_fact_objects"][index]
        evidence = doc.spans["rufakt_fact_evidence"][index]
        assert (subject.text, subject.label_) == (fact.subject.text, fact.predicate)
        assert obj.text == fact.object.text
        assert evidence.start_char <= fact.evidence.start < evidence.end_char


def test_user_data_msgpack_cannot_store_is_named_not_silently_lost():
    import spacy

    doc = spacy.blank("ru")("Текст.")
    doc.user_data["broken"] = object()
    doc.user_data["kept"] = [1, 2]
    problems = prepare(doc, "x.txt")
    assert problems == ["user data 'broken' cannot be stored in a DocBin and was left out"]
    docbin = DocBin(store_user_data=True)
    docbin.add(doc)
    back = next(DocBin().from_bytes(docbin.to_bytes()).get_docs(doc.vocab))
    # msgpack gives lists back as tuples
    assert back.user_data["kept"] == (1, 2) and len(back.user_data["rufakt_facts"]) == 0


def test_cli_export_docbin(tmp_path, capsys):
    source = ROOT / "corpus" / "dev" / "docs" / "01_kaz_azer_oil_talks.txt"
    doc = tmp_path / source.name  # beside the empty file, so the ids are the file names
    doc.write_text(source.read_text(encoding="utf-8") if source.exists() else TEXT,
                   encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    output = tmp_path / "out.spacy"
    assert main(["export", "docbin", str(doc), str(empty), "-o", str(output)]) == 1
    assert "empty file" in capsys.readouterr().err
    docs = list(load_docbin(output))
    assert [d.user_data["doc_id"] for d in docs] == [doc.name]
    assert docs[0].text == doc.read_text(encoding="utf-8") and docs[0]._.facts
