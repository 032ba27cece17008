"""pipeline.kb.build: merging is incremental, idempotent, order-independent and loses nothing."""

import shutil

import pytest
from kbutil import KB_CORPUS, dump, holds, participant, volume, write_docs, write_lines

from pipeline.kb import KnowledgeBase


def _build(path, *inputs, texts=None, report=None) -> KnowledgeBase:
    kb = KnowledgeBase(path, create=True)
    for group in inputs:
        kb.add([str(p) for p in group], texts=texts, report=report or (lambda m: None))
    return kb


def _split_gold(tmp_path, parts: int = 3) -> list:
    """The corpus gold facts in `parts` files, documents dealt round-robin."""
    lines = (KB_CORPUS / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    docs = sorted({line.split('"doc_id": "')[1].split('"')[0] for line in lines})
    files = []
    for part in range(parts):
        mine = set(docs[part::parts])
        path = tmp_path / f"part{part}.jsonl"
        path.write_text("\n".join(ln for ln in lines if any(f'"{d}"' in ln for d in mine)) + "\n",
                        encoding="utf-8")
        files.append(path)
    return files


@pytest.fixture(scope="module")
def corpus_kb(tmp_path_factory):
    kb = _build(tmp_path_factory.mktemp("kb") / "kb.sqlite", [KB_CORPUS / "gold.jsonl"],
                texts=KB_CORPUS / "docs")
    yield kb
    kb.close()


def test_a_person_named_in_many_documents_and_forms_is_one_entity(corpus_kb) -> None:
    rows = corpus_kb.sql("SELECT DISTINCT normal FROM mentions WHERE entity_id = ?",
                         ("per:эльвин_гусейнзаде",))
    assert set(rows["normal"]) == {"Эльвин Гусейнзаде", "Эльвин Рауф оглы Гусейнзаде"}
    entity = corpus_kb.sql("SELECT name FROM entities WHERE id = 'per:эльвин_гусейнзаде'")
    assert entity["name"][0] == "Эльвин Рауф оглы Гусейнзаде"  # the fullest form


def test_same_surname_different_first_name_stays_two_persons(corpus_kb) -> None:
    persons = set(corpus_kb.entities("PER")["id"])
    assert {"per:нурлан_сапаров", "per:ерлан_сапаров"} <= persons


def test_an_abbreviation_only_document_joins_the_organisation_defined_elsewhere(corpus_kb
                                                                                ) -> None:
    klk = corpus_kb.resolve("КЛК")
    assert klk == "org:каспийская_логистическая_компания"
    roles = corpus_kb.facts("project_participant").query("object_id == @klk")["role"]
    assert sorted(roles) == ["инвестор", "партнер"]  # keys compare «ё» as «е»


def test_reprints_count_once_among_the_sources(corpus_kb) -> None:
    facts = corpus_kb.facts("route_volume")
    cpc_2024 = facts[(facts.year == 2024) & (facts.value == 65_600_000)].iloc[0]
    assert (cpc_2024.sources, cpc_2024.independent) == (2, 1)
    groups = corpus_kb.sql("SELECT doc_id, dup_group FROM documents").set_index("doc_id")
    assert groups.loc["kb20_cpc_2024_results.txt", "dup_group"] == \
        groups.loc["kb21_cpc_2024_reprint.txt", "dup_group"]
    assert groups["dup_group"].nunique() == 34 - 4


def test_documents_get_their_dates_from_the_datelines(corpus_kb) -> None:
    dates = corpus_kb.documents().set_index("doc_id")["date"]
    assert dates["kb01_saparov_oil_exports.txt"] == "2023-09-14"
    assert dates["kb03_cpc_2023_reprint.txt"] == "2024-01-19"  # «19.01.2024 09:40»
    assert dates.notna().all()


def test_a_second_add_of_the_same_inputs_changes_nothing(tmp_path) -> None:
    kb = _build(tmp_path / "kb.sqlite", [KB_CORPUS / "gold.jsonl"], texts=KB_CORPUS / "docs")
    before = dump(kb.conn)
    summary = kb.add([str(KB_CORPUS / "gold.jsonl")], texts=KB_CORPUS / "docs",
                     report=lambda m: None)
    assert (summary.added, summary.changed, summary.unchanged) == (0, 0, 34)
    assert dump(kb.conn) == before


def test_adding_in_parts_in_any_order_gives_the_same_base(tmp_path) -> None:
    parts = _split_gold(tmp_path)
    whole = _build(tmp_path / "whole.sqlite", [KB_CORPUS / "gold.jsonl"],
                   texts=KB_CORPUS / "docs")
    forward = _build(tmp_path / "forward.sqlite", *[[p] for p in parts],
                     texts=KB_CORPUS / "docs")
    backward = _build(tmp_path / "backward.sqlite", *[[p] for p in parts[::-1]],
                      texts=KB_CORPUS / "docs")
    expected = dump(whole.conn)
    del expected["meta"]
    for kb in (forward, backward):
        got = dump(kb.conn)
        del got["meta"]
        assert got == expected


def test_a_changed_document_replaces_its_facts(tmp_path) -> None:
    first = write_lines(tmp_path / "v1.jsonl", [
        holds("a.txt", "Нурлан Сапаров", "Казахстан", "министр энергетики"),
        holds("b.txt", "Бахыт Есимов", "Казахстан", "министр энергетики")])
    kb = _build(tmp_path / "kb.sqlite", [first])
    second = write_lines(tmp_path / "v2.jsonl", [
        holds("a.txt", "Асет Мусин", "Казахстан", "заместитель министра энергетики")])
    summary = kb.add([str(second)], report=lambda m: None)
    assert (summary.added, summary.changed) == (0, 1)
    persons = set(kb.facts()["subject_name"])
    assert persons == {"Асет Мусин", "Бахыт Есимов"}
    assert "per:нурлан_сапаров" not in set(kb.entities()["id"])
    fresh = _build(tmp_path / "fresh.sqlite",
                   [write_lines(tmp_path / "v3.jsonl", [
                       holds("b.txt", "Бахыт Есимов", "Казахстан", "министр энергетики"),
                       holds("a.txt", "Асет Мусин", "Казахстан",
                             "заместитель министра энергетики")])])
    assert {k: v for k, v in dump(kb.conn).items() if k not in ("meta", "documents")} == \
        {k: v for k, v in dump(fresh.conn).items() if k not in ("meta", "documents")}


def test_an_alias_that_arrives_later_merges_two_entities(tmp_path) -> None:
    short = write_lines(tmp_path / "short.jsonl", [
        participant("b.txt", "Каспийский узел", "КЛК", role="инвестор")])
    full = write_lines(tmp_path / "full.jsonl", [
        participant("a.txt", "Каспийский узел", "Каспийская логистическая компания",
                    text="КЛК", role="партнёр")])
    kb = _build(tmp_path / "kb.sqlite", [short])
    assert kb.resolve("КЛК") == "org:клк"
    kb.add([str(full)], report=lambda m: None)
    assert kb.resolve("КЛК") == "org:каспийская_логистическая_компания"
    assert set(kb.facts()["object_id"]) == {"org:каспийская_логистическая_компания"}
    assert "org:клк" not in set(kb.entities()["id"])
    other = _build(tmp_path / "other.sqlite", [full], [short])
    assert dump(other.conn)["facts"] == dump(kb.conn)["facts"]


def test_broken_lines_and_undated_documents_are_reported_and_lose_nothing_else(tmp_path
                                                                              ) -> None:
    facts = write_lines(tmp_path / "facts.jsonl", [
        volume("a.txt", "Актау – Баку", 1_200_000, 2024),
        "not json",
        volume("b.txt", "Актау – Баку", 1_300_000, 2024),
    ])
    write_docs(tmp_path / "facts.docs.jsonl", {"a.txt": "2024-04-10", "b.txt": None})
    problems: list[str] = []
    kb = _build(tmp_path / "kb.sqlite", [facts], report=problems.append)
    assert any("facts.jsonl:2: not JSON" in p for p in problems)
    assert any(p.startswith("b.txt: no date") for p in problems)
    assert len(kb.facts()) == 2
    dates = kb.documents().set_index("doc_id")["date"]
    assert dates["a.txt"] == "2024-04-10" and dates.isna()["b.txt"]


def test_a_volume_conflict_is_listed_with_both_sides_and_not_resolved(tmp_path) -> None:
    facts = write_lines(tmp_path / "facts.jsonl", [
        volume("a.txt", "Тенгиз – Новороссийск", 65_600_000, 2024, text="КТК"),
        volume("b.txt", "Тенгиз – Новороссийск", 58_000_000, 2024),
        volume("c.txt", "Тенгиз – Новороссийск", 65_500_000, 2024),
        volume("d.txt", "Тенгиз – Новороссийск", 58_000_000, 2024, status="planned"),
    ])
    kb = _build(tmp_path / "kb.sqlite", [facts])
    listing = kb.conflicts()
    assert len(listing) == 2  # 58 against each of 65.6 and 65.5; never 65.6 against 65.5
    assert all("58 000 000 t" in d for d in listing["detail"])
    assert set(listing["sources_a"]) | set(listing["sources_b"]) == {"a.txt", "b.txt", "c.txt"}
    assert len(kb.facts("route_volume")) == 4


def test_a_conflict_goes_away_when_its_document_changes(tmp_path) -> None:
    kb = _build(tmp_path / "kb.sqlite", [write_lines(tmp_path / "v1.jsonl", [
        volume("a.txt", "Актау – Баку", 1_200_000, 2024),
        volume("b.txt", "Актау – Баку", 2_000_000, 2024)])])
    assert len(kb.conflicts()) == 1
    kb.add([str(write_lines(tmp_path / "v2.jsonl", [
        volume("b.txt", "Актау – Баку", 1_210_000, 2024)]))], report=lambda m: None)
    assert kb.conflicts().empty


def test_a_folder_of_facts_files_copies_counts_its_reprints(tmp_path) -> None:
    shutil.copy(KB_CORPUS / "gold.jsonl", tmp_path / "gold.jsonl")
    kb = _build(tmp_path / "kb.sqlite", [tmp_path / "gold.jsonl"])  # no texts: gold has no
    assert kb.documents()["dup_group"].nunique() == 34  # evidence, so no reprint is seen


def test_a_document_scattered_over_a_facts_file_is_merged_whole(tmp_path) -> None:
    scattered = write_lines(tmp_path / "scattered.jsonl", [
        holds("a.txt", "Нурлан Сапаров", "Казахстан", "министр энергетики"),
        holds("b.txt", "Бахыт Есимов", "Казахстан", "министр энергетики"),
        holds("a.txt", "Асет Мусин", "Казахстан", "заместитель министра энергетики")])
    grouped = write_lines(tmp_path / "grouped.jsonl", [
        holds("a.txt", "Нурлан Сапаров", "Казахстан", "министр энергетики"),
        holds("a.txt", "Асет Мусин", "Казахстан", "заместитель министра энергетики"),
        holds("b.txt", "Бахыт Есимов", "Казахстан", "министр энергетики")])
    one, other = _build(tmp_path / "one.sqlite", [scattered]), _build(tmp_path / "two.sqlite",
                                                                       [grouped])
    assert dump(one.conn) == dump(other.conn)
    summary = one.add([str(scattered)], report=lambda m: None)
    assert (summary.added, summary.changed, summary.unchanged) == (0, 1, 1)
    assert dump(one.conn) == dump(other.conn)
