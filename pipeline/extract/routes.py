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

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date

from spacy.tokens import Doc, Span, Token

from ..facts import Fact, Mention
from ..lexicon import Forms, Phrases, word_forms
from ..nlp.morphology import analyzer
from .component import register
from .dates import YearMention, document_date, find_years
from .quantities import Quantity, find_quantities
from .spans import evidence

WORD = r"[A-ZА-ЯЁ][a-zа-яё]+(?:-[A-ZА-ЯЁа-яё][a-zа-яё]*)*"
PLACE = rf"(?:{WORD} )?{WORD}"  # «Актау», «Пули-Хумри», «Средняя Азия»
CHAIN = re.compile(rf"(?<![\w-]){PLACE}(?:\s*[-\u2010-\u2015\u2212]\s*{PLACE})+(?![\w-])")
# Between waypoints: a dash, or a hyphen with a space on either side; a bare hyphen belongs to
# the name («Пули-Хумри») unless the chain has no other separator («Междуреченск-Находка»).
SEPARATOR = re.compile(r"\s*[\u2012-\u2015\u2212]\s*|\s+[-\u2010\u2011]\s*|\s*[-\u2010\u2011]\s+")
ABBREVIATION = re.compile(r"^(?:[A-ZА-ЯЁ][A-ZА-ЯЁ0-9-]{1,9}|[A-Z][A-Za-z]{2,15})$")
OPENING_QUOTES = {"«", "„", "“", '"'}
CLOSING_QUOTES = {"»", "“", "”", '"'}
APPROACH_PREPOSITIONS = {"по", "через"}
NOUN_LOOKBACK = 3  # words between a route noun and its chain («линии электропередачи X»)
NP_LOOKBACK = 6  # words of an organisation's name before its abbreviation
SAME_SENTENCE, ANAPHORA = 0.9, 0.75


def _phrases(section: str) -> Phrases:
    return Phrases.of("routes", section)


def _commodity_words() -> Phrases:
    return Phrases.of("commodities", "commodities")


# --- words of the document -----------------------------------------------------------------


class Words:
    """The doc's non-space tokens with their lexicon forms, addressed by word index (shared
    with projects.py)."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.text = doc.text  # `Doc.text` is rebuilt from the tokens on every access
        self.tokens: list[Token] = [t for t in doc if not t.is_space]
        self.forms: list[Forms] = [
            word_forms(t.text) | {t.lemma_.replace("ё", "е")} for t in self.tokens
        ]
        self.texts = [t.text for t in self.tokens]
        self.starts = [t.idx for t in self.tokens]

    def at_char(self, char: int) -> int:
        """Index of the word that holds (or is the first after) character `char`."""
        return max(bisect_right(self.starts, char) - 1, 0)

    def span(self, start: int, end: int) -> Span:
        return self.doc[self.tokens[start].i : self.tokens[end - 1].i + 1]

    def char_range(self, start: int, end: int) -> tuple[int, int]:
        last = self.tokens[end - 1]
        return self.tokens[start].idx, last.idx + len(last.text)

    def sentence(self, sent: Span) -> tuple[int, int]:
        """Word range of a spaCy sentence."""
        start = bisect_right(self.starts, sent.start_char - 1)
        end = bisect_right(self.starts, sent.end_char - 1)
        return start, end

    def sentences(self) -> Iterator[tuple[int, int]]:
        """Word ranges of the doc's sentences, also cut after an abbreviation's full stop."""
        for sent in self.doc.sents:
            yield from _split_after_abbreviations(self, *self.sentence(sent))


# --- routes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """A mention of a route: where it is written (`start`/`end` characters and words `first`/
    `last`), what it stands for (`normal`, `waypoints`) and what its kind implies it carries."""

    start: int
    end: int
    first: int
    last: int
    normal: str
    waypoints: tuple[str, ...] = ()
    commodity: str | None = None

    @property
    def key(self) -> str:
        return self.normal.lower().replace("ё", "е")


@dataclass
class Aliases:
    """Abbreviations and second names the text defines for its routes."""

    by_word: dict[str, Route] = field(default_factory=dict)  # «КТК» → the route
    by_name: dict[str, Route] = field(default_factory=dict)  # «средний коридор» → the route
    definitions: set[int] = field(default_factory=set)  # word indices of the definitions


def find_routes(doc: Doc, words: Words | None = None) -> list[Route]:
    """The route mentions of a doc, in text order (see the module docstring)."""
    words = words or Words(doc)
    routes = _chains(doc, words) + _named(doc, words)
    routes.sort(key=lambda r: r.start)
    aliases = _aliases(doc, words, routes)
    resolved = [_resolve(route, aliases) for route in routes]
    taken = {i for r in resolved for i in range(r.first, r.last + 1)}
    for index, text in enumerate(words.texts):
        target = aliases.by_word.get(text)
        if target and index not in aliases.definitions and index not in taken:
            start, end = words.char_range(index, index + 1)
            resolved.append(replace(target, start=start, end=end, first=index, last=index))
    return sorted(resolved, key=lambda r: r.start)


def _resolve(route: Route, aliases: Aliases) -> Route:
    """A mention of a second name or abbreviation («нефтепровод КТК») as its route."""
    target = aliases.by_name.get(route.key) or aliases.by_word.get(route.normal)
    if target is None or target.key == route.key:
        return route
    return replace(route, normal=target.normal, waypoints=target.waypoints,
                   commodity=target.commodity or route.commodity)


def split_waypoints(chain: str) -> tuple[str, ...]:
    """«Актау – Баку – Джейхан» → (Актау, Баку, Джейхан); «Сурхан – Пули-Хумри» keeps the
    hyphenated name; «Междуреченск-Находка» (no other separator) splits at the hyphen."""
    return tuple(chain[start:end] for start, end in _waypoint_spans(chain))


def _waypoint_spans(chain: str) -> list[tuple[int, int]]:
    separator = SEPARATOR if SEPARATOR.search(chain) else re.compile("-")
    spans, start = [], 0
    for match in separator.finditer(chain):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(chain)))
    return [(a, b) for a, b in spans if chain[a:b].strip()]


def place_chain(chain: str) -> tuple[int, int] | None:
    """The part of a matched chain that names places: a two-word waypoint needs an adjective
    first («Средняя Азия»); otherwise its first word is left out when it opens the chain
    («Маршрут Актау – Баку») and the chain ends after its first word elsewhere («Актау – Баку
    Казахстан …»). None when fewer than two waypoints remain."""
    spans = _waypoint_spans(chain)
    start, end, kept = spans[0][0], spans[0][1], 0
    for index, (a, b) in enumerate(spans):
        first_word, space, _ = chain[a:b].partition(" ")
        if space and not _adjective(first_word):
            if index == 0:
                start = a + len(first_word) + 1
            else:
                end, kept = a + len(first_word), kept + 1
                break
        end, kept = b, kept + 1
    return (start, end) if kept >= 2 else None


def _adjective(word: str) -> bool:
    return any(p.tag.POS == "ADJF" and p.score >= 0.2 for p in analyzer().parse(word.lower()))


def route_normal(waypoints: tuple[str, ...]) -> str:
    return " – ".join(waypoints)


def _chains(doc: Doc, words: Words) -> list[Route]:
    routes = []
    for match in CHAIN.finditer(words.text):
        placed = place_chain(match.group())
        if placed is None:
            continue
        start, end = match.start() + placed[0], match.start() + placed[1]
        first, last = words.at_char(start), words.at_char(end - 1)
        if _quoted(words, first, last):
            continue  # a name in quotes («Средняя Азия – Центр») is read by `_named`
        kind = _route_noun_before(words, first)
        if kind is None:
            continue
        waypoints = split_waypoints(words.text[start:end])
        if len(waypoints) < 2:
            continue
        routes.append(Route(start, end, first, last, route_normal(waypoints), waypoints,
                            kind or None))
    return routes


def _quoted(words: Words, first: int, last: int) -> bool:
    return (first > 0 and words.texts[first - 1] in OPENING_QUOTES
            and last + 1 < len(words.texts) and words.texts[last + 1] in CLOSING_QUOTES)


def _route_noun_before(words: Words, first: int) -> str | None:
    """The commodity a route noun just before word `first` implies ("" when it implies none,
    or when a preposition «по»/«через» stands there instead); None when neither is there."""
    nouns = _phrases("route nouns")
    for at in range(first - 1, max(first - 1 - NOUN_LOOKBACK, -1), -1):
        if words.texts[at] in {".", "!", "?", "(", ")", ";"}:
            break
        hit = nouns.match(words.forms, at)
        if hit and at + hit[0] <= first:
            return hit[1]
    if first > 0 and words.texts[first - 1].lower() in APPROACH_PREPOSITIONS:
        return ""
    return None


def _named(doc: Doc, words: Words) -> list[Route]:
    """Named routes: a route noun and a name in quotes (нефтепровод «Дружба») or an abbreviation
    (газопровод TANAP), or capitalised adjectives and a route noun («Трансанатолийскому
    газопроводу»)."""
    nouns = _phrases("route nouns")
    routes = []
    sentence_starts = {start for start, _ in words.sentences()}
    at = 0
    while at < len(words.tokens):
        hit = nouns.match(words.forms, at)
        if hit:
            quoted = _quoted_name(words, at + hit[0])
            if quoted:
                start, end = quoted
                chars = words.char_range(start, end)
                routes.append(Route(*chars, start, end - 1, words.text[chars[0]:chars[1]],
                                    (), hit[1] or None))
                at = end
                continue
            after = at + hit[0]
            if after < len(words.texts) and ABBREVIATION.match(words.texts[after]):
                chars = words.char_range(after, after + 1)
                routes.append(Route(*chars, after, after, words.texts[after], (), hit[1] or None))
                at = after + 1
                continue
        token = words.tokens[at]
        if token.pos_ == "ADJ" and token.text[:1].isupper() and at not in sentence_starts:
            end = at + 1
            while end < len(words.tokens) and words.tokens[end].pos_ == "ADJ" \
                    and words.texts[end].islower():
                end += 1
            hit = nouns.match(words.forms, end)
            if hit:
                last = end + hit[0] - 1
                chars = words.char_range(at, last + 1)
                normal = words.span(at, last + 1)._.normal
                routes.append(Route(*chars, at, last, normal, (), hit[1] or None))
                at = last + 1
                continue
        at += 1
    return routes


def _quoted_name(words: Words, at: int) -> tuple[int, int] | None:
    """Word range of a capitalised name in quotes that starts at word `at`."""
    if at >= len(words.texts) or words.texts[at] not in OPENING_QUOTES:
        return None
    for end in range(at + 2, min(at + 8, len(words.texts))):
        if words.texts[end] in CLOSING_QUOTES:
            return (at + 1, end) if words.texts[at + 1][:1].isupper() else None
    return None


def _aliases(doc: Doc, words: Words, routes: list[Route]) -> Aliases:
    aliases = Aliases()
    by_first = {route.first: route for route in routes}
    texts = words.texts
    for route in routes:
        after = route.last + 1
        if after + 2 < len(texts) and texts[after] == "(" and texts[after + 2] == ")" \
                and ABBREVIATION.match(texts[after + 1]):
            aliases.by_word.setdefault(texts[after + 1], route)
            aliases.definitions.add(after + 1)
        elif after < len(texts) and texts[after] == "(" and after + 1 in by_first:
            aliases.by_name.setdefault(by_first[after + 1].key, route)
        elif after + 1 < len(texts) and texts[after] == "," and texts[after + 1].lower() == "или" \
                and after + 2 in by_first:
            aliases.by_name.setdefault(by_first[after + 2].key, route)
    for index in range(1, len(texts) - 1):
        abbreviation = texts[index]
        if texts[index - 1] != "(" or texts[index + 1] != ")" or index in aliases.definitions:
            continue
        if not ABBREVIATION.match(abbreviation):
            continue
        route = _operator_route(doc, words, routes, index)
        if route is not None:
            aliases.by_word.setdefault(abbreviation, route)
            aliases.definitions.add(index)
    return aliases


def _operator_route(doc: Doc, words: Words, routes: list[Route], index: int) -> Route | None:
    """The route of an organisation defined as «… трубопроводный консорциум (КТК)»: the chain
    named after it in the sentence, the ends it connects («соединяющую Тенгиз с
    Новороссийском»), else the organisation's own name."""
    start = index - 1
    while start > 0 and index - 1 - start < NP_LOOKBACK and \
            words.tokens[start - 1].pos_ in {"ADJ", "NOUN", "PROPN"}:
        start -= 1
    organisation = _phrases("route organisations")
    if not any(words.forms[i] in organisation for i in range(start, index - 1)):
        return None
    sentence = words.tokens[index].sent
    _, sentence_end = words.sentence(sentence)
    for route in routes:
        if index < route.first < sentence_end and route.waypoints:
            return route
    ends = _connected_ends(words, index + 2, sentence_end)
    first_char, last_char = words.char_range(start, index - 1)
    if ends:
        return Route(first_char, last_char, start, index - 2, route_normal(ends), ends)
    return Route(first_char, last_char, start, index - 2, words.span(start, index - 1)._.normal)


def _connected_ends(words: Words, start: int, end: int) -> tuple[str, ...] | None:
    verbs = _phrases("connecting verbs")
    for at in range(start, end - 3):
        if words.forms[at] in verbs:
            a, preposition, b = at + 1, at + 2, at + 3
            if words.texts[preposition].lower() in {"с", "и"} and all(
                words.texts[i][:1].isupper() for i in (a, b)
            ):
                return (words.span(a, a + 1)._.normal, words.span(b, b + 1)._.normal)
    return None


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


def _split_after_abbreviations(words: Words, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The sentence cut after a full stop that ends an abbreviation and precedes a capital
    («… 1,8 млрд кВт·ч. Кроме того, …», «… 2025 г. Нефтепровод …»), which razdel leaves
    inside one sentence; initials («Ж. Иванов») are not cut."""
    for at in range(start + 1, end - 1):
        if words.texts[at] == "." and words.texts[at + 1][:1].isupper() \
                and not (len(words.texts[at - 1]) == 1 and words.texts[at - 1].isupper()):
            yield start, at + 1
            start = at + 1
    if start < end:
        yield start, end


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
