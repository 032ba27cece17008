"""How Russian a decoded text looks: used to choose between Cyrillic code pages.

cp1251, KOI8-R, mac-cyrillic, cp866 and ISO 8859-5 all map bytes 0x80-0xFF to Cyrillic letters, so
a text read with the wrong one still "looks Cyrillic" to a generic detector, and on one short
paragraph charset-normalizer's coherence scores cannot always tell them apart. Decoded with the
right code page, Russian words have the usual case pattern (lower, Title or UPPER) and the usual
letter frequencies; decoded with a wrong one, they come out with random case, rare letters and
stray symbols. This module turns that into one number.
"""

from __future__ import annotations

import math
import re

# Share of each letter in Russian prose, per cent (national corpus counts, rounded).
_FREQ_PERCENT = {
    "о": 10.97, "е": 8.45, "а": 8.01, "и": 7.35, "н": 6.70, "т": 6.26, "с": 5.47, "р": 4.73,
    "в": 4.54, "л": 4.40, "к": 3.49, "м": 3.21, "д": 2.98, "п": 2.81, "у": 2.62, "я": 2.01,
    "ы": 1.90, "ь": 1.74, "г": 1.70, "з": 1.65, "б": 1.59, "ч": 1.44, "й": 1.21, "х": 0.97,
    "ж": 0.94, "ш": 0.73, "ю": 0.64, "ц": 0.48, "щ": 0.36, "э": 0.32, "ф": 0.26, "ъ": 0.04,
    "ё": 0.04,
}  # fmt: skip

# log(p / uniform): positive for common letters, negative for rare ones. Random letters average
# below zero, real Russian words well above it.
_LETTER_WEIGHT = {
    letter: math.log(share / 100 * len(_FREQ_PERCENT)) for letter, share in _FREQ_PERCENT.items()
}
_RUSSIAN = frozenset(_FREQ_PERCENT) | frozenset(c.upper() for c in _FREQ_PERCENT)

# Non-ASCII punctuation that belongs in Russian news text and costs nothing.
_TYPOGRAPHY = frozenset("«»„“”‘’‚—–…№°•·€₽ \u00a0\u2009\u202f")

_WORD = re.compile(r"[^\W\d_]+")
_MISDECODED_WORD = -2.0  # per letter: a word with broken case, mixed scripts or foreign letters
_FOREIGN_LETTER = -1.0  # per non-ASCII letter in a non-Cyrillic word (é, ü, kana...)
_STRAY_SYMBOL = -1.0  # per unexpected non-ASCII symbol (box drawing, ‰, †...)
_CONTROL = -3.0  # per control character other than tab, newline, form feed, carriage return


def russian_score(text: str) -> float:
    """Return a score that is higher the more `text` reads like correctly decoded Russian."""
    score = 0.0
    for match in _WORD.finditer(text):
        score += _word_score(match.group())
    for char in text:
        if char < "\x20" and char not in "\t\n\r\f" or "\x7f" <= char < "\xa0":
            score += _CONTROL
        elif char > "\x7f" and not char.isalpha() and char not in _TYPOGRAPHY:
            score += _STRAY_SYMBOL
    return score


def _word_score(word: str) -> float:
    if all(char in _RUSSIAN for char in word):
        if word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower()):
            return sum(_LETTER_WEIGHT[char.lower()] for char in word)
        return _MISDECODED_WORD * len(word)
    if any("\u0400" <= char <= "\u04ff" for char in word):
        return _MISDECODED_WORD * len(word)
    return _FOREIGN_LETTER * sum(1 for char in word if char > "\x7f")
