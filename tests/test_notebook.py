"""The notebook helpers; notebooks/explore.ipynb runs and its committed outputs are current."""

from pathlib import Path

import pytest

from notebooks import executed, tagged_text
from pipeline import Evidence, Fact, Mention

pd = pytest.importorskip("pandas")
nx = pytest.importorskip("networkx")
pytest.importorskip("matplotlib")

from pipeline.notebook import (  # noqa: E402  (after the optional-dependency skips)
    HTML,
    draw_graph,
    fact_lines,
    facts_graph,
    plot_route_volumes,
    render,
    report_frame,
    to_dataframe,
)

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"
DOC = ROOT / "corpus" / "dev" / "docs" / "01_kaz_azer_oil_talks.txt"
TEXT = "Министр энергетики Казахстана Ержан Кудайбергенов провел переговоры."


def _fact() -> Fact:
    return Fact(
        doc_id="x.txt",
        predicate="holds_position",
        subject=Mention(text="Ержан Кудайбергенов", normal="Ержан Кудайбергенов", type="PER",
                        start=30, end=49),
        object=Mention(text="Казахстана", normal="Казахстан", type="LOC", start=19, end=29),
        qualifiers={"position": "министр энергетики", "since": None},
        evidence=Evidence(text=TEXT, start=0, end=len(TEXT)),
        confidence=0.9,
    )


def _route(year: int, status: str, value: float) -> dict:
    return {
        "doc_id": "r.txt", "predicate": "route_volume",
        "subject": {"text": "Актау – Баку", "normal": "Актау – Баку", "type": "ROUTE",
                    "waypoints": ["Актау", "Баку"]},
        "object": {"text": "1 млн т", "normal": f"{value:g} t", "type": "QUANTITY",
                   "value": value, "unit": "t"},
        "qualifiers": {"year": year, "status": status},
    }


def test_to_dataframe_takes_facts_and_dicts() -> None:
    frame = to_dataframe([_fact(), _route(2023, "actual", 1e6)])
    assert list(frame.columns[:6]) == ["doc_id", "predicate", "subject", "object",
                                       "qualifiers", "confidence"]
    assert frame.loc[0, "subject"] == "Ержан Кудайбергенов"
    assert frame.loc[0, "qualifiers"] == "position=министр энергетики"
    assert frame.loc[1, "object"] == "1 000 000 t"
    assert frame.loc[1, "year"] == 2023
    assert to_dataframe([]).empty


def test_fact_lines_are_sorted_and_unique() -> None:
    assert fact_lines([_fact(), _fact().model_dump()]) == [
        "holds_position | Ержан Кудайбергенов | Казахстан"
    ]


def test_render_fact_marks_subject_and_object() -> None:
    html = render(_fact())
    assert isinstance(html, HTML) and html._repr_html_() == str(html)
    assert "SUBJ PER" in html and "OBJ LOC" in html and "Кудайбергенов" in html


def test_render_fact_in_document_text_keeps_offsets() -> None:
    html = render(_fact(), text="Вчера. " + TEXT)  # offsets are document offsets
    assert "SUBJ PER" in html


def test_facts_graph_kinds_and_labels() -> None:
    facts = [_fact(), _route(2023, "actual", 1e6)]
    graph = facts_graph(facts)
    assert graph.nodes["Ержан Кудайбергенов"]["kind"] == "person"
    assert graph.nodes["Казахстан"]["kind"] == "country"
    assert graph.nodes["Актау – Баку"]["kind"] == "route"
    assert graph.edges["Ержан Кудайбергенов", "Казахстан"]["label"] == "holds_position"
    assert draw_graph(graph) is not None
    assert draw_graph(nx.Graph()) is not None


def test_plot_route_volumes_draws_actual_and_planned() -> None:
    frame = to_dataframe([_route(2023, "actual", 1e6), _route(2024, "planned", 2e6)])
    ax = plot_route_volumes(frame)
    styles = {line.get_linestyle() for line in ax.get_lines() if len(line.get_xdata()) > 1}
    assert "--" in styles  # the plan, continuing from the last actual volume
    assert plot_route_volumes(to_dataframe([])) is not None


def test_report_frame_has_overall_row() -> None:
    from pipeline.evaluate import evaluate

    gold = [_fact().model_dump()]
    frame = report_frame(evaluate(gold, gold))
    assert frame.loc["overall", "F1"] == 1.0
    assert frame.loc["holds_position", "tp"] == 1


@pytest.mark.slow
def test_notebook_runs_and_committed_outputs_are_current() -> None:
    import pipeline

    graph_png = NOTEBOOK.parent / "graph.png"
    saved = graph_png.read_bytes() if graph_png.exists() else None
    try:
        committed, executed_ = executed(NOTEBOOK, timeout=120)  # raises on a failing cell
    finally:  # the notebook saves graph.png: leave the committed picture as it was
        if saved is not None:
            graph_png.write_bytes(saved)

    facts = pipeline.extract(DOC.read_text(encoding="utf-8"), doc_id=DOC.name)
    current = "\n".join(fact_lines(facts)) or "(no facts)"
    assert tagged_text(executed_, "facts-lines").strip() == current
    assert tagged_text(committed, "facts-lines").strip() == current, (
        "notebooks/explore.ipynb has stale outputs: run `make notebook` and commit it"
    )


def test_each_layer_of_the_document_layer_renders_its_spans(nlp):
    from pipeline.notebook import render_layer

    doc = nlp("В 2024 году по маршруту Актау – Баку перевезли 1,2 млн т нефти, а в 2025 году "
              "планируется 1,5 млн т. Министр энергетики Казахстана Ерлан Аккенженов "
              "встретился с Эльнуром Багировым.")
    entities, years, modality = (render_layer(doc, layer)
                                 for layer in ("entities", "time", "modality"))
    assert "Аккенженов" in entities and "POST" in entities and "PER" in entities
    assert "YEAR" in years and "2025" in years
    assert "planned" in modality
    with pytest.raises(ValueError, match="unknown layer"):
        render_layer(doc, "syntax")
