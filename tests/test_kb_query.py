"""pipeline.kb.open: the analyst's questions, answered as DataFrames."""

import pytest
from kbutil import KB_CORPUS

import pipeline.kb
from pipeline.kb import KnowledgeBase


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    path = tmp_path_factory.mktemp("kb") / "kb.sqlite"
    with KnowledgeBase(path, create=True) as building:
        building.add([str(KB_CORPUS / "gold.jsonl")], texts=KB_CORPUS / "docs",
                     report=lambda m: None)
    opened = pipeline.kb.open(path)
    yield opened
    opened.close()


def test_who_held_a_post_on_a_date(kb) -> None:
    march = kb.holders("министр энергетики Казахстана", on="2024-03-12")
    held = march[march.on_date == "held"]
    assert set(held.person) == {"Нурлан Сапаров", "Асет Мусин"}  # the deliberate conflict
    autumn = kb.holders("министр энергетики", of="Республика Казахстан", on="2024-10-01")
    assert list(autumn[autumn.on_date == "held"].person) == ["Бахыт Есимов"]
    saparov = autumn.set_index("person").loc["Нурлан Сапаров"]
    assert (saparov.first_seen, saparov.last_seen) == ("2023-09-14", "2024-06-06")  # «бывший»
    assert saparov.on_date == "before"                             # does not extend the term


def test_names_resolve_in_any_case_or_alias(kb) -> None:
    assert kb.resolve("Казахстана") == "country:KZ"
    assert kb.resolve("РК") == "country:KZ"
    assert kb.resolve("КТК", ("ROUTE",)) == "route:тенгиз–новороссийск"
    assert kb.resolve("Газпрома") == "org:газпром"
    assert kb.resolve("Нигде Никто") is None
    with pytest.raises(KeyError, match="no entity"):
        kb.timeline("Нигде Никто")


def test_route_volumes_are_a_series_with_conflicts_marked(kb) -> None:
    series = kb.route_volumes("КТК")
    actual = series[series.status == "actual"]
    assert sorted(actual.year.unique()) == [2023, 2024]
    assert set(actual[actual.in_conflict == 1].value) == {65_600_000, 58_000_000}
    by_source = kb.route_volumes("Каспийский трубопроводный консорциум", by_source=True)
    assert len(by_source) == 10 and {"doc_id", "doc_date", "dup_group"} <= set(by_source)


def test_timeline_of_a_person_in_first_seen_order(kb) -> None:
    timeline = kb.timeline("Нурлан Сапаров")
    assert list(timeline.predicate[:1]) == ["holds_position"]
    assert timeline.first_seen.dropna().is_monotonic_increasing
    assert "председатель совета директоров" in set(timeline.position)


def test_entities_and_facts_have_the_documented_columns(kb) -> None:
    entities = kb.entities()
    assert {"id", "type", "name"} <= set(entities.columns)
    assert entities.id.is_unique
    facts = kb.facts()
    assert {"predicate", "subject_id", "subject_name", "object_id", "object_name",
            "sources", "independent"} <= set(facts.columns)
    meeting = facts[facts.predicate == "met_with"].set_index("subject_name")
    assert meeting.loc["Нурлан Сапаров", ["sources", "independent"]].tolist() == [3, 2]


def test_conflicts_list_both_sides_with_their_documents(kb) -> None:
    conflicts = kb.conflicts()
    assert sorted(conflicts.kind) == ["post", "route_volume"]
    post = conflicts[conflicts.kind == "post"].iloc[0]
    assert "Асет Мусин" in post.detail and "Нурлан Сапаров" in post.detail
    assert "kb32_uralsk_report.txt" in post.sources_a + post.sources_b


def test_a_knowledge_base_opened_read_only_cannot_be_written(kb) -> None:
    import sqlite3

    with pytest.raises(sqlite3.OperationalError):
        kb.conn.execute("DELETE FROM facts")
