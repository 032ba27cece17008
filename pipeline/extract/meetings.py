"""Extractor stub: replaced by the real extractor."""

from collections.abc import Iterator

from spacy.tokens import Doc

from ..facts import Fact
from .component import register


@register("met_with")
def extract(doc: Doc) -> Iterator[Fact]:
    return iter(())
