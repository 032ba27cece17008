"""Facts from Russian news: a spaCy pipeline on natasha's models plus relation extractors.

    import pipeline
    facts = pipeline.extract("Министр энергетики Казахстана Ерлан Аккенженов ...")
    for fact in pipeline.extract_folder("news/"):
        ...

The names below are imported on first use, so `rufakt extract` can start its worker
processes before the parent has imported spaCy and the models' code (it never needs them).
"""

from importlib import import_module
from typing import TYPE_CHECKING

_WHERE = {"extract": "api", "extract_folder": "api", "load": "api", "release": "api",
          "Evidence": "facts", "Fact": "facts", "Mention": "facts"}

__all__ = ["Evidence", "Fact", "Mention", "extract", "extract_folder", "load", "release"]

if TYPE_CHECKING:
    from .api import extract, extract_folder, load, release
    from .facts import Evidence, Fact, Mention


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
    value = getattr(import_module(f".{_WHERE[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
