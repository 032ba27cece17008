"""Morphology and lemmas: lemmas follow the tagger, batching changes nothing, and the fast
morph model gives slovnet's logits and tags."""

import numpy as np
import pytest

from pipeline.nlp import load, models
from pipeline.nlp.morphology import lemma

TEXTS = [
    "Цены на нефть стали расти.",
    "Завод выпускает трубы из прочной стали.",
    "Министр энергетики Казахстана Ерлан Аккенженов встретился в Баку с коллегой.",
    "",
    "  \n",
    "Поставки газа по трубопроводу выросли на 1,06 млн. т — до 12,5 млн т.\r\nЗаголовок",
    "Эти печи для стали. Они стали партнёрами!",
]


@pytest.fixture(scope="module")
def nlp():
    return load()


def words(doc) -> list[tuple[str, str, str]]:
    return [(t.text, t.pos_, t.lemma_) for t in doc if not t.is_space]


def test_lemma_follows_the_tag(nlp):
    verb = {word: (pos, lem) for word, pos, lem in words(nlp("Цены на нефть стали расти."))}
    noun = {word: (pos, lem) for word, pos, lem in words(nlp("Завод выпускает трубы из стали."))}
    assert verb["стали"] == ("VERB", "стать")
    assert noun["стали"] == ("NOUN", "сталь")


def test_lemmas_are_lower_case_dictionary_forms(nlp):
    doc = nlp("Министры встретились в Баку, поставки выросли.")
    lemmas = {word: lem for word, _, lem in words(doc)}
    assert lemmas["Министры"] == "министр"
    assert lemmas["встретились"] == "встретиться"
    assert lemmas["поставки"] == "поставка"
    assert lemmas[","] == ","


def test_whitespace_tokens(nlp):
    doc = nlp("Газ  \n пошёл")
    space = [t for t in doc if t.is_space]
    assert space and all(t.pos_ == "SPACE" and t.lemma_ == t.text for t in space)


def test_lemmatizer_matches_lemma_function(nlp):
    doc = nlp(TEXTS[2] + " " + TEXTS[5])
    for token in doc:
        if not token.is_space:
            assert token.lemma_ == lemma(token.text, token.pos_, str(token.morph))


def snapshot(doc) -> list:
    return [
        [(t.text, t.whitespace_, t.pos_, str(t.morph), t.lemma_, t.head.i, t.dep_) for t in doc],
        [(e.start, e.end, e.label_, e._.normal) for e in doc.ents],
        [(s.start, s.end) for s in doc.sents] if len(doc) else [],
    ]


def test_pipe_equals_one_doc_at_a_time(nlp):
    one_by_one = [snapshot(nlp(text)) for text in TEXTS]
    assert [snapshot(doc) for doc in nlp.pipe(TEXTS)] == one_by_one
    assert [snapshot(doc) for doc in nlp.pipe(TEXTS, batch_size=2)] == one_by_one


def test_small_model_batches_change_nothing(nlp):
    small = load(batch_size=1)
    assert [snapshot(doc) for doc in small.pipe(TEXTS)] == [snapshot(nlp(t)) for t in TEXTS]


SENTENCES = [
    ["Цены", "на", "нефть", "стали", "расти", "."],
    ["Завод", "выпускает", "трубы", "из", "стали", "."],
    ["ТОО", "«", "Tengizchevroil", "»", "нарастило", "добычу", "до", "1,06", "млн", "т"],
    ["Ёлка"],
    ["Министр", "энергетики", "Казахстана", "Ерлан", "Аккенженов", "прибыл", "в", "Баку"] * 3,
]


def slovnet_tags(items: list[list[str]]) -> list[list[str]]:
    return [[token.tag for token in markup.tokens] for markup in models.morph_tagger().infer(items)]


def test_fast_morph_tags_equal_slovnet():
    model = models.morph_model()
    fast = [[model.tags[i] for i in ids] for ids in model(SENTENCES)]
    assert fast == slovnet_tags(SENTENCES)


def test_fast_morph_logits_equal_slovnet():
    infer = models.morph_tagger().infer
    infer.encoder.batch_size = len(SENTENCES)
    batch = next(iter(infer.encoder(SENTENCES)))
    expected = infer.model(batch.word_id, batch.shape_id, batch.pad_mask)
    expected = np.concatenate([expected[i, : len(s)] for i, s in enumerate(SENTENCES)])
    logits, _ = models.morph_model().logits(SENTENCES)
    np.testing.assert_allclose(logits, expected, rtol=1e-4, atol=1e-4)
    assert (logits.argmax(-1) == expected.argmax(-1)).all()


def test_projection_cache_changes_nothing():
    model = models.morph_model()
    first = [ids.tolist() for ids in model(SENTENCES)]
    cache = model.encoder.projected
    cache.slot_of[:] = -1
    cache.count = 0
    assert [ids.tolist() for ids in model(SENTENCES[::-1])][::-1] == first
