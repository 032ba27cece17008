"""pipeline.kb.evaluate: the measures, and the targets on corpus/kb given the gold facts."""

import json

from kbutil import KB_CORPUS

from pipeline.kb.evaluate import bcubed, evaluate, format_report


def test_bcubed_of_a_toy_clustering() -> None:
    gold = {"a": 1, "b": 1, "c": 2}
    assert bcubed({"a": "x", "b": "x", "c": "y"}, gold).f1 == 1.0
    merged = bcubed({"a": "x", "b": "x", "c": "x"}, gold)  # one system cluster for all
    assert round(merged.precision, 3) == round((2 / 3 + 2 / 3 + 1 / 3) / 3, 3)
    assert merged.recall == 1.0
    split = bcubed({"a": "x", "b": "y", "c": "z"}, gold)
    assert split.precision == 1.0 and round(split.recall, 3) == round((0.5 + 0.5 + 1) / 3, 3)


def test_the_corpus_gold_files_agree_with_each_other() -> None:
    facts = [json.loads(line) for line in (KB_CORPUS / "gold.jsonl").open(encoding="utf-8")]
    docs = {p.name for p in (KB_CORPUS / "docs").iterdir()}
    assert len(docs) >= 30 and {f["doc_id"] for f in facts} <= docs
    for fact in facts:
        text = (KB_CORPUS / "docs" / fact["doc_id"]).read_text(encoding="utf-8")
        for side in ("subject", "object"):
            assert fact[side]["text"] in text, (fact["doc_id"], fact[side]["text"])
    mentions = {(d, n) for e in map(json.loads, (KB_CORPUS / "entities.jsonl").open())
                for d, n in e["mentions"]}
    used = {(f["doc_id"], f[s]["normal"]) for f in facts for s in ("subject", "object")
            if f[s]["type"] != "QUANTITY"}
    assert mentions == used
    merged = [json.loads(line) for line in (KB_CORPUS / "merged.jsonl").open()]
    assert sum(len(m["sources"]) for m in merged) <= len(facts)


def test_targets_are_met_given_the_gold_per_document_facts() -> None:
    report = evaluate(KB_CORPUS)
    assert report.bcubed["PER"].f1 >= 0.95 and report.bcubed["ORG"].f1 >= 0.95
    total_tp = sum(s.tp for s in report.merged.values())
    total_pred = sum(s.pred for s in report.merged.values())
    total_gold = sum(s.gold for s in report.merged.values())
    f1 = 2 * total_tp / (total_pred + total_gold)
    assert f1 >= 0.90
    assert len(report.conflicts_found) == 2 and not report.conflicts_missed
    assert not report.conflicts_false
    assert "2 of 2 deliberate conflicts found, 0 false" in format_report(report)
