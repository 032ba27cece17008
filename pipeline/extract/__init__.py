"""Relation extractors: one module per predicate, run over a parsed spaCy `Doc`.

An extractor is a function `(doc: Doc) -> Iterable[Fact]` registered in `EXTRACTORS`; it never
reads files. Shared building blocks live beside them: `spans.py` (mentions and evidence),
`quantities.py`, `dates.py`, `persons.py`, `positions.py`.
"""

from .component import EXTRACTORS, extract_facts

__all__ = ["EXTRACTORS", "extract_facts"]
