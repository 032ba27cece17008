"""holds_position: a named person holds a post in a country or an organisation.

Each post phrase (`positions.py`) is linked to the person it names:

- the name right after the post: «министр энергетики Казахстана Ерлан Аккенженов», «с
  министром энергетики Узбекистана Алишером Каримовым»;
- the post in apposition after the name: «Иван Петров, председатель правления КазМунайГаза,»,
  «Селим Арслан — заместитель генерального директора компании»;
- a verb: «X, возглавляющий министерство энергетики Туркменистана» (→ министр энергетики),
  «X назначен министром финансов России», «X согласился занять пост премьер-министра РФ»;
- posts listed before one name: «лидер Меджлиса …, народный депутат Украины Мустафа
  Джемилев»; a caption «Кирсан Илюмжинов Президент ФИДЕ»;
- a plural post of several places and as many coordinated names in the same or the next
  sentence, aligned by order: «встреча министров энергетики Казахстана и Азербайджана. A и B
  обсудили …».

A post with no name («отметил министр энергетики Казахстана») refers to someone already
named and gives no fact; nor does a person without a post. A national post with no country
(«Премьер-министр Михаил Фрадков») is given the country the document is about, with a low
confidence.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Doc, Span, Token

from ..facts import Fact
from ..layers.persons import CASES, UD_CASES, Person, fits_case, mention_at, person_at, persons
from ..layers.posts import (
    Affiliation,
    Post,
    countries,
    country_adjectives,
    country_names,
    doc_cache,
    entities,
    find_posts,
    lemmas,
    post_of_body,
)
from ..lexicon import lexicon_lines
from .component import register
from .evidence import evidence, mention

HOLDINGS_KEY = "rufakt_holdings"
APPOSITION_MARKS = frozenset({",", "—", "–", "-", "("})
LIST_MARKS = frozenset({",", "и"})
DIRECT, APPOSITION, VERBAL, ALIGNED, GUESSED = 0.9, 0.85, 0.8, 0.7, 0.5
OFFICE_WORDS = frozenset({"пост", "должность", "кресло"})


@dataclass(frozen=True)
class Holding:
    """A person named at `mention` holds `post` in `affiliation`."""

    person: Person
    mention: Span
    post: Post
    affiliation: Affiliation
    confidence: float


@cache
def post_verbs() -> dict[str, str]:
    """Verb → how it ties a person to a post ("heads", "becomes" or "takes")."""
    return dict(line.split("\t") for line in lexicon_lines("positions_verbs.txt"))


def _next(doc: Doc, index: int) -> int:
    while index < len(doc) and doc[index].is_space:
        index += 1
    return index


def _previous(doc: Doc, index: int) -> int:
    while index >= 0 and doc[index].is_space:
        index -= 1
    return index


def _mention_starting(doc: Doc, index: int) -> Span | None:
    found = mention_at(doc, index) if index < len(doc) else None
    return found if found is not None and found.start == index else None


def _fits_case(name: Span, case: str | None) -> bool:
    """Whether the name can be in the (UD) `case` of a post it stands by."""
    wanted = UD_CASES.get(case or "")
    return wanted not in CASES or fits_case(name, wanted)


# ---------------------------------------------------------------- links


def _name_after(doc: Doc, posts: list[Post]) -> Iterator[tuple[Span, Post, float]]:
    """Names right after a post; of nested posts ending at one name («помощник президента
    России Дмитрия Медведева»), the outermost whose case the name can take."""
    by_end: dict[int, list[Post]] = {}
    for post in posts:
        if post.affiliations:
            by_end.setdefault(_next(doc, post.span.end), []).append(post)
    for start, candidates in by_end.items():
        name = _mention_starting(doc, start)
        if name is None:
            continue
        candidates.sort(key=lambda p: p.span.start)
        chosen = next((p for p in candidates if _fits_case(name, p.case)), candidates[0])
        yield name, chosen, DIRECT


def _apposition(doc: Doc, posts: list[Post], named: set[int]) -> Iterator[tuple]:
    """«Иван Петров, председатель правления КазМунайГаза» and «Селим Арслан — заместитель …»."""
    by_start = {}
    for post in posts:
        by_start.setdefault(post.span.start, post)
    for person in persons(doc):
        for name in person.mentions:
            mark = _next(doc, name.end)
            if mark >= len(doc) or doc[mark].text not in APPOSITION_MARKS:
                continue
            start = _next(doc, mark + 1)
            if start + 1 < len(doc) and start not in by_start and doc[start].pos_ == "NOUN":
                joint = _next(doc, start + 1)  # «Гергей Ковач — политик и лидер партии …»
                if joint < len(doc) and doc[joint].text in {"и", ","}:
                    start = _next(doc, joint + 1)
            post = by_start.get(start)
            if post is None or not post.affiliations or id(post) in named or post.plural:
                continue
            yield name, post, APPOSITION


def _title_line(doc: Doc, posts: list[Post], named: set[int]) -> Iterator[tuple]:
    """A name right before its post, with nothing between, both in the nominative: a caption
    such as «Кирсан Илюмжинов Президент ФИДЕ»."""
    by_start = {post.span.start: post for post in posts if post.affiliations}
    for person in persons(doc):
        for name in person.mentions:
            post = by_start.get(_next(doc, name.end))
            if post is None or id(post) in named or post.plural or post.case != "Nom":
                continue
            following = _mention_starting(doc, _next(doc, post.span.end))
            if following is None and _fits_case(name, "Nom"):
                yield name, post, ALIGNED


def _chained(doc: Doc, posts: list[Post], links: list[tuple]) -> Iterator[tuple]:
    """Posts listed before one name: «лидер Меджлиса …, народный депутат Украины Мустафа
    Джемилев», «глава представительства США помощник заместителя госсекретаря Мэтью Брайза»,
    «бывший глава X и совладелец WFC Артур Перепёлкин», «представитель вооружённых сил
    полковник Сансерн Каевкамнерд»."""
    by_start: dict[int, list[Post]] = {}
    for post in posts:
        by_start.setdefault(post.span.start, []).append(post)
    holder = {post.span.start: name for name, post, _ in links}
    for post in posts:  # posts with no place of their own: «полковник Сансерн Каевкамнерд»
        name = _mention_starting(doc, _next(doc, post.span.end))
        if name is not None:
            holder.setdefault(post.span.start, name)
    for post in sorted(posts, key=lambda p: -p.span.start):
        if post.span.start in holder or post.plural:
            continue
        position = _next(doc, post.span.end)
        if position < len(doc) and doc[position].text in {",", "и"}:
            position = _next(doc, position + 1)
        if position in holder and by_start.get(position) and _fits_case(holder[position],
                                                                           post.case):
            name = holder[position]
            holder[post.span.start] = name
            if post.affiliations:
                yield name, post, VERBAL


def _verbal(doc: Doc) -> Iterator[tuple[Span, Post, float]]:
    """«X, возглавляющий министерство энергетики Туркменистана», «X назначен министром …»."""
    posts_by_head = {}
    for post in find_posts(doc):
        for token in post.head:
            posts_by_head.setdefault(token.i, post)
    for token in doc:
        how = next((post_verbs()[lemma] for lemma in lemmas(token.text)
                    if lemma in post_verbs()), None)
        if how is None or token.pos_ not in {"VERB", "AUX"}:
            continue
        name = _holder_of_verb(doc, token)
        if name is None:
            continue
        for child in token.children:
            if how == "heads" and child.dep_ in {"obj", "obl", "iobj"}:
                post = post_of_body(doc, child.left_edge.i if child.left_edge.i > token.i
                                    else child.i)
                if post is not None and post.affiliations:
                    yield name, post, VERBAL
            if how == "becomes" and child.dep_ in {"xcomp", "obl", "nmod", "obj"}:
                post = posts_by_head.get(child.i)
                if post is not None and post.case == "Ins" and post.affiliations:
                    yield name, post, VERBAL
            if how == "takes" and child.dep_ == "obj" and lemmas(child.text) & OFFICE_WORDS:
                post = posts_by_head.get(_next(doc, child.i + 1))
                if post is not None and post.affiliations:  # «занять пост премьер-министра РФ»
                    yield name, post, VERBAL


def _holder_of_verb(doc: Doc, verb: Token) -> Span | None:
    """The person a verb speaks of: the noun a participle qualifies, or the subject."""
    if verb.dep_ == "acl":
        found = mention_at(doc, verb.head.i)
        if found is not None:
            return found
    mark = _previous(doc, verb.i - 1)
    if mark >= 0 and doc[mark].text == ",":  # «Аарон Гринспен, управляющий компанией …»
        found = mention_at(doc, _previous(doc, mark - 1))
        if found is not None:
            return found
    for child in verb.children:
        if child.dep_ in {"nsubj", "nsubj:pass"}:
            return mention_at(doc, child.i)
    if verb.dep_ == "xcomp" and verb.head.i != verb.i:  # «Путин согласился занять пост …»
        return _holder_of_verb(doc, verb.head)
    return None


def _name_list(doc: Doc, start: int, end: int) -> list[list[Span]]:
    """Runs of names joined by «,» / «и» between tokens `start` and `end`."""
    runs: list[list[Span]] = []
    current: list[Span] = []
    index = start
    while index < end:
        name = _mention_starting(doc, index)
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


def _aligned(doc: Doc, posts: list[Post], named: set[int]) -> Iterator[tuple]:
    """A plural post of n places and the next run of n names, in its sentence or the next."""
    for post in posts:
        places = post.affiliations
        if not post.plural or len(places) < 2 or id(post) in named:
            continue
        sentence = post.span.sent
        limit = sentence.end
        if limit < len(doc):
            limit = doc[_next(doc, limit)].sent.end
        runs = [run for run in _name_list(doc, post.span.end, limit) if len(run) > 1]
        if runs and len(runs[0]) == len(places):
            for name, place in zip(runs[0], places, strict=True):
                yield name, _single(post, place), ALIGNED


def _single(post: Post, place: Affiliation) -> Post:
    return Post(post.head, post.title, post.span, (place,), False, post.case)


@cache
def national_titles() -> frozenset[str]:
    """Posts that serve a country («президент», «министр», «глава правительства»)."""
    return frozenset(lexicon_lines("positions_national.txt"))


def _national(post: Post) -> bool:
    if post.title in national_titles():
        return True
    return any(entry.endswith(" …") and (post.title + " ").startswith(entry[:-1])
               for entry in national_titles())


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


def _countryless(doc: Doc, posts: list[Post], links: list[tuple]) -> Iterator[tuple]:
    """A national post with no country, right before a name («Премьер-министр Михаил
    Фрадков»): the document's country."""
    country = None
    placed = {person_at(doc, name.start).normal for name, post, _ in links if post.affiliations}
    for post in posts:
        if post.affiliations or post.plural or not _national(post):
            continue
        if any(other.span.start < post.span.start < other.span.end for other in posts):
            continue  # an inner post: «помощник заместителя госсекретаря»
        name = _mention_starting(doc, _next(doc, post.span.end))
        if name is None or not _fits_case(name, post.case):
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
            normal = next(v for k, v in country_adjectives().items() if k in lemmas(country.text))
        place = Affiliation(country, normal, "LOC", anaphoric=True)
        yield name, Post(post.head, post.title, post.span, (place,), False, post.case), GUESSED


def holdings(doc: Doc) -> list[Holding]:
    """Every (person, post) link of the document, in text order (cached on the doc)."""
    if HOLDINGS_KEY in doc_cache(doc):
        return doc_cache(doc)[HOLDINGS_KEY]
    posts = find_posts(doc)
    links = list(_name_after(doc, posts))
    named = {id(post) for _, post, _ in links}
    links += list(_apposition(doc, posts, named))
    links += list(_title_line(doc, posts, named | {id(post) for _, post, _ in links}))
    links += list(_verbal(doc))
    links += list(_chained(doc, posts, links))
    links += list(_countryless(doc, posts, links))
    links += list(_aligned(doc, posts, named | {id(post) for _, post, _ in links}))
    found = []
    for name, post, confidence in links:
        person = person_at(doc, name.start)
        if person is None:
            continue
        place = post.affiliations[0]
        score = confidence - (0.2 if place.anaphoric and confidence > GUESSED else 0.0)
        found.append(Holding(person, name, post, place, round(score, 2)))
    found.sort(key=lambda h: (h.mention.start, h.post.span.start))
    doc_cache(doc)[HOLDINGS_KEY] = found
    return found


@register("holds_position")
def extract(doc: Doc) -> Iterator[Fact]:
    for holding in holdings(doc):
        place = holding.affiliation
        yield Fact(
            predicate="holds_position",
            subject=mention(holding.mention, "PER", normal=holding.person.normal),
            object=mention(place.span, place.type, normal=place.normal),
            qualifiers={"position": holding.post.title},
            evidence=evidence(doc, holding.mention, place.span),
            confidence=holding.confidence,
        )
