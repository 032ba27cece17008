"""holds_position: a named person holds a post in a country or an organisation.

The entity layer links people to their posts by the rules of
`pipeline/rules/holds_position.yml` (`layers/entities.py`); each link is a fact. A post with
no name («отметил министр энергетики Казахстана») refers to someone already named and gives
no fact; nor does a person without a post. One person's two posts at one place are two
facts, unless one is a shorter telling of the other («директор», «генеральный директор»).
"""

from collections.abc import Iterator

from spacy.tokens import Doc

from ..facts import Fact
from ..layers.entities import Holding, holdings, layer, variant_of
from .component import register
from .evidence import evidence, mention, provenance


def _qualifiers(holding) -> dict:
    found = {"position": holding.post.title}
    if holding.post.status:
        found["status"] = holding.post.status
    return found


def _distinct_posts(found: list[Holding], place_of) -> list[Holding]:
    """A person's posts at one place, each once: a shorter telling of a post the person is
    given more fully («директор» beside «генеральный директор») is not another post.
    `place_of` names a holding's place as the facts do (aliases resolved)."""
    kept = []
    for holding in found:
        same_place = [other for other in found if other is not holding
                      and other.person.normal == holding.person.normal
                      and place_of(other) == place_of(holding)]
        if not any(variant_of(holding.post.title, other.post.title)
                   and other.post.title != holding.post.title for other in same_place):
            kept.append(holding)
    return kept


@register("holds_position", rules=False)
def extract(doc: Doc, rules: None = None) -> Iterator[Fact]:
    entities = layer(doc)
    for holding in _distinct_posts(holdings(doc), lambda h: entities.named(h.affiliation)[0]):
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
