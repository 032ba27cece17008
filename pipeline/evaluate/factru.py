"""FactRuEval-2016 (real news with gold facts): loading it and scoring our facts against it.

Only `Occupation` (→ holds_position) and `Meeting` (→ met_with) facts are used.
The scoring rules are in `evaluate_factru`.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .factru_match import same_gold_person, same_gold_place, same_position
from .greedy import greedy_match
from .match import normal_of, qualifier
from .names import SURNAME_PARTICLES, is_patronymic
from .report import Accuracy, Report

REF_RE = re.compile(r"^(obj|span)(\d+)(?: (.*))?$")
HEADER_RE = re.compile(r"^(\S+) (\S+)$")
SCORED = ("holds_position", "met_with")
NO_WHERE_RANK = 2
FIELD_ALIASES = {"Фаза": "Phase", "Модальность": "Modality", "Сложность": "Difficulty"}


@dataclass(frozen=True)
class FactruPerson:
    """A gold person: `normal` as in .facts ("Лужков Юрий"), name parts from .coref."""

    normal: str
    surnames: tuple[str, ...]
    first: str | None


@dataclass(frozen=True)
class FactruOccupation:
    """A gold Occupation: `who` as in .facts, `where`/`position` the first of their
    alternatives (`*_variants` hold them all; Position is a text span, often oblique)."""

    fact_id: str
    who: str
    person: FactruPerson
    where: str | None
    where_variants: tuple[str, ...]
    position: str | None
    position_variants: tuple[str, ...]
    phase: str | None = None
    modality: str | None = None


@dataclass(frozen=True)
class FactruMeeting:
    """A gold Meeting: participant normals as in .facts, and their name parts."""

    fact_id: str
    participants: tuple[str, ...]
    persons: tuple[FactruPerson, ...]


@dataclass
class FactruDoc:
    """One article: doc_id is the .txt file name ("book_100.txt")."""

    doc_id: str
    text: str
    occupations: list[FactruOccupation]
    meetings: list[FactruMeeting]


@dataclass(frozen=True)
class _Field:
    """One argument line of a .facts block: the referenced ids and all their texts."""

    name: str
    refs: tuple[str, ...]
    texts: tuple[str, ...]


def _parse_field(line: str) -> _Field:
    name, _, rest = line.partition(" ")
    refs: list[str] = []
    texts: list[str] = []
    for part in rest.split(" | "):
        match = REF_RE.match(part.strip())
        if match:
            refs.append(match.group(1) + match.group(2))
            part = match.group(3) or ""
        if part.strip():
            texts.append(part.strip())
    return _Field(FIELD_ALIASES.get(name, name), tuple(refs), tuple(texts))


def _blocks(path: Path) -> Iterator[list[str]]:
    block: list[str] = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        if line.strip():
            block.append(line.rstrip())
        elif block:
            yield block
            block = []
    if block:
        yield block


def read_facts_file(path: Path) -> list[tuple[str, str, list[_Field]]]:
    """(fact_id, type, fields) of every block of a .facts file, exact duplicates dropped."""
    facts = []
    seen = set()
    for block in _blocks(path):
        header = HEADER_RE.match(block[0])
        if not header:
            continue
        fact = (header.group(1), header.group(2), [_parse_field(line) for line in block[1:]])
        key = (fact[0], fact[1], tuple(fact[2]))
        if key not in seen:
            seen.add(key)
            facts.append(fact)
    return facts


def read_coref(path: Path) -> dict[str, dict[str, list[str]]]:
    """Entity id ("obj48") → attributes (firstname, lastname, lastname1, …) from .coref."""
    entities: dict[str, dict[str, list[str]]] = {}
    if not path.exists():
        return entities
    for block in _blocks(path):
        attrs: dict[str, list[str]] = {}
        for line in block[1:]:
            key, _, value = line.partition(" ")
            if value.strip():
                attrs.setdefault(key, []).append(value.strip())
        entities["obj" + block[0].split()[0]] = attrs
    return entities


def _person(field: _Field, coref: dict[str, dict[str, list[str]]]) -> FactruPerson:
    normal = field.texts[0] if field.texts else ""
    attrs = coref.get(field.refs[0], {}) if field.refs else {}
    surnames = [v for key in ("lastname", "lastname1") for v in attrs.get(key, [])]
    first = (attrs.get("firstname") or [None])[0]
    words = normal.split()
    if not attrs:
        return FactruPerson(normal, tuple(words[:1]), words[1] if len(words) > 1 else None)
    # .facts writes "Фамилия Имя"; when .coref disagrees («Филат» for «Филатов Влад»),
    # accept both surnames, unless the first word is a particle, patronymic or first name
    head = words[0] if len(words) > 1 and surnames else None
    if head and head not in surnames and head != first and _may_be_surname(head):
        surnames.append(head)
    return FactruPerson(normal, tuple(surnames), first)


def _may_be_surname(word: str) -> bool:
    word = word.lower()
    return word not in SURNAME_PARTICLES and not is_patronymic(word)


def _first(fields: list[_Field], name: str) -> _Field | None:
    return next((field for field in fields if field.name == name), None)


def _texts(fields: list[_Field], *names: str) -> tuple[str, ...]:
    return tuple(text for field in fields if field.name in names for text in field.texts)


def _occupation(fact_id: str, fields: list[_Field], coref: dict) -> FactruOccupation | None:
    who = _first(fields, "Who")
    if who is None:
        return None
    person = _person(who, coref)
    where = _texts(fields, "Where")
    position = _texts(fields, "Position", "Job")
    phase, modality = _texts(fields, "Phase"), _texts(fields, "Modality")
    return FactruOccupation(
        fact_id=fact_id,
        who=person.normal,
        person=person,
        where=where[0] if where else None,
        where_variants=where,
        position=position[0] if position else None,
        position_variants=position,
        phase=phase[0] if phase else None,
        modality=modality[0] if modality else None,
    )


def _meeting(fact_id: str, fields: list[_Field], coref: dict) -> FactruMeeting:
    persons = tuple(_person(field, coref) for field in fields if field.name == "Participant")
    return FactruMeeting(fact_id, tuple(person.normal for person in persons), persons)


def _doc_paths(folder: str | Path) -> list[Path]:
    def number(path: Path) -> tuple[int, str]:
        digits = re.sub(r"\D", "", path.stem)
        return (int(digits) if digits else 0, path.stem)

    return sorted(Path(folder).glob("*.txt"), key=number)


def factru_texts(folder: str | Path) -> Iterator[tuple[str, str]]:
    """(doc_id, text) of every article, doc_id being the file name ("book_100.txt")."""
    for path in _doc_paths(folder):
        if path.with_suffix(".facts").exists():
            yield path.name, path.read_text(encoding="utf-8-sig")


def load_factru(folder: str | Path) -> list[FactruDoc]:
    """Every article of a FactRuEval folder with its gold Occupation and Meeting facts."""
    docs = []
    for doc_id, text in factru_texts(folder):
        path = Path(folder) / doc_id
        coref = read_coref(path.with_suffix(".coref"))
        occupations, meetings = [], []
        for fact_id, kind, fields in read_facts_file(path.with_suffix(".facts")):
            if kind == "Occupation":
                occupation = _occupation(fact_id, fields, coref)
                if occupation is not None:
                    occupations.append(occupation)
            elif kind == "Meeting":
                meetings.append(_meeting(fact_id, fields, coref))
        docs.append(FactruDoc(doc_id, text, occupations, meetings))
    return docs


def _person_fact(person: FactruPerson) -> dict[str, Any]:
    return {"text": person.normal, "normal": person.normal, "type": "PER"}


def occupation_fact(doc_id: str, occupation: FactruOccupation) -> dict[str, Any]:
    """A gold Occupation in the shape of our holds_position facts (for reports)."""
    place = occupation.where
    return {
        "doc_id": doc_id,
        "predicate": "holds_position",
        "subject": _person_fact(occupation.person),
        "object": {"text": place, "normal": place, "type": "ORG"} if place else None,
        "qualifiers": {"position": occupation.position, "factru_id": occupation.fact_id},
    }


def meeting_pairs(meeting: FactruMeeting) -> list[tuple[FactruPerson, FactruPerson]]:
    """Every unordered pair of participants of a gold Meeting."""
    persons = meeting.persons
    return [(a, b) for index, a in enumerate(persons) for b in persons[index + 1 :]]


def pair_fact(doc_id: str, meeting: FactruMeeting, a: FactruPerson, b: FactruPerson) -> dict:
    """A gold meeting pair in the shape of our met_with facts (for reports)."""
    return {
        "doc_id": doc_id,
        "predicate": "met_with",
        "subject": _person_fact(a),
        "object": _person_fact(b),
        "qualifiers": {"factru_id": meeting.fact_id},
    }


def _is_person(person: FactruPerson, predicted: dict[str, Any] | None) -> bool:
    return same_gold_person(person.normal, person.surnames, person.first, normal_of(predicted))


def _occupation_rank(occupation: FactruOccupation, pred: dict[str, Any]) -> int | None:
    if not _is_person(occupation.person, pred.get("subject")):
        return None
    position = qualifier(pred, "position")
    if occupation.where is None:
        return NO_WHERE_RANK
    names = [normal_of(pred.get("object")), *((pred.get("object") or {}).get("aliases") or [])]
    if not any(same_gold_place(occupation.where_variants, occupation.position_variants, name,
                               position) for name in names):
        return None
    return 0 if same_position(occupation.position_variants, position) else 1


def _pair_rank(gold: tuple[FactruPerson, FactruPerson], pred: dict[str, Any]) -> int | None:
    a, b = gold
    c, d = pred.get("subject"), pred.get("object")
    if (_is_person(a, c) and _is_person(b, d)) or (_is_person(a, d) and _is_person(b, c)):
        return 0
    return None


def evaluate_factru(docs: Iterable[FactruDoc], pred_facts: Iterable[dict[str, Any]]) -> Report:
    """Score predicted holds_position and met_with facts against FactRuEval gold.

    - holds_position ↔ Occupation: the person matches Who and the object matches Where.
      Person: the gold surname (from .coref; the surname written in .facts too when they
      differ) equals our last name word (patronymics, «оглы», particles ignored) and
      the first names agree (equal, an initial, or missing on either side); or our
      name is written surname first with both parts equal; a gold person without
      surname (Марк, «Аун Сан») matches a name that begins with the gold words.
      Where: equal content-lemma sets for any of the gold alternatives (`a | b`), with
      Россия/РФ/Российская Федерация, США/Соединённые Штаты (Америки),
      Беларусь/Белоруссия, Евросоюз/ЕС/Европейский союз folded together; or one set
      strictly contains the other and the extra lemmas all occur in the other side's
      position («глава администрации» @ США = «главой» @ «администрация США»; «директор»
      @ РАН ≠ «директор» @ «Институт … РАН»); or the gold Where is a government body of
      the predicted country («МИД РФ», «японский МИД» = «Россия», «Япония»: our guidelines
      name the country of a national post, FactRuEval often its ministry).
      A gold Occupation without Where (one in the dev set) is matched by any predicted
      holds_position of that person, after all the Where matches are made.
      Position agreement (same lemma set as a gold Position) is reported, not required.
    - met_with ↔ Meeting: each unordered pair of participants of a gold Meeting is one
      gold fact; a predicted pair matches if both persons match, in either order.
    - Matching is one-to-one and greedy per document; every unmatched predicted
      holds_position/met_with fact of a gold document is a false positive (whether or
      not its person occurs in the gold); facts of other predicates or other documents
      are counted as unscored.
    """
    docs = list(docs)
    report = Report()
    by_doc = {doc.doc_id: doc for doc in docs}
    grouped: dict[str, dict[str, list[dict[str, Any]]]] = {
        doc.doc_id: {predicate: [] for predicate in SCORED} for doc in docs
    }
    for fact in pred_facts:
        group = grouped.get(str(fact.get("doc_id")), {}).get(str(fact.get("predicate")))
        if group is None:
            report.unscored += 1
        else:
            group.append(fact)
    no_where = 0
    accuracy = report.qualifier_accuracy.setdefault("holds_position.position", Accuracy())
    for doc_id, predicted in grouped.items():
        doc = by_doc[doc_id]
        no_where += sum(occupation.where is None for occupation in doc.occupations)
        occupations, pred = doc.occupations, predicted["holds_position"]
        pairs = greedy_match(occupations, pred, _occupation_rank)
        gold = [occupation_fact(doc_id, occupation) for occupation in occupations]
        report.add("holds_position", gold, pred, pairs)
        for g_index, _, rank in pairs:
            if occupations[g_index].position and rank != NO_WHERE_RANK:
                accuracy.total += 1
                accuracy.correct += rank == 0
        pairs_gold = [(m, pair) for m in doc.meetings for pair in meeting_pairs(m)]
        pred = predicted["met_with"]
        pairs = greedy_match([pair for _, pair in pairs_gold], pred, _pair_rank)
        gold = [pair_fact(doc_id, m, *pair) for m, pair in pairs_gold]
        report.add("met_with", gold, pred, pairs)
    report.notes.append(
        f"gold Occupation facts without Where (matched on the person alone): {no_where}"
    )
    return report
