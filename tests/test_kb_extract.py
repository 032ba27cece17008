"""`kb add` on documents: extraction of what is new or changed only; the same base whatever
`--jobs`."""

import shutil

import pytest
from kbutil import KB_CORPUS, dump

from pipeline.kb import KnowledgeBase

pytestmark = pytest.mark.slow


def _add(kb: KnowledgeBase, folder, jobs: int):
    return kb.add([str(folder)], jobs=jobs, report=lambda m: None)


def test_documents_are_extracted_once_and_ids_do_not_depend_on_jobs(tmp_path) -> None:
    folder = tmp_path / "docs"
    shutil.copytree(KB_CORPUS / "docs", folder)
    with KnowledgeBase(tmp_path / "one.sqlite", create=True) as one, \
            KnowledgeBase(tmp_path / "two.sqlite", create=True) as two:
        first = _add(one, folder, jobs=1)
        _add(two, folder, jobs=2)
        assert first.added == 34 and first.statements > 0
        assert dump(one.conn) == dump(two.conn)

        again = _add(one, folder, jobs=2)
        assert (again.added, again.changed, again.unchanged, again.statements) == (0, 0, 34, 0)

        changed = folder / "kb32_uralsk_report.txt"
        changed.write_text(changed.read_text(encoding="utf-8").replace(
            "Министр энергетики Казахстана Асет Мусин",
            "Заместитель министра энергетики Казахстана Асет Мусин"), encoding="utf-8")
        later = _add(one, folder, jobs=1)
        assert (later.added, later.changed, later.unchanged) == (0, 1, 33)
        dates = one.documents().set_index("doc_id")["date"]
        assert dates["kb32_uralsk_report.txt"] == "2024-03-12"  # from the dateline
