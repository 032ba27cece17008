"""Facts from Russian news: a spaCy pipeline on natasha's models plus relation extractors.

    import pipeline
    facts = pipeline.extract("Министр энергетики Казахстана Ерлан Аккенженов ...")
    for fact in pipeline.extract_folder("news/"):
        ...
"""

from .api import extract, extract_folder, load
from .facts import Evidence, Fact, Mention

__all__ = ["Evidence", "Fact", "Mention", "extract", "extract_folder", "load"]
