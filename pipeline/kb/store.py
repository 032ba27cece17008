"""The database file: SQLite, opened with the schema in `schema.sql`.

Writes happen in one transaction per `kb add` (`BEGIN IMMEDIATE` … `COMMIT`): a process
killed at any moment leaves the file as it was after the last complete add. The journal is
a write-ahead log, so a notebook can read the file while `rufakt kb add` writes it.
"""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SCHEMA = Path(__file__).resolve().parent / "schema.sql"
SCHEMA_VERSION = "1"


class StoreError(Exception):
    """A file that is not a knowledge base of this version: the message says which."""


def connect(path: str | Path, *, create: bool = False, readonly: bool = False
            ) -> sqlite3.Connection:
    """A connection to the knowledge base at `path` (created with the schema if `create`)."""
    path = Path(path)
    if not path.exists() and not create:
        raise StoreError(f"no knowledge base at {path} (build one with `rufakt kb add`)")
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a knowledge base file")
    uri = f"file:{path.resolve()}{'?mode=ro' if readonly else ''}"
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA foreign_keys = OFF")
        if not readonly:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA cache_size = -65536")  # 64 MB of pages, whatever the base's size
        conn.execute("PRAGMA temp_store = FILE")
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as error:
        raise StoreError(f"{path} is not a knowledge base: {error}") from None
    if "meta" not in tables:
        if tables or not create:
            raise StoreError(f"{path} is not a rufakt knowledge base")
        conn.executescript("BEGIN IMMEDIATE;\n" + SCHEMA.read_text(encoding="utf-8")
                           + f"\nINSERT INTO meta VALUES ('schema_version', '{SCHEMA_VERSION}');"
                           + "\nCOMMIT;")
    version = get_meta(conn, "schema_version")
    if version != SCHEMA_VERSION:
        raise StoreError(f"{path} has knowledge base schema {version}, this rufakt reads "
                         f"{SCHEMA_VERSION}: rebuild it with `rufakt kb add` into a new file")
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """All of the block or nothing: COMMIT at the end, ROLLBACK on any exception."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def get_meta(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))
