"""The whole-job benchmark's measuring helpers (the benchmark itself is run by hand:
`rufakt bench --whole`)."""

import sys
from pathlib import Path

from pipeline.bench_whole import copy_texts, halve, measure, measure_together


def test_copies_of_a_folder_get_new_names(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.txt").write_text("Текст.", encoding="utf-8")
    (tmp_path / "src" / "b.md").write_text("не текст", encoding="utf-8")
    assert copy_texts(tmp_path / "src", tmp_path / "out", 2) == 2
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["c1_a.txt", "c2_a.txt"]


def test_halves_take_the_copies_in_order_and_split_an_odd_middle_copy(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    for name in ("a", "b"):
        (tmp_path / "src" / f"{name}.txt").write_text(name, encoding="utf-8")
    copy_texts(tmp_path / "src", tmp_path / "all", 11)  # «c10_» sorts before «c2_»
    assert halve(tmp_path / "all", 11, tmp_path / "h1", tmp_path / "h2") == [11, 11]
    first = sorted(p.name for p in (tmp_path / "h1").iterdir())
    second = sorted(p.name for p in (tmp_path / "h2").iterdir())
    assert first == sorted([f"c{n}_{x}.txt" for n in range(1, 6) for x in "ab"] + ["c6_a.txt"])
    assert second == sorted([f"c{n}_{x}.txt" for n in range(7, 12) for x in "ab"] + ["c6_b.txt"])


def test_commands_run_together_end_when_the_last_ends_with_a_failing_exit_code(
        tmp_path: Path) -> None:
    # each command marks its start, then waits for the other's mark: one after the other,
    # the first would give up after 20 s and exit 1
    wait = ("import pathlib, sys, time; d = pathlib.Path(sys.argv[1]); (d / sys.argv[2]).touch()\n"
            "for _ in range(400):\n"
            "    if (d / sys.argv[3]).exists(): sys.exit(0)\n"
            "    time.sleep(0.05)\n"
            "sys.exit(1)")
    both = measure_together([[sys.executable, "-c", wait, str(tmp_path), "a", "b"],
                             [sys.executable, "-c", wait, str(tmp_path), "b", "a"]])
    assert both["code"] == 0
    fail = [sys.executable, "-c", "raise SystemExit(3)"]
    assert measure_together([fail, [sys.executable, "-c", "pass"]])["code"] == 3
    assert both["peak_rss_mb"] > 1


def test_measure_times_the_first_line_of_output() -> None:
    result = measure([sys.executable, "-c", "import time; print('x', flush=True); time.sleep(0.3)"])
    assert result["code"] == 0
    assert result["first_line_s"] < result["seconds"]
    assert result["seconds"] >= 0.3  # the whole run, not only to the first line
