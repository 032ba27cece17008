"""route_volume: a transport route carried, is planned or forecast to carry, a volume in a year.

«В 2023 году по маршруту Актау – Баку – Джейхан было транспортировано 1,06 миллиона тонн
нефти, а к 2025 году планируется увеличить этот объем до 1,7 миллиона тонн» → two facts:
(Актау – Баку – Джейхан, 1060000 t, 2023, actual, нефть) and (…, 1700000 t, 2025, planned).

1. Routes come from the route layer (`layers/routes.py`: chains after a route noun, named and
   well-known routes, the abbreviations a text defines); quantities from `layers/quantities.py`
   with their bound or hedge (`approx`: «около», «более», «до»).
2. A quantity is a volume when the cue nearest before it is a volume cue of
   `pipeline/rules/route_volume.yml` (the cue's rule is the fact's provenance), not a capacity,
   production or price cue; with no cue before it, a volume cue after it in its clause or a
   route named in the sentence will do. It goes to the nearest route of its sentence, else
   to the last route named before it when that was in the previous sentence or the sentence
   refers to a route («по этому направлению»).
3. Year: a year that stands by the number — right after it («3,2 млн т в 2021 году», «2,6
   млн т годом ранее») or before it across a dash («годом ранее — 10,6 млн т») — else the
   sentence's nearest year before it, else the first after it in its clause, skipping the
   years that stand by other numbers and baselines («против 0,94 млрд кВт·ч годом ранее»),
   else the paragraph's last year that is not a baseline, else the document's year for a
   part of the current year («за январь – сентябрь»), else the year the document spoke of
   last; none for an open horizon («в перспективе») or when nothing tells.
5. Tables (`layers/tables.py`): a route per row, a year and status per column, the unit from
   the caption (rule table_cell).
   Years come from the time layer, resolved against the document's date.
4. Status: the modality layer (`layers/modality.py`) at the number: planned, forecast, or
   negated (no fact); a plan's horizon («к 2030 году») or a year after the document's makes
   an actual clause planned; a baseline («против 3,2 млн т в 2021 году») stays actual.
"""

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from functools import cache

from spacy.tokens import Doc, Span

from ..facts import Fact, Mention
from ..layers.modality import ACTUAL, NEGATED, PLANNED, modality_of
from ..layers.quantities import Quantity, find_quantities
from ..layers.routes import (
    Route,
    canonical_route,
    chain_pattern,
    find_routes,
    route_normal,
    split_waypoints,
)
from ..layers.store import text_of
from ..layers.tables import Cell, cell_value, commodity_of, find_tables
from ..layers.time import YearMention, document_date, resolve_anchored, years
from ..layers.view import Words, words_of_doc
from ..lexicon import Phrases, words_of
from ..rules.engine import Match, RuleSet, load_rules, surface_forms
from .component import register
from .evidence import evidence, provenance

ANAPHORA_PENALTY = 0.15  # a volume of a route named in an earlier sentence
POSTPOSED_REACH = 4  # words between a number and its year («т нефти в 2021 году», «т за тот же
# период прошлого года»)
CLAUSE_MARKS = frozenset({",", ";", "(", ")", "—", "–"})
DASHES = frozenset({"—", "–", "-", ":"})
BASELINE_WORDS = frozenset({"против", "с", "со"})
LAYERS = ("rufakt_time", "rufakt_modality")


def _phrases(section: str) -> Phrases:
    return Phrases.of("routes", section)


def _commodity_words() -> Phrases:
    return Phrases.of("commodities", "commodities")


@dataclass(frozen=True)
class Sentence:
    """A sentence's word range, paragraph, clause of each word and year mentions."""

    start: int
    end: int
    paragraph: int
    clause_of: list[int]
    years: list[YearMention]


@dataclass(frozen=True)
class Cue:
    """A cue word of a rule: word range and whether it makes a number a volume."""

    start: int
    end: int
    volume: bool
    rule: str


def _sentences(words: Words, mentions: list[YearMention]) -> Iterator[Sentence]:
    breaks = _phrases("clause breaks")
    newlines = [i for i, char in enumerate(words.text) if char == "\n"]
    starts = [m.start for m in mentions]
    for start, end in words.sentences():
        forms = words.forms[start:end]
        clause_of, clause, at = [], 0, 0
        while at < len(forms):
            hit = breaks.match(forms, at)
            if hit:
                clause += 1
                clause_of.extend([clause] * hit[0])
                at += hit[0]
            else:
                clause_of.append(clause)
                at += 1
        inside = mentions[bisect_right(starts, start - 1):bisect_right(starts, end - 1)]
        yield Sentence(start, end, bisect_right(newlines, words.starts[start]), clause_of,
                       [m for m in inside if m.end <= end])


def _cues(words: Words, matches: list[Match]) -> list[Cue]:
    """The cue words of the document, in text order (word indices)."""
    index = {token.i: n for n, token in enumerate(words.tokens)}
    cues = []
    for match in matches:
        first = index.get(match.span[0].i)
        last = index.get(match.span[-1].i)
        if first is not None and last is not None:
            cues.append(Cue(first, last + 1, match.rule.option("kind") == "volume", match.rule.id))
    return sorted(cues, key=lambda c: (c.start, -c.end))


def _volume_rule(words: Words, sentence: Sentence, quantity: Quantity, cues: list[Cue],
                 named_route: bool) -> str | None:
    """The rule that makes the number a volume, or None (see the module docstring). A change
    («на 2 млн тонн») or a price («за тонну») is not a volume."""
    before = quantity.start - 1
    approximators = Phrases.of("scale", "approx")
    while before >= sentence.start and words.forms[before] in approximators:
        before -= 1
    if before >= sentence.start and words.texts[before].lower() in {"на", "за"}:
        return None
    earlier = [c for c in cues if sentence.start <= c.start and c.end <= quantity.start]
    if earlier:
        nearest = max(earlier, key=lambda c: (c.end, -c.start))  # the longest of those ending last
        return nearest.rule if nearest.volume else None
    clause = sentence.clause_of[quantity.start - sentence.start]
    later = [c for c in cues if quantity.end <= c.start < sentence.end
             and sentence.clause_of[c.start - sentence.start] == clause]
    if later:  # «10 млн тонн в год составляет мощность нефтепровода …»: the cue decides
        return "route_volume.volume_cue_after" if later[0].volume else None
    if named_route:
        return "route_volume.route_with_number"
    references = (_phrases("route nouns"), _phrases("route references"))
    if any(phrases.match(words.forms, at) for phrases in references
           for at in range(sentence.start, quantity.start)):
        return "route_volume.route_noun_before"  # «по этому маршруту ожидается 1,3 млн тонн»
    return None


def _choose_route(words: Words, routes: list[Route], sentence: Sentence, quantity: Quantity,
                  previous: Sentence | None) -> tuple[Route, bool] | None:
    """The nearest route of the sentence before the number, else after it in its clause; else
    the last route mentioned before the sentence, when that was in the paragraph's previous
    sentence or the sentence refers to a route («по этому направлению», «по своей системе»),
    and the sentence is not about a port or terminal before the number.
    With whether the route is in the sentence."""
    inside = [r for r in routes if sentence.start <= r.first and r.last < sentence.end]
    before = [r for r in inside if r.last < quantity.start]
    if before:
        return before[-1], True
    clause = sentence.clause_of[quantity.start - sentence.start]
    after = [r for r in inside if r.first >= quantity.end
             and sentence.clause_of[r.first - sentence.start] == clause]
    if after:
        return after[0], True
    earlier = [r for r in routes if r.last < sentence.start]
    if not earlier:
        return None
    route = earlier[-1]
    just_before = previous is not None and previous.paragraph == sentence.paragraph \
        and route.first >= previous.start
    references = (_phrases("route nouns"), _phrases("route references"))
    refers = any(phrases.match(words.forms, at) for phrases in references
                 for at in range(sentence.start, sentence.end))
    if not refers and any(_phrases("handling places").match(words.forms, at)
                          for at in range(sentence.start, quantity.start)):
        return None  # «Перевалка угля в порту Ванино составила …»: the port's, not the route's
    return (route, False) if just_before or refers else None


def _clause_range(words: Words, sentence: Sentence, quantity: Quantity) -> range:
    """The words of the number's clause up to the number and on to the next comma."""
    clause = sentence.clause_of[quantity.start - sentence.start]
    start = quantity.start
    while start > sentence.start and sentence.clause_of[start - 1 - sentence.start] == clause:
        start -= 1
    end = quantity.end
    while end < sentence.end and sentence.clause_of[end - sentence.start] == clause \
            and words.texts[end] != ",":
        end += 1
    return range(start, end)


def _owned_years(words: Words, sentence: Sentence, quantities: list[Quantity]
                 ) -> dict[int, int]:
    """Year mention start → start of the number it belongs to: a year right after the number
    with no comma between («… 3,2 млн т в 2021 году», «… за тот же период прошлого года»), or
    right before it across a dash («годом ранее — 10,6 млн т», «в 2023-м — 22,7 млрд»)."""
    owned: dict[int, int] = {}
    for quantity in quantities:
        for mention in sentence.years:
            between = words.texts[quantity.end:mention.start]
            if quantity.end <= mention.start <= quantity.end + POSTPOSED_REACH and not any(
                    text in CLAUSE_MARKS for text in between) and not any(
                    quantity.end <= other.start < mention.start for other in quantities):
                owned.setdefault(mention.start, quantity.start)
                break
            dash = words.texts[mention.end:quantity.start]
            if 0 < len(dash) <= 2 and all(text in DASHES for text in dash):
                owned.setdefault(mention.start, quantity.start)
                break
    return owned


def _year(words: Words, sentence: Sentence, quantity: Quantity, clause: range,
          paragraph_years: list[YearMention], owned: dict[int, int]) -> YearMention | None:
    """The year of a volume (see the module docstring); `owned` binds years to the numbers
    they stand by, so the baseline's year («против 0,94 млрд кВт·ч годом ранее») is not the
    year of the volume before it."""
    if _open_horizon(words, clause, quantity):
        return None
    own = [y for y in sentence.years if owned.get(y.start) == quantity.start]
    if own:
        return own[0]
    free = [y for y in sentence.years if y.start not in owned]
    before = [y for y in free if y.end <= quantity.start]
    if before:
        return before[-1]
    after = [y for y in free if y.start >= quantity.end and y.start < clause.stop
             and not y.comparison]
    if after:
        return after[0]
    carried = [y for y in paragraph_years if not y.comparison and not y.anchored]
    return carried[-1] if carried else None


def _respective_years(words: Words, sentence: Sentence, found: list[Quantity]
                      ) -> dict[int, YearMention]:
    """«в 2022 и 2023 годах … соответственно 9 и 10 млрд кубометров»: as many years before the
    volumes as volumes, paired in order (keyed by the volumes' sentence-relative start)."""
    if not any(text.lower() == "соответственно" for text in
               words.texts[sentence.start:sentence.end]) or len(found) < 2:
        return {}
    first = found[0].start + sentence.start
    before = [y for y in sentence.years if y.end <= first]
    if len(before) != len(found):
        return {}
    return {quantity.start: year for quantity, year in zip(found, before, strict=True)}


def _open_horizon(words: Words, clause: range, quantity: Quantity) -> bool:
    """«а в перспективе — до 2,2 млн т»: a plan with no year."""
    horizon = _phrases("open horizon")
    return any(horizon.match(words.forms, at) for at in range(clause.start, quantity.start))


def _topic_year(words: Words, earlier: list[YearMention], baselines: set[int]) -> int | None:
    """The year the document spoke of last (not a plan's horizon, nor the year of a baseline
    figure, «годом ранее — 79,2 млн т», «(в 2023-м — 22,7 млрд)», or of a plan or forecast):
    a list of volumes under «итоги 2024 года» speaks of 2024."""
    for mention in reversed(earlier):
        if mention.year is not None and not mention.horizon and not mention.comparison \
                and not mention.anchored and mention.start not in baselines \
                and modality_of(words.tokens[mention.start]).label == ACTUAL:
            return mention.year
    return None


def _part_of_year(words: Words, sentence: Sentence, today: date | None) -> int | None:
    """The document's year for a sentence about a part of the current year («за январь –
    сентябрь», «с начала года», «в первом полугодии»)."""
    if today is None:
        return None
    parts = Phrases.of("dates", "parts of the year")
    return today.year if any(parts.match(words.forms, at)
                             for at in range(sentence.start, sentence.end)) else None


def _status(words: Words, quantity: Quantity, year: YearMention | None,
            today: date | None, sentence_start: int, own_year: bool) -> tuple[str, str | None]:
    """(status, the modality rule behind it) of a volume (see the module docstring);
    `own_year`: the year stands by the number."""
    number = words.tokens[quantity.start]  # not the span's root: «тыс. TEU» may end a sentence
    modality = modality_of(number)
    status, rule = modality.label, modality.rule
    baseline = quantity.start > 0 and words.texts[quantity.start - 1].lower() in BASELINE_WORDS
    if baseline and own_year:
        return ACTUAL, None
    if status == ACTUAL:
        if _open_horizon(words, range(sentence_start, quantity.start), quantity):
            return PLANNED, "route_volume.open_horizon"  # «а в перспективе — до 3 млн тонн»
        if year is not None and year.horizon:
            return PLANNED, "route_volume.horizon_year"
        if year is not None and year.year is not None and today is not None \
                and year.year > today.year:
            return PLANNED, "route_volume.future_year"
    return status, rule


def _commodity_after(words: Words, quantity: Quantity) -> tuple[bool, str | None]:
    """«тонн (казахстанской) нефти» → (True, нефть); «тонн грузов» → (True, None)."""
    commodities = _commodity_words()
    at = quantity.end
    while at < len(words.tokens) and words.tokens[at].pos_ == "ADJ" \
            and not commodities.match(words.forms, at):
        at += 1
    hit = commodities.match(words.forms, at) if at < len(words.tokens) else None
    if hit is None:
        return False, None
    return True, None if hit[1] == "-" else hit[1]


def _commodity_near(words: Words, sentence: Sentence, quantity: Quantity
                    ) -> tuple[bool, str | None]:
    """The commodity word of the sentence nearest to the number."""
    found = []
    for start, _, value in _commodity_words().find(words.forms[sentence.start:sentence.end]):
        at = start + sentence.start
        found.append((min(abs(at - quantity.start), abs(at - quantity.end)), value))
    if not found:
        return False, None
    value = min(found)[1]
    return True, None if value == "-" else value


def _commodity(words: Words, sentence: Sentence, quantity: Quantity, route: Route,
               carried: dict[str, str | None]) -> str | None:
    for known, value in (_commodity_after(words, quantity),
                         _commodity_near(words, sentence, quantity)):
        if known:
            return value
    if quantity.commodity:
        return quantity.commodity
    if route.key in carried:
        return carried[route.key]
    return route.commodity


TABLE_RULE = "route_volume.table_cell"


def _row_route(row: list[Cell]) -> tuple[Cell, tuple[str, ...], str] | None:
    """The cell of a table row that names a route: a chain of places («Сурхан – Пули-Хумри
    (Узбекистан)») or a well-known route; (cell, waypoints, normal)."""
    for cell in row:
        name = cell.text.split("(")[0].strip()
        if chain_pattern().fullmatch(name):
            waypoints = split_waypoints(name)
            if len(waypoints) >= 2:
                known = canonical_route(route_normal(waypoints))
                return cell, known[1], known[0]
        if name and name[:1].isupper():
            normal, waypoints = canonical_route(name)
            if normal != name:
                return cell, waypoints, normal
    return None


def _table_facts(doc: Doc, rules: RuleSet) -> Iterator[Fact]:
    """Volumes read from tables: a route per row, a year (and status) per column; not of a
    table whose caption speaks of capacity, production or prices («Пропускная способность
    маршрутов, млн т в год»)."""
    confidence = _confidence(rules, TABLE_RULE, True)
    ruled_out = _not_volume_words()
    for table in find_tables(text_of(doc)):
        if {word.lower() for word in words_of(table.caption)} & ruled_out:
            continue
        factor, unit, implied = table.unit
        commodity = implied or commodity_of(table.caption)
        for row in table.rows:
            found = _row_route(row)
            if found is None:
                continue
            route_cell, waypoints, normal = found
            name = route_cell.text.split("(")[0].strip()
            for index, column in table.columns.items():
                if index >= len(row) or (value := cell_value(row[index])) is None:
                    continue
                cell = row[index]
                quantity = Quantity(value * factor, unit, 0, 0, commodity)
                subject = Mention(text=name, normal=normal, type="ROUTE",
                                  start=route_cell.start, end=route_cell.start + len(name),
                                  waypoints=list(waypoints))
                obj = Mention(text=cell.text, normal=quantity.normal, type="QUANTITY",
                              start=cell.start, end=cell.end, value=quantity.value, unit=unit)
                spans = [doc.char_span(m.start, m.end, alignment_mode="expand")
                         for m in (subject, obj)]
                yield Fact(predicate="route_volume", subject=subject, object=obj,
                           qualifiers={"year": column.year, "status": column.status,
                                       "commodity": commodity},
                           evidence=evidence(doc, *[s for s in spans if s is not None]),
                           confidence=confidence,
                           provenance=provenance(TABLE_RULE, *LAYERS), doc_date=doc._.date)


@register("route_volume")
def extract(doc: Doc, rules: RuleSet | None) -> Iterator[Fact]:
    """route_volume facts of a doc that went through the document layer."""
    if rules is None:
        return
    yield from _table_facts(doc, rules)
    words = words_of_doc(doc)
    routes = find_routes(doc, words)
    if not routes:
        return
    today = document_date(doc)
    cues = _cues(words, rules(doc))
    carried: dict[str, str | None] = {}
    paragraph, paragraph_years, earlier = -1, [], []
    baselines: set[int] = set()
    previous = None
    for sentence in _sentences(words, years(doc)):
        if sentence.paragraph != paragraph:
            paragraph, paragraph_years = sentence.paragraph, []
        found = find_quantities(words.texts[sentence.start:sentence.end],
                                words.forms[sentence.start:sentence.end])
        respective = _respective_years(words, sentence, found)
        volumes = []
        for local in found:
            quantity = replace(local, start=local.start + sentence.start,
                               end=local.end + sentence.start)
            chosen = _choose_route(words, routes, sentence, quantity, previous)
            rule = chosen and _volume_rule(words, sentence, quantity, cues, chosen[1])
            if rule:
                volumes.append((local, quantity, chosen, rule))
        owned = _owned_years(words, sentence, [quantity for _, quantity, _, _ in volumes])
        if volumes:  # the years of the figures after a sentence's first are baselines
            baselines.update(start for start, owner in owned.items()
                             if owner != volumes[0][1].start)
        last_value = None  # the year of the sentence's volume before: «… годом ранее»
        for local, quantity, (route, same_sentence), rule in volumes:
            clause = _clause_range(words, sentence, quantity)
            year = respective.get(local.start) or _year(words, sentence, quantity, clause,
                                                        paragraph_years, owned)
            if year is not None and year.anchored and last_value:
                year = resolve_anchored(words, year, last_value)  # from the figure before it
            baseline = year is not None and owned.get(year.start) == quantity.start
            status, _ = _status(words, quantity, year, today, clause.start, baseline)
            if year is not None and status != ACTUAL:
                baselines.add(year.start)  # a plan's or forecast's year is no topic year
            if status == NEGATED:
                continue
            year_value = year.year if year is not None else (
                _part_of_year(words, sentence, today) or _topic_year(words, earlier, baselines))
            if year is None and _open_horizon(words, clause, quantity):
                year_value = None
            last_value = year_value
            commodity = _commodity(words, sentence, quantity, route, carried)
            carried[route.key] = commodity
            qualifiers = {"year": year_value, "status": status, "commodity": commodity}
            if quantity.approx:
                qualifiers["approx"] = quantity.approx
            yield _fact(doc, words, route, quantity, qualifiers,
                        _confidence(rules, rule, same_sentence), rule)
        paragraph_years.extend(sentence.years)
        earlier.extend(sentence.years)
        previous = sentence


@cache
def _not_volume_words() -> frozenset[str]:
    """Every written form of the first word of the rules that rule a number out."""
    return frozenset(form for rule in load_rules("route_volume")
                     if rule.option("kind") == "not_volume" and rule.kind == "tokens"
                     for word in rule.pattern[0].get("forms", ()) for form in surface_forms(word))


def _confidence(rules: RuleSet, rule: str, same_sentence: bool) -> float:
    """The rule's confidence (`pipeline/rules/route_volume.yml`), less for a volume of a route
    named in an earlier sentence."""
    confidence = rules.rules[rule].confidence
    return round(confidence if same_sentence else confidence - ANAPHORA_PENALTY, 2)


def _fact(doc: Doc, words: Words, route: Route, quantity: Quantity, qualifiers: dict,
          confidence: float, rule: str) -> Fact:
    route_span = words.span(route.first, route.last + 1)
    amount: Span = words.span(quantity.start, quantity.end)
    subject = Mention(text=words.text[route.start:route.end], normal=route.normal, type="ROUTE",
                      start=route.start, end=route.end, waypoints=list(route.waypoints))
    obj = Mention(text=amount.text, normal=quantity.normal, type="QUANTITY",
                  start=amount.start_char, end=amount.end_char, value=quantity.value,
                  unit=quantity.unit)
    return Fact(predicate="route_volume", subject=subject, object=obj, qualifiers=qualifiers,
                evidence=evidence(doc, route_span, amount), confidence=confidence,
                provenance=provenance(rule, *LAYERS), doc_date=doc._.date)
