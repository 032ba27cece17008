"""Evaluation results: counts per predicate, unmatched facts, and a fixed-width table."""

from dataclasses import dataclass, field
from typing import Any


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


@dataclass
class Counts:
    """Gold facts, predicted facts and true positives; P/R/F1 are 0.0 on empty denominators.
    (Fractional for the knowledge base's B-cubed scores.)"""

    gold: float = 0
    pred: float = 0
    tp: float = 0

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.pred)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.gold)

    @property
    def f1(self) -> float:
        return _ratio(2 * self.tp, self.gold + self.pred)

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(self.gold + other.gold, self.pred + other.pred, self.tp + other.tp)


@dataclass
class Accuracy:
    """Agreement of a qualifier among matched facts whose gold fact has that qualifier."""

    correct: int = 0
    total: int = 0

    @property
    def value(self) -> float:
        return _ratio(self.correct, self.total)


@dataclass
class Report:
    """The result of an evaluation.

    `misses` are gold facts left unmatched, `extras` predicted facts left unmatched,
    `matches` the (gold, pred) pairs; `unscored` counts predicted facts that were not
    scored (their document is not in the gold set, or their predicate has no gold
    counterpart).
    """

    by_predicate: dict[str, Counts] = field(default_factory=dict)
    qualifier_accuracy: dict[str, Accuracy] = field(default_factory=dict)
    misses: list[dict[str, Any]] = field(default_factory=list)
    extras: list[dict[str, Any]] = field(default_factory=list)
    matches: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    unscored: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def overall(self) -> Counts:
        """Micro-averaged counts over all predicates."""
        return sum(self.by_predicate.values(), Counts())

    def counts(self, predicate: str) -> Counts:
        return self.by_predicate.setdefault(predicate, Counts())

    def add(
        self,
        predicate: str,
        gold: list[dict[str, Any]],
        pred: list[dict[str, Any]],
        pairs: list[tuple[int, int, int]],
    ) -> None:
        """Record one document's gold and predicted facts of `predicate` and their
        matched (gold index, pred index, rank) pairs."""
        counts = self.counts(predicate)
        counts.gold += len(gold)
        counts.pred += len(pred)
        counts.tp += len(pairs)
        matched_gold = {g_index for g_index, _, _ in pairs}
        matched_pred = {p_index for _, p_index, _ in pairs}
        self.matches += [(gold[g_index], pred[p_index]) for g_index, p_index, _ in pairs]
        self.misses += [fact for index, fact in enumerate(gold) if index not in matched_gold]
        self.extras += [fact for index, fact in enumerate(pred) if index not in matched_pred]


def _cell(value: float, denominator: int) -> str:
    return f"{value:.3f}" if denominator else "-"


def _row(name: str, counts: Counts) -> str:
    return (
        f"{name:<20} {counts.gold:>6} {counts.pred:>6} {counts.tp:>6} "
        f"{_cell(counts.precision, counts.pred):>6} {_cell(counts.recall, counts.gold):>6} "
        f"{_cell(counts.f1, counts.gold + counts.pred):>6}"
    )


def _argument(arg: dict[str, Any] | None) -> str:
    if not arg:
        return "?"
    normal = arg.get("normal") or arg.get("text")
    if normal:
        return str(normal)
    if "value" in arg:
        return f"{arg['value']} {arg.get('unit', '')}".strip()
    return "?"


def _short(value: Any, limit: int = 40) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_fact(fact: dict[str, Any]) -> str:
    """One short line: doc_id, predicate, subject → object, non-empty qualifiers."""
    qualifiers = fact.get("qualifiers") or {}
    shown = ", ".join(
        f"{key}={_short(value)}" for key, value in qualifiers.items() if value not in (None, "", [])
    )
    line = (
        f"{fact.get('doc_id', '?')} {fact.get('predicate', '?')}: "
        f"{_argument(fact.get('subject'))} → {_argument(fact.get('object'))}"
    )
    if fact.get("predicate") == "route_volume":
        obj = fact.get("object") or {}
        if obj.get("value") is not None and obj.get("normal"):
            line += f" ({obj['value']} {obj.get('unit', '')})"
    return f"{line} [{shown}]" if shown else line


def _by_doc(facts: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for fact in facts:
        grouped.setdefault(str(fact.get("doc_id", "?")), []).append(fact)
    return dict(sorted(grouped.items()))


def format_report(report: Report, verbose: bool = False) -> str:
    """A fixed-width table (predicate | gold | pred | tp | P | R | F1) with an overall
    micro-averaged line; `verbose` adds the misses and extras of every document."""
    header = f"{'predicate':<20} {'gold':>6} {'pred':>6} {'tp':>6} {'P':>6} {'R':>6} {'F1':>6}"
    lines = [header, "-" * len(header)]
    lines += [_row(name, counts) for name, counts in sorted(report.by_predicate.items())]
    lines += ["-" * len(header), _row("overall (micro)", report.overall)]
    for name, accuracy in sorted(report.qualifier_accuracy.items()):
        if accuracy.total:
            lines.append(
                f"{name} accuracy among matches: {accuracy.correct}/{accuracy.total}"
                f" = {accuracy.value:.3f}"
            )
    if report.unscored:
        lines.append(f"unscored predicted facts: {report.unscored}")
    lines += report.notes
    if verbose:
        misses, extras = _by_doc(report.misses), _by_doc(report.extras)
        for doc_id in sorted(set(misses) | set(extras)):
            lines.append(f"\n{doc_id}")
            lines += [f"  miss  {describe_fact(fact)}" for fact in misses.get(doc_id, [])]
            lines += [f"  extra {describe_fact(fact)}" for fact in extras.get(doc_id, [])]
    return "\n".join(lines)


def _rule(fact: dict[str, Any]) -> str:
    return str((fact.get("provenance") or {}).get("rule") or "(no rule)")


def format_by_rule(report: Report) -> str:
    """Precision per rule (the `provenance.rule` of each scored prediction), then the
    reliability of confidence: how many predictions of each confidence band were right."""
    right: dict[str, int] = {}
    total: dict[str, int] = {}
    bands: dict[float, list[int]] = {}
    scored = [(pred, True) for _, pred in report.matches] + [(p, False) for p in report.extras]
    for pred, correct in scored:
        rule = _rule(pred)
        total[rule] = total.get(rule, 0) + 1
        right[rule] = right.get(rule, 0) + correct
        band = min(int(float(pred.get("confidence") or 0) * 10) / 10, 0.9)
        bands.setdefault(band, [0, 0])
        bands[band][0] += correct
        bands[band][1] += 1
    width = max([len(rule) for rule in total] + [4])
    lines = [f"{'rule':<{width}} {'pred':>6} {'tp':>6} {'P':>6}", "-" * (width + 21)]
    for rule in sorted(total, key=lambda r: (right[r] / total[r], -total[r])):
        lines.append(f"{rule:<{width}} {total[rule]:>6} {right[rule]:>6} "
                     f"{right[rule] / total[rule]:>6.3f}")
    lines += ["", f"{'confidence':<12} {'pred':>6} {'tp':>6} {'P':>6}", "-" * 33]
    for band in sorted(bands, reverse=True):
        correct, count = bands[band]
        label = f">= {band:.1f}" if band == 0.9 else f"{band:.1f}-{band + 0.1:.1f}"
        lines.append(f"{label:<12} {count:>6} {correct:>6} {correct / count:>6.3f}")
    return "\n".join(lines)
