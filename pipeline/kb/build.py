"""Building the knowledge base: merge documents' facts into the database, incrementally.

`Builder.add` takes one document at a time and applies them in batches. A batch removes the
previous version of changed documents, records the documents and their near-duplicate
groups, adds the names and the within-document edges between them, recomputes the entity of
every name whose component changed, inserts the statements under their merged facts, and
refreshes only the facts, entities and conflicts the batch touched. So the work of an add
grows with what it adds, not with the size of the base, and every derived row is a function
of the set of documents, not of the order in which they came.
"""

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..layers.time import dateline_date
from . import dedup
from .entities import KIND_TYPE, document_edges, statement_nodes
from .gazetteer import Gazetteer
from .merge import FactKey, conflict_id, conflicts, fact_key, is_current, topic
from .names import Node, organisation_name, route_waypoints
from .records import DocumentInput

Report = Callable[[str], None]


@dataclass
class Summary:
    """What an add did."""

    added: int = 0
    changed: int = 0
    unchanged: int = 0
    errors: int = 0
    statements: int = 0
    undated: list[str] = field(default_factory=list)

    def format(self) -> str:
        line = (f"documents: {self.added} added, {self.changed} changed, {self.unchanged} "
                f"unchanged, {self.errors} not readable; fact lines merged: {self.statements}")
        if self.undated:
            line += f"\ndocuments without a date (facts kept, not placed in time): " \
                    f"{len(self.undated)}"
        return line


def _rank(node: Node, gaz: Gazetteer) -> str:
    """Sorts the canonical node of a component first: gazetteer names, full names, names
    that are not abbreviations, longer keys, then the key itself."""
    return (f"{0 if node.key in gaz.nodes else 1}{int(node.partial)}{int(node.abbreviation)}"
            f"{9999 - len(node.key):04d}{node.key}")


def _fingerprint_text(doc: DocumentInput) -> str:
    """What near-duplicate detection compares: the text, else the evidence sentences, else
    (gold records without evidence) the document's own id, which matches nothing."""
    if doc.text:
        return doc.text
    evidence = sorted({s.evidence_text for s in doc.statements if s.evidence_text})
    return "\n".join(evidence) if evidence else f"\x00{doc.doc_id}"


def document_date(doc: DocumentInput) -> str | None:
    """The document's date: given, or the facts' doc_date, or the dateline of its text."""
    if doc.date:
        return str(doc.date)[:10]
    stated = next((s.doc_date for s in doc.statements if s.doc_date), None)
    if stated:
        return stated
    found = dateline_date(doc.text) if doc.text else None
    return found.isoformat() if found else None


class Builder:
    """Merges documents into an open knowledge base (the caller holds the transaction)."""

    def __init__(self, conn: sqlite3.Connection, gaz: Gazetteer, report: Report,
                 batch_size: int = 500):
        self.conn, self.gaz, self.report, self.batch_size = conn, gaz, report, batch_size
        self.batch: list[DocumentInput] = []
        self.queued: set[str] = set()
        self.seen: set[str] = set()  # doc_ids of this add (a scattered one comes again)
        self.summary = Summary()
        self._stored_gazetteer()

    # ---- the public part
    def unchanged(self, doc_id: str, content_hash: str) -> bool:
        """Is this text already in the base under this doc_id?"""
        row = self.conn.execute("SELECT content_hash FROM documents WHERE doc_id = ?",
                                (doc_id,)).fetchone()
        if row and row[0] == content_hash:
            self.summary.unchanged += 1
            return True
        return False

    def add(self, doc: DocumentInput) -> None:
        """Queue a document; new and changed ones are merged at the next batch."""
        row = self.conn.execute("SELECT content_hash, facts_hash, status FROM documents "
                                "WHERE doc_id = ?", (doc.doc_id,)).fetchone()
        if doc.status != "ok":
            self.summary.errors += 1
            if row:
                self.report(f"{doc.doc_id}: {doc.error or 'not readable'}; the version "
                            "already in the knowledge base is kept")
                return
        elif row and row[1] == doc.facts_hash() and (
                doc.text is None or row[0] == doc.content_hash()):
            self.summary.unchanged += doc.doc_id not in self.seen
            self.seen.add(doc.doc_id)
            return
        if doc.doc_id in self.queued:
            self.flush()
        if doc.status == "ok" and doc.doc_id not in self.seen:
            if row:
                self.summary.changed += 1
            else:
                self.summary.added += 1
        self.seen.add(doc.doc_id)
        self.queued.add(doc.doc_id)
        self.batch.append(doc)
        if len(self.batch) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if self.batch:
            Batch(self).apply(self.batch)
            self.batch = []
            self.queued.clear()

    def _stored_gazetteer(self) -> None:
        self.conn.executemany("INSERT OR IGNORE INTO gazetteer VALUES (?, ?)",
                              [(alias, canonical) for canonical, alias in
                               self.gaz.alias_rows()])


class Batch:
    """One batch of documents applied to the base; collects what it touched."""

    def __init__(self, builder: Builder):
        self.b = builder
        self.c = builder.conn
        self.gaz = builder.gaz
        self.affected: set[str] = set()  # fact ids to refresh
        self.touched: set[str] = set()  # nodes whose component may have changed
        self.leftovers: set[str] = set()  # nodes of removed statements
        self.mentioned: set[str] = set()  # nodes this batch mentions
        self.dirty: set[str] = set()  # entity ids to refresh
        self.keys: dict[str, FactKey] = {}
        self.topics: set[tuple[str, str]] = set()
        self.entity_of: dict[str, str] = {}  # node key → entity id, once components are done
        self.upserted: dict[str, str] = {}  # node key → display, this batch
        self.joins: list[tuple[str, str]] = []  # edges new to the base: unions of entities
        self.full: set[str] = set()  # facts to recount from all their sources

    def apply(self, docs: list[DocumentInput]) -> None:
        for doc in docs:
            self._remove(doc.doc_id)
        self.full |= self.affected  # facts that lost sources or changed groups
        prepared = [self._prepare(doc) for doc in docs]
        self.full |= self.affected
        self._clean_leftovers()
        self._components()
        self.full |= self.affected  # facts re-keyed to other entities
        self._insert_sources(prepared)
        self._refresh_facts()
        self._refresh_entities()
        self._refresh_conflicts()

    # ---- removing the previous version of a document
    def _remove(self, doc_id: str) -> None:
        c = self.c
        row = c.execute("SELECT text_hash, dup_group FROM documents WHERE doc_id = ?",
                        (doc_id,)).fetchone()
        if row is None:
            return
        for fact_id, subject, obj in c.execute(
                "SELECT fact_id, subject_node, object_node FROM sources WHERE doc_id = ?",
                (doc_id,)).fetchall():
            self.affected.add(fact_id)
            self.leftovers.update(n for n in (subject, obj) if n)
        edges = c.execute("SELECT a, b FROM edges WHERE doc_id = ?", (doc_id,)).fetchall()
        c.execute("DELETE FROM sources WHERE doc_id = ?", (doc_id,))
        c.execute("DELETE FROM edges WHERE doc_id = ?", (doc_id,))
        for a, b in edges:
            self.leftovers.update((a, b))
            if not c.execute("SELECT 1 FROM edges WHERE a = ? AND b = ?", (a, b)).fetchone():
                self.touched.update((a, b))
        c.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
        text_hash, group = row
        if not c.execute("SELECT 1 FROM documents WHERE text_hash = ?", (text_hash,)).fetchone():
            c.execute("DELETE FROM texts WHERE hash = ?", (text_hash,))
            c.execute("DELETE FROM text_bands WHERE hash = ?", (text_hash,))
            c.execute("DELETE FROM text_pairs WHERE a = ? OR b = ?", (text_hash, text_hash))
            self._split_group(group)

    def _split_group(self, group: str) -> None:
        """Relabel the texts of a group after one left: each component gets its smallest hash."""
        members = {h for (h,) in self.c.execute("SELECT hash FROM texts WHERE dup_group = ?",
                                                (group,))}
        while members:
            start = min(members)
            component, frontier = {start}, [start]
            while frontier:
                current = frontier.pop()
                for (other,) in self.c.execute(
                        "SELECT b FROM text_pairs WHERE a = ? UNION SELECT a FROM text_pairs "
                        "WHERE b = ?", (current, current)):
                    if other in members and other not in component:
                        component.add(other)
                        frontier.append(other)
            members -= component
            label = min(component)
            if label != group:
                self._relabel(component, label)

    def _relabel(self, hashes: Iterable[str], label: str) -> None:
        for text_hash in hashes:
            self.c.execute("UPDATE texts SET dup_group = ? WHERE hash = ?", (label, text_hash))
            for (doc_id,) in self.c.execute("SELECT doc_id FROM documents WHERE text_hash = ?",
                                            (text_hash,)).fetchall():
                self.c.execute("UPDATE documents SET dup_group = ? WHERE doc_id = ?",
                               (label, doc_id))
                self.affected.update(f for (f,) in self.c.execute(
                    "SELECT DISTINCT fact_id FROM sources WHERE doc_id = ?", (doc_id,)))
                self.c.execute("UPDATE sources SET dup_group = ? WHERE doc_id = ?",
                               (label, doc_id))

    # ---- recording a document
    def _prepare(self, doc: DocumentInput) -> tuple[DocumentInput, list]:
        text = _fingerprint_text(doc)
        text_hash = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        group = self._text_group(text_hash, text)
        date = document_date(doc)
        if date is None and doc.status == "ok" and doc.statements:
            self.b.summary.undated.append(doc.doc_id)
            self.b.report(f"{doc.doc_id}: no date (dateline, metadata or doc_date): its facts "
                          "are merged but not placed in time")
        doc.date = date
        self.c.execute(
            "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (doc.doc_id, doc.path, date, doc.status, doc.error, doc.content_hash(),
             doc.facts_hash(), text_hash, group, len(doc.statements)))
        self.b.summary.statements += len(doc.statements)
        statements = []
        pairs = []
        for statement in doc.statements:
            subject, obj = statement_nodes(statement, self.gaz)
            statements.append((statement, subject, obj))
            pairs.append((statement.subject, subject))
            if obj is not None:
                pairs.append((statement.object, obj))
        extra, edges = document_edges(doc.doc_id, pairs, doc.text, self.gaz)
        for node in [node for _, node in pairs] + extra:
            self._upsert_node(node)
        for a, b, why in edges:
            a, b = sorted((a, b))
            if not self.c.execute("SELECT 1 FROM edges WHERE a = ? AND b = ?",
                                  (a, b)).fetchone():
                self.joins.append((a, b))
            self.c.execute("INSERT OR IGNORE INTO edges VALUES (?, ?, ?, ?)",
                           (a, b, doc.doc_id, why))
        return doc, statements

    def _text_group(self, text_hash: str, text: str) -> str:
        row = self.c.execute("SELECT dup_group FROM texts WHERE hash = ?",
                             (text_hash,)).fetchone()
        if row:
            return row[0]
        signature, size = dedup.signature(text), len(dedup.shingles(text))
        buckets = dedup.bands(signature)
        candidates: set[str] = set()
        for band, bucket in enumerate(buckets):
            candidates.update(h for (h,) in self.c.execute(
                "SELECT hash FROM text_bands WHERE band = ? AND bucket = ?", (band, bucket)))
        similar = []
        for other in sorted(candidates):
            blob, other_size, group = self.c.execute(
                "SELECT signature, shingles, dup_group FROM texts WHERE hash = ?",
                (other,)).fetchone()
            score = dedup.containment(dedup.similarity(signature, dedup.from_blob(blob)), size,
                                      other_size)
            if score >= dedup.THRESHOLD:
                similar.append((other, group, score))
        label = min([text_hash, *(group for _, group, _ in similar)])
        for group in {group for _, group, _ in similar if group != label}:
            members = [h for (h,) in self.c.execute("SELECT hash FROM texts WHERE dup_group = ?",
                                                    (group,))]
            self._relabel(members, label)
        self.c.execute("INSERT INTO texts VALUES (?, ?, ?, ?)",
                       (text_hash, dedup.to_blob(signature), size, label))
        self.c.executemany("INSERT OR IGNORE INTO text_bands VALUES (?, ?, ?)",
                           [(band, bucket, text_hash) for band, bucket in enumerate(buckets)])
        self.c.executemany("INSERT OR IGNORE INTO text_pairs VALUES (?, ?, ?)",
                           [(*sorted((text_hash, other)), score) for other, _, score in similar])
        return label

    # ---- names and entities
    def _upsert_node(self, node: Node) -> None:
        if self.upserted.get(node.key) == node.display:
            return
        self.upserted[node.key] = node.display
        self.mentioned.add(node.key)
        row = self.c.execute("SELECT display, entity_id FROM nodes WHERE key = ?",
                             (node.key,)).fetchone()
        fixed = node.key in self.gaz.nodes
        display = self.gaz.nodes[node.key].display if fixed else node.display
        if row is None:
            self.c.execute("INSERT INTO nodes VALUES (?, ?, ?, ?, ?)",
                           (node.key, node.kind, display, _rank(node, self.gaz), node.key))
            self.dirty.add(node.key)
        elif not fixed and (len(display), row[0]) > (len(row[0]), display):
            self.c.execute("UPDATE nodes SET display = ? WHERE key = ?", (display, node.key))
            self.dirty.add(row[1])

    def _clean_leftovers(self) -> None:
        """Nodes only the removed versions named: dropped, or their display recomputed."""
        for key in sorted(self.leftovers - self.mentioned):
            row = self.c.execute("SELECT entity_id FROM nodes WHERE key = ?", (key,)).fetchone()
            if row is None:
                continue
            self.dirty.add(row[0])
            normals = [n for (n,) in self.c.execute(
                "SELECT subject_normal FROM sources WHERE subject_node = ? UNION "
                "SELECT object_normal FROM sources WHERE object_node = ?", (key, key))]
            linked = self.c.execute("SELECT 1 FROM edges WHERE a = ? OR b = ? LIMIT 1",
                                    (key, key)).fetchone()
            if not normals and not linked:
                self.c.execute("DELETE FROM nodes WHERE key = ?", (key,))
                self.touched.discard(key)
            elif normals and key not in self.gaz.nodes and not key.startswith("country:"):
                best = max(normals, key=lambda n: (len(n), [-ord(ch) for ch in n]))
                self.c.execute("UPDATE nodes SET display = ? WHERE key = ?",
                               (_display_of(key, best), key))

    def _neighbours(self, key: str) -> list[str]:
        return [k for (k,) in self.c.execute(
            "SELECT b FROM edges WHERE a = ? UNION SELECT a FROM edges WHERE b = ?", (key, key))]

    def _components(self) -> None:
        """Each component of the name graph that changed gets the key of its best-ranked
        node as entity id; statements naming a node whose entity changed are re-keyed."""
        done: set[str] = set()
        moved: list[str] = []
        for start in sorted(self.touched):
            if start in done or not self.c.execute("SELECT 1 FROM nodes WHERE key = ?",
                                                   (start,)).fetchone():
                continue
            component, frontier = {start}, [start]
            while frontier:
                for other in self._neighbours(frontier.pop()):
                    if other not in component:
                        component.add(other)
                        frontier.append(other)
            done |= component
            marks = ",".join("?" * len(component))
            rows = self.c.execute(f"SELECT key, rank, entity_id FROM nodes WHERE key IN ({marks})",
                                  sorted(component)).fetchall()
            canonical = min(rows, key=lambda r: r[1])[0]
            for key, _, entity in rows:
                if entity != canonical:
                    self.c.execute("UPDATE nodes SET entity_id = ? WHERE key = ?",
                                   (canonical, key))
                    self.dirty.update((entity, canonical))
                    moved.append(key)
        moved += self._unions()
        self.entity_of.clear()
        for key in moved:
            self._rekey(key)

    def _unions(self) -> list[str]:
        """Edges new to the base join two entities: the one whose canonical node ranks
        first absorbs the other (work in proportion to the smaller side's names)."""
        moved: list[str] = []
        for a, b in self.joins:
            entities = [row[0] for row in (self.c.execute(
                "SELECT entity_id FROM nodes WHERE key = ?", (key,)).fetchone() for key in (a, b))
                if row]
            if len(entities) < 2 or entities[0] == entities[1]:
                continue
            ranked = sorted(entities, key=lambda e: self.c.execute(
                "SELECT rank FROM nodes WHERE key = ?", (e,)).fetchone()[0])
            winner, loser = ranked
            moved += [k for (k,) in self.c.execute("SELECT key FROM nodes WHERE entity_id = ?",
                                                   (loser,))]
            self.c.execute("UPDATE nodes SET entity_id = ? WHERE entity_id = ?",
                           (winner, loser))
            self.dirty.update((winner, loser))
        return moved

    def _entity(self, key: str | None) -> str | None:
        if key is None:
            return None
        found = self.entity_of.get(key)
        if found is None:
            found = self.c.execute("SELECT entity_id FROM nodes WHERE key = ?",
                                   (key,)).fetchone()[0]
            self.entity_of[key] = found
        return found

    def _rekey(self, node_key: str) -> None:
        rows = self.c.execute(
            "SELECT id, fact_id, predicate, subject_node, object_node, qualifiers, value, unit "
            "FROM sources WHERE subject_node = ? UNION SELECT id, fact_id, predicate, "
            "subject_node, object_node, qualifiers, value, unit FROM sources "
            "WHERE object_node = ?", (node_key, node_key)).fetchall()
        for source_id, old, predicate, subject, obj, qualifiers, value, unit in rows:
            key = fact_key(predicate, self._entity(subject), self._entity(obj),
                           json.loads(qualifiers), value, unit)
            if key.id != old:
                self.keys[key.id] = key
                self.affected.update((old, key.id))
                self.c.execute("UPDATE sources SET fact_id = ? WHERE id = ?", (key.id, source_id))

    # ---- statements and merged facts
    def _insert_sources(self, prepared: list[tuple[DocumentInput, list]]) -> None:
        rows = []
        self.delta: dict[str, Delta] = {}
        for doc, statements in prepared:
            group = self.c.execute("SELECT dup_group FROM documents WHERE doc_id = ?",
                                   (doc.doc_id,)).fetchone()[0]
            for s, subject, obj in statements:
                key = fact_key(s.predicate, self._entity(subject.key),
                               self._entity(obj.key if obj else None), s.qualifiers,
                               s.object.value, s.object.unit)
                self.keys[key.id] = key
                self.affected.add(key.id)
                current = is_current(s.predicate, s.qualifiers)
                self.delta.setdefault(key.id, Delta()).add(
                    doc.doc_id, group, doc.date if current else None, s.confidence,
                    s.qualifiers.get("approx") if s.predicate == "route_volume" else None)
                rows.append((
                    key.id, doc.doc_id, doc.date, group, int(current),
                    s.predicate, subject.key, obj.key if obj else None,
                    s.subject.text, s.subject.normal, s.subject.start, s.subject.end,
                    s.object.text, s.object.normal, s.object.start, s.object.end,
                    s.object.type, s.object.value, s.object.unit,
                    json.dumps(s.qualifiers, ensure_ascii=False, sort_keys=True),
                    s.evidence_text, s.evidence_start, s.evidence_end, s.rule, s.confidence))
        for fact_id, delta in self.delta.items():  # groups already among a fact's sources
            if fact_id not in self.full:
                delta.new_groups = {g for g in delta.groups if not self.c.execute(
                    "SELECT 1 FROM sources WHERE fact_id = ? AND dup_group = ? LIMIT 1",
                    (fact_id, g)).fetchone()}
        self.c.executemany(
            "INSERT INTO sources (fact_id, doc_id, doc_date, dup_group, current, predicate, "
            "subject_node, object_node, subject_text, subject_normal, subject_start, "
            "subject_end, object_text, object_normal, object_start, object_end, object_type, "
            "value, unit, qualifiers, evidence_text, evidence_start, evidence_end, rule, "
            "confidence) VALUES (" + ",".join("?" * 25) + ")", rows)

    def _refresh_facts(self) -> None:
        c = self.c
        for fact_id in sorted(self.affected):
            before = c.execute("SELECT * FROM facts WHERE id = ?", (fact_id,)).fetchone()
            if before is not None:
                self._note_topic(dict(zip(FACT_COLUMNS, before, strict=True)))
                if fact_id not in self.full:
                    self._add_delta(dict(zip(FACT_COLUMNS, before, strict=True)))
                    continue
            documents, groups, confidence = c.execute(
                "SELECT COUNT(DISTINCT doc_id), COUNT(DISTINCT dup_group), MAX(confidence) "
                "FROM sources WHERE fact_id = ?", (fact_id,)).fetchone()
            if documents == 0:
                c.execute("DELETE FROM facts WHERE id = ?", (fact_id,))
                continue
            first, last = c.execute("SELECT MIN(doc_date), MAX(doc_date) FROM sources "
                                    "WHERE fact_id = ? AND current = 1", (fact_id,)).fetchone()
            key = self.keys.get(fact_id) or _key_of(before)
            approx = None
            if key.predicate == "route_volume":
                marks = {a for (a,) in c.execute(
                    "SELECT DISTINCT json_extract(qualifiers, '$.approx') FROM sources "
                    "WHERE fact_id = ?", (fact_id,))}
                approx = _approx(marks)
            row = (fact_id, key.predicate, key.subject_id, key.object_id, key.position,
                   key.year, key.status, key.unit, key.value, key.commodity, key.role,
                   key.date, approx, documents, groups, first, last, confidence)
            c.execute(f"INSERT OR REPLACE INTO facts VALUES ({','.join('?' * len(row))})", row)
            self._note_topic(dict(zip(FACT_COLUMNS, row, strict=True)))

    def _add_delta(self, fact: dict) -> None:
        """A fact that only gained sources: add them to its counts, dates and hedge."""
        delta = self.delta[fact["id"]]
        seen = [d for d in (fact["first_seen"], fact["last_seen"], *delta.dates) if d]
        confidences = [c for c in (fact["confidence"], *delta.confidences) if c is not None]
        marks = set(delta.approx)
        if fact["predicate"] == "route_volume":
            marks.add(fact["approx"])
        fact.update(sources=fact["sources"] + len(delta.docs),
                    independent=fact["independent"] + len(delta.new_groups),
                    first_seen=min(seen) if seen else None, last_seen=max(seen) if seen else None,
                    confidence=max(confidences) if confidences else None,
                    approx=_approx(marks) if fact["predicate"] == "route_volume" else None)
        row = tuple(fact[name] for name in FACT_COLUMNS)
        self.c.execute(f"INSERT OR REPLACE INTO facts VALUES ({','.join('?' * len(row))})",
                       row)
        self._note_topic(fact)

    def _note_topic(self, fact: dict) -> None:
        obj = fact["object_id"]
        key = topic(fact, obj.split(":", 1)[0] if obj else None)
        if key:
            self.topics.add((json.loads(key)[0], key))

    def _refresh_entities(self) -> None:
        for entity_id in sorted(self.dirty):
            row = self.c.execute("SELECT kind, display FROM nodes WHERE key = ? AND "
                                 "entity_id = ?", (entity_id, entity_id)).fetchone()
            if row is None:
                self.c.execute("DELETE FROM entities WHERE id = ?", (entity_id,))
                continue
            kind, name = row
            code = entity_id.split(":", 1)[1] if kind == "country" else None
            waypoints = None
            if kind == "route":
                points = self.gaz.waypoints.get(entity_id)
                waypoints = json.dumps(points if points is not None else route_waypoints(name),
                                       ensure_ascii=False)
            self.c.execute("INSERT OR REPLACE INTO entities VALUES (?, ?, ?, ?, ?, ?)",
                           (entity_id, KIND_TYPE[kind], kind, name, code, waypoints))

    def _refresh_conflicts(self) -> None:
        for kind, key in sorted(self.topics):
            self.c.execute("DELETE FROM conflicts WHERE topic = ?", (key,))
            parts = json.loads(key)
            if kind == "route_volume":
                rows = self.c.execute(
                    "SELECT * FROM facts WHERE predicate = 'route_volume' AND subject_id = ? "
                    "AND commodity IS ? AND year = ? AND status = ? AND unit = ?",
                    parts[1:]).fetchall()
            else:
                rows = self.c.execute(
                    "SELECT * FROM facts WHERE predicate = 'holds_position' AND object_id = ? "
                    "AND position = ?", parts[1:]).fetchall()
            facts = {r[0]: dict(zip(FACT_COLUMNS, r, strict=True)) for r in rows}
            for a, b in conflicts(kind, list(facts.values())):
                self.c.execute("INSERT INTO conflicts VALUES (?, ?, ?, ?, ?, ?)",
                               (conflict_id(key, a, b), kind, key, a, b,
                                self._detail(kind, facts[a], facts[b])))

    def _detail(self, kind: str, one: dict, other: dict) -> str:
        def name(entity_id: str | None) -> str:
            row = self.c.execute("SELECT display FROM nodes WHERE key = ?",
                                 (entity_id,)).fetchone()
            return row[0] if row else str(entity_id)

        def sources(fact: dict) -> str:
            n = fact["independent"]
            return f"{n} independent source{'s' if n != 1 else ''}"

        if kind == "route_volume":
            head = ", ".join(str(x) for x in (name(one["subject_id"]), one["commodity"],
                                              one["year"], one["status"]) if x is not None)
            return (f"{head}: {_number(one['value'])} {one['unit']} ({sources(one)}) vs "
                    f"{_number(other['value'])} {other['unit']} ({sources(other)})")
        return (f"{one['position']}, {name(one['object_id'])}: {name(one['subject_id'])} "
                f"({one['first_seen']} – {one['last_seen']}, {sources(one)}) vs "
                f"{name(other['subject_id'])} ({other['first_seen']} – {other['last_seen']}, "
                f"{sources(other)})")


class Delta:
    """What one batch adds to a fact: documents, groups, dates, confidences, hedges."""

    def __init__(self) -> None:
        self.docs: set[str] = set()
        self.groups: set[str] = set()
        self.new_groups: set[str] = set()
        self.dates: list[str] = []
        self.confidences: list[float] = []
        self.approx: set[str | None] = set()

    def add(self, doc_id: str, group: str, date: str | None, confidence: float | None,
            approx: str | None) -> None:
        self.docs.add(doc_id)
        self.groups.add(group)
        if date:
            self.dates.append(date)
        if confidence is not None:
            self.confidences.append(confidence)
        self.approx.add(approx)


def _approx(marks: set) -> str | None:
    """The hedge of a merged volume: the one all sources state, «mixed» if they differ."""
    return marks.pop() if len(marks) == 1 else "mixed"


FACT_COLUMNS = ("id", "predicate", "subject_id", "object_id", "position", "year", "status",
                "unit", "value", "commodity", "role", "date", "approx", "sources",
                "independent", "first_seen", "last_seen", "confidence")


def _key_of(row: tuple) -> FactKey:
    data = dict(zip(FACT_COLUMNS, row, strict=True))
    return FactKey(**{name: data[name] for name in FactKey.__dataclass_fields__})


def _display_of(key: str, normal: str) -> str:
    return organisation_name(normal) if key.startswith(("org:", "project:")) else normal


def _number(value: float) -> str:
    """63 000 000, 1 060 000, 2.5."""
    return f"{value:,.0f}".replace(",", " ") if float(value).is_integer() else f"{value:g}"
