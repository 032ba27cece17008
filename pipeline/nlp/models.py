"""natasha's slovnet models, loaded once per process from the installed natasha wheel."""

from functools import cache

from natasha import NewsEmbedding, NewsMorphTagger, NewsNERTagger, NewsSyntaxParser


@cache
def embedding() -> NewsEmbedding:
    """The navec news embedding every slovnet model shares."""
    return NewsEmbedding()


def _unbatched(model):
    # Callers hand the model one length-sorted batch at a time (see chunks.map_sorted), so
    # the encoder must not cut it again into its default batches of 8.
    model.infer.encoder.batch_size = 1 << 30
    return model


@cache
def morph_tagger() -> NewsMorphTagger:
    return _unbatched(NewsMorphTagger(embedding()))


@cache
def syntax_parser() -> NewsSyntaxParser:
    return _unbatched(NewsSyntaxParser(embedding()))


@cache
def ner_tagger() -> NewsNERTagger:
    return _unbatched(NewsNERTagger(embedding()))
