"""Throughput of the project's NLP core against natasha's own `Doc` pipeline, side by side, and
what the document layer and the extractors (the facts stage) add to the core's time.

Each pipeline runs in its own child processes so cold start and peak RSS are its own. Run with
`python -m pipeline bench [FOLDER]`; the default folder is ../shared/factru-dev (122 real news
articles) when it exists, else corpus/dev/docs.
"""

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

START = time.perf_counter()


def process_age() -> float:
    """Seconds since this process started (interpreter start-up and every import included;
    `python -m pipeline.bench` imports the `pipeline` package before this module), from
    /proc where it exists, else since this module was imported."""
    try:
        with open("/proc/self/stat") as stat, open("/proc/uptime") as uptime:
            started = int(stat.read().rsplit(")", 1)[1].split()[19]) / os.sysconf("SC_CLK_TCK")
            return float(uptime.read().split()[0]) - started
    except (OSError, ValueError, IndexError):
        return time.perf_counter() - START

DEFAULT_FOLDERS = (Path("../shared/factru-dev"), Path("corpus/dev/docs"))


def default_folder() -> Path:
    return next((p for p in DEFAULT_FOLDERS if p.is_dir()), DEFAULT_FOLDERS[-1])


def read_texts(folder: Path) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_ours(texts: list[str]) -> tuple[float, float]:
    """Cold start and processing seconds of the full core: morph, syntax, NER, lemmas, normals."""
    from pipeline.nlp import load

    nlp = load()
    cold = process_age()
    began = time.perf_counter()
    for doc in nlp.pipe(texts):
        for span in doc.ents:
            span._.normal  # noqa: B018  (cached by the normaliser; read as a user would)
    return cold, time.perf_counter() - began


def run_full(texts: list[str]) -> tuple[float, float]:
    """Cold start and processing seconds of the whole pipeline: the core, the document layer
    and the four extractors, facts read as a user would."""
    from pipeline.api import load
    from pipeline.layers.store import release

    nlp = load()
    cold = process_age()
    began = time.perf_counter()
    for doc in nlp.pipe(texts):
        doc._.facts  # noqa: B018
        release(doc)
    return cold, time.perf_counter() - began


def run_natasha(texts: list[str]) -> tuple[float, float]:
    """natasha's Doc pipeline, one document at a time, as natasha's README shows."""
    from natasha import (
        Doc,
        MorphVocab,
        NewsEmbedding,
        NewsMorphTagger,
        NewsNERTagger,
        NewsSyntaxParser,
        Segmenter,
    )

    segmenter, morph_vocab, emb = Segmenter(), MorphVocab(), NewsEmbedding()
    morph_tagger, syntax_parser = NewsMorphTagger(emb), NewsSyntaxParser(emb)
    ner_tagger = NewsNERTagger(emb)
    cold = process_age()
    began = time.perf_counter()
    for text in texts:
        doc = Doc(text)
        doc.segment(segmenter)
        doc.tag_morph(morph_tagger)
        doc.parse_syntax(syntax_parser)
        doc.tag_ner(ner_tagger)
        for span in doc.spans:
            span.normalize(morph_vocab)
    return cold, time.perf_counter() - began


RUNNERS = {"rufakt": run_ours, "natasha": run_natasha, "rufakt+facts": run_full}


def measure(name: str, folder: Path) -> dict:
    """Run one pipeline in a child process; its figures come back as JSON."""
    command = [sys.executable, "-m", "pipeline.bench", name, str(folder)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def median_run(runs: list[dict]) -> dict:
    """The run of median throughput; peak RSS is the highest of all runs."""
    middle = sorted(runs, key=lambda r: r["docs_per_s"])[len(runs) // 2]
    return {**middle, "peak_rss_mb": max(r["peak_rss_mb"] for r in runs)}


def main(folder: Path | None = None, repeats: int = 3) -> int:
    """Print the table: each pipeline runs `repeats` times, alternating with the other so a
    busy spell of the machine hits both, and the run of median throughput is shown."""
    folder = folder or default_folder()
    count = len(list(folder.glob("*.txt")))
    if not count:
        print(f"rufakt bench: no .txt files in {folder}", file=sys.stderr)
        return 2
    print(f"Benchmark on {count} documents from {folder} (median of {repeats} runs each)")
    runs: dict[str, list[dict]] = {name: [] for name in RUNNERS}
    for _ in range(repeats):
        for name, done in runs.items():
            done.append(measure(name, folder))
    results = {name: median_run(done) for name, done in runs.items()}
    print(f"{'pipeline':<13} {'docs/s':>8} {'cold start s':>13} {'peak RSS MB':>12}")
    for name, r in results.items():
        print(f"{name:<13} {r['docs_per_s']:>8.1f} {r['cold_start_s']:>13.2f} "
              f"{r['peak_rss_mb']:>12.0f}")
    ratio = results["rufakt"]["docs_per_s"] / results["natasha"]["docs_per_s"]
    print(f"throughput ratio rufakt (NLP core) / natasha: {ratio:.2f}x")
    core = sorted(r["seconds"] for r in runs["rufakt"])[len(runs["rufakt"]) // 2]
    full = sorted(r["seconds"] for r in runs["rufakt+facts"])[len(runs["rufakt+facts"]) // 2]
    print(f"facts stage (document layer + extractors): {full - core:.2f} s on top of the NLP "
          f"core's {core:.2f} s (+{(full - core) / core:.0%}; medians)")
    return 0


def child(name: str, folder: Path) -> None:
    texts = read_texts(folder)
    cold, seconds = RUNNERS[name](texts)
    print(json.dumps({"docs_per_s": len(texts) / seconds, "cold_start_s": cold,
                      "seconds": seconds, "peak_rss_mb": peak_rss_mb()}))


if __name__ == "__main__":
    child(sys.argv[1], Path(sys.argv[2]))
