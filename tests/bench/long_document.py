"""Benchmark of one long document against the same text as many short ones: the layers and
extractors must stay linear in a document's length (reports, transcripts, digests).

    python tests/bench/long_document.py                 # corpus/dev/docs, 3 rounds
    python tests/bench/long_document.py FOLDER --rounds 3

The folder's .txt files are written once as separate files and once concatenated into one
file (`--rounds` times each), in a temp folder, never committed; `rufakt extract --jobs 1`
runs on each, alternating, and the script prints wall times (start and model load included)
and their ratio. The facts of the two runs differ (a long document links across what were
separate texts), so only time is compared.
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def extract_seconds(folder: Path, out: Path) -> float:
    began = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pipeline", "extract", str(folder), "-o", str(out),
                    "--jobs", "1", "-q", "--no-progress"], check=True, cwd=ROOT)
    return time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=ROOT / "corpus" / "dev" / "docs")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each, alternating")
    args = parser.parse_args()
    texts = [p.read_text(encoding="utf-8") for p in sorted(args.folder.glob("*.txt"))]
    if not texts:
        print(f"no .txt files in {args.folder}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="rufakt-long-") as tmp:
        separate, single = Path(tmp) / "separate", Path(tmp) / "single"
        separate.mkdir()
        single.mkdir()
        for number, text in enumerate(texts):
            (separate / f"{number:05d}.txt").write_text(text, encoding="utf-8")
        joined = "\n".join(texts)
        (single / "long.txt").write_text(joined, encoding="utf-8")
        times: dict[str, list[float]] = {"separate": [], "single": []}
        for _ in range(args.rounds):
            times["separate"].append(extract_seconds(separate, Path(tmp) / "separate.jsonl"))
            times["single"].append(extract_seconds(single, Path(tmp) / "single.jsonl"))
    size = len(joined.encode("utf-8")) / 2**20
    many, one = statistics.median(times["separate"]), statistics.median(times["single"])
    print(f"{len(texts)} texts, {size:.2f} MB; rufakt extract --jobs 1, median of {args.rounds}")
    print(f"  as {len(texts)} documents: {many:.2f} s")
    print(f"  as one document:  {one:.2f} s ({one / many:.2f}x the time of separate documents)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
