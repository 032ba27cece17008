"""The dask engine: workers write parts, the client concatenates them in input order, resume
per part, and clear errors for a missing extra or an unreachable scheduler."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from pipeline.batch import run_batch
from pipeline.errors import UsageError
from pipeline.read import ReadOptions

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus" / "dev" / "docs"


def without_run_details(path: Path) -> list[dict]:
    """Document records without what differs between runs and engines (time, path form)."""
    return [{k: v for k, v in orjson.loads(line).items() if k not in ("seconds", "path")}
            for line in path.read_bytes().splitlines()]


@pytest.fixture(scope="module")
def cluster():
    """A local cluster of two single-threaded worker processes, shared by the tests here."""
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as local:
        yield local.scheduler_address


@pytest.fixture(scope="module")
def local_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("local") / "facts.jsonl"
    run_batch([str(CORPUS)], ReadOptions(), output=str(out), docs_path=f"{out}.docs",
              jobs=1, batch_size=4)
    return out


@pytest.mark.slow
def test_dask_file_output_equals_local_engine(cluster, local_run, tmp_path):
    out = tmp_path / "facts.jsonl"
    summary = run_batch([str(CORPUS)], ReadOptions(), output=str(out),
                        docs_path=f"{out}.docs", engine="dask", scheduler=cluster,
                        batch_size=4)
    assert out.read_bytes() == local_run.read_bytes()
    assert without_run_details(Path(f"{out}.docs")) == without_run_details(
        Path(f"{local_run}.docs"))
    assert summary.processed == len([p for p in CORPUS.iterdir() if p.is_file()])
    assert not Path(f"{out}.parts").exists()  # parts removed once concatenated


@pytest.mark.slow
def test_dask_folder_output_is_parts_plus_manifest_and_resumes_per_part(
        cluster, local_run, tmp_path):
    folder = tmp_path / "parts"
    run = dict(output=f"{folder}/", docs_path=None, engine="dask", scheduler=cluster,
               batch_size=4)
    run_batch([str(CORPUS)], ReadOptions(), **run)
    parts = sorted(folder.glob("part-*.docs.jsonl"))
    assert len(parts) == -(-len([p for p in CORPUS.iterdir() if p.is_file()]) // 4)
    facts = b"".join(p.read_bytes() for p in sorted(folder.glob("part-??????.jsonl")))
    assert facts == local_run.read_bytes()
    manifest = [orjson.loads(line) for line in (folder / "manifest.jsonl").read_bytes().split(
        b"\n") if line]
    assert sorted(m["part"] for m in manifest) == list(range(len(parts)))
    assert not list(folder.glob(".*.tmp"))

    # an interrupted run: part 1 never finished; --resume redoes it and nothing else
    (folder / "part-000001.docs.jsonl").unlink()
    kept = {p: p.stat().st_mtime_ns for p in folder.glob("part-*") if "000001" not in p.name}
    time.sleep(0.01)
    run_batch([str(CORPUS)], ReadOptions(), resume=True, **run)
    assert (folder / "part-000001.docs.jsonl").exists()
    assert {p: p.stat().st_mtime_ns for p in kept} == kept
    again = b"".join(p.read_bytes() for p in sorted(folder.glob("part-??????.jsonl")))
    assert again == facts


def test_unreachable_scheduler_is_one_line_and_exit_2_without_waiting(tmp_path):
    pytest.importorskip("dask.distributed")
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "extract", str(CORPUS), "-o",
         str(tmp_path / "facts.jsonl"), "--engine", "dask", "--scheduler",
         f"tcp://127.0.0.1:{port}", "--no-progress"],
        cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    # refused at once by the probe, not after Dask's connection retries (its message says
    # "Timed out trying to connect")
    assert f"cannot reach Dask scheduler tcp://127.0.0.1:{port}: connection refused" in (
        result.stderr)
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not os.path.exists(tmp_path / "facts.jsonl")


def test_scheduler_that_never_answers_is_a_usage_error_after_our_deadline(tmp_path):
    pytest.importorskip("dask.distributed")
    with socket.socket() as silent:  # accepts connections (the kernel does), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        address = f"tcp://127.0.0.1:{silent.getsockname()[1]}"
        result = subprocess.run(
            [sys.executable, "-m", "pipeline", "extract", str(CORPUS), "-o",
             str(tmp_path / "facts.jsonl"), "--engine", "dask", "--scheduler", address,
             "--no-progress"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert f"cannot reach Dask scheduler {address}: no answer within" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "facts.jsonl").exists()


def test_missing_dask_is_a_usage_error(monkeypatch):
    from pipeline.distributed import run_dask

    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    with pytest.raises(UsageError, match=r"\[dask\] extra"):
        run_dask(iter([]), "out.jsonl", None, scheduler=None)


@pytest.mark.slow
def test_multithreaded_workers_are_refused_before_any_output(tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    out = tmp_path / "facts.jsonl"
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=True,
                                  dashboard_address=":0") as local:
        with pytest.raises(UsageError, match="--nthreads 1"):
            run_batch([str(CORPUS)], ReadOptions(), output=str(out), docs_path=None,
                      engine="dask", scheduler=local.scheduler_address)
    assert not out.exists() and not Path(f"{out}.parts").exists()
