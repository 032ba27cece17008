"""`load()`: the spaCy Language that runs the whole NLP core."""

import gc

import spacy
from spacy.attrs import LIKE_NUM
from spacy.lang.ru import lex_attrs
from spacy.language import Language

from . import lemmas, morph, ner, normal, syntax, tokenizer  # noqa: F401  (register factories)

CORE_COMPONENTS = ("rufakt_morph", "rufakt_lemmatizer", "rufakt_parser", "rufakt_ner",
                   "rufakt_normalizer")
NUM_WORDS = frozenset(lex_attrs._num_words)


def like_num(text: str) -> bool:
    """spaCy's Russian `like_num` with its number words in a set rather than a list: the same
    answers, computed for every new word the vocabulary meets."""
    if text.startswith(("+", "-", "±", "~")):
        text = text[1:]
    if text.endswith("%"):
        text = text[:-1]
    text = text.replace(",", "").replace(".", "")
    if text.isdigit():
        return True
    if text.count("/") == 1:
        num, denom = text.split("/")
        if num.isdigit() and denom.isdigit():
            return True
    return text.lower() in NUM_WORDS


def load(max_tokens: int = tokenizer.DEFAULT_MAX_TOKENS, batch_size: int = 64) -> Language:
    """A `spacy.Language` ("ru") with razdel tokens, slovnet morphology, syntax and NER,
    pymorphy3 lemmas and `Span._.normal`.

    `max_tokens` bounds the length of what the models see at once (longer sentences are cut);
    `batch_size` is the number of sentences a model runs on together. Every object alive
    when it returns is frozen out of the cyclic garbage collector (`gc.freeze`).
    """
    # The models, vocabularies and dictionaries loaded here live as long as the process: the
    # cyclic garbage collector is kept off while they load (its passes over the growing heap
    # found nothing to free) and they are frozen out of it afterwards, so later full
    # collections do not walk them (about 0.1 s each, several per hundred documents).
    enabled = gc.isenabled()
    gc.disable()
    try:
        nlp = spacy.blank(
            "ru",
            config={"nlp": {"tokenizer": {"@tokenizers": "rufakt.razdel_tokenizer.v1",
                                          "max_tokens": max_tokens}}},
        )
        if nlp.vocab.lex_attr_getters.get(LIKE_NUM) is lex_attrs.like_num:
            nlp.vocab.lex_attr_getters[LIKE_NUM] = like_num
        for name in CORE_COMPONENTS:
            config = {"batch_size": batch_size} if name in {"rufakt_morph", "rufakt_parser",
                                                            "rufakt_ner"} else {}
            nlp.add_pipe(name, config=config)
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
    return nlp
