"""`rufakt kb evaluate`: the knowledge base against the gold of `corpus/kb/`.

* entity clustering: B-cubed precision, recall and F1 over mentions (a mention is a document
  and a name), per entity type, against `entities.jsonl`;
* merged facts: precision, recall and F1 of (predicate, subject, object, defining
  qualifiers) against `merged.jsonl`, a system entity standing for the gold entity most of
  its mentions belong to; among the matches, how many have exactly the gold documents and
  the gold number of independent sources;
* conflicts: which of `conflicts.jsonl` were found, and which found ones are not there.

The per-document facts come from the gold (`gold.jsonl`) or, end to end, from the extractors
run on `docs/` (`--extract`) or from a facts file (`--pred`).
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..evaluate.report import Counts
from ..evaluate.text import norm_text
from .base import KnowledgeBase
from .merge import _value


@dataclass
class Report:
    label: str
    bcubed: dict[str, Counts] = field(default_factory=dict)
    coverage: dict[str, tuple[int, int]] = field(default_factory=dict)
    merged: dict[str, Counts] = field(default_factory=dict)
    same_sources: tuple[int, int] = (0, 0)
    same_independent: tuple[int, int] = (0, 0)
    conflicts_found: list[str] = field(default_factory=list)
    conflicts_missed: list[str] = field(default_factory=list)
    conflicts_false: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def _item(doc_id: str, normal: str) -> tuple[str, str]:
    return doc_id, norm_text(normal)


def bcubed(system: dict, gold: dict) -> Counts:
    """B-cubed over the items both clusterings have: the mean, over items, of the share of
    the item's system cluster in its gold cluster (precision) and the reverse (recall)."""
    items = [i for i in gold if i in system]
    by_system, by_gold = defaultdict(set), defaultdict(set)
    for item in items:
        by_system[system[item]].add(item)
        by_gold[gold[item]].add(item)
    precision = recall = 0.0
    for item in items:
        both = len(by_system[system[item]] & by_gold[gold[item]])
        precision += both / len(by_system[system[item]])
        recall += both / len(by_gold[gold[item]])
    n = len(items)
    return Counts(gold=n, pred=n, tp=precision) if not n else _from_pr(precision / n,
                                                                       recall / n, n)


def _from_pr(precision: float, recall: float, n: int) -> Counts:
    """Counts whose precision and recall are the given ones (tp/pred and tp/gold)."""
    if precision == 0 or recall == 0:
        return Counts(gold=n, pred=n, tp=0.0)
    return Counts(gold=n / recall, pred=n / precision, tp=n)


def _quals(predicate: str, q: dict) -> tuple:
    if predicate == "holds_position":
        return (norm_text(q.get("position")),)
    if predicate == "route_volume":
        return (q.get("year"), q.get("status"), q.get("unit"), norm_text(q.get("commodity")),
                _value(q.get("value")))
    if predicate == "project_participant":
        return (norm_text(q.get("role")),)
    return (norm_text(q.get("date")),)


def evaluate(corpus: str | Path, *, pred: str | Path | None = None, extract: bool = False,
             jobs: int = 1) -> Report:
    """Build a knowledge base in a temporary folder from the chosen per-document facts and
    score it against the gold of `corpus`."""
    corpus = Path(corpus)
    label = ("end to end: facts extracted from docs/" if extract else
             f"end to end: facts from {pred}" if pred else "given the gold per-document facts")
    with tempfile.TemporaryDirectory() as folder:
        kb = KnowledgeBase(Path(folder) / "eval.kb", create=True)
        inputs = [str(corpus / "docs")] if extract else [str(pred or corpus / "gold.jsonl")]
        kb.add(inputs, texts=corpus / "docs", jobs=jobs, report=lambda message: None)
        try:
            return _score(kb, corpus, label)
        finally:
            kb.close()


def _score(kb: KnowledgeBase, corpus: Path, label: str) -> Report:
    report = Report(label)
    gold_items: dict[tuple[str, str], str] = {}
    gold_type: dict[str, str] = {}
    for entity in _lines(corpus / "entities.jsonl"):
        name = f"{entity['type']}|{entity['entity']}"
        gold_type[name] = entity["type"]
        for doc_id, normal in entity["mentions"]:
            gold_items[_item(doc_id, normal)] = name
    system_items = {_item(doc_id, normal): entity for doc_id, normal, entity in kb.conn.execute(
        "SELECT doc_id, normal, entity_id FROM mentions")}
    for kind in ("PER", "ORG", "LOC", "ROUTE", "PROJECT"):
        gold = {i: g for i, g in gold_items.items() if gold_type[g] == kind}
        report.bcubed[kind] = bcubed(system_items, gold)
        report.coverage[kind] = (sum(1 for i in gold if i in system_items), len(gold))

    votes: dict[str, Counter] = defaultdict(Counter)
    for item, entity in system_items.items():
        if item in gold_items:
            votes[entity][gold_items[item].split("|", 1)[1]] += 1
    names = {entity: counts.most_common(1)[0][0] for entity, counts in votes.items()}

    def name(entity_id: str | None) -> str | None:
        return None if entity_id is None else names.get(entity_id, entity_id)

    system: dict[tuple, dict] = {}
    for row in kb.facts().to_dict("records"):
        q = {k: (None if _missing(row[k]) else row[k]) for k in
             ("position", "year", "status", "unit", "commodity", "value", "role", "date")}
        if q["year"] is not None:
            q["year"] = int(q["year"])
        subject = name(row["subject_id"])
        obj = None if _missing(row["object_id"]) else name(row["object_id"])
        if row["predicate"] == "met_with":
            subject, obj = sorted((subject, obj))
        key = (row["predicate"], subject, obj, _quals(row["predicate"], q))
        docs = sorted(kb.sources(row["id"])["doc_id"].unique())
        system.setdefault(key, {"sources": docs, "independent": row["independent"]})
        report.merged.setdefault(row["predicate"], Counts()).pred += 1
    gold_facts = {}
    for fact in _lines(corpus / "merged.jsonl"):
        q = dict(fact["qualifiers"])
        key = (fact["predicate"], fact["subject"], fact["object"], _quals(fact["predicate"], q))
        gold_facts[key] = fact
        report.merged.setdefault(fact["predicate"], Counts()).gold += 1
    sources_ok = independent_ok = 0
    for key, fact in gold_facts.items():
        if key in system:
            report.merged[key[0]].tp += 1
            sources_ok += system[key]["sources"] == fact["sources"]
            independent_ok += system[key]["independent"] == fact["independent"]
            if system[key]["independent"] != fact["independent"]:
                report.misses.append(f"{_show(key)}: {system[key]['independent']} independent "
                                     f"sources, gold {fact['independent']}")
        else:
            report.misses.append(_show(key))
    report.extras = [_show(key) for key in system if key not in gold_facts]
    matched = sum(int(s.tp) for s in report.merged.values())
    report.same_sources, report.same_independent = (sources_ok, matched), (independent_ok,
                                                                          matched)
    _score_conflicts(kb, corpus, report, name)
    return report


def _missing(value) -> bool:
    return value is None or value != value  # NaN from pandas


def _show(key: tuple) -> str:
    predicate, subject, obj, quals = key
    return f"{predicate} | {subject} | {obj} | {', '.join(str(q) for q in quals if q)}"


def _score_conflicts(kb: KnowledgeBase, corpus: Path, report: Report, name) -> None:
    gold = set()
    for conflict in _lines(corpus / "conflicts.jsonl"):
        if conflict["kind"] == "route_volume":
            gold.add(("route_volume", conflict["subject"], conflict["commodity"],
                      conflict["year"], conflict["status"], conflict["unit"]))
        else:
            gold.add(("post", conflict["object"], conflict["position"],
                      tuple(sorted(conflict["persons"]))))
    found = set()
    for topic_key, fact_a, fact_b in kb.conn.execute(
            "SELECT topic, fact_a, fact_b FROM conflicts"):
        topic = json.loads(topic_key)
        if topic[0] == "route_volume":
            found.add(("route_volume", name(topic[1]), *topic[2:]))
        else:
            persons = [name(kb.conn.execute("SELECT subject_id FROM facts WHERE id = ?",
                                            (f,)).fetchone()[0]) for f in (fact_a, fact_b)]
            found.add(("post", name(topic[1]), topic[2], tuple(sorted(persons))))
    report.conflicts_found = sorted(map(str, gold & found))
    report.conflicts_missed = sorted(map(str, gold - found))
    report.conflicts_false = sorted(map(str, found - gold))


def format_report(report: Report, verbose: bool = False) -> str:
    lines = [f"Knowledge base evaluation ({report.label})", "",
             "entity clustering (B-cubed)     mentions  found      P      R     F1"]
    for kind, scores in report.bcubed.items():
        found, total = report.coverage[kind]
        lines.append(f"  {kind:<29} {total:>8} {found:>6} {scores.precision:6.3f} "
                     f"{scores.recall:6.3f} {scores.f1:6.3f}")
    lines += ["", "merged facts                        gold   pred     tp      P      R     F1"]
    total = Counts()
    for predicate, scores in sorted(report.merged.items()):
        total += scores
        lines.append(_row(predicate, scores))
    lines.append(_row("overall (micro)", total))
    s, n = report.same_sources
    i, _ = report.same_independent
    lines.append(f"  among matches: the gold documents {s}/{n}, the gold number of "
                 f"independent sources {i}/{n}")
    gold_conflicts = len(report.conflicts_found) + len(report.conflicts_missed)
    lines += ["", f"conflicts: {len(report.conflicts_found)} of {gold_conflicts} deliberate "
              f"conflicts found, {len(report.conflicts_false)} false"]
    for label, items in (("missed", report.conflicts_missed),
                         ("false", report.conflicts_false)):
        lines += [f"  {label}: {item}" for item in items]
    if verbose:
        lines += ["", "missed merged facts:"] + [f"  {m}" for m in report.misses]
        lines += ["extra merged facts:"] + [f"  {m}" for m in report.extras]
    return "\n".join(lines)


def _row(label: str, s: Counts) -> str:
    return (f"  {label:<29} {int(s.gold):>7} {int(s.pred):>6} {int(s.tp):>6} "
            f"{s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}")
