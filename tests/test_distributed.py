"""The dask engine gives what the local engine gives, in the same order."""

import sys
from pathlib import Path

import pytest

from pipeline.read import ReadOptions, read_inputs
from pipeline.run import process

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "dev" / "docs"


def _lines(outcomes) -> list[tuple[str, str, list[bytes]]]:
    return [(o.doc_id, o.status, [f.to_json() for f in o.facts]) for o in outcomes]


@pytest.mark.slow
def test_dask_engine_equals_local_engine():
    pytest.importorskip("dask.distributed")
    from pipeline.distributed import process_dask

    items = list(read_inputs([str(CORPUS)], ReadOptions()))
    local = _lines(process(iter(items), batch_size=4))
    # small batches and window: many partitions, out-of-order completion gets reordered
    remote = _lines(process_dask(iter(items), batch_size=4, n_workers=2, window=3))
    assert remote == local
    assert len(remote) == len(items)


def test_missing_dask_is_a_usage_error(monkeypatch):
    from pipeline.cli import UsageError
    from pipeline.distributed import process_dask

    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    with pytest.raises(UsageError, match=r"\[dask\] extra"):
        process_dask(iter([]))
