"""pymorphy3 analyses chosen to agree with the tagger's UD part of speech and features."""

import unicodedata
from functools import cache, lru_cache

import pymorphy3
from pymorphy3.analyzer import Parse

from .lookup import DictionaryReadings

# UD part of speech -> OpenCorpora parts of speech that may stand for it.
UD_TO_OC: dict[str, frozenset[str]] = {
    "NOUN": frozenset({"NOUN"}),
    "PROPN": frozenset({"NOUN"}),
    "ADJ": frozenset({"ADJF", "ADJS", "COMP", "NUMR", "PRTF"}),
    "DET": frozenset({"ADJF", "NPRO"}),
    "PRON": frozenset({"NPRO", "ADJF"}),
    "VERB": frozenset({"VERB", "INFN", "PRTF", "PRTS", "GRND"}),
    "AUX": frozenset({"VERB", "INFN"}),
    "ADV": frozenset({"ADVB", "COMP", "PRED"}),
    "NUM": frozenset({"NUMR", "ADJF"}),
    "ADP": frozenset({"PREP"}),
    "CCONJ": frozenset({"CONJ"}),
    "SCONJ": frozenset({"CONJ"}),
    "PART": frozenset({"PRCL"}),
    "INTJ": frozenset({"INTJ"}),
}

UD_CASE = {
    "Nom": {"nomn"},
    "Gen": {"gent", "gen2"},
    "Dat": {"datv"},
    "Acc": {"accs"},
    "Ins": {"ablt"},
    "Loc": {"loct", "loc2"},
    "Voc": {"voct"},
    "Par": {"gen2", "gent"},
}
UD_NUMBER = {"Sing": "sing", "Plur": "plur"}
UD_GENDER = {"Masc": "masc", "Fem": "femn", "Neut": "neut"}


class MorphAnalyzer(pymorphy3.MorphAnalyzer):
    """pymorphy3's analyser, which does not raise on letters without a Unicode name.

    pymorphy3 looks up the Unicode name of each letter to tell Latin ones, and a few letters
    have none in Python's tables (e.g. U+17000, Tangut): `parse` raised ValueError on them.
    They are not Latin, and are recorded as such in pymorphy3's own table before parsing.
    """

    def parse(self, word: str) -> list[Parse]:
        try:
            return super().parse(word)
        except ValueError:
            from pymorphy3 import shapes

            known = getattr(shapes, "_latin_letters_cache", None)
            if known is None:
                raise
            for char in word:
                if unicodedata.name(char, None) is None:
                    known[char] = False
            return super().parse(word)


@cache
def analyzer() -> pymorphy3.MorphAnalyzer:
    """One pymorphy3 analyser per process (its dictionaries come from pymorphy3-dicts-ru)."""
    return MorphAnalyzer()


def parse_feats(morph: str) -> dict[str, str]:
    """'Case=Gen|Number=Sing' -> {'Case': 'Gen', 'Number': 'Sing'}."""
    if not morph:
        return {}
    return dict(part.split("=", 1) for part in morph.split("|") if "=" in part)


@lru_cache(maxsize=20_000)
def parses(word: str) -> tuple[Parse, ...]:
    """pymorphy3's analyses of `word` (already lower-cased), cached."""
    return tuple(analyzer().parse(word))


@cache
def _dictionary() -> DictionaryReadings:
    return DictionaryReadings(analyzer())


@lru_cache(maxsize=50_000)
def readings(word: str) -> tuple[tuple, ...]:
    """(tag, score, reading) for each analysis of lower-case `word`, in pymorphy3's order;
    `reading` is a `Parse`, or what `DictionaryReadings.parse` makes one from."""
    found = _dictionary()(word)
    if found is None:
        return tuple((parse.tag, parse.score, parse) for parse in parses(word))
    return tuple((reading[0], reading[1], reading) for reading in found)


def normal_forms(word: str) -> list[str]:
    """The dictionary forms of every analysis of lower-case `word`, as pymorphy3's `parse`
    gives them, from the readings the lemmatizer has usually looked up already."""
    return [reading.normal_form if isinstance(reading, Parse) else
            _dictionary().normal_form(reading) for _, _, reading in readings(word)]


_TAG_INFO: dict = {}
NAME_LIKE = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn"})


def _tag_info(tag) -> tuple:
    """(POS, case, number, gender, is a name) of a pymorphy3 tag, as plain strings, cached
    (pymorphy3's tag attributes are computed on every access)."""
    info = _TAG_INFO.get(tag)
    if info is None:
        number, gender = tag.number, tag.gender
        info = (
            tag.POS and str(tag.POS), tag.case and str(tag.case),
            number and str(number), gender and str(gender), bool(NAME_LIKE & tag.grammemes),
        )
        if len(_TAG_INFO) > 20_000:
            _TAG_INFO.clear()
        _TAG_INFO[tag] = info
    return info


@lru_cache(maxsize=20_000)
def _wanted(pos: str, morph: str) -> tuple:
    """What a parse must have to agree with the tagger, for `_score`."""
    feats = parse_feats(morph)
    return (
        UD_TO_OC.get(pos, frozenset()),
        pos == "PROPN",
        UD_CASE.get(feats["Case"], set()) if feats.get("Case") else None,
        (UD_NUMBER.get(feats["Number"]),) if feats.get("Number") else None,
        (UD_GENDER.get(feats["Gender"]),) if feats.get("Gender") else None,
    )


def _score(tag, score: float, wanted: tuple) -> float:
    """A reading's own probability plus points for agreeing with the tagger."""
    parts, propn, cases, number, gender = wanted
    tag_pos, tag_case, tag_number, tag_gender, is_name = _tag_info(tag)
    if tag_pos in parts:
        score += 4
    if propn and is_name:
        score += 1
    if cases is not None and tag_case in cases:
        score += 2
    if number is not None and tag_number == number[0]:
        score += 1
    if gender is not None and tag_gender == gender[0]:
        score += 1
    return score


@lru_cache(maxsize=50_000)
def best_parse(word: str, pos: str, morph: str) -> Parse:
    """The pymorphy3 parse of `word` that best agrees with the tagger's `pos` and `morph`
    (the first of the best, in pymorphy3's order)."""
    wanted = _wanted(pos, morph)
    _, _, reading = max(readings(word), key=lambda r: _score(r[0], r[1], wanted))
    return reading if isinstance(reading, Parse) else _dictionary().parse(reading)


@lru_cache(maxsize=50_000)
def lemma(word: str, pos: str, morph: str) -> str:
    """Dictionary form of `word` in the reading the tagger chose, lower-cased."""
    if pos in {"PUNCT", "SYM", "X", "SPACE", "NUM"} and not word.isalpha():
        return word.lower()
    return best_parse(word.lower(), pos, morph).normal_form
