"""Quantities of carried volume: «1,06 миллиона тонн» → 1060000 t, «590 тыс. баррелей в сутки»
→ 590000 bbl/d, «полтора миллиарда кВт·ч» → 1500000000 kWh.

A quantity is a number (digits with «,» or «.» decimals, or number words), an optional scale
word (тыс., млн, миллиард) and a unit of volume from `lexicon/units.txt`; anything else (%,
МВт, км, долларов) is not a quantity here. The parser works on a plain list of words, so it
runs without the NLP models; the lexicon reader and phrase matcher it needs are shared with the
other extractors (`pipeline.lexicon`).
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from ..lexicon import Forms, Phrases, word_forms, words_of

DIGITS = re.compile(r"^\d+(?:[.,]\d+)?$")
GROUP = re.compile(r"^\d{3}$")
LEADING_GROUP = re.compile(r"^\d{1,3}$")
MAX_GOODS_WORDS = 2  # words naming the goods between a unit and «в сутки»

# --- quantities ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Quantity:
    """A volume in base units; `start`/`end` are word indices of its words («1,06 … тонн»)."""

    value: float
    unit: str
    start: int
    end: int
    commodity: str | None = None  # implied by the unit itself (kWh: электроэнергия)
    approx: str | None = None  # about | at_least | at_most («около», «более», «до»)

    @property
    def normal(self) -> str:
        """«1060000 t»: the value without exponent or trailing zeros, then the unit."""
        return f"{format_number(self.value)} {self.unit}"


def format_number(value: float) -> str:
    number = Decimal(repr(value)).normalize()
    return f"{number:f}"


def find_quantities(words: Sequence[str], forms: Sequence[Forms] | None = None) -> list[Quantity]:
    """The volume quantities among `words` (word forms may be passed in, else computed)."""
    forms = list(forms) if forms is not None else [word_forms(word) for word in words]
    found: list[Quantity] = []
    at = 0
    while at < len(words):
        quantity = _quantity_at(words, forms, at)
        if quantity is None:
            shared = _sharing_unit(words, forms, at)
            if shared is not None:  # «9 и 10 млрд кубометров»: 9 млрд кубометров too
                found.append(replace(shared, approx=approx_before(words, forms, at)))
                at = shared.end
                continue
            at += 1
        else:
            found.append(replace(quantity, approx=approx_before(words, forms, at)))
            at = quantity.end
    return found


def _sharing_unit(words: Sequence[str], forms: Sequence[Forms], at: int) -> Quantity | None:
    """A bare number joined by «и», «,» or «–» to a quantity that follows: it takes that
    quantity's scale and unit («9 и 10 млрд кубометров», «1,2–1,5 млн тонн»)."""
    number = _number_at(words, forms, at) if DIGITS.match(words[at]) else None
    if number is None:
        return None
    value, end = number
    if end + 1 >= len(words) or words[end] not in {"и", ",", "–", "—", "-"}:
        return None
    following = _quantity_at(words, forms, end + 1)
    if following is None or not DIGITS.match(words[end + 1]):
        return None
    other, _ = _number_at(words, forms, end + 1)
    if not other:
        return None
    factor = Decimal(repr(following.value)) / other
    return Quantity(float(value * factor), following.unit, at, end, following.commodity)


REACHED_REACH = 4  # words between a verb of change and its «до» («увеличить поставки до»)


def approx_before(words: Sequence[str], forms: Sequence[Forms], at: int) -> str | None:
    """The bound or hedge standing right before the number at word `at` (`lexicon/scale.txt`,
    [approx]); «до» after a verb of change states the value reached and is no bound."""
    bounds = Phrases.of("scale", "approx")
    for length in (2, 1):
        start = at - length
        if start < 0:
            continue
        hit = bounds.match(forms, start)
        if hit is None or hit[0] != length:
            continue
        if words[start].lower() == "до" and _after_change(words, forms, start):
            return None
        return hit[1]
    return None


def _after_change(words: Sequence[str], forms: Sequence[Forms], at: int) -> bool:
    reached = Phrases.of("scale", "reached")
    for before in range(at - 1, max(at - 1 - REACHED_REACH, -1), -1):
        if words[before] in {",", ".", ";", ":", "(", ")"}:
            return False
        if forms[before] in reached:
            return True
    return False


def parse_quantity(text: str) -> Quantity | None:
    """The first quantity in `text` («1,06 миллиона тонн нефти» → 1060000 t), or None."""
    found = find_quantities(words_of(text))
    return found[0] if found else None


def _quantity_at(words: Sequence[str], forms: Sequence[Forms], at: int) -> Quantity | None:
    number = _number_at(words, forms, at)
    if number is None:
        bare = Phrases.of("scale", "bare scale").match(forms, at)
        if bare is None or (at > 0 and "за" in forms[at - 1]):
            return None
        value, end = Decimal(bare[1]), at + bare[0]
    else:
        value, end = number
        scale = Phrases.of("scale", "scale").match(forms, end)
        if scale is not None:
            value *= Decimal(scale[1])
            end += scale[0]
    unit = Phrases.of("units", "units").match(forms, end)
    if unit is None:
        return None
    length, spec = unit
    base, factor, *implied = spec.split()
    value *= Decimal(factor)
    end += length
    per = _per_period(words, forms, end)
    if per is not None:
        base += per[0]
        end = per[1]
    return Quantity(float(value), base, at, end, implied[0] if implied else None)


def _per_period(words: Sequence[str], forms: Sequence[Forms], at: int) -> tuple[str, int] | None:
    """(unit suffix, end) of «в сутки» right after the unit or after the goods it names
    («баррелей (казахстанской нефти) в сутки»)."""
    periods = Phrases.of("units", "per")
    for skip in range(MAX_GOODS_WORDS + 1):
        goods = words[at:at + skip]
        if len(goods) < skip or not all(w.isalpha() and w.islower() and len(w) > 3 for w in goods):
            return None
        hit = periods.match(forms, at + skip)
        if hit is not None:
            return hit[1], at + skip + hit[0]
    return None


def _number_at(
    words: Sequence[str], forms: Sequence[Forms], at: int
) -> tuple[Decimal, int] | None:
    """(value, end) of a number written in digits or words that starts at `at`."""
    word = words[at]
    if DIGITS.match(word):
        if at > 0 and DIGITS.match(words[at - 1]) and GROUP.match(word):
            return None  # the tail of a digit group already read («12 000»)
        text, end = word, at + 1
        if LEADING_GROUP.match(word):
            while end < len(words) and GROUP.match(words[end]):
                text, end = text + words[end], end + 1
        try:
            return Decimal(text.replace(",", ".")), end
        except InvalidOperation:
            return None
    numbers = Phrases.of("scale", "numbers")
    total, end = Decimal(0), at
    while end < len(words):
        hit = numbers.match(forms, end)
        if hit is None:
            break
        total += Decimal(hit[1])
        end += hit[0]
    return (total, end) if end > at else None
