"""The modality layer (`rufakt_modality`): whether what a clause says happened (actual), is
planned, is forecast, or is denied or dropped (negated).

Cue words are rules in `pipeline/rules/modality.yml`. A cue governs the words below the word
it belongs to in the dependency tree: the verb it is (`планирует нарастить …`) or the verb it
modifies as an auxiliary, adverb or oblique phrase (`будет прокачано`, `по прогнозу … составит`,
`не планирует`). The modality of a word is that of the nearest cue on its way up the tree to
the sentence root; a verb in the future tense with no cue anywhere above it makes a clause
planned.

A cue may instead speak of its whole sentence (`scope: sentence`: «якобы», «не соответствует
действительности»). A clause opened by «что» is what the words above it say, not a clause of
its own: «опровергли информацию о том, что … перевезут …» is negated.

The component writes the cues' scopes as `doc.spans["rufakt_modality"]` (label = modality,
`Span.id_` = the rule id) and keeps what `modality_of(token)` reads.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..nlp import morphology
from ..rules.engine import RuleSet, load_rules
from .store import doc_cache

SPANS_KEY = "rufakt_modality"
CUES_KEY = "rufakt_modality_cues"
SCOPES_KEY = "rufakt_modality_scopes"  # token index of a clause's verb → the cues on it
SENTENCES_KEY = "rufakt_modality_sentences"  # sentence start → a cue that speaks of it all
CONTENT_MARKS = frozenset({"что", "чтобы", "будто"})
ATTACHED_DEPS = frozenset({"aux", "aux:pass", "advmod", "obl", "parataxis", "discourse", "cop",
                           "mark", "nsubj", "nsubj:pass", "csubj", "amod", "xcomp"})
OWN_CLAUSE_DEPS = frozenset({"conj", "acl", "acl:relcl", "advcl", "parataxis", "root"})
COORDINATED_DEPS = frozenset({"conj", "parataxis", "root"})
SENTENCE_ADVERBIAL_DEPS = frozenset({"parataxis", "discourse", "advmod"})
ACTUAL, PLANNED, FORECAST, NEGATED = "actual", "planned", "forecast", "negated"
FUTURE_RULE = "modality.future_tense"

@dataclass(frozen=True)
class Modality:
    """A word's modality, the cue that decided it (None for actual) and the cue's rule id."""

    label: str
    cue: Token | None = None
    rule: str | None = None


ACTUAL_MODALITY = Modality(ACTUAL)


FUTURE_BE = frozenset({"буду", "будешь", "будет", "будем", "будете", "будут"})


def _future(token: Token) -> bool:
    """A verb in the future tense for the tagger and the dictionary («составит»), or a future
    form of «быть» («будет прокачано», which the tagger calls present)."""
    if token.lower_ in FUTURE_BE:
        return True
    if token.pos_ not in {"VERB", "AUX"} or "Fut" not in token.morph.get("Tense"):
        return False
    return any(parse.tag.tense == "futr" for parse in morphology.parses(token.lower_))


class ModalityLayer:
    """Finds the cues and their scopes (see the module docstring)."""

    def __init__(self, nlp: Language):
        self.rules = RuleSet(nlp.vocab, load_rules("modality"))

    def __call__(self, doc: Doc) -> Doc:
        cues: dict[int, Modality] = {}
        sentences: dict[int, Modality] = {}
        for match in self.rules(doc):
            token = match.span[0]
            if match.rule.option("scope") == "sentence":
                sentences.setdefault(token.sent.start, Modality(match.rule.option("label"), token,
                                                                match.rule.id))
                continue
            after = token.nbor(1) if token.i + 1 < len(doc) else None
            while after is not None and after.is_space and after.i + 1 < len(doc):
                after = after.nbor(1)
            blocked = match.rule.option("not_before", [])
            if after is not None and after.lower_ in blocked:
                continue
            cues.setdefault(token.i, Modality(match.rule.option("label"), token, match.rule.id))
        doc_cache(doc)[CUES_KEY] = cues
        doc_cache(doc)[SCOPES_KEY] = _scopes(cues)
        doc_cache(doc)[SENTENCES_KEY] = sentences
        spans = [Span(doc, found.cue.sent.start, found.cue.sent.end, label=found.label,
                      span_id=found.rule) for found in sentences.values()]
        for index, found in sorted(cues.items()):
            scope = _scope_head(doc[index])
            span = Span(doc, scope.left_edge.i, scope.right_edge.i + 1, label=found.label,
                        span_id=found.rule)
            spans.append(span)
        doc.spans[SPANS_KEY] = sorted(spans, key=lambda span: (span.start, span.end))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


def _scopes(cues: dict[int, Modality]) -> dict[int, list[Modality]]:
    """Each cue under the verb it speaks of: a cue hung by the parser on a noun («по
    маршруту …, по прогнозу, будет перевезено» with «прогнозу» on «маршруту») belongs to the
    nearest verb above it."""
    scopes: dict[int, list[Modality]] = {}
    for modality in cues.values():
        if modality.cue.dep_ not in SENTENCE_ADVERBIAL_DEPS:
            continue
        node = _scope_head(modality.cue)
        seen = set()
        while node.pos_ not in {"VERB", "AUX"} and node.head.i != node.i and node.i not in seen:
            seen.add(node.i)
            node = node.head
        scopes.setdefault(node.i, []).append(modality)
    return scopes


def _scope_head(cue: Token) -> Token:
    """The word a cue governs from: itself when it heads a clause, else the word it modifies."""
    if cue.dep_ in ATTACHED_DEPS and cue.head.i != cue.i:
        return cue.head
    return cue


def modality_of(token: Token) -> Modality:
    """The modality of the clause a word belongs to (see the module docstring)."""
    doc = token.doc
    sentence = doc_cache(doc).get(SENTENCES_KEY, {}).get(token.sent.start)
    if sentence is not None:
        return sentence
    cues: dict[int, Modality] = doc_cache(doc).get(CUES_KEY, {})
    node = token
    seen = set()
    future: Modality | None = None  # the weakest sign: only when no cue speaks above it
    while node.i not in seen:
        seen.add(node.i)
        found = _at(node, cues)
        if found is not None:
            return found
        future = future or _future_at(node)
        if node.head.i == node.i or _own_clause(node):
            break
        node = node.head
    return future or ACTUAL_MODALITY


def modality_at(token: Token) -> Modality:
    """The modality a word carries itself (its own cue, or one attached to it, or its future
    tense), not inherited from the words above it: «следующая встреча», «не участвовал»."""
    cues: dict[int, Modality] = doc_cache(token.doc).get(CUES_KEY, {})
    return _at(token, cues) or _future_at(token) or ACTUAL_MODALITY


def _own_clause(node: Token) -> bool:
    """A finite verb that heads a clause of its own («…, а в прошлом году составил …», «…,
    которая перевезла …»): what governs its head does not govern it."""
    if node.dep_ not in OWN_CLAUSE_DEPS or node.pos_ not in {"VERB", "AUX"}:
        return False
    if node.dep_ != "root" and any(c.dep_ == "mark" and c.lower_ in CONTENT_MARKS
                                   for c in node.children):
        return False  # what «информацию о том, что …» or «ожидается, что …» is about
    if node.dep_ in COORDINATED_DEPS and any(
            child.dep_ in {"aux", "aux:pass", "cop", "nsubj", "nsubj:pass"}
            for child in node.children):
        return True  # «… было перевезено 250 тыс. тонн, а …», «…, а по дороге перевезено X»
    return node.morph.get("VerbForm") in (["Fin"], []) and bool(node.morph.get("Tense"))


def _at(node: Token, cues: dict[int, Modality]) -> Modality | None:
    """The modality a word itself carries: a negation on it first, then a cue it is or has
    attached, then its future tense."""
    attached = [cues[c.i] for c in node.children if c.i in cues and c.dep_ in ATTACHED_DEPS]
    scoped = doc_cache(node.doc).get(SCOPES_KEY, {}).get(node.i, [])
    here = attached + ([cues[node.i]] if node.i in cues else []) + scoped
    for label in (NEGATED, FORECAST, PLANNED):  # an estimate of a plan is a forecast
        found = [m for m in here if m.label == label]
        if found:
            return found[0]
    return None


def _future_at(node: Token) -> Modality | None:
    """A verb in the future tense, or with a future auxiliary («будет прокачано»)."""
    if _future(node) or any(_future(c) for c in node.children if c.dep_ in {"aux", "aux:pass"}):
        return Modality(PLANNED, node, FUTURE_RULE)
    return None


@Language.factory("rufakt_modality", assigns=["doc.spans"],
                  requires=["token.dep", "token.head"])
def make_modality_layer(nlp: Language, name: str) -> ModalityLayer:
    return ModalityLayer(nlp)
