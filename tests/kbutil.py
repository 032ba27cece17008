"""Helpers shared by the tests of pipeline.kb: fact lines, knowledge bases, table dumps."""

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KB_CORPUS = ROOT / "corpus" / "kb"


def holds(doc_id: str, person: str, of: str, position: str, of_type: str = "LOC",
          text: str | None = None, **qualifiers) -> dict:
    return {"doc_id": doc_id, "predicate": "holds_position",
            "subject": {"text": text or person, "normal": person, "type": "PER"},
            "object": {"text": of, "normal": of, "type": of_type},
            "qualifiers": {"position": position, **qualifiers}}


def volume(doc_id: str, route: str, value: float, year: int | None, status: str = "actual",
           unit: str = "t", commodity: str | None = "нефть", text: str | None = None,
           waypoints: list[str] | None = None, **qualifiers) -> dict:
    return {"doc_id": doc_id, "predicate": "route_volume",
            "subject": {"text": text or route, "normal": route, "type": "ROUTE",
                        "waypoints": waypoints if waypoints is not None
                        else [p.strip() for p in route.split(" – ")] if " – " in route else []},
            "object": {"text": f"{value}", "normal": f"{value} {unit}", "type": "QUANTITY",
                       "value": value, "unit": unit},
            "qualifiers": {"year": year, "status": status, "commodity": commodity,
                           **qualifiers}}


def participant(doc_id: str, project: str, who: str, who_type: str = "ORG",
                text: str | None = None, **qualifiers) -> dict:
    return {"doc_id": doc_id, "predicate": "project_participant",
            "subject": {"text": project, "normal": project, "type": "PROJECT"},
            "object": {"text": text or who, "normal": who, "type": who_type},
            "qualifiers": qualifiers}


def write_lines(path: Path, records: list) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False))
                            + "\n" for r in records), encoding="utf-8")
    return path


def write_docs(path: Path, dates: dict[str, str | None]) -> Path:
    """A documents file (as `rufakt extract` writes it, plus dates)."""
    return write_lines(path, [{"doc_id": d, "status": "ok", "date": date}
                              for d, date in dates.items()])


def dump(conn) -> dict[str, list]:
    """Every row of every table, sorted, without SQLite's row ids (insertion order)."""
    tables = [name for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    result = {}
    for table in tables:
        columns = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")
                   if not (table == "sources" and row[1] == "id")]
        rows = conn.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
        result[table] = sorted(rows, key=repr)
    return result


def replay(lines: list[bytes], copies: int, out: Path, start: int = 0) -> int:
    """Write `copies` replays of fact lines under renamed documents (`r000123/<doc_id>`),
    each copy dated one day after the previous; return the number of lines written."""
    import datetime

    import orjson

    records = [orjson.loads(line) for line in lines if line.strip()]
    first = datetime.date(2020, 1, 1)
    written = 0
    with open(out, "wb") as stream:
        for copy in range(start, start + copies):
            day = (first + datetime.timedelta(days=copy % 2000)).isoformat()
            chunk = []
            for record in records:
                record = {**record, "doc_id": f"r{copy:06d}/{record['doc_id']}",
                          "doc_date": day}
                chunk.append(orjson.dumps(record))
            stream.write(b"\n".join(chunk) + b"\n")
            written += len(chunk)
    return written
