"""pipeline.kb.dedup: reprints are found, different reports are not."""

from kbutil import KB_CORPUS

from pipeline.kb import dedup

DOCS = KB_CORPUS / "docs"


def _containment(a: str, b: str) -> float:
    one, other = dedup.signature(a), dedup.signature(b)
    return dedup.containment(dedup.similarity(one, other), len(dedup.shingles(a)),
                             len(dedup.shingles(b)))


def test_a_reprint_with_new_headline_and_a_dropped_paragraph_is_a_near_duplicate() -> None:
    original = (DOCS / "kb20_cpc_2024_results.txt").read_text(encoding="utf-8")
    reprint = (DOCS / "kb21_cpc_2024_reprint.txt").read_text(encoding="utf-8")
    assert _containment(original, reprint) >= dedup.THRESHOLD
    assert set(dedup.bands(dedup.signature(original))) & set(dedup.bands(dedup.signature(reprint)))


def test_two_reports_of_one_event_are_not_near_duplicates() -> None:
    baku = (DOCS / "kb13_baku_energy_week.txt").read_text(encoding="utf-8")
    astana = (DOCS / "kb19_baku_talks_astana_view.txt").read_text(encoding="utf-8")
    assert _containment(baku, astana) < 0.2


def test_signatures_are_deterministic_and_survive_the_database() -> None:
    text = "Министр энергетики провел переговоры в Астане с коллегами из Баку."
    signature = dedup.signature(text)
    assert (signature == dedup.signature(text)).all()
    assert (dedup.from_blob(dedup.to_blob(signature)) == signature).all()
    assert len(dedup.bands(signature)) == dedup.BANDS


def test_a_very_short_text_still_has_a_signature() -> None:
    assert dedup.similarity(dedup.signature("Нефть"), dedup.signature("Нефть")) == 1.0
