"""The spaCy component that runs every extractor and sets `Doc._.facts`."""

from collections.abc import Callable, Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from ..facts import Fact, deduplicate

Extractor = Callable[[Doc], Iterable[Fact]]
EXTRACTORS: dict[str, Extractor] = {}

if not Doc.has_extension("facts"):
    Doc.set_extension("facts", default=None)


def register(predicate: str) -> Callable[[Extractor], Extractor]:
    """Decorator: make `function` the extractor of `predicate`."""

    def wrap(function: Extractor) -> Extractor:
        EXTRACTORS[predicate] = function
        return function

    return wrap


def extract_facts(doc: Doc, predicates: Iterable[str] | None = None) -> list[Fact]:
    """All facts of a parsed doc, deduplicated, in document order."""
    _load_extractors()
    facts: list[Fact] = []
    for predicate in predicates or EXTRACTORS:
        facts.extend(EXTRACTORS[predicate](doc))
    return deduplicate(facts)


def _load_extractors() -> None:
    from . import holds_position, met_with, project_participant, route_volume  # noqa: F401  (they register themselves)


class FactExtractor:
    """Sets `doc._.facts` to the doc's facts (without doc_id; the caller adds it)."""

    def __init__(self, predicates: list[str] | None = None):
        self.predicates = predicates

    def __call__(self, doc: Doc) -> Doc:
        doc._.facts = extract_facts(doc, self.predicates)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


@Language.factory("rufakt_facts", default_config={"predicates": None})
def make_fact_extractor(nlp: Language, name: str, predicates: list[str] | None):
    return FactExtractor(predicates)
