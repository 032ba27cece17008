"""Rules as data: pattern files (`pipeline/rules/*.yml`) run by spaCy's `Matcher` and
`DependencyMatcher` over the document layer.

A rule file is a YAML list of rules. Each rule has an `id`, a `doc` line (an example), a
`confidence` (the precision the rule is expected to have; `rufakt evaluate --by-rule` measures
it) and either `tokens` (a sequence, for the `Matcher`) or `deps` (a dependency graph, for the
`DependencyMatcher`), or `code: true` for a rule a component applies in Python (the file then
gives its id, example and confidence, so every fact's rule is listed in one place). Anything
else a rule carries (`options`) is for the component that uses it. A pattern element is
spaCy's token pattern with a few shorthands:

- `mention: PER` — a whole mention of the document layer with that label (PER, ORG, LOC,
  POST, ROUTE, QUANTITY, PROJECT, TIME); in `deps`, the mention's head token. The entity
  layer marks its mentions with `mark_mentions`; the matchers run on a copy of each
  sentence whose `TAG`, `NORM` and `LEMMA` hold the labels of the mentions beginning,
  continuing and headed at each token, so spaCy tests them natively (patterns may not use
  those three attributes, nor `_` extensions);
- `forms: [встреча, переговоры]` — any written form of the listed dictionary words
  (pymorphy3's paradigms, so «переговорах» and «встречи» match), tested by spaCy's `LOWER`;
- `lexicon: meetings.meeting` — the same with the one-word entries of a lexicon section;
- `text: [",", "—"]` — the word as written, lower-cased;
- `op` — spaCy's `OP` (`?`, `*`, `+`, `!`, `{0,3}`); `bind: name` — the element's tokens (or
  the mention starting there) are returned under `name`.

Whitespace tokens between elements are skipped without being written in the patterns.
"""

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy
import yaml
from spacy.attrs import DEP, HEAD, MORPH, ORTH, POS, SENT_START, SPACY
from spacy.matcher import DependencyMatcher, Matcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from ..layers.store import doc_cache, sentences_of, text_of
from ..lexicon import read_lexicon

RULES_DIR = Path(__file__).resolve().parent
SPACE = {"IS_SPACE": True, "OP": "*"}
WORD = re.compile(r"[^\W\d_][\w-]*")  # a word the trigger lists could name
EDGE_PUNCTUATION = ".,;:!?«»\"()[]"
MARKS_KEY = "rufakt_marks"  # "begins" | "inside" | "heads" → token index → mention labels
# shared by the rule sets of one document: sentence number → `_words`; the `SENTENCE_ATTRS`
WORDS_KEY, ARRAY_KEY = "rufakt_rule_words", "rufakt_rule_array"
MENTION_LABELS = ("LOC", "ORG", "PER", "POST", "PROJECT", "QUANTITY", "ROUTE", "TIME")
# where a sentence copy holds the labels of the mentions that begin, continue and are headed
# at each token (the rules do not use these attributes themselves)
MARK_ATTRS = {"begins": "TAG", "inside": "NORM", "heads": "LEMMA"}
RESERVED = frozenset({*MARK_ATTRS.values(), "_"})


class RuleError(ValueError):
    """A rule file that cannot be read: names the file and the rule."""


@dataclass(frozen=True)
class Rule:
    """One rule of a pattern file."""

    id: str
    kind: str  # "tokens" | "deps" | "code"
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


def read_yaml(path: Path) -> Any:
    """A YAML file, read with libyaml where PyYAML has it (ten times faster than a pure Python
    reader: the rule files are read at every start)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)


@cache
def load_rules(name: str) -> tuple[Rule, ...]:
    """The rules of `pipeline/rules/<name>.yml`, ids prefixed with `<name>.`."""
    path = RULES_DIR / f"{name}.yml"
    data = read_yaml(path)
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
        if item.get("code") and not kinds:
            kinds = ["code"]  # decided by the component's code; the file gives id, doc, confidence
        if len(kinds) != 1:
            raise RuleError(f"{path.name}: rule {item['id']!r} needs either tokens or deps")
        known = {"id", "doc", "confidence", "tokens", "deps", "code"}
        rules.append(Rule(
            id=rule_id, kind=kinds[0], pattern=tuple(item[kinds[0]]) if kinds[0] != "code" else (),
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


@cache
def surface_forms(word: str) -> frozenset[str]:
    """Every written form of a dictionary word («встреча» → встречи, встрече, встречу …), with
    ё and е both: what a `forms:` element matches, by spaCy's own fast `LOWER` test."""
    from ..nlp.morphology import analyzer

    word = word.lower()
    forms = {word}
    parses = analyzer().parse(word)
    own = [p for p in parses if p.normal_form.replace("ё", "е") == word.replace("ё", "е")]
    for parse in own or parses[:1]:  # «консультации»: the paradigm of «консультация»
        forms |= {f.word for f in parse.lexeme}
    return frozenset(forms | {f.replace("ё", "е") for f in forms})


def _required(elements: Iterable[dict]) -> frozenset[str]:
    """The mention labels a pattern needs (every one of its `mention:` elements' labels)."""
    needed = set()
    for element in elements:
        labels = element.get("mention")
        if isinstance(labels, str):
            needed.add(labels)
    return frozenset(needed)


def _token_attrs(element: dict, in_deps: bool) -> dict:
    """spaCy token attributes of one element, shorthands expanded."""
    attrs = {k: v for k, v in element.items()
             if k not in {"mention", "forms", "lexicon", "text", "op", "bind", "id", "of", "rel"}}
    if RESERVED & set(attrs):
        raise RuleError(f"{', '.join(sorted(RESERVED & set(attrs)))}: reserved for mentions "
                        "(use `mention:`)")
    words: list[str] = []
    if "forms" in element:
        words += [w.lower().replace("ё", "е") for w in element["forms"]]
    if "lexicon" in element:
        references = element["lexicon"]
        for reference in [references] if isinstance(references, str) else references:
            words += lexicon_words(reference)
    surface: set[str] = set()
    if words:
        surface = {form for word in words for form in surface_forms(word)}
    if "text" in element:
        surface |= {w.lower() for w in element["text"]}
    if surface:
        attrs["LOWER"] = {"IN": sorted(surface)}
    if "mention" in element:
        attrs[MARK_ATTRS["heads" if in_deps else "begins"]] = {
            "IN": mark_codes(element["mention"])}
    return attrs


def _mark_code(labels: Iterable[str]) -> str:
    """The string a sentence copy holds for a token marked with `labels`."""
    return "mention:" + "|".join(sorted(labels))


@cache
def _all_mark_codes() -> dict[frozenset[str], str]:
    sets = [frozenset(label for bit, label in enumerate(MENTION_LABELS) if mask >> bit & 1)
            for mask in range(2 ** len(MENTION_LABELS))]
    return {labels: _mark_code(labels) for labels in sets}


def mark_codes(labels: str | Iterable[str]) -> list[str]:
    """The codes of every set of mention labels that holds one of `labels`."""
    wanted = {labels} if isinstance(labels, str) else set(labels)
    unknown = wanted - set(MENTION_LABELS)
    if unknown:
        raise RuleError(f"unknown mention label {', '.join(sorted(unknown))}")
    return sorted(code for marked, code in _all_mark_codes().items() if marked & wanted)


def mark_mentions(spans: Iterable[tuple[str, Span]]) -> None:
    """Mark each (label, span) for the pattern rules: where the mention begins, the tokens it
    continues over, and its head token."""
    for label, span in spans:
        marks = doc_cache(span.doc).setdefault(MARKS_KEY, {kind: {} for kind in MARK_ATTRS})
        marks["begins"].setdefault(span.start, set()).add(label)
        for index in range(span.start + 1, span.end):
            marks["inside"].setdefault(index, set()).add(label)
        marks["heads"].setdefault(span.root.i, set()).add(label)


# what a sentence copy takes from the document: the words and everything the patterns test
SENTENCE_ATTRS = (ORTH, SPACY, POS, MORPH, DEP, HEAD, SENT_START)


def _sentence_doc(sentence: Span, array: numpy.ndarray,
                  marks: Iterable[tuple[str, int, set[str]]]) -> Doc:
    """A copy of `sentence` (from `array`, the document's `SENTENCE_ATTRS`) whose
    `MARK_ATTRS` hold the codes of its tokens' marks, (kind, token index, labels).

    Built from the array rather than with `Span.as_doc`, which also copies vectors, tensors
    and entities and rewires heads token by token; a sentence with a head outside it (none
    come from the parser, which parses within sentences) is copied by `as_doc`."""
    vocab = sentence.doc.vocab
    part = array[sentence.start : sentence.end]
    heads = part[:, SENTENCE_ATTRS.index(HEAD)].astype(numpy.int64) + numpy.arange(len(part))
    if ((heads < 0) | (heads >= len(part))).any():
        copy = sentence.as_doc()
    else:
        copy = Doc(vocab, words=[vocab.strings[orth] for orth in part[:, 0]],
                   spaces=[bool(space) for space in part[:, 1]])
        copy.from_array(list(SENTENCE_ATTRS[2:]), part[:, 2:])
    empty = vocab.strings.add(_mark_code(()))
    codes = numpy.full((len(copy), len(MARK_ATTRS)), empty, dtype="uint64")
    columns = {kind: column for column, kind in enumerate(MARK_ATTRS)}
    for kind, index, labels in marks:
        known = [label for label in labels if label in MENTION_LABELS]
        codes[index - sentence.start, columns[kind]] = vocab.strings.add(_mark_code(known))
    copy.from_array(list(MARK_ATTRS.values()), codes)
    return copy


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
            pattern.append({MARK_ATTRS["inside"]: {"IN": mark_codes(labels)}, "OP": "*"})
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


def _words(text: str) -> set[str]:
    """Every token a sentence's text may hold: words, and pieces between spaces with and
    without the punctuation around them («и.о.», «(ЕАБР)»)."""
    pieces = text.split()
    return set(WORD.findall(text)) | set(pieces) | {p.strip(EDGE_PUNCTUATION) for p in pieces}


def _required_words(kind: str, pattern: list[dict]) -> tuple[frozenset[str], ...]:
    """Word lists a sentence must each meet with one of its words for a compiled pattern to
    match there: the `LOWER` lists of the elements that must match a token (every node of a
    `deps` pattern; in `tokens`, those without an `OP` or with `+`), where every listed word
    is a plain word that `_words` finds in a text."""
    found = []
    for element in pattern:
        attrs = element["RIGHT_ATTRS"] if kind == "deps" else element
        if attrs.get("OP", "+") != "+":
            continue
        lower = attrs.get("LOWER")
        listed = [lower] if isinstance(lower, str) else (
            lower.get("IN") if isinstance(lower, dict) else None)
        if listed and all(isinstance(w, str) and WORD.fullmatch(w) for w in listed):
            found.append(frozenset(listed))
    return tuple(found)


class RuleSet:
    """The rules of one or more pattern files, compiled once for a vocabulary.

    Rules are grouped by the mention labels they need; a group's matchers only run on the
    sentences that have such mentions, so rules about posts and people cost nothing on the
    many sentences without them."""

    def __init__(self, vocab: Vocab, rules: Iterable[Rule]):
        self.rules = {rule.id: rule for rule in rules}
        self.order = {rule_id: index for index, rule_id in enumerate(self.rules)}
        self.names: dict[str, list[str | None]] = {}
        self.node_ids: dict[str, list[str]] = {}
        self.groups: dict[tuple[frozenset[str], str], Matcher | DependencyMatcher] = {}
        # per group, the word lists of each of its rules (`_required_words`): the group runs
        # on a sentence only where some rule of it finds a word of each of its lists
        self.requirements: dict[tuple[frozenset[str], str],
                                list[tuple[frozenset[str], ...]]] = {}
        self.marked: set[tuple[frozenset[str], str]] = set()  # groups that test mentions
        for rule in self.rules.values():
            if rule.kind == "code":
                continue  # no pattern: the component applies it
            needed = _required(rule.pattern)
            try:
                if rule.kind == "tokens":
                    pattern, names = token_pattern(rule.pattern)
                    self.names[rule.id] = names
                    matcher = self.groups.setdefault((needed, "tokens"),
                                                     Matcher(vocab, validate=True))
                else:
                    pattern = dependency_pattern(rule.pattern)
                    self.node_ids[rule.id] = [node["RIGHT_ID"] for node in pattern]
                    matcher = self.groups.setdefault((needed, "deps"),
                                                     DependencyMatcher(vocab, validate=True))
                matcher.add(rule.id, [pattern])
            except (KeyError, ValueError) as error:
                raise RuleError(f"rule {rule.id}: {error}") from error
            self.requirements.setdefault((needed, rule.kind), []).append(
                _required_words(rule.kind, pattern))
            if any("mention" in element for element in rule.pattern):
                self.marked.add((needed, rule.kind))
        # per group whose every rule requires words: the words one of which a sentence must
        # have for any rule to pass (the shortest list of each rule), tested first in one go
        self.any_word: dict[tuple[frozenset[str], str], frozenset[str]] = {
            group: frozenset().union(*(min(required, key=len) for required in requirements))
            for group, requirements in self.requirements.items() if all(requirements)}

    def __call__(self, doc: Doc) -> list[Match]:
        """Every match of every rule, in document order, then in rule order."""
        strings = doc.vocab.strings
        found: list[Match] = []
        seen: dict[tuple, Match] = {}
        cache = doc_cache(doc)
        marks = cache.get(MARKS_KEY) or {kind: {} for kind in MARK_ATTRS}
        text = text_of(doc)
        sentence_words: dict[int, set[str]] = cache.setdefault(WORDS_KEY, {})
        sentences = sentences_of(doc)
        starts = [sentence.start for sentence in sentences]
        labels: dict[int, set[str]] = {}  # sentence number → the labels marked in it
        # sentence number → (kind, token index, labels) of the marks in it
        marked: dict[int, list[tuple[str, int, set[str]]]] = {}
        for kind, table in marks.items():
            for index, here in table.items():
                number = bisect_right(starts, index) - 1
                marked.setdefault(number, []).append((kind, index, here))
                if kind != "inside":
                    labels.setdefault(number, set()).update(here)
        for number, sentence in enumerate(sentences):
            present = labels.get(number, set())
            words = sentence_doc = None
            for (needed, kind), matcher in self.groups.items():
                if not needed <= present:
                    continue
                any_word = self.any_word.get((needed, kind))
                if any_word is not None:
                    if words is None:  # the sentence's words, from its text (no Token objects)
                        words = sentence_words.get(number)
                        if words is None:
                            words = _words(text[sentence.start_char:sentence.end_char].lower())
                            sentence_words[number] = words
                    if any_word.isdisjoint(words) or not any(
                            all(not listed.isdisjoint(words) for listed in required)
                            for required in self.requirements[(needed, kind)]):
                        continue
                if sentence_doc is None and (kind == "deps" or (needed, kind) in self.marked):
                    array = cache.get(ARRAY_KEY)
                    if array is None:  # the sentence with its marks (see `_sentence_doc`)
                        array = cache[ARRAY_KEY] = doc.to_array(list(SENTENCE_ATTRS))
                    sentence_doc = _sentence_doc(sentence, array, marked.get(number, []))
                if kind == "tokens":
                    target = sentence_doc if (needed, kind) in self.marked else sentence
                    for key, start, end, alignment in matcher(target, with_alignments=True):
                        start, end = start + sentence.start, end + sentence.start
                        rule = self.rules[strings[key]]
                        names = self.names[rule.id]
                        bound: dict[str, list[Token]] = {}
                        for offset, element in enumerate(alignment):
                            name = names[element]
                            if name is not None:
                                bound.setdefault(name, []).append(doc[start + offset])
                        mark = (rule.id, start, tuple((n, t[0].i) for n, t in sorted(
                            bound.items())))
                        if mark not in seen or seen[mark].span.end < end:
                            seen[mark] = Match(rule, doc[start:end], bound)
                else:
                    for key, token_ids in matcher(sentence_doc):
                        token_ids = [i + sentence.start for i in token_ids]
                        rule = self.rules[strings[key]]
                        bound = {node: [doc[i]] for node, i in zip(self.node_ids[rule.id],
                                                                   token_ids, strict=True)}
                        first, last = min(token_ids), max(token_ids)
                        found.append(Match(rule, doc[first:last + 1], bound))
        found.extend(seen.values())
        found.sort(key=lambda m: (m.span.start, self.order[m.rule.id], m.span.end))
        return found
