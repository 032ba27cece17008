"""Matching our predicted arguments against FactRuEval gold persons and places.

The rules are listed in `pipeline.evaluate.factru.evaluate_factru`.
"""

from collections.abc import Iterable
from functools import lru_cache

from ..lexicon import country_variants
from .names import first_names_agree, parse_person
from .text import Lemmas, content_lemmas, norm_text, same_lemmas, uncovered

# Names of one country or union written differently in the gold and by the normaliser: the
# project's table of country names (lexicon/positions_country_names.txt), and the EU.
ALIASES = (
    *((name, *variants) for name, variants in country_variants().items()),
    ("Евросоюз", "ЕС", "Европейский союз"),
)


@lru_cache(maxsize=1)
def _aliases() -> tuple[tuple[Lemmas, Lemmas], ...]:
    return tuple(
        (content_lemmas(variant), content_lemmas(canonical))
        for canonical, *variants in ALIASES
        for variant in variants
    )


def place_lemmas(text: str | None) -> Lemmas:
    """Content lemmas with ALIASES folded in: a whole name («Российская Федерация»),
    or a one-word alias inside a longer name («правительство РФ»), becomes the canonical
    name («Россия»)."""
    lemmas = content_lemmas(text)
    for variant, canonical in _aliases():
        if same_lemmas(lemmas, variant):
            return canonical
    words = list(lemmas)
    for variant, canonical in _aliases():
        if len(variant) == 1 and len(canonical) == 1:
            words = [canonical[0] if word & variant[0] else word for word in words]
    return tuple(words)


def same_gold_person(
    normal: str, surnames: Iterable[str], first: str | None, predicted: str | None
) -> bool:
    """A predicted person name ("Имя [Отчество] Фамилия") against a gold person."""
    if not predicted:
        return False
    if norm_text(normal) == norm_text(predicted):
        return True
    pred = parse_person(predicted)
    gold_first = norm_text(first).split()[0] if first else None
    surnames = [norm_text(surname).split()[-1] for surname in surnames if surname.strip()]
    if not surnames:
        # no surname in the gold (Марк, Лонгин, «Аун Сан» for Аун Сан Су Чжи)
        gold_words = norm_text(first or normal).split()
        return norm_text(predicted).split()[: len(gold_words)] == gold_words
    for surname in surnames:
        if pred.surname == surname and first_names_agree(gold_first, pred.first):
            return True
        # surname first, as in «Ким Чен Ир»: both surname and first name required
        if len(pred.words) > 1 and pred.words[0] == surname and pred.words[1] == gold_first:
            return True
    return False


def same_gold_place(
    gold_places: Iterable[str],
    gold_positions: Iterable[str],
    predicted: str | None,
    predicted_position: str | None,
) -> bool:
    """A predicted object (with its position qualifier) against a gold Where.

    Equal content-lemma sets (aliases folded); or one set strictly contains the other
    and the words it has in excess all occur in the other side's position
    («глава администрации» @ «США» = «главой» @ «администрация США»).
    """
    pred = place_lemmas(predicted)
    if not pred:
        return False
    pred_position = place_lemmas(predicted_position)
    gold_position = tuple(word for text in gold_positions for word in place_lemmas(text))
    for place in gold_places:
        gold = place_lemmas(place)
        if not gold:
            continue
        if same_lemmas(gold, pred) or norm_text(place) == norm_text(predicted):
            return True
        state = country_of_state_body(place)  # its sphere words told by our position
        if state and not uncovered(pred, state) and not uncovered(uncovered(state, pred),
                                                                  pred_position):
            return True
        gold_extra, pred_extra = uncovered(gold, pred), uncovered(pred, gold)
        if gold_extra and not pred_extra and not uncovered(gold_extra, pred_position):
            return True
        if pred_extra and not gold_extra and not uncovered(pred_extra, gold_position):
            return True
    return False


@lru_cache(maxsize=1)
def _state_bodies() -> frozenset[str]:
    from ..layers.posts import bodies

    return frozenset(word for word, (kind, _) in bodies().items() if kind == "state")


def country_of_state_body(text: str | None) -> Lemmas:
    """A government body of a country as the country, for FactRuEval's Where of national
    posts («МИД РФ», «японский МИД» → «Россия», «Япония»; our facts name the country, with
    the post «министр иностранных дел»); () for anything else."""
    from ..layers.posts import country_adjectives

    words = place_lemmas(text)
    if not any(word & _state_bodies() for word in words):
        return ()
    rest = []
    for word in words:
        if word & _state_bodies():
            continue
        adjective = next((country_adjectives()[w] for w in word if w in country_adjectives()),
                         None)
        rest.extend(place_lemmas(adjective) if adjective else (word,))
    return tuple(rest)


def same_position(gold_positions: Iterable[str], predicted: str | None) -> bool:
    """Position agreement: the predicted position has the lemmas of a gold variant."""
    pred = place_lemmas(predicted)
    return any(same_lemmas(place_lemmas(text), pred) for text in gold_positions)
