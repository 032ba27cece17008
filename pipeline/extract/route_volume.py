"""route_volume: a transport route carried, or is to carry, a volume in a year.

«В 2023 году по маршруту Актау – Баку – Джейхан было транспортировано 1,06 миллиона тонн
нефти, а к 2025 году планируется увеличить этот объем до 1,7 миллиона тонн» → two facts:
(Актау – Баку – Джейхан, 1060000 t, 2023, actual, нефть) and (…, 1700000 t, 2025, planned).

1. `find_routes` lists the document's route mentions: chains of place names after a route noun
   («по маршруту Атырау–Самара»), named routes («Трансанатолийский газопровод», нефтепровод
   «Дружба») and the abbreviations or second names the text defines for them («(КТК)», «, или
   Средний коридор»).
2. A volume (quantities.py) counts when the cue nearest before it is a transport cue, not a
   capacity, production or price cue. It goes to the nearest route of its sentence, else to
   the last route mentioned before it when that was in the previous sentence or the sentence
   refers to a route («по этому направлению»).
3. Year (dates.py), plan or actual, and commodity come from the volume's clause, sentence and
   paragraph. Cue words are in `lexicon/routes.txt` and `lexicon/commodities.txt`.
"""

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date

from spacy.tokens import Doc, Token

from ..facts import Fact, Mention
from ..layers.quantities import Quantity, find_quantities
from ..layers.routes import Route, find_routes
from ..layers.time import YearMention, document_date, find_years
from ..layers.view import Words
from ..lexicon import Phrases
from ..nlp.morphology import analyzer
from .component import register
from .evidence import evidence

SAME_SENTENCE, ANAPHORA = 0.9, 0.75


def _phrases(section: str) -> Phrases:
    return Phrases.of("routes", section)


def _commodity_words() -> Phrases:
    return Phrases.of("commodities", "commodities")


# --- volumes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sentence:
    """A sentence's word range, its clauses and the years it speaks of."""

    start: int
    end: int
    paragraph: int
    clause_of: list[int]
    years: list[YearMention]


def _sentences(doc: Doc, words: Words, today: date | None) -> Iterator[Sentence]:
    breaks = _phrases("clause breaks")
    newlines = [i for i, char in enumerate(words.text) if char == "\n"]
    for start, end in words.sentences():
        yield _sentence(words, start, end, bisect_right(newlines, words.starts[start]),
                        breaks, today)


def _sentence(words: Words, start: int, end: int, paragraph: int, breaks: Phrases,
              today: date | None) -> Sentence:
    """A sentence's clauses and years."""
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
    years = [
        replace(y, start=y.start + start, end=y.end + start)
        for y in find_years(words.texts[start:end], forms, today)
    ]
    return Sentence(start, end, paragraph, clause_of, years)


def _is_volume(words: Words, sentence: Sentence, quantity: Quantity, named_route: bool
               ) -> bool:
    """The nearest cue before the number is a transport cue (not capacity, production, price);
    with no cue before it, a transport cue after it, a route named in the sentence or a route
    noun before the number («по этому маршруту ожидается 2 млн тонн») will do. A change («на 2
    млн тонн») or a price («за тонну») is not a volume."""
    approximators = Phrases.of("scale", "approximators")
    before = quantity.start - 1
    while before >= sentence.start and words.forms[before] in approximators:
        before -= 1
    if before >= sentence.start and words.texts[before].lower() in {"на", "за"}:
        return False
    volume, other = _phrases("volume cues"), _phrases("not volume cues")
    for at in range(quantity.start - 1, sentence.start - 1, -1):
        if other.match(words.forms, at):
            return False
        if volume.match(words.forms, at):
            return True
    nouns = _phrases("route nouns")
    return any(volume.match(words.forms, at) for at in range(quantity.end, sentence.end)) \
        or named_route or any(nouns.match(words.forms, at)
                              for at in range(sentence.start, quantity.start))


def _choose_route(words: Words, routes: list[Route], sentence: Sentence, quantity: Quantity,
                  previous: Sentence | None) -> tuple[Route, bool] | None:
    """The nearest route of the sentence before the number, else after it in its clause; else
    the last route mentioned before the sentence, when that was in the paragraph's previous
    sentence or the sentence refers to a route («по этому направлению», «по своей системе»).
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
    return (route, False) if just_before or refers else None


def _window(words: Words, sentence: Sentence, quantity: Quantity) -> range:
    """The words whose cues decide a volume's status: its clause up to the number and on to the
    next comma."""
    clause = sentence.clause_of[quantity.start - sentence.start]
    start = quantity.start
    while start > sentence.start and sentence.clause_of[start - 1 - sentence.start] == clause:
        start -= 1
    end = quantity.end
    while end < sentence.end and sentence.clause_of[end - sentence.start] == clause \
            and words.texts[end] != ",":
        end += 1
    return range(start, end)


def _year(words: Words, sentence: Sentence, quantity: Quantity, window: range,
          paragraph_years: list[YearMention]) -> YearMention | None:
    """The year of the sentence nearest before the number, else the first after it in its
    clause, else the paragraph's last year before the sentence; none for an open plan
    («а в перспективе — до …»)."""
    horizon = _phrases("open horizon")
    if any(horizon.match(words.forms, at) for at in range(window.start, quantity.start)):
        return None
    before = [y for y in sentence.years if y.end <= quantity.start]
    if before:
        return before[-1]
    after = [y for y in sentence.years if y.start >= quantity.end and y.start < window.stop]
    if after:
        return after[0]
    return paragraph_years[-1] if paragraph_years else None


def _status(words: Words, window: range, year: YearMention | None, today: date | None) -> str:
    """"planned" for a plan cue or a future verb in the window, a plan's horizon («к 2025
    году») or a year after the document's; otherwise "actual"."""
    planned, horizon = _phrases("planned"), _phrases("open horizon")
    if year is not None and year.horizon:
        return "planned"
    for at in window:
        token = words.tokens[at]
        if planned.match(words.forms, at) or horizon.match(words.forms, at):
            return "planned"
        if _future(token):
            return "planned"
    if year is not None and year.year is not None and today is not None \
            and year.year > today.year:
        return "planned"
    return "actual"


def _future(token: Token) -> bool:
    """A verb in the future tense by the tagger and by the dictionary («составит», «будет»; not
    «прокачали», which the tagger sometimes calls future)."""
    if token.pos_ not in {"VERB", "AUX"} or "Fut" not in token.morph.get("Tense"):
        return False
    return any(parse.tag.tense == "futr" for parse in analyzer().parse(token.text.lower()))


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


@register("route_volume")
def extract(doc: Doc) -> Iterator[Fact]:
    """route_volume facts of a parsed doc."""
    words = Words(doc)
    routes = find_routes(doc, words)
    if not routes:
        return
    today = document_date(doc)
    carried: dict[str, str | None] = {}
    paragraph, paragraph_years = -1, []
    previous = None
    for sentence in _sentences(doc, words, today):
        if sentence.paragraph != paragraph:
            paragraph, paragraph_years = sentence.paragraph, []
        found = find_quantities(words.texts[sentence.start:sentence.end],
                                words.forms[sentence.start:sentence.end])
        for local in found:
            quantity = replace(local, start=local.start + sentence.start,
                               end=local.end + sentence.start)
            chosen = _choose_route(words, routes, sentence, quantity, previous)
            if chosen is None or not _is_volume(words, sentence, quantity, chosen[1]):
                continue
            route, same_sentence = chosen
            window = _window(words, sentence, quantity)
            year = _year(words, sentence, quantity, window, paragraph_years)
            commodity = _commodity(words, sentence, quantity, route, carried)
            carried[route.key] = commodity
            yield _fact(doc, words, route, quantity, {
                "year": year.year if year else None,
                "status": _status(words, window, year, today),
                "commodity": commodity,
            }, SAME_SENTENCE if same_sentence else ANAPHORA)
        paragraph_years.extend(sentence.years)
        previous = sentence


def _fact(doc: Doc, words: Words, route: Route, quantity: Quantity, qualifiers: dict,
          confidence: float) -> Fact:
    route_span = words.span(route.first, route.last + 1)
    amount = words.span(quantity.start, quantity.end)
    subject = Mention(text=words.text[route.start:route.end], normal=route.normal, type="ROUTE",
                      start=route.start, end=route.end, waypoints=list(route.waypoints))
    obj = Mention(text=amount.text, normal=quantity.normal, type="QUANTITY",
                  start=amount.start_char, end=amount.end_char, value=quantity.value,
                  unit=quantity.unit)
    return Fact(predicate="route_volume", subject=subject, object=obj, qualifiers=qualifiers,
                evidence=evidence(doc, route_span, amount), confidence=confidence)
