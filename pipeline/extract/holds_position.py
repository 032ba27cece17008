"""holds_position: a named person holds a post in a country or an organisation.

The entity layer links people to their posts by the rules of
`pipeline/rules/holds_position.yml` (`layers/entities.py`); each link is a fact. A post with
no name («отметил министр энергетики Казахстана») refers to someone already named and gives
no fact; nor does a person without a post.
"""

from collections.abc import Iterator

from spacy.tokens import Doc

from ..facts import Fact
from ..layers.entities import holdings, layer
from .component import register
from .evidence import evidence, mention, provenance


def _qualifiers(holding) -> dict:
    found = {"position": holding.post.title}
    if holding.post.status:
        found["status"] = holding.post.status
    return found


@register("holds_position", rules=False)
def extract(doc: Doc, rules: None = None) -> Iterator[Fact]:
    entities = layer(doc)
    for holding in holdings(doc):
        place = holding.affiliation
        normal, aliases = entities.named(place)
        yield Fact(
            predicate="holds_position",
            subject=mention(holding.mention, "PER", normal=holding.person.normal),
            object=mention(place.span, place.type, normal=normal, aliases=aliases or None),
            qualifiers=_qualifiers(holding),
            evidence=evidence(doc, holding.mention, place.span),
            confidence=holding.confidence,
            provenance=provenance(holding.rule, "rufakt_entities"),
            doc_date=doc._.date,
        )
