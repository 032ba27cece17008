"""Pictures of a knowledge base for notebooks: a post timeline, route series with their
sources and conflicts, the entity graph around one entity. Needs the `notebook` extra."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx
    from matplotlib.axes import Axes

    from .base import KnowledgeBase

KIND_NAMES = {"per": "person", "org": "organisation", "country": "country", "place": "country",
              "route": "route", "project": "project"}
STATUS_STYLE = {"actual": "-", "planned": "--", "forecast": ":"}
SCALE = {"t": (1e6, "million t"), "m3": (1e9, "billion m³"), "kWh": (1e9, "billion kWh"),
         "bbl": (1e6, "million bbl"), "TEU": (1e3, "thousand TEU")}


def post_timeline(kb: KnowledgeBase, of: str, ax: Axes | None = None) -> Axes:
    """One bar per person and post in `of` (a country or organisation): from the first to
    the last document stating it, a dot per source document, the number of independent
    sources at the end; holders of one post in a conflict are outlined in red."""
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    import pandas as pd

    of_id = kb._id(of, ("LOC", "ORG"))
    posts = kb.sql("SELECT * FROM post_intervals WHERE object_id = ? AND first_seen IS NOT "
                   "NULL ORDER BY position, first_seen", (of_id,))
    conflicted = set(kb.sql("SELECT fact_a AS f FROM conflicts UNION SELECT fact_b FROM "
                            "conflicts")["f"])
    if ax is None:
        _, ax = plt.subplots(figsize=(11, 0.55 * max(len(posts), 3) + 1))
    for row, post in enumerate(posts.itertuples()):
        start, end = pd.Timestamp(post.first_seen), pd.Timestamp(post.last_seen)
        width = max((end - start).days, 4)
        red = post.fact_id in conflicted
        ax.barh(row, width, left=start, height=0.5, color="#9ecae1",
                edgecolor="#d62728" if red else "#3182bd", linewidth=2.5 if red else 1)
        dates = kb.sql("SELECT DISTINCT doc_date FROM sources WHERE fact_id = ? AND current = 1 "
                       "AND doc_date IS NOT NULL", (post.fact_id,))["doc_date"]
        ax.plot(pd.to_datetime(dates), [row] * len(dates), "o", color="#08519c", markersize=4)
        former = kb.sql("SELECT DISTINCT doc_date FROM sources WHERE fact_id = ? AND "
                        "current = 0 AND doc_date IS NOT NULL", (post.fact_id,))["doc_date"]
        ax.plot(pd.to_datetime(former), [row] * len(former), "x", color="#777", markersize=6)
        last = max([end, *pd.to_datetime(former)])
        ax.annotate(f"  {post.independent} independent / {post.sources} sources",
                    (last, row), va="center", fontsize=8, color="#444")
    ax.set_yticks(range(len(posts)), [f"{p.person} — {p.position}" for p in
                                      posts.itertuples()])
    ax.invert_yaxis()
    ax.margins(x=0.12)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    name = kb.sql("SELECT name FROM entities WHERE id = ?", (of_id,))["name"][0]
    ax.set_title(f"Posts in {name}: evidence from first to last document (dots), "
                 "× = stated as former, red = conflict", fontsize=10)
    ax.grid(axis="x", color="#eee")
    return ax


def route_panel(kb: KnowledgeBase, route: str, ax: Axes | None = None) -> Axes:
    """A route's volumes by year in its most common unit: each source document a dot, a
    line through the merged values (actual solid; planned and forecast dashed, from the
    last actual year), volumes in conflict as red crosses."""
    import matplotlib.pyplot as plt

    series = kb.route_volumes(route, by_source=True)
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    if series.empty:
        ax.set_title(f"{route}: no volumes", fontsize=10)
        return ax
    unit = series["unit"].mode()[0]
    scale, unit_label = SCALE.get(unit, (1.0, unit))
    series = series[series.unit == unit].assign(shown=lambda d: d.value / scale)
    series = series.assign(commodity=series.commodity.fillna("грузы"))
    for commodity, by_commodity in series.groupby("commodity"):
        actual = by_commodity[by_commodity.status == "actual"]
        merged = actual.groupby("year")["shown"].median().sort_index()
        line, = ax.plot(merged.index, merged.values, "-", alpha=0.6,
                        label=f"{commodity}: actual")
        for status, plan in by_commodity[by_commodity.status != "actual"].groupby("status"):
            planned = plan.groupby("year")["shown"].median().sort_index()
            if len(merged):
                planned = planned.combine_first(merged.iloc[-1:]).sort_index()
            ax.plot(planned.index, planned.values, STATUS_STYLE.get(status, "--"),
                    color=line.get_color(), alpha=0.6, label=f"{commodity}: {status}")
        jitter = by_commodity.groupby("year").cumcount() * 0.05
        ok = by_commodity[by_commodity.in_conflict == 0]
        ax.plot(ok.year + jitter[ok.index], ok.shown, "o", color=line.get_color(),
                markersize=5)
        bad = by_commodity[by_commodity.in_conflict == 1]
        if len(bad):
            ax.plot(bad.year + jitter[bad.index], bad.shown, "X", color="#d62728",
                    markersize=10, label="in conflict")
    ax.set_title(series["route"].iloc[0], fontsize=10)
    ax.set_ylabel(f"{unit_label} per year")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(fontsize=7, frameon=False)
    ax.grid(color="#eee")
    return ax


def entity_graph(kb: KnowledgeBase, entity: str, depth: int = 2) -> networkx.Graph:
    """The entities within `depth` facts of `entity` (a name or id), with `kind` (person,
    organisation, country, project, route) and `sources` on nodes and `label` (predicate,
    post or role) on edges, ready for `pipeline.notebook.draw_graph`."""
    import networkx as nx

    start = kb._id(entity)
    facts = kb.facts()
    facts = facts[facts.object_id.notna()]
    names = dict(zip(kb.entities()["id"], kb.entities()["name"], strict=True))
    kinds = {r.id: KIND_NAMES[r.kind] for r in kb.entities().itertuples()}
    graph = nx.Graph()
    frontier, seen = {start}, {start}
    for _ in range(depth):
        touching = facts[facts.subject_id.isin(frontier) | facts.object_id.isin(frontier)]
        for fact in touching.itertuples():
            a, b = names[fact.subject_id], names[fact.object_id]
            graph.add_node(a, kind=kinds[fact.subject_id])
            graph.add_node(b, kind=kinds[fact.object_id])
            label = fact.position if fact.position == fact.position and fact.position else (
                fact.role if fact.role == fact.role and fact.role else fact.predicate)
            graph.add_edge(a, b, label=label, sources=int(fact.sources))
        frontier = set(touching.subject_id) | set(touching.object_id)
        frontier -= seen
        seen |= frontier
    return graph
