"""Memory stays bounded on a long document with no sentence breaks (one 100 KB line)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT_MB = 1536

CHILD = r"""
import json, random, resource, sys
from pipeline.nlp import load
from pipeline.nlp.chunks import doc_chunks

def rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20

words = ("нефть газ министр энергетики Казахстана встретился с коллегой из Азербайджана "
         "поставки по трубопроводу выросли на 1,06 млн тонн в 2024 году «КазМунайГаз» — "
         "Каспийского зелёного энергетического коридора Ерлан Аккенженов и").split()
random.seed(1)
parts, size = [], 0
while size <= 100_000:
    word = random.choice(words)
    parts.append(word)
    size += len(word.encode("utf-8")) + 1
text = " ".join(parts)
nlp = load()
nlp("Разогрев.")
before = rss_mb()
doc = nlp(text)
normals = [e._.normal for e in doc.ents]
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"bytes": len(text.encode("utf-8")), "tokens": len(doc),
                  "longest_chunk": max(len(c) for c in doc_chunks(doc)),
                  "lines": text.count("\n"), "ents": len(normals),
                  "before_mb": before, "peak_mb": peak}))
"""


# Runs CHILD as its own child, so RUSAGE_CHILDREN covers that one process only (pytest's own
# RUSAGE_CHILDREN would include every subprocess other tests started).
WRAPPER = """
import json, resource, subprocess, sys
child = subprocess.run([sys.executable, "-c", sys.argv[1]], capture_output=True, text=True,
                       check=True)
report = json.loads(child.stdout.strip().splitlines()[-1])
report["children_peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps(report))
"""


def test_long_single_line_document_has_bounded_memory():
    result = subprocess.run([sys.executable, "-c", WRAPPER, CHILD], cwd=ROOT,
                            capture_output=True, text=True, check=True, timeout=600)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["bytes"] >= 100_000 and report["lines"] == 0
    assert report["longest_chunk"] <= 120
    assert report["children_peak_mb"] < LIMIT_MB
    assert report["peak_mb"] - report["before_mb"] < 512  # growth while processing the text
