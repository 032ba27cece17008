"""`rufakt kb …`: the commands, their output and their usage errors."""

import json

import pytest
from kbutil import KB_CORPUS, holds, write_lines

from pipeline.cli import main


@pytest.fixture
def built(tmp_path):
    path = tmp_path / "kb.sqlite"
    assert main(["kb", "add", str(KB_CORPUS / "gold.jsonl"), "--kb", str(path),
                 "--texts", str(KB_CORPUS / "docs"), "-q"]) == 0
    return path


def test_add_prints_a_summary(tmp_path, capsys) -> None:
    path = tmp_path / "kb.sqlite"
    assert main(["kb", "add", str(KB_CORPUS / "gold.jsonl"), "--kb", str(path),
                 "--texts", str(KB_CORPUS / "docs")]) == 0
    err = capsys.readouterr().err
    assert "documents: 34 added, 0 changed, 0 unchanged" in err
    assert "2 conflicts" in err


def test_add_with_broken_lines_exits_1_and_names_them(tmp_path, capsys) -> None:
    facts = write_lines(tmp_path / "facts.jsonl", [
        holds("a.txt", "Нурлан Сапаров", "Казахстан", "министр энергетики"), "{oops"])
    assert main(["kb", "add", str(facts), "--kb", str(tmp_path / "kb.sqlite")]) == 1
    assert f"{facts}:2: not JSON" in capsys.readouterr().err


def test_query_who_answers_in_one_line(built, capsys) -> None:
    assert main(["kb", "query", "who", "министр энергетики Казахстана", "--on", "2024-10-01",
                 "--kb", str(built)]) == 0
    out = capsys.readouterr().out
    assert "On 2024-10-01: Бахыт Есимов (seen 2024-07-16 – 2025-03-03" in out


def test_query_formats(built, capsys) -> None:
    assert main(["kb", "query", "volumes", "БТД", "--kb", str(built), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["year"] for r in rows] == [2022, 2023, 2024]
    assert main(["kb", "query", "conflicts", "--kb", str(built), "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("id,kind,detail")


def test_export_writes_every_table(built, tmp_path, capsys) -> None:
    import pandas as pd

    for fmt in ("parquet", "csv"):
        folder = tmp_path / fmt
        assert main(["kb", "export", "--kb", str(built), "--format", fmt, "-o",
                     str(folder)]) == 0
        names = {p.stem for p in folder.iterdir()}
        assert {"entities", "facts", "sources", "conflicts", "post_intervals"} <= names
    facts = pd.read_parquet(tmp_path / "parquet" / "facts.parquet")
    assert len(facts) == 47 and "subject_name" in facts.columns
    assert len(pd.read_csv(tmp_path / "csv" / "sources.csv")) == 95


@pytest.mark.parametrize("argv, message", [
    (["kb", "query", "who", "x", "--kb", "missing.sqlite"], "no knowledge base at"),
    (["kb", "add", "nowhere.jsonl"], "no such file or folder: nowhere.jsonl"),
    (["kb", "query", "who"], "needs what it is about"),
    (["kb", "query", "who", "министр", "--on", "вчера"], "not a date"),
    (["kb", "evaluate", "--corpus", "nowhere"], "is missing"),
])
def test_usage_errors_exit_2_with_one_line(argv, message, tmp_path, monkeypatch,
                                           capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1


def test_a_file_that_is_not_a_knowledge_base_is_a_usage_error(tmp_path, capsys) -> None:
    other = tmp_path / "other.sqlite"
    other.write_text("not a database at all, just text" * 40)
    assert main(["kb", "query", "conflicts", "--kb", str(other)]) == 2
    assert "is not a" in capsys.readouterr().err


def test_a_gazetteer_given_after_the_first_documents_is_refused(built, tmp_path,
                                                                capsys) -> None:
    mine = tmp_path / "mine.yml"
    mine.write_text("organisations:\n  - {name: Каспий Ресерч, aliases: [КР]}\n",
                    encoding="utf-8")
    assert main(["kb", "add", str(KB_CORPUS / "gold.jsonl"), "--kb", str(built),
                 "--gazetteer", str(mine)]) == 2
    assert "build a new knowledge base" in capsys.readouterr().err


def test_unknown_entity_in_a_query_is_a_usage_error(built, capsys) -> None:
    assert main(["kb", "query", "timeline", "Никто", "--kb", str(built)]) == 2
    assert "no entity called 'Никто'" in capsys.readouterr().err
