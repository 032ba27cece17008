"""Named entities: the reference press release, and the fast NER model against slovnet's own."""

from pathlib import Path

import numpy as np
import pytest

from pipeline.nlp import fastnn, models
from pipeline.nlp.taggers import crf_decode

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
SEED = SHARED / "seed" / "000_906239780a42e28d.txt"

SENTENCES = [
    ["Министр", "энергетики", "Казахстана", "Ерлан", "Аккенженов", "прибыл", "в", "Баку", "."],
    ["ПАО", "«", "Газпром", "»", "и", "ТОО", "«", "КазМунайГаз", "»", "подписали", "соглашение"],
    ["Встреча", "прошла", "в", "Ташкенте", "."],
    ["Анна", "Ковалёва", "возглавила", "департамент", "Минэнерго", "России"],
    ["А"],
]


@pytest.fixture(scope="module")
def seed_doc(nlp):
    if not SEED.exists():
        pytest.skip("../shared/seed is absent")
    return nlp(SEED.read_text(encoding="utf-8"))


def normals(doc, label: str) -> set[str]:
    return {span._.normal for span in doc.ents if span.label_ == label}


def test_seed_people(seed_doc):
    assert {"Ерлан Аккенженов", "Парвиз Октай оглы Шахбазов"} <= normals(seed_doc, "PER")


def test_seed_countries(seed_doc):
    assert {"Казахстан", "Азербайджан", "Узбекистан"} <= normals(seed_doc, "LOC")


def test_entities_are_word_spans(seed_doc):
    for span in seed_doc.ents:
        assert span.label_ in {"PER", "LOC", "ORG"}
        assert not span[0].is_space and not span[-1].is_space


def test_entities_on_own_sentence(nlp):
    doc = nlp("Министр энергетики Казахстана Ерлан Аккенженов прибыл в Баку.")
    assert ("Ерлан Аккенженов", "PER") in {(e.text, e.label_) for e in doc.ents}
    assert ("Баку", "LOC") in {(e.text, e.label_) for e in doc.ents}


def slovnet_tags(items: list[list[str]]) -> list[list[str]]:
    infer = models.ner_tagger().infer
    return list(infer.decoder(infer.process(infer.encoder(items))))


def test_fast_ner_equals_slovnet():
    model = models.ner_model()
    fast = [[model.tags[i] for i in ids] for ids in model(SENTENCES)]
    assert fast == slovnet_tags(SENTENCES)
    # one chunk at a time too: a chunk's tags do not depend on its batch
    assert [[model.tags[i] for i in model([s])[0]] for s in SENTENCES] == fast


def test_fast_ner_emissions_equal_slovnet():
    infer = models.ner_tagger().infer
    infer.encoder.batch_size = len(SENTENCES)
    batch = next(iter(infer.encoder(SENTENCES)))
    expected = infer.model(batch.word_id, batch.shape_id, batch.pad_mask)
    emissions, _ = models.ner_model().logits(SENTENCES)
    expected = np.concatenate([expected[i, : len(s)] for i, s in enumerate(SENTENCES)])
    np.testing.assert_allclose(emissions, expected, rtol=1e-4, atol=1e-4)


def test_crf_decode_equals_slovnet_on_random_emissions():
    crf = models.ner_tagger().infer.model.head.crf
    rng = np.random.default_rng(7)
    lengths = [5, 1, 9, 3, 9, 2]
    emissions = rng.normal(size=(sum(lengths), 8)).astype(np.float32)
    packed = fastnn.pack(np.zeros(sum(lengths), dtype=np.int64), lengths, padding=1)
    fast = fastnn.split(crf_decode(emissions, crf.transitions.array, packed), packed)
    padded = np.zeros((len(lengths), max(lengths), 8), dtype=np.float32)
    mask = np.zeros((len(lengths), max(lengths)), dtype=bool)
    for row, (start, n) in enumerate(zip(packed.starts, lengths, strict=True)):
        padded[row, :n] = emissions[start : start + n]
        mask[row, :n] = True
    expected = crf.decode(padded, mask)
    assert [list(a) for a in fast] == [list(e) for e in expected]
