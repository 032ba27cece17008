"""pymorphy3's readings of a dictionary word, computed only as far as choosing one needs.

`MorphAnalyzer.parse` builds a `Parse`, normal form included, for every reading of a word, and
the lemmatizer then keeps one. For a word the dictionary knows, `DictionaryReadings` replays
what `parse` does (the dictionary lookup, then P(tag | word) and the sort by it) and returns
each reading's tag and score; the `Parse` is built for the chosen reading only. Anything it
cannot replay exactly gives None, and the caller uses `parse`. tests/test_morphology.py checks
it against `parse`.
"""

from operator import itemgetter

import pymorphy3
from pymorphy3.analyzer import Parse
from pymorphy3.units.abbreviations import _InitialsAnalyzer
from pymorphy3.units.by_lookup import DictionaryAnalyzer

Reading = tuple  # (tag, score, fixed word, paradigm id, form index)


class DictionaryReadings:
    """Readings of lower-case words found in pymorphy3's dictionary, in `parse`'s order."""

    def __init__(self, morph: pymorphy3.MorphAnalyzer):
        units = list(getattr(morph, "_units", []))
        self.unit = units[0][0] if units else None
        estimator = getattr(morph, "prob_estimator", None)
        self.enabled = (
            isinstance(self.unit, DictionaryAnalyzer)
            and estimator is not None
            and morph._result_type is not None
        )
        if not self.enabled:
            return
        self.units = units
        self.dictionary = self.unit.dict
        self.substitutes = morph.char_substitutes
        self.prob = estimator.p_t_given_w.prob
        self.result_type = morph._result_type

    def __call__(self, word: str) -> list[Reading] | None:
        """The readings of `word` (lower case), or None when `parse` must be asked."""
        if not self.enabled:
            return None
        found: list[tuple] = []
        build_tag = self.dictionary.build_tag_info
        for unit, terminal in self.units:
            if unit is self.unit:
                for fixed, forms in self.dictionary.words.similar_items(word, self.substitutes):
                    found.extend((build_tag(para, index), fixed, para, index)
                                 for para, index in forms)
            elif not (isinstance(unit, _InitialsAnalyzer) and word not in unit._letters_set):
                return None  # a unit that could add readings: not replayed here
            if terminal and found:
                break
        if not found:
            return None
        probs = [self.prob(word, reading[0]) for reading in found]
        if sum(probs) == 0:
            share = 1.0 / len(found)  # parse: every score 1.0, normalised to sum to one
            return [(tag, share, *rest) for tag, *rest in found]
        readings = [(tag, prob, *rest) for (tag, *rest), prob in zip(found, probs, strict=True)]
        readings.sort(key=itemgetter(1), reverse=True)
        return readings

    def normal_form(self, reading: Reading) -> str:
        """The reading's dictionary form, as `MorphAnalyzer.parse` gives it."""
        _, _, fixed, para, index = reading
        return self.dictionary.build_normal_form(para, index, fixed)

    def parse(self, reading: Reading) -> Parse:
        """The `Parse` that `MorphAnalyzer.parse` gives for this reading."""
        tag, score, fixed, para, index = reading
        return self.result_type(fixed, tag, self.normal_form(reading), score,
                                ((self.unit, fixed, para, index),))
