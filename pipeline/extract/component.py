"""One spaCy component per predicate: `rufakt_holds_position`, `rufakt_route_volume`,
`rufakt_project_participant`, `rufakt_met_with`.

Each runs its predicate's extractor (a function `(doc, rules) -> Iterable[Fact]` over the
document layer, given the predicate's rules `pipeline/rules/<predicate>.yml` compiled for the
pipeline's vocabulary when it has its own) and adds the facts, deduplicated, to
`doc._.facts` in document order. Which predicates
run is the pipeline's business: `pipeline.load(predicates=[...])` or `nlp.select_pipes`.
"""

from collections.abc import Callable, Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from ..facts import PREDICATES, Fact, Provenance, deduplicate
from ..rules.engine import RuleSet, load_rules

Extractor = Callable[[Doc, "RuleSet | None"], Iterable[Fact]]
LAYER_REQUIRES = ["doc.spans", "token.dep", "token.morph", "doc.ents"]

if not Doc.has_extension("facts"):
    Doc.set_extension("facts", default=None)


def component_name(predicate: str) -> str:
    """The pipeline component of a predicate: "rufakt_" + predicate."""
    return f"rufakt_{predicate}"


def fact_order(fact: Fact) -> tuple:
    return (fact.evidence.start, fact.predicate, fact.subject.start)


class PredicateExtractor:
    """Adds one predicate's facts to `doc._.facts`; each fact's provenance lists this
    component after the layers it was built from."""

    def __init__(self, name: str, extract: Extractor, rules: RuleSet | None = None):
        self.name = name
        self.extract = extract
        self.rules = rules

    def __call__(self, doc: Doc) -> Doc:
        found = []
        for fact in self.extract(doc, self.rules):
            rule = fact.provenance.rule if fact.provenance else self.name
            components = [*(fact.provenance.components if fact.provenance else []), self.name]
            found.append(fact.model_copy(update={
                "provenance": Provenance(rule=rule, components=components)}))
        doc._.facts = sorted([*(doc._.facts or []), *deduplicate(found)], key=fact_order)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


def register(predicate: str, rules: bool = True) -> Callable[[Extractor], Extractor]:
    """Decorator: make `function` the extractor of `predicate`, run by the spaCy component
    `rufakt_<predicate>` with the rules of `pipeline/rules/<predicate>.yml` (unless `rules`
    is False: the entity layer runs holds_position's)."""
    if predicate not in PREDICATES:
        raise ValueError(f"unknown predicate {predicate!r}")

    def wrap(function: Extractor) -> Extractor:
        name = component_name(predicate)

        def make(nlp: Language, name: str) -> PredicateExtractor:
            compiled = RuleSet(nlp.vocab, load_rules(predicate)) if rules else None
            return PredicateExtractor(name, function, compiled)

        Language.factory(name, assigns=["doc._.facts"], requires=LAYER_REQUIRES,
                         func=make)
        return function

    return wrap


def facts_of(doc: Doc, predicate: str | None = None) -> list[Fact]:
    """The facts the pipeline found in a doc, of one predicate or of all."""
    return [f for f in doc._.facts or [] if predicate is None or f.predicate == predicate]
