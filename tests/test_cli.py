"""The command line's contract: usage errors are one line and exit 2, help lists every option,
`-o -` writes facts to standard output."""

import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import build_parser
from pipeline.run_options import run_options

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus" / "dev" / "docs"


def rufakt(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT,
                          capture_output=True, timeout=300)


def assert_usage_error(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 2, result.stderr
    message = result.stderr.decode().strip()
    assert "Traceback" not in message
    assert len(message.splitlines()) == 1, message
    assert "error" in message


def test_missing_input_is_a_usage_error(tmp_path):
    result = rufakt("extract", str(tmp_path / "nope"), "-o", str(tmp_path / "out.jsonl"))
    assert_usage_error(result)
    assert "nope" in result.stderr.decode()
    assert not (tmp_path / "out.jsonl").exists()


def test_unwritable_output_is_a_usage_error(tmp_path):
    blocker = tmp_path / "somefile.txt"
    blocker.write_text("not a folder")
    assert_usage_error(rufakt("extract", str(CORPUS), "-o", str(blocker / "out.jsonl")))
    assert_usage_error(rufakt("extract", str(CORPUS), "-o", str(tmp_path)))  # a folder
    # a folder of parts is for the dask engine; standard output is not for it
    assert_usage_error(rufakt("extract", str(CORPUS), "-o", f"{tmp_path}/new/"))
    assert not (tmp_path / "new").exists()
    assert_usage_error(rufakt("extract", str(CORPUS), "-o", "-", "--engine", "dask"))


@pytest.mark.parametrize("args", [["--jobs", "0"], ["--batch-size", "0"],
                                  ["--resume", "-o", "-"], ["--max-size", "0"],
                                  ["--max-size", "-1"], ["--max-size", "nan"],
                                  ["--max-size", "inf"]])
def test_bad_options_are_usage_errors(args):
    assert_usage_error(rufakt("extract", str(CORPUS), *args))


def test_more_jobs_than_cores_start_one_worker_a_core_and_say_so(capsys):
    from pipeline.machine import usable_cores, worker_count

    args = build_parser().parse_args(["extract", str(CORPUS), "--jobs", "1000"])
    options, jobs = run_options(args, "rufakt extract")
    assert jobs == worker_count(1000)[0] <= usable_cores() and options.max_bytes == 5_000_000
    assert capsys.readouterr().err.startswith(
        f"rufakt extract: --jobs 1000: at most {jobs} workers (")
    quiet = build_parser().parse_args(["extract", str(CORPUS), "--jobs", "1000", "-q"])
    assert run_options(quiet, "rufakt extract")[1] == jobs and not capsys.readouterr().err
    on_cluster = build_parser().parse_args(["extract", str(CORPUS), "--jobs", "1000"])
    assert run_options(on_cluster, "rufakt extract", local=False)[1] == 1000


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (a full disk)")
def test_a_full_disk_stops_the_run_with_one_line_not_a_traceback(tmp_path):
    one = CORPUS / "01_kaz_azer_oil_talks.txt"
    for args in (["-o", "/dev/full", "--docs", str(tmp_path / "d.jsonl")],
                 ["-o", str(tmp_path / "f.jsonl"), "--docs", "/dev/full"]):
        result = rufakt("extract", str(one), "--jobs", "1", *args)
        message = result.stderr.decode().strip()
        assert result.returncode == 1 and "Traceback" not in message, message
        assert message == ("rufakt extract: error: cannot write /dev/full: No space left on "
                           "device; the documents written before are complete (fix the cause, "
                           "then run again with --resume)")


def test_evaluate_with_missing_files_is_a_usage_error(tmp_path):
    assert_usage_error(rufakt("evaluate", "--gold", str(tmp_path / "g.jsonl"),
                              "--pred", str(tmp_path / "p.jsonl")))
    assert_usage_error(rufakt("evaluate", "--gold", str(tmp_path / "g.jsonl")))
    assert_usage_error(rufakt("evaluate", "--factru", str(tmp_path / "nowhere")))


def test_help_lists_every_option():
    parser = build_parser()
    commands = next(a for a in parser._actions if a.choices and "extract" in a.choices)
    for name, sub in commands.choices.items():
        text = rufakt(name, "--help").stdout.decode()
        for action in sub._actions:
            for option in action.option_strings:
                assert option in text, (name, option)
    top = rufakt("--help").stdout.decode()
    assert all(name in top for name in commands.choices)


@pytest.mark.slow
def test_output_dash_writes_facts_to_stdout(tmp_path):
    source = sorted(CORPUS.glob("*.txt"))[0]
    to_file = tmp_path / "facts.jsonl"
    assert rufakt("extract", str(source), "-o", str(to_file), "--jobs", "1").returncode == 0
    result = rufakt("extract", str(source), "-o", "-", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert result.stdout == to_file.read_bytes()  # facts only; the summary goes to stderr
    assert "documents: 1 processed" in result.stderr.decode()


def test_a_reader_that_stops_early_is_no_error(tmp_path, monkeypatch):
    """«rufakt schema | head -1»: the pipe closes while rufakt writes; exit 0, no traceback."""
    import os

    class ClosedPipe:
        def __init__(self, fd: int):
            self.fd = fd

        def write(self, _text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

        def flush(self) -> None:
            pass

        def fileno(self) -> int:
            return self.fd

    from pipeline.cli import main

    fd = os.open(tmp_path / "stdout", os.O_WRONLY | os.O_CREAT)
    monkeypatch.setattr("sys.stdout", ClosedPipe(fd))
    assert main(["schema"]) == 0
