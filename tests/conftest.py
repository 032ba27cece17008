"""Shared paths: the repository root and ../shared (absent on a user's fresh clone)."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "000_906239780a42e28d.txt"
FACTRU = SHARED / "factru-dev"


@pytest.fixture
def seed_text() -> str:
    """The reference press release, read from ../shared (never copied into the repository)."""
    if not SEED.exists():
        pytest.skip("../shared/seed is absent")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def core():
    """The NLP core (without the document layer and the fact extractors), loaded once."""
    from pipeline.nlp import load

    return load()


@pytest.fixture(scope="session")
def nlp():
    """The whole pipeline (core, document layer, fact extractors), loaded once."""
    import pipeline

    return pipeline.load()
