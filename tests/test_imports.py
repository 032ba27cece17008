"""The package's modules import each other without cycles, and `rufakt extract`'s parent
process stays light (its workers import spaCy and load the models)."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "pipeline"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def top_level_imports(path: Path, modules: set[str]) -> set[str]:
    """Modules of the package imported when `path` is imported: module-level statements only
    (imports inside functions run later, and `if TYPE_CHECKING:` blocks never)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level \
                else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            targets = [f"{module}.{a.name}" if f"{module}.{a.name}" in modules else module
                       for a in node.names]
        else:
            continue
        found.update(t for t in targets if t in modules and t != name)
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_no_module_level_import_cycles():
    paths = list(PACKAGE.rglob("*.py"))
    modules = {module_name(p) for p in paths}
    graph = {module_name(p): top_level_imports(p, modules) for p in paths}
    assert graph["pipeline.run"] and "pipeline.api" not in graph["pipeline.run"]
    assert cycles(graph) == []


def test_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


PARENT = """
import sys
from pipeline.batch import run_batch
from pipeline.read import ReadOptions
summary = run_batch([sys.argv[1]], ReadOptions(), output=sys.argv[2], docs_path=None, jobs=2,
                    batch_size=2)
assert summary.processed == 3, summary.processed
print(sorted(m for m in ("spacy", "numpy", "trafilatura", "pipeline.api") if m in sys.modules))
"""


@pytest.mark.slow
def test_extract_parent_process_does_not_load_the_models(tmp_path):
    for n in range(3):
        (tmp_path / f"{n}.txt").write_text("Министр энергетики Казахстана провёл встречу.\n",
                                            encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", PARENT, str(tmp_path),
                             str(tmp_path / "out.jsonl")], cwd=ROOT, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
