"""razdel tokens and sentences as a spaCy tokenizer that keeps the text byte for byte."""

import re
import weakref
from collections.abc import Iterator

from razdel import sentenize
from razdel.substring import Substring
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

from .chunks import CHUNK_WORDS_KEY, CHUNKS_KEY, cut
from .segment import tokens

DEFAULT_MAX_TOKENS = 120



# each doc this tokenizer made → its text (a str does not keep the doc alive)
TEXTS: "weakref.WeakKeyDictionary[Doc, str]" = weakref.WeakKeyDictionary()

class RazdelTokenizer:
    """Split text with razdel (see `segment.py`); whitespace between tokens becomes spaCy
    whitespace tokens.

    Sentences come from razdel's sentenizer. Model chunks (see `chunks.py`) are the sentences'
    non-whitespace tokens cut to `max_tokens`.
    """

    def __init__(self, vocab: Vocab, max_tokens: int = DEFAULT_MAX_TOKENS):
        self.vocab = vocab
        self.max_tokens = max_tokens

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        starts: list[int] = []
        is_word: list[bool] = []

        def add_gap(gap: str, at: int) -> None:
            if not gap:
                return
            if words and spaces and not spaces[-1] and gap[0] == " " and is_word[-1]:
                spaces[-1] = True
                gap, at = gap[1:], at + 1
            if gap:
                words.append(gap)
                spaces.append(False)
                starts.append(at)
                is_word.append(False)

        position = 0
        for start, stop, word in tokens(text):
            add_gap(text[position:start], position)
            words.append(word)
            spaces.append(False)
            starts.append(start)
            is_word.append(True)
            position = stop
        add_gap(text[position:], position)

        sentence_spans = _sentence_token_ranges(text, starts, is_word)
        sent_starts = [False] * len(words)
        for start, _ in sentence_spans:
            sent_starts[start] = True
        if words:
            sent_starts[0] = True
        doc = Doc(self.vocab, words=words, spaces=spaces, sent_starts=sent_starts)
        chunks = []
        for start, end in sentence_spans:
            words_only = [i for i in range(start, end) if is_word[i]]
            chunks.extend(cut(words_only, self.max_tokens) if words_only else [])
        doc.user_data[CHUNKS_KEY] = chunks
        doc.user_data[CHUNK_WORDS_KEY] = [[words[i] for i in chunk] for chunk in chunks]
        TEXTS[doc] = text  # the text as given (`Doc.text` rebuilds it from every token)
        return doc

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)

    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "RazdelTokenizer":
        return self

    def to_disk(self, path, **kwargs) -> None:
        return None

    def from_disk(self, path, **kwargs) -> "RazdelTokenizer":
        return self


# A unit abbreviation after a number that ends a sentence, which razdel takes for an
# abbreviation inside one: «… 1 млрд кВт·ч. В 2024 году …», «… 5 тыс. т. Новый …».
UNIT_END = re.compile(r"(?:(?<=\d )(?:т|км|м)|(?<=[·*⋅])ч)\.(?=\s+[А-ЯЁA-Z])")


def _sentences(text: str) -> Iterator[Substring]:
    """razdel sentences within each line: a line break always ends a sentence in news text
    (headlines, datelines and list items carry no full stop); a sentence also ends after a
    unit abbreviation with a full stop before a capital («… 1 млрд кВт·ч. В 2024 году»)."""
    for line in re.finditer(r"[^\r\n]+", text):
        for sentence in sentenize(line.group()):
            start = sentence.start + line.start()
            for unit_end in UNIT_END.finditer(sentence.text):
                stop = sentence.start + line.start() + unit_end.end()
                yield Substring(start, stop, "")
                start = stop + 1
            yield Substring(start, sentence.stop + line.start(), "")


def _sentence_token_ranges(
    text: str, starts: list[int], is_word: list[bool]
) -> list[tuple[int, int]]:
    """Token ranges of razdel sentences; whitespace after a sentence stays with it."""
    first_tokens = []
    index = 0
    for sentence in _sentences(text):
        while index < len(starts) and (starts[index] < sentence.start or not is_word[index]):
            index += 1
        if index < len(starts):
            first_tokens.append(index)
    first_tokens = sorted(set(first_tokens))
    if not first_tokens or first_tokens[0] != 0:
        first_tokens.insert(0, 0)
    ends = first_tokens[1:] + [len(starts)]
    return [(s, e) for s, e in zip(first_tokens, ends, strict=True) if s < e]


@registry.tokenizers("rufakt.razdel_tokenizer.v1")
def create_razdel_tokenizer(max_tokens: int = DEFAULT_MAX_TOKENS):
    def make(nlp):
        return RazdelTokenizer(nlp.vocab, max_tokens=max_tokens)

    return make
