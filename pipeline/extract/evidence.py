"""Turning spaCy spans into fact mentions and evidence."""

from bisect import bisect_right

from spacy.tokens import Doc, Span

from ..facts import Evidence, Mention, Provenance
from ..layers.store import text_of


def mention(span: Span, type_: str, normal: str | None = None, **extra) -> Mention:
    """A mention of `span`, normalised with `Span._.normal` unless `normal` is given."""
    return Mention(
        text=span.text,
        normal=normal if normal is not None else span._.normal,
        type=type_,
        start=span.start_char,
        end=span.end_char,
        **extra,
    )


SENTENCES_KEY = "rufakt_sentence_bounds"


def _sentence_bounds(doc: Doc) -> tuple[str, list[int], list[int]]:
    """The doc's text and its sentences' start and end characters, computed once per doc
    (`doc.text` and `Span.sent` rebuild them on every call, which is slow on long texts)."""
    cached = doc.user_data.get(SENTENCES_KEY)
    if cached is None:
        sentences = list(doc.sents)
        cached = (text_of(doc), [s.start_char for s in sentences],
                  [s.end_char for s in sentences])
        doc.user_data[SENTENCES_KEY] = cached
    return cached


def evidence(doc: Doc, *spans: Span) -> Evidence:
    """The sentence(s) that hold all the spans (from the first one's to the last one's)."""
    text, starts, ends = _sentence_bounds(doc)
    first = max(bisect_right(starts, min(s.start_char for s in spans)) - 1, 0)
    last = max(bisect_right(starts, max(s.end_char - 1 for s in spans)) - 1, 0)
    start, end = starts[first], ends[last]
    stripped = text[start:end].rstrip()
    return Evidence(text=stripped, start=start, end=start + len(stripped))


def provenance(rule: str, *components: str) -> Provenance:
    """A fact's provenance: its rule id and the layer components it was built from (the
    predicate's own component is added by the caller's registration)."""
    return Provenance(rule=rule, components=list(components))
