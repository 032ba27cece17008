"""BRAT standoff both ways: facts out as `.txt` + `.ann` with an `annotation.conf`; a reader
of `.ann` files for corpora annotated in BRAT (NEREL, RuREBus, ...); and the files of an
export, corrected in BRAT, back in as gold facts (`read_gold`).

What an exported fact becomes (the layout of `layout.py`):

    T3	PER 133 152	Ержан Кудайбергенов          an argument (entity type, offsets, text)
    N3	Reference T3 rufakt:Ержан_Кудайбергенов	Ержан Кудайбергенов   its normal form
    R1	holds_position Arg1:T3 Arg2:T2              the fact
    A1	holds_position_status T2 former             a qualifier with fixed values
    #2	AnnotatorNotes T2	holds_position.position=министр энергетики   free-text qualifiers

BRAT attaches attributes and notes to entities, not relations, so a fact's qualifiers sit
on its object entity, as in Label Studio. Offsets are character offsets into the `.txt`
file exactly as written (read it with `newline=""` to keep them).
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..read.options import is_known
from .gold import Marked, gold_fact
from .layout import Layout, Region, lay_out
from .spec import Qualifier, load_spec

NORMAL_DB = "rufakt"


# ---------------------------------------------------------------- writing


def attribute_name(qualifier: Qualifier) -> str:
    """A BRAT attribute name for a qualifier with fixed values: «holds_position_status»."""
    return f"{qualifier.predicate}_{qualifier.key}"


def annotation_conf() -> str:
    """BRAT's annotation.conf for rufakt's entity types, predicates and qualifiers."""
    spec = load_spec()
    lines = ["[entities]", *spec.entity_types, "", "[relations]"]
    for predicate in spec.predicates.values():
        lines.append(f"{predicate.name}\tArg1:{'|'.join(predicate.subject)}, "
                     f"Arg2:{'|'.join(predicate.object)}")
    lines += ["<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>", "", "[events]", "",
              "[attributes]"]
    for predicate in spec.predicates.values():
        for qualifier in predicate.qualifiers:
            if qualifier.kind == "choice":
                lines.append(f"{attribute_name(qualifier)}\tArg:{'|'.join(predicate.object)}, "
                             f"Value:{'|'.join(qualifier.values)}")
    return "\n".join(lines) + "\n"


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A span cut at line breaks (a BRAT text field is one line), blank pieces dropped."""
    pieces, begin = [], start
    for match in re.finditer(r"[\r\n]+", text[start:end]):
        pieces.append((begin, start + match.start()))
        begin = start + match.end()
    pieces.append((begin, end))
    return [(a, b) for a, b in pieces if text[a:b].strip()]


def _one_line(value: Any) -> str:
    return re.sub(r"\s+", " ", str(value)).strip()


def _notes(region: Region) -> list[str]:
    notes = []
    if region.aliases:
        notes.append(f"aliases={' | '.join(region.aliases)}")
    if region.waypoints is not None:
        notes.append(f"waypoints={' | '.join(region.waypoints)}")
    spec = load_spec()
    for predicate, values in region.qualifiers.items():
        for qualifier in spec.predicates[predicate].qualifiers:
            value = values.get(qualifier.key)
            if qualifier.kind != "choice" and value not in (None, ""):
                notes.append(f"{qualifier.name}={value}")
    return notes


def ann_lines(layout: Layout, text: str) -> list[str]:
    """The `.ann` lines of a layout: T, N, A and # lines per entity, then R lines."""
    spec = load_spec()
    ordered = sorted(layout.regions, key=lambda r: (r.start, r.end, r.id))
    numbers = {region.id: index for index, region in enumerate(ordered, start=1)}
    lines: list[str] = []
    counters = {"N": 0, "A": 0, "#": 0}

    def next_id(kind: str) -> str:
        counters[kind] += 1
        return f"{kind}{counters[kind]}"

    for region in ordered:
        tid = f"T{numbers[region.id]}"
        pieces = fragments(text, region.start, region.end)
        offsets = ";".join(f"{a} {b}" for a, b in pieces)
        shown = " ".join(_one_line(text[a:b]) for a, b in pieces)
        lines.append(f"{tid}\t{region.type} {offsets}\t{shown}")
        if region.normal:
            key = re.sub(r"\s+", "_", region.normal.strip())
            lines.append(f"{next_id('N')}\tReference {tid} {NORMAL_DB}:{key}\t"
                         f"{_one_line(region.normal)}")
        for predicate, values in region.qualifiers.items():
            for qualifier in spec.predicates[predicate].qualifiers:
                value = values.get(qualifier.key)
                if qualifier.kind == "choice" and value:
                    lines.append(f"{next_id('A')}\t{attribute_name(qualifier)} {tid} {value}")
        notes = _notes(region)
        if notes:
            lines.append(f"{next_id('#')}\tAnnotatorNotes {tid}\t{_one_line('; '.join(notes))}")
    for index, link in enumerate(layout.links, start=1):
        lines.append(f"R{index}\t{link.predicate} Arg1:T{numbers[link.subject]} "
                     f"Arg2:T{numbers[link.object]}")
    return lines


def brat_name(doc_id: str) -> str:
    """The base name of a document's .txt/.ann pair: the doc_id without «.txt»."""
    return doc_id[: -len(".txt")] if doc_id.lower().endswith(".txt") else doc_id


def doc_id_of(relpath: str) -> str:
    """The doc_id of a .txt file: its relative path, or the original name of an exported
    non-text document («a.md.txt» → «a.md»)."""
    base = relpath[: -len(".txt")]
    return base if is_known(base) else relpath


def write_brat(
    folder: str | Path, documents: Iterable[tuple[str, str]],
    facts: Mapping[str, list[Mapping[str, Any]]],
) -> tuple[int, list[str]]:
    """Write `<name>.txt` and `<name>.ann` for each (doc_id, text), and annotation.conf;
    returns the number of facts written and what could not be, one line each."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    written = 0
    for doc_id, text in documents:
        layout = lay_out(text, list(facts.get(doc_id, [])), doc_id)
        problems.extend(layout.problems)
        written += len(layout.links)
        base = folder / brat_name(doc_id)
        base.parent.mkdir(parents=True, exist_ok=True)
        with open(f"{base}.txt", "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        lines = ann_lines(layout, text)
        with open(f"{base}.ann", "w", encoding="utf-8", newline="") as stream:
            stream.write("".join(line + "\n" for line in lines))
    (folder / "annotation.conf").write_text(annotation_conf(), encoding="utf-8")
    return written, problems


# ---------------------------------------------------------------- reading


@dataclass(frozen=True)
class Entity:
    """A T line: `spans` are (start, end) fragments, `text` as written in the .ann."""

    id: str
    type: str
    spans: tuple[tuple[int, int], ...]
    text: str

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]


@dataclass(frozen=True)
class Relation:
    """An R line: `arg1` and `arg2` are entity ids, whatever the roles are called."""

    id: str
    type: str
    arg1: str
    arg2: str


@dataclass
class Annotations:
    """What a .ann file says. `problems` lists the lines that could not be used, each as
    «file:line: why»; everything else is read."""

    entities: dict[str, Entity] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    equivalences: list[tuple[str, ...]] = field(default_factory=list)
    attributes: list[tuple[str, str, str | None]] = field(default_factory=list)
    normalizations: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


T_RE = re.compile(r"^(T\S+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)$")
R_RE = re.compile(r"^(R\S+)\t(\S+) \S+?:(\S+) \S+?:(\S+)\s*$")
EQUIV_RE = re.compile(r"^\*\t\S+ (\S+(?: \S+)+)\s*$")
A_RE = re.compile(r"^([AM]\S+)\t(\S+) (\S+)(?: (\S+))?\s*$")
N_RE = re.compile(r"^(N\S+)\t\S+ (\S+) (\S+)\t(.*)$")
NOTE_RE = re.compile(r"^(#\S*)\t\S+ (\S+)\t(.*)$")
EVENT_RE = re.compile(r"^E\S+\t\S+")


def _entity(match: re.Match, text: str | None) -> Entity | str:
    tid, kind, offsets, written = match.groups()
    spans = tuple(tuple(int(n) for n in piece.split()) for piece in offsets.split(";"))
    if any(not a <= b for a, b in spans):
        return "its offsets run backwards"
    if text is not None:
        if spans[-1][1] > len(text):
            return f"its offsets run past the end of the text ({len(text)} characters)"
        found = " ".join(text[a:b] for a, b in spans)
        if _one_line(found) != _one_line(written):
            return f"its text «{written}» is not the document's «{found}» at those offsets"
    return Entity(tid, kind, spans, written)  # type: ignore[arg-type]


def parse_ann(content: str, text: str | None = None, name: str = "<ann>") -> Annotations:
    """Read a .ann file. With the document `text`, T lines are checked against it.

    A line that does not parse, an entity whose offsets do not fit the text and a relation
    to an entity that is not there are listed in `problems`; the other lines are read."""
    result = Annotations()
    pending: list[tuple[int, Relation]] = []
    issues: list[tuple[int, str]] = []
    for number, line in enumerate(content.splitlines(), start=1):
        where = f"{name}:{number}"
        if not line.strip():
            continue
        if match := T_RE.match(line):
            entity = _entity(match, text)
            if isinstance(entity, str):
                issues.append((number, f"{where}: entity {match.group(1)} skipped: {entity}"))
            else:
                result.entities[entity.id] = entity
        elif match := R_RE.match(line):
            pending.append((number, Relation(*match.groups())))
        elif match := EQUIV_RE.match(line):
            result.equivalences.append(tuple(match.group(1).split()))
        elif match := A_RE.match(line):
            result.attributes.append((match.group(2), match.group(3), match.group(4)))
        elif match := N_RE.match(line):
            result.normalizations.append((match.group(2), match.group(3), match.group(4)))
        elif match := NOTE_RE.match(line):
            result.notes.append((match.group(2), match.group(3)))
        elif EVENT_RE.match(line):
            continue  # events are not used by rufakt
        else:
            issues.append((number, f"{where}: cannot parse {line[:80]!r}"))
    for number, relation in pending:
        missing = [tid for tid in (relation.arg1, relation.arg2) if tid not in result.entities]
        if missing:
            issues.append((number, f"{name}:{number}: relation {relation.id} "
                                   f"({relation.type}) skipped: no entity {', '.join(missing)}"))
        else:
            result.relations.append(relation)
    result.problems = [message for _, message in sorted(issues)]
    return result


def read_text(path: str | Path) -> str:
    """A BRAT .txt as BRAT counts its offsets: UTF-8, line ends as written."""
    with open(path, encoding="utf-8", newline="") as stream:
        return stream.read()


@dataclass
class BratDoc:
    """One document of a BRAT folder: doc_id is the .txt's path relative to the folder."""

    doc_id: str
    text: str
    annotations: Annotations


def load_brat(folder: str | Path) -> tuple[list[BratDoc], list[str]]:
    """Every .txt/.ann pair under `folder` (recursively, in sorted order), and the problems
    met: unparsable lines, a .txt without .ann or an .ann without .txt."""
    folder = Path(folder)
    docs, problems = [], []
    for txt in sorted(folder.rglob("*.txt")):
        ann = txt.with_suffix(".ann")
        doc_id = doc_id_of(txt.relative_to(folder).as_posix())
        if not ann.exists():
            problems.append(f"{doc_id}: no {ann.name} beside it, not scored")
            continue
        text = read_text(txt)
        annotations = parse_ann(read_text(ann), text, ann.relative_to(folder).as_posix())
        problems.extend(annotations.problems)
        docs.append(BratDoc(doc_id, text, annotations))
    for ann in sorted(folder.rglob("*.ann")):
        if not ann.with_suffix(".txt").exists():
            problems.append(f"{ann.relative_to(folder).as_posix()}: no .txt beside it, skipped")
    return docs, problems


# ---------------------------------------------------------------- back in as gold

QUANTITY_RE = re.compile(r"^(-?\d+(?:\.\d+)?) (\S+)$")


def _note_fields(note: str) -> dict[str, Any]:
    """«aliases=КТК; route_volume.year=2024» → {"aliases": ["КТК"], "route_volume.year": "2024"}."""
    fields: dict[str, Any] = {}
    for item in note.split("; "):
        name, sep, value = item.partition("=")
        if not sep:
            continue
        name = name.strip()
        fields[name] = value.strip().split(" | ") if name in ("aliases", "waypoints") else value
    return fields


def _marked(doc: BratDoc) -> dict[str, Marked]:
    """rufakt-typed entities with the fields their N, A and # lines give."""
    spec = load_spec()
    attributes = {attribute_name(q): q.name for q in spec.qualifiers()}
    marked = {tid: Marked(e.start, e.end, doc.text[e.start:e.end], e.type)
              for tid, e in doc.annotations.entities.items() if e.type in spec.entity_types}
    for target, _, normal in doc.annotations.normalizations:
        if target in marked:
            marked[target].fields["normal"] = normal
            quantity = QUANTITY_RE.match(normal)
            if marked[target].type == "QUANTITY" and quantity:
                marked[target].fields.update(value=quantity.group(1), unit=quantity.group(2))
    for name, target, value in doc.annotations.attributes:
        if target in marked and name in attributes:
            marked[target].fields[attributes[name]] = value
    for target, note in doc.annotations.notes:
        if target in marked:
            marked[target].fields.update(_note_fields(note))
    return marked


def read_gold(folder: str | Path) -> tuple[list[dict[str, Any]], list[str]]:
    """Gold facts from BRAT files in rufakt's schema (an export of `write_brat`, corrected in
    BRAT): R lines are the facts, the fields of their object entities the qualifiers.

    Entity and relation types that are not rufakt's are named once per file; lines that
    do not parse and relations that do not fit their predicate are named with file and
    line; everything else is read."""
    docs, problems = load_brat(folder)
    spec = load_spec()
    facts: list[dict[str, Any]] = []
    for doc in docs:
        annotations, name = doc.annotations, brat_name(doc.doc_id) + ".ann"
        marked = _marked(doc)
        foreign = sorted({e.type for e in annotations.entities.values()} - set(spec.entity_types))
        foreign += sorted({r.type for r in annotations.relations} - set(spec.predicates))
        if foreign:
            problems.append(f"{name}: types {', '.join(foreign)} are not rufakt's (another "
                            "annotation scheme? NEREL-style corpora: rufakt evaluate --brat); "
                            "their annotations are skipped")
        for relation in annotations.relations:
            if relation.type not in spec.predicates:
                continue
            where = f"{name}: relation {relation.id}"
            if relation.arg1 not in marked or relation.arg2 not in marked:
                problems.append(f"{where} ({relation.type}) joins an entity of another scheme")
                continue
            try:
                facts.append(gold_fact(doc.doc_id, relation.type, marked[relation.arg1],
                                       marked[relation.arg2], where))
            except ValueError as error:
                problems.append(str(error))
    return facts, problems
