"""Rules as data: pattern files (`pipeline/rules/*.yml`) run by spaCy's `Matcher` and
`DependencyMatcher` over the document layer.

A rule file is a YAML list of rules. Each rule has an `id`, a `doc` line (an example), a
`confidence` (the precision the rule is expected to have; `rufakt evaluate --by-rule` measures
it) and either `tokens` (a sequence, for the `Matcher`) or `deps` (a dependency graph, for the
`DependencyMatcher`). Anything else a rule carries (`options`) is for the component that uses
it. A pattern element is spaCy's token pattern with a few shorthands:

- `mention: PER` — a whole mention of the document layer with that label (PER, ORG, LOC,
  POST, ROUTE, QUANTITY, PROJECT, TIME); in `deps`, the mention's head token;
- `forms: [встреча, переговоры]` — a word any of whose dictionary forms is listed
  (pymorphy3's readings, so «переговорах» and «встречи» match);
- `lexicon: meetings.meeting` — the same with the one-word entries of a lexicon section;
- `text: [",", "—"]` — the word as written, lower-cased;
- `op` — spaCy's `OP` (`?`, `*`, `+`, `!`, `{0,3}`); `bind: name` — the element's tokens (or
  the mention starting there) are returned under `name`.

Whitespace tokens between elements are skipped without being written in the patterns.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import srsly
from spacy.matcher import DependencyMatcher, Matcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from ..layers.store import doc_cache
from ..layers.view import words_of_doc
from ..lexicon import read_lexicon

RULES_DIR = Path(__file__).resolve().parent
SPACE = {"IS_SPACE": True, "OP": "*"}
FORMS_KEY = "rufakt_forms_set"

for _name in ("mb", "mi", "mh", "forms"):
    if not Token.has_extension(_name):
        Token.set_extension(_name, default=None)


class RuleError(ValueError):
    """A rule file that cannot be read: names the file and the rule."""


@dataclass(frozen=True)
class Rule:
    """One rule of a pattern file."""

    id: str
    kind: str  # "tokens" | "deps"
    pattern: tuple
    confidence: float
    doc: str = ""
    options: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def option(self, key: str, default: Any = None) -> Any:
        return self.options.get(key, default)


@dataclass
class Match:
    """A rule's match: the matched tokens and the tokens bound to each name."""

    rule: Rule
    span: Span
    bound: dict[str, list[Token]]

    def first(self, name: str) -> Token | None:
        tokens = self.bound.get(name)
        return tokens[0] if tokens else None


@cache
def load_rules(name: str) -> tuple[Rule, ...]:
    """The rules of `pipeline/rules/<name>.yml`, ids prefixed with `<name>.`."""
    path = RULES_DIR / f"{name}.yml"
    data = srsly.read_yaml(path)
    if not isinstance(data, list):
        raise RuleError(f"{path.name}: expected a list of rules")
    rules, seen = [], set()
    for number, item in enumerate(data, 1):
        if not isinstance(item, dict) or "id" not in item:
            raise RuleError(f"{path.name}: rule {number} has no id")
        rule_id = f"{name}.{item['id']}"
        if rule_id in seen:
            raise RuleError(f"{path.name}: rule id {item['id']!r} is used twice")
        seen.add(rule_id)
        kinds = [kind for kind in ("tokens", "deps") if kind in item]
        if len(kinds) != 1:
            raise RuleError(f"{path.name}: rule {item['id']!r} needs either tokens or deps")
        known = {"id", "doc", "confidence", "tokens", "deps"}
        rules.append(Rule(
            id=rule_id, kind=kinds[0], pattern=tuple(item[kinds[0]]),
            confidence=float(item.get("confidence", 0.8)), doc=str(item.get("doc", "")),
            options={k: v for k, v in item.items() if k not in known},
        ))
    return tuple(rules)


@cache
def lexicon_words(reference: str) -> tuple[str, ...]:
    """The one-word entries of a lexicon section, `file.section` («meetings.meeting»), or of
    every section of the file whose value is the part after the colon
    («persons_meetings:meeting»)."""
    name, _, section = reference.partition(".")
    entries = read_lexicon(name).get(section)
    if entries is None:
        raise RuleError(f"lexicon {name}.txt has no section [{section}]")
    return tuple(sorted({phrase.lower().replace("ё", "е") for phrase, _ in entries
                         if " " not in phrase}))


def _token_attrs(element: dict, in_deps: bool) -> dict:
    """spaCy token attributes of one element, shorthands expanded."""
    attrs = {k: v for k, v in element.items()
             if k not in {"mention", "forms", "lexicon", "text", "op", "bind", "id", "of", "rel"}}
    extension: dict[str, Any] = dict(attrs.pop("_", {}))
    words: list[str] = []
    if "forms" in element:
        words += [w.lower().replace("ё", "е") for w in element["forms"]]
    if "lexicon" in element:
        references = element["lexicon"]
        for reference in [references] if isinstance(references, str) else references:
            words += lexicon_words(reference)
    if words:
        extension["forms"] = {"INTERSECTS": sorted(set(words))}
    if "text" in element:
        attrs["LOWER"] = {"IN": [w.lower() for w in element["text"]]}
    if "mention" in element:
        labels = element["mention"]
        labels = [labels] if isinstance(labels, str) else list(labels)
        extension["mh" if in_deps else "mb"] = {"INTERSECTS": labels}
    if extension:
        attrs["_"] = extension
    return attrs


def token_pattern(elements: Iterable[dict]) -> tuple[list[dict], list[str | None]]:
    """A spaCy `Matcher` pattern and the bind name of each of its elements."""
    pattern: list[dict] = []
    names: list[str | None] = []
    for index, element in enumerate(elements):
        if index:
            pattern.append(dict(SPACE))
            names.append(None)
        attrs = _token_attrs(element, in_deps=False)
        if "op" in element:
            attrs["OP"] = str(element["op"])
        pattern.append(attrs)
        names.append(element.get("bind"))
        if "mention" in element:
            labels = element["mention"]
            labels = [labels] if isinstance(labels, str) else list(labels)
            pattern.append({"_": {"mi": {"INTERSECTS": labels}}, "OP": "*"})
            names.append(element.get("bind"))
    return pattern, names


def dependency_pattern(elements: Iterable[dict]) -> list[dict]:
    """A spaCy `DependencyMatcher` pattern: `id`, `of` (the anchor's id) and `rel` (spaCy's
    operator, «>» by default) on every element but the first."""
    pattern = []
    for index, element in enumerate(elements):
        node = {"RIGHT_ID": element["id"], "RIGHT_ATTRS": _token_attrs(element, in_deps=True)}
        if index:
            node["LEFT_ID"] = element["of"]
            node["REL_OP"] = element.get("rel", ">")
        pattern.append(node)
    return pattern


def set_forms(doc: Doc) -> None:
    """Give every word its lexicon forms (`Token._.forms`, what `forms:` patterns read),
    once per doc."""
    cache = doc_cache(doc)
    if FORMS_KEY in cache:
        return
    words = words_of_doc(doc)
    for token, forms in zip(words.tokens, words.forms, strict=True):
        token._.forms = list(forms)
    cache[FORMS_KEY] = True


class RuleSet:
    """The rules of one or more pattern files, compiled once for a vocabulary."""

    def __init__(self, vocab: Vocab, rules: Iterable[Rule]):
        self.rules = {rule.id: rule for rule in rules}
        self.order = {rule_id: index for index, rule_id in enumerate(self.rules)}
        self.matcher = Matcher(vocab, validate=True)
        self.dep_matcher = DependencyMatcher(vocab, validate=True)
        self.names: dict[str, list[str | None]] = {}
        self.node_ids: dict[str, list[str]] = {}
        for rule in self.rules.values():
            try:
                if rule.kind == "tokens":
                    pattern, names = token_pattern(rule.pattern)
                    self.names[rule.id] = names
                    self.matcher.add(rule.id, [pattern])
                else:
                    pattern = dependency_pattern(rule.pattern)
                    self.node_ids[rule.id] = [node["RIGHT_ID"] for node in pattern]
                    self.dep_matcher.add(rule.id, [pattern])
            except (KeyError, ValueError) as error:
                raise RuleError(f"rule {rule.id}: {error}") from error
        self.has_tokens = any(r.kind == "tokens" for r in self.rules.values())
        self.has_deps = any(r.kind == "deps" for r in self.rules.values())

    def __call__(self, doc: Doc) -> list[Match]:
        """Every match of every rule, in document order, then in rule order."""
        set_forms(doc)
        found: list[Match] = []
        strings = doc.vocab.strings
        if self.has_tokens:
            seen: dict[tuple, Match] = {}
            for key, start, end, alignment in self.matcher(doc, with_alignments=True):
                rule = self.rules[strings[key]]
                names = self.names[rule.id]
                bound: dict[str, list[Token]] = {}
                for offset, element in enumerate(alignment):
                    name = names[element]
                    if name is not None:
                        bound.setdefault(name, []).append(doc[start + offset])
                key = (rule.id, start, tuple((n, t[0].i) for n, t in sorted(bound.items())))
                if key not in seen or seen[key].span.end < end:
                    seen[key] = Match(rule, doc[start:end], bound)
            found.extend(seen.values())
        if self.has_deps:
            for key, token_ids in self.dep_matcher(doc):
                rule = self.rules[strings[key]]
                bound = {node: [doc[i]] for node, i in zip(self.node_ids[rule.id], token_ids,
                                                           strict=True)}
                first, last = min(token_ids), max(token_ids)
                found.append(Match(rule, doc[first:last + 1], bound))
        found.sort(key=lambda m: (m.span.start, self.order[m.rule.id], m.span.end))
        return found
