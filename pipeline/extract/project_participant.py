"""project_participant: a named project and each organisation or country taking part in it.

«… проект Каспийского зеленого энергетического коридора. … создали совместное предприятие с
участием системных операторов Казахстана, Азербайджана и Узбекистана» → three facts
(Каспийский зеленый энергетический коридор; Казахстан, Азербайджан, Узбекистан), each with
the role «системный оператор».

1. `find_projects`: a name after «проект» or «по строительству» (a name in quotes, a Latin
   name like CASA-1000, or the phrase from its first capital: «Камбаратинской ГЭС-1»), and a
   facility's name in quotes («ветроэлектростанция «Жетысу»») that a later sentence may call
   «этот проект»; an object named by dashed names («интерконнектор Греция – Болгария», not
   when its sentence gives a number: then it is a route) or a plant by a capitalised adjective
   («Рогунская ГЭС»), which a later «Строительство …»/«Возведение …» may refer to.
2. A participation cue («с участием», «участниками … стали», «реализуют», «вошли») is followed
   (or, failing that, preceded) by a list of countries and organisations, with roles
   («системных операторов», «инвестором … , а системным оператором — …»).
3. The project is the one named in the sentence, else the last one named before it when the
   sentence refers to a project («проект», «совместное предприятие», «консорциум»).
Cue words are in `lexicon/projects.txt`.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span

from ..facts import Fact, Mention
from ..layers.view import Words
from ..lexicon import Phrases
from .component import register
from .evidence import evidence

LATIN = re.compile(r"^[A-Z]")  # a Latin name: «CASA-1000», «Tianshan Wind Power»
LATIN_WORD = re.compile(r"^[A-Za-z]")  # a participant may be lower case («bp»)
UPPER_NAME = re.compile(r"^[A-ZА-ЯЁ][A-ZА-ЯЁ0-9-]{1,9}$")
OPENING_QUOTES = {"«", "„", "“", '"'}
CLOSING_QUOTES = {"»", "“", "”", '"'}
NAME_DASHES = {"-", "–", "—"}
MAX_NAME = 12  # words of a project's name
MAX_QUOTED = 8
MAX_REMARK = 8  # words in parentheses after a participant
ROLE_WORDS = 3  # words of a role before the cue
ORDINAL_REACH = 4  # words between «первая» and its role («выступает инвестором»)
SAME_SENTENCE, ANAPHORA = 0.85, 0.7


def _phrases(section: str) -> Phrases:
    return Phrases.of("projects", section)


@dataclass(frozen=True)
class Project:
    """A project's name as written (words `first`..`last`) and in the nominative; `cue_first`
    is where the phrase that names it starts («проекта геологоразведки «Устюрт-Восток»»)."""

    first: int
    last: int
    normal: str
    cue_first: int


@dataclass(frozen=True)
class Participant:
    """A country or organisation taking part (words `first`..`last`, quotes included)."""

    first: int
    last: int
    normal: str
    type: str  # LOC or ORG
    role: str | None


def find_projects(doc: Doc, words: Words | None = None) -> list[Project]:
    """The named projects of a doc, in text order."""
    words = words or Words(doc)
    triggers, facilities = _phrases("name triggers"), _phrases("facilities")
    dashed, plants = _phrases("dashed facilities"), _phrases("plants")
    sentence_of = {at: (start, end) for start, end in words.sentences()
                   for at in range(start, end)}
    projects = []
    for at in range(len(words.tokens)):
        hit = triggers.match(words.forms, at)
        if hit:
            name = _name_after(words, at + hit[0])
            if name:
                projects.append(Project(*name, at))
                continue
        if projects and at <= projects[-1].last:
            continue  # inside a name found before («нитки газопровода Бейнеу – Шымкент»)
        hit = dashed.match(words.forms, at)
        if hit:
            last = _dashed_names(words, at + hit[0])
            if last is not None and not _carries_volume(words, *sentence_of[at], at, last):
                normal = f"{hit[1]} {_text(words, at + hit[0], last)}"
                projects.append(Project(at, last, normal, at))
                continue
        hit = plants.match(words.forms, at)
        if hit and at > sentence_of[at][0] and words.tokens[at - 1].pos_ == "ADJ" \
                and words.texts[at - 1][:1].isupper() and at - 1 > sentence_of[at][0]:
            last = at + hit[0] - 1
            projects.append(Project(at - 1, last, words.span(at - 1, last + 1)._.normal, at - 1))
            continue
        hit = facilities.match(words.forms, at)
        if hit:
            after = at + hit[0]
            quoted = _quoted(words, after)
            if quoted:
                first, last = quoted
                projects.append(Project(first, last, _text(words, first, last), at))
    return projects


def _dashed_names(words: Words, at: int) -> int | None:
    """The last word of capitalised names joined by dashes that start at `at` («Китай –
    Кыргызстан – Узбекистан»), else None (a single name is no pair)."""
    index, last, names = at, None, 0
    while index < len(words.texts) and words.texts[index][:1].isupper() \
            and words.tokens[index].pos_ in {"PROPN", "NOUN", "X"}:
        last, names = index, names + 1
        if index + 2 < len(words.texts) and words.texts[index + 1] in NAME_DASHES:
            index += 2
            continue
        break
    return last if names > 1 else None


def _carries_volume(words: Words, start: int, end: int, first: int, last: int) -> bool:
    """Whether the sentence of a dashed name gives a number outside the name: such a name is
    a route («по газопроводу A – B прокачано 10 млрд кубометров»)."""
    return any(words.tokens[i].like_num or words.tokens[i].pos_ == "NUM"
               for i in range(start, end) if not first <= i <= last)


def _text(words: Words, first: int, last: int) -> str:
    start, end = words.char_range(first, last + 1)
    return words.text[start:end]


def _quoted(words: Words, at: int) -> tuple[int, int] | None:
    """Word range (first, last) of a capitalised name in quotes that opens at word `at`."""
    if at >= len(words.texts) or words.texts[at] not in OPENING_QUOTES:
        return None
    for end in range(at + 2, min(at + 2 + MAX_QUOTED, len(words.texts))):
        if words.texts[end] in CLOSING_QUOTES:
            return (at + 1, end - 1) if words.texts[at + 1][:1].isupper() else None
    return None


def _name_after(words: Words, at: int) -> tuple[int, int, str] | None:
    """(first, last, normal) of the project name in the noun phrase that starts at `at`."""
    phrase = _noun_phrase(words, at)
    if not phrase:
        return None
    for index in phrase:
        quoted = _quoted(words, index)
        if quoted:
            return quoted[0], quoted[1], _text(words, *quoted)
    latin = [index for index in phrase if LATIN.match(words.texts[index])]
    if latin:
        last = latin[0]
        while last + 1 in latin:
            last += 1
        return latin[0], last, _text(words, latin[0], last)
    actions = _phrases("actions")
    start = phrase[0]
    while start <= phrase[-1] and words.forms[start] in actions:
        start += 1
    last = phrase[-1]
    if not any(words.texts[i][:1].isupper() for i in range(start, last + 1)):
        return None  # no name, only a description («проект строительства нового моста»)
    return start, last, words.span(start, last + 1)._.normal


def _noun_phrase(words: Words, at: int) -> list[int]:
    """Word indices of the noun phrase (adjectives, nouns, names, a name in quotes, dashes
    between capitalised names) that starts at `at`."""
    indices: list[int] = []
    index = at
    while index < len(words.tokens) and len(indices) < MAX_NAME:
        token, text = words.tokens[index], words.texts[index]
        if text in OPENING_QUOTES:
            quoted = _quoted(words, index)
            if not quoted:
                break
            indices.extend(range(index, quoted[1] + 2))
            index = quoted[1] + 2
            continue
        if text in NAME_DASHES and indices and index + 1 < len(words.texts) \
                and words.texts[index - 1][:1].isupper() and words.texts[index + 1][:1].isupper():
            indices.append(index)
        elif token.pos_ in {"ADJ", "NOUN", "PROPN", "NUM", "X"} and text.lower() != "который":
            indices.append(index)
        else:
            break
        index += 1
    return indices


# --- participants --------------------------------------------------------------------------


def _participants_after(doc: Doc, words: Words, at: int, end: int, skip: set[int],
                        role: str | None) -> list[Participant]:
    """The list of participants that starts at word `at` (fillers, adjectives and roles
    before each name are passed over; «, а системным оператором — X» starts a new role)."""
    fillers, roles, joiners = _phrases("fillers"), _phrases("roles"), _phrases("joiners")
    found: list[Participant] = []
    index = at
    while index < end:
        text = words.texts[index]
        if index in skip:
            index += 1
            continue
        hit = roles.match(words.forms, index)
        if hit:
            role = hit[1]
            index += hit[0]
            continue
        if fillers.match(words.forms, index):
            index += fillers.match(words.forms, index)[0]
            continue
        token = words.tokens[index]
        if token.pos_ == "ADJ" and text.islower():
            index += 1
            continue
        if text in NAME_DASHES:
            index += 1
            continue
        participant = _participant_at(doc, words, index, role)
        if participant is None:
            break
        found.append(participant)
        index = _after_parentheses(words, participant.last + 1, end)
        joiner = joiners.match(words.forms, index) if index < end else None
        if joiner:
            index += joiner[0]
            continue
        break
    return found


def _after_parentheses(words: Words, at: int, end: int) -> int:
    """The word after a short remark in parentheses at `at` («Eni (16,8%)»), else `at`."""
    if at < end and words.texts[at] == "(":
        for close in range(at + 1, min(at + MAX_REMARK, end)):
            if words.texts[close] == ")":
                return close + 1
    return at


def _ordinal_roles(words: Words, participants: list[Participant], end: int
                   ) -> list[Participant]:
    """Roles given after the list by order: «A и B: первая выступает инвестором, вторая станет
    оператором»."""
    ordinals, roles = _phrases("ordinals"), _phrases("roles")
    assigned = list(participants)
    index = participants[-1].last + 1
    while index < end:
        hit = ordinals.match(words.forms, index)
        if hit is None:
            index += 1
            continue
        position = int(hit[1])
        slot = position - 1 if position > 0 else position
        if -len(assigned) <= slot < len(assigned):
            for at in range(index + 1, min(index + 1 + ORDINAL_REACH, end)):
                role = roles.match(words.forms, at)
                if role:
                    assigned[slot] = replace(assigned[slot], role=role[1])
                    break
        index += 1
    return assigned


def _participants_before(doc: Doc, words: Words, start: int, cue: int, skip: set[int]
                         ) -> list[Participant]:
    """The subject list before a cue («Казахстан и Узбекистан реализуют …»)."""
    index = cue - 1
    first = None
    while index >= start and index not in skip:
        text = words.texts[index]
        if text in {",", "и"} or words.tokens[index].pos_ in {"PROPN", "X"} \
                or text in CLOSING_QUOTES or text in OPENING_QUOTES:
            first = index
            index -= 1
            continue
        break
    if first is None:
        return []
    return [p for p in _participants_after(doc, words, first, cue, set(), None)
            if p.last < cue]


def _participant_at(doc: Doc, words: Words, index: int, role: str | None
                    ) -> Participant | None:
    """A country or organisation named at word `index`: a name in quotes, an entity of the
    NER, a Latin name («Tianshan Wind Power»), an abbreviation («КТЖ»)."""
    text = words.texts[index]
    quoted = _quoted(words, index)
    if quoted:
        first, last = quoted
        return Participant(first - 1, last + 1, _text(words, first, last), "ORG", role)
    entity = _entity_at(words, index)
    if entity is not None:
        if entity.label_ == "PER":
            return None
        last = index + len([t for t in entity if not t.is_space]) - 1
        kind = "LOC" if entity.label_ == "LOC" else "ORG"
        normal = entity.text if _is_latin(entity.text) else entity._.normal
        country = _entity_at(words, last + 1) if last + 1 < len(words.texts) else None
        if kind == "ORG" and country is not None and country.label_ == "LOC" \
                and len(country) == 1 and "Gen" in country[0].morph.get("Case"):
            last += 1  # «Национальные электрические сети Узбекистана»
            normal = f"{normal} {country.text}"
        return Participant(index, last, normal, kind, role)
    if LATIN_WORD.match(text):
        last = index
        while last + 1 < len(words.texts) and LATIN.match(words.texts[last + 1]):
            last += 1
        return Participant(index, last, _text(words, index, last), "ORG", role)
    if UPPER_NAME.match(text):
        return Participant(index, index, text, "ORG", role)
    return None


def _entity_at(words: Words, index: int) -> Span | None:
    token = words.tokens[index]
    if not token.ent_type_ or token.ent_iob_ != "B":
        return None
    for entity in token.doc.ents:
        if entity.start == token.i:
            return entity
    return None


def _is_latin(text: str) -> bool:
    return bool(re.match(r"^[A-Za-z0-9 &.-]+$", text))


# --- facts ---------------------------------------------------------------------------------


def _cue_role(words: Words, start: int, cue: int, skip: set[int]) -> str | None:
    """A role just before the cue, the project's name aside («инвестором выступает …»,
    «оператором проекта «Шах-Дениз» выступает …»)."""
    roles = _phrases("roles")
    kept = [at for at in range(start, cue) if at not in skip]
    if len(kept) > 1 and _names_project(words, kept[-1]):
        kept = kept[:-1]  # «оператором интерконнектора выступает …»
    kept = kept[-ROLE_WORDS:]
    for at in kept:
        hit = roles.match(words.forms, at)
        if hit and at + hit[0] - 1 == kept[-1]:
            return hit[1]
    return None


def _names_project(words: Words, at: int) -> bool:
    """Whether word `at` is a one-word reference to a project or its object («проекта»,
    «интерконнектора», «ГЭС»)."""
    for section in ("project references", "facilities", "dashed facilities"):
        hit = _phrases(section).match(words.forms, at)
        if hit and hit[0] == 1:
            return True
    return False


def _project_for(projects: list[Project], words: Words, start: int, end: int, cue: int
                 ) -> tuple[Project, bool] | None:
    """The project named in the sentence (nearest to the cue), else the last one named before
    it when the sentence refers to a project."""
    inside = [p for p in projects if start <= p.cue_first and p.last < end]
    if inside:
        return min(inside, key=lambda p: abs(p.first - cue)), True
    references = _phrases("project references")
    if not any(references.match(words.forms, at) for at in range(start, end)):
        return None
    earlier = [p for p in projects if p.last < start]
    return (earlier[-1], False) if earlier else None


@register("project_participant", rules=False)
def extract(doc: Doc, rules: None = None) -> Iterator[Fact]:
    """project_participant facts of a parsed doc."""
    words = Words(doc)
    projects = find_projects(doc, words)
    if not projects:
        return
    cues = _phrases("participation cues")
    for start, end in words.sentences():
        at = start
        while at < end:
            hit = cues.match(words.forms, at)
            if not hit:
                at += 1
                continue
            cue, after = at, at + hit[0]
            at = after
            chosen = _project_for(projects, words, start, end, cue)
            if chosen is None:
                continue
            project, same_sentence = chosen
            skip = {i for p in projects if start <= p.cue_first < end
                    for i in range(p.cue_first, p.last + 2)}
            participants = _participants_after(doc, words, after, end, skip,
                                               _cue_role(words, start, cue, skip))
            if not participants:
                participants = _participants_before(doc, words, start, cue, skip)
            if len(participants) > 1 and not any(p.role for p in participants):
                participants = _ordinal_roles(words, participants, end)
            for participant in participants:
                if participant.first <= project.last + 1 and project.first - 1 <= participant.last:
                    continue  # the project's own name
                yield _fact(doc, words, project, participant,
                            SAME_SENTENCE if same_sentence else ANAPHORA)


def _fact(doc: Doc, words: Words, project: Project, participant: Participant,
          confidence: float) -> Fact:
    name = words.span(project.first, project.last + 1)
    who = words.span(participant.first, participant.last + 1)
    if words.texts[participant.first] in OPENING_QUOTES:
        who = words.span(participant.first + 1, participant.last)
    subject = Mention(text=name.text, normal=project.normal, type="PROJECT",
                      start=name.start_char, end=name.end_char)
    obj = Mention(text=who.text, normal=participant.normal, type=participant.type,
                  start=who.start_char, end=who.end_char)
    qualifiers = {"role": participant.role} if participant.role else {}
    return Fact(predicate="project_participant", subject=subject, object=obj,
                qualifiers=qualifiers, evidence=evidence(doc, name, who), confidence=confidence)
