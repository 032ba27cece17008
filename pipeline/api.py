"""The library API: `load`, `extract`, `extract_folder`."""

import os
import sys
from collections.abc import Iterator
from functools import cache

from spacy.language import Language

from . import extract as _extractors  # noqa: F401  (registers the rufakt_facts factory)
from .core import make_doc, with_doc_id
from .facts import Fact
from .nlp import load as load_core
from .read import ReadOptions, read_inputs

__all__ = ["default_pipeline", "extract", "extract_folder", "load", "make_doc", "with_doc_id"]


def load(facts: bool = True, max_tokens: int = 120, batch_size: int = 64) -> Language:
    """The spaCy pipeline: the NLP core, plus the fact extractors (`doc._.facts`) unless
    `facts=False`. Models come from the installed natasha and pymorphy3 packages."""
    nlp = load_core(max_tokens=max_tokens, batch_size=batch_size)
    if facts:
        nlp.add_pipe("rufakt_facts")
    return nlp


@cache
def default_pipeline() -> Language:
    """One shared pipeline per process for `extract` and `extract_folder`."""
    return load()


def extract(
    text: str, doc_id: str | None = None, *, date: str | None = None,
    nlp: Language | None = None,
) -> list[Fact]:
    """Facts of one text, in document order. `date` (ISO) resolves «в прошлом году»."""
    nlp = nlp or default_pipeline()
    doc = nlp(make_doc(nlp, text, date))
    return with_doc_id(doc._.facts, doc_id)


def extract_folder(
    path: str | os.PathLike, *, options: ReadOptions | None = None,
    nlp: Language | None = None, batch_size: int = 16,
) -> Iterator[Fact]:
    """Stream the facts of every document under `path` (files of any supported format).

    Files that cannot be read are skipped here; the CLI (`rufakt extract`) reports them.
    """
    from .run import process

    for outcome in process(read_inputs([path], options or ReadOptions()),
                           nlp or default_pipeline(), batch_size=batch_size):
        yield from outcome.facts


# `pipeline.extract` names both this function and the extractors' package: importing the
# package (above, or anywhere) binds the name on `pipeline` to it, so give the name back to
# the function, as `import pipeline; pipeline.extract(text)` promises.
sys.modules[__package__].extract = extract  # type: ignore[attr-defined]
