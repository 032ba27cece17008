"""spaCy DocBin: parsed documents with their facts, for spaCy users.

A stored doc keeps its tokens (with whitespace, so `doc.text` is the document), lemmas,
morphology, POS, syntax, sentences and entities (DocBin's token attributes), every
`doc.spans` group (the layers' `rufakt_*` groups travel as they are), and its user data.
The facts are stored twice, for two kinds of reader:

- `doc.user_data["rufakt_facts"]`: the facts as their JSON Lines dicts (`load_docbin` turns
  them back into `doc._.facts`, a list of `Fact`);
- span groups aligned with that list, labelled with the predicate:
  `doc.spans["rufakt_fact_subjects"][i]`, `["rufakt_fact_objects"][i]` and
  `["rufakt_fact_evidence"][i]` are fact i's subject, object and evidence.

`doc.user_data["doc_id"]` is the document's id. Plain spaCy reads it all back with
`DocBin().from_disk(path).get_docs(nlp.vocab)`; nothing of rufakt needs to be imported.
"""

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import srsly
from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span
from spacy.vocab import Vocab

from ..facts import Fact

FACTS_KEY = "rufakt_facts"
DOC_ID_KEY = "doc_id"
SUBJECTS, OBJECTS, EVIDENCE = "rufakt_fact_subjects", "rufakt_fact_objects", "rufakt_fact_evidence"
FACTS_EXTENSION = ("._.", "facts", None, None)  # where spaCy keeps `doc._.facts`

if not Doc.has_extension("facts"):
    Doc.set_extension("facts", default=None)


def _span(doc: Doc, start: int, end: int, label: str) -> Span:
    span = doc.char_span(start, end, label=label, alignment_mode="expand")
    return span if span is not None else doc[0:0]


def prepare(doc: Doc, doc_id: str | None = None) -> list[str]:
    """Make a processed doc storable: facts into user data and span groups, `doc_id` into
    user data; user data msgpack cannot store is dropped and named in the returned list."""
    facts: list[Fact] = list(doc._.facts or [])
    if doc_id is not None:
        facts = [fact.model_copy(update={"doc_id": doc_id}) for fact in facts]
        doc.user_data[DOC_ID_KEY] = doc_id
    doc.user_data.pop(FACTS_EXTENSION, None)
    doc.user_data[FACTS_KEY] = [fact.model_dump() for fact in facts]
    doc.spans[SUBJECTS] = [_span(doc, f.subject.start, f.subject.end, f.predicate)
                           for f in facts]
    doc.spans[OBJECTS] = [_span(doc, f.object.start, f.object.end, f.predicate) for f in facts]
    doc.spans[EVIDENCE] = [_span(doc, f.evidence.start, f.evidence.end, f.predicate)
                           for f in facts]
    dropped = []
    for key, value in list(doc.user_data.items()):
        try:
            srsly.msgpack_dumps(value)
        except (TypeError, ValueError):
            del doc.user_data[key]
            dropped.append(f"user data {key!r} cannot be stored in a DocBin and was left out")
    return dropped


def to_docbin(docs: Iterable[tuple[str, Doc]]) -> tuple[DocBin, list[str]]:
    """A DocBin of (doc_id, processed doc) pairs, and what could not be stored."""
    docbin = DocBin(store_user_data=True)
    problems: list[str] = []
    for doc_id, doc in docs:
        problems += [f"{doc_id}: {problem}" for problem in prepare(doc, doc_id)]
        docbin.add(doc)
    return docbin, problems


def export_docbin(
    inputs: Iterable[str | os.PathLike[str]], output: str | os.PathLike[str],
    nlp: Language | None = None, batch_size: int = 16,
) -> tuple[int, list[str]]:
    """Run the pipeline on every document of `inputs` and write them to one .spacy file;
    returns the number of documents stored and one line per input that was not."""
    from ..api import default_pipeline, make_doc
    from .documents import read_documents

    documents, problems = read_documents(inputs)
    nlp = nlp or default_pipeline()
    texts = (make_doc(nlp, d.text, d.date) for d in documents.values())
    docs = zip(documents, nlp.pipe(texts, batch_size=batch_size), strict=True)
    docbin, missed = to_docbin(docs)
    docbin.to_disk(Path(output))
    return len(docbin), problems + missed


def load_docbin(path: str | os.PathLike[str], vocab: Vocab | None = None) -> Iterator[Doc]:
    """The docs of a .spacy file with `doc._.facts` restored as `Fact` objects."""
    for doc in DocBin().from_disk(Path(path)).get_docs(vocab or Vocab()):
        doc._.facts = [Fact.model_validate(data) for data in doc.user_data.get(FACTS_KEY, [])]
        yield doc
