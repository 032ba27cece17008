"""Label Studio: facts out as pre-annotated tasks, a reviewed export back in as gold facts.

A task is one document (`data.text`, `data.doc_id`, `data.date`). Its facts are a Label
Studio *prediction* (or, with `as_annotations`, a finished annotation): each argument is a
`Labels` region (PER, LOC, ORG, ROUTE, PROJECT, QUANTITY) with per-region fields for its
normal form, aliases, waypoints, value and unit; each fact is a relation between two regions
labelled with its predicate, and its qualifiers are per-region fields of its **object**
region («route_volume.year» on the quantity, «holds_position.position» on the country or
organisation). The labelling config is generated from `fact_types.json` (`label_config`).

Offsets: Label Studio counts text offsets in UTF-16 code units (JavaScript strings), Python
in code points; they differ only after characters outside the Basic Multilingual Plane
(emoji), and both directions are converted.
"""

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from ..notebook import COLOURS
from .gold import Marked, gold_fact
from .layout import Layout, Region, lay_out
from .spec import Qualifier, load_spec

TEXT = "text"  # the Text object tag and the task data field holding the document
TYPE = "type"  # the Labels control: entity types
ENTITY_FIELDS = ("normal", "aliases", "waypoints", "value", "unit")


def rufakt_version() -> str:
    try:
        return version("rufakt")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "unknown"


# ---------------------------------------------------------------- the labelling config


def _sub(parent: ET.Element, tag: str, **attrs: str) -> ET.Element:
    return ET.SubElement(parent, tag, attrs)


def _region_field(parent: ET.Element, tag: str, name: str, **attrs: str) -> ET.Element:
    return _sub(parent, tag, name=name, toName=TEXT, perRegion="true", **attrs)


def _qualifier_field(parent: ET.Element, qualifier: Qualifier) -> None:
    if qualifier.kind == "choice":
        choices = _region_field(parent, "Choices", qualifier.name, choice="single",
                                showInline="true")
        for value in qualifier.values:
            _sub(choices, "Choice", value=value)
    elif qualifier.kind == "number":
        _region_field(parent, "Number", qualifier.name, min="1900", max="2100")
    else:
        _region_field(parent, "TextArea", qualifier.name, maxSubmissions="1", editable="true",
                      placeholder=qualifier.key)


def label_config() -> str:
    """The Label Studio labelling config (XML) that rufakt's tasks and imports use."""
    spec = load_spec()
    view = ET.Element("View")
    _sub(view, "Header", value="Regions: the arguments of facts. Relations: the facts.")
    labels = _sub(view, "Labels", name=TYPE, toName=TEXT, showInline="true")
    for entity_type in spec.entity_types:
        _sub(labels, "Label", value=entity_type, background=COLOURS.get(entity_type, "#cccccc"))
    relations = _sub(view, "Relations")
    for predicate in spec.predicates:
        _sub(relations, "Relation", value=predicate)
    _sub(view, "Text", name=TEXT, value=f"${TEXT}")

    entity = _sub(view, "View", visibleWhen="region-selected")
    _sub(entity, "Header", value="Entity: normal form (nominative) and other names")
    _region_field(entity, "TextArea", "normal", maxSubmissions="1", editable="true",
                  placeholder="normal form")
    _region_field(entity, "TextArea", "aliases", editable="true",
                  placeholder="alias (one per entry)")
    route = _sub(view, "View", visibleWhen="region-selected", whenLabelValue="ROUTE")
    _region_field(route, "TextArea", "waypoints", editable="true",
                  placeholder="waypoint (one per entry, in order)")
    quantity = _sub(view, "View", visibleWhen="region-selected", whenLabelValue="QUANTITY")
    _region_field(quantity, "Number", "value", step="any")
    unit = _region_field(quantity, "Choices", "unit", choice="single", showInline="true")
    for name in spec.units:
        _sub(unit, "Choice", value=name)

    for predicate in spec.predicates.values():
        attrs = {"visibleWhen": "region-selected"}
        if len(predicate.object) == 1:
            attrs["whenLabelValue"] = predicate.object[0]
        block = _sub(view, "View", **attrs)
        _sub(block, "Header", value=f"{predicate.name}: qualifiers of the facts whose object "
             "is this region")
        for qualifier in predicate.qualifiers:
            _qualifier_field(block, qualifier)
    ET.indent(view)
    return ET.tostring(view, encoding="unicode") + "\n"


# ---------------------------------------------------------------- offsets


def _astral(text: str) -> bool:
    return not text.isascii() and any(ord(char) > 0xFFFF for char in text)


def to_js(text: str, offset: int) -> int:
    """A Python offset as a UTF-16 (JavaScript) offset."""
    if not _astral(text):
        return offset
    return offset + sum(1 for char in text[:offset] if ord(char) > 0xFFFF)


def from_js(text: str, offset: int) -> int:
    """A UTF-16 (JavaScript) offset as a Python offset."""
    if not _astral(text):
        return offset
    units = 0
    for index, char in enumerate(text):
        if units >= offset:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(text)


# ---------------------------------------------------------------- export


def _result(region: Region, text: str, from_name: str, kind: str, value: dict) -> dict:
    span = {"start": to_js(text, region.start), "end": to_js(text, region.end)}
    return {"id": region.id, "from_name": from_name, "to_name": TEXT, "type": kind,
            "value": {**span, **value}}


def _field(region: Region, text: str, name: str, kind: str, value: Any) -> dict | None:
    if value is None or value == "" or value == ():
        return None
    if kind == "choice":
        return _result(region, text, name, "choices", {"choices": [str(value)]})
    if kind == "number":
        return _result(region, text, name, "number", {"number": value})
    items = [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]
    return _result(region, text, name, "textarea", {"text": items})


def region_results(region: Region, text: str) -> list[dict]:
    """The results of one region: its label, then its per-region fields."""
    label = _result(region, text, TYPE, "labels", {"text": region.text, "labels": [region.type]})
    if region.score is not None:
        label["score"] = region.score
    fields = [
        _field(region, text, "normal", "text", region.normal),
        _field(region, text, "aliases", "text", region.aliases),
        _field(region, text, "waypoints", "text", region.waypoints),
        _field(region, text, "value", "number", region.value),
        _field(region, text, "unit", "choice", region.unit),
    ]
    spec = load_spec()
    for predicate, values in region.qualifiers.items():
        for qualifier in spec.predicates[predicate].qualifiers:
            fields.append(_field(region, text, qualifier.name, qualifier.kind,
                                 values.get(qualifier.key)))
    return [label, *(item for item in fields if item is not None)]


def layout_results(layout: Layout, text: str) -> list[dict]:
    """The `result` list of a prediction or annotation: regions, then relations."""
    results = [item for region in layout.regions for item in region_results(region, text)]
    for link in layout.links:
        results.append({"from_id": link.subject, "to_id": link.object, "type": "relation",
                        "direction": "right", "labels": [link.predicate]})
    return results


def model_version(layout: Layout) -> str:
    """«rufakt-0.1.0», plus the ids of the rules that made the facts when they are known."""
    rules = sorted({link.rule for link in layout.links if link.rule})
    base = f"rufakt-{rufakt_version()}"
    return f"{base} rules: {', '.join(rules)}" if rules else base


def make_task(
    doc_id: str, text: str, facts: list[Mapping[str, Any]], *, date: str | None = None,
    as_annotations: bool = False,
) -> tuple[dict, list[str]]:
    """One task for one document, and the facts that could not be laid out on it."""
    layout = lay_out(text, facts, doc_id)
    data: dict[str, Any] = {TEXT: text, "doc_id": doc_id}
    if date:
        data["date"] = date
    task: dict[str, Any] = {"data": data}
    results = layout_results(layout, text)
    if as_annotations:
        task["annotations"] = [{"result": results}]
        return task, layout.problems
    prediction: dict[str, Any] = {"model_version": model_version(layout), "result": results}
    scores = [link.confidence for link in layout.links if link.confidence is not None]
    if scores:
        prediction["score"] = min(scores)  # sort tasks by it: the weakest fact first
    task["predictions"] = [prediction]
    return task, layout.problems


# ---------------------------------------------------------------- import


@dataclass
class Imported:
    """Gold facts read from an export, and one line per task, region or relation that was
    not imported (the rest of the export is)."""

    facts: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    tasks: int = 0


def _task_name(task: Mapping[str, Any], index: int) -> str:
    data = task.get("data") if isinstance(task.get("data"), Mapping) else {}
    where = f"task {task['id']}" if task.get("id") is not None else f"task #{index}"
    return f"{where} ({data['doc_id']})" if data.get("doc_id") else where


def pick_annotation(task: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The annotation that counts: not cancelled; a ground-truth one first, else the most
    recently updated."""
    annotations = [a for a in task.get("annotations") or []
                   if isinstance(a, Mapping) and not a.get("was_cancelled")]
    if not annotations:
        return None
    return max(annotations, key=lambda a: (bool(a.get("ground_truth")),
                                           str(a.get("updated_at") or a.get("created_at") or ""),
                                           a.get("id") or 0))


def _known_fields() -> set[str]:
    """The names of the controls of rufakt's config."""
    return {TYPE, *ENTITY_FIELDS, *(q.name for q in load_spec().qualifiers())}


def _field_value(result: Mapping[str, Any]) -> Any:
    value = result.get("value") or {}
    for key in ("text", "choices", "number"):
        if key in value:
            return value[key]
    return None


class TaskError(ValueError):
    """A task that cannot be imported at all."""


def _regions(text: str, results: list[Mapping[str, Any]], name: str,
             problems: list[str]) -> dict[str, Marked]:
    known = _known_fields()
    foreign = sorted({str(r.get("from_name")) for r in results
                      if r.get("type") != "relation" and r.get("from_name") not in known})
    if foreign:
        raise TaskError(f"{name}: made with another labelling config (controls "
                        f"{', '.join(foreign)} are not rufakt's; `rufakt export label-studio "
                        "--config` prints rufakt's config)")
    entity_types = set(load_spec().entity_types)
    regions: dict[str, Marked] = {}
    for result in results:
        if result.get("from_name") != TYPE:
            continue
        value = result.get("value") or {}
        labels = value.get("labels") or []
        if len(labels) != 1 or labels[0] not in entity_types:
            raise TaskError(f"{name}: region {result.get('id')} is labelled {labels}, not one "
                            f"of {', '.join(sorted(entity_types))} (another labelling config?)")
        try:
            start, end = from_js(text, int(value["start"])), from_js(text, int(value["end"]))
        except (KeyError, TypeError, ValueError):
            problems.append(f"{name}: region {result.get('id')} has no start and end offsets")
            continue
        if not 0 <= start < end <= len(text):
            problems.append(f"{name}: region {result.get('id')} lies outside the text")
            continue
        marked = value.get("text")
        if marked is not None and marked != text[start:end]:
            problems.append(f"{name}: region {result.get('id')} marks «{marked}» but the text "
                            f"there is «{text[start:end]}» (was the task's text changed?)")
            continue
        regions[str(result.get("id"))] = Marked(start, end, text[start:end], labels[0])
    for result in results:
        if result.get("type") == "relation" or result.get("from_name") == TYPE:
            continue
        region = regions.get(str(result.get("id")))
        if region is not None:
            region.fields[str(result.get("from_name"))] = _field_value(result)
    return regions


def _fact(relation: Mapping[str, Any], regions: dict[str, Marked], doc_id: str,
          name: str) -> dict[str, Any]:
    labels = relation.get("labels") or []
    source, target = str(relation.get("from_id")), str(relation.get("to_id"))
    where = f"{name}: relation {source} → {target}"
    predicates = load_spec().predicates
    if len(labels) != 1 or labels[0] not in predicates:
        raise ValueError(f"{where} is labelled {labels}: give it exactly one of "
                         f"{', '.join(predicates)}")
    missing = [rid for rid in (source, target) if rid not in regions]
    if missing:
        raise ValueError(f"{where} ({labels[0]}) points to {', '.join(missing)}, which "
                         "is not a region of the annotation (deleted?)")
    if relation.get("direction") == "left":
        source, target = target, source
    return gold_fact(doc_id, labels[0], regions[source], regions[target], where)


def import_task(task: Mapping[str, Any], index: int, imported: Imported) -> None:
    """Add one task's gold facts to `imported` (or its problems)."""
    name = _task_name(task, index)
    data = task.get("data")
    if not isinstance(data, Mapping) or not isinstance(data.get(TEXT), str) or not data[TEXT]:
        raise TaskError(f"{name}: no text (the task's data has no {TEXT!r} field)")
    if not data.get("doc_id"):
        raise TaskError(f"{name}: no doc_id in the task's data")
    annotation = pick_annotation(task)
    if annotation is None:
        imported.notes.append(f"{name}: not reviewed (no annotation), nothing imported")
        return
    results = [r for r in annotation.get("result") or [] if isinstance(r, Mapping)]
    regions = _regions(data[TEXT], results, name, imported.problems)
    for relation in results:
        if relation.get("type") != "relation":
            continue
        try:
            imported.facts.append(_fact(relation, regions, str(data["doc_id"]), name))
        except ValueError as error:
            imported.problems.append(str(error))


def import_tasks(tasks: Iterable[Any]) -> Imported:
    """Gold facts from Label Studio tasks (a JSON export, or rufakt's own task file with
    annotations). Each task, region or relation that cannot be imported is listed in
    `problems` and the rest is imported."""
    imported = Imported()
    for index, task in enumerate(tasks, start=1):
        imported.tasks += 1
        if not isinstance(task, Mapping):
            imported.problems.append(f"task #{index}: not a JSON object")
            continue
        try:
            import_task(task, index, imported)
        except TaskError as error:
            imported.problems.append(str(error))
    return imported


def export_tasks(
    documents: Iterable[tuple[str, str, str | None]],
    facts: Mapping[str, list[Mapping[str, Any]]],
    *, as_annotations: bool = False,
) -> tuple[list[dict], list[str]]:
    """Tasks for (doc_id, text, date) documents with their facts, and what could not be
    exported."""
    tasks, problems = [], []
    for doc_id, text, date in documents:
        task, missed = make_task(doc_id, text, list(facts.get(doc_id, [])), date=date,
                                 as_annotations=as_annotations)
        tasks.append(task)
        problems.extend(missed)
    return tasks, problems


def count_facts(tasks: list[dict]) -> int:
    """The relations (facts) of tasks' predictions and annotations."""
    return sum(1 for task in tasks
               for item in [*task.get("predictions", []), *task.get("annotations", [])]
               for result in item["result"] if result.get("type") == "relation")
