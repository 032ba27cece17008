"""People named in a document: their mentions grouped, each person named at their fullest.

«Ерлан Аккенженов … Аккенженов отметил» is one person, «Ерлан Аккенженов». A name is put in
the nominative by choosing the one case and gender all its words can share, from the
declension of Russian names (`lexicon/persons_paradigms.txt`), pymorphy3's dictionary of
names, the tagger's case and, when the name stands by a post, the post's case
(«с министром … Александру Попеску» is instrumental, so «Александру» does not decline).
"""

from dataclasses import dataclass
from functools import cache

from spacy.tokens import Doc, Span

from ..lexicon import lexicon_lines
from ..nlp.morphology import analyzer
from .posts import doc_cache, entities, find_posts

PERSONS_KEY = "rufakt_persons"
CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
UD_CASES = {"Nom": "nomn", "Gen": "gent", "Dat": "datv", "Acc": "accs", "Ins": "ablt",
            "Loc": "loct"}
OC_CASES = {"gen2": "gent", "loc2": "loct", "acc2": "accs", "gen1": "gent", "loc1": "loct"}
GENDERS = ("masc", "femn")
VOWELS = frozenset("аеёиоуыэюя")
INDECLINABLE_ENDS = VOWELS - {"а", "я", "ы"}
SIBILANTS = frozenset("жшчщц")
VELARS = frozenset("гкхжшчщ")
NAME_GRAMMEMES = frozenset({"Name", "Surn", "Patr"})
APPOSITION_MARKS = frozenset({",", "—", "–", "-", "("})
OBLIQUE_DEPS = frozenset({"obj", "obl", "iobj"})


@dataclass(frozen=True)
class Reading:
    """One way to read a name word: in `case`, of `gender` (None: either), with this
    nominative; `weight` is how much the reading is to be believed."""

    case: str | None
    gender: str | None
    nominative: str
    weight: float


@dataclass(frozen=True)
class Person:
    """A person of the document: the fullest name in the nominative and every mention."""

    normal: str
    mentions: tuple[Span, ...]

    @property
    def surname(self) -> str:
        return _key(self.normal.split()[-1])


# ---------------------------------------------------------------- lexicons


@cache
def paradigms() -> tuple[list[tuple[str, str, tuple[str, ...]]], tuple[str, ...]]:
    """(class, gender, endings by case) rows, and the endings of indeclinable names."""
    rows, indeclinable = [], ()
    for line in lexicon_lines("persons_paradigms.txt"):
        parts = line.split("\t")
        if parts[0] == "indeclinable":
            indeclinable = tuple(parts[1:])
            continue
        endings = tuple("" if ending == "0" else ending for ending in parts[2:])
        rows.append((parts[0], parts[1], endings))
    return rows, indeclinable


@cache
def particles() -> dict[str, str]:
    """Name-internal words kept as written: «оглы» → "patronymic", «фон» → "particle"."""
    return dict(line.split("\t") for line in lexicon_lines("persons_particles.txt"))


# ---------------------------------------------------------------- declension


def _fits(word_class: str, stem: str) -> bool:
    """Whether a stem can take the endings of `word_class`."""
    if len(stem) < 2:
        return False
    last = stem[-1]
    if word_class == "hard":
        return last.isalpha() and last not in VOWELS and last not in SIBILANTS and last not in "йь"
    if word_class == "sibilant":
        return last in SIBILANTS
    if word_class == "soft":
        return last not in VOWELS and last not in SIBILANTS and last not in "йь"
    if word_class == "j":  # «Сергей», «Николай»; «-ой» is a feminine ending («Бековой»)
        return last in VOWELS and last != "о"
    if word_class == "а":
        return last not in VOWELS and last not in VELARS
    if word_class == "ga":
        return last in VELARS
    return True


def _shape(word: str, original: str) -> str:
    return word[:1].upper() + word[1:] if original[:1].isupper() else word


ROLE_GRAMMEMES = {
    "first": frozenset({"Name"}),
    "middle": frozenset({"Patr", "Name"}),
    "last": frozenset({"Surn"}),
    "only": NAME_GRAMMEMES,
}


@cache
def readings(word: str, role: str = "only") -> tuple[Reading, ...]:
    """Every reading of a name word: by the paradigms, by pymorphy3's dictionary of names
    (first names for the first word, surnames for the last), and as an indeclinable word."""
    lower = word.lower()
    rows, indeclinable = paradigms()
    found: list[Reading] = []
    if not lower.endswith(indeclinable):
        for word_class, gender, endings in rows:
            for case, ending in zip(CASES, endings, strict=True):
                if not lower.endswith(ending):
                    continue
                stem = lower[: len(lower) - len(ending)] if ending else lower
                if word_class in {"hard", "sibilant", "soft", "j", "а", "ga"}:
                    if not _fits(word_class, stem):
                        continue
                elif len(stem) < 2:
                    continue
                elif word_class in {"ой", "ый"} and stem.endswith(("ов", "ев", "ёв", "ин", "ын")):
                    continue  # «Нургалиевой» is a case of «Нургалиева», not «Толстой»
                found.append(Reading(case, gender, _shape(stem + endings[0], word), 2.0))
    if analyzer().word_is_known(lower):
        for parse in analyzer().parse(lower):
            tag = parse.tag
            if not ROLE_GRAMMEMES[role] & tag.grammemes or tag.number == "plur" or not tag.case:
                continue
            case = OC_CASES.get(tag.case, tag.case)
            gender = tag.gender if tag.gender in GENDERS else None
            inflected = parse.inflect({"nomn", "sing"})
            nominative = inflected.word if inflected else parse.normal_form
            found.append(Reading(case, gender, _shape(nominative, word), 2.0))
    if lower.endswith(indeclinable) or not found:
        weight = 2.0
    else:
        weight = 0.5
    found.append(Reading(None, None, word, weight))
    if role == "first" and lower[-1:] not in VOWELS:  # «Айгуль», «Асель» do not decline
        found.append(Reading(None, "femn", word, 1.5))
    return tuple(found)


def _initial(word: str) -> bool:
    return len(word) <= 2 and word[:1].isupper()


def name_words(span: Span) -> list[tuple[str, bool]]:
    """The words of a name with whether they decline (particles, initials and the name
    before «оглы» stay as written)."""
    tokens = [t for t in span if not t.is_space and t.text != "."]
    words = []
    for index, token in enumerate(tokens):
        text = token.text
        following = tokens[index + 1].text.lower() if index + 1 < len(tokens) else ""
        fixed = (
            text.lower() in particles()
            or particles().get(following) == "patronymic"
            or _initial(text)
            or not text.replace("-", "").isalpha()
        )
        if _initial(text) and token.i + 1 < len(span.doc) and span.doc[token.i + 1].text == ".":
            text += "."
        words.append((text, not fixed))
    return words


def name_normal(span: Span, case_hint: str | None = None) -> str:
    """A person's name in the nominative: «Эльнуром Багировым» → «Эльнур Багиров»."""
    return name_reading(span, case_hint)[0]


def name_reading(span: Span, case_hint: str | None = None) -> tuple[str, str]:
    """A person's name in the nominative and the case it is read in."""
    words = name_words(span)
    declining = [index for index, (_, declines) in enumerate(words) if declines]
    options = {}
    for index in declining:
        role = "only" if len(words) == 1 else (
            "first" if index == 0 else "last" if index == len(words) - 1 else "middle"
        )
        options[index] = readings(words[index][0], role)
    tokens = [t for t in span if not t.is_space and t.text != "."]
    tagged = [
        UD_CASES.get(c) for index, t in enumerate(tokens) if index in options
        for c in t.morph.get("Case")
    ]
    best, best_score = ("nomn", "masc"), float("-inf")
    for case in CASES:
        for gender in GENDERS:
            score = 0.25 if case == "nomn" else 0.0
            score += 5.0 if case == case_hint else 0.0
            score += 0.5 * sum(1 for value in tagged if value == case)
            for index, found in options.items():
                weight = 1.5 if index == 0 and len(words) > 1 else 1.0
                score += weight * max(r.weight for r in found if _agrees(r, case, gender))
            if score > best_score:
                best, best_score = (case, gender), score
    case, gender = best
    forms = [word for word, _ in words]
    for index, found in options.items():
        fitting = [r for r in found if _agrees(r, case, gender)]
        forms[index] = max(fitting, key=lambda r: r.weight).nominative
    parts = []
    for token, form in zip(tokens, forms, strict=True):  # the text's own spacing («О’Рейли»)
        following = span.doc[token.i + 1] if token.i + 1 < len(span.doc) else None
        space = token.whitespace_ or (following is not None and following.text == "."
                                      and following.whitespace_)
        parts.append(form + (" " if space else ""))
    return "".join(parts).strip(), case


def _agrees(reading: Reading, case: str, gender: str) -> bool:
    return reading.case in (None, case) and reading.gender in (None, gender)


def nominatives(word: str) -> frozenset[str]:
    """Every nominative a single name word may stand for («Исмаилова» → Исмаилов, Исмаилова)."""
    return frozenset(_key(r.nominative) for r in readings(word))


def _key(word: str) -> str:
    return word.lower().replace("ё", "е")


# ---------------------------------------------------------------- mentions and persons


def name_mentions(doc: Doc) -> list[Span]:
    """The PER entities of the document without stray punctuation at their edges."""
    mentions = []
    for entity in _joined(doc, [e for e in entities(doc) if e.label_ == "PER"]):
        start, end = entity.start, entity.end
        bracket = next((t.i for t in entity if t.text == "(" and t.i > start), None)
        if bracket is not None:  # «Джоэл Саймон (Joel Simon)»
            end = bracket
        while start < end and (not doc[start].text[:1].isalpha() or _not_a_name(doc[start])):
            start += 1  # «Беседовала Айгуль Турдалиева» (a byline's verb)
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
    parses = analyzer().parse(token.lower_)
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
        parses = [p for p in analyzer().parse(post.head[0].lower_) if p.tag.case]
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
    return None


def _coordinated(doc: Doc, one: Span, other: Span) -> bool:
    """Names joined by «,» or «и» and nothing else («A, B и C»)."""
    between = [t for t in doc[one.end:other.start] if not t.is_space]
    return 0 < len(between) <= 2 and all(t.text in {",", "и"} for t in between)


def fits_case(span: Span, case: str, strict: bool = False) -> bool:
    """Whether every declining word of a name can be in `case` (OpenCorpora), by its
    readings; unless `strict`, a word that may not decline at all (ending in a vowel other
    than а/я, as «Ахмади», «Александру» of Romanian, or in -ия, as «Шенгелия») fits any."""
    for word, declines in name_words(span):
        lower = word.lower()
        if not declines:
            continue
        if not strict and (lower[-1:] in INDECLINABLE_ENDS or lower.endswith("ия")):
            continue
        options = [r for r in readings(word) if r.case is not None]
        if options and not any(r.case == case for r in options):
            return False
    return True


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
    groups: list[list[Span]] = []
    singles = []
    for mention in mentions:
        words = normals[mention.start].split()
        if len(words) == 1:
            singles.append(mention)
            continue
        group = next((g for g in groups if _same_full(g[0], mention, normals)), None)
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


def _same_full(one: Span, other: Span, normals: dict[int, str]) -> bool:
    """Two full names of one person: same surname, first names (or initials) agreeing, as
    normalised or as written («Николя Саркози» read once as «Николь»)."""
    first, second = normals[one.start].split(), normals[other.start].split()
    if _key(first[-1]) != _key(second[-1]):
        written = [_key(name_words(m)[-1][0]) for m in (one, other)]
        if written[0] != written[1]:
            return False
    for a, b in ((first[0], second[0]), (name_words(one)[0][0], name_words(other)[0][0])):
        a, b = _key(a).rstrip("."), _key(b).rstrip(".")
        if a == b or (min(len(a), len(b)) == 1 and a[0] == b[0]):
            return True
    return False


def _group_of_single(mention: Span, groups: list[list[Span]], normals: dict) -> list | None:
    """The group a one-word mention belongs to: its surname, the nearest group before it."""
    word = name_words(mention)[0][0]
    options = nominatives(word) | {_key(normals[mention.start])}
    matching = [g for g in groups if _key(normals[g[0].start].split()[-1]) in options]
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
