"""HTML page -> article text, title and date, with trafilatura.

trafilatura keeps the main text and drops menus, footers, related-links blocks («Еще от автора»)
and, as asked here, reader comments; its metadata gives the title and publication date.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import cache

# trafilatura logs a warning or error for every page it finds nothing in ("discarding data",
# "empty HTML tree"): over a crawl that floods stderr, and our ReadError already says it once.
# An application that wants them can set the level back after importing this module.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Article:
    text: str
    title: str | None
    date: str | None  # ISO yyyy-mm-dd


@cache
def _trafilatura():
    """trafilatura, imported when the first page comes (0.1 s that folders of plain text
    never pay)."""
    import trafilatura

    return trafilatura


def extract_article(html: str) -> Article | None:
    """The article of an HTML page, or None when there is no main text in it."""
    result = _trafilatura().bare_extraction(
        html,
        include_comments=False,
        with_metadata=True,
        date_extraction_params={"extensive_search": True, "original_date": True},
    )
    if result is None or not (result.text or "").strip():
        return None
    title = (result.title or "").strip() or None
    date = result.date if result.date and _ISO_DATE.fullmatch(result.date) else None
    return Article(result.text, title, date)
