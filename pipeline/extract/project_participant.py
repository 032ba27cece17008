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
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span

from ..facts import Fact, Mention
from ..layers.entities import layer
from ..layers.modality import FORECAST, FUTURE_RULE, NEGATED, PLANNED, modality_of
from ..layers.posts import affiliation_at, body_of, countries, country_names, phrase_normal
from ..layers.store import doc_cache
from ..layers.view import Words, words_of_doc
from ..lexicon import Phrases, word_forms
from ..rules.engine import Rule, RuleSet
from .component import register
from .evidence import evidence, provenance

LATIN = re.compile(r"^[A-Z]")  # a Latin name: «CASA-1000», «Tianshan Wind Power»
LATIN_WORD = re.compile(r"^[A-Za-z]")  # a participant may be lower case («bp»)
UPPER_NAME = re.compile(r"^[A-ZА-ЯЁ][A-ZА-ЯЁ0-9-]{1,9}$")
BRACKETED = re.compile(r"^(.*\S)\s*\(([^()]{1,15})\)$")  # a name and its abbreviation
OPENING_QUOTES = {"«", "„", "“", '"'}
CLOSING_QUOTES = {"»", "“", "”", '"'}
NAME_DASHES = {"-", "–", "—"}
MAX_NAME = 12  # words of a project's name
SCALE_WORDS = frozenset({"тысяча", "тыс", "миллион", "млн", "миллиард", "млрд"})
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
    aliases: tuple[str, ...] = ()


NOT_PROJECT_WORDS = frozenset({"мощность", "стоимость", "объем", "цена", "сумма"})
LATIN_LEGAL = re.compile(r"\s+(?:LLC|Ltd\.?|Limited|Inc\.?|JSC|PLC|AG|SA|GmbH|Co\.?|LLP|B\.V\.)$")


def _project_name(project: Project) -> bool:
    """Whether a name can be a project's: not an amount («300 млн долларов»), a property
    («мощность 1 ГВт») or a company («TAPI Pipeline Company Limited»)."""
    first = project.normal.split()[0].lower() if project.normal.split() else ""
    return not (project.normal[:1].isdigit() or first in NOT_PROJECT_WORDS
                or LATIN_LEGAL.search(project.normal) or " Company" in project.normal)


def find_projects(doc: Doc, words: Words | None = None) -> list[Project]:
    """The named projects of a doc, in text order."""
    return [p for p in _find_projects(doc, words or words_of_doc(doc)) if _project_name(p)]


def _find_projects(doc: Doc, words: Words) -> list[Project]:
    triggers, facilities = _phrases("name triggers"), _phrases("facilities")
    dashed, plants = _phrases("dashed facilities"), _phrases("plants")
    bounds = list(words.sentences())
    starts = [start for start, _ in bounds]

    def sentence_of(at: int) -> tuple[int, int]:
        return bounds[bisect_right(starts, at) - 1]

    phrase_starts = frozenset().union(*(phrases.first_forms for phrases in (
        triggers, facilities, dashed, plants)))
    projects = []
    for at in range(len(words.tokens)):
        text = words.texts[at]
        if "-" not in text and text not in OPENING_QUOTES \
                and phrase_starts.isdisjoint(words.forms[at]):
            continue  # nothing below can start at a plain word that begins no phrase
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
            if last is not None and not _carries_volume(words, *sentence_of(at), at, last):
                normal = f"{hit[1]} {_text(words, at + hit[0], last)}"
                projects.append(Project(at, last, normal, at))
                continue
        hit = plants.match(words.forms, at) or _numbered_plant(words, at, plants)
        if hit and at > sentence_of(at)[0] and words.tokens[at - 1].pos_ == "ADJ" \
                and words.texts[at - 1][:1].isupper() and at - 1 > sentence_of(at)[0]:
            last = at + hit[0] - 1
            projects.append(Project(at - 1, last, words.span(at - 1, last + 1)._.normal, at - 1))
            continue
        quoted = _quoted(words, at) if words.texts[at] in OPENING_QUOTES else None
        if quoted and any(_phrases("project name words").match(words.forms, i)
                          for i in range(quoted[0], quoted[1] + 1)):
            projects.append(Project(quoted[0], quoted[1], _text(words, *quoted), at))
            continue  # «Ямал СПГ», «Арктик СПГ 2»
        hit = facilities.match(words.forms, at)
        if hit:
            named = _named_after_facility(words, at + hit[0])
            if named:
                first, last = named
                projects.append(Project(first, last, _text(words, first, last), at))
    return projects


def _numbered_plant(words: Words, at: int, plants: Phrases) -> tuple[int, str] | None:
    """«ГЭС-1», «ТЭЦ-5»: a plant and its number as one word."""
    name, dash, number = words.texts[at].partition("-")
    if dash and number.isdigit() and plants.match([word_forms(name)], 0):
        return 1, name
    return None


FACILITY_GAP = 3  # words between a facility and its name («линии 220 кВ «Кемин – Балыкчы»»)
NAMING_WORDS = frozenset({"название", "названием", "наименование", "наименованием", "имя",
                          "именем", "получивший", "получившее", "получившем", "получившего",
                          "под", "с"})


def _named_after_facility(words: Words, at: int) -> tuple[int, int] | None:
    """(first, last) word of the name a facility or venture is given: in quotes or in Latin
    script, right after it or after a few words («СП, получившем название «Сарысу Нуклеар»»,
    «линии электропередачи 220 кВ «Кемин – Балыкчы»», «линии CASA-1000»)."""
    for index in range(at, min(at + FACILITY_GAP + 1, len(words.texts))):
        quoted = _quoted(words, index)
        if quoted:
            return quoted
        text = words.texts[index]
        if LATIN.match(text) and index == at:
            last = index
            while last + 1 < len(words.texts) and LATIN.match(words.texts[last + 1]):
                last += 1
            return index, last
        token = words.tokens[index]
        if not (token.like_num or text.lower() in NAMING_WORDS or text == ","
                or (text.isalpha() and len(text) <= 3 and not text.isupper())):
            return None  # «линии 220 кВ «Кемин – Балыкчы»»: a short unit word may come between
    return None


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
    measure = next((i for i in range(start, last + 1) if _phrases("measures").match(
        words.forms, i)), None)
    end = measure - 1 if measure is not None else last  # «… мощностью 100 МВт»: no name
    if end < start:
        return None
    place = _place_phrase(words, (_measure_end(words, measure) if measure is not None
                                  else last + 1))
    if place and not any(_phrases("facilities").match(words.forms, i)
                         or _phrases("plants").match(words.forms, i)
                         for i in range(start, end + 1)):
        place = None  # «нефтепереработка в Казахстане»: an activity, not a facility
    named_end = place[1] if place else end
    if not any(words.texts[i][:1].isupper() for i in range(start, end + 1)) and not place:
        return None  # no name, only a description («проект строительства нового моста»)
    normal = words.span(start, end + 1)._.normal
    if place:  # «ветровая электростанция в Кордайском районе»
        normal = f"{normal} {_text(words, *place)}"
    return start, named_end, normal


def _measure_end(words: Words, at: int) -> int:
    """The word after a size phrase at `at` («мощностью 100 МВт», «протяженностью 450 км»):
    the measure word, its numbers and one unit word."""
    index = at + 1
    while index < len(words.texts) and (words.tokens[index].like_num
                                        or words.forms[index] & SCALE_WORDS):
        index += 1
    if index > at + 1 and index < len(words.texts) and words.tokens[index].is_alpha \
            and len(words.texts[index]) <= 5:
        index += 1  # the unit: «МВт», «км», «долларов» is longer and stays out of names anyway
    return index


def _place_phrase(words: Words, at: int) -> tuple[int, int] | None:
    """(first, last) of «в Кордайском районе», «в Жанатасе» at `at`: where a facility without a
    name of its own is, which names it."""
    if at >= len(words.texts) or words.texts[at].lower() not in {"в", "во"}:
        return None
    index = at + 1
    while index < len(words.texts) and words.tokens[index].pos_ == "ADJ" \
            and words.texts[index][:1].isupper():
        index += 1
    if index < len(words.texts) and words.texts[index][:1].isupper() and \
            words.tokens[index].ent_type_ == "LOC" and words.tokens[index].pos_ == "PROPN":
        return at, index
    if index > at + 1 and index < len(words.texts) and words.tokens[index].pos_ == "NOUN":
        return at, index  # «в Кордайском районе»
    return None


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
        index = _after_descriptor(words, index, end)
        joiner = joiners.match(words.forms, index) if index < end else None
        if joiner:
            index += joiner[0]
            continue
        break
    return found


def _after_descriptor(words: Words, at: int, end: int) -> int:
    """The word after «, инжиниринговый дивизион госкорпорации «Росатом»» at `at` (an
    apposition that describes the participant before it, up to the next comma), else `at`."""
    if at >= end or words.texts[at] != ",":
        return at
    descriptors, position = _phrases("descriptors"), at + 1
    while position < end and not descriptors.match(words.forms, position) \
            and words.tokens[position].pos_ == "ADJ" and words.texts[position].islower():
        position += 1
    if position >= end or not descriptors.match(words.forms, position):
        return at
    while position < end and words.texts[position] != ",":
        position += 1
    return position


def _shareholders(words: Words, clauses: "list[Clause]") -> set[int]:
    """First words of the participants given a share in parentheses: «Eni (16,8%)»; with
    «по» the share is each of the names listed before it: «TotalEnergies и CNPC (по 20%)»."""
    found: set[int] = set()
    for clause in clauses:
        for number, participant in enumerate(clause.participants):
            share = _share_after(words, participant.last + 1)
            if share == "each":
                found.update(p.first for p in clause.participants[:number + 1])
            elif share:
                found.add(participant.first)
    return found


def _share_after(words: Words, at: int) -> str | None:
    """A share in parentheses right after a participant: "one" for «(16,9%)», "each" for
    «(по 20%)»; None without one."""
    if at >= len(words.texts) or words.texts[at] != "(":
        return None
    for index in range(at + 1, min(at + MAX_REMARK, len(words.texts))):
        if words.texts[index] == ")":
            return None
        if words.texts[index] == "%" or words.texts[index].endswith("%"):
            return "each" if words.texts[at + 1].lower() == "по" else "one"
    return None


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
    """A country or organisation named at word `index`: the entity layer's reading of an
    organisation or place (quotes, legal forms and a bracketed abbreviation handled), a
    Latin name («Tianshan Wind Power»), an abbreviation («КТЖ»). Cities and regions are no
    participants; a country is named by its short name."""
    token = words.tokens[index]
    if token.ent_type_ == "PER" or _place_or_post_of(doc, words, index):
        return None
    if _phrases("facilities").match(words.forms, index) or _phrases("plants").match(
            words.forms, index):
        return None  # «оператором ГЭС»: the plant, not who runs it
    limit = token.sent.end
    found = affiliation_at(doc, token.i, limit) if token.i < limit else None
    if found is not None and words.word_before(found[1]) >= index:
        affiliation, end = found
        last = words.word_before(end)
        normal, aliases = layer(doc).named(affiliation)
        if affiliation.type == "LOC" and (body_of(token) or ("",))[0] == "state" \
                and not _phrases("governments").match(words.forms, index):
            # «Заказчик – Министерство энергетики Кыргызстана»: the ministry takes part
            return Participant(index, last, phrase_normal(doc[token.i:end]), "ORG", role)
        if affiliation.type == "LOC":
            normal = country_names().get(normal, normal)
            if normal not in countries() or (index > 0 and words.forms[index - 1] & CURRENCY):
                return None
            if index > 0 and words.texts[index - 1].lower() in PLACE_PREPOSITIONS:
                return None  # «в Казахстане»: where the project is, not who takes part
        else:
            if normal.islower() or normal.lower().split()[0] in GENERIC_ORG_WORDS:
                return None
            normal = LATIN_LEGAL.sub("", normal)
            following = last + 1
            if following < len(words.tokens) and words.tokens[following].ent_type_ == "LOC" \
                    and "Gen" in words.tokens[following].morph.get("Case") \
                    and words.texts[following][:1].isupper():
                last = following  # «Национальные электрические сети Узбекистана»
                normal = f"{normal} {words.texts[following]}"
        bracketed = BRACKETED.match(normal)
        if bracketed:  # «Управление атомных электростанций Египта (NPPA)»
            normal, aliases = bracketed.group(1), [*aliases, bracketed.group(2)]
        return Participant(index, last, normal, affiliation.type, role, tuple(aliases))
    text = words.texts[index]
    if LATIN_WORD.match(text):
        last = index
        while last + 1 < len(words.texts) and LATIN.match(words.texts[last + 1]):
            last += 1
        return Participant(index, last, _text(words, index, last), "ORG", role)
    if UPPER_NAME.match(text) and len(text) > 1:
        full = layer(doc).aliases.get(text)
        return Participant(index, index, full or text, "ORG", role, (text,) if full else ())
    return None


POST_TAILS_KEY = "rufakt_held_post_tails"
CURRENCY = frozenset({"доллар", "евро", "рубль", "юань", "тенге", "сум", "манат"})
PLACE_PREPOSITIONS = frozenset({"в", "во", "на", "у", "около", "возле", "близ"})


def _place_or_post_of(doc: Doc, words: Words, index: int) -> bool:
    """A name that says where something is or whom a person works for, not who takes part:
    «на Лондонской фондовой бирже», «в «Газпроме» сообщили», «у побережья Азербайджана»,
    «лидер партии «Янги авлод»», «председатель правления АО «X» Хуршид Назаров»."""
    before = index - 1
    while before >= 0 and words.texts[before] in OPENING_QUOTES:
        before -= 1
    while before >= 0 and words.tokens[before].pos_ == "ADJ" and words.texts[before][:1].isupper():
        before -= 1  # «на Лондонской фондовой бирже»
    if before >= 0 and (words.texts[before].lower() in {"в", "во", "на"}
                        or _phrases("place nouns").match(words.forms, before)):
        return True
    return words.tokens[index].i in _held_post_tails(doc)


def _held_post_tails(doc: Doc) -> frozenset[int]:
    """Token indexes inside a post someone holds, after its head word (worked out once per
    document: asked for every candidate participant)."""
    cache = doc_cache(doc)
    if POST_TAILS_KEY not in cache:
        cache[POST_TAILS_KEY] = frozenset(
            i for h in layer(doc).holdings
            for i in range(max(h.post.span.start, h.post.head[0].i + 1), h.post.span.end))
    return cache[POST_TAILS_KEY]


GENERIC_ORG_WORDS = frozenset({"совместное", "компания", "предприятие", "проект", "консорциум",
                               "сп", "проектная", "стороны", "партнеры"})


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


def _project_for(projects: list[Project], words: Words, start: int, end: int, cue: int,
                 topic: bool = False) -> tuple[Project, bool] | None:
    """The project named in the sentence (nearest to the cue), else the last one named before
    it when the sentence refers to a project or the cue speaks of the document's project
    (`topic`)."""
    inside = [p for p in projects if start <= p.cue_first and p.last < end]
    if inside:
        return min(inside, key=lambda p: abs(p.first - cue)), True
    references = _phrases("project references")
    if not topic and not any(references.match(words.forms, at) for at in range(start, end)):
        return None
    earlier = [p for p in projects if p.last < start]
    return (earlier[-1], False) if earlier else None


CLAUSE_MARKS = frozenset({",", ";", ":", "а", "."})
LIST_OPENERS = frozenset({"это", "ими", "в", "среди"})  # «Это A, B и C», «В их числе …»


@dataclass
class Clause:
    """Words [start, end) of a sentence between commas, «а» and semicolons; its role words,
    cues and participants."""

    start: int
    end: int
    roles: list[tuple[int, str]]
    cues: list[Rule]
    participants: list[Participant]
    first_forms: frozenset = frozenset()


def _cues(words: Words, rules: RuleSet, doc: Doc) -> dict[int, Rule]:
    """Word index → the rule of the cue there."""
    index = {token.i: n for n, token in enumerate(words.tokens)}
    found: dict[int, Rule] = {}
    for match in rules(doc):
        at = index.get(match.span[0].i)
        if at is not None:
            found.setdefault(at, match.rule)
    return found


def _clauses(doc: Doc, words: Words, start: int, end: int, cues: dict[int, Rule],
             skip: set[int]) -> list[Clause]:
    """The clauses of a sentence with what each holds."""
    roles = _phrases("roles")
    clauses, at, depth = [], start, 0
    current = Clause(start, start, [], [], [])
    while at < end:
        text = words.texts[at]
        depth += text in {"(", "«"} and 1 or 0
        depth -= text in {")", "»"} and 1 or 0
        described = _after_descriptor(words, at, end) if depth <= 0 else at
        if described != at:  # «…, инжиниринговый дивизион госкорпорации «Росатом», …»
            at = described
            continue
        if depth <= 0 and text.lower() in CLAUSE_MARKS and current.end > current.start:
            clauses.append(current)
            current = Clause(at + 1, at + 1, [], [], [],
                             words.forms[at + 1] if at + 1 < end else frozenset())
            depth = 0
            at += 1
            continue
        current.end = at + 1
        if at in skip:
            at += 1
            continue
        if at in cues:
            current.cues.append(cues[at])
        hit = roles.match(words.forms, at)
        if hit:
            current.roles.append((at, hit[1]))
            current.cues += [cues[i] for i in range(at + 1, at + hit[0]) if i in cues]
            current.end = at + hit[0]
            at += hit[0]
            continue
        participant = _participant_at(doc, words, at, None) if words.tokens[at].pos_ != "ADJ" \
            or words.texts[at][:1].isupper() else None
        if participant is not None and words.tokens[at].ent_type_ != "PER":
            current.participants.append(participant)
            current.end = participant.last + 1
            following = _after_parentheses(words, participant.last + 1, end)
            passed = words.texts[at + 1:following]  # the name's closing quote, a remark
            depth += sum(t in {"(", "«"} for t in passed) - sum(t in {")", "»"} for t in passed)
            at = following
            current.end = max(current.end, at)
            continue
        at += 1
    if current.end > current.start:
        clauses.append(current)
    return clauses


def _declined(words: Words, clause: Clause) -> bool:
    """A clause about not taking part («рассматривает возможность присоединения»)."""
    refusal = _phrases("not participating")
    if any(words.forms[at] in refusal for at in range(clause.start, clause.end)):
        return True
    tokens = [words.tokens[at] for at in range(clause.start, clause.end)]
    return any(_not_taking_part(modality_of(t)) for t in tokens if t.pos_ in {"VERB", "AUX"})


def _not_taking_part(modality) -> bool:
    """Denied, possible or intended participation («не участвует», «может присоединиться»,
    «планирует войти в капитал»); a role under a signed agreement told in the future tense
    («выступит подрядчиком») is participation."""
    if modality.label in {NEGATED, FORECAST}:
        return True
    return modality.label == PLANNED and modality.rule != FUTURE_RULE


RELATIVE_WORDS = frozenset({"который", "каждый", "которая", "которое", "которые"})


def _relative(clause: Clause) -> bool:
    return bool(clause.first_forms & RELATIVE_WORDS)


def _assign(clauses: list[Clause]) -> Iterator[tuple[Participant, Rule | None, str | None]]:
    """(participant, rule, role) of every participant the clauses make part of the project.

    A clause with a role word gives it to its participants (the nearest role to each); a
    clause with a cue of a fixed role (shareholders, founders, lenders) gives that role; a
    participation cue gives none; a clause with neither, whose participants continue a list
    of the clause before, takes that clause's rule and role."""
    previous: tuple[Rule | None, str | None] | None = None
    previous_participants: list[Participant] = []
    for clause in clauses:
        rule = clause.cues[0] if clause.cues else None
        fixed = next((c.option("role") for c in clause.cues if c.option("role")), None)
        if not clause.participants and previous_participants and _relative(clause):
            clause.participants = previous_participants  # «… с ОАО «X», которое станет оператором»
            if not clause.roles and fixed is None and rule is not None and rule.option(
                    "needs_role"):
                continue
        previous_participants = clause.participants or previous_participants
        if not clause.participants:
            if rule is not None:
                previous = (rule, fixed or (clause.roles[0][1] if clause.roles else None))
            elif clause.roles and previous is not None:
                previous = (previous[0], clause.roles[0][1])
            continue
        if clause.roles:
            for participant in clause.participants:
                at, role = min(clause.roles, key=lambda r: abs(r[0] - participant.first))
                yield participant, rule or (previous[0] if previous else None), role
            previous = (rule or (previous[0] if previous else None), clause.roles[-1][1])
        elif rule is not None:
            for participant in clause.participants:
                yield participant, rule, fixed
            previous = (rule, fixed)
        elif previous is not None and previous[0] is not None:
            for participant in clause.participants:
                yield participant, previous[0], previous[1]
        else:
            previous = None


@register("project_participant")
def extract(doc: Doc, rules: RuleSet | None) -> Iterator[Fact]:
    """project_participant facts of a doc that went through the document layer."""
    words = words_of_doc(doc)
    projects = find_projects(doc, words)
    if not projects or rules is None:
        return
    cues = _cues(words, rules, doc)
    pending: tuple[Project, bool, Rule] | None = None  # a cue whose list is in the next sentence
    for start, end in words.sentences():
        skip = {i for p in projects if start <= p.cue_first < end
                for i in range(p.cue_first, p.last + 1)}
        clauses = _clauses(doc, words, start, end, cues, skip)
        for clause in clauses:  # the clause's rule: a cue that fixes the role, else the first
            clause.cues.sort(key=lambda rule: (not rule.option("role"), rules.order[rule.id]))
        if pending is not None and words.texts[start].lower() in LIST_OPENERS:
            clauses[0].cues.insert(0, pending[2])
            chosen: tuple[Project, bool] | None = pending[:2]
        else:
            sentence_cues = [c for clause in clauses for c in clause.cues]
            topic = any(c.option("topic") for c in sentence_cues) or any(
                clause.roles for clause in clauses)
            chosen = _project_for(projects, words, start, end,
                                  next(iter(cues), start), topic) if sentence_cues or any(
                clause.roles for clause in clauses) else None
        pending = None
        if chosen is None:
            continue
        project, same_sentence = chosen
        shareholders = _shareholders(words, clauses)
        found_any = False
        for clause, (participant, rule, role) in _with_clauses(clauses):
            if rule is None or (rule.option("needs_role") and not role):
                continue
            if _declined(words, clause):
                continue
            if participant.first <= project.last + 1 and project.first - 1 <= participant.last \
                    or participant.normal.lower() == project.normal.lower():
                continue  # the project's own name
            if participant.normal.lower() in {"сп", "консорциум", "проект"}:
                continue
            found_any = True
            if role is None and participant.first in shareholders:
                role = "акционер"  # «TotalEnergies и CNPC (по 20%)»: a share makes a shareholder
            confidence = rule.confidence if same_sentence else rule.confidence - 0.15
            yield _fact(doc, words, project, replace(participant, role=role),
                        round(confidence, 2), rule.id)
        if not found_any:
            last = next((c for clause in reversed(clauses) for c in clause.cues), None)
            if last is not None:
                pending = (project, same_sentence, last)


def _with_clauses(clauses: list[Clause]) -> Iterator[tuple[Clause, tuple]]:
    by_first = {p.first: clause for clause in clauses for p in clause.participants}
    for item in _assign(clauses):
        yield by_first[item[0].first], item


def _fact(doc: Doc, words: Words, project: Project, participant: Participant,
          confidence: float, rule: str) -> Fact:
    name = words.span(project.first, project.last + 1)
    who = words.span(participant.first, participant.last + 1)
    if words.texts[participant.first] in OPENING_QUOTES:
        who = words.span(participant.first + 1, participant.last)
    subject = Mention(text=name.text, normal=project.normal, type="PROJECT",
                      start=name.start_char, end=name.end_char)
    obj = Mention(text=who.text, normal=participant.normal, type=participant.type,
                  start=who.start_char, end=who.end_char,
                  aliases=list(participant.aliases) or None)
    qualifiers = {"role": participant.role} if participant.role else {}
    return Fact(predicate="project_participant", subject=subject, object=obj,
                qualifiers=qualifiers, evidence=evidence(doc, name, who), confidence=confidence,
                provenance=provenance(rule, "rufakt_entities"), doc_date=doc._.date)
