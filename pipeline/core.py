"""What running the pipeline over documents needs besides the pipeline itself: a tokenized
`Doc` carrying the document's date, and facts stamped with their document's id.

Kept apart from `api.py` so that the runners (`run.py`, `distributed.py`) do not import the
library API, which imports them.
"""

from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc

from .facts import Fact

if not Doc.has_extension("date"):
    Doc.set_extension("date", default=None)


def make_doc(nlp: Language, text: str, date: str | None = None) -> Doc:
    """A tokenized doc carrying the document's date (ISO yyyy-mm-dd), for `nlp.pipe`."""
    doc = nlp.make_doc(text)
    doc._.date = date
    return doc


def with_doc_id(facts: Iterable[Fact], doc_id: str | None) -> list[Fact]:
    """Copies of `facts` carrying `doc_id`."""
    return [fact.model_copy(update={"doc_id": doc_id}) for fact in facts]
