"""The document's date and the years its sentences speak of.

`Doc._.date` is the publication date the caller knows from file metadata (ISO «yyyy-mm-dd»);
`document_date` falls back on a dateline at the start of the text («Астана, 14 марта 2024
года.», «МОСКВА, 3 февраля 2025 г.», «14.03.2024»). `find_years` reads «в 2023 году», «к 2025
году», «по итогам 2023 года» and, when the document's date is known, «в прошлом году» or «в
текущем году». Month names, year words and relative years are in `lexicon/dates.txt`.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from spacy.tokens import Doc

from ..lexicon import Forms, Phrases, word_forms, words_of

if not Doc.has_extension("date"):
    Doc.set_extension("date", default=None)

YEAR = re.compile(r"^(1[89]\d\d|20\d\d|2100)$")
ORDINAL_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)-(?:м|го|й|му|ом)$")
NUMERIC_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
DAY = re.compile(r"^\d{1,2}$")
DATELINE_LINES = 3  # the dateline is on one of the first lines (after the title)
DATELINE_WORDS = 8  # and starts within the first words of its line


@dataclass(frozen=True)
class YearMention:
    """A year a sentence speaks of; `start`/`end` are word indices, `year` None when relative
    to an unknown document date; `horizon` marks a plan's target year («к 2025 году»)."""

    start: int
    end: int
    year: int | None
    horizon: bool = False


def parse_iso(value: str | None) -> date | None:
    """`date` of an ISO «yyyy-mm-dd» string (a time part is ignored), None if it is not one."""
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def document_date(doc: Doc) -> date | None:
    """`doc._.date` if set, else the date of the text's dateline, else None."""
    return parse_iso(doc._.date) or dateline_date(doc.text)


def dateline_date(text: str) -> date | None:
    """The date of a dateline on one of the first lines: «Place, 14 марта 2024 года» or a
    numeric «14.03.2024» at the line's start."""
    lines = [line for line in text.splitlines() if line.strip()][:DATELINE_LINES]
    for line in lines:
        words = words_of(line)[: DATELINE_WORDS + 3]
        for at in range(min(DATELINE_WORDS, len(words))):
            found = _date_at(words, at)
            if found is not None and _dateline_prefix(words[:at]):
                return found
    return None


def _date_at(words: Sequence[str], at: int) -> date | None:
    numeric = NUMERIC_DATE.match(words[at])
    try:
        if numeric:
            day, month, year = (int(part) for part in numeric.groups())
            return date(year, month, day)
        if at + 2 < len(words) and DAY.match(words[at]) and YEAR.match(words[at + 2]):
            month = _month(word_forms(words[at + 1]))
            if month:
                return date(int(words[at + 2]), month, int(words[at]))
    except ValueError:
        return None
    return None


def _dateline_prefix(words: Sequence[str]) -> bool:
    """Nothing, or a place name and a comma («Астана,», «НУР-СУЛТАН,»)."""
    if not words:
        return True
    return words[-1] == "," and all(w[:1].isupper() or w == "-" for w in words[:-1])


def _month(forms: Forms) -> int | None:
    hit = Phrases.of("dates", "months").match([forms], 0)
    return int(hit[1]) if hit else None


def find_years(
    words: Sequence[str], forms: Sequence[Forms] | None = None, today: date | None = None
) -> list[YearMention]:
    """The years among `words`: «2023 году», «к 2025 году», «2024-м»; «в прошлом году» is
    `today`'s year - 1 (year None when `today` is unknown). Full dates («20 января 2025 г.»)
    are not year mentions; «в марте 2024 года» is."""
    forms = list(forms) if forms is not None else [word_forms(word) for word in words]
    year_words = Phrases.of("dates", "year words")
    relative = Phrases.of("dates", "relative years")
    horizon_words = Phrases.of("dates", "horizon")
    found: list[YearMention] = []
    at = 0
    while at < len(words):
        horizon = at > 0 and forms[at - 1] in horizon_words
        start = at - 1 if horizon else at
        ordinal = ORDINAL_YEAR.match(words[at])
        if ordinal:
            found.append(YearMention(start, at + 1, int(ordinal.group(1)), horizon))
            at += 1
            continue
        if YEAR.match(words[at]) and at + 1 < len(words) and forms[at + 1] in year_words:
            if at > 1 and _month(forms[at - 1]) and DAY.match(words[at - 2]):
                at += 2  # a full date, as in a dateline, is not the year of a fact
                continue
            end = at + 2
            if end < len(words) and words[end] == "." and words[at + 1].lower() in {"г", "гг"}:
                end += 1
            found.append(YearMention(start, end, int(words[at]), horizon))
            at = end
            continue
        hit = relative.match(forms, at)
        if hit:
            year = today.year + int(hit[1]) if today else None
            found.append(YearMention(start, at + hit[0], year, horizon))
            at += hit[0]
            continue
        at += 1
    return found
