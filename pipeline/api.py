"""The library API: `load`, `extract`, `extract_folder`."""

import os
import sys
from collections.abc import Iterable, Iterator
from functools import cache

from spacy.language import Language

from . import extract as _extractors  # noqa: F401  (registers the predicate components)
from .core import make_doc, with_doc_id
from .extract import component_name
from .facts import PREDICATES, Fact
from .layers import entities, modality, time  # noqa: F401  (register the layer factories)
from .layers.store import release
from .nlp import load as load_core
from .read import ReadOptions, read_inputs

__all__ = ["default_pipeline", "extract", "extract_folder", "load", "make_doc", "release",
           "with_doc_id"]

LAYERS = ("rufakt_time", "rufakt_modality", "rufakt_entities")


def load(facts: bool = True, max_tokens: int = 120, batch_size: int = 64,
         predicates: Iterable[str] | None = None) -> Language:
    """The spaCy pipeline: the NLP core, the document layer (time, entities, modality) and one
    component per predicate (`doc._.facts`), all or `predicates`; the core alone with
    `facts=False`. Models come from the installed natasha and pymorphy3 packages."""
    nlp = load_core(max_tokens=max_tokens, batch_size=batch_size)
    if facts:
        for name in LAYERS:
            nlp.add_pipe(name)
        for predicate in predicates or PREDICATES:
            if predicate not in PREDICATES:
                raise ValueError(f"unknown predicate {predicate!r}; known: {PREDICATES}")
            nlp.add_pipe(component_name(predicate))
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
    release(doc)
    return with_doc_id(doc._.facts or [], doc_id)


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
