"""Scoring holds_position against a BRAT corpus annotated with NEREL's conventions.

NEREL marks persons (PERSON), posts (PROFESSION) and places of work (ORGANIZATION, COUNTRY,
CITY, ...) as entities, and ties them with WORKS_AS (PERSON → PROFESSION) and WORKPLACE
(PERSON or PROFESSION → place). A gold holds_position fact is a (person, post, place) triple:

- WORKS_AS(person, post) with WORKPLACE(post, place): one fact per place;
- WORKS_AS(person, post) where the post has no WORKPLACE: the person's own WORKPLACEs;
- mentions joined by ALTERNATIVE_NAME or ABBREVIATION relations (or `*` Equiv lines) are one
  entity, and triples of the same person, place and post (its words outside the place's
  name) are one fact.

A post without a place is not a holds_position fact under our guidelines and is only
counted in a note. A WORKPLACE of a person with no post annotated is a fact we cannot
score: a prediction that matches it (person and place) is neither a hit nor an error.

A predicted fact matches a gold fact when its person, post and place all agree:
- person: the predicted subject overlaps one of the gold person's mentions, or their names
  agree (same surname lemma, first names that agree: `pipeline.evaluate.names`);
- place: the predicted object overlaps one of the place's mentions, or the names agree by
  the FactRuEval place rule (lemma sets, with the words of the post allowed to carry the
  place: «президент США» @ США);
- post: every word of the predicted position is a word of the gold post, and the gold post's
  other words name the place or the status («министра энергетики Казахстана» = «министр
  энергетики» @ Казахстан; «экс-президента» = «президент», former).
Matching is one to one and greedy per document; other predicates are not scored.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..review.brat import Annotations, BratDoc, Entity
from .factru_match import same_gold_place
from .greedy import greedy_match
from .names import first_names_agree, parse_person
from .report import Report
from .text import Lemmas, content_lemmas, norm_text, uncovered

WORKS_AS, WORKPLACE = "WORKS_AS", "WORKPLACE"
SAME_ENTITY = ("ALTERNATIVE_NAME", "ABBREVIATION")
STATUS_WORDS = "экс бывший исполняющий обязанности врио временно"


@dataclass(frozen=True)
class GoldPost:
    """One gold holds_position: the person's and the place's mentions, and the post."""

    person: tuple[Entity, ...]
    post: Entity
    place: tuple[Entity, ...]
    relations: tuple[str, ...]


@dataclass(frozen=True)
class GoldWorkplace:
    """A WORKPLACE of a person with no post annotated: not scored either way."""

    person: tuple[Entity, ...]
    place: tuple[Entity, ...]


def _clusters(annotations: Annotations) -> dict[str, tuple[Entity, ...]]:
    """Entity id → every mention of the same entity."""
    parent = {tid: tid for tid in annotations.entities}

    def root(tid: str) -> str:
        while parent[tid] != tid:
            parent[tid] = parent[parent[tid]]
            tid = parent[tid]
        return tid

    groups = [(r.arg1, r.arg2) for r in annotations.relations if r.type in SAME_ENTITY]
    groups += [ids for ids in annotations.equivalences]
    for ids in groups:
        known = [tid for tid in ids if tid in parent]
        for tid in known[1:]:
            parent[root(tid)] = root(known[0])
    members: dict[str, list[Entity]] = {}
    for tid, entity in annotations.entities.items():
        members.setdefault(root(tid), []).append(entity)
    return {tid: tuple(sorted(members[root(tid)], key=lambda e: e.start)) for tid in parent}


def gold_posts(annotations: Annotations) -> tuple[list[GoldPost], list[GoldWorkplace], int]:
    """The gold holds_position facts of one document, the WORKPLACEs of persons without a
    post, and the number of posts without a place."""
    cluster = _clusters(annotations)
    key = {tid: min(e.id for e in mentions) for tid, mentions in cluster.items()}
    works_as = [r for r in annotations.relations if r.type == WORKS_AS]
    workplace: dict[str, list[str]] = {}
    for relation in annotations.relations:
        if relation.type == WORKPLACE:
            workplace.setdefault(key[relation.arg1], []).append(relation.arg2)
    facts: dict[tuple, GoldPost] = {}
    placeless = 0
    for relation in works_as:
        person, post = relation.arg1, annotations.entities[relation.arg2]
        places = workplace.get(key[post.id]) or workplace.get(key[person]) or []
        if not places:
            placeless += 1
        for place in places:
            post_words = _post_words(post.text, cluster[place])
            fact_key = (key[person], key[place], post_words)
            if fact_key not in facts:
                facts[fact_key] = GoldPost(cluster[person], post, cluster[place], (relation.id,))
    persons = {key[r.arg1] for r in works_as}
    no_post = [
        GoldWorkplace(cluster[person], cluster[place])
        for person, places in workplace.items()
        if person not in persons
        and annotations.entities[person].type == "PERSON"
        for place in places
    ]
    return list(facts.values()), no_post, placeless


def _post_words(post: str, place: tuple[Entity, ...]) -> frozenset:
    place_words = tuple(w for e in place for w in content_lemmas(e.text))
    return frozenset(uncovered(content_lemmas(post), place_words))


def _overlaps(entity: Entity, mention: dict[str, Any] | None) -> bool:
    start, end = (mention or {}).get("start"), (mention or {}).get("end")
    if not isinstance(start, int) or not isinstance(end, int):
        return False
    return any(max(a, start) < min(b, end) for a, b in entity.spans)


def same_person_mention(mention: str, predicted: str | None) -> bool:
    """A gold person mention, maybe inflected («Билла Клинтона»), against a predicted
    normal form («Билл Клинтон»): the same surname lemma and first names that agree."""
    if not predicted:
        return False
    if norm_text(mention) == norm_text(predicted):
        return True
    gold, pred = parse_person(mention), parse_person(predicted)
    if pred.surname not in _forms(gold.surname):
        return False
    if gold.first is None or pred.first is None:
        return True
    return any(first_names_agree(form, pred.first) for form in _forms(gold.first))


def _forms(word: str) -> set[str]:
    lemmas = content_lemmas(word)
    return {word, *(lemmas[0] if lemmas else ())}


def same_post(gold_post: str, position: str | None, place: Iterable[str]) -> bool:
    """Every word of the predicted position is in the gold post, and the post's other words
    name the place or a status («экс», «исполняющий обязанности»)."""
    predicted, gold = content_lemmas(position), content_lemmas(gold_post)
    if not predicted or uncovered(predicted, gold):
        return False
    allowed: Lemmas = tuple(w for text in (*place, STATUS_WORDS) for w in content_lemmas(text))
    return not uncovered(uncovered(gold, predicted), allowed)


def _person_agrees(person: tuple[Entity, ...], fact: dict[str, Any]) -> bool:
    subject = fact.get("subject") or {}
    normal = subject.get("normal") or subject.get("text")
    return any(_overlaps(m, subject) or same_person_mention(m.text, normal) for m in person)


def _place_agrees(place: tuple[Entity, ...], post: str, fact: dict[str, Any]) -> bool:
    obj = fact.get("object") or {}
    normal = obj.get("normal") or obj.get("text")
    position = (fact.get("qualifiers") or {}).get("position")
    return any(_overlaps(m, obj) or same_gold_place([m.text], [post], normal, position)
               for m in place)


def _rank(gold: GoldPost, fact: dict[str, Any]) -> int | None:
    position = (fact.get("qualifiers") or {}).get("position")
    if not _person_agrees(gold.person, fact):
        return None
    if not _place_agrees(gold.place, gold.post.text, fact):
        return None
    if not same_post(gold.post.text, position, [m.text for m in gold.place]):
        return None
    return 0


def _unscorable(workplaces: list[GoldWorkplace], fact: dict[str, Any]) -> bool:
    return any(_person_agrees(w.person, fact) and _place_agrees(w.place, "", fact)
               for w in workplaces)


def gold_fact(doc_id: str, gold: GoldPost) -> dict[str, Any]:
    """A gold triple in the shape of our facts (for the report)."""
    person, place = gold.person[0], gold.place[0]
    return {
        "doc_id": doc_id, "predicate": "holds_position",
        "subject": {"text": person.text, "normal": person.text, "type": "PER"},
        "object": {"text": place.text, "normal": place.text, "type": place.type},
        "qualifiers": {"position": gold.post.text, "brat": "+".join(gold.relations)},
    }


def evaluate_brat(docs: Iterable[BratDoc], pred_facts: Iterable[dict[str, Any]]) -> Report:
    """Score predicted holds_position facts against the documents' NEREL-style gold."""
    docs = list(docs)
    report = Report()
    predicted: dict[str, list[dict[str, Any]]] = {doc.doc_id: [] for doc in docs}
    for fact in pred_facts:
        group = predicted.get(str(fact.get("doc_id")))
        if group is None or fact.get("predicate") != "holds_position":
            report.unscored += 1
        else:
            group.append(fact)
    placeless = no_post = ignored = 0
    for doc in docs:
        posts, workplaces, without_place = gold_posts(doc.annotations)
        placeless += without_place
        no_post += len(workplaces)
        preds = predicted[doc.doc_id]
        pairs = greedy_match(posts, preds, _rank)
        matched = {p for _, p, _ in pairs}
        kept = [f for i, f in enumerate(preds) if i in matched or not _unscorable(workplaces, f)]
        ignored += len(preds) - len(kept)
        pairs = greedy_match(posts, kept, _rank)
        report.add("holds_position", [gold_fact(doc.doc_id, g) for g in posts], kept, pairs)
    report.unscored += ignored
    report.notes += [
        f"BRAT documents: {len(docs)}",
        f"posts without a place (WORKS_AS only, not holds_position facts): {placeless}",
        f"workplaces of persons without a post (not scored): {no_post}; predictions "
        f"matching them, left unscored: {ignored}",
    ]
    return report
