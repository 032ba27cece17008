"""A `rufakt kb add` killed with SIGKILL in the middle leaves the previous state intact, and
running it again completes it."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from kbutil import KB_CORPUS, ROOT, dump, replay

from pipeline.kb import KnowledgeBase

pytestmark = pytest.mark.slow


def _rufakt(*args: str) -> list[str]:
    return [sys.executable, "-m", "pipeline", *args]


def test_kill_9_during_an_add_leaves_the_previous_state_and_a_rerun_completes(tmp_path
                                                                              ) -> None:
    path = tmp_path / "kb.sqlite"
    with KnowledgeBase(path, create=True) as kb:
        kb.add([str(KB_CORPUS / "gold.jsonl")], texts=KB_CORPUS / "docs",
               report=lambda m: None)
        before = dump(kb.conn)
    big = tmp_path / "big.jsonl"
    lines = (KB_CORPUS / "gold.jsonl").read_bytes().splitlines()
    replay(lines, 300, big)  # 28,500 lines: several seconds of work
    process = subprocess.Popen(_rufakt("kb", "add", str(big), "--kb", str(path), "-q"),
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wal = path.with_name(path.name + "-wal")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not wal.exists() or wal.stat().st_size < 2_000_000):
        time.sleep(0.05)
    assert process.poll() is None, "the add finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert wal.stat().st_size >= 2_000_000  # it had written a good part of the add

    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert dump(conn) == before
    conn.close()

    done = subprocess.run(_rufakt("kb", "add", str(big), "--kb", str(path), "-q"), cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    with KnowledgeBase(path) as kb:
        assert len(kb.documents()) == 34 + 300 * 34
        assert kb.sql("SELECT MAX(sources) AS n FROM facts")["n"][0] > 300
