"""The whole job against natasha, side by side: `rufakt bench --whole [FOLDER]`.

Every figure is the wall time of a fresh process, load included, measured in one run with
the two sides alternating (so a busy spell of a shared machine hits both):

- `rufakt extract DIR --jobs 1` (read, NLP, facts, write) against natasha's `Doc` pipeline
  with its model load, on the folder's texts copied `--copies` times (default 4: 488 texts of
  FactRuEval's development set);
- `--jobs 2` against `--jobs 1` on `--copies-jobs` copies (default 6), outputs compared byte
  for byte, and `--jobs 1` kept to one core (OpenBLAS otherwise takes the idle second core);
- the most two processes give on this machine: two separate `rufakt extract --jobs 1`
  processes started together, each on half of those texts (no parent, nothing passed between
  them), against `--jobs 1` on all of them;
- cold start: process start to the first fact on standard output, for one short document;
- the NLP core's and the facts stage's share of processing, timed component by component in
  one process that runs the documents in batches as the runner does;
- peak RSS of the largest process of each run (a worker, with --jobs 2).

Texts are copied under new names into a temporary folder, never into the repository.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from .bench import default_folder
from .nlp.blas import kernels

# Runs a command; prints its wall time, exit code, peak RSS (KiB) of its largest process and
# the seconds until its first line of standard output.
MEASURE = """
import json, resource, subprocess, sys, time
began = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
first = child.stdout.readline()
first_at = time.perf_counter() - began
for _ in child.stdout:
    pass
code = child.wait()
print(json.dumps({"seconds": time.perf_counter() - began, "code": code,
                  "first_line_s": first_at if first else None,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""

# Runs the commands given as JSON lists at once; prints the wall time until the last one
# ends, the first non-zero exit code (0 if none) and the peak RSS (KiB) of the largest process.
TOGETHER = """
import json, resource, subprocess, sys, time
began = time.perf_counter()
children = [subprocess.Popen(json.loads(c), stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL) for c in sys.argv[1:]]
codes = [child.wait() for child in children]
print(json.dumps({"seconds": time.perf_counter() - began, "code": next(filter(None, codes), 0),
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""

NATASHA = """
import sys
from pathlib import Path
from pipeline.bench import run_natasha
run_natasha([p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[1]).glob("*.txt"))])
"""

# One process: load, then each component over the documents batch by batch as the runner
# does (batches of 16, fewer garbage collections, each doc released), timed; prints seconds
# per stage.
STAGES = """
import time
began = time.perf_counter()
import json, sys
from pathlib import Path
from pipeline.api import load
from pipeline.core import make_doc
from pipeline.layers.store import release
from pipeline.nlp.language import CORE_COMPONENTS
from pipeline.run import rare_collections
nlp = load()
seconds = {"start: imports and model load": time.perf_counter() - began, "tokenizer": 0.0}
texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[1]).glob("*.txt"))]
for at in range(0, len(texts), 16):
    with rare_collections():
        began = time.perf_counter()
        docs = [make_doc(nlp, text) for text in texts[at:at + 16]]
        seconds["tokenizer"] += time.perf_counter() - began
        for name, component in nlp.pipeline:
            began = time.perf_counter()
            docs = list(component.pipe(docs))
            seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - began
        for doc in docs:
            release(doc)
core = seconds["tokenizer"] + sum(seconds[n] for n in CORE_COMPONENTS if n in seconds)
facts = sum(seconds.values()) - core - seconds["start: imports and model load"]
print(json.dumps({"core": core, "facts": facts, "stages": seconds}))
"""

COLD_TEXT = ("Министр энергетики Казахстана Тимур Абенов провёл переговоры с послом "
             "Азербайджана в Астане.\n")


def copy_texts(source: Path, target: Path, copies: int) -> int:
    """The .txt files of `source`, `copies` times under new names; their number."""
    target.mkdir(parents=True)
    count = 0
    for copy in range(1, copies + 1):
        for path in sorted(source.glob("*.txt")):
            shutil.copyfile(path, target / f"c{copy}_{path.name}")
            count += 1
    return count


def halve(copied: Path, copies: int, first: Path, second: Path) -> list[int]:
    """Split `copy_texts`' folder in two, copy after copy: the first half of its files into
    `first`, the rest into `second` (with an odd number of copies, the middle copy is split),
    so each half holds every text about as often as a worker of `--jobs 2` meets it."""
    names = [path.name for copy in range(1, copies + 1)
             for path in sorted(copied.glob(f"c{copy}_*.txt"))]
    middle = len(names) // 2
    for target, part in ((first, names[:middle]), (second, names[middle:])):
        target.mkdir(parents=True)
        for name in part:
            shutil.copyfile(copied / name, target / name)
    return [middle, len(names) - middle]


def _script(script: str, args: list[str], env: dict[str, str] | None = None) -> dict:
    """The JSON line one of the scripts above prints last, run in a fresh Python."""
    result = subprocess.run([sys.executable, "-c", script, *args], capture_output=True,
                            text=True, check=True, env={**os.environ, **(env or {})})
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure(command: list[str], env: dict[str, str] | None = None) -> dict:
    return _script(MEASURE, command, env)


def measure_together(commands: list[list[str]], env: dict[str, str] | None = None) -> dict:
    return _script(TOGETHER, [json.dumps(command) for command in commands], env)


def extract(folder: Path, out: Path, jobs: int) -> list[str]:
    return [sys.executable, "-m", "pipeline", "extract", str(folder), "-o", str(out),
            "--jobs", str(jobs), "--no-progress", "-q"]


def spread(values: list[float]) -> str:
    """Median and range: '6.12 s (5.90–6.80)'."""
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


def main(folder: Path | None = None, copies: int = 4, copies_jobs: int = 6,
         repeats: int = 3) -> int:
    folder = folder or default_folder()
    if not any(folder.glob("*.txt")):
        print(f"rufakt bench: no .txt files in {folder}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="rufakt-bench-") as tmp:
        base = Path(tmp)
        count = copy_texts(folder, base / "whole", copies)
        count_jobs = copy_texts(folder, base / "jobs", copies_jobs)
        halves = halve(base / "jobs", copies_jobs, base / "half1", base / "half2")
        (base / "cold").mkdir()
        (base / "cold" / "one.txt").write_text(COLD_TEXT, encoding="utf-8")
        print(f"Whole job on {count} texts ({copies} copies of {folder}), "
              f"--jobs on {count_jobs} texts, {repeats} alternating runs; median (range)")
        print(f"OpenBLAS kernels: {kernels()}"
              + (f" (OPENBLAS_CORETYPE={os.environ['OPENBLAS_CORETYPE']})"
                 if os.environ.get("OPENBLAS_CORETYPE") else ""))
        runs: dict[str, list[dict]] = {k: [] for k in ("rufakt", "natasha", "natasha1",
                                                        "jobs1", "jobs1one", "jobs2", "halves",
                                                        "cold", "stages")}
        identical = []
        for _ in range(repeats):
            runs["rufakt"].append(measure(extract(base / "whole", base / "w.jsonl", 1)))
            natasha = [sys.executable, "-c", NATASHA, str(base / "whole")]
            runs["natasha"].append(measure(natasha))
            # OpenBLAS threads spin against other processes on a busy machine (see
            # nlp/blas.py): natasha pinned to one thread is its best case there
            runs["natasha1"].append(measure(natasha, {"OPENBLAS_NUM_THREADS": "1"}))
            for jobs in (1, 2):
                runs[f"jobs{jobs}"].append(
                    measure(extract(base / "jobs", base / f"j{jobs}.jsonl", jobs)))
            # --jobs 1 lets OpenBLAS use an idle second core (nlp/blas.py): on one core only
            runs["jobs1one"].append(measure(extract(base / "jobs", base / "j1one.jsonl", 1),
                                            {"OPENBLAS_NUM_THREADS": "1"}))
            # each worker of --jobs 2 keeps OpenBLAS to one thread: so do the two halves
            runs["halves"].append(measure_together(
                [extract(base / f"half{n}", base / f"h{n}.jsonl", 1) for n in (1, 2)],
                {"OPENBLAS_NUM_THREADS": "1"}))
            outputs = {(base / f"{name}.jsonl").read_bytes() for name in ("j1", "j2", "j1one")}
            identical.append(len(outputs) == 1)
            cold = [sys.executable, "-m", "pipeline", "extract", str(base / "cold" / "one.txt"),
                    "-o", "-", "--jobs", "1", "--no-progress", "-q"]
            runs["cold"].append(measure(cold))
            runs["stages"].append(_script(STAGES, [str(base / "whole")]))
        report(runs, identical, count, count_jobs, halves)
    return 0


def report(runs: dict[str, list[dict]], identical: list[bool], count: int,
           count_jobs: int, halves: list[int]) -> None:
    def seconds(name: str) -> list[float]:
        return [r["seconds"] for r in runs[name]]

    def ratios(slow: str, fast: str) -> list[float]:
        return [s / f for s, f in zip(seconds(slow), seconds(fast), strict=True)]

    def rss(name: str) -> float:
        return max(r["peak_rss_mb"] for r in runs[name])

    if any(r["code"] not in (0, None) for name in ("rufakt", "jobs1", "jobs2", "halves", "cold")
           for r in runs[name]):
        print("warning: a run of rufakt extract did not exit 0")
    load = " ".join(f"{n:.1f}" for n in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    print(f"{'run':<42} {'seconds':>20} {'peak RSS MB':>12}   (load average now: {load})")
    rows = [
        (f"rufakt extract --jobs 1 ({count} texts)", "rufakt"),
        (f"natasha Doc pipeline + load ({count} texts)", "natasha"),
        ("  the same, OPENBLAS_NUM_THREADS=1", "natasha1"),
        (f"rufakt extract --jobs 1 ({count_jobs} texts)", "jobs1"),
        ("  the same, OPENBLAS_NUM_THREADS=1", "jobs1one"),
        (f"rufakt extract --jobs 2 ({count_jobs} texts)", "jobs2"),
        (f"two --jobs 1 processes at once ({halves[0]} + {halves[1]})", "halves"),
    ]
    for label, name in rows:
        print(f"{label:<42} {spread(seconds(name)):>20} {rss(name):>12.0f}")
    cold = [r["first_line_s"] for r in runs["cold"] if r["first_line_s"] is not None]
    if cold:
        print(f"{'cold start: first fact out (1 document)':<42} {spread(cold):>20} "
              f"{rss('cold'):>12.0f}")
    core = [r["core"] for r in runs["stages"]]
    facts = [r["facts"] for r in runs["stages"]]
    print(f"{'  of processing: NLP core':<42} {spread(core):>20}")
    print(f"{'  of processing: facts stage':<42} {spread(facts):>20}")
    print("stage by stage, one process, batches of 16 (the runner's way):")
    for name in runs["stages"][0]["stages"]:
        print(f"  {name:<40} {spread([r['stages'][name] for r in runs['stages']]):>20}")
    best = [min(a["seconds"], b["seconds"])
            for a, b in zip(runs["natasha"], runs["natasha1"], strict=True)]
    versus = [n / r for n, r in zip(best, seconds("rufakt"), strict=True)]
    print(f"whole job natasha / rufakt: {spread(versus)}x, natasha's faster setting in each "
          f"round (target >= 3)")
    print(f"--jobs 1 / --jobs 2: {spread(ratios('jobs1', 'jobs2'))}x (target >= 1.7); "
          f"outputs byte-identical: {all(identical)}")
    print(f"--jobs 1 on one BLAS thread / --jobs 2: {spread(ratios('jobs1one', 'jobs2'))}x")
    print(f"--jobs 1 / two --jobs 1 processes at once, half the texts each: "
          f"{spread(ratios('jobs1', 'halves'))}x (what two processes give on this machine)")


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else None))
