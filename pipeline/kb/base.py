"""`KnowledgeBase`: the database file behind `pipeline.kb.open(path)` and `rufakt kb`."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

from ..read import ReadOptions
from . import query
from .build import Builder, Summary
from .gazetteer import Gazetteer, GazetteerError, load_gazetteer, read_user_files
from .inputs import classify, extracted_documents, facts_documents
from .store import connect, get_meta, set_meta, transaction


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


class KnowledgeBase:
    """A knowledge base file: `add` merges documents into it; the other methods answer
    questions as pandas DataFrames. Readers may use it while another process adds."""

    def __init__(self, path: str | Path, *, create: bool = False, readonly: bool = False):
        self.path = Path(path)
        self.conn = connect(self.path, create=create, readonly=readonly)
        stored = get_meta(self.conn, "gazetteer_files")
        self.user_gazetteer: list[tuple[str, str]] = [tuple(f) for f in json.loads(stored)] \
            if stored else []
        self.gaz: Gazetteer = load_gazetteer(self.user_gazetteer)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- building
    def use_gazetteer(self, paths: Iterable[str | Path]) -> None:
        """Add the user's gazetteer files. They are stored in the base (so later adds use
        them too) and can only be given before the first document is added."""
        files = read_user_files(paths)
        if not files or files == self.user_gazetteer:
            return
        if self.conn.execute("SELECT 1 FROM documents LIMIT 1").fetchone():
            raise GazetteerError(
                f"{self.path} was built with other gazetteer files; a gazetteer changes how "
                "every document merges, so build a new knowledge base with it")
        self.user_gazetteer = files
        self.gaz = load_gazetteer(files)

    def add(self, inputs: Iterable[str], *, texts: str | Path | None = None,
            options: ReadOptions | None = None, jobs: int = 1, batch_size: int = 16,
            report: Callable[[str], None] = _stderr) -> Summary:
        """Merge facts files and documents (extracting what is new or changed) in one
        transaction: either all of it is in the base afterwards or none of it."""
        sorted_inputs = classify(inputs)
        with transaction(self.conn):
            stored = get_meta(self.conn, "gazetteer")
            if stored and stored != self.gaz.fingerprint:
                raise GazetteerError(
                    f"{self.path} was built with another gazetteer (another rufakt version "
                    "or other files): build a new knowledge base")
            set_meta(self.conn, "gazetteer", self.gaz.fingerprint)
            set_meta(self.conn, "gazetteer_files",
                     json.dumps(self.user_gazetteer, ensure_ascii=False))
            builder = Builder(self.conn, self.gaz, report)
            for doc in facts_documents(sorted_inputs, Path(texts) if texts else None, report):
                builder.add(doc)
            if sorted_inputs.raw:
                for doc in extracted_documents(sorted_inputs.raw, options or ReadOptions(),
                                               builder.unchanged, report, jobs=jobs,
                                               batch_size=batch_size):
                    builder.add(doc)
            builder.flush()
        return builder.summary

    # ---- questions
    def resolve(self, name: str, types: tuple[str, ...] = query.TYPES) -> str | None:
        """The entity id for a name, alias, id or inflected form, or None."""
        return query.resolve(self.conn, self.gaz, name, types)

    def _id(self, entity: str, types: tuple[str, ...] = query.TYPES) -> str:
        found = self.resolve(entity, types)
        if found is None:
            raise KeyError(f"no entity called {entity!r} in {self.path}")
        return found

    def entities(self, type: str | None = None) -> pd.DataFrame:
        """Columns id, type, kind, name, code, waypoints, facts."""
        return query.entities(self.conn, type)

    def facts(self, predicate: str | None = None) -> pd.DataFrame:
        """Merged facts with subject/object ids and names and `sources`/`independent`."""
        return query.facts(self.conn, predicate)

    def sources(self, fact_id: str) -> pd.DataFrame:
        return query.sources(self.conn, fact_id)

    def timeline(self, entity: str) -> pd.DataFrame:
        """The facts of an entity (name or id), by first seen."""
        return query.timeline(self.conn, self._id(entity))

    def holders(self, post: str, of: str | None = None, on: str | None = None
                ) -> pd.DataFrame:
        """Who held a post: `holders("министр энергетики Казахстана", on="2024-03-01")` or
        `holders("министр энергетики", of="Казахстан")`."""
        if of is None:
            split = query.split_post(self.conn, self.gaz, post)
            if split is None:
                raise KeyError(f"no country or organisation at the end of {post!r}")
            post, of_id = split
        else:
            of_id = self._id(of, ("LOC", "ORG"))
        return query.holders(self.conn, post, of_id, on)

    def route_volumes(self, route: str | None = None, by_source: bool = False
                      ) -> pd.DataFrame:
        """A route's volumes by commodity, status and year (every route without `route`)."""
        route_id = self._id(route, ("ROUTE",)) if route else None
        return query.route_volumes(self.conn, route_id, by_source)

    def conflicts(self) -> pd.DataFrame:
        """Disagreements with the documents on each side."""
        return query.conflicts(self.conn)

    def documents(self) -> pd.DataFrame:
        return query.documents(self.conn)

    def sql(self, statement: str, params: tuple = ()) -> pd.DataFrame:
        """Any read-only SQL over the tables and views (see README)."""
        return query.frame(self.conn, statement, params)


def open(path: str | Path) -> KnowledgeBase:  # noqa: A001  (the issue's API: pipeline.kb.open)
    """An existing knowledge base, read-only."""
    return KnowledgeBase(path, readonly=True)
