"""`load()`: the spaCy Language that runs the whole NLP core."""

import spacy
from spacy.language import Language

from . import lemmas, morph, ner, normal, syntax, tokenizer  # noqa: F401  (register factories)

CORE_COMPONENTS = ("rufakt_morph", "rufakt_lemmatizer", "rufakt_parser", "rufakt_ner",
                   "rufakt_normalizer")


def load(max_tokens: int = tokenizer.DEFAULT_MAX_TOKENS, batch_size: int = 64) -> Language:
    """A `spacy.Language` ("ru") with razdel tokens, slovnet morphology, syntax and NER,
    pymorphy3 lemmas and `Span._.normal`.

    `max_tokens` bounds the length of what the models see at once (longer sentences are cut);
    `batch_size` is the number of sentences a model runs on together.
    """
    nlp = spacy.blank(
        "ru",
        config={"nlp": {"tokenizer": {"@tokenizers": "rufakt.razdel_tokenizer.v1",
                                      "max_tokens": max_tokens}}},
    )
    for name in CORE_COMPONENTS:
        config = {"batch_size": batch_size} if name in {"rufakt_morph", "rufakt_parser",
                                                        "rufakt_ner"} else {}
        nlp.add_pipe(name, config=config)
    return nlp
