"""`rufakt kb export`: every table and view as Parquet or CSV files, in bounded memory."""

from pathlib import Path

import pandas as pd

TABLES = ("documents", "entities", "aliases", "mentions", "facts_named", "sources",
          "conflicts", "post_intervals", "route_series")
CHUNK = 50_000


def export(conn, folder: str | Path, format: str = "parquet") -> list[Path]:
    """Write `<table>.parquet` (or `.csv`) for each of TABLES into `folder`; return the
    files. Large tables are written in chunks of 50,000 rows."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in TABLES:
        name = "facts" if table == "facts_named" else table
        path = folder / f"{name}.{format}"
        chunks = pd.read_sql_query(f"SELECT * FROM {table}", conn, chunksize=CHUNK)
        if format == "csv":
            _csv(chunks, path)
        else:
            _parquet(chunks, path, conn, table)
        written.append(path)
    return written


def _csv(chunks, path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as stream:
        for number, chunk in enumerate(chunks):
            chunk.to_csv(stream, index=False, header=number == 0)


def _parquet(chunks, path: Path, conn, table: str) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    declared = {row[1]: row[2].upper() for row in conn.execute(f"PRAGMA table_info({table})")}
    types = {"INTEGER": pa.int64(), "REAL": pa.float64(), "TEXT": pa.string(),
             "BLOB": pa.binary()}
    writer = None
    schema = None
    try:
        for chunk in chunks:
            batch = pa.Table.from_pandas(chunk, preserve_index=False)
            if writer is None:  # declared column types; an untyped one as first inferred
                schema = pa.schema([
                    pa.field(f.name, types.get(declared.get(f.name, ""),
                                               pa.string() if pa.types.is_null(f.type)
                                               else f.type)) for f in batch.schema])
                writer = pq.ParquetWriter(path, schema)
            writer.write_table(batch.cast(schema, safe=False))
        if writer is None:  # an empty table: still a file, with its columns
            empty = pd.read_sql_query(f"SELECT * FROM {table} LIMIT 0", conn)
            pq.write_table(pa.Table.from_pandas(empty, preserve_index=False), path)
    finally:
        if writer is not None:
            writer.close()
