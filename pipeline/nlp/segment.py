"""razdel's tokenization, driven with less overhead: the same atoms, rules and tokens.

razdel builds a `TokenSplit` (with its atom windows) for every pair of neighbouring atoms and
then skips its rules whenever the pair is separated by whitespace, and finally finds every
token in the text again with `str.find`. Here splits are built only for atoms that touch, with
razdel's own atom regex, `Atom`, `TokenSplit` and rules, and offsets come from the atoms.
tests/test_tokenizer.py checks the result against `razdel.tokenize`.
"""

from razdel.rule import JOIN
from razdel.segmenters.tokenize import ATOM, RULES, Atom, TokenSplit

WINDOW = 3  # razdel's TokenSplitter window


def _join(split: TokenSplit) -> bool:
    """razdel's `Segmenter.join`: the first rule with an opinion decides."""
    for rule in RULES:
        action = rule(split)
        if action:
            return action == JOIN
    return False


def tokens(text: str) -> list[tuple[int, int, str]]:
    """(start, stop, text) of each razdel token of `text`."""
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
