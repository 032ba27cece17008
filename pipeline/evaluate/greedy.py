"""One-to-one greedy matching of gold items to predicted items."""

from collections.abc import Callable, Sequence
from typing import TypeVar

G = TypeVar("G")
P = TypeVar("P")


def greedy_match(
    gold: Sequence[G], pred: Sequence[P], rank: Callable[[G, P], int | None]
) -> list[tuple[int, int, int]]:
    """Pairs (gold index, pred index, rank), each item used at most once.

    `rank` is None for a non-match; candidate pairs are taken by increasing rank, then
    gold order, then pred order (a match with agreeing qualifiers is preferred).
    """
    candidates = []
    for g_index, g_item in enumerate(gold):
        for p_index, p_item in enumerate(pred):
            value = rank(g_item, p_item)
            if value is not None:
                candidates.append((value, g_index, p_index))
    candidates.sort()
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs = []
    for value, g_index, p_index in candidates:
        if g_index in used_gold or p_index in used_pred:
            continue
        used_gold.add(g_index)
        used_pred.add(p_index)
        pairs.append((g_index, p_index, value))
    return sorted(pairs)
