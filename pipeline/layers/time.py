"""The time layer (`rufakt_time`): the document's date and the years its sentences speak of.

`Doc._.date` is the publication date the caller knows from file metadata (ISO «yyyy-mm-dd»);
`document_date` falls back on a dateline at the start of the text («Астана, 14 марта 2024
года.», «МОСКВА, 3 февраля 2025 г.», «14.03.2024»). `find_years` reads «в 2023 году», «к 2025
году», «по итогам 2023 года» and, when the document's date is known, «в прошлом году» or «в
текущем году». «годом ранее» is the year before the one the text spoke of last. Month names,
year words and relative years are in `lexicon/dates.txt`.

The component writes `doc._.date` (when a dateline gives it and the caller did not),
`doc._.date_source` ("metadata" or "dateline"), the year mentions as `doc.spans["rufakt_time"]`
(labels YEAR, RELATIVE, HORIZON; `Span._.year`), and keeps them for the extractors
(`years(doc)`, word indices of `layers.view.Words`).
"""

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..lexicon import Forms, Phrases, word_forms, words_of
from .store import doc_cache, text_of
from .view import words_of_doc

for _name in ("date", "date_source"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)
if not Span.has_extension("year"):
    Span.set_extension("year", default=None)

SPANS_KEY = "rufakt_time"
YEARS_KEY = "rufakt_years"
DATELINE_KEY = "rufakt_dateline"

YEAR = re.compile(r"^(1[89]\d\d|20\d\d|2100)$")
YEAR_FIRST_DIGITS = ("1", "2")  # of YEAR and ORDINAL_YEAR
ORDINAL_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)-(?:м|го|й|му|ом)$")
NUMERIC_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})[,.]?$")
DAY = re.compile(r"^\d{1,2}$")
YEAR_IN_LINE = re.compile(r"(?:1[89]|20)\d\d")
DATELINE_LINES = 6  # the dateline is on one of the first lines (after the title, a rubric)
CLOSING_LINES = 3  # or, in a press release, on one of the last lines
DATELINE_WORDS = 12  # and starts within the first words of its line
SEPARATORS = frozenset({",", ".", ":", "|", "·", "•", "—", "–", "-", "/"})
LABEL_MARKS = frozenset({":", "|", "·", "•", "/"})


@dataclass(frozen=True)
class YearMention:
    """A year a sentence speaks of; `start`/`end` are word indices, `year` None when relative
    to an unknown document date; `horizon` marks a plan's target year («к 2025 году»)."""

    start: int
    end: int
    year: int | None
    horizon: bool = False
    relative: bool = False
    comparison: bool = False  # a baseline: «чем за аналогичный период прошлого года»
    anchored: bool = False  # told from the year spoken of before: «годом ранее»


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
    found = parse_iso(doc._.date)
    if found is not None:
        return found
    cache = doc_cache(doc)
    if DATELINE_KEY not in cache:
        cache[DATELINE_KEY] = dateline_date(text_of(doc))
    return cache[DATELINE_KEY]


def dateline_date(text: str) -> date | None:
    """The date of a dateline on one of the first lines, or one of the last of a press release:
    «Place, 14 марта 2024 года», «БАКУ. 20 января 2025 г.», «14.03.2024 10:42», «Опубликовано:
    11.11.2025», «ДЕЛОВОЙ КАСПИЙ | 18.09.2025 | Рынки», «@channel · 27.02.2024», a line that
    opens with a date."""
    lines = [line for line in text.splitlines() if line.strip()]
    lines = lines[:DATELINE_LINES] + lines[DATELINE_LINES:][-CLOSING_LINES:]
    for line in lines:
        if not YEAR_IN_LINE.search(line[:200]):
            continue
        words = words_of(line[:200])[: DATELINE_WORDS + 3]
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
    """Nothing; a place and a comma or full stop («Астана,», «НУР-СУЛТАН,», «Тараз.»); or a
    header of labels and separators («Опубликовано:», «ДЕЛОВОЙ КАСПИЙ |», «@channel ·»)."""
    if not words:
        return True
    if words[-1] not in SEPARATORS:
        return False
    if any(w in LABEL_MARKS for w in words):
        return True
    return all(w[:1].isupper() or w in SEPARATORS for w in words[:-1])


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
    anchored = Phrases.of("dates", "anchored years")
    elliptical = Phrases.of("dates", "elliptical years")
    horizon_words = Phrases.of("dates", "horizon")
    found: list[YearMention] = []
    starts = _phrase_starts()
    at = 0
    while at < len(words):
        if words[at][:1] not in YEAR_FIRST_DIGITS and starts.isdisjoint(forms[at]):
            at += 1  # neither a number nor the first word of a relative year
            continue
        horizon = at > 0 and forms[at - 1] in horizon_words
        start = at - 1 if horizon else at
        ordinal = ORDINAL_YEAR.match(words[at])
        if ordinal:
            found.append(YearMention(start, at + 1, int(ordinal.group(1)), horizon))
            at += 1
            continue
        listed = _year_list(words, forms, at, year_words)
        if listed:  # «в 2022 и 2023 годах»: each year
            found.extend(YearMention(start if i == 0 else position, position + 1,
                                     int(words[position]), horizon)
                         for i, position in enumerate(listed))
            at = listed[-1] + 2
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
            found.append(YearMention(start, at + hit[0], year, horizon, relative=True))
            at += hit[0]
            continue
        hit = elliptical.match(forms, at) if found and at > 0 and words[at - 1].lower() in {
            "в", "во"} else None
        if hit and (at + hit[0] == len(words) or not words[at + hit[0]][:1].isalnum()):
            year = today.year + int(hit[1]) if today else None  # «…, в позапрошлом – 3,9 млн т»
            found.append(YearMention(at - 1, at + hit[0], year, horizon, relative=True))
            at += hit[0]
            continue
        hit = anchored.match(forms, at)
        if hit:
            anchor = next((m.year for m in reversed(found) if m.year is not None
                           and not m.anchored), None)
            year = anchor + int(hit[1]) if anchor is not None else None
            found.append(YearMention(start, at + hit[0], year, horizon, relative=True,
                                     anchored=True))
            at += hit[0]
            continue
        at += 1
    return found


@cache
def _phrase_starts() -> frozenset[str]:
    """Word forms that can begin a relative, elliptical or anchored year phrase."""
    return frozenset().union(*(Phrases.of("dates", section).first_forms for section in (
        "relative years", "elliptical years", "anchored years")))


def _year_list(words: Sequence[str], forms: Sequence[Forms], at: int, year_words) -> list[int]:
    """Word positions of years listed before one year word («2022 и 2023 годах», «2022, 2023 и
    2024 годах»), or [] when `at` does not start such a list."""
    positions, position = [], at
    while position < len(words) and YEAR.match(words[position]):
        positions.append(position)
        following = position + 1
        if following < len(words) and words[following] in {",", "и"}:
            position = following + 1
            continue
        break
    last = positions[-1] if positions else at
    if len(positions) < 2 or last + 1 >= len(words) or forms[last + 1] not in year_words:
        return []
    return positions


def years(doc: Doc) -> list[YearMention]:
    """The doc's year mentions in text order, word indices of `words_of_doc(doc)` (computed by
    the `rufakt_time` component, or here if it did not run)."""
    cache = doc_cache(doc)
    if YEARS_KEY not in cache:
        cache[YEARS_KEY] = list(_doc_years(doc))
    return cache[YEARS_KEY]


def _doc_years(doc: Doc) -> Iterator[YearMention]:
    words = words_of_doc(doc)
    today = document_date(doc)
    last_year = None  # of the document so far: «годом ранее» in a list under «итоги 2024 года»
    for start, end in words.sentences():
        for found in find_years(words.texts[start:end], words.forms[start:end], today):
            found = replace(found, start=found.start + start, end=found.end + start,
                            comparison=_comparison(words, start, found.start + start))
            if found.year is None and found.relative and last_year is not None and _anchored(
                    words, found):
                found = resolve_anchored(words, found, last_year)
            if found.year is not None and not found.horizon and not found.anchored:
                last_year = found.year  # «в 2024 году …, годом ранее … В отчётном году …»
            yield found


COMPARISON_REACH = 4  # words between «чем»/«против» and the year


def _comparison(words, sentence_start: int, at: int) -> bool:
    markers = Phrases.of("dates", "comparison")
    return any(words.forms[i] in markers for i in range(max(sentence_start, at - COMPARISON_REACH),
                                                        at))


def _anchored(words, found: YearMention) -> bool:
    forms = words.forms[found.start:found.end]
    return Phrases.of("dates", "anchored years").match(forms, 0) is not None


def resolve_anchored(words, found: YearMention, anchor: int) -> YearMention:
    """An anchored year («годом ранее») told from the year `anchor`."""
    hit = Phrases.of("dates", "anchored years").match(words.forms[found.start:found.end], 0)
    return replace(found, year=anchor + int(hit[1]))


class TimeLayer:
    """Sets the document's date and its year mentions (see the module docstring)."""

    def __call__(self, doc: Doc) -> Doc:
        if doc._.date is not None:
            doc._.date_source = "metadata"
        else:
            found = document_date(doc)
            if found is not None:
                doc._.date, doc._.date_source = found.isoformat(), "dateline"
        words = words_of_doc(doc)
        spans = []
        for mention in years(doc):
            span = words.span(mention.start, mention.end)
            label = "HORIZON" if mention.horizon else "RELATIVE" if mention.relative else "YEAR"
            span = Span(doc, span.start, span.end, label=label)
            span._.year = mention.year
            spans.append(span)
        doc.spans[SPANS_KEY] = spans
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


@Language.factory("rufakt_time", assigns=["doc._.date", "doc._.date_source",
                                          "doc.spans"])
def make_time_layer(nlp: Language, name: str) -> TimeLayer:
    return TimeLayer()
