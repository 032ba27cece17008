"""Person names: split a normal form into first name and surname, and compare two names."""

import re
from dataclasses import dataclass

from .text import norm_text

NAME_PART_RE = re.compile(r"[^\s.]+\.?")
PATRONYMIC_ENDINGS = ("вич", "вна", "ична", "ич")
FILIAL_WORDS = {"оглы", "кызы", "гызы", "улы", "уулу"}
SURNAME_PARTICLES = frozenset("де ди да дю дель делла дер фон ван ле ла аль эль бин ибн".split())


@dataclass(frozen=True)
class PersonName:
    """A person name reduced to what the matching compares (normalised, lower case)."""

    first: str | None
    surname: str
    words: tuple[str, ...]


def is_patronymic(word: str) -> bool:
    """A lower-case word that looks like a patronymic (Абишевич, Анатольевна)."""
    return len(word) > 4 and word.endswith(PATRONYMIC_ENDINGS)


def parse_person(normal: str) -> PersonName:
    """Parse a name written "Имя [Отчество] Фамилия": patronymics (inner words ending in
    -вич/-вна/-ична, or "X оглы/кызы") and surname particles (де, фон, бин…) are dropped.

    >>> parse_person("Ильхам Гейдар оглы Алиев")
    PersonName(first='ильхам', surname='алиев', words=('ильхам', 'алиев'))
    """
    words = NAME_PART_RE.findall(norm_text(normal))
    if not words:
        return PersonName(None, "", ())
    kept: list[str] = []
    for index, word in enumerate(words):
        inner = 0 < index < len(words) - 1
        if inner and word in FILIAL_WORDS:
            if len(kept) > 1:
                kept.pop()
            continue
        if inner and is_patronymic(word):
            continue
        kept.append(word)
    while len(kept) > 1 and kept[-2] in SURNAME_PARTICLES:
        del kept[-2]
    surname = kept[-1]
    first = kept[0] if len(kept) > 1 else None
    return PersonName(first, surname, tuple(kept))


def first_names_agree(a: str | None, b: str | None) -> bool:
    """Equal first names, or one side missing, or an initial ("в." / "в") that fits."""
    if a is None or b is None or a == b:
        return True
    a, b = a.rstrip("."), b.rstrip(".")
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    return a == b


def same_person(a: str | None, b: str | None) -> bool:
    """Person rule: equal normalised normals, or same surname and agreeing first names."""
    if not a or not b:
        return False
    if norm_text(a) == norm_text(b):
        return True
    left, right = parse_person(a), parse_person(b)
    return left.surname == right.surname and first_names_agree(left.first, right.first)
