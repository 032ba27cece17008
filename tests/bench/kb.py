"""Benchmark of `rufakt kb add`: facts/s and peak RSS when building from 100k and 1M fact
lines, and the time of an incremental add of 1,000 documents to bases of two sizes.

    python tests/bench/kb.py                 # 100k and 1M lines, incremental adds
    python tests/bench/kb.py --lines 100000  # one size only

The fact lines are the extractors' output on corpus/dev/docs replayed under renamed documents
(`tests/kbutil.replay`), generated in a temp folder, never committed. Each build runs in its
own process (`rufakt kb add`), so its peak RSS is its own.
"""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from kbutil import replay  # noqa: E402

MEASURE = """
import resource, subprocess, sys, time
began = time.perf_counter()
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(time.perf_counter() - began, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)
"""


def corpus_lines(folder: Path) -> list[bytes]:
    facts = folder / "corpus.jsonl"
    docs = ROOT / "corpus" / "dev" / "docs"
    subprocess.run([sys.executable, "-m", "pipeline", "extract", str(docs),
                    "-o", str(facts), "-q", "--no-progress"], check=True)
    return facts.read_bytes().splitlines()


def add(kb: Path, facts: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of `rufakt kb add FACTS --kb KB` in a child process."""
    out = subprocess.run([sys.executable, "-c", MEASURE, sys.executable, "-m", "pipeline",
                          "kb", "add", str(facts), "--kb", str(kb), "-q"],
                         capture_output=True, text=True, check=True).stdout.split()
    if out[2] != "0":
        raise SystemExit(f"rufakt kb add failed with exit code {out[2]}")
    return float(out[0]), int(out[1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, action="append",
                        help="fact lines of a build (repeatable; default 100000 and 1000000)")
    parser.add_argument("--no-incremental", action="store_true")
    args = parser.parse_args()
    sizes = args.lines or [100_000, 1_000_000]
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        lines = corpus_lines(folder)
        per_copy = len(lines)
        documents = len({json.loads(line)["doc_id"] for line in lines})
        print(f"source: {per_copy} fact lines of {documents} documents (corpus/dev/docs), "
              "replayed under new document names")
        print(f"{'lines':>9} {'documents':>10} {'seconds':>8} {'facts/s':>8} {'peak RSS MB':>12}")
        for size in sizes:
            facts = folder / f"build{size}.jsonl"
            written = replay(lines, max(1, size // per_copy), facts)
            seconds, rss = add(folder / f"kb{size}.sqlite", facts)
            copies = max(1, size // per_copy)
            print(f"{written:>9} {copies * documents:>10} {seconds:>8.1f} "
                  f"{written / seconds:>8.0f} {rss:>12.0f}")
        if args.no_incremental:
            return
        print("\nincremental: 1,000 new documents added to a base of N documents")
        new_copies = max(1, 1000 // documents)
        for base_docs in (10_000, 100_000):
            copies = base_docs // documents
            kb, base = folder / f"inc{base_docs}.sqlite", folder / f"base{base_docs}.jsonl"
            replay(lines, copies, base)
            add(kb, base)
            extra = folder / f"extra{base_docs}.jsonl"
            written = replay(lines, new_copies, extra, start=copies)
            seconds, rss = add(kb, extra)
            print(f"base {copies * documents:>7} documents: +{new_copies * documents} documents "
                  f"({written} lines) in {seconds:.2f} s, peak RSS {rss:.0f} MB")


if __name__ == "__main__":
    main()
