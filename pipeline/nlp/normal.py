"""Entity spans in the nominative: `Span._.normal`, inflected with pymorphy3.

«Казахстана» → «Казахстан», «Каспийского зелёного энергетического коридора» →
«Каспийский зелёный энергетический коридор», «Ерлану Аккенженову» → «Ерлан Аккенженов» (names
by `names.py`, the declension of names every part of the pipeline uses). The entity layer
records the fullest name of each person it groups here too, so a mention's `Span._.normal` is
the name its facts use.
The syntactic head of the span and the words that agree with it are put in the nominative;
dependents in other cases («министерства *энергетики*») stay as written.
"""

from collections.abc import Iterable, Iterator
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .morphology import UD_GENDER, best_parse, readings
from .names import name_normal

NORMALS_KEY = "rufakt_normals"
AGREEING_DEPS = {"amod", "det", "flat:name", "flat", "appos", "nummod:gov", "conj"}
KEEP_AS_IS = {"оглы", "кызы", "улы", "уулу", "гызы", "ибн", "де", "фон", "ван", "аль"}


def _restore_shape(word: str, original: str) -> str:
    """Give the inflected word the capitalisation and е/ё spelling of the original
    («КазМунайГаза» → «КазМунайГаз», «зеленого» → «зеленый»)."""
    if "ё" not in original.lower():
        word = word.replace("ё", "е")
    if original.isupper() and len(original) > 1:
        return word.upper()
    chars = list(word)
    for index, (new, old) in enumerate(zip(word, original, strict=False)):
        if new.lower() != old.lower().replace("ё", "е") and new.lower() != old.lower():
            break
        chars[index] = new.upper() if old.isupper() else new
    return "".join(chars)


@lru_cache(maxsize=20_000)
def inflect_word(word: str, pos: str, morph: str, gender: str | None, plural: bool) -> str:
    """`word` in the nominative, keeping number (and gender, when given)."""
    if not word.isalpha() or word.lower() in KEEP_AS_IS:
        return word
    if word.isupper() and len(word) > 1:  # abbreviations: КТК, ОАЭ
        return word
    parse = best_parse(word.lower(), pos, morph)
    wanted = {"nomn", "plur" if plural else "sing"}
    if gender and not plural and parse.tag.POS in {"ADJF", "PRTF", "NUMR"}:
        wanted.add(gender)
    inflected = parse.inflect(wanted) or parse.inflect({"nomn"})
    if inflected is None:
        return word
    return _restore_shape(inflected.word, word)


def _gender(token: Token) -> str | None:
    value = token.morph.get("Gender")
    return UD_GENDER.get(value[0]) if value else None


def _is_plural(token: Token) -> bool:
    return token.morph.get("Number") == ["Plur"]


def normalize(span: Span) -> str:
    """The span in the nominative, with the document's own spacing between words."""
    words = [t for t in span if not t.is_space]
    if not words:
        return span.text
    if span.label_ == "PER":
        return name_normal(span)
    root = _head_noun(words) or span.root
    case = root.morph.get("Case")
    if root.is_space or case in ([], ["Nom"]):
        return span.text
    plural = _is_plural(root)
    gender = _gender(root)
    chosen = [root] + [t for t in words if t.i != root.i and _agrees(t, root)]
    forms = {
        t.i: inflect_word(
            t.text, "ADJ" if t.i != root.i and _adjective_like(t) else t.pos_, str(t.morph),
            gender, plural,
        )
        for t in chosen
    }
    return _join(span, forms)


def _head_noun(words: list[Token]) -> Token | None:
    """The first noun of the phrase that is not an adjective in disguise («Каспийского»)."""
    for token in words:
        if token.pos_ in {"NOUN", "PROPN"} and token.text.isalpha() and not _adjective_like(token):
            return token
    return None


def _adjective_like(token: Token) -> bool:
    return readings(token.text.lower())[0][0].POS in {"ADJF", "PRTF"}


def _agrees(token: Token, root: Token) -> bool:
    """A modifier that takes the head's case: adjectives before it, names in apposition after."""
    if token.morph.get("Case") != root.morph.get("Case"):
        return False
    if token.i < root.i:
        between = root.doc[token.i + 1 : root.i]
        return (token.pos_ in {"ADJ", "DET", "VERB", "NUM"} or _adjective_like(token)) and all(
            t.pos_ in {"ADJ", "DET", "VERB", "NUM", "CCONJ", "PUNCT", "SPACE"} or _adjective_like(t)
            for t in between
        )
    return token.head.i == root.i and token.dep_ in AGREEING_DEPS and token.pos_ != "ADJ"


def _join(span: Span, forms: dict[int, str]) -> str:
    return "".join(forms.get(t.i, t.text) + t.whitespace_ for t in span).strip()


def set_normal(span: Span, normal: str) -> None:
    """Record what a span's `Span._.normal` is (the entity layer's fullest name of a person)."""
    span.doc.user_data.setdefault(NORMALS_KEY, {})[(span.start, span.end, span.label_)] = normal


def span_normal(span: Span) -> str:
    """Getter of `Span._.normal`, cached per document."""
    cache = span.doc.user_data.setdefault(NORMALS_KEY, {})
    key = (span.start, span.end, span.label_)
    if key not in cache:
        cache[key] = normalize(span)
    return cache[key]


if not Span.has_extension("normal"):
    Span.set_extension("normal", getter=span_normal)


class Normalizer:
    """Computes `Span._.normal` for every entity of the doc (kept in the doc's cache)."""

    def __call__(self, doc: Doc) -> Doc:
        for span in doc.ents:
            span_normal(span)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


@Language.factory("rufakt_normalizer")
def make_normalizer(nlp: Language, name: str):
    return Normalizer()
