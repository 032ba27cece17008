"""Corpus evaluation: predicted facts against gold facts of the same contract."""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from .greedy import greedy_match
from .match import (
    EXACT_QUALIFIERS,
    GIVEN_QUALIFIERS,
    by_alias,
    fact_rank,
    qualifier,
    same_phrase,
    same_route_facts,
)
from .report import Accuracy, Report

Fact = dict[str, Any]


def _group(facts: Iterable[Fact]) -> dict[tuple[str, str], list[Fact]]:
    groups: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    for fact in facts:
        groups[(str(fact.get("doc_id")), str(fact.get("predicate")))].append(fact)
    return groups


def evaluate(
    gold: Iterable[Fact], pred: Iterable[Fact], doc_ids: Iterable[str] | None = None
) -> Report:
    """Score `pred` against `gold` per predicate (see the package docstring for the rules).

    Only documents in `doc_ids` (default: the doc_ids that occur in gold) are scored;
    predicted facts of other documents are counted in `Report.unscored`.
    """
    gold_groups = _group(gold)
    scored = {doc_id for doc_id, _ in gold_groups} if doc_ids is None else set(doc_ids)
    report = Report()
    pred_list = list(pred)
    report.unscored = sum(1 for fact in pred_list if str(fact.get("doc_id")) not in scored)
    pred_groups = _group(fact for fact in pred_list if str(fact.get("doc_id")) in scored)
    for key in sorted(set(gold_groups) | set(pred_groups)):
        gold_facts, pred_facts = gold_groups.get(key, []), pred_groups.get(key, [])
        score_group(report, key[1], gold_facts, pred_facts)
    return report


def score_group(report: Report, predicate: str, gold: list[Fact], pred: list[Fact]) -> None:
    """Match one document's facts of one predicate and add the outcome to `report`."""
    pairs = greedy_match(gold, pred, fact_rank)
    report.add(predicate, gold, pred, pairs)
    for key in GIVEN_QUALIFIERS.get(predicate, ()):
        accuracy = report.qualifier_accuracy.setdefault(f"{predicate}.{key}", Accuracy())
        for g_index, p_index, _ in pairs:
            if qualifier(gold[g_index], key):
                accuracy.total += 1
                accuracy.correct += same_phrase(str(qualifier(gold[g_index], key)),
                                                str(qualifier(pred[p_index], key) or ""))
    for key in EXACT_QUALIFIERS.get(predicate, ()):
        accuracy = report.qualifier_accuracy.setdefault(f"{predicate}.{key}", Accuracy())
        for g_index, p_index, _ in pairs:
            accuracy.total += 1
            accuracy.correct += qualifier(gold[g_index], key) == qualifier(pred[p_index], key)
    aliases = report.qualifier_accuracy.setdefault("fullest name (not an alias)", Accuracy())
    for g_index, p_index, _ in pairs:
        aliases.total += 1
        aliases.correct += not by_alias(gold[g_index], pred[p_index])
    if predicate == "route_volume":
        _route_attributes(report, gold, pred)


def _route_attributes(report: Report, gold: list[Fact], pred: list[Fact]) -> None:
    """Year and status among route facts matched on route, unit and value alone."""
    pairs = greedy_match(gold, pred, lambda g, p: 0 if same_route_facts(g, p) else None)
    for key in ("year", "status"):
        accuracy = report.qualifier_accuracy.setdefault(
            f"route_volume.{key} (matched on route and value)", Accuracy())
        for g_index, p_index, _ in pairs:
            accuracy.total += 1
            accuracy.correct += qualifier(gold[g_index], key) == qualifier(pred[p_index], key)
