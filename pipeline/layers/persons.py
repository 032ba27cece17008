"""People named in a document: their mentions grouped, each person named at their fullest.

«Ерлан Аккенженов … Аккенженов отметил» is one person, «Ерлан Аккенженов». Names are put in
the nominative by the one declension of names (`pipeline.nlp.names`), given the case of the
post a name stands by when there is one («с министром … Александру Попеску» is
instrumental, so «Александру» does not decline).
"""

from dataclasses import dataclass

from spacy.tokens import Doc, Span

from ..nlp import morphology
from ..nlp.names import (
    CASES,
    NAME_GRAMMEMES,
    OC_CASES,
    UD_CASES,
    fits_case,
    name_normal,
    name_reading,
    name_words,
    nominatives,
)
from ..nlp.names import _key as name_key
from .posts import doc_cache, entities, find_posts
from .store import entity_at
from .view import words_of_doc

__all__ = ["CASES", "UD_CASES", "Person", "fits_case", "mention_at", "name_mentions",
           "name_normal", "nominatives", "person_at", "persons"]

PERSONS_KEY = "rufakt_persons"
APPOSITION_MARKS = frozenset({",", "—", "–", "-", "("})
OBLIQUE_DEPS = frozenset({"obj", "obl", "iobj"})


@dataclass(frozen=True)
class Person:
    """A person of the document: the fullest name in the nominative and every mention."""

    normal: str
    mentions: tuple[Span, ...]

    @property
    def surname(self) -> str:
        return name_key(self.normal.split()[-1])


# ---------------------------------------------------------------- lexicons


def name_mentions(doc: Doc) -> list[Span]:
    """The PER entities of the document without stray punctuation at their edges."""
    mentions = []
    for entity in _joined(doc, [e for e in entities(doc) if e.label_ == "PER"]):
        start, end = entity.start, entity.end
        bracket = next((t.i for t in entity if t.text == "(" and t.i > start), None)
        if bracket is not None:  # «Джоэл Саймон (Joel Simon)»
            end = bracket
        while start < end and (not doc[start].text[:1].isalpha() or (
                end - start > 2 and _not_a_name(doc[start]))):
            start += 1  # «Беседовала Айгуль Турдалиева» (a byline's verb), not «Гела Квиташвили»
        while end > start and not doc[end - 1].text[:1].isalpha() and doc[end - 1].text != ".":
            end -= 1
        if start < end:
            mentions.append(doc[start:end])
    return mentions


def _joined(doc: Doc, names: list[Span]) -> list[Span]:
    """PER entities the NER cut apart with nothing but a space between («Давит» «Аракелян»)
    as one name."""
    joined: list[Span] = []
    for name in names:
        if joined and all(t.is_space for t in doc[joined[-1].end:name.start]) and \
                name.start - joined[-1].end <= 1:
            joined[-1] = doc[joined[-1].start:name.end]
        else:
            joined.append(name)
    return joined


def _not_a_name(token) -> bool:
    """A verb the NER took into a name: a known verb form, not a known name."""
    parses = morphology.parses(token.lower_)
    return any(p.tag.POS in {"VERB", "INFN", "PRTF", "PRTS"} and p.score > 0.5 for p in parses) \
        and not any(NAME_GRAMMEMES & p.tag.grammemes for p in parses)


Hint = tuple[str, frozenset[str]]  # the tagger's case of a post, every case its form can be


def _case_hints(doc: Doc) -> dict[int, list[Hint]]:
    """Token index of a name's first word → the cases of the posts it stands by, outermost
    first: «министром … Алишером Каримовым» (right after the post), «Иваном Петровым,
    председателем …» (keyed by minus the index of the mark after the name)."""
    hints: dict[int, list[Hint]] = {}
    for post in sorted(find_posts(doc), key=lambda p: p.span.start):
        case = UD_CASES.get(post.case or "")
        if case is None:
            continue
        parses = [p for p in morphology.parses(post.head[0].lower_) if p.tag.case]
        animate = [p for p in parses if p.tag.animacy == "anim"] or parses  # «посол», not salt
        forms = frozenset(OC_CASES.get(p.tag.case, p.tag.case) for p in animate) | {case}
        if post.head[0].dep_ in OBLIQUE_DEPS and len(forms) > 1:
            # an object or oblique phrase is not in the nominative, whatever the tagger says
            forms = forms - {"nomn"}
            if case == "nomn":
                case = next(c for c in CASES if c in forms)
        after = post.span.end
        while after < len(doc) and doc[after].is_space:
            after += 1
        hints.setdefault(after, []).append((case, forms))
        before = post.span.start - 1
        while before >= 0 and doc[before].is_space:
            before -= 1
        if before >= 0 and doc[before].text in APPOSITION_MARKS:
            hints.setdefault(-before, []).append((case, forms))
    return hints


def _hint(doc: Doc, mention: Span, hints: dict[int, list[Hint]]) -> str | None:
    """The case of the post a name stands by. Of the cases the post's form can be in
    («директора»: genitive or accusative), the one the name's words can take; of nested
    posts («помощник президента Молдавии Игоря Вранчана»), the outermost that fits; a name
    that may not decline takes the tagger's case of the post («министром … Александру
    Попеску»)."""
    after = mention.end
    while after < len(doc) and doc[after].is_space:
        after += 1
    for case, forms in hints.get(mention.start) or hints.get(-after) or []:
        fitting = [c for c in CASES if c in forms and fits_case(mention, c, strict=True)]
        if fitting:
            return case if case in fitting else fitting[0]
    for case, _ in hints.get(mention.start) or hints.get(-after) or []:
        if fits_case(mention, case):
            return case
    for case, _ in hints.get(mention.start) or hints.get(-after) or []:
        if len(mention) > 1 and fits_case(mention[-1:], case, strict=True):
            return case  # «Мамаду Сила Камарой»: given names of foreign names stay as written
    return None


def _coordinated(doc: Doc, one: Span, other: Span) -> bool:
    """Names joined by «,» or «и» and nothing else («A, B и C»)."""
    between = [t for t in doc[one.end:other.start] if not t.is_space]
    return 0 < len(between) <= 2 and all(t.text in {",", "и"} for t in between)


def persons(doc: Doc) -> list[Person]:
    """The people of the document (cached on the doc): mentions of one surname go together,
    a surname alone («Аккенженов отметил») to the nearest fuller mention before it."""
    if PERSONS_KEY in doc_cache(doc):
        return doc_cache(doc)[PERSONS_KEY]
    hints = _case_hints(doc)
    mentions = name_mentions(doc)
    read = {}
    previous: tuple[Span, str | None] | None = None
    for m in mentions:
        hint = _hint(doc, m, hints)
        if hint is None and previous is not None and _coordinated(doc, previous[0], m):
            hint = previous[1]  # «президентов … Мехмета Кочаслана, Эльчина Гасымзаде и …»
        read[m.start] = name_reading(m, hint)
        previous = (m, hint or read[m.start][1])
    normals = {start: normal for start, (normal, _) in read.items()}
    for mention in _untagged_surnames(doc, mentions, normals):
        read[mention.start] = name_reading(mention)
        normals[mention.start] = read[mention.start][0]
        mentions.append(mention)
    mentions.sort(key=lambda m: m.start)
    groups: list[list[Span]] = []
    singles = []
    written = {mention.start: name_words(mention) for mention in mentions}
    for mention in mentions:
        words = normals[mention.start].split()
        if len(words) == 1:
            singles.append(mention)
            continue
        group = next((g for g in groups if _same_full(g[0], mention, normals, written)), None)
        if group is None:
            groups.append([mention])
        else:
            group.append(mention)
    for mention in singles:
        group = _group_of_single(mention, groups, normals)
        if group is None:
            groups.append([mention])
        else:
            group.append(mention)
    found = []
    for group in groups:
        fullest = max(group, key=lambda m: (  # the fullest, as written if it can be
            len(normals[m.start].split()), read[m.start][1] == "nomn", -m.start
        ))
        found.append(Person(normals[fullest.start], tuple(sorted(group, key=lambda m: m.start))))
    found.sort(key=lambda p: p.mentions[0].start)
    doc_cache(doc)[PERSONS_KEY] = found
    return found


def _untagged_surnames(doc: Doc, mentions: list[Span], normals: dict[int, str]) -> list[Span]:
    """Surnames of people named in full before that the NER did not tag («Министр Нино
    Цирекидзе отменила визит. … Цирекидзе провела телефонный разговор …»)."""
    first_full: dict[str, int] = {}
    for mention in mentions:
        words = normals[mention.start].split()
        if len(words) > 1:
            first_full.setdefault(name_key(words[-1]), mention.end)
    if not first_full:
        return []
    covered = {i for m in mentions for i in range(m.start, m.end)}
    found = []
    for token in words_of_doc(doc).tokens:
        if token.i in covered or token.pos_ != "PROPN" or not token.is_alpha \
                or not token.text[:1].isupper() or len(token.text) < 3:
            continue
        entity = entity_at(doc, token.i)
        if entity is not None and (len(entity) > 1 or _place_word(token.text)):
            continue  # a word of an organisation's or place's name (a lone one may be misread)
        keys = nominatives(token.text) & first_full.keys()
        if any(first_full[key] <= token.i for key in keys):
            found.append(doc[token.i:token.i + 1])
    return found


def _place_word(word: str) -> bool:
    return any({"Geox", "Orgn"} & p.tag.grammemes for p in morphology.parses(word.lower()))


def _same_full(one: Span, other: Span, normals: dict[int, str],
               written: dict[int, list[tuple[str, bool]]]) -> bool:
    """Two full names of one person: same surname, first names (or initials) agreeing, as
    normalised or as written (`written`: each mention's `name_words`; «Николя Саркози» read
    once as «Николь»)."""
    first, second = normals[one.start].split(), normals[other.start].split()
    mine, theirs = written[one.start], written[other.start]
    if name_key(first[-1]) != name_key(second[-1]) and \
            name_key(mine[-1][0]) != name_key(theirs[-1][0]):
        return False
    for a, b in ((first[0], second[0]), (mine[0][0], theirs[0][0])):
        a, b = name_key(a).rstrip("."), name_key(b).rstrip(".")
        if a == b or (min(len(a), len(b)) == 1 and a[0] == b[0]):
            return True
    return False


def _group_of_single(mention: Span, groups: list[list[Span]], normals: dict) -> list | None:
    """The group a one-word mention belongs to: its surname, the nearest group before it."""
    word = name_words(mention)[0][0]
    options = nominatives(word) | {name_key(normals[mention.start])}
    matching = [g for g in groups if name_key(normals[g[0].start].split()[-1]) in options]
    if not matching:
        return None
    before = [g for g in matching if g[0].start < mention.start]
    if before:
        return max(before, key=lambda g: max(m.start for m in g if m.start < mention.start))
    return matching[0]


def _by_token(doc: Doc) -> dict[int, tuple[Person, Span]]:
    key = PERSONS_KEY + "_by_token"
    if key not in doc_cache(doc):
        doc_cache(doc)[key] = {
            i: (person, mention) for person in persons(doc) for mention in person.mentions
            for i in range(mention.start, mention.end)
        }
    return doc_cache(doc)[key]


def person_at(doc: Doc, index: int) -> Person | None:
    """The person one of whose mentions covers token `index`."""
    found = _by_token(doc).get(index)
    return found[0] if found else None


def mention_at(doc: Doc, index: int) -> Span | None:
    """The name mention covering token `index`."""
    found = _by_token(doc).get(index)
    return found[1] if found else None
