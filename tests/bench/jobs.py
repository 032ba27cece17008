"""Benchmark of `rufakt extract` worker processes: --jobs 1 against --jobs 2, and peak memory.

    python tests/bench/jobs.py              # 240 documents, jobs 1 and 2, docs/s and ratio
    python tests/bench/jobs.py --many 100000  # N tiny files (and N/10): peak RSS of a worker

`rufakt bench --whole` measures the whole job against natasha and --jobs 2 against --jobs 1
on FactRuEval's texts; this script needs only the repository's corpus.

Documents are generated in a temp folder (copies of corpus/dev/docs under new names), never
committed. Wall time includes starting the processes and loading the models.
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus" / "dev" / "docs"

# Runs a command and prints the peak RSS (KiB) of its process tree's largest process.
MEASURE = """
import resource, subprocess, sys
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)
"""


def make_copies(folder: Path, count: int) -> None:
    """`count` documents: the corpus files, cycling, under new names."""
    sources = sorted(CORPUS.glob("*.txt"))
    folder.mkdir(parents=True)
    for n in range(count):
        source = sources[n % len(sources)]
        shutil.copyfile(source, folder / f"d{n:05d}_{source.name}")


def make_tiny(folder: Path, count: int) -> None:
    """`count` one-sentence files, 100 per subfolder."""
    for n in range(count):
        sub = folder / f"{n // 100:05d}"
        if n % 100 == 0:
            sub.mkdir(parents=True)
        (sub / f"{n:07d}.txt").write_text(
            f"Министр энергетики встретился с послом {n} в Астане.\n", encoding="utf-8")


def extract(folder: Path, out: Path, jobs: int) -> list[str]:
    return [sys.executable, "-m", "pipeline", "extract", str(folder), "-o", str(out),
            "--jobs", str(jobs), "--no-progress", "-q"]


def timed(command: list[str]) -> float:
    began = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=False, stdout=subprocess.DEVNULL)
    return time.perf_counter() - began


def peak_rss(command: list[str]) -> tuple[int, int]:
    """(peak RSS in MiB, exit code) of `command`, measured in a fresh parent process."""
    result = subprocess.run([sys.executable, "-c", MEASURE, *command], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    kib, code = result.stdout.split()
    return int(kib) // 1024, int(code)


def bench_jobs(count: int) -> None:
    """Wall time of `count` documents per --jobs value, and the rate once started: a run on
    one document gives the fixed cost (interpreter, forkserver, loading the models)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder, single = Path(tmp) / "docs", Path(tmp) / "one"
        make_copies(folder, count)
        make_copies(single, 1)
        rates, steady = {}, {}
        for jobs in (1, 2):
            start = timed(extract(single, Path(tmp) / f"one{jobs}.jsonl", jobs))
            seconds = timed(extract(folder, Path(tmp) / f"out{jobs}.jsonl", jobs))
            rates[jobs] = count / seconds
            steady[jobs] = (count - 1) / max(seconds - start, 1e-3)
            print(f"--jobs {jobs}: {count} documents in {seconds:.1f} s "
                  f"= {rates[jobs]:.1f} documents/s (start-up {start:.1f} s; "
                  f"{steady[jobs]:.1f} documents/s once started)")
        same = (Path(tmp) / "out1.jsonl").read_bytes() == (Path(tmp) / "out2.jsonl").read_bytes()
        print(f"ratio jobs 2 / jobs 1: {rates[2] / rates[1]:.2f}x wall, "
              f"{steady[2] / steady[1]:.2f}x once started (target >= 1.6x); "
              f"outputs identical: {same}")


def bench_many(count: int, jobs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for n in (max(count // 10, 1), count):
            folder = Path(tmp) / f"tiny{n}"
            began = time.perf_counter()
            make_tiny(folder, n)
            made = time.perf_counter() - began
            began = time.perf_counter()
            mib, code = peak_rss(extract(folder, Path(tmp) / f"tiny{n}.jsonl", jobs))
            seconds = time.perf_counter() - began
            print(f"{n} tiny files (made in {made:.0f} s), --jobs {jobs}: exit {code}, "
                  f"{seconds:.0f} s ({n / seconds:.0f} documents/s), peak RSS {mib} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=240, help="documents (default 240)")
    parser.add_argument("--many", type=int, metavar="N",
                        help="instead: N tiny files (and N/10 first), report peak RSS")
    parser.add_argument("--jobs", type=int, default=1, help="jobs for --many (default 1)")
    args = parser.parse_args()
    if args.many:
        bench_many(args.many, args.jobs)
    else:
        bench_jobs(args.documents)


if __name__ == "__main__":
    main()
