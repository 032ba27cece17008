"""The gazetteer: countries (ISO 3166 via pycountry), organisations and routes with their
aliases, read from `data/gazetteer.yml` and optional user files of the same form.

It maps the key of any alias to the node of the entity: «Республика Казахстан», «РК» and
«Казахстан» → `country:KZ`; «КТК» as a route → `route:тенгиз–новороссийск`.
"""

import gettext
import hashlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pycountry
import srsly

from .names import DATA, Node, plain_node, route_node, slug

SHIPPED = DATA / "gazetteer.yml"
KNOWN_ROUTES = Path(__file__).resolve().parents[1] / "lexicon" / "routes_known.txt"


class GazetteerError(ValueError):
    """A gazetteer file that cannot be read: the message names the file and the entry."""


@dataclass
class Gazetteer:
    """Alias keys → canonical nodes, per kind (`country`, `org`, `route`, `project`)."""

    nodes: dict[str, Node] = field(default_factory=dict)  # canonical key → node
    aliases: dict[str, str] = field(default_factory=dict)  # alias key → canonical key
    countries: dict[str, str] = field(default_factory=dict)  # slug of a name → country key
    waypoints: dict[str, list[str]] = field(default_factory=dict)  # route key → waypoints
    fingerprint: str = ""

    def canonical(self, node: Node) -> Node:
        """The gazetteer's node for `node` if its key is a known alias, else `node`."""
        key = self.aliases.get(node.key)
        return self.nodes[key] if key else node

    def country(self, name: str) -> Node | None:
        """The country named `name` in any of its forms, or None."""
        key = self.countries.get(slug(name))
        return self.nodes[key] if key else None

    def alias_rows(self) -> Iterable[tuple[str, str]]:
        """(canonical key, alias key) pairs."""
        return sorted((canonical, alias) for alias, canonical in self.aliases.items())


def _plain(text: str) -> str:
    """Without stress marks (pycountry writes «Респу́блика»)."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c != "\u0301"))


def _pycountry_names() -> dict[str, list[str]]:
    russian = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"])
    names: dict[str, list[str]] = {}
    for country in pycountry.countries:
        forms = [country.name, getattr(country, "official_name", None),
                 getattr(country, "common_name", None)]
        names[country.alpha_2] = [_plain(russian.gettext(f)) for f in forms if f]
    return names


def _add_country(gaz: Gazetteer, code: str, name: str, aliases: Iterable[str]) -> None:
    key = f"country:{code}"
    gaz.nodes[key] = Node(key, "country", name)
    for alias in [name, *aliases]:
        gaz.countries[slug(alias)] = key


def _entries(data: dict, section: str, path: Path) -> list[dict]:
    entries = data.get(section) or []
    if not isinstance(entries, list):
        raise GazetteerError(f"{path}: `{section}` must be a list")
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or not entry.get("name"):
            raise GazetteerError(f"{path}: {section} entry {number} has no name")
        if not isinstance(entry.get("aliases", []), list):
            raise GazetteerError(f"{path}: {section} entry {entry['name']!r}: aliases must "
                                 "be a list")
    return entries


def _add_file(gaz: Gazetteer, path: Path | str, content: str) -> None:
    try:
        data = srsly.yaml_loads(content)
    except Exception as error:  # noqa: BLE001  (YAML syntax errors come in several types)
        raise GazetteerError(f"{path}: not a YAML gazetteer: {error}".splitlines()[0]) from None
    if not isinstance(data, dict):
        raise GazetteerError(f"{path}: expected `countries`, `organisations` and `routes`")
    for entry in _entries(data, "countries", path):
        code = str(entry.get("code", "")).upper()
        if code and pycountry.countries.get(alpha_2=code) is None:
            raise GazetteerError(f"{path}: country {entry['name']!r}: unknown ISO code {code}")
        _add_country(gaz, code or slug(entry["name"]), entry["name"], entry.get("aliases", []))
    for kind, section in (("org", "organisations"), ("project", "projects")):
        for entry in _entries(data, section, path):
            node = plain_node(kind, entry["name"])
            gaz.nodes[node.key] = Node(node.key, kind, node.display)
            for alias in entry.get("aliases", []):
                gaz.aliases[plain_node(kind, str(alias)).key] = node.key
    for entry in _entries(data, "routes", path):
        points = [str(p) for p in entry.get("waypoints") or []]
        node = route_node(entry["name"], points)
        gaz.nodes[node.key] = Node(node.key, "route", entry["name"])
        gaz.waypoints[node.key] = points
        for alias in entry.get("aliases", []):
            gaz.aliases[route_node(str(alias), None).key] = node.key


def _known_routes_yaml() -> str:
    """The extractors' well-known routes (`lexicon/routes_known.txt`) in the gazetteer's form:
    one route per normal, waypoints from « – », every alias."""
    from ..lexicon import read_lexicon

    aliases: dict[str, list[str]] = {}
    for alias, normal in read_lexicon("routes_known")["known routes"]:
        aliases.setdefault(normal, [])
        if alias != normal:
            aliases[normal].append(alias)
    routes = [{"name": normal, "waypoints": normal.split(" – ") if " – " in normal else [],
               "aliases": found} for normal, found in aliases.items()]
    return srsly.yaml_dumps({"routes": routes})


def read_user_files(paths: Iterable[str | Path]) -> list[tuple[str, str]]:
    """(name, content) of the user's gazetteer files."""
    files = []
    for path in map(Path, paths):
        if not path.is_file():
            raise GazetteerError(f"no such gazetteer file: {path}")
        files.append((str(path), path.read_text(encoding="utf-8")))
    return files


def load_gazetteer(extra: Iterable[tuple[str, str]] = ()) -> Gazetteer:
    """The shipped gazetteer with pycountry's Russian country names, plus the user's files
    as (name, content) pairs (later entries win). `fingerprint` changes with any of it."""
    gaz = Gazetteer()
    for code, names in _pycountry_names().items():
        _add_country(gaz, code, names[0], names[1:])
    digest = hashlib.sha256(pycountry.__version__.encode()
                            if hasattr(pycountry, "__version__") else b"pycountry")
    for name, content in [(str(SHIPPED), SHIPPED.read_text(encoding="utf-8")),
                          (str(KNOWN_ROUTES), _known_routes_yaml()), *extra]:
        digest.update(content.encode())
        _add_file(gaz, name, content)
    for alias, key in list(gaz.aliases.items()):
        if alias == key:
            del gaz.aliases[alias]
    gaz.fingerprint = digest.hexdigest()[:16]
    return gaz
