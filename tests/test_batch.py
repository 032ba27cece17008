"""`rufakt extract` end to end, as a subprocess: every document accounted for, valid records,
consistent offsets, the same output whatever the number of jobs, and kill-and-resume."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import jsonschema
import orjson
import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus" / "dev" / "docs"

pytestmark = pytest.mark.slow


def rufakt(*args: str, **kwargs) -> subprocess.CompletedProcess:
    """`python -m pipeline ARGS` from the repository root."""
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=600, **kwargs)


def lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines() if path.exists() else []


def records(path: Path) -> list[dict]:
    return [orjson.loads(line) for line in lines(path)]


def canonical(line: bytes) -> bytes:
    return orjson.dumps(orjson.loads(line), option=orjson.OPT_SORT_KEYS)


def copy_corpus(folder: Path, count: int | None = None) -> list[Path]:
    """`count` documents (default: one per corpus file): corpus files copied, cycling, under
    new names."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = sorted(CORPUS.glob("*.txt"))
    made = []
    for n in range(count or len(sources)):
        source = sources[n % len(sources)]
        target = folder / f"c{n:04d}_{source.name}"
        shutil.copyfile(source, target)
        made.append(target)
    return made


def extract(folder: Path, out: Path, *args: str) -> subprocess.CompletedProcess:
    return rufakt("extract", str(folder), "-o", str(out), "--no-progress", "-q", *args)


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory):
    """The corpus copied to a temp folder and extracted with --jobs 1 and --jobs 2."""
    base = tmp_path_factory.mktemp("corpus")
    files = copy_corpus(base / "docs")
    runs = {}
    for jobs in (1, 2):
        out = base / f"jobs{jobs}" / "facts.jsonl"
        runs[jobs] = (extract(base / "docs", out, "--jobs", str(jobs)), out)
    return files, runs


def test_every_document_once_and_exit_0(corpus_run):
    files, runs = corpus_run
    result, out = runs[1]
    assert result.returncode == 0, result.stderr
    docs = records(out.with_name("facts.docs.jsonl"))
    assert Counter(Path(d["path"]).name for d in docs) == Counter(f.name for f in files)
    assert len({d["doc_id"] for d in docs}) == len(files)
    assert all(d["status"] == "ok" for d in docs)
    facts = records(out)
    per_doc = Counter(f["doc_id"] for f in facts)
    assert {d["doc_id"]: d["facts"] for d in docs if d["facts"]} == dict(per_doc)


def test_facts_match_schema_and_offsets(corpus_run):
    _, runs = corpus_run
    _, out = runs[1]
    schema = json.loads(rufakt("schema").stdout)
    validator = jsonschema.Draft202012Validator(schema)
    docs = {d["doc_id"]: d for d in records(out.with_name("facts.docs.jsonl"))}
    for fact in records(out):
        validator.validate(fact)
        doc = docs[fact["doc_id"]]
        text = Path(doc["path"]).read_bytes().decode(doc["encoding"])
        for part in (fact["subject"], fact["object"], fact["evidence"]):
            assert 0 <= part["start"] <= part["end"] <= len(text)
            assert part["text"] == text[part["start"]:part["end"]], fact


def test_jobs_2_equals_jobs_1(corpus_run):
    _, runs = corpus_run
    (one, out1), (two, out2) = runs[1], runs[2]
    assert two.returncode == one.returncode == 0, two.stderr
    assert out1.read_bytes() == out2.read_bytes()

    def without_time(path: Path) -> list[dict]:
        return [{k: v for k, v in r.items() if k != "seconds"} for r in records(path)]

    assert without_time(out1.with_name("facts.docs.jsonl")) == without_time(
        out2.with_name("facts.docs.jsonl"))


def test_mixed_folder_reports_each_bad_file_once(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    good = sorted(CORPUS.glob("*.txt"))[:2]
    for source in good:
        shutil.copyfile(source, folder / source.name)
    bad = {
        "empty.txt": lambda p: p.write_bytes(b""),
        "binary.txt": lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8),
        "broken.txt": lambda p: os.symlink(tmp_path / "nowhere.txt", p),
    }
    for name, make in bad.items():
        make(folder / name)
    out = tmp_path / "out" / "facts.jsonl"

    result = extract(folder, out, "--jobs", "1")

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    docs = records(out.with_name("facts.docs.jsonl"))
    by_name = Counter(Path(d["path"]).name for d in docs)
    assert by_name == Counter([*bad, *(s.name for s in good)])
    for record in docs:
        if Path(record["path"]).name in bad:
            assert record["status"] == "error" and record["error"], record
        else:
            assert record["status"] == "ok", record


def _kill_when_started(args: list[str], docs: Path, facts: Path, total: int) -> int:
    """Start a run, kill -9 it once some documents are written; lines written by then."""
    process = subprocess.Popen([sys.executable, "-m", "pipeline", *args], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and process.poll() is None:
            written = len(lines(docs))
            # some facts on disk (or, while extractors find few, enough documents)
            if written >= 8 and (lines(facts) or written >= 16):
                break
            time.sleep(0.05)
        assert process.poll() is None, "the run ended before it could be killed"
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    written = len(lines(docs))
    assert 0 < written < total
    return written


def test_kill_and_resume_gives_the_uninterrupted_result(tmp_path):
    folder = tmp_path / "many"
    files = copy_corpus(folder, 120)
    full = tmp_path / "full" / "facts.jsonl"
    part = tmp_path / "part" / "facts.jsonl"
    common = ["--no-progress", "-q", "--jobs", "1", "--batch-size", "4"]

    _kill_when_started(["extract", str(folder), "-o", str(part), *common],
                       part.with_name("facts.docs.jsonl"), part, len(files))
    for path in (part, part.with_name("facts.docs.jsonl")):
        for line in path.read_bytes().split(b"\n")[:-1]:  # all complete lines parse
            orjson.loads(line)

    resumed = extract(folder, part, "--jobs", "1", "--resume")
    reference = extract(folder, full, "--jobs", "1")

    assert resumed.returncode == reference.returncode == 0, resumed.stderr
    assert Counter(map(canonical, lines(part))) == Counter(map(canonical, lines(full)))
    assert len(set(lines(part))) == len(lines(part))
    docs = records(part.with_name("facts.docs.jsonl"))
    assert Counter(d["doc_id"] for d in docs) == Counter(
        d["doc_id"] for d in records(full.with_name("facts.docs.jsonl")))
    assert len(docs) == len(files) and len({d["doc_id"] for d in docs}) == len(files)
