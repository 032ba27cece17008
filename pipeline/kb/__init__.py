"""A knowledge base across documents: entities with stable ids, facts merged with all their
sources, intervals and time series, conflicts; in one SQLite file.

    import pipeline.kb
    kb = pipeline.kb.open("news.kb")
    kb.entities(); kb.facts(); kb.timeline("Ержан Кудайбергенов"); kb.route_volumes("КТК")
    kb.holders("министр энергетики Казахстана", on="2024-03-01"); kb.conflicts()

Modules: `names` (keys), `gazetteer` (+ data/gazetteer.yml), `entities` (mentions to names,
within-document edges), `dedup` (reprints), `merge` (fact keys, conflicts), `records` and
`inputs` (what is read), `store` and `schema.sql` (the database), `build` (incremental
merging), `query` and `base` (questions), `export`, `evaluate`, `cli`.
"""


__all__ = ["KnowledgeBase", "open"]


def __getattr__(name: str):
    """`KnowledgeBase` and `open` are imported when first asked for: `rufakt extract` builds
    the `rufakt kb` parser but must not pay for pandas at start-up."""
    if name in __all__:
        from . import base

        return getattr(base, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
