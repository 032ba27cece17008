"""Questions to the knowledge base, answered as pandas DataFrames.

Names are resolved the way mentions are (`per:…`, `org:…` keys and the gazetteer), and, for
names typed in another case («Казахстана», «Газпрома»), by their content-word lemmas.
"""

from __future__ import annotations

import sqlite3
from datetime import date

import pandas as pd

from ..evaluate.text import norm_text, same_name
from .entities import mention_node
from .gazetteer import Gazetteer
from .records import Mention

TYPES = ("PER", "ORG", "LOC", "ROUTE", "PROJECT")


def frame(conn: sqlite3.Connection, sql: str, params: tuple = ()) -> pd.DataFrame:
    return pd.read_sql_query(sql, conn, params=params)


def resolve(conn: sqlite3.Connection, gaz: Gazetteer, name: str,
            types: tuple[str, ...] = TYPES) -> str | None:
    """The id of the entity called `name` (an id, any alias, or an inflected form)."""
    name = name.strip()
    if not name:
        return None
    if conn.execute("SELECT 1 FROM entities WHERE id = ?", (name,)).fetchone():
        return name
    for kind in types:
        node = mention_node(Mention(None, name, kind), "", gaz)
        row = conn.execute("SELECT entity_id FROM nodes WHERE key = ?", (node.key,)).fetchone()
        if row:
            return row[0]
    marks = ",".join("?" * len(types))
    wanted = norm_text(name)
    rows = conn.execute(f"SELECT a.entity_id, a.alias FROM aliases a JOIN entities e ON "
                        f"e.id = a.entity_id WHERE e.type IN ({marks}) ORDER BY a.entity_id",
                        types).fetchall()
    for entity_id, alias in rows:
        if alias and norm_text(alias) == wanted:
            return entity_id
    for entity_id, alias in rows:
        if alias and same_name(alias, name):
            return entity_id
    return None


def split_post(conn: sqlite3.Connection, gaz: Gazetteer, phrase: str) -> tuple[str, str] | None:
    """«министр энергетики Казахстана» → ("министр энергетики", "country:KZ"): the shortest
    tail of the phrase that names a country or an organisation, and the post before it."""
    words = phrase.split()
    for size in range(1, min(5, len(words))):
        found = resolve(conn, gaz, " ".join(words[-size:]), ("LOC", "ORG"))
        if found:
            return norm_text(" ".join(words[:-size])), found
    return None


def entities(conn: sqlite3.Connection, type: str | None = None) -> pd.DataFrame:
    """One row per entity: id, type, kind, name, code, waypoints, number of facts."""
    where = "WHERE e.type = ?" if type else ""
    return frame(conn, f"""
        SELECT e.id, e.type, e.kind, e.name, e.code, e.waypoints,
               (SELECT COUNT(*) FROM facts f WHERE f.subject_id = e.id) +
               (SELECT COUNT(*) FROM facts f WHERE f.object_id = e.id) AS facts
        FROM entities e {where} ORDER BY e.type, e.name, e.id""", (type,) if type else ())


def facts(conn: sqlite3.Connection, predicate: str | None = None) -> pd.DataFrame:
    """One row per merged fact, with subject and object ids and names and source counts
    (`sources`: documents, `independent`: near-duplicate groups among them)."""
    where = "WHERE predicate = ?" if predicate else ""
    return frame(conn, f"""
        SELECT id, predicate, subject_id, subject_name, object_id, object_name, position,
               year, status, commodity, value, unit, approx, role, date, sources, independent,
               first_seen, last_seen, confidence
        FROM facts_named {where}
        ORDER BY predicate, subject_name, object_name, year, status, value""",
                 (predicate,) if predicate else ())


def sources(conn: sqlite3.Connection, fact_id: str) -> pd.DataFrame:
    """Every statement of one fact: document, date, evidence, rule, confidence."""
    return frame(conn, """
        SELECT s.doc_id, s.doc_date, d.dup_group, s.subject_text, s.object_text,
               s.qualifiers, s.evidence_text, s.evidence_start, s.evidence_end, s.rule,
               s.confidence
        FROM sources s JOIN documents d ON d.doc_id = s.doc_id WHERE s.fact_id = ?
        ORDER BY s.doc_date, s.doc_id""", (fact_id,))


def timeline(conn: sqlite3.Connection, entity_id: str) -> pd.DataFrame:
    """The facts an entity takes part in, in the order they were first seen."""
    data = frame(conn, """
        SELECT id AS fact_id, predicate, subject_id, subject_name, object_id, object_name,
               position, role, date, year, status, commodity, value, unit, first_seen,
               last_seen, sources, independent
        FROM facts_named WHERE subject_id = ? OR object_id = ?""", (entity_id, entity_id))
    return data.sort_values(["first_seen", "predicate", "fact_id"], na_position="last",
                            ignore_index=True)


def holders(conn: sqlite3.Connection, position: str, of: str, on: str | None = None
            ) -> pd.DataFrame:
    """Who held `position` in `of` (an entity id): one row per person with the interval of
    evidence; with `on` (ISO date), `on_date` says whether the evidence spans the date
    («held»), ends before it or starts after it."""
    data = frame(conn, """
        SELECT person_id, person, position, "of", first_seen, last_seen, sources, independent
        FROM post_intervals WHERE object_id = ? AND position = ?
        ORDER BY first_seen, person""", (of, norm_text(position)))
    if on is not None:
        date.fromisoformat(on)

        def where(row: pd.Series) -> str:
            if row.first_seen is None or pd.isna(row.first_seen):
                return "undated"
            if row.first_seen <= on <= row.last_seen:
                return "held"
            return "before" if row.last_seen < on else "after"

        data["on_date"] = data.apply(where, axis=1) if len(data) else []
    return data


def route_volumes(conn: sqlite3.Connection, route_id: str | None = None,
                  by_source: bool = False) -> pd.DataFrame:
    """The time series of a route (all routes without `route_id`): one row per merged
    volume, or per source statement with `by_source`; `in_conflict` marks disagreement."""
    where = "WHERE r.route_id = ?" if route_id else ""
    params = (route_id,) if route_id else ()
    if not by_source:
        return frame(conn, f"""
            SELECT * FROM route_series r {where}
            ORDER BY route, commodity, status, year, value""", params)
    return frame(conn, f"""
        SELECT r.route_id, r.route, r.commodity, r.year, r.status, r.unit, r.value,
               r.in_conflict, r.fact_id, s.doc_id, s.doc_date, d.dup_group
        FROM route_series r JOIN sources s ON s.fact_id = r.fact_id
        JOIN documents d ON d.doc_id = s.doc_id {where}
        ORDER BY r.route, r.commodity, r.status, r.year, s.doc_date, s.doc_id""", params)


def conflicts(conn: sqlite3.Connection) -> pd.DataFrame:
    """Every disagreement, with the documents on each side."""
    data = frame(conn, """
        SELECT c.id, c.kind, c.detail, c.fact_a, c.fact_b,
               (SELECT group_concat(doc_id, ', ') FROM (SELECT DISTINCT doc_id FROM sources
                WHERE fact_id = c.fact_a ORDER BY doc_id)) AS sources_a,
               (SELECT group_concat(doc_id, ', ') FROM (SELECT DISTINCT doc_id FROM sources
                WHERE fact_id = c.fact_b ORDER BY doc_id)) AS sources_b
        FROM conflicts c ORDER BY c.kind, c.detail""")
    return data


def documents(conn: sqlite3.Connection) -> pd.DataFrame:
    return frame(conn, "SELECT * FROM documents ORDER BY doc_id")
