"""The annotated corpus: gold lines follow the guidelines' format, mentions occur in their
documents, and the sealed test split is exactly what was committed."""

import hashlib
import json

import pytest
from conftest import ROOT

SPLITS = ("dev", "test")
TYPES = {
    "holds_position": ({"PER"}, {"LOC", "ORG"}, {"position", "status"}),
    "route_volume": ({"ROUTE"}, {"QUANTITY"}, {"year", "status", "commodity", "approx"}),
    "project_participant": ({"PROJECT"}, {"LOC", "ORG"}, {"role"}),
    "met_with": ({"PER"}, {"PER"}, {"place", "event", "date", "format"}),
}
UNITS = {"t", "bbl", "m3", "kWh", "TEU", "t/d", "bbl/d", "m3/d"}
QUALIFIER_VALUES = {
    ("holds_position", "status"): {"former", "acting"},
    ("route_volume", "status"): {"actual", "planned", "forecast"},
    ("route_volume", "approx"): {"about", "at_least", "at_most"},
    ("met_with", "format"): {"phone", "video"},
}


def gold_lines(split: str) -> list[dict]:
    path = ROOT / "corpus" / split / "gold.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def documents(split: str) -> dict[str, str]:
    folder = ROOT / "corpus" / split / "docs"
    return {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir()}


@pytest.mark.parametrize("split", SPLITS)
def test_every_gold_mention_occurs_in_its_document(split):
    docs = documents(split)
    for fact in gold_lines(split):
        text = docs[fact["doc_id"]]
        for side in ("subject", "object"):
            assert fact[side]["text"] in text, (fact["doc_id"], fact[side]["text"])


@pytest.mark.parametrize("split", SPLITS)
def test_gold_facts_have_the_types_and_qualifiers_of_their_predicate(split):
    for fact in gold_lines(split):
        subjects, objects, qualifiers = TYPES[fact["predicate"]]
        where = (fact["doc_id"], fact["predicate"], fact["subject"]["normal"])
        assert fact["subject"]["type"] in subjects, where
        assert fact["object"]["type"] in objects, where
        assert set(fact["qualifiers"]) <= qualifiers, where
        for (predicate, key), allowed in QUALIFIER_VALUES.items():
            if fact["predicate"] == predicate and key in fact["qualifiers"]:
                assert fact["qualifiers"][key] in allowed, where
        if fact["predicate"] == "route_volume":
            assert {"year", "status", "commodity"} <= set(fact["qualifiers"]), where
            assert fact["object"]["unit"] in UNITS, where
            waypoints = fact["subject"]["waypoints"]
            assert not waypoints or " – ".join(waypoints) == fact["subject"]["normal"], where


@pytest.mark.parametrize("split", SPLITS)
def test_gold_is_sorted_by_document_and_every_document_is_annotated(split):
    ids = [fact["doc_id"] for fact in gold_lines(split)]
    assert ids == sorted(ids)
    assert set(ids) == set(documents(split))


def test_sealed_test_split_is_unchanged():
    folder = ROOT / "corpus" / "test"
    listed = {}
    for line in (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split(maxsplit=1)
        listed[name] = digest
    present = {"gold.jsonl"} | {f"docs/{p.name}" for p in (folder / "docs").iterdir()}
    assert set(listed) == present
    for name, digest in listed.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name


def test_sealed_split_shares_no_document_with_dev():
    assert not set(documents("dev")) & set(documents("test"))
    dev_texts = set(documents("dev").values())
    assert not any(text in dev_texts for text in documents("test").values())

