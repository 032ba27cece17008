"""Morphology and lemmas: lemmas follow the tagger, batching changes nothing, and the fast
morph model gives slovnet's logits and tags."""

import os

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
    model.encoder.projected.clear()
    assert [ids.tolist() for ids in model(SENTENCES[::-1])][::-1] == first


def dictionary_words() -> list[str]:
    """Words of many kinds: every form of a few lexemes, ё spelt е, letters, unknown words."""
    from pipeline.nlp.morphology import analyzer

    words = {
        "стали", "сталь", "стать", "ёлка", "елка", "еще", "её", "ее", "все", "всё", "а", "б", "я",
        "т", "г", "млн", "тыс", "газпром", "казмунайгаз", "нефтегаз", "кызылорда", "аккенженов",
        "шахбазов", "оглы", "зелёного", "зеленого", "по-новому", "северо-запад", "2024", "1,06",
        "iv", "xii", "chevron", "км", "т.е", "абырвалг", "-", "«", "нефтеперерабатывающий",
    }
    for lemma_ in ("министр", "энергетический", "идти", "коридор", "один", "два", "быть"):
        words.update(form.word for form in analyzer().parse(lemma_)[0].lexeme)
    return sorted(words)


def test_dictionary_readings_replay_pymorphy():
    from pipeline.nlp.morphology import _dictionary, analyzer

    replay = _dictionary()
    assert replay.enabled
    known = 0
    for word in dictionary_words():
        readings = replay(word)
        parses = analyzer().parse(word)
        if readings is None:
            continue
        known += 1
        assert [(r[0], r[1]) for r in readings] == [(p.tag, p.score) for p in parses], word
        assert [replay.parse(r) for r in readings] == parses, word
    assert known > 50


def test_normal_forms_are_those_of_every_parse():
    from pipeline.nlp.morphology import analyzer, normal_forms

    for word in dictionary_words():
        assert normal_forms(word) == [p.normal_form for p in analyzer().parse(word)], word


@pytest.mark.parametrize("pos", ["NOUN", "VERB", "ADJ", "PROPN", "ADP", "X"])
def test_best_parse_is_the_same_without_the_replay(pos):
    from pipeline.nlp import morphology

    morphs = ["", "Case=Gen|Gender=Fem|Number=Sing", "Number=Plur", "Case=Nom|Gender=Masc"]
    words = dictionary_words()
    fast = {(w, m): morphology.best_parse(w, pos, m) for w in words for m in morphs}
    replay = morphology._dictionary()
    morphology.best_parse.cache_clear()
    morphology.readings.cache_clear()
    replay.enabled = False
    try:
        slow = {(w, m): morphology.best_parse(w, pos, m) for w in words for m in morphs}
    finally:
        replay.enabled = True
        morphology.best_parse.cache_clear()
        morphology.readings.cache_clear()
    assert fast == slow


def test_row_cache_grows_then_starts_again():
    from pipeline.nlp.fastnn import RowCache

    cache = RowCache(width=2, capacity=4)

    def compute(keys):
        return np.stack([keys, -keys], axis=1).astype(np.float32)

    slots = cache.slots(np.array([3, 7]), compute)
    assert cache.rows[slots].tolist() == [[3, -3], [7, -7]]
    slots = cache.slots(np.array([1, 3, 9]), compute)
    assert cache.rows[slots].tolist() == [[1, -1], [3, -3], [9, -9]]
    assert len(cache) == 4
    slots = cache.slots(np.array([2, 7]), compute)  # full: starts again with these keys
    assert cache.rows[slots].tolist() == [[2, -2], [7, -7]]
    assert len(cache) == 2


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_row_cache_rows_written_in_a_forked_worker_stay_the_workers():
    from pipeline.nlp.fastnn import RowCache

    cache = RowCache(width=2, capacity=4)
    cache.rows[0] = [1, 1]
    child = os.fork()
    if child == 0:  # the worker: writes the same row, then leaves at once
        cache.rows[0] = [5, 5]
        os._exit(0 if cache.rows[0].tolist() == [5, 5] else 1)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert cache.rows[0].tolist() == [1, 1]


def test_blas_threads_are_restored():
    from pipeline.nlp import blas

    found = blas._openblas()
    if found is None:
        pytest.skip("numpy's OpenBLAS was not found")
    get, _ = found
    before = get()
    with blas.threads(1):
        assert get() == 1
    assert get() == before
    with blas.threads(0):
        assert 1 <= get() <= max(1, os.cpu_count() or 1)
    assert get() == before
    assert 1 <= blas.auto_threads()


def test_blas_kernels_name_what_openblas_coretype_forces():
    import subprocess
    import sys

    from pipeline.nlp import blas

    if blas._library() is None:
        pytest.skip("numpy's OpenBLAS was not found")
    code = "from pipeline.nlp.blas import kernels; print(kernels())"
    env = {**os.environ, "OPENBLAS_CORETYPE": "Haswell"}
    shown = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                           text=True, check=True).stdout.strip()
    assert shown == "Haswell"


def test_letters_without_a_unicode_name_get_a_lemma(nlp):
    # pymorphy3 raised ValueError for them (it asks for every letter's name)
    doc = nlp("Текст 𗀀 и 𗀁𗀂 рядом.")
    assert [t.lemma_ for t in doc if t.text.startswith(("𗀀", "𗀁"))] == ["𗀀", "𗀁𗀂"]
    from pipeline.nlp.morphology import analyzer

    assert [p.normal_form for p in analyzer().parse("𗀄")] == ["𗀄"]
