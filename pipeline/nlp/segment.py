"""razdel's tokenization, driven with less overhead: the same atoms, rules and tokens.

razdel builds a `TokenSplit` (with its atom windows) for every pair of neighbouring atoms and
then skips its rules whenever the pair is separated by whitespace, and finally finds every
token in the text again with `str.find`. Here splits are built only for atoms that touch, with
razdel's own atom regex, `Atom`, `TokenSplit` and rules, and offsets come from the atoms.

News repeats its words, so tokens are also cached per whitespace-free piece of text. razdel
decides within a piece (atoms that touch) and its rules look outside it only when the piece
starts or ends with a dash, underscore, point, comma or slash: then the dash, underscore,
decimal and fraction rules check whether the atom across the whitespace is punctuation or a
number. So a piece's tokens are a function of (type of the atom before, piece, type of the
atom after), the types counted only next to such a character: that is the cache key.

tests/test_tokenizer.py checks the result against `razdel.tokenize`.
"""

import re

from razdel.rule import JOIN
from razdel.segmenters.punct import DASHES
from razdel.segmenters.tokenize import ATOM, RULES, Atom, TokenSplit

WINDOW = 3  # razdel's TokenSplitter window
PIECE = re.compile(r"\S+")
MAX_CACHED = 200_000
# An atom of each type, to stand for a piece's neighbours when its tokens are computed.
STAND_INS = {"RU": "ж", "LAT": "z", "INT": "0", "PUNCT": "|", "OTHER": "©"}
# The delimiters of razdel's rules that look two atoms away (DashRule ... FractionRule).
LOOKS_ACROSS = frozenset(DASHES + "_.,/\\")


def _join(split: TokenSplit) -> bool:
    """razdel's `Segmenter.join`: the first rule with an opinion decides."""
    for rule in RULES:
        action = rule(split)
        if action:
            return action == JOIN
    return False


_CACHE: dict[tuple[str | None, str, str | None], tuple[tuple[int, int], ...]] = {}
_TYPES: dict[str, str] = {}


def _type(char: str) -> str:
    """razdel's atom type of the atom a character belongs to (atoms are runs of one type)."""
    found = _TYPES.get(char)
    if found is None:
        found = _TYPES[char] = ATOM.match(char).lastgroup
    return found


def _piece_tokens(before: str | None, piece: str, after: str | None) -> tuple[tuple[int, int], ...]:
    """(start, stop) within `piece` of its tokens, between atoms of the given types."""
    prefix = STAND_INS[before] + " " if before else ""
    suffix = " " + STAND_INS[after] if after else ""
    offset, end = len(prefix), len(prefix) + len(piece)
    return tuple((start - offset, stop - offset)
                 for start, stop, _ in atom_tokens(prefix + piece + suffix)
                 if offset <= start and stop <= end)


def tokens(text: str) -> list[tuple[int, int, str]]:
    """(start, stop, text) of each razdel token of `text`."""
    pieces = [(match.start(), match.group()) for match in PIECE.finditer(text)]
    result = []
    cache = _CACHE
    last = len(pieces) - 1
    for index, (start, piece) in enumerate(pieces):
        before = after = None
        if index and piece[0] in LOOKS_ACROSS:
            before = _type(pieces[index - 1][1][-1])
        if index < last and piece[-1] in LOOKS_ACROSS:
            after = _type(pieces[index + 1][1][0])
        key = (before, piece, after)
        spans = cache.get(key)
        if spans is None:
            spans = _piece_tokens(before, piece, after)
            if len(cache) >= MAX_CACHED:
                cache.clear()
            cache[key] = spans
        if len(spans) == 1:
            result.append((start, start + len(piece), piece))
        else:
            result.extend((start + a, start + b, piece[a:b]) for a, b in spans)
    return result


def atom_tokens(text: str) -> list[tuple[int, int, str]]:
    """(start, stop, text) of each razdel token of `text`, computed from its atoms."""
    matches = list(ATOM.finditer(text))
    count = len(matches)
    if not count:
        return []
    atoms: dict[int, Atom] = {}

    def atom(index: int) -> Atom:
        found = atoms.get(index)
        if found is None:
            match = matches[index]
            found = atoms[index] = Atom(match.start(), match.end(), match.lastgroup,
                                        match.group(0))
        return found

    result = []
    first = matches[0]
    start, stop, buffer = first.start(), first.end(), first.group(0)
    for index in range(1, count):
        match = matches[index]
        if match.start() == stop:  # no whitespace between: razdel's rules decide
            split = TokenSplit([atom(i) for i in range(max(0, index - WINDOW), index)], "",
                               [atom(i) for i in range(index, min(index + WINDOW, count))])
            split.buffer = buffer
            if _join(split):
                buffer += match.group(0)
                stop = match.end()
                continue
        result.append((start, stop, buffer))
        start, stop, buffer = match.start(), match.end(), match.group(0)
    result.append((start, stop, buffer))
    return result
