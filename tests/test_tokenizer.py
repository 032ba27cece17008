"""The razdel tokenizer: exact offsets, sentences per line, model chunks of bounded length.

Only the tokenizer is built here (no models), so these tests are fast.
"""

from pathlib import Path

import pytest
import razdel
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.attrs import LIKE_NUM
from spacy.lang.ru.lex_attrs import like_num as spacy_like_num
from spacy.vocab import Vocab

from pipeline.nlp import segment
from pipeline.nlp.chunks import chunk_words, doc_chunks
from pipeline.nlp.language import like_num
from pipeline.nlp.tokenizer import RazdelTokenizer

TRICKY = [
    "Ёлка и «ёлочки» — на складе, ещё ёж.",
    "Москва – Пекин — Анкара: 2024–2025 гг.",
    "Т.е. добыча выросла до 1,06 млн. т, т.е. на 5 %.",
    "Компания Chevron и ТОО «Tengizchevroil» (TCO) подписали MoU.",
    "Слова   через   несколько    пробелов.",
    "Строка с переводом\r\nстроки в стиле Windows\r\n",
    "Табуляция\tмежду\t\tсловами",
    "   пробелы в начале и в конце   ",
    "\n\nпустые строки\n\n\nмежду абзацами\n",
    "",
    " ",
    "\r\n\t  \n",
    "А",
    "Цена — $75,5 за барр.; рост +3,2% (г/г)… «Цитата „внутри“» и т. д.",
    "Адрес: https://example.com/путь?id=1, почта info@example.kz",
]


def ru_vocab() -> Vocab:
    """A Russian vocabulary (its lexeme getters give `is_space`, `like_num`...)."""
    return spacy.blank("ru").vocab


@pytest.fixture(scope="module")
def tokenizer() -> RazdelTokenizer:
    return RazdelTokenizer(ru_vocab())


def check_offsets(doc, text: str) -> None:
    assert doc.text == text
    position = 0
    for token in doc:
        assert token.idx == position
        assert text[token.idx : token.idx + len(token.text)] == token.text
        assert token.text  # no empty tokens
        position += len(token.text_with_ws)
    assert position == len(text)


@pytest.mark.parametrize("text", TRICKY)
def test_offsets_are_exact(tokenizer, text):
    check_offsets(tokenizer(text), text)


@pytest.mark.parametrize("text", TRICKY)
def test_chunks_hold_every_word_and_no_whitespace(tokenizer, text):
    doc = tokenizer(text)
    in_chunks = [i for chunk in doc_chunks(doc) for i in chunk]
    assert in_chunks == sorted(in_chunks)
    assert in_chunks == [t.i for t in doc if not t.is_space]
    assert chunk_words(doc) == [[doc[i].text for i in chunk] for chunk in doc_chunks(doc)]


def test_words_keep_their_spelling(tokenizer):
    words = [t.text for t in tokenizer(TRICKY[0]) if not t.is_space]
    assert words[:4] == ["Ёлка", "и", "«", "ёлочки"]
    assert "—" in words and "ёж" in words


def test_decimal_numbers_stay_whole(tokenizer):
    words = [t.text for t in tokenizer(TRICKY[2])]
    assert "1,06" in words


def test_empty_and_whitespace_only(tokenizer):
    assert len(tokenizer("")) == 0
    assert doc_chunks(tokenizer("")) == []
    doc = tokenizer(" \t\r\n ")
    assert doc.text == " \t\r\n "
    assert all(t.is_space for t in doc)
    assert doc_chunks(doc) == []


def sentence_texts(doc) -> list[str]:
    return [s.text.strip() for s in doc.sents if s.text.strip()]


def test_line_breaks_end_sentences(tokenizer):
    doc = tokenizer("Заголовок без точки\nПервое предложение. Второе предложение\r\nЕщё строка")
    assert sentence_texts(doc) == [
        "Заголовок без точки",
        "Первое предложение.",
        "Второе предложение",
        "Ещё строка",
    ]


def test_abbreviations_do_not_end_sentences(tokenizer):
    doc = tokenizer("Добыча составила 1,06 млн. т, т.е. больше плана. Это рекорд.")
    assert len(sentence_texts(doc)) == 2


def test_chunks_follow_sentences(tokenizer):
    doc = tokenizer("Один два три.\nЧетыре пять")
    assert chunk_words(doc) == [["Один", "два", "три", "."], ["Четыре", "пять"]]


def test_long_sentence_is_cut_into_chunks():
    tokenizer = RazdelTokenizer(ru_vocab(), max_tokens=5)
    words = "один два три четыре пять шесть семь восемь девять десять одиннадцать двенадцать"
    text = words + "\nкороткая строка"
    doc = tokenizer(text)
    check_offsets(doc, text)
    lengths = [len(chunk) for chunk in doc_chunks(doc)]
    assert lengths == [5, 5, 2, 2]
    assert chunk_words(doc)[1] == words.split()[5:10]


def test_default_chunks_are_bounded(tokenizer):
    text = " ".join(["нефть", "и", "газ"] * 200)
    doc = tokenizer(text)
    assert max(len(chunk) for chunk in doc_chunks(doc)) == tokenizer.max_tokens
    assert sum(len(chunk) for chunk in doc_chunks(doc)) == 600


VOCAB = ru_vocab()
PIECES = st.sampled_from([
    "нефть", "Газ", "ёж", "Ё", "«", "»", "—", "–", "-", ".", ",", "т.е.", "млн.", "1,06", "2024",
    "Chevron", "КазМунайГаз", " ", "  ", "\t", "\n", "\r\n", "\r", "!", "?", "…", "(", ")", "%",
    "\u00a0", "\u2009", "a.b", "№5",
])


@settings(max_examples=200, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_offsets_property(text):
    doc = RazdelTokenizer(VOCAB, max_tokens=7)(text)
    check_offsets(doc, text)
    assert all(0 < len(chunk) <= 7 for chunk in doc_chunks(doc))


@settings(max_examples=300, deadline=None)
@given(st.one_of(
    st.text(alphabet="0123456789,./+-±~%ёЁабвмлнтрдсяцIVXivx ", max_size=12),
    st.sampled_from(["двадцать", "Миллион", "трлн", "xii", "3/4", "+5%", "1,06", "сто"]),
))
def test_like_num_matches_spacy(text):
    assert like_num(text) == spacy_like_num(text)


def test_spacy_russian_uses_the_like_num_we_replace():
    # load() swaps spaCy's Russian like_num for ours only when this holds
    nlp = spacy.blank("ru")
    assert nlp.vocab.lex_attr_getters[LIKE_NUM] is spacy_like_num


def razdel_tokens(text: str) -> list[tuple[int, int, str]]:
    return [(t.start, t.stop, t.text) for t in razdel.tokenize(text)]


@pytest.mark.parametrize("text", TRICKY)
def test_segment_equals_razdel(text):
    assert segment.tokens(text) == razdel_tokens(text)


RAZDEL_PIECES = st.sampled_from(
    list("абвгдеёжзAbcxyz0123456789 -–—._,/\\:;!?…«»\"'()[]%№$+*=<>@#^&|~`ΔσЖ\n\t\u00a0")
    + ["т.е.", "1,5", "3/4", "www.ru", "a-b", ":)", ":-(", "...", "?!", "--", "**", "yahoo!",
       "кто-то", "из-за", "_", "C++", "10.5", "e-mail"]
)


@settings(max_examples=1000, deadline=None)
@given(st.lists(RAZDEL_PIECES, max_size=30).map("".join))
def test_segment_equals_razdel_property(text):
    assert segment.tokens(text) == razdel_tokens(text)


FACTRU = Path(__file__).resolve().parent.parent.parent / "shared" / "factru-dev"


def test_segment_equals_razdel_on_news():
    paths = sorted(FACTRU.glob("*.txt"))[:40] if FACTRU.is_dir() else []
    if not paths:
        pytest.skip("../shared/factru-dev is absent")
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert segment.tokens(text) == razdel_tokens(text), path.name
