"""Tables in text: markdown tables («| Направление | 2025 | 2024 |») and fixed-width ones
(columns apart by two or more spaces), with the unit from the caption and a year per column.

A table is a run of at least two rows under a header that names years («2023», «2024*»,
«2025 (прогноз)»). Each row's cells are aligned to the header's columns (markdown by position,
fixed-width by where the cells end); a column's status is `forecast` when its header or a
footnote marks it an estimate or forecast, `planned` for a plan, else `actual`. The unit and
scale come from the caption or the header («Январь – октябрь, млн тонн», «(млн кВт·ч)»).
What a row is about (a route, in `route_volume`) is the reader's business.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..lexicon import Phrases, word_forms, words_of
from .quantities import find_quantities

YEAR_CELL = re.compile(r"^((?:19|20)\d\d)\s*(\**)\s*(?:\(([^)]*)\))?\s*(г\.?|год)?$")
NUMBER_CELL = re.compile(r"^\d{1,3}(?:[  ]\d{3})*(?:[.,]\d+)?$|^\d+(?:[.,]\d+)?$")
FIXED_SPLIT = re.compile(r"\S(?:.*?\S)?(?=\s{2,}|\s*$)")
RULE_LINE = re.compile(r"^[\s|:+\-–—=_]+$")
CAPTION_LINES = 4  # lines above a table that may give its unit
FOOTNOTE_LINES = 6  # lines below it that may explain a column's mark («* Оценка …»)


@dataclass(frozen=True)
class Cell:
    """A cell: its text and where it is in the document (characters)."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Column:
    year: int
    status: str  # actual | planned | forecast


@dataclass(frozen=True)
class Table:
    """A table's rows (cells in text order), its year columns by cell index, and its unit:
    (factor, base unit, commodity the unit implies)."""

    rows: list[list[Cell]]
    columns: dict[int, Column]
    unit: tuple[float, str, str | None]
    caption: str


def _lines(text: str) -> list[tuple[int, str]]:
    found, start = [], 0
    for line in text.split("\n"):
        found.append((start, line))
        start += len(line) + 1
    return found


def _markdown_cells(start: int, line: str) -> list[Cell] | None:
    if line.count("|") < 2:
        return None
    cells, position = [], 0
    parts = line.split("|")
    for index, part in enumerate(parts):
        if index in (0, len(parts) - 1) and not part.strip():
            position += len(part) + 1
            continue
        stripped = part.strip()
        offset = part.find(stripped) if stripped else 0
        cells.append(Cell(stripped, start + position + offset,
                          start + position + offset + len(stripped)))
        position += len(part) + 1
    return cells


def _fixed_cells(start: int, line: str) -> list[Cell]:
    return [Cell(m.group(), start + m.start(), start + m.end())
            for m in FIXED_SPLIT.finditer(line) if m.group().strip()]


def _column_status(mark: str, note: str, footnotes: list[str]) -> str:
    words = note.lower()
    if mark:
        words += " " + " ".join(line.lower() for line in footnotes
                                if line.lstrip().startswith(mark))
    if re.search(r"прогноз|оценк|ожида", words):
        return "forecast"
    if re.search(r"план|цел", words):
        return "planned"
    return "actual"


def _year_columns(header: list[Cell], footnotes: list[str]) -> dict[int, Column]:
    columns = {}
    for index, cell in enumerate(header):
        match = YEAR_CELL.match(cell.text)
        if match:
            year, mark, note = int(match.group(1)), match.group(2), match.group(3) or ""
            columns[index] = Column(year, _column_status(mark, note, footnotes))
    return columns


def _unit(lines: list[str]) -> tuple[float, str, str | None] | None:
    """The unit a caption gives: «млн тонн» → (1000000, "t", None)."""
    for line in lines:
        words = words_of(line)
        for at in range(len(words)):
            found = find_quantities(["1", *words[at:at + 5]],
                                    [word_forms("1"), *(word_forms(w) for w in words[at:at + 5])])
            if found and found[0].start == 0:
                return found[0].value, found[0].unit, found[0].commodity
    return None


def find_tables(text: str) -> Iterator[Table]:
    """The tables of a text with year columns and a unit (see the module docstring)."""
    lines = _lines(text)
    index = 0
    while index < len(lines):
        start, line = lines[index]
        markdown = _markdown_cells(start, line)
        header = markdown if markdown is not None else _fixed_cells(start, line)
        footnotes = [text for _, text in lines[index + 1:index + 40]]
        columns = _year_columns(header, footnotes) if len(header) >= 2 else {}
        if not columns:
            index += 1
            continue
        rows, following = [], index + 1
        while following < len(lines):
            row_start, row_line = lines[following]
            if not row_line.strip():
                break
            if RULE_LINE.match(row_line):
                following += 1
                continue
            cells = (_markdown_cells(row_start, row_line) if markdown is not None
                     else _fixed_cells(row_start, row_line))
            if not cells or len(cells) < 2:
                break
            rows.append(_aligned(cells, row_start, header, start, markdown is not None))
            following += 1
        caption_lines = [text for _, text in lines[max(0, index - CAPTION_LINES):index]]
        unit = _unit(caption_lines + [line])
        if len(rows) >= 1 and unit is not None:
            below = [text for _, text in lines[following:following + FOOTNOTE_LINES]]
            yield Table(rows, _year_columns(header, below + footnotes), unit,
                        "\n".join(caption_lines))
        index = following


def _aligned(cells: list[Cell], row_start: int, header: list[Cell], header_start: int,
             markdown: bool) -> list[Cell]:
    """A row's cells by header column: markdown by position, fixed-width by the header cell
    whose right edge (in its line) is nearest the cell's."""
    if markdown or len(cells) == len(header):
        return cells
    row = [Cell("", 0, 0)] * len(header)
    row[0] = cells[0]
    ends = [cell.end - header_start for cell in header]
    for cell in cells[1:]:
        edge = cell.end - row_start
        column = min(range(1, len(header)), key=lambda i: abs(ends[i] - edge))
        row[column] = cell
    return row


def cell_value(cell: Cell) -> float | None:
    """The number a cell holds («1 820», «2,35»), or None («–», empty)."""
    text = cell.text.replace(" ", "").replace(" ", "").replace(",", ".")
    if not NUMBER_CELL.match(cell.text.strip()):
        return None
    try:
        return float(text)
    except ValueError:
        return None


def commodity_of(caption: str) -> str | None:
    """A commodity the caption names («Экспорт зерна …» → зерно)."""
    words = words_of(caption)
    hits = Phrases.of("commodities", "commodities").find([word_forms(w) for w in words])
    for _, _, value in hits:
        if value != "-":
            return value
    return None
