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
