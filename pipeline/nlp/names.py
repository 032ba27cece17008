"""Names of people in the nominative: the one declension of names every part of the pipeline
uses (`Span._.normal` of a PER span, the people of the entity layer, the facts).

A name is put in the nominative by choosing the one case and gender all its words can share,
from the declension of Russian names (`lexicon/persons_paradigms.txt`), pymorphy3's dictionary
of names and the tagger's case, and, when the caller knows it, the case the name must be in
(«с министром … Александру Попеску» is instrumental, so «Александру» does not decline).
"""

from dataclasses import dataclass
from functools import cache, lru_cache

from spacy.tokens import Span

from .morphology import analyzer

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
GIVEN_NAME_CLASSES = frozenset({"ия"})  # declensions of given names, not of surnames


@dataclass(frozen=True)
class Reading:
    """One way to read a name word: in `case`, of `gender` (None: either), with this
    nominative; `weight` is how much the reading is to be believed."""

    case: str | None
    gender: str | None
    nominative: str
    weight: float


@cache
def paradigms() -> tuple[list[tuple[str, str, tuple[str, ...]]], tuple[str, ...]]:
    """(class, gender, endings by case) rows, and the endings of indeclinable names."""
    from ..lexicon import lexicon_lines  # (here: the lexicon package imports this one's parent)

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
    from ..lexicon import lexicon_lines

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


@lru_cache(maxsize=50_000)
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
                if word_class in GIVEN_NAME_CLASSES and role == "last":
                    continue  # «Церетели» is no genitive of «Церетеля»
                if word_class in {"hard", "sibilant", "soft", "j", "а", "ga"}:
                    if not _fits(word_class, stem):
                        continue
                elif len(stem) < (1 if word_class == "ия" else 2):  # «Гия»: «с Гией»
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
    options = {index: readings(words[index][0], _role(index, len(words)))
               for index in declining}
    tokens = [t for t in span if not t.is_space and t.text != "."]
    tagged = [
        UD_CASES.get(c) for index, t in enumerate(tokens) if index in options
        for c in t.morph.get("Case")
    ]
    best, best_score = ("nomn", "masc"), float("-inf")
    fits = {index: _best_weights(words[index][0], _role(index, len(words))) for index in options}
    for case in CASES:
        for gender in GENDERS:
            score = 0.25 if case == "nomn" else 0.0
            score += 5.0 if case == case_hint else 0.0
            score += 0.5 * sum(1 for value in tagged if value == case)
            for index in options:
                weight = 1.5 if index == 0 and len(words) > 1 else 1.0
                score += weight * fits[index][case, gender]
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


def _role(index: int, length: int) -> str:
    """A name word's place in a name of `length` words, as `readings` takes it."""
    if length == 1:
        return "only"
    return "first" if index == 0 else "last" if index == length - 1 else "middle"


@lru_cache(maxsize=50_000)
def _best_weights(word: str, role: str) -> dict[tuple[str, str], float]:
    """The weight of a word's best reading in each case and gender."""
    found = readings(word, role)
    return {(case, gender): max(r.weight for r in found if _agrees(r, case, gender))
            for case in CASES for gender in GENDERS}


def _agrees(reading: Reading, case: str, gender: str) -> bool:
    return reading.case in (None, case) and reading.gender in (None, gender)


def nominatives(word: str) -> frozenset[str]:
    """Every nominative a single name word may stand for («Исмаилова» → Исмаилов, Исмаилова)."""
    return frozenset(_key(r.nominative) for r in readings(word))


def _key(word: str) -> str:
    return word.lower().replace("ё", "е")


# ---------------------------------------------------------------- mentions and persons


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


# ---------------------------------------------------------------- names the NER misread


@cache
def _misread_words() -> tuple[tuple[str, ...], frozenset[str]]:
    from ..lexicon import read_lexicon

    sections = read_lexicon("persons_misread")
    endings = tuple(sorted((e for e, _ in sections["surname endings"]), key=len, reverse=True))
    return endings, frozenset(w for w, _ in sections["named after"])


def _first_name(word: str) -> bool:
    parses = [p for p in analyzer().parse(word.lower()) if p.score >= 0.3]
    return bool(parses) and all("Name" in p.tag.grammemes for p in parses) and not any(
        "Geox" in p.tag.grammemes for p in analyzer().parse(word.lower()))


def misread_person(span: Span) -> bool:
    """Whether a LOC or ORG entity is a person's name: «Арманом Сейтовым» (a first name, then
    a word with a surname's ending), unless a place is named after the person («улица Ивана
    Франко»)."""
    words = [t for t in span if not t.is_space]
    if not 2 <= len(words) <= 3 or not all(t.text[:1].isupper() and t.text.isalpha()
                                           for t in words):
        return False
    endings, named_after = _misread_words()
    before = span.doc[span.start - 1] if span.start > 0 else None
    if before is not None and before.lower_.rstrip(".") in named_after:
        return False
    return _first_name(words[0].text) and words[-1].lower_.endswith(endings)
