"""pymorphy3 analyses chosen to agree with the tagger's UD part of speech and features."""

from functools import cache, lru_cache

import pymorphy3
from pymorphy3.analyzer import Parse

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


@cache
def analyzer() -> pymorphy3.MorphAnalyzer:
    """One pymorphy3 analyser per process (its dictionaries come from pymorphy3-dicts-ru)."""
    return pymorphy3.MorphAnalyzer()


def parse_feats(morph: str) -> dict[str, str]:
    """'Case=Gen|Number=Sing' -> {'Case': 'Gen', 'Number': 'Sing'}."""
    if not morph:
        return {}
    return dict(part.split("=", 1) for part in morph.split("|") if "=" in part)


def _score(parse: Parse, pos: str, feats: dict[str, str]) -> float:
    tag = parse.tag
    score = parse.score
    if tag.POS in UD_TO_OC.get(pos, ()):
        score += 4
    if pos == "PROPN" and {"Name", "Surn", "Patr", "Geox", "Orgn"} & tag.grammemes:
        score += 1
    if feats.get("Case") and tag.case in UD_CASE.get(feats["Case"], ()):
        score += 2
    if feats.get("Number") and tag.number == UD_NUMBER.get(feats["Number"]):
        score += 1
    if feats.get("Gender") and tag.gender == UD_GENDER.get(feats["Gender"]):
        score += 1
    return score


@lru_cache(maxsize=200_000)
def best_parse(word: str, pos: str, morph: str) -> Parse:
    """The pymorphy3 parse of `word` that best agrees with the tagger's `pos` and `morph`."""
    feats = parse_feats(morph)
    parses = analyzer().parse(word)
    return max(parses, key=lambda parse: _score(parse, pos, feats))


@lru_cache(maxsize=200_000)
def lemma(word: str, pos: str, morph: str) -> str:
    """Dictionary form of `word` in the reading the tagger chose, lower-cased."""
    if pos in {"PUNCT", "SYM", "X", "SPACE", "NUM"} and not word.isalpha():
        return word.lower()
    return best_parse(word.lower(), pos, morph).normal_form
