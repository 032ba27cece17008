"""The entity layer (`rufakt_entities`): what the document speaks of, and who is who.

Mentions come from the NLP core and the recognisers of this package: names of people
(`persons.py`), posts (`posts.py`), places and organisations (NER), routes (`routes.py`),
quantities (`quantities.py`). People are tied to their posts by the rules of
`pipeline/rules/holds_position.yml` (a *holding*: this person, named here, holds this post);
a post named without a name later in the text («глава ведомства отметил», «узбекский
вице-премьер») is then a further mention of the person who holds it.

Every mention is written to `doc.spans["rufakt_entities"]` (label PER, ORG, LOC, POST, ROUTE,
QUANTITY; `Span.kb_id_` = the entity id, such as "PER:2") and marked for the pattern rules
(`rules.engine.mark_mentions`: where each mention begins, continues and has its head).
"""

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..lexicon import lexicon_lines
from ..nlp import morphology
from ..nlp.normal import set_normal
from ..rules.engine import Match, RuleSet, load_rules, mark_mentions
from .modality import FORECAST, NEGATED, PLANNED, modality_of
from .persons import CASES, UD_CASES, Person, fits_case, mention_at, person_at, persons
from .posts import (
    Affiliation,
    Post,
    affiliation_at,
    body_of,
    countries,
    country_adjectives,
    country_names,
    find_posts,
    lemmas,
    national_title,
    org_normal,
    post_of_body,
)
from .speakers import speakers
from .store import doc_cache, entities, text_of
from .view import words_of_doc

SPANS_KEY = "rufakt_entities"
APPOSITION_DEPS = frozenset({"appos", "flat", "flat:name"})
LAYER_KEY = "rufakt_entity_layer"
GUESSED = 0.5


@dataclass(frozen=True)
class Holding:
    """A person named at `mention` holds `post` in `affiliation`; `rule` is the id of the rule
    that linked them."""

    person: Person
    mention: Span
    post: Post
    affiliation: Affiliation
    confidence: float
    rule: str


@dataclass
class EntityLayer:
    """What `rufakt_entities` worked out about one document."""

    posts: list[Post] = field(default_factory=list)
    holdings: list[Holding] = field(default_factory=list)
    # token index → the people a post head (linked to a name) or a post reference stands for
    people_by_post: dict[int, list[tuple[Person, Span]]] = field(default_factory=dict)
    # an abbreviation or short name the text defines → the fullest name («ЕАБР» → «Евразийский
    # банк развития»)
    aliases: dict[str, str] = field(default_factory=dict)
    # posts named without a name that refer to a person named earlier, with that person's link
    references: list[tuple[Post, "Holding"]] = field(default_factory=list)

    def named(self, affiliation: Affiliation) -> tuple[str, list[str]]:
        """(fullest name, other names) of a country or organisation as the document names it."""
        full = self.aliases.get(affiliation.normal)
        if full is not None:
            return full, [affiliation.normal]
        return affiliation.normal, list(affiliation.aliases)


class LayerMissing(RuntimeError):
    """An extractor ran on a doc the entity layer was not computed for."""


def layer(doc: Doc) -> EntityLayer:
    """The entity layer of a doc, as `rufakt_entities` left it."""
    found = doc_cache(doc).get(LAYER_KEY)
    if found is None:
        raise LayerMissing("the doc has no entity layer: run it through a pipeline with "
                           "rufakt_entities (pipeline.load())")
    return found


def holdings(doc: Doc) -> list[Holding]:
    """Every (person, post) link of the document, in text order."""
    return layer(doc).holdings


# ---------------------------------------------------------------- linking people to posts


def _next(doc: Doc, index: int) -> int:
    while index < len(doc) and doc[index].is_space:
        index += 1
    return index


def _previous(doc: Doc, index: int) -> int:
    while index >= 0 and doc[index].is_space:
        index -= 1
    return index


def _fits_case(name: Span, case: str | None) -> bool:
    """Whether the name can be in the (UD) `case` of a post it stands by."""
    wanted = UD_CASES.get(case or "")
    return wanted not in CASES or fits_case(name, wanted)


class Linking:
    """The state of linking one document's people to posts, rule after rule."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.posts = find_posts(doc)
        self.by_start: dict[int, list[Post]] = {}
        for post in self.posts:
            self.by_start.setdefault(post.span.start, []).append(post)
        self.links: list[tuple[Span, Post, float, str]] = []
        self.linked: set[int] = set()  # ids of linked posts
        self.holder: dict[int, Span] = {}  # post start → the name it was linked to

    def post_at(self, token: Token | None) -> list[Post]:
        return self.by_start.get(token.i, []) if token is not None else []

    def name_at(self, token: Token | None) -> Span | None:
        if token is None:
            return None
        found = mention_at(self.doc, token.i)
        return found if found is not None and found.start == token.i else None

    def add(self, name: Span, post: Post, match: Match, verb: Token | None = None) -> None:
        """Link a name to a post; a verb that links them may make the post former («занимал
        пост», «ранее возглавлявший») or rule the link out («будет назначен», «может
        возглавить»)."""
        if verb is not None:
            if modality_of(verb).label in {PLANNED, FORECAST, NEGATED}:
                return
            status = _verb_status(verb)
            if status is not None and post.status is None:
                post = replace(post, status=status)
        self.links.append((name, post, match.rule.confidence, match.rule.id))
        self.linked.add(id(post))
        self.holder.setdefault(post.span.start, name)


Linker = Callable[[Linking, list[Match]], None]
LINKERS: dict[str, Linker] = {}


def linker(name: str) -> Callable[[Linker], Linker]:
    def wrap(function: Linker) -> Linker:
        LINKERS[name] = function
        return function

    return wrap


@linker("post_name")
def _post_name(state: Linking, matches: list[Match]) -> None:
    """Of nested posts ending at one name, the outermost whose case the name can take."""
    by_name: dict[int, tuple[Span, list[tuple[Post, Match]]]] = {}
    for match in matches:
        name = state.name_at(match.first("person"))
        for post in state.post_at(match.first("post")):
            if post.plural and len(post.affiliations) > 1:
                continue  # «президенты России и Монголии A и B»: aligned by order (rule aligned)
            if name is not None and post.affiliations and _next(state.doc, post.span.end) == (
                    name.start):
                by_name.setdefault(name.start, (name, []))[1].append((post, match))
    for name, candidates in by_name.values():
        candidates.sort(key=lambda item: item[0].span.start)
        chosen = next((c for c in candidates if _fits_case(name, c[0].case)), candidates[0])
        state.add(name, *chosen)
        post = chosen[0]
        shared = _coordinated_post(state, post)
        if shared is not None:  # «Председатель совета директоров и генеральный директор X»
            state.add(name, replace(shared, affiliations=post.affiliations), chosen[1])
        if post.plural and len(post.affiliations) == 1:  # «заместители министра … A и B»
            runs = _name_list(state.doc, name.start, post.span.sent.end)
            for other in (runs[0][1:] if runs else []):
                state.add(other, *chosen)


def _coordinated_post(state: Linking, post: Post) -> Post | None:
    """A post with no place of its own joined by «и» to `post`, which names one: both posts
    are of that place."""
    doc = state.doc
    before = _previous(doc, post.span.start - 1)
    if before < 0 or doc[before].lower_ != "и":
        return None
    for other in state.posts:
        if not other.affiliations and not other.plural and _next(doc, other.span.end) == before \
                and not any(o.span.start < other.span.start < o.span.end for o in state.posts):
            return other
    return None


@linker("apposition")
def _apposition(state: Linking, matches: list[Match]) -> None:
    for match in matches:
        name = state.name_at(match.first("person"))
        for post in state.post_at(match.first("post")):
            if name is None or not post.affiliations or id(post) in state.linked or post.plural:
                continue
            state.add(name, post, match)


@linker("caption")
def _caption(state: Linking, matches: list[Match]) -> None:
    for match in matches:
        name = state.name_at(match.first("person"))
        for post in state.post_at(match.first("post")):
            if name is None or not post.affiliations or id(post) in state.linked:
                continue
            if post.plural or post.case != "Nom" or _next(state.doc, name.end) != post.span.start:
                continue
            following = state.name_at(_token(state.doc, _next(state.doc, post.span.end)))
            if following is None and _fits_case(name, "Nom"):
                state.add(name, post, match)


def _token(doc: Doc, index: int) -> Token | None:
    return doc[index] if index < len(doc) else None


@linker("heads_body")
def _heads_body(state: Linking, matches: list[Match]) -> None:
    for match in matches:
        verb, body = match.first("verb"), match.first("body")
        name = _holder_of_verb(state.doc, verb)
        if name is None:
            continue
        post = post_of_body(state.doc, body.left_edge.i if body.left_edge.i > verb.i else body.i)
        if post is not None and post.affiliations:
            state.add(name, post, match, verb)


def _posts_by_head(posts: list[Post]) -> dict[int, Post]:
    """Head token → the longest post with that token in its head («генеральным директором»:
    «генеральный директор», not «директор»)."""
    found: dict[int, Post] = {}
    for post in posts:
        for token in post.head:
            current = found.get(token.i)
            if current is None or len(post.head) > len(current.head):
                found[token.i] = post
    return found


@linker("heads_body_before_name")
def _heads_body_before_name(state: Linking, matches: list[Match]) -> None:
    for match in matches:
        verb, body = match.first("verb"), match.first("body")
        if verb.i > 0 and _previous(state.doc, verb.i - 1) >= 0 and \
                state.doc[_previous(state.doc, verb.i - 1)].text == ",":
            continue  # «X, возглавляющий …» is the rule heads_body
        post = post_of_body(state.doc, body.i)
        if post is None or not post.affiliations:
            continue
        name = state.name_at(_token(state.doc, _next(state.doc, post.span.end)))
        if name is not None:
            state.add(name, post, match, verb)


@linker("becomes_post")
def _becomes_post(state: Linking, matches: list[Match]) -> None:
    heads = _posts_by_head(state.posts)
    for match in matches:
        name = _holder_of_verb(state.doc, match.first("verb"))
        post = heads.get(match.first("post").i)
        if name is not None and post is not None and post.case == "Ins" and post.affiliations:
            state.add(name, post, match, match.first("verb"))


@linker("takes_office")
def _takes_office(state: Linking, matches: list[Match]) -> None:
    heads = _posts_by_head(state.posts)
    for match in matches:
        post = heads.get(_next(state.doc, match.first("office").i + 1))
        named = state.name_at(state.doc[_next(state.doc, post.span.end)]) if post is not None \
            and _next(state.doc, post.span.end) < len(state.doc) else None
        # «освободил от должности председателя правления Бахрома Юсупова»: the name after
        # the post; else whom the verb speaks of («Юсупов покинул пост …»)
        name = named or _holder_of_verb(state.doc, match.first("verb"))
        if name is not None and post is not None and post.affiliations:
            if match.rule.option("status"):
                post = replace(post, status=match.rule.option("status"))
            state.add(name, post, match, match.first("verb"))


@linker("chained")
def _chained(state: Linking, matches: list[Match]) -> None:
    """Posts listed before one name take its holder, from the name back to the first post."""
    for post in state.posts:  # posts with no place of their own: «полковник Сансерн …»
        name = state.name_at(_token(state.doc, _next(state.doc, post.span.end)))
        if name is not None:
            state.holder.setdefault(post.span.start, name)
    pairs = []
    for match in matches:
        for post in state.post_at(match.first("post")):
            for following in state.post_at(match.first("next")):
                pairs.append((post, following, match))
    for post, following, match in sorted(pairs, key=lambda p: -p[0].span.start):
        if post.span.start in state.holder or post.plural:
            continue
        name = state.holder.get(following.span.start)
        if name is not None and _fits_case(name, post.case):
            state.holder[post.span.start] = name
            if post.affiliations:
                state.links.append((name, post, match.rule.confidence, match.rule.id))


@linker("countryless")
def _countryless(state: Linking, matches: list[Match]) -> None:
    """A national post with no country right before a name: the document's country."""
    doc = state.doc
    placed = {person_at(doc, name.start).normal for name, post, _, _ in state.links
              if post.affiliations and person_at(doc, name.start) is not None}
    country = None
    for match in matches:
        name = state.name_at(match.first("person"))
        for post in state.post_at(match.first("post")):
            if name is None or post.affiliations or post.plural or not national_title(post.title):
                continue
            if _next(doc, post.span.end) != name.start:
                continue
            if any(o.span.start < post.span.start < o.span.end for o in state.posts):
                continue  # an inner post: «помощник заместителя госсекретаря»
            if not _fits_case(name, post.case) or person_at(doc, name.start) is None:
                continue
            if person_at(doc, name.start).normal in placed:
                continue  # named with a country elsewhere
            before = _previous(doc, post.span.start - 1)
            if before >= 0 and doc[before].pos_ == "ADJ":
                continue  # «музыкальный король …» is no head of state
            country = country or document_country(doc)
            if country is None:
                return
            normal = country_names().get(country._.normal, country._.normal)
            if country.label_ != "LOC":
                normal = next(v for k, v in country_adjectives().items()
                              if k in lemmas(country.text))
            place = Affiliation(country, normal, "LOC", anaphoric=True)
            single = Post(post.head, post.title, post.span, (place,), False, post.case)
            state.links.append((name, single, match.rule.confidence, match.rule.id))


@linker("aligned")
def _aligned(state: Linking, matches: list[Match]) -> None:
    """A plural post of n places and the next run of n names, in its sentence or the next."""
    doc = state.doc
    for match in matches:
        for post in state.post_at(match.first("post")):
            places = post.affiliations
            inherited = False
            if post.plural and len(places) < 2 and national_title(post.title):
                places, inherited = _places_of_earlier_plural(state.posts, post), True
            if not post.plural or len(places) < 2 or id(post) in state.linked:
                continue
            limit = post.span.sent.end
            if limit < len(doc):
                limit = doc[_next(doc, limit)].sent.end
            runs = [run for run in _name_list(doc, post.span.end, limit) if len(run) > 1]
            if runs and any(other.span.start != post.span.start
                            and _right_before(doc, other, runs[0][0])
                            for other in state.posts):
                continue  # the names have a post of their own: «Министры энергетики … A и B»
            if runs and inherited and not _right_before(doc, post, runs[0][0]):
                continue
            if runs and len(runs[0]) == len(places):
                for name, place in zip(runs[0], places, strict=True):
                    single = Post(post.head, post.title, post.span, (place,), False, post.case)
                    state.links.append((name, single, match.rule.confidence, match.rule.id))


@cache
def shared_places() -> frozenset[str]:
    """«двух стран», «обеих сторон»: the countries named before (lexicon)."""
    return frozenset(lexicon_lines("positions_shared_places.txt"))


@cache
def _shared_places_length() -> int:
    """Words in the longest entry of `shared_places`."""
    return max((len(entry.split()) for entry in shared_places()), default=0)


def _right_before(doc: Doc, post: Post, name: Span) -> bool:
    """A post right before a name, or with only «двух стран» between."""
    if post.span.end > name.start:
        return False
    words = []
    for token in doc[post.span.end:name.start]:
        if not token.is_space:
            words.append(token.lower_)
            if len(words) > _shared_places_length():
                return False  # longer than anything that may stand between
    between = " ".join(words)
    return not between or between.replace("ё", "е") in shared_places()


def _places_of_earlier_plural(posts: list[Post], post: Post) -> tuple[Affiliation, ...]:
    """The countries of the last plural post before `post` that names two or more: «Главы МИД
    A и B» after «премьер-министры Казахстана и Узбекистана» are of those two countries."""
    for other in sorted(posts, key=lambda p: p.span.start, reverse=True):
        if other.span.end <= post.span.start and other.plural and len(other.affiliations) > 1 \
                and all(a.type == "LOC" for a in other.affiliations):
            return other.affiliations
    return ()


EARLIER_WORDS = frozenset({"ранее", "прежде", "раньше", "когда-то", "некогда"})


def _verb_status(verb: Token) -> str | None:
    """"former" for a post held in the past: an imperfective past («занимал пост»,
    «возглавлявший», «работал советником») or «ранее»."""
    if any(child.lower_ in EARLIER_WORDS for child in verb.children):
        return "former"
    if "Past" in verb.morph.get("Tense") and "Imp" in verb.morph.get("Aspect"):
        return "former"
    return None


def _holder_of_verb(doc: Doc, verb: Token) -> Span | None:
    """The person a verb speaks of: the noun a participle qualifies, the subject, or the
    name a relative clause («X, который возглавляет …») is about."""
    subject = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubj:pass"}), None)
    if subject is not None and subject.lemma_ == "который":
        comma = _previous(doc, subject.i - 1)
        if comma >= 0 and doc[comma].text == ",":
            found = mention_at(doc, _previous(doc, comma - 1))
            if found is not None:
                return found
    if verb.dep_ in {"acl", "amod"}:
        found = mention_at(doc, verb.head.i)
        if found is not None:
            return found
    mark_at = _previous(doc, verb.i - 1)
    while mark_at >= 0 and doc[mark_at].pos_ == "ADV":  # «…, ранее возглавлявший …»
        mark_at = _previous(doc, mark_at - 1)
    if mark_at >= 0 and doc[mark_at].text == ",":  # «Аарон Гринспен, управляющий компанией …»
        found = mention_at(doc, _previous(doc, mark_at - 1))
        if found is not None:
            return found
    for child in verb.children:
        if child.dep_ in {"nsubj", "nsubj:pass"}:
            return mention_at(doc, child.i)
    if verb.dep_ == "xcomp" and verb.head.i != verb.i:  # «Путин согласился занять пост …»
        return _holder_of_verb(doc, verb.head)
    return None


LIST_MARKS = frozenset({",", "и"})


def _name_list(doc: Doc, start: int, end: int) -> list[list[Span]]:
    """Runs of names joined by «,» / «и» between tokens `start` and `end`."""
    runs: list[list[Span]] = []
    current: list[Span] = []
    index = start
    while index < end:
        found = mention_at(doc, index)
        name = found if found is not None and found.start == index else None
        if name is not None:
            current.append(name)
            index = _next(doc, name.end)
            if index < end and doc[index].text in LIST_MARKS:
                index = _next(doc, index + 1)
                if index < end and doc[index].text == "и":
                    index = _next(doc, index + 1)
                continue
        if current:
            runs.append(current)
            current = []
        index += 1
    if current:
        runs.append(current)
    return runs


def document_country(doc: Doc) -> Span | None:
    """The country a document is about: the one its places and country adjectives name most
    often, if one leads («Россия» 5, «США» 2) or is the only one; its first mention."""
    counts: dict[str, list[Span]] = {}
    for entity in entities(doc):
        if entity.label_ == "LOC":
            normal = entity._.normal
            normal = country_names().get(normal, normal)
            if normal in countries():
                counts.setdefault(normal, []).append(entity)
    for token in doc:
        for lemma in lemmas(token.text):
            if token.pos_ == "ADJ" and lemma in country_adjectives():
                place = country_adjectives()[lemma]
                counts.setdefault(place, []).append(doc[token.i : token.i + 1])
    ranked = sorted(counts.items(), key=lambda item: -len(item[1]))
    if not ranked or (len(ranked[0][1]) < 2 and len(ranked) > 1):
        return None
    if len(ranked) > 1 and len(ranked[1][1]) == len(ranked[0][1]):
        return None
    return min(ranked[0][1], key=lambda span: span.start)


def link_holdings(doc: Doc, rules: RuleSet) -> list[Holding]:
    """Apply the holds_position rules in their order; each match is checked by its linker."""
    state = Linking(doc)
    by_rule: dict[str, list[Match]] = {rule_id: [] for rule_id in rules.rules}
    for match in rules(doc):
        by_rule[match.rule.id].append(match)
    for rule_id, rule in rules.rules.items():
        LINKERS[rule.option("link")](state, by_rule[rule_id])
    found = []
    for name, post, confidence, rule_id in state.links:
        person = person_at(doc, name.start)
        if person is None:
            continue
        place = post.affiliations[0]
        score = confidence - (0.2 if place.anaphoric and confidence > GUESSED else 0.0)
        found.append(Holding(person, name, post, place, round(score, 2), rule_id))
    found.sort(key=lambda h: (h.mention.start, h.post.span.start))
    return found


# ---------------------------------------------------------------- the component


GENERIC_HEADS = frozenset({"глава", "руководитель", "начальник", "шеф"})


def post_references(posts: list[Post], holdings: list[Holding]) -> list[tuple[Post, Holding]]:
    """Posts without a name of their own that speak again of someone named earlier with a
    fitting post: «министр энергетики Казахстана Ерлан Аккенженов … отметил министр», «…
    узбекский вице-премьер», «глава ведомства»; the nearest such holding before the post."""
    linked = {id(h.post) for h in holdings} | {h.post.span.start for h in holdings}
    found = []
    for post in posts:
        if post.plural or id(post) in linked or post.span.start in linked:
            continue
        if any(h.mention.start <= post.span.start < h.mention.end or
               h.post.span.start <= post.span.start < h.post.span.end for h in holdings):
            continue
        earlier = [h for h in holdings if h.mention.start < post.span.start
                   and _same_post(post, h)]
        if earlier:
            found.append((post, max(earlier, key=lambda h: h.mention.start)))
    return found


def _same_post(reference: Post, holding: Holding) -> bool:
    """A post without a name fits a person's post: the same title, or its head word («министр»
    for «министр энергетики»), or a generic head («глава», «руководитель»); and the same place
    when the reference names one («узбекский вице-премьер»)."""
    title, held = reference.title, holding.post.title
    head = title.split()[0]
    if not (title == held or held.startswith(title + " ") or head in GENERIC_HEADS
            or held.split()[0] == head and len(title.split()) == 1):
        return False
    places = [a for a in reference.affiliations if not _generic_body(a)]
    if places:
        return any(a.normal == holding.affiliation.normal for a in places)
    return True


def variant_of(title: str, other: str) -> bool:
    """Whether post title `title` is a shorter telling of `other` for the same post: a generic
    head («глава», «руководитель»), or the same head noun with fewer words («директор» of
    «генеральный директор»), not another post («председатель» of «заместитель председателя»)."""
    words, others = title.split(), other.split()
    if title == other or (len(words) == 1 and words[0] in GENERIC_HEADS):
        return True
    return set(words) < set(others) and _head_word(words) == _head_word(others)


def _head_word(words: list[str]) -> str:
    """The first word of a title that is not an adjective («генеральный директор» →
    «директор»)."""
    for word in words:
        parses = morphology.parses(word)
        if not parses or parses[0].tag.POS not in {"ADJF", "PRTF"}:
            return word
    return words[0]


def _generic_body(affiliation: Affiliation) -> bool:
    """«ведомства», «компании», «министерства»: a body named by a common noun alone, which
    points back to the one named before."""
    return affiliation.normal.islower() and all(body_of(t) for t in affiliation.span
                                                if t.is_alpha)


def _defined_aliases(doc: Doc, posts: list[Post]) -> dict[str, str]:
    """Abbreviations defined in brackets after an organisation («Евразийский банк развития
    (ЕАБР)») → the organisation's name."""
    found: dict[str, str] = {}
    places = [a for post in posts for a in post.affiliations]
    words = words_of_doc(doc)
    text = words.text
    starts = {e.start for e in entities(doc) if e.label_ == "ORG"} | {
        words.tokens[n].i for n, word in enumerate(words.texts) if word in {"«", "„", "“"}}
    for start in sorted(starts):
        at = doc[start].idx
        if "(" not in text[at:at + ALIAS_REACH]:
            continue  # no bracket to define an abbreviation in
        affiliation = affiliation_at(doc, start, doc[start].sent.end)
        if affiliation is not None:
            places.append(affiliation[0])
    for place in places:
        for alias in place.aliases:
            if alias != place.normal:
                found.setdefault(alias, place.normal)
    for alias, name in _bracketed_abbreviations(doc):
        found.setdefault(alias, name)
    return found


ABBREVIATION_LOOKBACK = 8  # words of an organisation's name before its bracketed abbreviation
ALIAS_REACH = 200  # characters from a name's start to its bracketed abbreviation
BRACKETED_ABBREVIATION = re.compile(r"\((?!\s)([A-ZА-ЯЁ]{2,})\)")


def _bracketed_abbreviations(doc: Doc) -> Iterator[tuple[str, str]]:
    """«Государственная нефтяная компания Азербайджанской Республики (SOCAR)» when the NER
    cut the name in two: the words from the nearest organisation entity before the bracket."""
    org_starts = sorted(e.start for e in entities(doc) if e.label_ == "ORG")
    if not org_starts:
        return
    for found in BRACKETED_ABBREVIATION.finditer(text_of(doc)):
        bracket = doc.char_span(found.start(), found.start() + 1)
        if bracket is None:
            continue
        index, abbreviation = bracket.start, found.group(1)
        start = next((s for s in reversed(org_starts)
                      if index - ABBREVIATION_LOOKBACK <= s < index), None)
        if start is None or any(not t.is_alpha and t.text not in {"-", "«", "»"}
                                for t in doc[start:index]):
            continue
        name = org_normal(doc[start:index]).strip("«» ")
        if name and name != abbreviation:
            yield abbreviation, name


def _record_normals(doc: Doc, people: list[Person]) -> None:
    """Each person mention's `Span._.normal` is the person's fullest name, the one its facts
    use; so is that of the NER span it came from."""
    by_start = {e.start: e for e in entities(doc) if e.label_ == "PER"}
    for person in people:
        for mention in person.mentions:
            set_normal(doc[mention.start:mention.end], person.normal)
            span = Span(doc, mention.start, mention.end, label="PER")
            set_normal(span, person.normal)
            entity = next((e for e in by_start.values()
                           if e.start <= mention.start < e.end), None)
            if entity is not None:
                set_normal(entity, person.normal)


class EntityRecognizer:
    """Builds the entity layer of each doc (see the module docstring)."""

    def __init__(self, nlp: Language):
        self.rules = RuleSet(nlp.vocab, load_rules("holds_position"))

    def __call__(self, doc: Doc) -> Doc:
        found = EntityLayer()
        found.posts = find_posts(doc)
        people = persons(doc)
        spans = [("PER", m) for person in people for m in person.mentions]
        spans += [("POST", post.span) for post in found.posts]
        spans += [(e.label_, e) for e in entities(doc) if e.label_ in {"LOC", "ORG"}]
        mark_mentions(spans)
        found.holdings = link_holdings(doc, self.rules)
        found.aliases = _defined_aliases(doc, found.posts)
        for holding in found.holdings:
            for token in holding.post.head:
                found.people_by_post.setdefault(token.i, []).append(
                    (holding.person, holding.mention))
        found.references = post_references(found.posts, found.holdings)
        for post, holding in found.references:
            for token in post.head:
                found.people_by_post.setdefault(token.i, []).append(
                    (holding.person, holding.mention))
        for index, speaker in speakers(doc, people).items():  # «я», «мы» of a quote, interview
            found.people_by_post.setdefault(index, []).append(speaker)
        # a post linked to a name stands for the person too («министр … провёл переговоры»),
        # and so does a noun the name is in apposition to («коллегу Николя Саркози»)
        mark_mentions(("PER", doc[i : i + 1]) for i in found.people_by_post)
        mark_mentions(("PER", doc[m.root.head.i : m.root.head.i + 1]) for person in people
                      for m in person.mentions if m.root.dep_ in APPOSITION_DEPS)
        doc_cache(doc)[LAYER_KEY] = found
        ids = {id(person): f"PER:{n}" for n, person in enumerate(people)}
        group = []
        for label, span in spans:
            entity_id = ""
            if label == "PER":
                person = person_at(doc, span.start)
                entity_id = ids.get(id(person), "") if person is not None else ""
            group.append(Span(doc, span.start, span.end, label=label, kb_id=entity_id))
        for post, holding in found.references:  # «глава ведомства отметил»: the person again
            group.append(Span(doc, post.span.start, post.span.end, label="PER",
                              kb_id=ids.get(id(holding.person), "")))
        _record_normals(doc, people)
        doc.spans[SPANS_KEY] = sorted(group, key=lambda s: (s.start, -s.end))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


@Language.factory("rufakt_entities", assigns=["doc.spans"],
                  requires=["doc.ents", "token.dep", "token.morph"])
def make_entity_layer(nlp: Language, name: str) -> EntityRecognizer:
    return EntityRecognizer(nlp)
