"""Mentions to nodes, and the evidence within one document that two names are one entity.

Across documents, names meet only through their keys (the same normalised full name, the
same organisation name without legal form, the same country, the same waypoint chain) and
the gazetteer. Within a document, three kinds of evidence add an edge between two names:
an abbreviation used for a full name (a mention's text «КМГ» with the normal «КазМунайГаз»,
a gold record's `aliases`, or a definition in the text «… банк развития (ЕАБР)»), and a
person named by surname or initials next to the one full name of the document it fits.
"""

import re
from collections.abc import Iterable

from ..evaluate.names import first_names_agree, parse_person
from ..evaluate.text import content_lemmas, same_lemmas
from .gazetteer import Gazetteer
from .names import (
    Node,
    is_abbreviation,
    organisation_name,
    person_node,
    plain_node,
    route_node,
    split_abbreviation,
)
from .records import Mention, Statement

KIND_TYPE = {"per": "PER", "org": "ORG", "country": "LOC", "place": "LOC", "route": "ROUTE",
             "project": "PROJECT"}
DEFINITION_RE = re.compile(r"((?:[«\"]?[\w-]+[»\"]?\s+){1,8}?)\(([A-ZА-ЯЁ]{2,8})\)")
SMALL_WORDS = {"и", "по", "в", "на", "для", "с", "of", "and"}
Edge = tuple[str, str, str]  # node key, node key, why


def mention_node(mention: Mention, doc_id: str, gaz: Gazetteer) -> Node:
    """The node a subject or object names."""
    kind = mention.type
    if kind == "PER":
        return person_node(mention.normal, doc_id)
    if kind == "ROUTE":
        return gaz.canonical(route_node(mention.normal, list(mention.waypoints)))
    if kind in ("LOC", "ORG"):
        name = organisation_name(mention.normal) if kind == "ORG" else mention.normal
        country = gaz.country(name)
        if country is not None:
            return country
    node_kind = {"LOC": "place", "ORG": "org", "PROJECT": "project"}[kind]
    return gaz.canonical(plain_node(node_kind, mention.normal))


def alias_node(kind: str, name: str, gaz: Gazetteer) -> Node:
    """The node of another name of an entity of `kind`."""
    if kind == "route":
        return gaz.canonical(route_node(name, None))
    if kind in ("country", "place"):
        return gaz.country(name) or gaz.canonical(plain_node("place", name))
    return gaz.country(name) if kind == "org" and gaz.country(name) else gaz.canonical(
        plain_node(kind, name))


def spells(abbreviation: str, words: list[str]) -> bool:
    """Each word (but «и», «по» …) gives the next letter of the abbreviation with its first
    letter, and may give the following ones with later letters of its own, in order
    («Евразийский банк развития» → ЕАБР, «КазМунайГаз» → КМГ)."""
    letters = abbreviation.lower()
    words = [w.strip("«»\"").lower() for w in words if w.strip("«»\"")]
    if not words:
        return not letters
    word, rest = words[0], words[1:]
    if word in SMALL_WORDS and spells(abbreviation, rest):
        return True
    if not letters or word[0] != letters[0]:
        return False
    used, position = 1, 0
    while True:
        if spells(letters[used:], rest):
            return True
        if used == len(letters):
            return False
        position = word.find(letters[used], position + 1)
        if position < 0:
            return False
        used += 1


def definitions(text: str) -> list[tuple[str, str]]:
    """(long form as written, abbreviation) for «Евразийского банка развития (ЕАБР)»: the
    shortest run of words before the bracket whose initials spell the abbreviation."""
    found = []
    for match in DEFINITION_RE.finditer(text):
        words, abbreviation = match.group(1).split(), match.group(2)
        for size in range(1, len(words) + 1):
            if spells(abbreviation, words[-size:]):
                found.append((" ".join(words[-size:]), abbreviation))
                break
    return found


def document_edges(doc_id: str, pairs: Iterable[tuple[Mention, Node]], text: str | None,
                   gaz: Gazetteer) -> tuple[list[Node], list[Edge]]:
    """Extra nodes (abbreviations) and edges that one document's mentions and text give."""
    pairs = list(pairs)
    nodes: list[Node] = []
    edges: list[Edge] = []
    named = {}  # node key → (mention, node) for organisations, projects and routes
    for mention, node in pairs:
        if node.kind in ("org", "project", "route", "place"):
            named.setdefault(node.key, (mention, node))
            names = list(mention.aliases)
            abbreviation = split_abbreviation(mention.normal)[1]
            if abbreviation:
                names.append(abbreviation)
            if mention.text and is_abbreviation(mention.text):
                names.append(mention.text)
            for name in names:
                other = alias_node(node.kind, name, gaz)
                if other.key != node.key and other.kind == node.kind:
                    nodes.append(other)
                    edges.append((node.key, other.key, "alias"))
    if text:
        for long_form, abbreviation in definitions(text):
            lemmas = content_lemmas(long_form)
            for mention, node in named.values():
                if node.kind in ("org", "project") and not node.abbreviation and same_lemmas(
                        lemmas, content_lemmas(organisation_name(mention.normal))):
                    other = alias_node(node.kind, abbreviation, gaz)
                    if other.key != node.key:
                        nodes.append(other)
                        edges.append((node.key, other.key, "definition"))
    edges.extend(_person_edges([node for _, node in pairs if node.kind == "per"]))
    return nodes, edges


def _person_edges(persons: list[Node]) -> list[Edge]:
    """A surname or initials joins the one full name of its document it fits."""
    full = {node.key: parse_person(node.display) for node in persons if not node.partial}
    edges = []
    for node in {n.key: n for n in persons if n.partial}.values():
        name = parse_person(node.display)
        fits = [key for key, other in full.items() if other.surname == name.surname
                and first_names_agree(other.first, name.first)]
        if len(fits) == 1:
            edges.append((node.key, fits[0], "surname"))
    return edges


def statement_nodes(statement: Statement, gaz: Gazetteer) -> tuple[Node, Node | None]:
    """The subject's and object's nodes (None for a quantity)."""
    subject = mention_node(statement.subject, statement.doc_id, gaz)
    if statement.object.type == "QUANTITY":
        return subject, None
    return subject, mention_node(statement.object, statement.doc_id, gaz)
