"""How Russian a decoded text looks: used to choose between Cyrillic code pages.

cp1251, KOI8-R, mac-cyrillic, cp866 and ISO 8859-5 all map bytes 0x80-0xFF to Cyrillic letters, so
a text read with the wrong one still "looks Cyrillic" to a generic detector, and on one short
paragraph charset-normalizer's coherence scores cannot always tell them apart. Decoded with the
right code page, Russian words have the usual case shapes (lower, Title, short UPPER) and letter
frequencies, and quotes come in pairs; decoded with a wrong one, words come out with swapped
case, rare letters, and symbols where capitals were. This module turns that into one number.
"""

from __future__ import annotations

import math
import re

# Share of each letter in Russian prose, per cent (national corpus counts, rounded; ё raised from
# 0.04 because most texts write it as е, but where it is written it is no sign of misdecoding).
_FREQ_PERCENT = {
    "о": 10.97, "е": 8.45, "а": 8.01, "и": 7.35, "н": 6.70, "т": 6.26, "с": 5.47, "р": 4.73,
    "в": 4.54, "л": 4.40, "к": 3.49, "м": 3.21, "д": 2.98, "п": 2.81, "у": 2.62, "я": 2.01,
    "ы": 1.90, "ь": 1.74, "г": 1.70, "з": 1.65, "б": 1.59, "ч": 1.44, "й": 1.21, "х": 0.97,
    "ж": 0.94, "ш": 0.73, "ю": 0.64, "ц": 0.48, "щ": 0.36, "э": 0.32, "ф": 0.26, "ъ": 0.04,
    "ё": 0.20,
}  # fmt: skip

# Ukrainian and Belarusian letters: rare in Russian news (names, quotes) but not misdecodings, so
# a cp1251 text quoting Ukrainian is not mistaken for mac-cyrillic.
_NEIGHBOUR_PERCENT = {"і": 0.05, "ї": 0.05, "є": 0.05, "ґ": 0.05, "ў": 0.05}

# log(p / uniform): positive for common letters, negative for rare ones. Random letters average
# below zero, real Russian words well above it.
_LETTER_WEIGHT = {
    letter: math.log(share / 100 * len(_FREQ_PERCENT))
    for letter, share in (_FREQ_PERCENT | _NEIGHBOUR_PERCENT).items()
}
_CYRILLIC_LETTERS = frozenset(_LETTER_WEIGHT) | frozenset(c.upper() for c in _LETTER_WEIGHT)

# Non-ASCII punctuation that belongs in Russian news text and costs nothing.
_TYPOGRAPHY = frozenset("«»„“”‘’‚—–…№°•·₽ \u00a0\u2009\u202f")

_WORD = re.compile(r"[^\W\d_]+")
# A symbol glued to the start of a lower-case word: what mac-cyrillic makes of cp1251 capitals
# ("—реднесуточна" for "Среднесуточная", no-break space for "К"). Opening quotes are fine there
# («нефть»).
_SYMBOL_FOR_CAPITAL = re.compile(r"(?<!\S)(?:[^\w\s«„“\"'(\[]+|\xa0)(?=[а-яё])")
_MISDECODED_WORD = -2.0  # per letter: a word with broken case, mixed scripts or foreign letters
_FOREIGN_LETTER = -1.0  # per non-ASCII letter in a non-Cyrillic word (é, ü, kana...)
_STRAY_SYMBOL = -1.0  # per unexpected non-ASCII symbol (box drawing, ‰, †...)
_LONG_CAPITALS = -0.5  # per letter past the fourth of an all-caps word
_RUSSIAN_PER_LETTER = 0.1  # see looks_russian
_SYMBOL_FOR_CAPITAL_COST = -3.0  # per symbol glued to a lower-case word, see _SYMBOL_FOR_CAPITAL
_UNPAIRED_QUOTE = -3.0  # per « without » or the reverse
_CONTROL = -3.0  # per control character other than tab, newline, form feed, carriage return


def russian_score(text: str) -> float:
    """Return a score that is higher the more `text` reads like correctly decoded Russian."""
    score = _SYMBOL_FOR_CAPITAL_COST * len(_SYMBOL_FOR_CAPITAL.findall(text))
    # « and » come in pairs; a lone one is usually a capital letter of another code page.
    score += _UNPAIRED_QUOTE * abs(text.count("«") - text.count("»"))
    for match in _WORD.finditer(text):
        score += _word_score(match.group())
    for char in text:
        if (char < "\x20" and char not in "\t\n\r\f") or "\x7f" <= char < "\xa0":
            score += _CONTROL
        elif char > "\x7f" and not char.isalpha() and char not in _TYPOGRAPHY:
            score += _STRAY_SYMBOL
    return score


def looks_russian(text: str) -> bool:
    """Return True when `text` has Cyrillic letters and they score like Russian on average.

    Real Russian averages about 0.3-0.6 per letter (less on two or three short words); Russian
    bytes read with a wrong Cyrillic code page, or Greek read as Cyrillic, stay near or below 0.
    """
    letters = sum(1 for char in text if "\u0400" <= char <= "\u04ff")
    return letters > 0 and russian_score(text) >= _RUSSIAN_PER_LETTER * letters


def _word_score(word: str) -> float:
    if all(char in _CYRILLIC_LETTERS for char in word):
        letters = sum(_LETTER_WEIGHT[char.lower()] for char in word)
        if word.isupper():
            # KOI8-R and cp1251 swap the case ranges: lower-case text read with the other one is
            # all capitals. Abbreviations (ОПЕК, ЕАЭС) are short; long all-caps words are rare.
            return letters + _LONG_CAPITALS * max(0, len(word) - 4)
        if word.islower() or word[0].isupper():  # "нефть", "Нефть", "КазТрансОйл"
            return letters
        return _MISDECODED_WORD * len(word)  # "нЕФТЬ": "Нефть" read with a case-swapped table
    if any("\u0400" <= char <= "\u04ff" for char in word):
        return _MISDECODED_WORD * len(word)
    return _FOREIGN_LETTER * sum(1 for char in word if char > "\x7f")
