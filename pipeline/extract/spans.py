"""Turning spaCy spans into fact mentions and evidence."""

from spacy.tokens import Doc, Span

from ..facts import Evidence, Mention


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


def evidence(doc: Doc, *spans: Span) -> Evidence:
    """The sentence(s) that hold all the spans (from the first one's to the last one's)."""
    start = min(s.sent.start_char for s in spans)
    end = max(s.sent.end_char for s in spans)
    text = doc.text[start:end]
    stripped = text.rstrip()
    return Evidence(text=stripped, start=start, end=start + len(stripped))
