"""Helpers for exploring facts in Jupyter: tables, highlighted text, graphs and plots.

pandas, matplotlib and networkx come with the `notebook` extra and are imported lazily.
Every function accepts `Fact` objects or their JSON Lines dicts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .facts import Fact

if TYPE_CHECKING:
    import networkx
    import pandas
    from matplotlib.axes import Axes
    from spacy.tokens import Doc

FactLike = Fact | Mapping[str, Any]

COLOURS: dict[str, str] = {
    "PER": "#9ecae1",
    "LOC": "#a1d99b",
    "ORG": "#fdd0a2",
    "ROUTE": "#fcbba1",
    "PROJECT": "#dadaeb",
    "QUANTITY": "#ffe066",
}
SPAN_TYPES = ("ROUTE", "PROJECT", "QUANTITY")  # marked from the doc's facts, not from NER
KIND_OF_TYPE = {"PER": "person", "LOC": "country", "ORG": "organisation",
                "PROJECT": "project", "ROUTE": "route"}
KIND_COLOURS: dict[str, str] = {
    "person": "#3182bd",
    "country": "#31a354",
    "organisation": "#e6550d",
    "project": "#756bb1",
    "route": "#de2d26",
}


class HTML(str):
    """An HTML string that Jupyter displays as HTML."""

    def _repr_html_(self) -> str:
        return str(self)

    def __repr__(self) -> str:  # the plain-text fallback of a notebook output
        return f"<HTML, {len(self)} characters>"


def as_dict(fact: FactLike) -> dict[str, Any]:
    """A fact as its JSON Lines dict."""
    return fact.model_dump() if isinstance(fact, Fact) else dict(fact)


def argument(mention: Mapping[str, Any] | None) -> str:
    """A subject or object in one string: its normal form, else its text or value and unit."""
    if not mention:
        return ""
    value = mention.get("value")
    if mention.get("type") == "QUANTITY" and value is not None:
        shown = f"{int(value):,}".replace(",", " ") if float(value).is_integer() else f"{value:g}"
        return f"{shown} {mention.get('unit') or ''}".strip()
    return str(mention.get("normal") or mention.get("text") or "")


def _compact(qualifiers: Mapping[str, Any] | None) -> str:
    return ", ".join(f"{key}={value}" for key, value in (qualifiers or {}).items()
                     if value not in (None, "", []))


def to_dataframe(facts: Iterable[FactLike]) -> pandas.DataFrame:
    """One row per fact: doc_id, predicate, subject, object, qualifiers (compact string),
    confidence, then subject/object types and the route-volume fields (value, unit, year,
    status) for plotting."""
    import pandas as pd

    rows = []
    for fact in map(as_dict, facts):
        subject, obj = fact.get("subject") or {}, fact.get("object") or {}
        qualifiers = fact.get("qualifiers") or {}
        rows.append({
            "doc_id": fact.get("doc_id"),
            "predicate": fact.get("predicate"),
            "subject": argument(subject),
            "object": argument(obj),
            "qualifiers": _compact(qualifiers),
            "confidence": fact.get("confidence"),
            "subject_type": subject.get("type"),
            "object_type": obj.get("type"),
            "value": obj.get("value"),
            "unit": obj.get("unit"),
            "year": qualifiers.get("year"),
            "status": qualifiers.get("status"),
        })
    columns = ["doc_id", "predicate", "subject", "object", "qualifiers", "confidence",
               "subject_type", "object_type", "value", "unit", "year", "status"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["year"] = frame["year"].astype("Int64")
    return frame


def fact_lines(facts: Iterable[FactLike]) -> list[str]:
    """Sorted `predicate | subject | object` lines: a stable summary of a document's facts."""
    lines = set()
    for fact in map(as_dict, facts):
        lines.add(f"{fact.get('predicate')} | {argument(fact.get('subject'))} | "
                  f"{argument(fact.get('object'))}")
    return sorted(lines)


def _spans_without_overlaps(spans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Keep spans in the given priority order, dropping any that overlaps a kept one."""
    kept: list[dict[str, Any]] = []
    for span in spans:
        if span["end"] > span["start"] and all(
            span["end"] <= other["start"] or span["start"] >= other["end"] for other in kept
        ):
            kept.append(span)
    return sorted(kept, key=lambda span: span["start"])


def _displacy(text: str, spans: list[dict[str, Any]], colours: dict[str, str],
              title: str | None = None) -> HTML:
    from spacy import displacy

    data = {"text": text, "ents": _spans_without_overlaps(spans), "title": title}
    options = {"ents": list(colours), "colors": colours}
    return HTML(displacy.render(data, style="ent", manual=True, options=options,
                                jupyter=False))


def render(doc_or_fact: Doc | FactLike, text: str | None = None) -> HTML:
    """HTML for Jupyter. A spaCy Doc: its entities (PER, LOC, ORG) plus the ROUTE, PROJECT
    and QUANTITY mentions of `doc._.facts`. A fact: its evidence with subject and object
    marked; with `text` (the document) the whole document instead of the evidence."""
    if not isinstance(doc_or_fact, (Fact, Mapping)):
        doc = doc_or_fact
        spans = []
        for fact in map(as_dict, getattr(doc._, "facts", None) or []):
            for mention in (fact["subject"], fact["object"]):
                if mention.get("type") in SPAN_TYPES:
                    spans.append({"start": mention["start"], "end": mention["end"],
                                  "label": mention["type"]})
        spans += [{"start": ent.start_char, "end": ent.end_char, "label": ent.label_}
                  for ent in doc.ents]
        return _displacy(doc.text, spans, COLOURS)
    fact = as_dict(doc_or_fact)
    evidence = fact.get("evidence") or {}
    offset = 0 if text is not None else evidence.get("start", 0)
    shown = text if text is not None else evidence.get("text", "")
    spans, colours = [], {}
    for role, mention in (("SUBJ", fact.get("subject")), ("OBJ", fact.get("object"))):
        if not mention or mention.get("start") is None:
            continue
        label = f"{role} {mention.get('type', '')}".strip()
        colours[label] = COLOURS.get(mention.get("type", ""), "#ddd")
        spans.append({"start": mention["start"] - offset, "end": mention["end"] - offset,
                      "label": label})
    spans = [span for span in spans if 0 <= span["start"] and span["end"] <= len(shown)]
    title = f"{fact.get('predicate')}: {argument(fact.get('subject'))} → " \
            f"{argument(fact.get('object'))}"
    qualifiers = _compact(fact.get("qualifiers"))
    return _displacy(shown, spans, colours, f"{title} [{qualifiers}]" if qualifiers else title)


LAYERS = {"entities": "rufakt_entities", "time": "rufakt_time", "modality": "rufakt_modality"}


def render_layer(doc: Doc, layer: str = "entities") -> HTML:
    """HTML for Jupyter of one layer of the document layer, as the extractors read it:
    "entities" (people with every mention and post that stands for them, posts, places,
    organisations), "time" (years resolved against the document's date) or "modality" (the
    reach of each planned, forecast or negated cue). Spans may overlap (displacy's span style)."""
    from spacy import displacy

    if layer not in LAYERS:
        raise ValueError(f"unknown layer {layer!r}; one of {sorted(LAYERS)}")
    key = LAYERS[layer]
    if key not in doc.spans:
        raise ValueError(f"the doc has no {layer} layer: run it through pipeline.load()")
    return HTML(displacy.render(doc, style="span", options={"spans_key": key}, jupyter=False))


def _node(graph: networkx.Graph, mention: Mapping[str, Any]) -> str | None:
    kind = KIND_OF_TYPE.get(str(mention.get("type")))
    name = argument(mention)
    if kind is None or not name:
        return None
    if name not in graph:
        graph.add_node(name, kind=kind)
    return name


def facts_graph(facts: Iterable[FactLike]) -> networkx.Graph:
    """People, countries, organisations, projects and routes as nodes (attribute `kind`);
    an edge per related pair, `label` its predicate(s). Routes carry `volumes`, the number
    of route_volume facts, and link to waypoints that are already nodes."""
    import networkx as nx

    graph = nx.Graph()
    routes: dict[str, list[str]] = {}
    for fact in map(as_dict, facts):
        subject = _node(graph, fact.get("subject") or {})
        obj = _node(graph, fact.get("object") or {})
        if fact.get("predicate") == "route_volume" and subject:
            graph.nodes[subject]["volumes"] = graph.nodes[subject].get("volumes", 0) + 1
            routes[subject] = (fact.get("subject") or {}).get("waypoints") or []
        if subject and obj and subject != obj:
            labels = graph.edges[subject, obj]["label"].split(", ") \
                if graph.has_edge(subject, obj) else []
            if fact["predicate"] not in labels:
                labels.append(fact["predicate"])
            graph.add_edge(subject, obj, label=", ".join(labels))
    for route, waypoints in routes.items():
        for waypoint in waypoints:
            if waypoint in graph and waypoint != route and not graph.has_edge(route, waypoint):
                graph.add_edge(route, waypoint, label="via")
    return graph


def draw_graph(graph: networkx.Graph, ax: Axes | None = None, max_labels: int = 60,
               isolates: bool | None = None) -> Axes:
    """Draw `facts_graph` output: node colour by kind, a legend; names of the best connected
    `max_labels` nodes, and predicates on the edges when there are few of them. Unconnected
    nodes are left out when some nodes are connected, unless `isolates` is true."""
    import matplotlib.pyplot as plt
    import networkx as nx
    from matplotlib.lines import Line2D

    if ax is None:
        _, ax = plt.subplots(figsize=(12, 9))
    ax.set_axis_off()
    if graph.number_of_nodes() == 0:
        ax.text(0.5, 0.5, "no facts yet", ha="center", va="center", transform=ax.transAxes)
        return ax
    if not isolates and graph.number_of_edges():
        graph = graph.subgraph([node for node in graph if graph.degree[node]])
    ax.margins(0.12)
    positions = nx.spring_layout(graph, seed=7, k=1.5 / graph.number_of_nodes() ** 0.5)
    colours = [KIND_COLOURS.get(data.get("kind"), "#999") for _, data in graph.nodes(data=True)]
    nx.draw_networkx_edges(graph, positions, ax=ax, edge_color="#bbb")
    nx.draw_networkx_nodes(graph, positions, ax=ax, node_color=colours, node_size=120)
    ranked = sorted(graph.nodes, key=lambda node: (-graph.degree[node], node))[:max_labels]
    names = nx.draw_networkx_labels(graph, positions, {node: node for node in ranked}, ax=ax,
                                    font_size=8, verticalalignment="bottom")
    for name in names.values():
        name.set_clip_on(False)
    if graph.number_of_edges() <= 30:
        edge_labels = nx.get_edge_attributes(graph, "label")
        nx.draw_networkx_edge_labels(graph, positions, edge_labels, ax=ax, font_size=7,
                                     font_color="#555")
    kinds = sorted({data.get("kind") for _, data in graph.nodes(data=True)})
    handles = [Line2D([], [], marker="o", linestyle="", color=KIND_COLOURS.get(kind, "#999"),
                      label=kind) for kind in kinds]
    ax.legend(handles=handles, loc="lower left", frameon=False)
    return ax


def plot_route_volumes(df: pandas.DataFrame, ax: Axes | None = None, unit: str | None = None,
                       min_years: int = 2) -> Axes:
    """Volume by year, one colour per route: actual solid with dots, planned dashed with
    crosses, log scale. `df` is a `to_dataframe` frame; only facts in `unit` (default: the
    most common one) on routes with volumes for at least `min_years` years are drawn."""
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    if ax is None:
        _, ax = plt.subplots(figsize=(10, 5))
    rows = df[(df["predicate"] == "route_volume") & df["year"].notna() & df["value"].notna()]
    if unit is None and not rows.empty:
        unit = str(rows["unit"].mode().iloc[0])
    rows = rows[rows["unit"] == unit]
    rows = rows[rows.groupby("subject")["year"].transform("nunique") >= min_years]
    if rows.empty:
        ax.text(0.5, 0.5, "no route volumes to plot", ha="center", va="center",
                transform=ax.transAxes)
        ax.set_axis_off()
        return ax
    styles = {"actual": ("-", "o"), "planned": ("--", "x")}
    cycle = list(plt.get_cmap("tab20").colors)
    handles = []
    for index, (route, group) in enumerate(rows.groupby("subject")):
        colour = cycle[index % len(cycle)]
        handles.append(Line2D([], [], color=colour, label=route))
        series = {status: part.groupby("year")["value"].max().sort_index()
                  for status, part in group.groupby(group["status"].fillna("actual"))}
        actual = series.get("actual")
        for status, values in series.items():
            line, marker = styles.get(str(status), (":", "s"))
            years, volumes = list(values.index), list(values)
            if status != "actual" and actual is not None:  # the plan continues the facts
                before = actual[actual.index < years[0]]
                if not before.empty:
                    years, volumes = [before.index[-1], *years], [before.iloc[-1], *volumes]
            ax.plot([int(year) for year in years], volumes, linestyle=line, color=colour)
            ax.plot(list(values.index.astype(int)), list(values), linestyle="",
                    marker=marker, color=colour)
    handles += [Line2D([], [], color="#444", linestyle=line, marker=marker, label=status)
                for status, (line, marker) in styles.items()]
    ax.set_yscale("log")
    ax.set_xlabel("year")
    ax.set_ylabel(f"volume, {unit}")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(handles=handles, fontsize=8, loc="center left", bbox_to_anchor=(1.0, 0.5),
              frameon=False)
    ax.set_title(f"Route volumes ({unit}) by year")
    return ax


def report_frame(report: Any) -> pandas.DataFrame:
    """An evaluation `Report` as a table: gold, pred, tp, P, R, F1 per predicate and overall."""
    import pandas as pd

    rows = []
    items = sorted(report.by_predicate.items()) + [("overall", report.overall)]
    for name, counts in items:
        rows.append({"predicate": name, "gold": counts.gold, "pred": counts.pred,
                     "tp": counts.tp, "P": round(counts.precision, 3),
                     "R": round(counts.recall, 3), "F1": round(counts.f1, 3)})
    return pd.DataFrame(rows).set_index("predicate")
