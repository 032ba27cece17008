"""Route mentions: chains of place names after a route noun («по маршруту Атырау–Самара»), named
routes («Трансанатолийский газопровод», нефтепровод «Дружба») and the abbreviations or second
names the text defines for them («(КТК)», «, или Средний коридор»)."""

import re
from dataclasses import dataclass, field, replace
from functools import cache

from spacy.tokens import Doc

from ..lexicon import Phrases, read_lexicon, word_forms, words_of
from ..nlp import morphology
from .posts import country_names, phrase_normal
from .store import entity_at
from .view import Words

WORD = r"[A-ZА-ЯЁ][a-zа-яё]+(?:-[A-ZА-ЯЁа-яё][a-zа-яё]*)*"
PLACE = rf"(?:{WORD} )?{WORD}"  # «Актау», «Пули-Хумри», «Средняя Азия»
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




@cache
def chain_pattern() -> re.Pattern:
    """Place names joined by dashes; a place may be a plant named by its adjective
    («Гусиноозёрская ГРЭС», «Экибастузская ГРЭС-1»; `[facility waypoints]` of the lexicon)."""
    facilities = "|".join(re.escape(word) for word, _ in
                          read_lexicon("routes")["facility waypoints"])
    place = rf"(?:{WORD} (?:{facilities})(?:-\d+)?|{PLACE})"
    return re.compile(rf"(?<![\w-]){place}(?:\s*[-\u2010-\u2015\u2212]\s*{place})+(?![\w-])")


def _phrases(section: str) -> Phrases:
    return Phrases.of("routes", section)


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
    routes += _known(words, routes)
    routes += _described(doc, words, routes)
    routes.sort(key=lambda r: r.start)
    aliases = _aliases(doc, words, routes)
    resolved = [_canonical(_resolve(route, aliases), words) for route in routes]
    taken = {i for r in resolved for i in range(r.first, r.last + 1)}
    for index, text in enumerate(words.texts):
        target = aliases.by_word.get(text)
        if target and index not in aliases.definitions and index not in taken:
            start, end = words.char_range(index, index + 1)
            resolved.append(replace(target, start=start, end=end, first=index, last=index))
    return sorted(resolved, key=lambda r: r.start)


FROM_WORDS = frozenset({"из", "от"})
TO_WORDS = frozenset({"в", "во", "до", "на"})
VIA_WORDS = frozenset({"через"})
MAX_PLACE_NOUNS = 1  # «из порта Актау»: words between the preposition and the name


def _described(doc: Doc, words: Words, found: list[Route]) -> list[Route]:
    """Routes told in words: «из порта Актау в Баку», «из Туркменистана через Узбекистан в
    Кыргызстан», «от Сангтуды до Пули-Хумри» (the places NER finds, in the nominative)."""
    taken = {i for route in found for i in range(route.first, route.last + 1)}
    routes = []
    connecting = _phrases("connecting verbs")
    for at, text in enumerate(words.texts):
        if text.lower() not in FROM_WORDS and connecting.first_forms.isdisjoint(words.forms[at]):
            continue
        if words.forms[at] in connecting:  # «нефтепровод, соединяющий Атырау с Самарой»
            first = _place_after(doc, words, at + 1)
            if first is not None and first[1] + 1 < len(words.texts) and \
                    words.texts[first[1]].lower() in {"с", "со", "и"}:
                second = _place_after(doc, words, first[1] + 1)
                if second is not None and second[2] != first[2] and not taken & set(
                        range(first[0], second[1])):
                    start, stop = words.char_range(first[0], second[1])
                    routes.append(Route(start, stop, first[0], second[1] - 1,
                                        route_normal((first[2], second[2])),
                                        (first[2], second[2])))
            continue
        if text.lower() not in FROM_WORDS:
            continue
        first = _place_after(doc, words, at + 1)
        if first is None:
            continue
        points, end = [first], first[1]
        while end < len(words.texts) and words.texts[end].lower() in VIA_WORDS | TO_WORDS:
            following = _place_after(doc, words, end + 1)
            if following is None:
                break
            points.append(following)
            end = following[1]
            if words.texts[following[0] - 1].lower() in TO_WORDS or any(
                    words.texts[i].lower() in TO_WORDS for i in range(following[0] - 2,
                                                                     following[0])):
                break
        if len(points) < 2 or taken & set(range(first[0], end)):
            continue
        waypoints = tuple(point[2] for point in points)
        if len(set(waypoints)) < len(waypoints):
            continue
        start, stop = words.char_range(points[0][0], end)
        routes.append(Route(start, stop, points[0][0], end - 1, route_normal(waypoints),
                            waypoints))
    return routes


def _place_after(doc: Doc, words: Words, at: int) -> tuple[int, int, str] | None:
    """(first word, end word, nominative) of a place name at word `at`, after at most one
    noun that says what kind of place it is («порта», «станции»)."""
    for skip in range(MAX_PLACE_NOUNS + 1):
        index = at + skip
        if index >= len(words.tokens):
            return None
        token = words.tokens[index]
        entity = entity_at(doc, token.i)
        if entity is not None and entity.label_ == "LOC" and entity.start == token.i:
            end = index + sum(1 for t in entity if not t.is_space)
            normal = phrase_normal(entity)
            return index, end, country_names().get(normal, normal)
        if skip == 0 and not (token.pos_ == "NOUN" and token.text.islower()):
            return None
    return None


def _known_routes() -> Phrases:
    return Phrases.of("routes_known", "known routes")


def _known(words: Words, found: list[Route]) -> list[Route]:
    """Mentions of well-known routes by name or alias (`lexicon/routes_known.txt`) that no
    other reading took: «по КТК», «Южно-Кавказского газопровода», «через Севморпуть»."""
    taken = {i for route in found for i in range(route.first, route.last + 1)}
    routes = []
    for first, end, normal in _known_routes().find(words.forms):
        if not words.texts[first][:1].isupper() or taken & set(range(first, end)):
            continue
        start, stop = words.char_range(first, end)
        waypoints = split_waypoints(normal) if " – " in normal else ()
        routes.append(Route(start, stop, first, end - 1, normal, waypoints))
    return routes


def canonical_route(name: str) -> tuple[str, tuple[str, ...]]:
    """(normal, waypoints) of a route name: a well-known route's by any of its aliases
    («ЮКГ» → Баку – Тбилиси – Эрзурум), else the name and the waypoints it gives."""
    names = words_forms(name)
    hit = _known_routes().match(names, 0)
    normal = hit[1] if hit is not None and hit[0] == len(names) else name
    return normal, split_waypoints(normal) if " – " in normal else ()


def _canonical(route: Route, words: Words | None = None) -> Route:
    """A route whose name is a well-known route's alias, named as that route; its words as
    written are looked up too («по Южно-Кавказскому газопроводу»)."""
    normal, waypoints = canonical_route(route.normal)
    if normal == route.normal and words is not None and not route.waypoints:
        forms = words.forms[route.first:route.last + 1]
        hit = _known_routes().match(forms, 0)
        if hit is not None and hit[0] == len(forms):
            normal = hit[1]
            waypoints = split_waypoints(normal) if " – " in normal else ()
    if normal == route.normal:
        return route
    return replace(route, normal=normal, waypoints=waypoints)


def words_forms(text: str) -> list:
    return [word_forms(word) for word in words_of(text)]


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
    return any(p.tag.POS == "ADJF" and p.score >= 0.2 for p in morphology.parses(word.lower()))


def route_normal(waypoints: tuple[str, ...]) -> str:
    return " – ".join(waypoints)


def _chains(doc: Doc, words: Words) -> list[Route]:
    routes = []
    for match in chain_pattern().finditer(words.text):
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
        if not words.texts[at][:1].isupper() and nouns.first_forms.isdisjoint(words.forms[at]):
            at += 1  # neither a route noun nor a capitalised adjective
            continue
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
        opening = at in sentence_starts or (at - 1 in sentence_starts and words.texts[at - 1] in
                                            OPENING_QUOTES | {"–", "—", "-"})
        if token.pos_ == "ADJ" and token.text[:1].isupper() and not opening:
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

