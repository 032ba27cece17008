"""Fact extractors: one module and one spaCy component per predicate, over the document layer.

An extractor is a function `(doc: Doc) -> Iterable[Fact]` registered with
`component.register(predicate)`; it never reads files. `evidence.py` turns spans into a
fact's mentions, evidence and provenance.
"""

from . import holds_position, met_with, project_participant, route_volume  # noqa: F401
from .component import component_name, facts_of

__all__ = ["component_name", "facts_of"]
