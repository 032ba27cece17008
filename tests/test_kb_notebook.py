"""notebooks/knowledge_base.ipynb runs in a fresh kernel and its committed outputs are current;
the plotting helpers draw what they say."""

from pathlib import Path

import pytest

from notebooks import executed, tagged_text

pytest.importorskip("matplotlib")
pytest.importorskip("networkx")

from kbutil import KB_CORPUS  # noqa: E402

from pipeline.kb import KnowledgeBase  # noqa: E402
from pipeline.kb.plots import entity_graph, post_timeline, route_panel  # noqa: E402

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "knowledge_base.ipynb"


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    import matplotlib

    matplotlib.use("Agg")
    with KnowledgeBase(tmp_path_factory.mktemp("kb") / "kb.sqlite", create=True) as base:
        base.add([str(KB_CORPUS / "gold.jsonl")], texts=KB_CORPUS / "docs",
                 report=lambda m: None)
        yield base


def test_post_timeline_has_a_bar_per_person_and_post_with_the_conflict_outlined(kb) -> None:
    ax = post_timeline(kb, "Казахстан")
    labels = [label.get_text() for label in ax.get_yticklabels()]
    assert "Нурлан Сапаров — министр энергетики" in labels and len(labels) == 5
    red = [bar for bar in ax.patches if bar.get_edgecolor()[:3] == (0.8392156862745098,
                                                                    0.15294117647058825,
                                                                    0.1568627450980392)]
    assert len(red) == 2  # Saparov and Musin, the two sides of the post conflict


def test_route_panel_marks_the_volumes_in_conflict(kb) -> None:
    ax = route_panel(kb, "КТК")
    crosses = [line for line in ax.get_lines() if line.get_marker() == "X"]
    assert sorted(round(y) for line in crosses for y in line.get_ydata()) == [58, 66, 66]
    assert ax.get_ylabel() == "million t per year"


def test_entity_graph_of_a_country(kb) -> None:
    graph = entity_graph(kb, "Республика Казахстан")
    assert graph.nodes["Казахстан"]["kind"] == "country"
    assert graph.edges["Нурлан Сапаров", "Казахстан"]["label"] == "министр энергетики"
    assert "Евразийский банк развития" in graph  # two facts away, through the project


@pytest.mark.slow
def test_notebook_runs_and_committed_outputs_are_current() -> None:
    committed, executed_ = executed(NOTEBOOK)
    for tag in ("kb-conflicts", "kb-evaluation"):
        assert tagged_text(executed_, tag).strip(), tag
        assert tagged_text(committed, tag) == tagged_text(executed_, tag), (
            f"{NOTEBOOK.name} has stale outputs ({tag}): run `make kb-notebook` and commit it")
    images = [o for c in committed.cells if c.cell_type == "code" for o in c.outputs
              if "image/png" in o.get("data", {})]
    assert len(images) == 3  # timeline, route panels, graph
